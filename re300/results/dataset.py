"""Turn a solved model into one xarray Dataset (results + every input the LP used), in MW, MWh, KRW.

Every variable carries `units` and `description` attrs. Inputs are stored with an `input_` prefix so that
`model_data_from_dataset` can rebuild the exact LP from the file alone.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..model import units as U
from ..model.data import (
    ModelData,
)
from ..model.names import CAPACITY_KINDS, Row, Var
from . import deliverability
from .arrays import da as _da
from .arrays import grid as _grid
from .arrays import squeeze as _squeeze
from .stored_inputs import add_inputs as _add_inputs

TIME_ATTRS = {"timezone": "Asia/Seoul (UTC+9, no DST)", "convention": "hour-beginning labels"}


def _capacities(data: ModelData, meta: dict, v: dict) -> dict:
    """Existing, new (in service) and built capacity per row and period [MW, MWh]: {family: {...}}."""
    out = {}
    P = data.n_periods
    builds = meta.get("builds", {})
    for kind in CAPACITY_KINDS:
        family, frame, col, scale = kind.family, kind.frame, kind.existing, kind.scale
        n = len(getattr(data, frame))
        existing = data.column(frame, col) if n else np.zeros((0, P))
        b = builds.get(family)
        built = np.zeros((n, P))
        alive = np.zeros((n, P))
        if b is not None and len(b["asset"]):
            vals = np.asarray(v[b["name"]], float) / scale
            np.add.at(built, (b["asset"], b["period"]), vals)
            for k, i in enumerate(b["asset"]):
                alive[i] += b["alive"][k] * vals[k]
        out[family] = {"existing": existing, "new": alive, "built": built, "base": getattr(data, frame)[col].to_numpy(float) if n else np.zeros(0)}
    st = data.storage.reset_index(drop=True)
    if len(st):
        dur = np.nan_to_num(st["fixed_duration_h"].to_numpy(float), nan=0.0)[:, None]
        sep = st["separate_charge_power"].to_numpy(bool)[:, None]
        e, pw, c = out["storage_energy"], out["storage_power"], out["storage_charge"]
        for key in ("existing", "new", "built"):
            e[key] = np.where(dur > 0, dur * pw[key], e[key])
            c[key] = np.where(sep, c[key], 0.0)
        e["base"] = np.where(dur[:, 0] > 0, dur[:, 0] * pw["base"], e["base"])
        c["base"] = np.where(sep[:, 0], c["base"], 0.0)
    return out


def to_dataset(built, sol, scenario_name: str = "", attrs: dict | None = None) -> xr.Dataset:
    """The results Dataset of a solved model. A single-year run has the core shapes; a pathway run adds a `period`
    dimension (year of each investment period) to capacities, targets and inputs, a `time_period` coordinate on
    the (flattened) time axis and a `cost_period` coordinate on the cost items (see `period_view`)."""
    data: ModelData = built.data
    v = sol.values
    ds, coords, techs = _skeleton(data)
    cap = _capacities(data, built.meta, v)
    _add_capacities(ds, data, cap, techs, coords)
    ds, flows = _add_operation(ds, data, v, cap, techs, coords)
    flows["fwd"] = _add_links(ds, data, built.meta, v, cap, coords)
    cost_w = _add_nodes(ds, data, sol, coords)
    _add_re100(ds, data, built.meta, sol, data.generators.reset_index(drop=True), data.storage.reset_index(drop=True),
               data.links.reset_index(drop=True), flows["dispatch"], flows["charge"], flows["discharge"], flows["fwd"],
               coords, cost_w)
    ds = _add_costs(ds, built, sol, data.pathway is not None)
    ds = _add_inputs(ds, data, techs, coords)
    deliverability.add_inputs(ds, data, techs)
    deliverability.add_results(ds, built, sol, techs)
    _set_attrs(ds, data, sol, scenario_name, attrs)
    return ds


def _skeleton(data: ModelData) -> tuple[xr.Dataset, dict, list[str]]:
    """The Dataset's coordinates: time (with its period on a pathway), region (with its kind), technology, link."""
    pathway = data.pathway is not None
    regions = list(data.regions)
    gens, st, links = (data.generators.reset_index(drop=True), data.storage.reset_index(drop=True),
                       data.links.reset_index(drop=True))
    techs = list(dict.fromkeys(list(gens["technology"]) + list(st["technology"])))
    coords = {
        "time": xr.DataArray(data.time.values, dims="time", attrs=TIME_ATTRS),
        "region": regions,
        "technology": techs,
        "link": list(links["link"]),
    }
    if pathway:
        coords["period"] = xr.DataArray(np.asarray(data.pathway.years, np.int64), dims="period",
                                        attrs={"units": "year", "description": "first year of each investment period"})
    ds = xr.Dataset(coords=coords)
    ds = ds.assign_coords(
        region_kind=("region", [data.region_kind[r] for r in regions]),
        link_from=("link", list(links["from_region"])),
        link_to=("link", list(links["to_region"])),
    )
    if pathway:
        ds = ds.assign_coords(time_period=("time", np.asarray(data.pathway.years)[data.period_of_snapshot]))
        ds["time_period"].attrs = {"units": "year", "description": "investment period of each snapshot"}
    return ds, coords, techs


