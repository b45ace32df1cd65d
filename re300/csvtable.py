"""One reader and validator for every CSV input table (`inputs/*.csv`, the weather tables, the power curves).

The tables are long: one number per row with its `value, unit, source, status` (status = found | estimate). This
module reads a table as strings, keeping the line number of every data row, and checks it cell by cell. Every
problem is raised as one `re300.errors.InputError` line naming the file, the row (= the line number in the file,
header = line 1, i.e. the spreadsheet row), the column, the value and what was expected, e.g.

    inputs/constants.csv, row 5, column 'status': unknown status (got 'guess'; expected one of found, estimate)

Reading rules: UTF-8 (a byte-order mark is allowed); blank lines and lines whose first cell starts with `#` are
skipped; cells are stripped; every row has one cell per header column; the header holds each required column and
no column outside required + optional. Numbers may be written with `_` separators (`1_000`).

Two ways to check, with the same messages: column-wise on the frame of `read_table` (`check_*`, `parse_*`), and
cell-wise on the records of `read_records` (`required_cell`, `number`, `check_provenance`).

Data files shipped byte-for-byte (measured series, `inputs/measured/`) are listed in a provenance table
(`DATA_SOURCE_COLUMNS`: publisher, dataset, retrieval, copied_from, sha256, encoding, time convention, caveats);
`verified_data_file` checks a file's sha256 against its row before it is read.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from re300.errors import InputError

STATUSES = ("found", "estimate")
BOOLEANS = {"true": True, "false": False}
LINE = "_line"  # column holding the 1-based line number of each data row
SOURCE_EXPECTED = "a URL plus a short note, or the derivation"


@dataclass(frozen=True)
class Range:
    """Allowed interval of a number (open or closed at each end; optionally integers only)."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def ok(self, x: float) -> bool:
        if self.integer and not float(x).is_integer():
            return False
        if self.lo is not None and (x <= self.lo if self.lo_open else x < self.lo):
            return False
        if self.hi is not None and (x >= self.hi if self.hi_open else x > self.hi):
            return False
        return True

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        fmt = lambda v: f"{v:g}"  # noqa: E731
        if self.lo is not None and self.hi is not None:
            return f"{kind} in {'(' if self.lo_open else '['}{fmt(self.lo)}, {fmt(self.hi)}{')' if self.hi_open else ']'}"
        if self.lo is not None:
            return f"{kind} {'>' if self.lo_open else '>='} {fmt(self.lo)}"
        if self.hi is not None:
            return f"{kind} {'<' if self.hi_open else '<='} {fmt(self.hi)}"
        return kind


NONNEG = Range(lo=0)
POSITIVE = Range(lo=0, lo_open=True)


def suggest(name: str, known: Iterable) -> str:
    """'one of a, b, c' plus "; did you mean 'x'?" when a known name is close to `name`."""
    known = list(known)
    close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.5)
    text = "one of " + ", ".join(known)
    return f"{text}; did you mean '{close[0]}'?" if close else text


