"""A run's `results.nc` read back: the `ModelData` it was solved from (`model_data_from_dataset`, the inverse of the
`input_` variables `re300.results.dataset.to_dataset` writes), one investment period of a pathway shaped like a
single-year run (`period_view`), and the names of older files brought up to date (`upgrade_names`)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..model.data import BUILD_FAMILIES, GENERATOR_COLUMNS, LINK_COLUMNS, STORAGE_COLUMNS, ModelData, Pathway, TargetSettings
from . import deliverability

# results.nc written before the names of 2026-12 ("period" = investment period only): old name -> new name
RENAMED = {"input_period_order": "input_typical_day_order", "input_storage_inter_period": "input_storage_linked_across_days",
           "original_period": "calendar_day"}


def upgrade_names(ds: xr.Dataset) -> xr.Dataset:
    """A results.nc of an older re300 with today's variable and dimension names (RENAMED)."""
    old = {a: b for a, b in RENAMED.items() if a in ds.variables or a in ds.dims}
    return ds.rename(old) if old else ds


def model_data_from_dataset(ds: xr.Dataset) -> ModelData:
    """Rebuild the `ModelData` of a run from its `results.nc` (inverse of the `input_` variables)."""
    ds = upgrade_names(ds)
    regions = [str(r) for r in ds["region"].values]
    kinds = dict(zip(regions, [str(k) for k in ds["region_kind"].values]))
    pathway_run = "time_period" in ds.coords
    period_data: dict = {}
    gens, gti, gri = _asset_rows(ds, "input_generator", GENERATOR_COLUMNS, "generators", period_data)
    gens["renewable"] = gens["renewable"].astype(bool)
    st, sti, sri = _asset_rows(ds, "input_storage", STORAGE_COLUMNS, "storage", period_data)
    st["linked_across_days"] = st["linked_across_days"].astype(bool)
    if "separate_charge_power" in st:
        st["separate_charge_power"] = np.nan_to_num(st["separate_charge_power"].astype(float)).astype(bool)
    links = _links_frame(ds, period_data)
    extra = _pathway_fields(ds, gti, gri, sti, sri) if pathway_run else {}
    targets = _target_settings(ds, pathway_run)
    if "re100_load" in ds.coords:
        extra["re100_loads"] = pd.DataFrame({"name": ds["re100_load"].values.astype(str),
                                             "region": ds["re100_load_region"].values.astype(str),
                                             "matching": ds["re100_load_matching"].values.astype(str)})
        extra["re100_load_mw"] = ds["re100_load_mw"].values.astype(float)
    extra.update(deliverability.model_data_fields(ds, gens, gti, gri, st, sti, sri, links,
                                                  len(ds["period"]) if pathway_run else 1))
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
        typical_day_order=ds["input_typical_day_order"].values if "input_typical_day_order" in ds else None,
        period_data=period_data,
        **extra,
    )


def _asset_rows(ds: xr.Dataset, flag: str, cols, key: str, period_data: dict):
    """The generator or storage table from the technology x region grid of `input_<kind>_<column>` -> (frame,
    technology index, region index); per-period columns go to `period_data[key]` with their base value in the frame."""
    mask = ds[flag].values > 0
    ti, ri = np.nonzero(mask)
    frame = pd.DataFrame({"technology": ds["technology"].values[ti].astype(str), "region": ds["region"].values[ri].astype(str)})
    prefix = "input_generator_" if flag == "input_generator" else "input_storage_"
    for col in cols:
        if col in ("technology", "region") or prefix + col not in ds:
            continue
        vals = ds[prefix + col].values[ti, ri]
        if vals.ndim == 2:  # per period
            period_data.setdefault(key, {})[col] = vals
            base = prefix + col + "_base"
            frame[col] = ds[base].values[ti, ri] if base in ds else vals[:, 0]
        else:
            frame[col] = vals
    return frame, ti, ri


def _links_frame(ds: xr.Dataset, period_data: dict) -> pd.DataFrame:
    """The link table from `input_link_<column>`; per-period columns go to `period_data['links']`."""
    links = pd.DataFrame({"link": ds["link"].values.astype(str), "from_region": ds["link_from"].values.astype(str),
                          "to_region": ds["link_to"].values.astype(str)})
    for col in LINK_COLUMNS:
        if col not in links and f"input_link_{col}" in ds:
            vals = ds[f"input_link_{col}"].values
            if vals.ndim == 2:
                period_data.setdefault("links", {})[col] = vals
                base = f"input_link_{col}_base"
                links[col] = ds[base].values if base in ds else vals[:, 0]
            else:
                links[col] = vals
    links["bidirectional"] = links["bidirectional"].astype(bool)
    return links