def _add_capacities(ds: xr.Dataset, data: ModelData, cap: dict, techs: list, coords: dict) -> None:
    """Power, storage energy and separate charging capacity: existing, new and total [MW, MWh] per technology x
    region (x period on a pathway), and the pathway's capacity trajectory."""
    pathway = data.pathway is not None
    regions = list(data.regions)
    gens, st = data.generators.reset_index(drop=True), data.storage.reset_index(drop=True)
    tr_dims = ("technology", "region") + (("period",) if pathway else ())
    G, S, P = len(gens), len(st), data.n_periods
    g_exist, g_new = cap["generators"]["existing"], cap["generators"]["new"]
    p_exist, p_new = cap["storage_power"]["existing"], cap["storage_power"]["new"]
    e_exist, e_new = cap["storage_energy"]["existing"], cap["storage_energy"]["new"]
    nan_grid = np.full((len(techs), len(regions), P), np.nan)
    cap_exist = _grid(gens, techs, regions, g_exist) if G else nan_grid.copy()
    cap_new = _grid(gens, techs, regions, g_new) if G else nan_grid.copy()
    if S:
        cap_exist = np.where(np.isnan(cap_exist), _grid(st, techs, regions, p_exist), cap_exist)
        cap_new = np.where(np.isnan(cap_new), _grid(st, techs, regions, p_new), cap_new)
    q = lambda a: _squeeze(a, pathway)  # noqa: E731
    ds["capacity_existing_mw"] = _da(q(cap_exist), tr_dims, coords, "MW", "capacity built before the target year (power)"
                                     if not pathway else "capacity built before the pathway, still in service in the period (power)")
    ds["capacity_new_mw"] = _da(q(cap_new), tr_dims, coords, "MW", "capacity the model builds (power)"
                                if not pathway else "capacity the model built, in service in the period (power)")
    ds["capacity_total_mw"] = _da(q(cap_exist + cap_new), tr_dims, coords, "MW", "existing + new capacity (power)")
    ds["energy_capacity_existing_mwh"] = _da(q(_grid(st, techs, regions, e_exist)), tr_dims, coords, "MWh", "existing storage energy capacity")
    ds["energy_capacity_new_mwh"] = _da(q(_grid(st, techs, regions, e_new)), tr_dims, coords, "MWh", "new storage energy capacity")
    ds["energy_capacity_total_mwh"] = ds["energy_capacity_existing_mwh"] + ds["energy_capacity_new_mwh"]
    ds["energy_capacity_total_mwh"].attrs = {"units": "MWh", "description": "existing + new storage energy capacity"}
    if S and st["separate_charge_power"].any():
        c_exist, c_new = cap["storage_charge"]["existing"], cap["storage_charge"]["new"]
        sep = st[st["separate_charge_power"].to_numpy(bool)]
        mask = st["separate_charge_power"].to_numpy(bool)
        ds["charge_capacity_existing_mw"] = _da(q(_grid(sep, techs, regions, c_exist[mask])), tr_dims, coords, "MW",
                                                "existing charging power (storage whose charging power is sized on its own)")
        ds["charge_capacity_new_mw"] = _da(q(_grid(sep, techs, regions, c_new[mask])), tr_dims, coords, "MW",
                                           "new charging power (e.g. electrolysers)")
        ds["charge_capacity_total_mw"] = ds["charge_capacity_existing_mw"] + ds["charge_capacity_new_mw"]
        ds["charge_capacity_total_mw"].attrs = {"units": "MW", "description": "existing + new charging power"}
    if pathway:
        _add_trajectory(ds, cap, gens, st, data.links.reset_index(drop=True), techs, regions, coords)


