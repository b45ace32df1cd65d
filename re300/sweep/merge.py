"""Merge the members of a sweep into one dataset with a `scenario` (member) dimension, a tidy summary and figures.

Only quantities that compare across members are merged: capacities (MW, MWh), annual energies (MWh/yr, weighted
by each member's own snapshot weights), cost items (KRW/yr, by asset, region and component), the headline summary
(each member's own summary.csv), target shadow prices and time-weighted mean marginal prices per region. Hourly
series are added only when every member has the same snapshots and weights. Each swept parameter becomes a
coordinate along `scenario` named by its dotted key (numbers as numbers, anything else as YAML text).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from re300.atomic import write_atomic
from re300.results.tables import annual

from .spec import flow_text, get_dotted

CAPACITIES = (
    "capacity_existing_mw", "capacity_new_mw", "capacity_total_mw",
    "energy_capacity_existing_mwh", "energy_capacity_new_mwh", "energy_capacity_total_mwh",
    "charge_capacity_existing_mw", "charge_capacity_new_mw", "charge_capacity_total_mw",
    "link_capacity_existing_mw", "link_capacity_new_mw", "link_capacity_total_mw",
    "renewable_target_shadow_price_krw_per_mwh", "export_target_shadow_price_krw_per_mwh",
    "renewable_shortfall_mwh", "export_shortfall_mwh",
)
ANNUAL_ENERGIES = {  # merged name: (hourly variable, description)
    "generation_mwh_per_yr": ("dispatch_mw", "annual generation delivered to the regional balance"),
    "available_mwh_per_yr": ("available_mw", "annual available output (capacity factor x capacity)"),
    "curtailment_mwh_per_yr": ("curtailment_mw", "annual renewable output available but not used"),
    "storage_charge_mwh_per_yr": ("storage_charge_mw", "annual storage charging"),
    "storage_discharge_mwh_per_yr": ("storage_discharge_mw", "annual storage discharging"),
    "demand_mwh_per_yr": ("demand_mw", "annual demand"),
    "unserved_mwh_per_yr": ("unserved_mw", "annual unserved demand"),
    "exports_received_mwh_per_yr": ("exports_received_mw", "annual energy arriving in an export region"),
    "link_energy_forward_mwh_per_yr": ("flow_forward_mw", "annual flow from link_from to link_to (sending end)"),
    "link_energy_backward_mwh_per_yr": ("flow_backward_mw", "annual flow from link_to to link_from (sending end)"),
    "link_losses_mwh_per_yr": ("link_loss_mw", "annual energy lost on the link"),
}
HOURLY = ("dispatch_mw", "curtailment_mw", "storage_charge_mw", "storage_discharge_mw", "soc_mwh", "flow_mw",
          "demand_mw", "unserved_mw", "exports_received_mw", "price_krw_per_mwh", "weight_h")
FACTOR_DEFAULT = 1.0  # capex/potential/region factors not set in a scenario multiply by 1 (re300.run)


def member_dataset(results_nc: Path, hourly: bool = False) -> xr.Dataset:
    """The comparable part of one member's results.nc."""
    with xr.open_dataset(results_nc, engine="h5netcdf") as full:
        ds = full.load()
    out = xr.Dataset()
    for name in CAPACITIES:
        if name in ds:  # (charge capacity: runs written before storage had a separate charging side lack it)
            out[name] = ds[name]
    for name, (src, desc) in ANNUAL_ENERGIES.items():
        out[name] = annual(ds[src], ds)
        out[name].attrs = {"units": "MWh/yr", "description": desc}
    w = ds["weight_h"]
    out["price_mean_krw_per_mwh"] = (ds["price_krw_per_mwh"] * w).sum("time") / w.sum()
    out["price_mean_krw_per_mwh"].attrs = {"units": "KRW/MWh", "description": "time-weighted mean marginal price"}
    labels = [f"{k}|{a}|{r}|{c}" for k, a, r, c in zip(ds["cost_asset_kind"].values, ds["cost_asset"].values,
                                                       ds["cost_region"].values, ds["cost_component"].values)]
    cost = xr.DataArray(ds["cost_krw_per_yr"].values, dims="cost_item", coords={"cost_item": labels},
                        attrs=ds["cost_krw_per_yr"].attrs)
    out["cost_krw_per_yr"] = cost
    for c in ("asset_kind", "asset", "region", "component"):
        out.coords[f"cost_{c}"] = ("cost_item", ds[f"cost_{c}"].values.astype(str))
    table = pd.read_csv(results_nc.parent / "summary.csv")  # exactly the member's own headline figures
    out["summary_value"] = xr.DataArray(table["value"].to_numpy(float), dims="metric", coords={"metric": table["metric"].astype(str).tolist()},
                                        attrs={"description": "the member's summary.csv (units in metric_unit)"})
    out.attrs["metric_units"] = json.dumps(dict(zip(table["metric"].astype(str), table["unit"].astype(str))))
    if hourly:
        for name in HOURLY:
            out[name] = ds[name]
    out = out.drop_vars([c for c in ("region_kind", "link_from", "link_to") if c in out.coords])
    out.coords["region_kind"] = ("region", ds["region_kind"].values.astype(str))
    out.coords["link_from"] = ("link", ds["link_from"].values.astype(str))
    out.coords["link_to"] = ("link", ds["link_to"].values.astype(str))
    out.attrs.update({"input_hash": ds.attrs.get("input_hash", ""), "solver_status": ds.attrs.get("solver_status", "")})
    return out


