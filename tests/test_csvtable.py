"""The shared CSV reader/validator (re300.csvtable) on small tables written here: each defect gives one exact line
naming the file, the row (line number in the file), the column, the value and what was expected."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from re300.csvtable import (
    LINE,
    NONNEG,
    POSITIVE,
    Range,
    check_duplicates,
    check_long_table,
    check_names,
    check_provenance,
    number,
    parse_year,
    read_records,
    read_table,
    required_cell,
)
from re300.errors import InputError

COLUMNS = ("item", "parameter", "value", "unit", "source", "status")
UNITS = {"capex": "KRW/MW", "lifetime": "yr"}
RANGES = {"capex": NONNEG, "lifetime": POSITIVE}
GOOD = [
    "item,parameter,value,unit,source,status",
    "a,capex,1_000,KRW/MW,https://example.org p. 3,found",
    "# a comment line",
    "",
    "a,lifetime,25,yr,assumed for the test,estimate",
    "b,capex,2e9,KRW/MW,https://example.org p. 4,found",
]


def write(tmp_path: Path, lines: list[str], name: str = "items.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def error(fn, *args, **kwargs) -> str:
    with pytest.raises(InputError) as exc:
        fn(*args, **kwargs)
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


def check(path: Path):
    df = read_table(path, COLUMNS)
    check_long_table(path, df, UNITS, RANGES)
    check_duplicates(path, df, ["item", "parameter"])
    check_names(path, df, "item", ("a", "b"), "item", table="items table")
    return df


def replaced(lines: list[str], i: int, old: str, new: str) -> list[str]:
    out = list(lines)
    assert old in out[i]
    out[i] = out[i].replace(old, new, 1)
    return out


# ------------------------------------------------------------------------------------------------- reading
def test_good_table_keeps_line_numbers_and_parses_numbers(tmp_path):
    df = check(write(tmp_path, GOOD))
    assert list(df[LINE]) == [2, 5, 6]                         # the comment and the blank line are skipped
    assert list(df["value"]) == [1000.0, 25.0, 2e9]            # '_' separators allowed
    recs = read_records(write(tmp_path, GOOD), COLUMNS)
    assert recs[1] == (5, {"item": "a", "parameter": "lifetime", "value": "25", "unit": "yr",
                           "source": "assumed for the test", "status": "estimate"})


def test_missing_file(tmp_path):
    path = tmp_path / "none.csv"
    assert error(read_table, path, COLUMNS) == f"{path}: input file not found (expected the table none.csv in {tmp_path})"


def test_unknown_and_missing_columns(tmp_path):
    path = write(tmp_path, replaced(GOOD, 0, ",unit,", ",units,"))
    assert error(read_table, path, COLUMNS) == (
        f"{path}, row 1, column 'units': unknown column (got 'units'; expected one of item, parameter, value, unit, "
        "source, status; did you mean 'unit'?)")
    path = write(tmp_path, [GOOD[0].replace(",status", "")] + [ln.rsplit(",", 1)[0] for ln in GOOD[1:2]])
    assert error(read_table, path, COLUMNS) == (
        f"{path}, row 1: missing required column 'status' (expected columns item, parameter, value, unit, source, "
        "status)")


def test_row_with_too_many_cells(tmp_path):
    path = write(tmp_path, replaced(GOOD, 4, ",estimate", ",estimate,extra"))
    assert error(read_table, path, COLUMNS) == (
        f"{path}, row 5: has 7 cells but the header has 6 (expected one cell per header column (quote cells that "
        "contain commas))")


def test_not_utf8(tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes("item,parameter\nä,x\n".encode("latin-1"))
    assert error(read_table, path, COLUMNS) == f"{path}: not UTF-8 text (byte 15) (expected a UTF-8 CSV file)"


# ------------------------------------------------------------------------------------------------- the defects
def test_bad_number(tmp_path):
    path = write(tmp_path, replaced(GOOD, 5, ",2e9,", ",2e9x,"))
    assert error(check, path) == f"{path}, row 6, column 'value': not a number (got '2e9x'; expected a number)"


def test_number_out_of_range_and_not_finite(tmp_path):
    path = write(tmp_path, replaced(GOOD, 4, ",25,", ",0,"))
    assert error(check, path) == (
        f"{path}, row 5, column 'value': lifetime out of range (got 0.0; expected a number > 0)")
    path = write(tmp_path, replaced(GOOD, 1, ",1_000,", ",inf,"))
    assert error(check, path) == (
        f"{path}, row 2, column 'value': missing or non-finite number (got 'inf'; expected a finite number)")


def test_unit_that_is_not_the_expected_one(tmp_path):
    path = write(tmp_path, replaced(GOOD, 5, ",KRW/MW,", ",KRW/kW,"))
    assert error(check, path) == f"{path}, row 6, column 'unit': wrong unit for capex (got 'KRW/kW'; expected KRW/MW)"


def test_missing_source(tmp_path):
    path = write(tmp_path, replaced(GOOD, 4, ",assumed for the test,", ",,"))
    assert error(check, path) == (
        f"{path}, row 5, column 'source': empty source (expected a URL plus a short note, or the derivation)")


def test_bad_status(tmp_path):
    path = write(tmp_path, replaced(GOOD, 1, ",found", ",fonud"))
    assert error(check, path) == (
        f"{path}, row 2, column 'status': unknown status (got 'fonud'; expected one of found, estimate; "
        "did you mean 'found'?)")


def test_duplicate_key(tmp_path):
    path = write(tmp_path, GOOD + ["a,capex,5,KRW/MW,again,estimate"])
    assert error(check, path) == f"{path}, row 7: duplicate row for item=a, parameter=capex (first given on row 2)"


def test_unknown_name_with_did_you_mean(tmp_path):
    path = write(tmp_path, replaced(GOOD, 5, "b,", "bb,"))
    assert error(check, path) == (
        f"{path}, row 6, column 'item': unknown item (got 'bb'; expected one of a, b; did you mean 'b'? "
        "(from items table))")


def test_unknown_parameter_with_did_you_mean(tmp_path):
    path = write(tmp_path, replaced(GOOD, 4, ",lifetime,", ",lifetme,"))
    assert error(check, path) == (
        f"{path}, row 5, column 'parameter': unknown parameter (got 'lifetme'; expected one of capex, lifetime; "
        "did you mean 'lifetime'?)")


# ------------------------------------------------------------------------------------------------- cell-wise
def test_cell_wise_checks_give_the_same_messages(tmp_path):
    path = tmp_path / "t.csv"
    assert error(required_cell, path, 4, {"site": ""}, "site") == f"{path}, row 4, column 'site': empty cell (expected a value)"
    assert error(number, path, 4, "lat", "95", Range(-90, 90)) == (
        f"{path}, row 4, column 'lat': out of range (got 95.0; expected a number in [-90, 90])")
    assert error(check_provenance, path, 4, {"source": "x", "status": "maybe"}) == (
        f"{path}, row 4, column 'status': unknown status (got 'maybe'; expected one of found, estimate)")
    assert number(path, 4, "year", "", Range(1990, 2100, integer=True), blank="all years") is None
    assert error(number, path, 4, "year", "20x0", Range(1990, 2100, integer=True), blank="all years") == (
        f"{path}, row 4, column 'year': not a number (got '20x0'; expected blank (all years) or an integer in "
        "[1990, 2100])")


def test_years(tmp_path):
    path = write(tmp_path, ["asset,year", "a,2030", "b,", "c,nan"], "years.csv")
    df = read_table(path, ("asset", "year"))
    assert error(parse_year, path, df.copy(), "year", Range(1990, 2100, integer=True), blank="") == (
        f"{path}, row 4, column 'year': missing or non-finite number (got 'nan'; expected blank or an integer in "
        "[1990, 2100])")
    df = df.iloc[:2].copy()
    parse_year(path, df, "year", Range(1990, 2100, integer=True), blank="")
    assert df["year"].iat[0] == 2030 and df["year"].isna().iat[1]


def test_range_describe_and_ok():
    assert Range(0, 1, lo_open=True).describe() == "a number in (0, 1]"
    assert Range(lo=0, hi=0.3, hi_open=True).describe() == "a number in [0, 0.3)"
    assert Range(lo=1990, hi=2100, integer=True).describe() == "an integer in [1990, 2100]"
    assert NONNEG.describe() == "a number >= 0" and POSITIVE.describe() == "a number > 0"
    assert not Range(integer=True).ok(math.inf) and not Range(integer=True).ok(2.5) and Range(integer=True).ok(3.0)
