"""Results of issue 14 in results.nc: what the export regions could take, firm capacity and the adequacy price,
products sold out of storage, non-renewable energy entering Honam — and their inputs, so a run can be rebuilt and
audited from the file alone (`model_data_fields` is the inverse of the `input_` variables written here)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from re300.model import units as U
from re300.model.data import Adequacy
from re300.model.names import Row, Var

from .arrays import grid as _grid

FRAME_COLUMNS = {  # optional frame columns stored per asset: column -> (unit, description)
    "capacity_credit": ("1", "share of capacity counted as firm in the adequacy rule"),
    "max_new_status": ("1", "where the upper bound on new capacity comes from (found / estimate / scenario lever)"),
}
STATUS_COLUMNS = ("max_new_status", "max_new_energy_status", "existing_status")
STORAGE_COLUMNS = {
    "max_new_energy_status": ("1", "where the upper bound on new storage energy comes from"),
    "sale_price_krw_per_mwh": ("KRW/MWh", "price of the stored medium sold out of storage (per MWh of the medium)"),
    "sale_max_mwh_per_yr": ("MWh/yr", "largest quantity of the stored medium sold per year"),
}


def add_inputs(ds: xr.Dataset, data, techs: list[str]) -> None:
    """input_ variables: capacity credits, bound statuses, sale prices and caps, export headroom and values,
    the adequacy rule and the accounting switches."""
    regions = list(data.regions)
    for frame, key in ((data.generators, "generator"), (data.storage, "storage")):
        cols = dict(FRAME_COLUMNS, **(STORAGE_COLUMNS if key == "storage" else {}))
        for col, (unit, text) in cols.items():
            if col not in frame:
                continue
            string = col in STATUS_COLUMNS
            vals = _grid(frame, techs, regions, frame[col].to_numpy(object if string else float), "" if string else np.nan)
            ds[f"input_{key}_{col}"] = xr.DataArray(vals.astype(str) if string else vals, dims=("technology", "region"),
                                                   attrs={"units": unit, "description": text})
    link_cols = dict(FRAME_COLUMNS, existing_status=("1", "where the existing transfer capacity comes from"))
    for col, (unit, text) in link_cols.items():
        if col in data.links:
            string = col in STATUS_COLUMNS
            vals = data.links[col].to_numpy(object if string else float)
            ds[f"input_link_{col}"] = xr.DataArray(vals.astype(str) if string else vals, dims=("link",),
                                                   attrs={"units": unit, "description": text})
    head = np.full((len(regions), data.n_time), np.nan)
    if data.export_headroom_mw is not None:
        for r in data.export_headroom_mw.columns:
            head[regions.index(r)] = data.export_headroom_mw[r].to_numpy(float)
    ds["input_export_headroom_mw"] = xr.DataArray(head, dims=("region", "time"), attrs={
        "units": "MW", "description": "most an export region can take (demand - must-run - own solar); NaN = no limit"})
    values = [float((data.export_value_krw_per_mwh or {}).get(r, np.nan)) for r in regions]
    ds["input_export_value_krw_per_mwh"] = xr.DataArray(np.asarray(values), dims=("region",), attrs={
        "units": "KRW/MWh", "description": "value of the generation an MWh taken by an export region displaces"})
    tg = data.targets
    for name, flag in (("renewable_only_exports", tg.renewable_only_exports), ("sales_count_as_export", tg.sales_count_as_export)):
        ds[f"input_{name}"] = xr.DataArray(float(bool(flag)), attrs={"units": "1", "description": name.replace("_", " ")})
    a = data.adequacy
    if a is not None:
        dims = ("period",) if data.pathway is not None else ()
        peak = np.asarray(a.peak_demand_mw, float)
        ds["input_adequacy_peak_demand_mw"] = xr.DataArray(peak if dims else float(peak[0]), dims=dims, attrs={
            "units": "MW", "description": "Honam's coincident peak demand (full hourly year) in the adequacy rule"})
        ds["input_adequacy_reserve_margin"] = xr.DataArray(float(a.reserve_margin), attrs={"units": "1", "description": "reserve margin"})
        ds["input_adequacy_storage_hours"] = xr.DataArray(float(a.storage_hours), attrs={
            "units": "h", "description": "storage counts its credited power in full when its energy lasts this long"})


def add_results(ds: xr.Dataset, built, sol, techs: list[str]) -> None:
    """Output variables: storage_sold_mw, firm_capacity_mw, adequacy and renewable-only-exports prices,
    nonrenewable_into_honam_mw."""
    data = built.data
    regions = list(data.regions)
    T = data.n_time
    w = np.asarray(data.weight_h, float)
    W = data.objective_weight
    period = data.period_of_snapshot
    st = data.storage.reset_index(drop=True)
    sold = np.zeros((len(st), T))
    if Var.SOLD in sol.values:
        sellers = np.flatnonzero(np.nan_to_num(st["sale_price_krw_per_mwh"].to_numpy(float)) > 0)
        sold[sellers] = np.asarray(sol.values[Var.SOLD], float) / U.POWER
    ds["storage_sold_mw"] = xr.DataArray(_grid(st, techs, regions, sold, np.nan), dims=("technology", "region", "time"),
                                         attrs={"units": "MW", "description": "stored medium sold out of storage (e.g. "
                                                                             "hydrogen to industry, MW of the medium)"})
    dual = sol.duals.get(Row.ADEQUACY)
    pathway = data.pathway is not None
    if dual is not None:
        price = np.asarray(dual, float).ravel() / W * U.POWER / U.MONEY  # KRW per MW of firm capacity per year
        ds["adequacy_price_krw_per_mw_yr"] = xr.DataArray(price if pathway else float(price[0]),
                                                          dims=("period",) if pathway else (), attrs={
            "units": "KRW/MW/yr", "description": "value of one more MW of firm capacity in Honam (dual of the adequacy rule)"})
    dual = sol.duals.get(Row.RENEWABLE_ONLY_EXPORTS)
    if dual is not None:
        ds["renewable_only_exports_price_krw_per_mwh"] = xr.DataArray(
            np.abs(np.asarray(dual, float)) / (w * W[period]) * U.PRICE_TO_KRW_PER_MWH, dims=("time",),
            attrs={"units": "KRW/MWh", "description": "what one more MWh of non-renewable energy beyond Honam's load would "
                                                       "be worth in the hour (dual of the renewable-only-exports rule)"})
    firm = firm_storage_mw(data, sol)
    if firm is not None:
        dims = ("technology", "region") + (("period",) if pathway else ())
        ds["firm_storage_mw"] = xr.DataArray(_grid(st, techs, regions, firm, np.nan), dims=dims, attrs={
            "units": "MW", "description": "storage power counted as firm capacity in the adequacy rule"})


def firm_storage_mw(data, sol) -> np.ndarray | None:
    """(storage rows x periods) firm storage power [MW] (NaN where a row has none); None without the variable."""
    if Var.FIRM_STORAGE not in sol.values:
        return None
    st = data.storage.reset_index(drop=True)
    honam = np.array([data.region_kind[r] == "honam" for r in st["region"]])
    credit = np.where(honam, np.nan_to_num(st["capacity_credit"].to_numpy(float)), 0.0)
    units = np.flatnonzero(credit > 0)
    out = np.full((len(st), data.n_periods), np.nan)
    out[units] = np.asarray(sol.values[Var.FIRM_STORAGE], float).reshape(len(units), data.n_periods) / U.POWER
    return out[:, 0] if data.pathway is None else out


def model_data_fields(ds: xr.Dataset, gens: pd.DataFrame, gti, gri, st: pd.DataFrame, sti, sri,
                      links: pd.DataFrame, n_periods: int) -> dict:
    """The ModelData fields and frame columns of this module, read back from results.nc (frames changed in place)."""
    for frame, key, ti, ri in ((gens, "generator", gti, gri), (st, "storage", sti, sri)):
        cols = dict(FRAME_COLUMNS, **(STORAGE_COLUMNS if key == "storage" else {}))
        for col in cols:
            name = f"input_{key}_{col}"
            if name in ds:
                frame[col] = ds[name].values[ti, ri]
    for col in (*FRAME_COLUMNS, "existing_status"):
        if f"input_link_{col}" in ds:
            links[col] = ds[f"input_link_{col}"].values
    out = {}
    regions = [str(r) for r in ds["region"].values]
    if "input_export_headroom_mw" in ds:
        head = ds["input_export_headroom_mw"].values
        cols = {r: head[i] for i, r in enumerate(regions) if np.isfinite(head[i]).any()}
        out["export_headroom_mw"] = pd.DataFrame(cols) if cols else None
        vals = ds["input_export_value_krw_per_mwh"].values
        out["export_value_krw_per_mwh"] = {r: float(v) for r, v in zip(regions, vals) if np.isfinite(v)}
    if "input_adequacy_peak_demand_mw" in ds:
        peak = np.atleast_1d(ds["input_adequacy_peak_demand_mw"].values).astype(float)
        out["adequacy"] = Adequacy(reserve_margin=float(ds["input_adequacy_reserve_margin"]),
                                   peak_demand_mw=np.broadcast_to(peak, (n_periods,)).copy(),
                                   storage_hours=float(ds["input_adequacy_storage_hours"]))
    return out


def target_flags(ds: xr.Dataset) -> dict:
    """TargetSettings switches of this module stored in results.nc."""
    return {name: bool(float(ds[f"input_{name}"])) for name in ("renewable_only_exports", "sales_count_as_export")
            if f"input_{name}" in ds}


ABSORPTION_FULL_TOL = 1e-6  # an export region "takes its full headroom" within this relative tolerance (+ 1 MW)


def firm_capacity_parts(ds: xr.Dataset) -> dict[str, float]:
    """Credited firm capacity in Honam [MW], by part: dispatchable and renewable generators (credit × capacity),
    storage (its firm power, at most credit × min(power, energy / storage hours)) and imports over two-way routes
    from export regions (credit × route capacity)."""
    kind = dict(zip(map(str, ds["region"].values), np.asarray(ds["region_kind"].values).astype(str)))
    honam = np.array([kind[str(r)] == "honam" for r in ds["region"].values])
    out = {"generators": 0.0, "storage": 0.0, "imports": 0.0}
    if "input_generator_capacity_credit" in ds:
        credit = np.nan_to_num(ds["input_generator_capacity_credit"].values)
        present = np.nan_to_num(ds["input_generator"].values) > 0
        out["generators"] = float((credit * np.nan_to_num(ds["capacity_total_mw"].values) * present * honam).sum())
    if "firm_storage_mw" in ds:
        out["storage"] = float(np.nan_to_num(ds["firm_storage_mw"].values).sum())
    if "input_link_capacity_credit" in ds:
        credit = np.nan_to_num(ds["input_link_capacity_credit"].values)
        into = np.array([kind[str(a)] == "export" or (kind[str(b)] == "export" and bool(two_way))
                         for a, b, two_way in zip(ds["link_from"].values, ds["link_to"].values,
                                                  ds["input_link_bidirectional"].values)])
        out["imports"] = float((credit * np.nan_to_num(ds["link_capacity_total_mw"].values) * into).sum())
    return out


def deliverability_summary(ds: xr.Dataset) -> dict[str, tuple[float, str]]:
    """summary.csv rows of issue 14 for one year (a period view of a pathway): hours in which the export regions take
    all they can (the absorption limit binds), what they could take in the year, the firm capacity credited against
    the adequacy requirement and its price."""
    out: dict[str, tuple[float, str]] = {}
    w = ds["weight_h"].values
    if "input_export_headroom_mw" in ds and np.isfinite(ds["input_export_headroom_mw"].values).any():
        head = ds["input_export_headroom_mw"].values
        taken = np.nan_to_num(ds["exports_received_mw"].values)
        limited = np.isfinite(head)
        full = limited & (taken >= head * (1 - ABSORPTION_FULL_TOL) - 1.0) & (head > 0)
        out["absorption_limit_hours"] = (float((full.any(axis=0) * w).sum()),
                                         "h/yr in which an export region takes all it can (absorption limit binds)")
        out["absorption_headroom"] = (float((np.where(limited, np.maximum(head, 0.0), 0.0) * w).sum()),
                                      "MWh/yr the export regions could take (demand - must-run - own solar)")
    if "input_adequacy_peak_demand_mw" in ds:
        parts = firm_capacity_parts(ds)
        margin = float(ds["input_adequacy_reserve_margin"])
        out["firm_capacity_credited"] = (sum(parts.values()), "MW (generators + storage + imports, at their credits)")
        for part, value in parts.items():
            out[f"firm_capacity_{part}"] = (value, "MW credited")
        out["adequacy_requirement"] = ((1 + margin) * float(ds["input_adequacy_peak_demand_mw"]),
                                       f"MW ((1 + {margin:g}) x Honam peak demand)")
        if "adequacy_price_krw_per_mw_yr" in ds:
            out["adequacy_price"] = (float(ds["adequacy_price_krw_per_mw_yr"]), "KRW/MW/yr (dual of the adequacy rule)")
    return out
