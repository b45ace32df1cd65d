"""Turn a solved model into one xarray Dataset (results + every input the LP used), in MW, MWh, KRW.

Every variable carries `units` and `description` attrs. Inputs are stored with an `input_` prefix so that
`model_data_from_dataset` can rebuild the exact LP from the file alone.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..model import units as U
from ..model.data import GENERATOR_COLUMNS, LINK_COLUMNS, STORAGE_COLUMNS, ModelData, TargetSettings

TIME_ATTRS = {"timezone": "Asia/Seoul (UTC+9, no DST)", "convention": "hour-beginning labels"}


def _da(values, dims, coords, units, description):
    return xr.DataArray(values, dims=dims, coords={d: coords[d] for d in dims}, attrs={"units": units, "description": description})


def _grid(frame: pd.DataFrame, techs, regions, values, fill=np.nan):
    """Scatter per-row values (rows of `frame`, optional trailing dims) onto a technology x region grid."""
    values = np.asarray(values, float)
    out = np.full((len(techs), len(regions)) + values.shape[1:], fill)
    ti = np.array([techs.index(t) for t in frame["technology"]], dtype=np.int64)
    ri = np.array([regions.index(r) for r in frame["region"]], dtype=np.int64)
    if len(ti):
        out[ti, ri] = values
    return out


def to_dataset(built, sol, scenario_name: str = "", attrs: dict | None = None) -> xr.Dataset:
    data: ModelData = built.data
    meta = built.meta
    T = data.n_time
    w = np.asarray(data.weight_h, float)
    regions = list(data.regions)
    gens = data.generators.reset_index(drop=True)
    st = data.storage.reset_index(drop=True)
    links = data.links.reset_index(drop=True)
    techs = list(dict.fromkeys(list(gens["technology"]) + list(st["technology"])))
    coords = {
        "time": xr.DataArray(data.time.values, dims="time", attrs=TIME_ATTRS),
        "region": regions,
        "technology": techs,
        "link": list(links["link"]),
    }
    v = sol.values
    P, E = 1.0 / U.POWER, 1.0 / U.ENERGY
    ds = xr.Dataset(coords=coords)
    ds = ds.assign_coords(
        region_kind=("region", [data.region_kind[r] for r in regions]),
        link_from=("link", list(links["from_region"])),
        link_to=("link", list(links["to_region"])),
    )

    # ---- generators -----------------------------------------------------------------------------
    G = len(gens)
    gen_new = np.zeros(G)
    if G:
        gen_new[meta["generators"]["expandable"]] = v["capacity_new"] * P
    gen_total = gens["existing_mw"].to_numpy(float) + gen_new
    dispatch = v["dispatch"] * P if G else np.zeros((0, T))
    available = data.availability * gen_total[:, None]
    curtail = np.where(gens["renewable"].to_numpy(bool)[:, None], np.maximum(available - dispatch, 0.0), 0.0)

    # ---- storage --------------------------------------------------------------------------------
    S = len(st)
    p_new, e_new = np.zeros(S), np.zeros(S)
    if S:
        p_new[meta["storage"]["power_expandable"]] = v["power_new"] * P
        e_new[meta["storage"]["energy_expandable"]] = v["energy_new"] * E
    dur = np.nan_to_num(st["fixed_duration_h"].to_numpy(float), nan=0.0) if S else np.zeros(0)
    p_exist = st["existing_mw"].to_numpy(float) if S else np.zeros(0)
    e_exist = np.where(dur > 0, dur * p_exist, st["existing_mwh"].to_numpy(float)) if S else np.zeros(0)
    e_new = np.where(dur > 0, dur * p_new, e_new)
    charge = v["charge"] * P if S else np.zeros((0, T))
    discharge = v["discharge"] * P if S else np.zeros((0, T))
    soc = v["soc"] * E if S else np.zeros((0, T))

    cap_exist = _grid(gens, techs, regions, gens["existing_mw"]) if G else np.full((len(techs), len(regions)), np.nan)
    cap_new = _grid(gens, techs, regions, gen_new)
    if S:
        cap_exist = np.where(np.isnan(cap_exist), _grid(st, techs, regions, p_exist), cap_exist)
        cap_new = np.where(np.isnan(cap_new), _grid(st, techs, regions, p_new), cap_new)
    ds["capacity_existing_mw"] = _da(cap_exist, ("technology", "region"), coords, "MW", "capacity built before the target year (power)")
    ds["capacity_new_mw"] = _da(cap_new, ("technology", "region"), coords, "MW", "capacity the model builds (power)")
    ds["capacity_total_mw"] = _da(cap_exist + cap_new, ("technology", "region"), coords, "MW", "existing + new capacity (power)")
    ds["energy_capacity_existing_mwh"] = _da(_grid(st, techs, regions, e_exist), ("technology", "region"), coords, "MWh", "existing storage energy capacity")
    ds["energy_capacity_new_mwh"] = _da(_grid(st, techs, regions, e_new), ("technology", "region"), coords, "MWh", "new storage energy capacity")
    ds["energy_capacity_total_mwh"] = ds["energy_capacity_existing_mwh"] + ds["energy_capacity_new_mwh"]
    ds["energy_capacity_total_mwh"].attrs = {"units": "MWh", "description": "existing + new storage energy capacity"}

    tr = ("technology", "region", "time")
    ds["dispatch_mw"] = _da(_grid(gens, techs, regions, dispatch), tr, coords, "MW", "generator output delivered to the regional balance")
    ds["available_mw"] = _da(_grid(gens, techs, regions, available), tr, coords, "MW", "capacity factor x total capacity")
    ds["curtailment_mw"] = _da(_grid(gens, techs, regions, curtail), tr, coords, "MW", "renewable output available but not used")
    ds["storage_charge_mw"] = _da(_grid(st, techs, regions, charge), tr, coords, "MW", "storage charging (drawn from the grid)")
    ds["storage_discharge_mw"] = _da(_grid(st, techs, regions, discharge), tr, coords, "MW", "storage discharging (fed to the grid)")
    ds["soc_mwh"] = _da(_grid(st, techs, regions, soc), tr, coords, "MWh",
                        "stored energy at the end of each snapshot (storage linked across typical periods: relative to "
                        "the start of the typical period; add soc_inter_mwh of the calendar period for the level)")
    if "soc_inter" in v:
        linked = st["inter_period"].to_numpy(bool)
        inter = np.full((S, v["soc_inter"].shape[1]), np.nan)
        inter[linked] = v["soc_inter"] * E
        ds = ds.assign_coords(period=np.arange(inter.shape[1]))
        coords["period"] = ds["period"]
        ds["soc_inter_mwh"] = _da(_grid(st, techs, regions, inter), ("technology", "region", "period"), coords, "MWh",
                                  "stored energy at the start of each original period (day) of the year")

    # ---- links ----------------------------------------------------------------------------------
    L = len(links)
    l_new = np.zeros(L)
    if L:
        l_new[meta["links"]["expandable"]] = v["link_new"] * P
    fwd = v["flow_forward"] * P if L else np.zeros((0, T))
    bwd = np.zeros((L, T))
    if L and len(meta["links"]["backward"]):
        bwd[meta["links"]["backward"]] = v["flow_backward"] * P
    eff = links["efficiency"].to_numpy(float) if L else np.zeros(0)
    ds["link_capacity_existing_mw"] = _da(links["existing_mw"].to_numpy(float), ("link",), coords, "MW", "existing transfer capacity")
    ds["link_capacity_new_mw"] = _da(l_new, ("link",), coords, "MW", "transfer capacity the model builds")
    ds["link_capacity_total_mw"] = _da(links["existing_mw"].to_numpy(float) + l_new, ("link",), coords, "MW", "existing + new transfer capacity")
    ds["flow_forward_mw"] = _da(fwd, ("link", "time"), coords, "MW", "flow from link_from to link_to, at the sending end")
    ds["flow_backward_mw"] = _da(bwd, ("link", "time"), coords, "MW", "flow from link_to to link_from, at the sending end")
    ds["flow_mw"] = _da(fwd - bwd, ("link", "time"), coords, "MW", "net flow (forward - backward), at the sending end")
    ds["link_loss_mw"] = _da((1 - eff)[:, None] * (fwd + bwd), ("link", "time"), coords, "MW", "energy lost on the link")

    # ---- nodes ----------------------------------------------------------------------------------
    honam = [r for r in regions if data.region_kind[r] != "export"]
    export = [r for r in regions if data.region_kind[r] == "export"]
    unserved = np.zeros((len(regions), T))
    absorbed = np.zeros((len(regions), T))
    if honam:
        unserved[[regions.index(r) for r in honam]] = v["unserved"] * P
    if export:
        absorbed[[regions.index(r) for r in export]] = v["absorbed"] * P
    ds["demand_mw"] = _da(data.demand_mw.to_numpy(float).T, ("region", "time"), coords, "MW", "electricity demand")
    ds["unserved_mw"] = _da(unserved, ("region", "time"), coords, "MW", "demand not served (priced at the value of lost load)")
    ds["exports_received_mw"] = _da(absorbed, ("region", "time"), coords, "MW", "energy arriving in an export region")
    bal_dual = sol.duals.get("power_balance")
    price = bal_dual / w[None, :] * U.PRICE_TO_KRW_PER_MWH if bal_dual is not None else np.full((len(regions), T), np.nan)
    ds["price_krw_per_mwh"] = _da(price, ("region", "time"), coords, "KRW/MWh", "marginal price: dual of the power balance per MWh")

    for name, label in (("renewable_target", "renewable target"), ("export_target", "export commitment")):
        d = sol.duals.get(name)
        val = float(d.ravel()[0]) * U.PRICE_TO_KRW_PER_MWH if d is not None else np.nan
        ds[f"{name}_shadow_price_krw_per_mwh"] = xr.DataArray(
            val, attrs={"units": "KRW/MWh", "description": f"cost of one more MWh of {label} (dual of its row)"}
        )
    for name in ("renewable_shortfall", "export_shortfall"):
        val = float(v[name].ravel()[0]) / U.ENERGY if name in v else 0.0
        ds[f"{name}_mwh"] = xr.DataArray(val, attrs={"units": "MWh", "description": f"{name.replace('_', ' ')} (priced slack)"})

    ds["weight_h"] = _da(w, ("time",), coords, "h", "hours of the year each snapshot stands for")
    costs = cost_table(data, meta, sol, gen_new, gen_total, dispatch, p_new, e_new, discharge, l_new, unserved)
    ds = ds.merge(costs.to_xarray().rename({"index": "cost_item"}))
    ds["cost_krw_per_yr"].attrs = {"units": "KRW/yr", "description": "annual cost item (asset, region, component)"}
    for col in ("cost_asset_kind", "cost_asset", "cost_region", "cost_component"):
        ds[col].attrs = {"units": "1", "description": col.replace("cost_", "") + " of each cost item"}
    ds = _add_inputs(ds, data, techs, coords)
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
    return ds


def cost_table(data, meta, sol, gen_new, gen_total, dispatch, p_new, e_new, discharge, l_new, unserved) -> pd.DataFrame:
    """Annual cost items [KRW/yr]: one row per asset, region and component."""
    w = np.asarray(data.weight_h, float)
    rows = []
    gens = data.generators.reset_index(drop=True)
    for i, g in gens.iterrows():
        energy = float(dispatch[i] @ w)
        rows += [
            ("generator", g.technology, g.region, "investment", gen_new[i] * g.capex_annual_krw_per_mw),
            ("generator", g.technology, g.region, "fixed_om", gen_total[i] * g.fom_krw_per_mw),
            ("generator", g.technology, g.region, "variable_and_purchase", energy * g.vom_krw_per_mwh),
            ("generator", g.technology, g.region, "carbon", energy * g.emission_t_per_mwh * data.carbon_price_krw_per_t),
        ]
    st = data.storage.reset_index(drop=True)
    for i, s in st.iterrows():
        dur = s.fixed_duration_h if np.isfinite(s.fixed_duration_h) and s.fixed_duration_h > 0 else 0.0
        e_exist = dur * s.existing_mw if dur else s.existing_mwh
        rows += [
            ("storage", s.technology, s.region, "investment", p_new[i] * s.capex_annual_krw_per_mw + e_new[i] * s.capex_annual_krw_per_mwh),
            ("storage", s.technology, s.region, "fixed_om", (s.existing_mw + p_new[i]) * s.fom_krw_per_mw + (e_exist + e_new[i]) * s.fom_krw_per_mwh),
            ("storage", s.technology, s.region, "variable_and_purchase", float(discharge[i] @ w) * s.vom_krw_per_mwh),
        ]
    links = data.links.reset_index(drop=True)
    for i, l in links.iterrows():
        rows += [
            ("link", l.link, l.from_region, "investment", l_new[i] * l.capex_annual_krw_per_mw),
            ("link", l.link, l.from_region, "fixed_om", (l.existing_mw + l_new[i]) * l.fom_krw_per_mw),
        ]
    for k, r in enumerate(data.regions):
        if data.region_kind[r] != "export":
            rows.append(("node", "unserved_energy", r, "value_of_lost_load", float(unserved[k] @ w) * data.value_of_lost_load_krw_per_mwh))
    tg = data.targets
    for name, pen in (("renewable_shortfall", tg.renewable_slack_krw_per_mwh), ("export_shortfall", tg.export_slack_krw_per_mwh)):
        if name in sol.values and pen is not None:
            rows.append(("target", name, "honam", "shortfall_penalty", float(sol.values[name].ravel()[0]) / U.ENERGY * pen))
    df = pd.DataFrame(rows, columns=["cost_asset_kind", "cost_asset", "cost_region", "cost_component", "cost_krw_per_yr"])
    return df


def _add_inputs(ds: xr.Dataset, data: ModelData, techs, coords) -> xr.Dataset:
    regions = list(data.regions)
    gens, st, links = data.generators, data.storage, data.links
    ds["input_capacity_factor"] = _da(_grid(gens, techs, regions, data.availability), ("technology", "region", "time"), coords, "1", "hourly availability per MW (capacity factor)")
    ds["input_duration_h"] = _da(np.asarray(data.duration_h, float), ("time",), coords, "h", "snapshot length")
    ds["input_block"] = _da(np.asarray(data.block, np.int64), ("time",), coords, "1", "storage cycles within each block")
    if data.period_order is not None:
        ds["input_period_order"] = xr.DataArray(np.asarray(data.period_order, np.int64), dims=("original_period",),
                                                attrs={"units": "1", "description": "typical period (block) standing for each original period, in calendar order"})
    ds["input_generator"] = _da(_grid(gens, techs, regions, np.ones(len(gens)), fill=0.0), ("technology", "region"), coords, "1", "1 where a generator row exists")
    ds["input_storage"] = _da(_grid(st, techs, regions, np.ones(len(st)), fill=0.0), ("technology", "region"), coords, "1", "1 where a storage row exists")
    for col, desc in GENERATOR_COLUMNS.items():
        if col in ("technology", "region"):
            continue
        ds[f"input_generator_{col}"] = _da(_grid(gens, techs, regions, gens[col].astype(float)), ("technology", "region"), coords, _unit(desc), desc)
    for col, desc in STORAGE_COLUMNS.items():
        if col in ("technology", "region"):
            continue
        ds[f"input_storage_{col}"] = _da(_grid(st, techs, regions, st[col].astype(float)), ("technology", "region"), coords, _unit(desc), desc)
    for col, desc in LINK_COLUMNS.items():
        if col in ("link", "from_region", "to_region"):
            continue
        ds[f"input_link_{col}"] = _da(links[col].astype(float).to_numpy(), ("link",), coords, _unit(desc), desc)
    tg = data.targets
    scalars = {
        "input_carbon_price_krw_per_t": (data.carbon_price_krw_per_t, "KRW/tCO2"),
        "input_value_of_lost_load_krw_per_mwh": (data.value_of_lost_load_krw_per_mwh, "KRW/MWh"),
        "input_renewable_share": (np.nan if tg.renewable_share is None else tg.renewable_share, "1"),
        "input_export_share": (np.nan if tg.export_share is None else tg.export_share, "1"),
        "input_deduct_storage_losses": (float(tg.deduct_storage_losses), "bool"),
        "input_deduct_transmission_losses": (float(tg.deduct_transmission_losses), "bool"),
        "input_renewable_slack_krw_per_mwh": (np.nan if tg.renewable_slack_krw_per_mwh is None else tg.renewable_slack_krw_per_mwh, "KRW/MWh"),
        "input_export_slack_krw_per_mwh": (np.nan if tg.export_slack_krw_per_mwh is None else tg.export_slack_krw_per_mwh, "KRW/MWh"),
    }
    for k, (val, unit) in scalars.items():
        ds[k] = xr.DataArray(float(val), attrs={"units": unit, "description": k[len("input_"):].replace("_", " ")})
    return ds


def _unit(desc: str) -> str:
    return desc[desc.rfind("[") + 1 : desc.rfind("]")] if "[" in desc else "1"


def model_data_from_dataset(ds: xr.Dataset) -> ModelData:
    """Rebuild the `ModelData` of a run from its `results.nc` (inverse of the `input_` variables)."""
    regions = [str(r) for r in ds["region"].values]
    kinds = dict(zip(regions, [str(k) for k in ds["region_kind"].values]))

    def rows(flag, cols):
        mask = ds[flag].values > 0
        ti, ri = np.nonzero(mask)
        frame = pd.DataFrame({"technology": ds["technology"].values[ti].astype(str), "region": ds["region"].values[ri].astype(str)})
        prefix = "input_generator_" if flag == "input_generator" else "input_storage_"
        for col in cols:
            if col in ("technology", "region"):
                continue
            frame[col] = ds[prefix + col].values[ti, ri]
        return frame, ti, ri

    gens, gti, gri = rows("input_generator", GENERATOR_COLUMNS)
    gens["renewable"] = gens["renewable"].astype(bool)
    st, _, _ = rows("input_storage", STORAGE_COLUMNS)
    st["inter_period"] = st["inter_period"].astype(bool)
    links = pd.DataFrame({"link": ds["link"].values.astype(str), "from_region": ds["link_from"].values.astype(str), "to_region": ds["link_to"].values.astype(str)})
    for col in LINK_COLUMNS:
        if col not in links:
            links[col] = ds[f"input_link_{col}"].values
    links["bidirectional"] = links["bidirectional"].astype(bool)

    def opt(name):
        val = float(ds[name].values)
        return None if np.isnan(val) else val

    targets = TargetSettings(
        renewable_share=opt("input_renewable_share"),
        export_share=opt("input_export_share"),
        deduct_storage_losses=bool(ds["input_deduct_storage_losses"].values),
        deduct_transmission_losses=bool(ds["input_deduct_transmission_losses"].values),
        renewable_slack_krw_per_mwh=opt("input_renewable_slack_krw_per_mwh"),
        export_slack_krw_per_mwh=opt("input_export_slack_krw_per_mwh"),
    )
    return ModelData(
        regions=regions,
        region_kind=kinds,
        time=pd.DatetimeIndex(ds["time"].values),
        weight_h=ds["weight_h"].values.astype(float),
        duration_h=ds["input_duration_h"].values.astype(float),
        block=ds["input_block"].values.astype(np.int64),
        demand_mw=pd.DataFrame(ds["demand_mw"].values.T, columns=regions),
        generators=gens,
        availability=ds["input_capacity_factor"].values[gti, gri],
        storage=st,
        links=links,
        carbon_price_krw_per_t=float(ds["input_carbon_price_krw_per_t"].values),
        value_of_lost_load_krw_per_mwh=float(ds["input_value_of_lost_load_krw_per_mwh"].values),
        targets=targets,
        name=str(ds.attrs.get("scenario", "model")),
        period_order=ds["input_period_order"].values if "input_period_order" in ds else None,
    )
