"""Tidy CSV tables (one number per row, with its unit) and the headline summary, from the results Dataset.

Only the Dataset is read here, so the same tables can be rebuilt from any `results.nc`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .deliverability import deliverability_summary


def _w(ds):
    return ds["weight_h"]


def annual(da: xr.DataArray, ds: xr.Dataset) -> xr.DataArray:
    """Weighted annual energy [MWh] of a power series [MW] over time."""
    return (da * _w(ds)).sum("time", min_count=1)


def capacity_table(ds: xr.Dataset) -> pd.DataFrame:
    rows = []
    for kind, prefix, unit in (("power", "capacity", "MW"), ("energy", "energy_capacity", "MWh"),
                               ("charge_power", "charge_capacity", "MW")):
        if f"{prefix}_total_{unit.lower()}" not in ds:  # charging power sized on its own (hydrogen) only
            continue
        ex, new, tot = (ds[f"{prefix}_{q}_{unit.lower()}"] for q in ("existing", "new", "total"))
        for t in ds.technology.values:
            for r in ds.region.values:
                e = float(ex.sel(technology=t, region=r))
                if np.isnan(e):
                    continue
                rows.append((str(r), str(t), kind, e, float(new.sel(technology=t, region=r)), float(tot.sel(technology=t, region=r)), unit))
    return pd.DataFrame(rows, columns=["region", "technology", "kind", "existing", "new", "total", "unit"])


def energy_table(ds: xr.Dataset) -> pd.DataFrame:
    """Annual energy per region and technology [MWh]."""
    q = {
        "generation": ds["dispatch_mw"],
        "available": ds["available_mw"],
        "curtailment": ds["curtailment_mw"],
        "storage_charge": ds["storage_charge_mw"],
        "storage_discharge": ds["storage_discharge_mw"],
    }
    rows = []
    for name, da in q.items():
        a = annual(da, ds)
        for t in ds.technology.values:
            for r in ds.region.values:
                val = float(a.sel(technology=t, region=r))
                if not np.isnan(val):
                    rows.append((str(r), str(t), name, val, "MWh"))
    for name, da in (("demand", ds["demand_mw"]), ("unserved", ds["unserved_mw"]), ("exports_received", ds["exports_received_mw"])):
        a = annual(da, ds)
        for r in ds.region.values:
            rows.append((str(r), "all", name, float(a.sel(region=r)), "MWh"))
    return pd.DataFrame(rows, columns=["region", "technology", "quantity", "value", "unit"])


def cost_table(ds: xr.Dataset) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "asset_kind": ds["cost_asset_kind"].values.astype(str),
            "asset": ds["cost_asset"].values.astype(str),
            "region": ds["cost_region"].values.astype(str),
            "component": ds["cost_component"].values.astype(str),
            "value": ds["cost_krw_per_yr"].values.astype(float),
        }
    )
    df["unit"] = "KRW/yr"
    return df


def transmission_table(ds: xr.Dataset) -> pd.DataFrame:
    rows = []
    fwd, bwd, loss = annual(ds["flow_forward_mw"], ds), annual(ds["flow_backward_mw"], ds), annual(ds["link_loss_mw"], ds)
    hours = float(ds["weight_h"].sum())
    for l in ds.link.values:
        base = (str(l), str(ds["link_from"].sel(link=l).values), str(ds["link_to"].sel(link=l).values))
        total = float(ds["link_capacity_total_mw"].sel(link=l))
        sent = float(fwd.sel(link=l) + bwd.sel(link=l))
        for q, val, unit in (
            ("capacity_existing", float(ds["link_capacity_existing_mw"].sel(link=l)), "MW"),
            ("capacity_new", float(ds["link_capacity_new_mw"].sel(link=l)), "MW"),
            ("capacity_total", total, "MW"),
            ("energy_forward", float(fwd.sel(link=l)), "MWh"),
            ("energy_backward", float(bwd.sel(link=l)), "MWh"),
            ("losses", float(loss.sel(link=l)), "MWh"),
            ("utilisation", sent / (total * hours) if total > 0 else np.nan, "fraction"),
        ):
            rows.append(base + (q, val, unit))
    return pd.DataFrame(rows, columns=["link", "from_region", "to_region", "quantity", "value", "unit"])


def price_table(ds: xr.Dataset) -> pd.DataFrame:
    p = ds["price_krw_per_mwh"].to_dataframe().reset_index()[["time", "region", "price_krw_per_mwh"]]
    p = p.rename(columns={"price_krw_per_mwh": "value"})
    p["weight_h"] = p["time"].map(dict(zip(ds["time"].values, ds["weight_h"].values)))
    p["unit"] = "KRW/MWh"
    return p


def hourly_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per region and snapshot: demand, dispatch by technology, storage, imports/exports, curtailment [MW], with the
    hours of the year the snapshot stands for (`weight_h`). The rows are the LP's snapshots, not calendar hours: on
    representative days a snapshot is one segment of a typical day; calendar.csv maps every hour of the year to one."""
    frames = []

    def add(da, quantity, tech_dim=True):
        df = da.to_dataframe(name="value").reset_index()
        if tech_dim:
            df = df.dropna(subset=["value"])
            df["quantity"] = quantity + ":" + df["technology"].astype(str)
        else:
            df["quantity"] = quantity
        frames.append(df[["time", "region", "quantity", "value"]])

    add(ds["dispatch_mw"], "dispatch")
    add(ds["curtailment_mw"].where(ds["input_generator_renewable"] > 0), "curtailment")
    add(ds["storage_charge_mw"], "charge")
    add(ds["storage_discharge_mw"], "discharge")
    add(ds["demand_mw"], "demand", False)
    add(ds["unserved_mw"], "unserved", False)
    add(ds["exports_received_mw"], "exports_received", False)
    net = net_import_mw(ds)
    add(net, "net_import", False)
    out = pd.concat(frames, ignore_index=True)
    out["weight_h"] = out["time"].map(dict(zip(ds["time"].values, ds["weight_h"].values)))
    out["unit"] = "MW"
    return out