def _pathway_fields(ds: xr.Dataset, gti, gri, sti, sri) -> dict:
    """A pathway run's periods (years, spans, weights, foresight), the period of each snapshot, build-rate limits and
    fixed builds (myopic runs), as ModelData keyword arguments."""
    extra: dict = {}
    years = ds["period"].values.astype(np.int64)
    extra["pathway"] = Pathway(
        years=years, span_yr=ds["input_period_span_yr"].values.astype(np.int64),
        build_interval_yr=ds["input_period_build_interval_yr"].values.astype(np.int64),
        objective_weight=ds["input_period_objective_weight"].values.astype(float),
        base_year=int(ds.attrs["pathway_base_year"]), discount_rate=float(ds.attrs["pathway_discount_rate"]),
        foresight=str(ds.attrs.get("pathway_foresight", "perfect")))
    extra["snapshot_period"] = np.searchsorted(years, ds["time_period"].values.astype(np.int64))
    if "build_limit" in ds.coords:
        extra["build_rate_limits"] = pd.DataFrame({
            "name": ds["build_limit"].values.astype(str),
            **{c: ds[f"input_build_limit_{c}"].values.astype(str) for c in ("frame", "technologies", "regions", "status")
               if f"input_build_limit_{c}" in ds},
            "max_mw_per_yr": ds["input_build_limit_max_mw_per_yr"].values.astype(float)})
    fixed = {}
    for fam, frame_name in BUILD_FAMILIES.items():
        name = f"input_fixed_build_{fam}"
        if name in ds:
            idx = {"generators": (gti, gri), "storage": (sti, sri)}.get(frame_name)
            fixed[fam] = ds[name].values if idx is None else ds[name].values[idx[0], idx[1]]
    extra["fixed_builds"] = fixed or None
    return extra


def _target_settings(ds: xr.Dataset, pathway_run: bool) -> TargetSettings:
    """The targets as the LP used them: shares (per period on a pathway), loss deductions, slack prices, the
    deliverability flags."""
    def opt(name):
        val = float(ds[name].values)
        return None if np.isnan(val) else val

    def by_period(name):
        return tuple(None if np.isnan(x) else float(x) for x in ds[name].values)

    if pathway_run:
        targets = TargetSettings(renewable_share_by_period=by_period("input_renewable_share"),
                                 export_share_by_period=by_period("input_export_share"))
    else:
        targets = TargetSettings(renewable_share=opt("input_renewable_share"), export_share=opt("input_export_share"))
    targets.deduct_storage_losses = bool(ds["input_deduct_storage_losses"].values)
    targets.deduct_transmission_losses = bool(ds["input_deduct_transmission_losses"].values)
    targets.renewable_slack_krw_per_mwh = opt("input_renewable_slack_krw_per_mwh")
    targets.export_slack_krw_per_mwh = opt("input_export_slack_krw_per_mwh")
    for name, flag in deliverability.target_flags(ds).items():
        setattr(targets, name, flag)
    return targets


def period_view(ds: xr.Dataset, year: int) -> xr.Dataset:
    """One period of a pathway Dataset, shaped like a single-year run: the period's snapshots, capacities,
    targets, inputs and cost items (annual, undiscounted). The table functions of re300.results.tables and the
    binding-limit scan work on it unchanged."""
    year = int(year)
    out = ds.sel(period=year).isel(time=np.flatnonzero(ds["time_period"].values == year))
    if "cost_item" in out.dims:
        out = out.isel(cost_item=np.flatnonzero(ds["cost_period"].values == year))
    if "calendar_day" in out.dims and "input_typical_day_order" in out:
        blocks = np.unique(out["input_block"].values)
        out = out.isel(calendar_day=np.flatnonzero(np.isin(ds["input_typical_day_order"].values, blocks)))
    drop = [c for c in ("period", "time_period", "cost_period") if c in out.coords]
    out = out.drop_vars(drop)
    out.attrs = {**ds.attrs, "period": year}
    return out