# ---------------------------------------------------------------------------------------------------------- reading
def read_cells(path: Path) -> tuple[list[str] | None, int | None, list[list[str]], list[int]]:
    """(header, header line, data rows, their line numbers) of a CSV; blank and '#' lines skipped, cells stripped."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header, header_line = None, None
        rows, lines = [], []
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in cells]
            if header is None:
                header, header_line = cells, line
                continue
            if len(cells) != len(header):
                raise InputError(path, f"has {len(cells)} cells but the header has {len(header)}", row=line,
                                 expected="one cell per header column (quote cells that contain commas)")
            rows.append(cells)
            lines.append(line)
    return header, header_line, rows, lines


def read_table(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> pd.DataFrame:
    """A CSV as a frame of strings with the line number of every data row in column LINE; the header must hold
    every `required` column and nothing outside required + optional; absent optional columns are added blank."""
    path = Path(path)
    required, optional = tuple(required), tuple(optional)
    if not path.is_file():
        raise InputError(path, "input file not found", expected=f"the table {path.name} in {path.parent}")
    try:
        header, header_line, rows, lines = read_cells(path)
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 text (byte {e.start})", expected="a UTF-8 CSV file") from None
    except csv.Error as e:
        raise InputError(path, f"not a readable CSV file ({e})", expected="a UTF-8 CSV file") from None
    if header is None:
        raise InputError(path, "file is empty", expected="a header line: " + ",".join(required))
    seen = set()
    for col in header:
        if col in seen:
            raise InputError(path, "duplicate column", row=header_line, column=col)
        seen.add(col)
        if col not in required and col not in optional:
            raise InputError(path, "unknown column", row=header_line, column=col, value=col,
                             expected=suggest(col, required + optional))
    for col in required:
        if col not in header:
            raise InputError(path, f"missing required column '{col}'", row=header_line,
                             expected="columns " + ", ".join(required))
    df = pd.DataFrame(rows, columns=header, dtype=object)
    df[LINE] = lines
    for col in optional:
        if col not in df.columns:
            df[col] = ""
    return df


def records(df: pd.DataFrame) -> list[tuple[int, dict[str, str]]]:
    """The rows of a `read_table` frame as (line number, {column: cell})."""
    cols = [c for c in df.columns if c != LINE]
    return [(int(line), dict(zip(cols, cells))) for line, *cells in zip(df[LINE], *(df[c] for c in cols))]


def read_records(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> list[tuple[int, dict[str, str]]]:
    """`read_table` as a list of (line number, {column: cell}) for cell-wise checks."""
    return records(read_table(path, required, optional))


# ------------------------------------------------------------------------------------------------- one cell
def required_cell(path: Path, line: int, rec: dict[str, str], column: str) -> str:
    """The cell `column` of a record; an empty cell is an error."""
    value = rec.get(column, "")
    if value == "":
        raise InputError(path, "empty cell", row=line, column=column, expected="a value")
    return value


def number(path: Path, line: int, column: str, text: str, rng: Range | None = None, what: str = "",
           blank: str | None = None) -> float | None:
    """The finite number in a cell, within `rng` (message '<what> out of range'). `blank` (a text saying what a
    blank cell means, '' for nothing) allows an empty cell, returned as None."""
    prefix = "" if blank is None else ("blank or " if blank == "" else f"blank ({blank}) or ")
    if text == "" and blank is not None:
        return None
    integer = rng is not None and rng.integer
    try:
        x = float(text.replace("_", "")) if text != "" else float("nan")
    except ValueError:
        raise InputError(path, "not a number", row=line, column=column, value=text,
                         expected=prefix + (rng.describe() if integer else "a number")) from None
    if not math.isfinite(x):
        raise InputError(path, "missing or non-finite number", row=line, column=column, value=text,
                         expected=prefix + (rng.describe() if integer else "a finite number"))
    if rng is not None and not rng.ok(x):
        raise InputError(path, f"{what} out of range" if what else "out of range", row=line, column=column,
                         value=text if integer else x, expected=prefix + rng.describe())
    return x


def choice(path: Path, line: int, column: str, value: str, choices: Sequence[str], what: str | None = None) -> str:
    """A cell that must be one of `choices` ('unknown <what>', with a did-you-mean)."""
    if value not in choices:
        raise InputError(path, f"unknown {what or column}", row=line, column=column, value=value,
                         expected=suggest(value, choices))
    return value


def known_name(path: Path, line: int, column: str, value: str, known: Sequence[str], what: str,
               table: str | None = None) -> str:
    """A cell naming something defined in another table (`table`, default '<what>s table')."""
    if value not in known:
        raise InputError(path, f"unknown {what}", row=line, column=column, value=value,
                         expected=suggest(value, known) + f" (from {table or what + 's table'})")
    return value


def unit(path: Path, line: int, parameter: str, got: str, expected: str) -> None:
    """The unit cell of a parameter's row must be exactly its expected unit."""
    if got != expected:
        raise InputError(path, f"wrong unit for {parameter}", row=line, column="unit", value=got, expected=expected)


def check_provenance(path: Path, line: int, rec: dict[str, str]) -> None:
    """A record's `source` is not empty and its `status` is found | estimate."""
    if not rec.get("source", ""):
        raise InputError(path, "empty source", row=line, column="source", expected=SOURCE_EXPECTED)
    choice(path, line, "status", rec.get("status", ""), STATUSES)