def net_import_mw(ds: xr.Dataset) -> xr.DataArray:
    """Energy arriving in each region minus energy sent from it over links [MW] (after losses on arrival)."""
    eff = ds["input_link_efficiency"]
    fwd, bwd = ds["flow_forward_mw"], ds["flow_backward_mw"]
    out = xr.zeros_like(ds["demand_mw"])
    for l in ds.link.values:
        a, b = str(ds["link_from"].sel(link=l).values), str(ds["link_to"].sel(link=l).values)
        f, k, e = fwd.sel(link=l, drop=True), bwd.sel(link=l, drop=True), float(eff.sel(link=l))
        out.loc[dict(region=a)] += e * k - f
        out.loc[dict(region=b)] += e * f - k
    out.attrs = {"units": "MW", "description": "net import over links"}
    return out


CREDIT_COMPONENTS = ("displaced_generation", "product_sales")  # negative cost items: value created, not spent


def export_flows(ds: xr.Dataset) -> dict[str, float]:
    """Annual energy [MWh/yr] across Honam's border: net and gross delivery to export regions, imports, products
    sold out of storage, what the export commitment counts, and non-renewable energy entering Honam beyond its
    served load (hour by hour)."""
    w = ds["weight_h"]
    kind = {str(r): str(k) for r, k in zip(ds["region"].values, ds["region_kind"].values)}
    frm = [kind[str(r)] for r in ds["link_from"].values]
    to = [kind[str(r)] for r in ds["link_to"].values]
    eff = ds["input_link_efficiency"]
    out_mask = xr.DataArray([a == "honam" and b == "export" for a, b in zip(frm, to)], dims="link")
    in_mask = xr.DataArray([a == "export" and b == "honam" for a, b in zip(frm, to)], dims="link")
    fwd, bwd = ds["flow_forward_mw"], ds["flow_backward_mw"]
    gross = (eff * fwd).where(out_mask, 0.0).sum("link")
    back = bwd.where(out_mask, 0.0).sum("link")
    imports_mw = ((eff * bwd).where(out_mask, 0.0) + (eff * fwd).where(in_mask, 0.0)).sum("link")
    sold_mw = ds["storage_sold_mw"].fillna(0.0) if "storage_sold_mw" in ds else xr.zeros_like(w)
    sold_e = (sold_mw / ds["input_storage_efficiency_charge"]).fillna(0.0).sum(("technology", "region")) if "storage_sold_mw" in ds else xr.zeros_like(w)
    sold_mw = sold_mw.sum(("technology", "region")) if "storage_sold_mw" in ds else sold_mw
    counts = "input_sales_count_as_export" in ds and float(ds["input_sales_count_as_export"]) > 0
    honam = ds.region_kind == "honam"
    renewable = ds["input_generator_renewable"] > 0
    nonre_in = ds["dispatch_mw"].where(~renewable & honam, 0.0).sum(("technology", "region")) + imports_mw
    served = (ds["demand_mw"] - ds["unserved_mw"]).where(honam, 0.0).sum("region")
    return {
        "exports_delivered": float(((gross - back) * w).sum()),
        "exports_gross": float((gross * w).sum()),
        "imports": float((imports_mw * w).sum()),
        "sold": float((sold_mw * w).sum()),
        "sold_electricity": float((sold_e * w).sum()),
        "counted": float(((gross - back + (sold_e if counts else 0.0)) * w).sum()),
        "nonrenewable_beyond_load": float(((nonre_in - served).clip(min=0.0) * w).sum()),
    }