def _add_operation(ds: xr.Dataset, data: ModelData, v: dict, cap: dict, techs: list, coords: dict
                   ) -> tuple[xr.Dataset, dict]:
    """Hourly dispatch, availability, curtailment, storage charge/discharge and state of charge [MW, MWh] per
    technology x region x time; the inter-day level of linked storage per calendar day. Returns the Dataset (a
    calendar_day coordinate may be added) and the per-row series the RE100 tables reuse."""
    T, period = data.n_time, data.period_of_snapshot
    regions = list(data.regions)
    gens, st = data.generators.reset_index(drop=True), data.storage.reset_index(drop=True)
    P_, E = 1.0 / U.POWER, 1.0 / U.ENERGY
    G, S = len(gens), len(st)
    g_total = cap["generators"]["existing"] + cap["generators"]["new"]  # G x P
    dispatch = v[Var.DISPATCH] * P_ if G else np.zeros((0, T))
    available = data.availability * g_total[:, period] if G else np.zeros((0, T))
    curtail = np.where(gens["renewable"].to_numpy(bool)[:, None], np.maximum(available - dispatch, 0.0), 0.0)
    charge = v[Var.CHARGE] * P_ if S else np.zeros((0, T))
    discharge = v[Var.DISCHARGE] * P_ if S else np.zeros((0, T))
    soc = v[Var.SOC] * E if S else np.zeros((0, T))

    tr = ("technology", "region", "time")
    ds["dispatch_mw"] = _da(_grid(gens, techs, regions, dispatch), tr, coords, "MW", "generator output delivered to the regional balance")
    ds["available_mw"] = _da(_grid(gens, techs, regions, available), tr, coords, "MW", "capacity factor x total capacity")
    ds["curtailment_mw"] = _da(_grid(gens, techs, regions, curtail), tr, coords, "MW", "renewable output available but not used")
    ds["storage_charge_mw"] = _da(_grid(st, techs, regions, charge), tr, coords, "MW", "storage charging (drawn from the grid)")
    ds["storage_discharge_mw"] = _da(_grid(st, techs, regions, discharge), tr, coords, "MW", "storage discharging (fed to the grid)")
    ds["soc_mwh"] = _da(_grid(st, techs, regions, soc), tr, coords, "MWh",
                        "stored energy at the end of each snapshot (storage linked across typical days: relative to "
                        "the start of the typical day; add soc_inter_mwh of the calendar day for the level)")
    if "soc_inter" in v:
        linked = st["linked_across_days"].to_numpy(bool)
        inter = np.full((S, v[Var.SOC_INTER].shape[1]), np.nan)
        inter[linked] = v[Var.SOC_INTER] * E
        ds = ds.assign_coords(calendar_day=np.arange(inter.shape[1]))
        coords["calendar_day"] = ds["calendar_day"]
        ds["soc_inter_mwh"] = _da(_grid(st, techs, regions, inter), ("technology", "region", "calendar_day"), coords, "MWh",
                                  "stored energy at the start of each calendar day of the year"
                                  + (" of each investment period, in calendar order" if data.pathway is not None else ""))
    return ds, {"dispatch": dispatch, "charge": charge, "discharge": discharge}


