"""Low and high values of the inputs that move the answer (`inputs/ranges.csv`), and the input cases built from them.

One row of ranges.csv gives, for one number of another input table, its central value (the table's own value), a
low and a high value with their sources, and the `driver` the row belongs to. A driver groups the rows that move
together (e.g. `offshore_capex`: the 2030 and 2050 capex of every offshore-wind area); its `rank` is its place in
the sensitivity sweep's ranking (models/sweeps/sensitivity.yaml; blank = not among the ranked drivers).

Which number a row addresses: `table` (one of RANGE_TABLES), `key` (the values of the table's key columns joined by
'|', e.g. 'jeonnam|utility_pv' in capacities.csv; fewer parts match every row that begins with them), `parameter`
(the table's parameter; 'consumption' for demand.csv) and `year` (blank = every year). Two kinds of rows:
- absolute: `unit` is the table row's unit, the row matches exactly one table row, `central` equals its value;
- relative: `unit` 'factor', `central` 1, and the case multiplies every matching row (for several rows at once, e.g.
  the sector rows of a region's demand).

A scenario picks cases with `input_cases: {driver: low | central | high}`; `apply_cases` returns the table frames with
those values (absolute rows replaced, relative rows multiplied) and their source saying which case set them.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import LINE, Range, check_nonempty, check_source_status, choice, number, parse_year
from re300.errors import InputError

CASES = ("low", "central", "high")
FACTOR = "factor"
DRIVER_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# table -> (key columns, parameter column (None: the table has one number per row, called PARAMETER_OF_VALUE),
#           year column (None: no years))
RANGE_TABLES = {
    "technology_parameters.csv": (("technology",), "parameter", "year"),
    "capacities.csv": (("region", "technology"), "parameter", None),
    "constants.csv": ((), "parameter", "year"),
    "demand.csv": (("region", "sector"), None, "year"),
    "link_parameters.csv": (("link",), "parameter", None),
}
PARAMETER_OF_VALUE = "consumption"
YEAR_RANGE = Range(lo=1990, hi=2100, integer=True)
RANK_RANGE = Range(lo=1, integer=True)


def matching_rows(frame: pd.DataFrame, table: str, key: str, parameter: str, year) -> np.ndarray:
    """Boolean mask of the rows of `frame` (a table of RANGE_TABLES, as load_tables parsed it) a ranges row addresses."""
    key_cols, param_col, year_col = RANGE_TABLES[table]
    mask = np.ones(len(frame), dtype=bool)
    parts = key.split("|") if key else []
    for col, part in zip(key_cols, parts):
        mask &= (frame[col].astype(str) == part).to_numpy()
    if param_col is not None:
        mask &= (frame[param_col] == parameter).to_numpy()
    if year is not None and year_col is not None:
        y = frame[year_col]
        mask &= np.asarray([(not pd.isna(v)) and int(v) == int(year) for v in y], dtype=bool)
    return mask


def load_ranges(path: Path, df: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> None:
    """ranges.csv: every row addresses numbers of a known table; absolute rows one number whose value is `central`;
    low <= central <= high; a driver has one rank (unique across drivers) and its rows one kind of case."""
    check_nonempty(path, df, ["driver", "table", "parameter", "unit"])
    check_source_status(path, df)
    parse_year(path, df, "year", YEAR_RANGE, blank="every year")
    for col in ("central", "low", "high"):
        df[col] = [number(path, line, col, v) for line, v in zip(df[LINE], df[col])]
    ranks = []
    for line, v in zip(df[LINE], df["rank"]):
        ranks.append(number(path, line, "rank", v, RANK_RANGE, what="rank", blank=""))
    df["rank"] = pd.array([None if r is None else int(r) for r in ranks], dtype="Int64")
    for line, driver in zip(df[LINE], df["driver"]):
        if not DRIVER_PATTERN.match(driver):
            raise InputError(path, "bad driver name", row=line, column="driver", value=driver,
                             expected="lower-case letters, digits and '_' (it is a scenario key)")
    for _, row in df.iterrows():
        _check_row(path, row, frames)
    for driver, grp in df.groupby("driver", sort=False):
        if grp["rank"].nunique(dropna=False) > 1:
            raise InputError(path, f"driver {driver} has rows with different ranks", row=int(grp[LINE].iat[1]),
                             column="rank", expected="one rank per driver (or blank on every row)")
    ranked = df.drop_duplicates("driver").dropna(subset=["rank"])
    dup = ranked[ranked["rank"].duplicated()]
    if len(dup):
        raise InputError(path, f"rank {int(dup['rank'].iat[0])} given to two drivers", row=int(dup[LINE].iat[0]),
                         column="rank", expected="each rank once")


def _check_row(path: Path, row, frames: dict[str, pd.DataFrame]) -> None:
    line = int(row[LINE])
    table = choice(path, line, "table", row["table"], tuple(RANGE_TABLES))
    key_cols, param_col, year_col = RANGE_TABLES[table]
    if len(row["key"].split("|")) > max(len(key_cols), 1) or (not key_cols and row["key"]):
        raise InputError(path, "key has too many parts", row=line, column="key", value=row["key"],
                         expected=f"the values of {', '.join(key_cols) or 'no key column'} joined by '|'")
    if param_col is None and row["parameter"] != PARAMETER_OF_VALUE:
        raise InputError(path, "unknown parameter", row=line, column="parameter", value=row["parameter"],
                         expected=f"'{PARAMETER_OF_VALUE}' ({table} has one number per row)")
    year = None if pd.isna(row["year"]) else int(row["year"])
    if year is not None and year_col is None:
        raise InputError(path, "a year for a table without years", row=line, column="year", value=year,
                         expected="blank")
    frame = frames[table]
    hit = matching_rows(frame, table, row["key"], row["parameter"], year)
    if not hit.any():
        raise InputError(path, f"addresses no row of {table}", row=line, column="key", value=row["key"],
                         expected=f"key, parameter and year of a row of {table}")
    lo, mid, hi = row["low"], row["central"], row["high"]
    if not lo <= mid <= hi:
        raise InputError(path, "central value outside [low, high]", row=line, column="central", value=mid,
                         expected=f"low ({lo:g}) <= central <= high ({hi:g})")
    if row["unit"] == FACTOR:
        if mid != 1:
            raise InputError(path, "a factor row's central value is not 1", row=line, column="central", value=mid,
                             expected="1 (the table value itself)")
        return
    if hit.sum() != 1:
        raise InputError(path, f"addresses {int(hit.sum())} rows of {table}", row=line, column="year",
                         expected="exactly one row (or unit 'factor' to scale several)")
    target = frame[hit].iloc[0]
    unit_of_row = target["unit"]
    if row["unit"] != unit_of_row:
        raise InputError(path, "wrong unit", row=line, column="unit", value=row["unit"],
                         expected=f"{unit_of_row} (the unit of the {table} row) or '{FACTOR}'")
    value = float(target["value"])
    if not math.isclose(mid, value, rel_tol=1e-6, abs_tol=1e-12):
        raise InputError(path, f"central value is not the {table} value", row=line, column="central", value=mid,
                         expected=f"{value:.10g} (row {int(target[LINE])} of {table})")


def drivers(ranges: pd.DataFrame) -> list[str]:
    """The drivers of ranges.csv, in file order."""
    return list(dict.fromkeys(ranges["driver"]))


def apply_cases(frames: dict[str, pd.DataFrame], ranges: pd.DataFrame, cases: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Copies of the table frames with the values of `cases` {driver: low | central | high}: absolute rows replace
    the table value, factor rows multiply every row they address. Raises KeyError for an unknown driver and
    ValueError for an unknown case."""
    out = dict(frames)
    known = set(ranges["driver"])
    for driver, case in cases.items():
        if driver not in known:
            raise KeyError(driver)
        if case not in CASES:
            raise ValueError(f"unknown case {case!r} for {driver}; expected one of {', '.join(CASES)}")
        if case == "central":
            continue
        for _, row in ranges[ranges["driver"] == driver].iterrows():
            table = row["table"]
            frame = out[table] = out[table].copy()
            year = None if pd.isna(row["year"]) else int(row["year"])
            hit = matching_rows(frame, table, row["key"], row["parameter"], year)
            values = frame["value"].to_numpy(float).copy()
            values[hit] = values[hit] * row[case] if row["unit"] == FACTOR else row[case]
            frame["value"] = values
            # the rows now carry the case's provenance (memos and manifests read the sources)
            note = f"input case {driver}: {case}" + (f" (x {row[case]:.6g} of the table value)" if row["unit"] == FACTOR else "")
            frame.loc[hit, "source"] = [f"{note}; ranges.csv: {row['source']} | table: {old}" for old in frame.loc[hit, "source"]]
            frame.loc[hit, "status"] = "estimate" if row["unit"] == FACTOR else row["status"]
    return out