def summary(ds: xr.Dataset) -> dict[str, tuple[float, str]]:
    """Headline figures: metric -> (value, unit)."""
    honam = ds.region_kind == "honam"
    w = ds["weight_h"]
    consumption = float((ds["demand_mw"].where(honam) * w).sum())
    renewable = ds["input_generator_renewable"] > 0
    gen = annual(ds["dispatch_mw"], ds)
    re_gen = float(gen.where(renewable).sum())
    available = float(annual(ds["available_mw"], ds).where(renewable).sum())
    curtailed = float(annual(ds["curtailment_mw"], ds).where(renewable).sum())
    storage_loss = float(annual(ds["storage_charge_mw"] - ds["storage_discharge_mw"], ds).sum())
    if "storage_sold_mw" in ds:  # what left as a product (hydrogen sold) is not a loss
        storage_loss -= float(annual((ds["storage_sold_mw"] / ds["input_storage_efficiency_charge"]).fillna(0.0), ds).sum())
    link_loss = float(annual(ds["link_loss_mw"], ds).sum())
    counted = re_gen
    if float(ds["input_deduct_storage_losses"]) > 0:
        counted -= storage_loss
    if float(ds["input_deduct_transmission_losses"]) > 0:
        counted -= link_loss
    nonre = float(gen.where(~renewable).sum())
    emissions = float((gen * ds["input_generator_emission_t_per_mwh"]).where(~renewable).sum())
    flows = export_flows(ds)
    exports = flows["exports_delivered"]
    unserved = float(annual(ds["unserved_mw"], ds).sum())
    is_penalty = ds["cost_asset_kind"] == "target"
    is_credit = ds["cost_component"].isin(list(CREDIT_COMPONENTS))
    penalty = float(ds["cost_krw_per_yr"].where(is_penalty).sum())
    total_cost = float(ds["cost_krw_per_yr"].where(~is_penalty & ~is_credit).sum())
    credits = {c: -float(ds["cost_krw_per_yr"].where(ds["cost_component"] == c).sum()) for c in CREDIT_COMPONENTS}
    net_cost = total_cost - sum(credits.values())
    delivered = consumption + exports + flows["sold_electricity"]
    out = {
        # the real annual cost of the plan; target shortfall penalties are reported apart (they are not a cost
        # anybody pays, only the price that made the LP prefer meeting the target)
        "total_system_cost": (total_cost, "KRW/yr (gross: every cost of Honam's supply, exports and firm capacity)"),
        "displaced_generation_value": (credits["displaced_generation"],
                                       "KRW/yr (fuel and carbon of the generation the export regions no longer run)"),
        "product_sales_revenue": (credits["product_sales"], "KRW/yr (hydrogen sold to industry)"),
        "net_system_cost": (net_cost, "KRW/yr (total system cost minus the two above)"),
        "shortfall_penalty": (penalty, "KRW/yr"),
        "objective": (net_cost + penalty, "KRW/yr"),
        # per MWh delivered: the plan serves Honam demand, delivers the exports and makes the hydrogen sold (in MWh of
        # the electricity behind it) — the headline cost metric
        "average_cost_per_mwh_delivered": (total_cost / delivered if delivered else np.nan,
                                           "KRW/MWh delivered (Honam demand + exports delivered + electricity for "
                                           "hydrogen sold)"),
        "net_cost_per_mwh_delivered": (net_cost / delivered if delivered else np.nan,
                                       "KRW/MWh delivered, after the value of what exports and hydrogen displace"),
        "average_cost_per_mwh_demand": (total_cost / consumption if consumption else np.nan,
                                        "KRW/MWh of Honam demand (the whole cost, exports included, over Honam demand)"),
        "honam_consumption": (consumption, "MWh/yr"),
        "renewable_generation": (re_gen, "MWh/yr"),
        "renewable_counted": (counted, "MWh/yr"),
        "renewable_ratio": (counted / consumption if consumption else np.nan, "fraction of consumption"),
        "renewable_target_ratio": (float(ds["input_renewable_share"]), "fraction of consumption"),
        "renewable_available": (available, "MWh/yr"),
        "curtailment": (curtailed, "MWh/yr"),
        "curtailment_share": (curtailed / available if available else np.nan, "fraction of available renewable energy"),
        "exports_delivered": (exports, "MWh/yr (net: delivered to export regions minus taken back over two-way routes)"),
        "exports_gross": (flows["exports_gross"], "MWh/yr (arriving in export regions)"),
        "imports_from_export_regions": (flows["imports"], "MWh/yr (national grid power arriving in Honam)"),
        "hydrogen_sold": (flows["sold"], "MWh/yr of hydrogen (LHV)"),
        "hydrogen_sold_electricity": (flows["sold_electricity"], "MWh/yr of electricity that made it"),
        "exports_counted": (flows["counted"], "MWh/yr (what the export commitment counts)"),
        "export_ratio": (flows["counted"] / consumption if consumption else np.nan, "fraction of consumption"),
        "nonrenewable_beyond_honam_load": (flows["nonrenewable_beyond_load"],
                                           "MWh/yr (non-renewable energy entering Honam beyond its served load: "
                                           "0 with renewable-only exports)"),
        "export_target_ratio": (float(ds["input_export_share"]), "fraction of consumption"),
        "nonrenewable_supply": (nonre, "MWh/yr"),
        "emissions": (emissions, "tCO2/yr"),
        "storage_losses": (storage_loss, "MWh/yr"),
        "transmission_losses": (link_loss, "MWh/yr"),
        "unserved_energy": (unserved, "MWh/yr"),
        "renewable_shortfall": (float(ds["renewable_shortfall_mwh"]), "MWh/yr"),
        "export_shortfall": (float(ds["export_shortfall_mwh"]), "MWh/yr"),
        "renewable_target_shadow_price": (float(ds["renewable_target_shadow_price_krw_per_mwh"]), "KRW/MWh"),
        "export_target_shadow_price": (float(ds["export_target_shadow_price_krw_per_mwh"]), "KRW/MWh"),
        "average_price_honam": (
            float((ds["price_krw_per_mwh"] * ds["demand_mw"] * w).where(honam).sum() / consumption) if consumption else np.nan,
            "KRW/MWh (demand-weighted)",
        ),
    }
    if "re100_load_mw" in ds:
        out.update(re100_summary(ds))
    out.update(deliverability_summary(ds))
    return out