def _same_horizon(paths: list[Path]) -> bool:
    first = None
    for p in paths:
        with xr.open_dataset(p, engine="h5netcdf") as ds:
            key = (ds["time"].values.copy(), ds["weight_h"].values.copy())
        if first is None:
            first = key
        elif not (np.array_equal(first[0], key[0]) and np.array_equal(first[1], key[1])):
            return False
    return True


def parameter_value(resolved: dict, key: str):
    """The value of a swept key in a member's resolved scenario (unset factor entries are 1.0; other unset entries None)."""
    v = get_dotted(resolved, key)
    if v is None and key.count(".") >= 2 and key.split(".")[-2].endswith(("_factor", "_factors")):
        return FACTOR_DEFAULT
    return v


def _as_coord(values: list):
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) or v is None for v in values)
    if numeric and any(v is not None for v in values):
        return np.array([np.nan if v is None else float(v) for v in values])
    return np.array(["" if v is None else flow_text(v) for v in values])


def merge_members(names: list[str], run_dirs: list[Path], keys: list[str], attrs: dict | None = None) -> xr.Dataset:
    """One dataset with a `scenario` dimension from the members' output folders."""
    paths = [Path(d) / "results.nc" for d in run_dirs]
    hourly = _same_horizon(paths)
    parts = [member_dataset(p, hourly) for p in paths]
    merged = xr.concat(parts, dim=pd.Index(names, name="scenario"), join="outer", coords="minimal", compat="override",
                       combine_attrs="drop", data_vars="all")
    merged["member_input_hash"] = ("scenario", [p.attrs["input_hash"] for p in parts])
    units: dict[str, str] = {}
    for p in parts:
        units.update(json.loads(p.attrs["metric_units"]))
    merged.coords["metric_unit"] = ("metric", [units[m] for m in merged["metric"].values.tolist()])
    resolved = [json.loads((Path(d) / "manifest.json").read_text(encoding="utf-8"))["scenario"] for d in run_dirs]
    for key in keys:
        merged.coords[key] = ("scenario", _as_coord([parameter_value(r, key) for r in resolved]))
        merged.coords[key].attrs = {"description": f"swept scenario setting {key} (from each member's resolved scenario)"}
    merged.attrs = {
        "title": "re300 sweep results",
        "hourly_series": "included (all members share snapshots and weights)" if hourly
        else "omitted: members have different snapshots or weights",
        "swept_parameters": json.dumps(keys),
        **(attrs or {}),
    }
    return merged


