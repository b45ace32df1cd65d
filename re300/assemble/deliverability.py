"""What makes exports deliverable and supply firm (issue 14), from the scenario and the input tables:

- the headroom of each export region per snapshot: demand − must-run − own solar (inputs/export_regions.csv; demand
  from the measured national shape scaled to the region's consumption, carried in the snapshots' demand columns);
- the value of the generation an MWh taken there displaces: fuel (constants.csv nonrenewable_price) + carbon;
- the adequacy rule: reserve margin, Honam's peak demand per period, the hours storage must last;
- the status of every upper bound on new capacity (found / estimate / scenario lever), so binding limits say
  what they rest on.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from re300.errors import InputError
from re300.model.data import Adequacy


def export_headroom(sc, tables, snap) -> pd.DataFrame | None:
    """Snapshots x export region: the most each region can take [MW] = max(0, demand − must_run − solar output).
    None when `exports.absorption` is unlimited. Raises one InputError line when a limited absorption lacks data."""
    export = list(tables.export_regions)
    if not export or sc.exports.absorption == "unlimited":
        return None
    params = tables.export_region_parameters()
    path = tables.inputs_dir / "export_regions.csv"
    out = {}
    for r in export:
        if r not in params.index or not np.isfinite(params.loc[r, "must_run"]):
            raise InputError(path, f"export region {r} has no must_run row", column="parameter", value="must_run",
                             expected="its must-run output [MW] (or exports: {absorption: unlimited} in the scenario)")
        if r not in snap.demand.columns:
            raise InputError(tables.inputs_dir / "region_demand.csv", f"no hourly demand for export region {r}",
                             column="region", value=r, expected="its annual consumption, shaped by the measured "
                             "national demand (or exports: {absorption: unlimited} in the scenario)")
        demand = snap.demand[r].to_numpy(float) * sc.exports.demand_growth
        solar = float(np.nan_to_num(params.loc[r, "solar_capacity"], nan=0.0))
        cf = export_solar_profile(snap, r, tables.inputs_dir) if solar > 0 else 0.0
        out[r] = np.maximum(demand - params.loc[r, "must_run"] - solar * cf, 0.0)
    return pd.DataFrame(out)


def export_solar_profile(snap, region: str, inputs_dir) -> np.ndarray:
    """Capacity factor of an export region's own solar per snapshot: the profile_sites.csv row(s) of that region
    (their mean when several)."""
    cols = [c for c in snap.cf.columns if isinstance(c, tuple) and c[1] == region]
    if not cols:
        raise InputError(inputs_dir / "profile_sites.csv", f"no profile for the solar of export region {region}",
                         column="region", value=region, expected="a row (technology, region, site, system) giving its profile")
    return snap.cf[cols].to_numpy(float).mean(axis=1)


def export_values(sc, tables) -> dict[str, float]:
    """{export region: KRW per MWh it takes} = fuel of the displaced plant (nonrenewable_price) + carbon price ×
    its emission factor; zeros when `exports.value_displaced_generation` is off."""
    export = list(tables.export_regions)
    if not export or not sc.exports.value_displaced_generation:
        return {r: 0.0 for r in export}
    params = tables.export_region_parameters()
    fuel = (sc.prices.nonrenewable_price_krw_per_mwh if sc.prices.nonrenewable_price_krw_per_mwh is not None
            else tables.constant("nonrenewable_price"))
    carbon = sc.prices.carbon_price_krw_per_t if sc.prices.carbon_price_krw_per_t is not None else tables.constant("carbon_price")
    out = {}
    for r in export:
        ef = float(params.loc[r, "displaced_emission_factor"]) if r in params.index else np.nan
        out[r] = float(fuel + carbon * np.nan_to_num(ef, nan=0.0))
    return out


def adequacy_settings(sc, tables, snap, growth_by_period, re100_peak_mw=None) -> Adequacy | None:
    """The adequacy rule's numbers, or None when the scenario switches it off. Honam's peak is the coincident peak of
    the full hourly year (`snap.info['honam_peak_mw']`, before aggregation) × each period's demand growth, plus the
    RE100 loads active then."""
    if not sc.adequacy.enabled:
        return None
    margin = sc.adequacy.reserve_margin
    hours = sc.adequacy.storage_hours
    for name, value in (("reserve_margin", margin), ("adequacy_storage_hours", hours)):
        if value is None and not tables.has_constant(name):
            raise InputError(tables.inputs_dir / "constants.csv", f"missing constant {name} for the adequacy rule",
                             column="parameter", value=name, expected="a row for it (or adequacy: {enabled: false})")
    margin = tables.constant("reserve_margin") if margin is None else margin
    hours = tables.constant("adequacy_storage_hours") if hours is None else hours
    peak = float(snap.info.get("honam_peak_mw", np.nan))
    if not np.isfinite(peak):
        honam = [r for r in tables.honam_regions if r in snap.demand.columns]
        peak = float(snap.demand[honam].to_numpy(float).sum(axis=1).max())
    growth = np.asarray(growth_by_period, float)
    extra = np.zeros(len(growth)) if re100_peak_mw is None else np.asarray(re100_peak_mw, float)
    return Adequacy(reserve_margin=float(margin), peak_demand_mw=peak * growth + extra, storage_hours=float(hours))


def _row_status(frame: pd.DataFrame, key_cols: list[str], param: str) -> dict:
    """{key: status} of the rows of an input table with `parameter` == param."""
    hit = frame[frame["parameter"] == param]
    return {tuple(k) if len(key_cols) > 1 else k[0]: s
            for k, s in zip(hit[key_cols].itertuples(index=False, name=None), hit["status"])}


def _status(limit: float, row_status: str | None, lever: str | None) -> str:
    if not limit > 0:
        return "none"
    if not np.isfinite(limit):
        return "unlimited"
    if lever:
        return f"scenario lever: {lever}"
    return row_status or "none"


def bound_status(sc, tables, frame: str, rows: list[dict]) -> dict[str, list[str]]:
    """Where each asset's bounds come from, {column: [status per row]}: `max_new_status` for new power (links: new
    transfer capacity), `max_new_energy_status` for new storage energy, `existing_status` for a link's existing
    capacity — 'found' or 'estimate' (the status of the input row that sets it), 'scenario lever: <key>' when the
    scenario changes it, 'unlimited', or 'none' (no expansion)."""
    if frame == "links":
        lp = tables.raw["link_parameters.csv"]
        new, exist = _row_status(lp, ["link"], "max_new"), _row_status(lp, ["link"], "existing")
        out = {"max_new_status": [], "existing_status": []}
        for r in rows:
            name = r["link"]
            lever = ("links.no_expansion" if name in sc.links.no_expansion
                     else f"links.max_new_mw.{name}" if name in sc.links.max_new_mw else None)
            out["max_new_status"].append(_status(r["max_new_mw"] if not lever else 1.0, new.get(name), lever))
            out["existing_status"].append(exist.get(name, "none"))
        return out
    caps = tables.raw["capacities.csv"]
    power, energy = _row_status(caps, ["region", "technology"], "potential"), _row_status(caps, ["region", "technology"], "potential_energy")
    out = {"max_new_status": []}
    if frame == "storage":
        out["max_new_energy_status"] = []
    for r in rows:
        key, tech = (r["region"], r["technology"]), r["technology"]
        lever = f"technologies.potential_factor.{tech}" if tech in sc.technologies.potential_factor else None
        out["max_new_status"].append(_status(r["max_new_mw"], power.get(key), lever))
        if frame == "storage":
            out["max_new_energy_status"].append(_status(r["max_new_mwh"], energy.get(key), lever))
    return out
