"""Deliverability recomputed from results.nc alone (issue 14), independent of re300.model and re300.results:

- every snapshot, what an export region takes is at most its headroom (input_export_headroom_mw);
- with renewable-only exports, non-renewable energy entering Honam (its own non-renewable output plus imports from
  export regions) never exceeds Honam's served load, so no grid power is exported or stored;
- with the adequacy rule, credited firm capacity in Honam covers (1 + reserve margin) × peak demand in every period.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from .checks import Check, is_pathway, one_or_per_period, period_views

TOL_MW = 1e-3  # MW: solver tolerance on hourly rows of tens of GW


def _absorption(view: xr.Dataset) -> list[str]:
    if "input_export_headroom_mw" not in view:
        return []
    head = view["input_export_headroom_mw"].values
    taken = np.nan_to_num(view["exports_received_mw"].values)
    over = np.where(np.isfinite(head), taken - head, -np.inf)
    if over.size and over.max() > TOL_MW:
        r, t = np.unravel_index(int(np.argmax(over)), over.shape)
        return [f"{view['region'].values[r]} takes {taken[r, t]:,.3f} MW in snapshot {t}, above its headroom {head[r, t]:,.3f} MW"]
    return []


def _nonrenewable_in(view: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(non-renewable energy entering Honam, Honam's served load) per snapshot [MW]."""
    kind = dict(zip(map(str, view["region"].values), np.asarray(view["region_kind"].values).astype(str)))
    honam = np.array([kind[str(r)] == "honam" for r in view["region"].values])
    renewable = np.nan_to_num(view["input_generator_renewable"].values) > 0
    dispatch = np.nan_to_num(view["dispatch_mw"].values)  # technology x region x time
    nonre = (dispatch * ((~renewable) & honam[None, :])[:, :, None]).sum(axis=(0, 1)) if dispatch.size else 0.0
    eff = view["input_link_efficiency"].values
    imports = np.zeros(view.sizes["time"])
    for k, (a, b) in enumerate(zip(view["link_from"].values, view["link_to"].values)):
        if kind[str(a)] == "export" and kind[str(b)] == "honam":
            imports += eff[k] * view["flow_forward_mw"].values[k]
        elif kind[str(a)] == "honam" and kind[str(b)] == "export":
            imports += eff[k] * view["flow_backward_mw"].values[k]
    served = (np.nan_to_num(view["demand_mw"].values) - np.nan_to_num(view["unserved_mw"].values))[honam].sum(axis=0)
    return nonre + imports, served


def _renewable_only(view: xr.Dataset) -> list[str]:
    if "input_renewable_only_exports" not in view or float(view["input_renewable_only_exports"]) <= 0:
        return []
    into, served = _nonrenewable_in(view)
    over = into - served
    if over.size and over.max() > TOL_MW:
        t = int(np.argmax(over))
        return [f"non-renewable energy entering Honam {into[t]:,.3f} MW exceeds its served load {served[t]:,.3f} MW "
                f"in snapshot {t}"]
    return []


def _adequacy(view: xr.Dataset) -> tuple[list[str], str]:
    if "input_adequacy_peak_demand_mw" not in view:
        return [], "no adequacy rule"
    kind = dict(zip(map(str, view["region"].values), np.asarray(view["region_kind"].values).astype(str)))
    honam = np.array([kind[str(r)] == "honam" for r in view["region"].values])
    firm = 0.0
    for key in ("generator",):
        credit = np.nan_to_num(view[f"input_{key}_capacity_credit"].values) if f"input_{key}_capacity_credit" in view else 0.0
        present = np.nan_to_num(view[f"input_{key}"].values) > 0
        firm += float((credit * np.nan_to_num(view["capacity_total_mw"].values) * present * honam[None, :]).sum())
    if "firm_storage_mw" in view:
        store = np.nan_to_num(view["firm_storage_mw"].values)
        credit = np.nan_to_num(view["input_storage_capacity_credit"].values)
        power = np.nan_to_num(view["capacity_total_mw"].values) * (np.nan_to_num(view["input_storage"].values) > 0)
        energy = np.nan_to_num(view["energy_capacity_total_mwh"].values)
        hours = float(view["input_adequacy_storage_hours"])
        if np.any(store > credit * np.minimum(power, energy / hours) + TOL_MW):
            return ["firm storage above credit x min(power, energy / storage hours)"], ""
        firm += float(store.sum())
    if "input_link_capacity_credit" in view:
        credit = np.nan_to_num(view["input_link_capacity_credit"].values)
        imports = np.array([kind[str(a)] == "export" or (kind[str(b)] == "export" and bool(bd))
                            for a, b, bd in zip(view["link_from"].values, view["link_to"].values,
                                                view["input_link_bidirectional"].values)])
        firm += float((credit * np.nan_to_num(view["link_capacity_total_mw"].values) * imports).sum())
    need = (1 + float(view["input_adequacy_reserve_margin"])) * float(view["input_adequacy_peak_demand_mw"])
    text = f"firm {firm / 1e3:,.2f} GW >= (1 + {float(view['input_adequacy_reserve_margin']):g}) x peak = {need / 1e3:,.2f} GW"
    if firm < need - TOL_MW:
        return [f"credited firm capacity {firm:,.1f} MW is below (1 + margin) x peak = {need:,.1f} MW"], text
    return [], text


def check_deliverability(ds: xr.Dataset) -> Check:
    """Absorption within headroom, renewable-only exports and the adequacy rule, per period."""
    results = []
    for y, view in period_views(ds):
        problems = _absorption(view) + _renewable_only(view)
        adequacy_problems, text = _adequacy(view)
        results.append((y, problems + adequacy_problems,
                        "exports within the headroom, renewable-only rule holds, " + text))
    if not is_pathway(ds):
        y, problems, text = results[0]
        return Check("deliverability", not problems, problems[0] if problems else text)
    return one_or_per_period("deliverability", results)