def re100_summary(ds: xr.Dataset) -> dict[str, tuple[float, str]]:
    """RE100 loads (re300.model.re100): their energy, how much of it the Honam renewable pool matches hour by hour
    (min(load, pool) per snapshot; the score is that over the load), and the unmatched hourly-matched load."""
    w = ds["weight_h"]
    load = ds["re100_load_mw"].sum("re100_load")
    hourly = ds["re100_load_mw"].where(ds["re100_load_matching"] == "hourly").sum("re100_load")
    energy = float((load * w).sum())
    matched = float((np.minimum(load, ds["re100_pool_mw"].clip(min=0.0)) * w).sum())
    return {
        "re100_load": (energy, "MWh/yr"),
        "re100_hourly_matched_load": (float((hourly * w).sum()), "MWh/yr"),
        "re100_matched_energy": (matched, "MWh/yr"),
        "re100_matching_score": (matched / energy if energy else np.nan, "fraction of RE100 load met by Honam renewable supply in the same hour"),
        "re100_unmatched_hourly_load": (float((ds["re100_shortfall_mw"] * w).sum()), "MWh/yr"),
    }


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    return pd.DataFrame([(k, v, u) for k, (v, u) in summary(ds).items()], columns=["metric", "value", "unit"])


def energy_balance_residual(ds: xr.Dataset) -> xr.DataArray:
    """Per region and snapshot [MW]: supply + discharge + net import + unserved − demand − charge − exports received.

    Zero (to solver tolerance) in every region and hour when the outputs are consistent.
    """
    supply = ds["dispatch_mw"].sum("technology", min_count=1).fillna(0.0)
    dis = ds["storage_discharge_mw"].sum("technology").fillna(0.0)
    ch = ds["storage_charge_mw"].sum("technology").fillna(0.0)
    return supply + dis - ch + net_import_mw(ds) + ds["unserved_mw"] - ds["exports_received_mw"] - ds["demand_mw"]


