"""Every CSV a run writes, from its results Dataset alone (so `re300 verify` can rebuild them and compare)."""
from __future__ import annotations

import pandas as pd
import xarray as xr

from .binding import binding_limits, binding_summary_rows
from .tables import TABLES


def output_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Every CSV a run writes, from its Dataset: re300.results.tables.TABLES, binding_limits.csv, and summary.csv
    extended with one row per binding limit."""
    frames = {name: fn(ds) for name, fn in TABLES.items()}
    limits = binding_limits(ds)
    frames["binding_limits.csv"] = limits
    if "summary.csv" in frames and not limits.empty:
        frames["summary.csv"] = pd.concat([frames["summary.csv"], binding_summary_rows(limits)], ignore_index=True)
    return frames
