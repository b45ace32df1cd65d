"""Array helpers of the results Dataset: a labelled DataArray, the scatter of per-row values onto the technology x
region grid, the dropped period axis of a single-year run."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr


def da(values, dims, coords, units, description):
    return xr.DataArray(values, dims=dims, coords={d: coords[d] for d in dims}, attrs={"units": units, "description": description})


def grid(frame: pd.DataFrame, techs, regions, values, fill=np.nan):
    """Scatter per-row values (rows of `frame`, optional trailing dims) onto a technology x region grid; float, or
    object where the values are (text columns, e.g. a bound's status)."""
    values = np.asarray(values)
    dtype = object if values.dtype == object else float
    values = values.astype(dtype)
    out = np.full((len(techs), len(regions)) + values.shape[1:], fill, dtype=dtype)
    ti = np.array([techs.index(t) for t in frame["technology"]], dtype=np.int64)
    ri = np.array([regions.index(r) for r in frame["region"]], dtype=np.int64)
    if len(ti):
        out[ti, ri] = values
    return out


def squeeze(arr, pathway: bool):
    """Arrays carry a trailing period axis; a single-year run drops it (its outputs keep the core shapes)."""
    return arr if pathway else np.asarray(arr)[..., 0]