def capacity_trajectory_table(ds: xr.Dataset) -> pd.DataFrame:
    """Pathway runs: per period, region, technology and kind, the capacity in service before the pathway
    (`existing`), the model's builds in service (`new`), commissioned in the period (`built`), retired since the
    previous period (`retired`: existing assets and builds at the end of their life) and `total` in service.
    Links appear with technology = link name, region = sending region, kind `transfer`."""
    rows = []
    years = [int(y) for y in ds["period"].values]
    for kind, prefix, unit in (("power", "capacity", "MW"), ("energy", "energy_capacity", "MWh"),
                               ("charge_power", "charge_capacity", "MW")):
        u = unit.lower()
        if f"{prefix}_total_{u}" not in ds:
            continue
        ex, new, built, ret, tot = (ds[f"{prefix}_{q}_{u}"].values for q in ("existing", "new", "built", "retired", "total"))
        for ti, t in enumerate(ds.technology.values):
            for ri, r in enumerate(ds.region.values):
                if np.isnan(ex[ti, ri]).all():
                    continue
                for pi, y in enumerate(years):
                    rows.append((y, str(r), str(t), kind, ex[ti, ri, pi], new[ti, ri, pi], built[ti, ri, pi], ret[ti, ri, pi],
                                 tot[ti, ri, pi], unit))
    for li, l in enumerate(ds.link.values):
        origin = str(ds["link_from"].values[li])
        for pi, y in enumerate(years):
            rows.append((y, origin, str(l), "transfer", float(ds["link_capacity_existing_mw"].values[li, pi]),
                         float(ds["link_capacity_new_mw"].values[li, pi]), float(ds["link_capacity_built_mw"].values[li, pi]),
                         float(ds["link_capacity_retired_mw"].values[li, pi]), float(ds["link_capacity_total_mw"].values[li, pi]), "MW"))
    return pd.DataFrame(rows, columns=["period", "region", "technology", "kind", "existing", "new", "built", "retired",
                                       "total", "unit"])


def pathway_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Pathway-wide rows of summary.csv (period 'all'): present values at the base year of the system cost, the
    shortfall penalty and the objective (Σ_p W_p × annual cost of period p), and each period's weight W_p."""
    W = dict(zip((int(y) for y in ds["period"].values), ds["period_objective_weight"].values.astype(float)))
    weight = np.array([W[int(y)] for y in ds["cost_period"].values])
    cost = ds["cost_krw_per_yr"].values.astype(float) * weight
    penalty = ds["cost_asset_kind"].values.astype(str) == "target"
    base = int(ds.attrs.get("pathway_base_year", 0))
    rows = [("all", "discounted_total_system_cost", float(cost[~penalty].sum()), f"KRW (present value in {base})"),
            ("all", "discounted_shortfall_penalty", float(cost[penalty].sum()), f"KRW (present value in {base})"),
            ("all", "discounted_objective", float(cost.sum()), f"KRW (present value in {base})"),
            ("all", "discount_rate", float(ds.attrs.get("pathway_discount_rate", np.nan)), "fraction/yr")]
    rows += [(y, "period_objective_weight", w, "discounted years (W_p)") for y, w in W.items()]
    return pd.DataFrame(rows, columns=["period", "metric", "value", "unit"])