def summary_frame(merged: xr.Dataset, keys: list[str]) -> pd.DataFrame:
    """Tidy: member, parameters..., metric, value, unit."""
    rows = []
    units = dict(zip(merged["metric"].values.tolist(), merged["metric_unit"].values.tolist()))
    for s in merged["scenario"].values.tolist():
        params = [merged[k].sel(scenario=s).item() for k in keys]
        values = merged["summary_value"].sel(scenario=s)
        for metric, value in zip(merged["metric"].values.tolist(), values.values.tolist()):
            if np.isfinite(value):  # a metric another member has (e.g. a binding limit) is NaN here: no row
                rows.append([s, *params, metric, value, units[metric]])
    return pd.DataFrame(rows, columns=["member", *keys, "metric", "value", "unit"])


def members_frame(report) -> pd.DataFrame:
    keys = report.spec.parameter_keys()
    rows = []
    for m in report.members:
        rows.append([m.name, m.status, m.error, round(m.seconds, 3),
                     *[_as_coord([m.parameters[k]])[0] if k in m.parameters else "" for k in keys]])
    return pd.DataFrame(rows, columns=["member", "status", "error", "seconds", *keys])


def write_merged(report, done) -> dict[str, Path]:
    """results.nc, summary.csv, members.csv, tornado_*.csv and figures/ in the sweep folder (each written atomically)."""
    from .figures import write_figures

    out: dict[str, Path] = {}
    sweep_dir = report.sweep_dir
    frame = members_frame(report)
    out["members.csv"] = write_atomic(sweep_dir / "members.csv", lambda p: frame.to_csv(p, index=False))
    if not done:
        return out
    keys = [k for k in report.spec.parameter_keys() if any(k in m.parameters for m in done)]
    failed = {m.name: m.error for m in report.members if m.status == "failed"}
    merged = merge_members([m.name for m in done], [Path(m.run_dir) for m in done], keys, attrs={
        "sweep": report.spec.name,
        "sweep_file": str(report.spec.source_file),
        "base_scenario": str(report.spec.base),
        "failed_members": json.dumps(failed),
    })
    out["results.nc"] = write_atomic(sweep_dir / "results.nc", lambda p: merged.to_netcdf(p, engine="h5netcdf"))
    table = summary_frame(merged, keys)
    out["summary.csv"] = write_atomic(sweep_dir / "summary.csv", lambda p: table.to_csv(p, index=False, float_format="%.10g"))
    out.update(write_figures(report, merged, table))
    out.update(write_frontier(report, merged, keys))
    return out


def write_frontier(report, merged: xr.Dataset, keys: list[str]) -> dict[str, Path]:
    """frontier.csv and figures/frontier.png when the sweep varies the renewable target (re300.sweep.frontier)."""
    from re300.paths import display_path

    from .frontier import TARGET_KEY, frontier_table, plot_frontier

    together = {k for axis in report.spec.grid if TARGET_KEY in axis for k in axis}
    table = frontier_table(merged, keys, together)
    if table.empty or len(table) < 2:
        return {}
    sweep_dir = report.sweep_dir
    note = (f"re300 sweep '{report.spec.name}' ({display_path(report.spec.source_file)}), base "
            f"{display_path(report.spec.base)}; 2024 KRW; frontier.csv")
    out = {"frontier.csv": write_atomic(sweep_dir / "frontier.csv",
                                        lambda p: table.to_csv(p, index=False, float_format="%.10g"))}
    out["figures/frontier.png"] = write_atomic(sweep_dir / "figures" / "frontier.png",
                                               lambda p: plot_frontier(table, note, p))
    return out
