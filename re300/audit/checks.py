"""What every audit check shares: the `Check` verdict, the tolerances, the per-period views of a pathway run,
summary.csv as read, and the asset masks and labels of results.nc.

Relative tolerance REL_TOL on recomputed quantities (the CSVs hold 10 significant digits); the balance closes within
BALANCE_TOL x the largest demand.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

REL_TOL = 1e-6
ABS_TOL_KRW = 1.0  # costs
ABS_TOL_MWH = 1e-3  # energies
ABS_TOL_MW = 1e-3  # capacities [MW or MWh]
BALANCE_TOL = 1e-6  # of the largest demand [MW]
CSV_REL_TOL = 1e-9  # CSVs are written with %.10g
WEIGHT_REL_TOL = 1e-9  # objective weights W_p [discounted years]


FIRST_ORDER_FACTOR = 10.0  # a first-order solution's balances are checked within this x its largest row violation


def first_order_tolerance_mw(manifest: dict) -> float | None:
    """For a first-order solution (cuPDLPx without crossover: not a vertex, rows hold only to the solver's tolerance),
    the balance tolerance [MW] = FIRST_ORDER_FACTOR x the largest row violation measured on the compiled LP (GW -> MW);
    None for a vertex (HiGHS, or crossover), which is checked at BALANCE_TOL."""
    solver = manifest.get("solver") or {}
    if not solver.get("first_order"):
        return None
    worst = (solver.get("quality") or {}).get("max_row_infeasibility")
    if worst is None or not np.isfinite(float(worst)):
        return None
    return FIRST_ORDER_FACTOR * float(worst) * 1e3


@dataclass
class Check:
    """The verdict of one check: its name, PASS or FAIL, and a one-line reason."""

    name: str
    passed: bool
    detail: str


def is_close(a: float, b: float, abs_tol: float) -> bool:
    """a equals b within REL_TOL and `abs_tol` (two NaN are equal)."""
    return bool(np.isclose(a, b, rtol=REL_TOL, atol=abs_tol)) or (np.isnan(a) and np.isnan(b))


def plain(value) -> str:
    """A value as a message shows it: numbers plain (2222.0, not np.float64(2222.0)), text quoted."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return repr(value)


def is_pathway(ds: xr.Dataset) -> bool:
    """A multi-period (pathway) run: results.nc has a `period` dimension."""
    return "period" in ds.dims


def period_views(ds: xr.Dataset) -> list[tuple[int | None, xr.Dataset]]:
    """(year, view) per investment period of a pathway run; [(None, ds)] for a single-year run."""
    if not is_pathway(ds):
        return [(None, ds)]
    from re300.results.rebuild import period_view

    return [(int(y), period_view(ds, int(y))) for y in ds["period"].values]


def one_or_per_period(name: str, results: list[tuple[int | None, list[str], str]], lead: str = "",
                       pathway_problems: list[str] | None = None) -> Check:
    """One Check from per-period (year, problems, pass text): a single-year run gives its own text; a pathway names
    every failing period, or joins the short pass texts of all periods after `lead`."""
    pathway_problems = pathway_problems or []
    if len(results) == 1 and results[0][0] is None:
        _, problems, text = results[0]
        problems = problems + pathway_problems
        return Check(name, not problems, "; ".join(problems) if problems else text)
    failed = [(y, p) for y, p, _ in results if p]
    if failed or pathway_problems:
        parts = [f"period {y}: " + "; ".join(p) for y, p in failed] + pathway_problems
        head = f"{len(failed)} of {len(results)} periods fail — " if failed else ""
        return Check(name, False, head + "; ".join(parts))
    return Check(name, True, lead + "; ".join(f"{y}: {text}" for y, _, text in results))


def read_summary(run_dir: Path) -> pd.DataFrame | None:
    """summary.csv as written (None if missing)."""
    path = run_dir / "summary.csv"
    return pd.read_csv(path) if path.is_file() else None


def summary_of_period(summary: pd.DataFrame | None, year: int | None) -> pd.Series | None:
    """metric -> value of one period's rows of summary.csv (all rows for a single-year run)."""
    if summary is None:
        return None
    if year is not None:
        if "period" not in summary:
            return pd.Series(dtype=float)
        summary = summary[summary["period"].astype(str) == str(year)]
    return pd.Series(pd.to_numeric(summary["value"], errors="coerce").values, index=summary["metric"].astype(str))


def weighted_mwh(da: xr.DataArray, w: np.ndarray) -> np.ndarray:
    """Annual MWh per leading index from a (..., time) MW array (NaN rows give 0)."""
    return np.nan_to_num(da.values, nan=0.0) @ w


def asset_flags(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """(technology x region) bool masks: generator rows, storage rows, fixed-duration storage, separate charging power."""
    st = ds["input_storage"].values > 0

    def opt(name):
        return np.nan_to_num(ds[name].values.astype(float)) > 0 if name in ds else np.zeros_like(st)

    return {"generator": ds["input_generator"].values > 0, "storage": st,
            "fixed_duration": st & opt("input_storage_fixed_duration_h"),
            "separate_charge": st & opt("input_storage_separate_charge_power")}


def asset_label(ds: xr.Dataset, idx: tuple) -> str:
    """'technology|region' of a (technology, region) index, or the link name of a (link,) index."""
    if len(idx) == 1:
        return str(ds["link"].values[idx[0]])
    return f"{ds['technology'].values[idx[0]]}|{ds['region'].values[idx[1]]}"