BUILD_RATE_BINDING_REL_TOL = 1e-6


def build_rate_binding(ds: xr.Dataset) -> pd.DataFrame:
    """Build-rate limits at their bound (pathway runs): rows period, kind 'build_rate_limit', name (technologies),
    region (regions), value (capacity built in the period), limit (rate x build interval), unit, status (where the
    rate comes from)."""
    cols = ["period", "kind", "name", "region", "value", "limit", "unit", "status"]
    if "build_limit" not in ds.coords:
        return pd.DataFrame(columns=cols)
    rows = []
    interval = ds["input_period_build_interval_yr"].values.astype(float)
    techs = [str(t) for t in ds["technology"].values]
    regions = [str(r) for r in ds["region"].values]
    for k in range(ds.sizes["build_limit"]):
        frame = str(ds["input_build_limit_frame"].values[k])
        t_set = str(ds["input_build_limit_technologies"].values[k]).split("+")
        r_set = str(ds["input_build_limit_regions"].values[k]).split("+")
        flag = ds["input_generator" if frame == "generators" else "input_storage"].values > 0
        ti = [techs.index(t) for t in t_set if t in techs]
        ri = [regions.index(r) for r in r_set if r in regions]
        built = np.nan_to_num(ds["capacity_built_mw"].values)[np.ix_(ti, ri)] * flag[np.ix_(ti, ri)][..., None]
        rate = float(ds["input_build_limit_max_mw_per_yr"].values[k])
        status = str(ds["input_build_limit_status"].values[k]) if "input_build_limit_status" in ds else ""
        for p, y in enumerate(ds["period"].values):
            value, limit = float(built[..., p].sum()), rate * interval[p]
            if limit > 0 and value >= limit * (1 - BUILD_RATE_BINDING_REL_TOL) - 1e-3:
                rows.append((int(y), "build_rate_limit", "+".join(t_set), "+".join(r_set), value, limit, "MW", status))
    return pd.DataFrame(rows, columns=cols)


def by_period(ds: xr.Dataset, tables_of) -> dict[str, pd.DataFrame]:
    """The tables of a pathway run: `tables_of(view)` (e.g. TABLES, or every CSV of a run) for each period's
    view (re300.results.rebuild.period_view), stacked with a leading `period` column; summary.csv gains the
    pathway-wide rows and capacity_trajectory.csv is added."""
    from .rebuild import period_view

    stacked: dict[str, list] = {}
    for y in (int(v) for v in ds["period"].values):
        for name, frame in tables_of(period_view(ds, y)).items():
            frame = frame.copy()
            frame.insert(0, "period", y)
            stacked.setdefault(name, []).append(frame)
    out = {name: pd.concat(frames, ignore_index=True) for name, frames in stacked.items()}
    if "binding_limits.csv" in out:
        rate = build_rate_binding(ds)
        if len(rate):
            out["binding_limits.csv"] = pd.concat([out["binding_limits.csv"], rate], ignore_index=True).sort_values(
                "period", kind="stable").reset_index(drop=True)
    if "summary.csv" in out:
        out["summary.csv"] = pd.concat([out["summary.csv"], pathway_summary(ds)], ignore_index=True)
    out["capacity_trajectory.csv"] = capacity_trajectory_table(ds)
    return out


from .calendar import calendar_table, storage_level_table  # noqa: E402  (calendar imports nothing from here)

TABLES = {
    "capacity.csv": capacity_table,
    "energy.csv": energy_table,
    "costs.csv": cost_table,
    "transmission.csv": transmission_table,
    "prices.csv": price_table,
    "hourly.csv": hourly_table,
    "summary.csv": summary_table,
    "calendar.csv": calendar_table,
    "storage_level.csv": storage_level_table,
}