def missing_parameters(path: Path, subject: str, have: Iterable[str], need: Sequence[str]) -> None:
    """Every parameter of `need` has a row for `subject` ('<subject> lacks parameter(s) ...')."""
    have = set(have)
    missing = [q for q in need if q not in have]
    if missing:
        raise InputError(path, f"{subject} lacks parameter(s) {', '.join(missing)}", column="parameter",
                         expected="rows for " + ", ".join(need))


# ------------------------------------------------------------------------------------------------- columns
def check_nonempty(path: Path, df: pd.DataFrame, cols: Iterable[str]) -> None:
    """No empty cell in `cols`."""
    for col in cols:
        for line, v in zip(df[LINE], df[col]):
            if v == "":
                raise InputError(path, "empty cell", row=line, column=col, expected="a value")


def check_choice(path: Path, df: pd.DataFrame, col: str, choices: Sequence[str]) -> None:
    """Every cell of `col` is one of `choices`."""
    for line, v in zip(df[LINE], df[col]):
        choice(path, line, col, v, choices)


def parse_bool(path: Path, df: pd.DataFrame, col: str) -> None:
    """`col` (true | false) -> bool, in place."""
    check_choice(path, df, col, tuple(BOOLEANS))
    df[col] = [BOOLEANS[v] for v in df[col]]


def parse_number(path: Path, df: pd.DataFrame, col: str, ranges: dict | None = None, key: str | None = None,
                 default_range: Range | None = None) -> None:
    """`col` -> float, in place; each row finite and within its range (`ranges` keyed by the row's `key` cell,
    else `default_range`)."""
    out = []
    keys = df[key] if key else [None] * len(df)
    for line, v, k in zip(df[LINE], df[col], keys):
        rng = ranges.get(k, default_range) if ranges is not None else default_range
        out.append(number(path, line, col, v, rng, what=k or ""))
    df[col] = np.array(out, dtype=float)


def parse_year(path: Path, df: pd.DataFrame, col: str, allowed: Range, blank: str | None = None) -> None:
    """`col` -> nullable integer years within `allowed`, in place; `blank` as in `number` (None: no blank cells)."""
    out = []
    for line, y in zip(df[LINE], df[col]):
        x = number(path, line, col, y, allowed, what=col, blank=blank)
        out.append(None if x is None else int(x))
    df[col] = pd.array(out, dtype="Int64")


def check_units(path: Path, df: pd.DataFrame, units: dict[str, str], param_col: str = "parameter") -> None:
    """Every row's `unit` is the unit of its parameter."""
    for line, p, u in zip(df[LINE], df[param_col], df["unit"]):
        unit(path, line, p, u, units[p])


def check_sources(path: Path, df: pd.DataFrame) -> None:
    """Every row has a source."""
    for line, s in zip(df[LINE], df["source"]):
        if not s:
            raise InputError(path, "empty source", row=line, column="source", expected=SOURCE_EXPECTED)


def check_source_status(path: Path, df: pd.DataFrame) -> None:
    """Every row has a source and a status found | estimate."""
    check_sources(path, df)
    check_choice(path, df, "status", STATUSES)


def check_long_table(path: Path, df: pd.DataFrame, units: dict[str, str], ranges: dict[str, Range],
                     param_col: str = "parameter") -> None:
    """The checks of a long table (parameter, value, unit, source, status): known parameter, a number in its
    range (`value` -> float in place), its unit, a source and a status."""
    check_nonempty(path, df, [param_col])
    check_choice(path, df, param_col, tuple(units))
    parse_number(path, df, "value", ranges=ranges, key=param_col)
    check_units(path, df, units, param_col)
    check_source_status(path, df)