def _add_links(ds: xr.Dataset, data: ModelData, meta: dict, v: dict, cap: dict, coords: dict) -> np.ndarray:
    """Transfer capacity [MW] and hourly flows and losses [MW] per link; returns the forward flows."""
    pathway = data.pathway is not None
    links = data.links.reset_index(drop=True)
    T, L = data.n_time, len(links)
    P_ = 1.0 / U.POWER
    q = lambda a: _squeeze(a, pathway)  # noqa: E731
    l_exist, l_new = cap["links"]["existing"], cap["links"]["new"]
    fwd = v[Var.FLOW_FORWARD] * P_ if L else np.zeros((0, T))
    bwd = np.zeros((L, T))
    if L and len(meta["links"]["backward"]):
        bwd[meta["links"]["backward"]] = v[Var.FLOW_BACKWARD] * P_
    eff = links["efficiency"].to_numpy(float) if L else np.zeros(0)
    l_dims = ("link",) + (("period",) if pathway else ())
    ds["link_capacity_existing_mw"] = _da(q(l_exist), l_dims, coords, "MW", "existing transfer capacity")
    ds["link_capacity_new_mw"] = _da(q(l_new), l_dims, coords, "MW", "transfer capacity the model builds")
    ds["link_capacity_total_mw"] = _da(q(l_exist + l_new), l_dims, coords, "MW", "existing + new transfer capacity")
    ds["flow_forward_mw"] = _da(fwd, ("link", "time"), coords, "MW", "flow from link_from to link_to, at the sending end")
    ds["flow_backward_mw"] = _da(bwd, ("link", "time"), coords, "MW", "flow from link_to to link_from, at the sending end")
    ds["flow_mw"] = _da(fwd - bwd, ("link", "time"), coords, "MW", "net flow (forward - backward), at the sending end")
    ds["link_loss_mw"] = _da((1 - eff)[:, None] * (fwd + bwd), ("link", "time"), coords, "MW", "energy lost on the link")
    return fwd


def _add_nodes(ds: xr.Dataset, data: ModelData, sol, coords: dict) -> np.ndarray:
    """Demand, unserved energy and what export regions receive [MW]; the marginal price [KRW/MWh] (dual of the
    power balance); the targets' shadow prices and shortfalls; the snapshot weights. Returns the cost weight of each
    snapshot (weight_h x the period's objective weight)."""
    v = sol.values
    pathway = data.pathway is not None
    regions, T, P = list(data.regions), data.n_time, data.n_periods
    W, w = data.objective_weight, np.asarray(data.weight_h, float)
    P_ = 1.0 / U.POWER
    honam = [r for r in regions if data.region_kind[r] != "export"]
    export = [r for r in regions if data.region_kind[r] == "export"]
    unserved = np.zeros((len(regions), T))
    absorbed = np.zeros((len(regions), T))
    if honam:
        unserved[[regions.index(r) for r in honam]] = v[Var.UNSERVED] * P_
    if export:
        absorbed[[regions.index(r) for r in export]] = v[Var.ABSORBED] * P_
    ds["demand_mw"] = _da(data.demand_mw.to_numpy(float).T, ("region", "time"), coords, "MW", "electricity demand")
    ds["unserved_mw"] = _da(unserved, ("region", "time"), coords, "MW", "demand not served (priced at the value of lost load)")
    ds["exports_received_mw"] = _da(absorbed, ("region", "time"), coords, "MW", "energy arriving in an export region")
    cost_w = w * W[data.period_of_snapshot]
    bal_dual = sol.duals.get(Row.POWER_BALANCE)
    price = bal_dual / cost_w[None, :] * U.PRICE_TO_KRW_PER_MWH if bal_dual is not None else np.full((len(regions), T), np.nan)
    ds["price_krw_per_mwh"] = _da(price, ("region", "time"), coords, "KRW/MWh", "marginal price: dual of the power balance per MWh")

    for kind, label in (("renewable", "renewable target"), ("export", "export commitment")):
        ds[f"{kind}_target_shadow_price_krw_per_mwh"] = _per_target(
            sol.duals.get(f"{kind}_target"), data, kind, U.TARGET_ROW * U.PRICE_TO_KRW_PER_MWH / W, np.nan, coords,
            "KRW/MWh", f"cost of one more MWh of {label} (dual of its row)")
        ds[f"{kind}_shortfall_mwh"] = _per_target(v.get(f"{kind}_shortfall"), data, kind, np.full(P, 1.0 / U.ENERGY), 0.0,
                                                  coords, "MWh", f"{kind} shortfall (priced slack)")

    ds["weight_h"] = _da(w, ("time",), coords, "h", "hours of the year each snapshot stands for")
    if pathway:
        ds["period_objective_weight"] = _da(W, ("period",), coords, "yr",
                                            "discounted years the period's annual costs count for in the objective (W_p)")
    return cost_w


