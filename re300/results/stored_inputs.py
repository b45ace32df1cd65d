"""The `input_` variables of results.nc: every input the LP used (capacity factors, snapshot lengths and blocks,
generator, storage and link tables, targets, pathway periods, build limits, fixed builds), so that
`re300.results.rebuild.model_data_from_dataset` rebuilds the exact LP from the file alone (its inverse)."""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..model.data import (
    BUILD_FAMILIES,
    BUILD_LIMIT_COLUMNS,
    GENERATOR_COLUMNS,
    LINK_COLUMNS,
    PERIOD_COLUMNS,
    STORAGE_COLUMNS,
    ModelData,
)
from .arrays import da as _da
from .arrays import grid as _grid


def add_inputs(ds: xr.Dataset, data: ModelData, techs, coords) -> xr.Dataset:
    """Add the input_ variables of `data` to `ds` (units from the column descriptions); returns `ds`."""
    regions = list(data.regions)
    gens, st, links = data.generators, data.storage, data.links
    pathway = data.pathway is not None
    ds["input_capacity_factor"] = _da(_grid(gens, techs, regions, data.availability), ("technology", "region", "time"), coords, "1", "hourly availability per MW (capacity factor)")
    ds["input_duration_h"] = _da(np.asarray(data.duration_h, float), ("time",), coords, "h", "snapshot length")
    ds["input_block"] = _da(np.asarray(data.block, np.int64), ("time",), coords, "1", "storage cycles within each block")
    if data.typical_day_order is not None:
        ds["input_typical_day_order"] = xr.DataArray(np.asarray(data.typical_day_order, np.int64), dims=("calendar_day",),
                                                attrs={"units": "1", "description": "typical day (block) standing for each calendar day, in calendar order"})
    ds["input_generator"] = _da(_grid(gens, techs, regions, np.ones(len(gens)), fill=0.0), ("technology", "region"), coords, "1", "1 where a generator row exists")
    ds["input_storage"] = _da(_grid(st, techs, regions, np.ones(len(st)), fill=0.0), ("technology", "region"), coords, "1", "1 where a storage row exists")
    for frame, prefix, columns, key in ((gens, "input_generator_", GENERATOR_COLUMNS, "generators"),
                                        (st, "input_storage_", STORAGE_COLUMNS, "storage")):
        for col, desc in columns.items():
            if col in ("technology", "region"):
                continue
            if pathway and col in PERIOD_COLUMNS[key]:
                vals = data.column(key, col) if len(frame) else np.zeros((0, data.n_periods))
                ds[prefix + col] = _da(_grid(frame, techs, regions, vals), ("technology", "region", "period"), coords,
                                       _unit(desc), desc + " (per period)")
                if "existing" in col:
                    ds[prefix + col + "_base"] = _da(_grid(frame, techs, regions, frame[col].astype(float)), ("technology", "region"),
                                                     coords, _unit(desc), desc + " in the base year of the pathway")
            else:
                ds[prefix + col] = _da(_grid(frame, techs, regions, frame[col].astype(float)), ("technology", "region"), coords, _unit(desc), desc)
    for col, desc in LINK_COLUMNS.items():
        if col in ("link", "from_region", "to_region"):
            continue
        if pathway and col in PERIOD_COLUMNS["links"]:
            ds[f"input_link_{col}"] = _da(data.column("links", col), ("link", "period"), coords, _unit(desc), desc + " (per period)")
            if "existing" in col:
                ds[f"input_link_{col}_base"] = _da(links[col].astype(float).to_numpy(), ("link",), coords, _unit(desc),
                                                   desc + " in the base year of the pathway")
        else:
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
    if pathway:
        _add_pathway_inputs(ds, data, techs, coords)
    return ds


def _add_pathway_inputs(ds, data: ModelData, techs, coords) -> None:
    """Per-period targets, period lengths and weights, build-rate limits and fixed builds (pathway runs)."""
    pw = data.pathway
    P = data.n_periods
    for kind in ("renewable", "export"):
        ds[f"input_{kind}_share"] = _da(data.targets.shares(kind, P), ("period",), coords, "1",
                                        f"{kind} target share of consumption per period (NaN = none)")
    ds["input_period_span_yr"] = _da(np.asarray(pw.span_yr, float), ("period",), coords, "yr", "calendar years each period stands for")
    ds["input_period_build_interval_yr"] = _da(np.asarray(pw.build_interval_yr, float), ("period",), coords, "yr",
                                               "years in which the period's new capacity is built (build-rate limits)")
    ds["input_period_objective_weight"] = _da(np.asarray(pw.objective_weight, float), ("period",), coords, "yr",
                                              "objective weight W_p of each period (discounted years)")
    lim = data.build_rate_limits
    if lim is not None and len(lim):
        ds.coords["build_limit"] = list(lim["name"])
        for col in ("frame", "technologies", "regions") + (("status",) if "status" in lim else ()):
            ds[f"input_build_limit_{col}"] = xr.DataArray(np.asarray(lim[col], dtype=str), dims=("build_limit",),
                                                          attrs={"units": "1", "description": BUILD_LIMIT_COLUMNS[col]})
        ds["input_build_limit_max_mw_per_yr"] = xr.DataArray(lim["max_mw_per_yr"].to_numpy(float), dims=("build_limit",),
                                                             attrs={"units": "MW/yr", "description": BUILD_LIMIT_COLUMNS["max_mw_per_yr"]})
    regions = list(data.regions)
    for fam, arr in (data.fixed_builds or {}).items():
        frame = getattr(data, BUILD_FAMILIES[fam])
        if fam == "links":
            ds[f"input_fixed_build_{fam}"] = _da(np.asarray(arr, float), ("link", "period"), coords, "MW or MWh",
                                                 "new capacity fixed per build period (myopic hand-over; NaN = free)")
        else:
            ds[f"input_fixed_build_{fam}"] = _da(_grid(frame, techs, regions, np.asarray(arr, float)), ("technology", "region", "period"),
                                                 coords, "MW or MWh", "new capacity fixed per build period (myopic hand-over; NaN = free)")


def _unit(desc: str) -> str:
    return desc[desc.rfind("[") + 1 : desc.rfind("]")] if "[" in desc else "1"
