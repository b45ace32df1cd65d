"""Deliverability recomputed from results.nc alone (issue 14), independent of re300.model and re300.results, per
investment period:

- node: every snapshot, what an export region takes is ≥ 0, at most what arrives from Honam over the routes (never
  its own grid supply) and at most its headroom (input_export_headroom_mw);
- routes: every link's flow is ≥ 0 and within its capacity in service (existing + new, the new HVDC included) in each
  direction, a one-way link carries nothing backwards, and new capacity stays within the link's limit (input max_new);
- accounting: with renewable-only exports, non-renewable energy entering Honam (its own non-renewable output plus
  imports from export regions) never exceeds Honam's served load, so the non-renewable energy counted as export,
  Σ_t w_t · max(0, non-renewable in − served load), is 0; hydrogen sold stays within its annual cap; and the border
  flows of summary.csv — gross exports, imports, hydrogen sold and the electricity behind it, non-renewable energy
  beyond Honam's load — equal their recomputation (whether hydrogen counts as export under the option is checked by
  `export_commitment`);
- adequacy: credited firm capacity in Honam (generators and import links at their credit × capacity in service,
  storage at its firm power, itself ≤ credit × min(power, energy / storage hours)) ≥ (1 + reserve margin) × peak,
  and the peak is at least the highest Honam demand of any snapshot (the full year's peak cannot be below it).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .checks import ABS_TOL_MWH, Check, is_close, is_pathway, one_or_per_period, period_views, summary_of_period

TOL_MW = 1e-3  # MW: solver tolerance on hourly rows of tens of GW


def _kinds(view: xr.Dataset) -> dict[str, str]:
    return dict(zip(map(str, view["region"].values), np.asarray(view["region_kind"].values).astype(str)))


def _absorption(view: xr.Dataset) -> list[str]:
    taken = np.nan_to_num(view["exports_received_mw"].values)
    if taken.size and taken.min() < -TOL_MW:
        r, t = np.unravel_index(int(np.argmin(taken)), taken.shape)
        return [f"{view['region'].values[r]} takes {taken[r, t]:,.3f} MW in snapshot {t}, below zero"]
    if "input_export_headroom_mw" in view:
        head = view["input_export_headroom_mw"].values
        over = np.where(np.isfinite(head), taken - head, -np.inf)
        if over.size and over.max() > TOL_MW:
            r, t = np.unravel_index(int(np.argmax(over)), over.shape)
            return [f"{view['region'].values[r]} takes {taken[r, t]:,.3f} MW in snapshot {t}, above its headroom "
                    f"{head[r, t]:,.3f} MW"]
    return _taken_from_honam(view, taken)


def _taken_from_honam(view: xr.Dataset, taken: np.ndarray) -> list[str]:
    """What an export region takes is at most what arrives from Honam in the snapshot."""
    kind = _kinds(view)
    regions = [str(r) for r in view["region"].values]
    arrived = np.zeros_like(taken)
    eff = view["input_link_efficiency"].values
    for k, (a, b) in enumerate(zip(map(str, view["link_from"].values), map(str, view["link_to"].values))):
        if kind[a] == "honam" and kind[b] == "export":
            arrived[regions.index(b)] += eff[k] * view["flow_forward_mw"].values[k]
        elif kind[a] == "export" and kind[b] == "honam":
            arrived[regions.index(a)] += eff[k] * np.nan_to_num(view["flow_backward_mw"].values[k])
    beyond = np.where([kind[r] == "export" for r in regions], 1.0, 0.0)[:, None] * (taken - arrived)
    if beyond.size and beyond.max() > TOL_MW:
        r, t = np.unravel_index(int(np.argmax(beyond)), beyond.shape)
        return [f"{regions[r]} takes {taken[r, t]:,.3f} MW in snapshot {t}, more than the {arrived[r, t]:,.3f} MW arriving "
                "from Honam (its own grid supply booked as displaced generation)"]
    return []


def _routes(view: xr.Dataset) -> list[str]:
    """Flows within the capacity in service, in each direction; nothing backwards on a one-way link; new capacity
    within the link's limit."""
    cap = np.nan_to_num(view["link_capacity_total_mw"].values)
    two_way = view["input_link_bidirectional"].values.astype(float) > 0
    problems = []
    for direction, name, limit in (("forward", "flow_forward_mw", cap), ("backward", "flow_backward_mw", np.where(two_way, cap, 0.0))):
        flow = np.nan_to_num(view[name].values)
        if not flow.size:
            continue
        over = flow - limit[:, None]
        if over.max() > TOL_MW or flow.min() < -TOL_MW:
            bad = over if over.max() > TOL_MW else -flow
            k, t = np.unravel_index(int(np.argmax(bad)), bad.shape)
            what = "one-way link" if direction == "backward" and not two_way[k] else f"capacity {limit[k]:,.3f} MW"
            problems.append(f"link {view['link'].values[k]} carries {flow[k, t]:,.3f} MW {direction} in snapshot {t} "
                            f"({what})")
    if "input_link_max_new_mw" in view:
        new = np.nan_to_num(view["link_capacity_new_mw"].values)
        limit = np.nan_to_num(view["input_link_max_new_mw"].values.astype(float), nan=0.0, posinf=np.inf)
        k = np.flatnonzero(new > limit + TOL_MW)
        if len(k):
            problems.append(f"link {view['link'].values[k[0]]} has {new[k[0]]:,.3f} MW new, above its limit {limit[k[0]]:,.3f} MW")
    return problems


