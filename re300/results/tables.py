"""Tidy CSV tables (one number per row, with its unit) and the headline summary, from the results Dataset.

Only the Dataset is read here, so the same tables can be rebuilt from any `results.nc`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr


def _w(ds):
    return ds["weight_h"]


def annual(da: xr.DataArray, ds: xr.Dataset) -> xr.DataArray:
    """Weighted annual energy [MWh] of a power series [MW] over time."""
    return (da * _w(ds)).sum("time", min_count=1)


def capacity_table(ds: xr.Dataset) -> pd.DataFrame:
    rows = []
    for kind, prefix, unit in (("power", "capacity", "MW"), ("energy", "energy_capacity", "MWh")):
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
    """Per region and snapshot: demand, dispatch by technology, storage, imports/exports, curtailment [MW]."""
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
    link_loss = float(annual(ds["link_loss_mw"], ds).sum())
    counted = re_gen
    if float(ds["input_deduct_storage_losses"]) > 0:
        counted -= storage_loss
    if float(ds["input_deduct_transmission_losses"]) > 0:
        counted -= link_loss
    nonre = float(gen.where(~renewable).sum())
    emissions = float((gen * ds["input_generator_emission_t_per_mwh"]).where(~renewable).sum())
    exports = float(annual(ds["exports_received_mw"], ds).sum())
    unserved = float(annual(ds["unserved_mw"], ds).sum())
    is_penalty = ds["cost_asset_kind"] == "target"
    penalty = float(ds["cost_krw_per_yr"].where(is_penalty).sum())
    total_cost = float(ds["cost_krw_per_yr"].where(~is_penalty).sum())
    out = {
        # the real annual cost of the plan; target shortfall penalties are reported apart (they are not a cost
        # anybody pays, only the price that made the LP prefer meeting the target)
        "total_system_cost": (total_cost, "KRW/yr"),
        "shortfall_penalty": (penalty, "KRW/yr"),
        "objective": (total_cost + penalty, "KRW/yr"),
        "average_cost_per_mwh_demand": (total_cost / consumption if consumption else np.nan, "KRW/MWh"),
        "honam_consumption": (consumption, "MWh/yr"),
        "renewable_generation": (re_gen, "MWh/yr"),
        "renewable_counted": (counted, "MWh/yr"),
        "renewable_ratio": (counted / consumption if consumption else np.nan, "fraction of consumption"),
        "renewable_target_ratio": (float(ds["input_renewable_share"]), "fraction of consumption"),
        "renewable_available": (available, "MWh/yr"),
        "curtailment": (curtailed, "MWh/yr"),
        "curtailment_share": (curtailed / available if available else np.nan, "fraction of available renewable energy"),
        "exports_delivered": (exports, "MWh/yr"),
        "export_ratio": (exports / consumption if consumption else np.nan, "fraction of consumption"),
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
    return out


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


TABLES = {
    "capacity.csv": capacity_table,
    "energy.csv": energy_table,
    "costs.csv": cost_table,
    "transmission.csv": transmission_table,
    "prices.csv": price_table,
    "hourly.csv": hourly_table,
    "summary.csv": summary_table,
}
