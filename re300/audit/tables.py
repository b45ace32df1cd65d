"""Every CSV a run wrote against the table rebuilt from results.nc (re300.results.outputs.output_tables, per period for a
pathway), after a round trip through the CSV format the run writes."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .checks import CSV_REL_TOL, Check, is_pathway, plain

# summary.csv rows written from the annual-matching variant of a run with hourly RE100 loads (re300.run); that LP's
# results are not stored, so these rows cannot be rebuilt from results.nc
NOT_IN_RESULTS_PREFIXES = ("re100_annual_matching_", "re100_hourly_matching_premium")


def _roundtrip(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as it reads back from the CSV the run writes (same float format)."""
    return pd.read_csv(io.StringIO(frame.to_csv(index=False, float_format="%.10g")))


def _first_difference(name: str, expected: pd.DataFrame, written: pd.DataFrame) -> str | None:
    """The first column, row count or cell where `written` differs from `expected` (None if none)."""
    if list(expected.columns) != list(written.columns):
        return f"{name}: columns {list(written.columns)}, expected {list(expected.columns)}"
    if len(expected) != len(written):
        text = f"{name}: {len(written)} rows, results.nc gives {len(expected)}"
        if "period" in expected:
            a, b = expected["period"].astype(str).value_counts(), written["period"].astype(str).value_counts()
            off = [f"{p}: {b.get(p, 0)} vs {a.get(p, 0)}" for p in dict.fromkeys([*a.index, *b.index]) if a.get(p, 0) != b.get(p, 0)]
            text += f" (rows per period, file vs results.nc: {', '.join(off)})"
        return text
    for col in expected.columns:
        a, b = expected[col], written[col]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            x, y = a.to_numpy(float), b.to_numpy(float)
            same = np.isclose(x, y, rtol=CSV_REL_TOL, atol=0.0) | (np.isnan(x) & np.isnan(y))
        else:
            same = (a.fillna("").astype(str) == b.fillna("").astype(str)).to_numpy()  # an empty cell reads back as NaN
        if not same.all():
            i = int(np.flatnonzero(~same)[0])
            where = f" (period {written['period'].iloc[i]})" if "period" in written and col != "period" else ""
            return f"{name} row {i + 2}{where} column '{col}': file has {plain(b.iloc[i])}, results.nc gives {plain(a.iloc[i])}"
    return None


def expected_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Every CSV a run writes, rebuilt from results.nc the way re300.run writes them (per period for a pathway)."""
    from re300.results.outputs import output_tables

    if is_pathway(ds):
        from re300.results.tables import by_period

        return by_period(ds, output_tables)
    return output_tables(ds)


def check_csv_tables(ds: xr.Dataset, run_dir: Path) -> Check:
    """Every CSV of `run_dir` equals its table rebuilt from results.nc (within CSV_REL_TOL)."""
    problems, n, left_out = [], 0, 0
    for name, frame in expected_tables(ds).items():
        path = run_dir / name
        if not path.is_file():
            problems.append(f"{name} missing")
            continue
        try:
            written = pd.read_csv(path)
        except (ValueError, pd.errors.ParserError) as e:
            problems.append(f"{name} unreadable: {' '.join(str(e).split())}")
            continue
        if name == "summary.csv" and "metric" in written:
            other = written["metric"].astype(str).str.startswith(NOT_IN_RESULTS_PREFIXES)
            left_out = int(other.sum())
            written = written[~other].reset_index(drop=True)
        diff = _first_difference(name, _roundtrip(frame), written)
        if diff:
            problems.append(diff)
        n += 1
    if problems:
        return Check("csv_tables", False, "; ".join(problems))
    note = (f" ({left_out} summary.csv rows of the RE100 annual-matching comparison come from a second LP not stored "
            "in results.nc and are not checked)") if left_out else ""
    return Check("csv_tables", True, f"{n} CSV files equal the tables rebuilt from results.nc{note}")