def _nonrenewable_in(view: xr.Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(non-renewable energy entering Honam, Honam's served load, imports from export regions) per snapshot [MW]."""
    kind = _kinds(view)
    honam = np.array([kind[str(r)] == "honam" for r in view["region"].values])
    renewable = np.nan_to_num(view["input_generator_renewable"].values) > 0
    dispatch = np.nan_to_num(view["dispatch_mw"].values)  # technology x region x time
    nonre = (dispatch * ((~renewable) & honam[None, :])[:, :, None]).sum(axis=(0, 1)) if dispatch.size else 0.0
    eff = view["input_link_efficiency"].values
    imports = np.zeros(view.sizes["time"])
    for k, (a, b) in enumerate(zip(view["link_from"].values, view["link_to"].values)):
        if kind[str(a)] == "export" and kind[str(b)] == "honam":
            imports += eff[k] * np.nan_to_num(view["flow_forward_mw"].values[k])
        elif kind[str(a)] == "honam" and kind[str(b)] == "export":
            imports += eff[k] * np.nan_to_num(view["flow_backward_mw"].values[k])
    served = (np.nan_to_num(view["demand_mw"].values) - np.nan_to_num(view["unserved_mw"].values))[honam].sum(axis=0)
    return nonre + imports, served, imports


def _renewable_only(view: xr.Dataset) -> list[str]:
    if "input_renewable_only_exports" not in view or float(view["input_renewable_only_exports"]) <= 0:
        return []
    into, served, _ = _nonrenewable_in(view)
    over = into - served
    if over.size and over.max() > TOL_MW:
        t = int(np.argmax(over))
        return [f"non-renewable energy entering Honam {into[t]:,.3f} MW exceeds its served load {served[t]:,.3f} MW "
                f"in snapshot {t}"]
    return []


def border_flows(view: xr.Dataset) -> dict[str, float]:
    """Annual energy across Honam's border [MWh/yr], recomputed from the hourly flows: gross exports (arriving in
    export regions), imports from them, hydrogen (any medium) sold and the electricity that made it, and non-renewable
    energy beyond Honam's served load (what would have been counted as export)."""
    w = view["weight_h"].values.astype(float)
    kind = _kinds(view)
    out_of_honam = np.array([kind[str(a)] == "honam" and kind[str(b)] == "export"
                             for a, b in zip(view["link_from"].values, view["link_to"].values)], dtype=bool)
    eff = view["input_link_efficiency"].values.astype(float)
    gross = float((eff * (np.nan_to_num(view["flow_forward_mw"].values) @ w))[out_of_honam].sum())
    into, served, imports = _nonrenewable_in(view)
    sold = sold_e = 0.0
    if "storage_sold_mw" in view:
        per_unit = np.nan_to_num(view["storage_sold_mw"].values) @ w  # technology x region [MWh of the medium]
        sold = float(per_unit.sum())
        sold_e = float(np.nansum(per_unit / view["input_storage_efficiency_charge"].values))
    return {"exports_gross": gross, "imports_from_export_regions": float(imports @ w), "hydrogen_sold": sold,
            "hydrogen_sold_electricity": sold_e, "nonrenewable_beyond_honam_load": float(np.maximum(into - served, 0.0) @ w)}


def _sales(view: xr.Dataset) -> list[str]:
    """Medium sold per storage ≥ 0 every snapshot and within the annual cap."""
    if "storage_sold_mw" not in view:
        return []
    sold = np.nan_to_num(view["storage_sold_mw"].values)
    if sold.size and sold.min() < -TOL_MW:
        return ["negative sales out of storage"]
    if "input_storage_sale_max_mwh_per_yr" not in view:
        return []
    annual = sold @ view["weight_h"].values.astype(float)
    cap = np.nan_to_num(view["input_storage_sale_max_mwh_per_yr"].values.astype(float), nan=np.inf)
    over = annual - cap
    if over.size and over.max() > ABS_TOL_MWH + 1e-6 * np.abs(cap[np.isfinite(cap)]).max(initial=0.0):
        ti, ri = np.unravel_index(int(np.argmax(over)), over.shape)
        return [f"{view['technology'].values[ti]}|{view['region'].values[ri]} sells {annual[ti, ri]:,.0f} MWh/yr, above "
                f"its cap {cap[ti, ri]:,.0f} MWh/yr"]
    return []


def _summary(flows: dict[str, float], summary: pd.Series | None) -> list[str]:
    if summary is None:
        return []
    return [f"summary.csv {metric} = {summary[metric]} but the hourly flows give {value:,.6g}"
            for metric, value in flows.items() if metric in summary and not is_close(float(summary[metric]), value, ABS_TOL_MWH)]


def _firm_capacity(view: xr.Dataset) -> tuple[float, list[str]]:
    """Credited firm capacity in Honam [MW] (and problems with the firm storage reported)."""
    kind = _kinds(view)
    honam = np.array([kind[str(r)] == "honam" for r in view["region"].values])
    firm = 0.0
    if "input_generator_capacity_credit" in view:
        credit = np.nan_to_num(view["input_generator_capacity_credit"].values)
        present = np.nan_to_num(view["input_generator"].values) > 0
        firm += float((credit * np.nan_to_num(view["capacity_total_mw"].values) * present * honam[None, :]).sum())
    if "firm_storage_mw" in view:
        store = np.nan_to_num(view["firm_storage_mw"].values)
        credit = np.nan_to_num(view["input_storage_capacity_credit"].values) * honam[None, :]
        power = np.nan_to_num(view["capacity_total_mw"].values) * (np.nan_to_num(view["input_storage"].values) > 0)
        energy = np.nan_to_num(view["energy_capacity_total_mwh"].values)
        hours = float(view["input_adequacy_storage_hours"])
        if np.any(store > credit * np.minimum(power, energy / hours) + TOL_MW) or np.any(store < -TOL_MW):
            return firm, ["firm storage outside 0 .. credit x min(power, energy / storage hours)"]
        firm += float(store.sum())
    if "input_link_capacity_credit" in view:
        credit = np.nan_to_num(view["input_link_capacity_credit"].values)
        imports = np.array([(kind[str(a)] == "export" and kind[str(b)] == "honam") or (kind[str(b)] == "export" and kind[str(a)] == "honam" and bool(bd))
                            for a, b, bd in zip(view["link_from"].values, view["link_to"].values,
                                                view["input_link_bidirectional"].values)])
        firm += float((credit * np.nan_to_num(view["link_capacity_total_mw"].values) * imports).sum())
    return firm, []


def _adequacy(view: xr.Dataset) -> tuple[list[str], str]:
    if "input_adequacy_peak_demand_mw" not in view:
        return [], "no adequacy rule"
    firm, problems = _firm_capacity(view)
    peak = float(view["input_adequacy_peak_demand_mw"])
    honam = np.array([k == "honam" for k in _kinds(view).values()])
    highest = float(np.nan_to_num(view["demand_mw"].values)[honam].sum(axis=0).max(initial=0.0))
    if peak < highest - TOL_MW:
        problems.append(f"the adequacy peak {peak:,.1f} MW is below Honam's demand of {highest:,.1f} MW in a snapshot")
    margin = float(view["input_adequacy_reserve_margin"])
    need = (1 + margin) * peak
    text = f"firm {firm / 1e3:,.2f} GW >= (1 + {margin:g}) x peak = {need / 1e3:,.2f} GW"
    if firm < need - TOL_MW:
        problems.append(f"credited firm capacity {firm:,.1f} MW is below (1 + margin) x peak = {need:,.1f} MW")
    return problems, text


def _period(view: xr.Dataset, summary: pd.Series | None) -> tuple[list[str], str]:
    flows = border_flows(view)
    problems = _absorption(view) + _routes(view) + _renewable_only(view) + _sales(view) + _summary(flows, summary)
    adequacy_problems, text = _adequacy(view)
    return problems + adequacy_problems, (
        f"exports within the headroom and flows within capacity; non-renewable beyond Honam's load "
        f"{flows['nonrenewable_beyond_honam_load'] / 1e6:,.3f} TWh; " + text)


def check_deliverability(ds: xr.Dataset, summary: pd.DataFrame | pd.Series | None = None) -> Check:
    """Node, routes, accounting and adequacy (see the module docstring), per period; `summary`: summary.csv as read
    (a Series metric -> value is accepted for a single-year run), compared where given."""
    results = []
    for y, view in period_views(ds):
        s = summary if isinstance(summary, pd.Series) else summary_of_period(summary, y)
        results.append((y, *_period(view, s)))
    if not is_pathway(ds):
        y, problems, text = results[0]
        return Check("deliverability", not problems, problems[0] if problems else text)
    return one_or_per_period("deliverability", results)