def _add_costs(ds: xr.Dataset, built, sol, pathway: bool) -> xr.Dataset:
    """The labelled cost items of the objective (`cost_items`): one row per asset, region and component [KRW/yr]."""
    costs = cost_items(built, sol)
    ds = ds.merge(costs.to_xarray().rename({"index": "cost_item"}))
    ds["cost_krw_per_yr"].attrs = {"units": "KRW/yr", "description": "annual cost item (asset, region, component)"
                                   + ("; in the year(s) of its period, undiscounted" if pathway else "")}
    for col in ("cost_asset_kind", "cost_asset", "cost_region", "cost_component"):
        ds[col].attrs = {"units": "1", "description": col.replace("cost_", "") + " of each cost item"}
    if pathway:
        ds = ds.set_coords("cost_period")
        ds["cost_period"].attrs = {"units": "year", "description": "investment period of each cost item"}
    return ds


def _set_attrs(ds: xr.Dataset, data: ModelData, sol, scenario_name: str, attrs: dict | None) -> None:
    """Global attributes: title, scenario, solver status, objective (its meaning on a pathway), money year."""
    ds.attrs.update(
        {
            "title": f"re300 results: {scenario_name or data.name}",
            "scenario": scenario_name or data.name,
            "solver_status": sol.status,
            "objective_bn_krw_per_yr": sol.objective,
            "money": "KRW of the money year in inputs/constants.csv",
            **(attrs or {}),
        }
    )
    if data.pathway is not None:
        ds.attrs.update({
            "objective_bn_krw_per_yr": sol.objective,
            "objective_note": "pathway: the objective is the present value in bn KRW of the base year "
                              "(Σ_p W_p x annual cost of period p), not a per-year figure",
            "pathway_base_year": int(data.pathway.base_year),
            "pathway_discount_rate": float(data.pathway.discount_rate),
            "pathway_foresight": data.pathway.foresight,
        })


def _per_target(arr, data, kind, factor, fill, coords, units, description) -> xr.DataArray:
    """Per-period values of a target family of `kind` (rows exist only for periods with a target) -> a scalar for a
    single-year run, (period,) for a pathway."""
    P = data.n_periods
    out = np.full(P, fill, dtype=float)
    if arr is not None:
        a = np.asarray(arr, float).ravel()
        has = np.flatnonzero(np.isfinite(data.targets.shares(kind, P)))
        out[has] = a * np.asarray(factor, float)[has]
    attrs = {"units": units, "description": description}
    if data.pathway is None:
        return xr.DataArray(float(out[0]), attrs=attrs)
    return xr.DataArray(out, dims=("period",), coords={"period": coords["period"]}, attrs=attrs)


def _add_trajectory(ds, cap, gens, st, links, techs, regions, coords) -> None:
    """Built and retired capacity per period (pathway runs): built = new capacity commissioned in the period,
    retired = capacity in service in the previous period (the base year for the first) plus built minus in service."""
    dims = ("technology", "region", "period")
    for prefix, unit, parts in (("capacity", "MW", (("generators", gens), ("storage_power", st))),
                                ("energy_capacity", "MWh", (("storage_energy", st),)),
                                ("charge_capacity", "MW", (("storage_charge", st),))):
        if prefix == "charge_capacity" and "charge_capacity_total_mw" not in ds:
            continue
        built = np.full((len(techs), len(regions), len(coords["period"])), np.nan)
        retired = built.copy()
        for family, frame in parts:
            if not len(frame):
                continue
            c = cap[family]
            total = c["existing"] + c["new"]
            before = np.c_[c["base"][:, None], total[:, :-1]]
            ret = np.maximum(before + c["built"] - total, 0.0)
            built = np.where(np.isnan(built), _grid(frame, techs, regions, c["built"]), built)
            retired = np.where(np.isnan(retired), _grid(frame, techs, regions, ret), retired)
        u = unit.lower()
        ds[f"{prefix}_built_{u}"] = _da(built, dims, coords, unit, "capacity commissioned in the period (built since the previous one)")
        ds[f"{prefix}_retired_{u}"] = _da(retired, dims, coords, unit, "capacity that left service since the previous period "
                                          "(the base year for the first): existing assets and model builds at the end of their life")
    c = cap["links"]
    total = c["existing"] + c["new"]
    before = np.c_[c["base"][:, None], total[:, :-1]] if len(links) else total
    ds["link_capacity_built_mw"] = _da(c["built"], ("link", "period"), coords, "MW", "transfer capacity commissioned in the period")
    ds["link_capacity_retired_mw"] = _da(np.maximum(before + c["built"] - total, 0.0), ("link", "period"), coords, "MW",
                                         "transfer capacity that left service since the previous period")