def check_duplicates(path: Path, df: pd.DataFrame, keys: Sequence[str]) -> None:
    """No two rows with the same `keys` (the message names both lines)."""
    dup = df.duplicated(subset=list(keys), keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        row = df.iloc[i]
        group = df.groupby(list(keys), dropna=False, sort=False).ngroup()  # NA-safe (blank years)
        first = df.loc[group == group.iloc[i], LINE].iat[0]
        key = ", ".join(f"{k}={row[k]!s}" for k in keys)
        raise InputError(path, f"duplicate row for {key} (first given on row {first})", row=int(row[LINE]))


def check_names(path: Path, df: pd.DataFrame, col: str, known: Sequence[str], what: str,
                table: str | None = None) -> None:
    """Every cell of `col` names something defined in another table (see `known_name`)."""
    for line, v in zip(df[LINE], df[col]):
        known_name(path, line, col, v, known, what, table)


# ---------------------------------------------------------------------------------------------- shipped data files
#: columns of a provenance table of data files shipped byte-for-byte (e.g. inputs/measured/sources.csv): the
#: publisher is the source; the repository a copy was taken from is provenance (`copied_from`)
DATA_SOURCE_COLUMNS = ("file", "publisher", "dataset", "retrieval", "copied_from", "sha256", "encoding",
                       "time_convention", "caveats")
ENCODINGS = ("utf-8", "utf-8-sig", "cp949")


@dataclass(frozen=True)
class DataSource:
    """One row of a provenance table: where a shipped data file comes from and how to read it."""

    table: Path
    line: int
    file: str
    publisher: str
    dataset: str
    sha256: str
    encoding: str
    time_convention: str
    caveats: str

    @property
    def path(self) -> Path:
        return self.table.parent / self.file


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_data_sources(path: Path) -> dict[str, DataSource]:
    """A provenance table (DATA_SOURCE_COLUMNS) -> {file name: DataSource}; every cell filled, sha256 64 lowercase
    hex digits, a known encoding, each file once."""
    path = Path(path)
    out: dict[str, DataSource] = {}
    for line, rec in read_records(path, DATA_SOURCE_COLUMNS):
        for col in DATA_SOURCE_COLUMNS:
            required_cell(path, line, rec, col)
        if not re.fullmatch(r"[0-9a-f]{64}", rec["sha256"]):
            raise InputError(path, "not a sha256", row=line, column="sha256", value=rec["sha256"],
                             expected="64 lowercase hexadecimal digits (sha256sum of the file)")
        choice(path, line, "encoding", rec["encoding"], ENCODINGS)
        if rec["file"] in out:
            raise InputError(path, f"duplicate row for file={rec['file']} (first given on row {out[rec['file']].line})",
                             row=line)
        out[rec["file"]] = DataSource(path, line, rec["file"], rec["publisher"], rec["dataset"], rec["sha256"],
                                      rec["encoding"], rec["time_convention"], rec["caveats"])
    return out


def verified_data_file(table: Path, name: str) -> DataSource:
    """The provenance row of data file `name` in `table`, after checking that the file (beside the table) exists and
    that its bytes have the sha256 the row states."""
    table = Path(table)
    sources = read_data_sources(table)
    if name not in sources:
        raise InputError(table, f"no provenance row for the data file '{name}'", column="file",
                         expected=suggest(name, sources))
    src = sources[name]
    if not src.path.is_file():
        raise InputError(src.path, "data file not found", expected=f"the file of {table.name}, row {src.line}")
    got = file_sha256(src.path)
    if got != src.sha256:
        raise InputError(src.path, "content differs from its provenance row", value=f"sha256 {got}",
                         expected=f"sha256 {src.sha256} ({table.name}, row {src.line}): the file as published, or a new "
                                  "row with its own source")
    return src


def read_data_rows(src: DataSource, header_expected: str = "a header line"
                   ) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, stripped cells) of a verified data file, decoded with the encoding its provenance row
    states; blank lines skipped. A row with another number of cells than the header, text not in that encoding or an
    empty file is one InputError line."""
    try:
        with open(src.path, newline="", encoding=src.encoding) as fh:
            reader = csv.reader(fh)
            header, rows = None, []
            for cells in reader:
                if not cells or all(not c.strip() for c in cells):
                    continue
                cells = [c.strip() for c in cells]
                if header is None:
                    header = cells
                    continue
                if len(cells) != len(header):
                    raise InputError(src.path, f"has {len(cells)} cells but the header has {len(header)}",
                                     row=reader.line_num, expected="one cell per header column")
                rows.append((reader.line_num, cells))
    except UnicodeDecodeError as e:
        raise InputError(src.path, f"not {src.encoding} text (byte {e.start})",
                         expected=f"the encoding stated in {src.table.name}, row {src.line}") from None
    if header is None:
        raise InputError(src.path, "file is empty", expected=header_expected)
    return header, rows