def re100_pool_mw(gens, st, links, region_kind, dispatch, charge, discharge, fwd) -> np.ndarray:
    """Honam renewable pool per snapshot [MW] (re300.model.re100): renewable dispatch in Honam + Honam storage
    discharge − charge − flow sent from Honam to export regions."""
    T = dispatch.shape[1] if dispatch.ndim == 2 else 0
    pool = np.zeros(T)
    if len(gens):
        m = gens["renewable"].to_numpy(bool) & np.array([region_kind[r] == "honam" for r in gens["region"]])
        pool += dispatch[m].sum(axis=0)
    if len(st):
        m = np.array([region_kind[r] == "honam" for r in st["region"]])
        pool += discharge[m].sum(axis=0) - charge[m].sum(axis=0)
    if len(links):
        m = np.array([region_kind[a] == "honam" and region_kind[b] == "export"
                      for a, b in zip(links["from_region"], links["to_region"])])
        pool -= fwd[m].sum(axis=0)
    return pool


def _add_re100(ds, data, meta, sol, gens, st, links, dispatch, charge, discharge, fwd, coords, cost_w) -> None:
    """RE100 loads, the Honam renewable pool they are matched against, unmatched load and the matching price."""
    loads = data.re100_loads
    if loads is None or len(loads) == 0:
        return
    names = list(loads["name"])
    coords["re100_load"] = names
    ds.coords["re100_load"] = names
    ds.coords["re100_load_region"] = ("re100_load", list(loads["region"]))
    ds.coords["re100_load_matching"] = ("re100_load", list(loads["matching"]))
    ds["re100_load_mw"] = _da(np.asarray(data.re100_load_mw, float), ("re100_load", "time"), coords, "MW",
                              "RE100 load (part of demand_mw)")
    pool = re100_pool_mw(gens, st, links, data.region_kind, dispatch, charge, discharge, fwd)
    ds["re100_pool_mw"] = _da(pool, ("time",), coords, "MW", "Honam renewable pool: renewable output in Honam + storage "
                              "discharge - charge - flow sent to export regions (what RE100 loads are matched against)")
    short = np.zeros(data.n_time)
    price = np.full(data.n_time, np.nan)
    hours = meta.get("re100", {}).get("hours")
    if hours is not None:
        if "re100_shortfall" in sol.values:
            short[hours] = np.asarray(sol.values[Var.RE100_SHORTFALL], float) / U.POWER
        dual = sol.duals.get(Row.RE100_HOURLY_MATCH)
        if dual is not None:
            price[hours] = np.asarray(dual, float) / cost_w[hours] * U.PRICE_TO_KRW_PER_MWH
    ds["re100_shortfall_mw"] = _da(short, ("time",), coords, "MW", "hourly-matched RE100 load not met by the pool")
    ds["re100_matching_price_krw_per_mwh"] = _da(price, ("time",), coords, "KRW/MWh",
                                                 "cost of one more MWh of hourly-matched RE100 load in the hour "
                                                 "(dual of the hourly matching row; NaN where no row)")


def cost_items(built, sol) -> pd.DataFrame:
    """Annual cost items [KRW/yr], read from the objective's own labelled terms (re300.model.costs): one row per asset,
    region and component (and period in a pathway run), in the order the model declared them, rows of zero included.

    item of period p = Σ_{its annual parts} annual part × solution value + its annual constants; the objective is
    Σ_p W_p × (items of p)."""
    data = built.data
    ledger = built.costs
    value = ledger.annual(sol.values) / U.MONEY
    columns = list(zip(*ledger.items)) if ledger.items else [[]] * 5
    years = data.period_years
    df = pd.DataFrame({
        "cost_asset_kind": list(columns[0]),
        "cost_asset": list(columns[1]),
        "cost_region": list(columns[2]),
        "cost_component": list(columns[3]),
        "cost_krw_per_yr": np.asarray(value, float),
        "cost_period": [years[p] for p in columns[4]],
    })
    if data.pathway is None:
        df = df.drop(columns="cost_period")
    return df
