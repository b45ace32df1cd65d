"""Input tables (`inputs/*.csv`, long format) -> validated `InputTables`.

Every number in the tables carries `unit`, `source` and `status` (found | estimate). `load_tables` reads
the files, checks them and raises `re300.errors.InputError` on the first problem, naming the file, the
row (= the line number in the file, header = line 1, i.e. the spreadsheet row), the column, the value
and what was expected. Lines whose first cell starts with `#` are comments.

Accessors return wide, numbers-only frames for the pipeline; the long tables with their sources stay
available in `InputTables.raw` for manifests and memos.
"""
from __future__ import annotations

import csv
import difflib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from re300.errors import InputError

# ---------------------------------------------------------------------------------------------
# vocabulary
# ---------------------------------------------------------------------------------------------
STATUSES = ("found", "estimate")
REGION_KINDS = ("honam", "export")
SECTORS = ("industrial", "commercial", "residential", "agricultural")
FAMILIES = ("variable_renewable", "dispatchable", "storage")
PROFILES = ("pv", "wind", "none")
LINK_KINDS = ("ac", "hvdc")
BOOLEANS = {"true": True, "false": False}

DEMAND_UNIT = "GWh/yr"

# parameter -> expected unit, per long table
TECHNOLOGY_PARAMETER_UNITS = {
    "capex": "KRW/MW",
    "capex_energy": "KRW/MWh",
    "fom": "KRW/MW/yr",
    "fom_energy": "KRW/MWh/yr",
    "vom": "KRW/MWh",
    "lifetime": "yr",
    "efficiency_charge": "fraction",
    "efficiency_discharge": "fraction",
    "standing_loss": "fraction/h",
    "fuel_price": "KRW/MWh",
    "emission_factor": "tCO2/MWh",
    "fixed_duration": "h",
    "capex_charge": "KRW/MW",
    "fom_charge": "KRW/MW/yr",
    "lifetime_charge": "yr",
    "lifetime_energy": "yr",
}
CAPACITY_UNITS = {"existing": "MW", "potential": "MW", "existing_energy": "MWh", "potential_energy": "MWh",
                  "existing_charge": "MW", "potential_charge": "MW"}
LINK_PARAMETER_UNITS = {
    "length": "km",
    "existing": "MW",
    "max_new": "MW",
    "capex_per_km": "KRW/MW/km",
    "capex_terminal": "KRW/MW",
    "fom_share": "fraction/yr",
    "efficiency": "fraction",
    "lifetime": "yr",
}
CONSTANT_UNITS = {
    "discount_rate": "fraction",
    "money_year": "year",
    "krw_per_usd": "KRW/USD",
    "krw_per_eur": "KRW/EUR",
    "grid_emission_factor": "tCO2/MWh",
    "carbon_price": "KRW/tCO2",
    "value_of_lost_load": "KRW/MWh",
    "nonrenewable_price": "KRW/MWh",
}
SHAPE_PARAMETERS = (
    tuple(f"month_{m:02d}" for m in range(1, 13))
    + tuple(f"weekday_hour_{h:02d}" for h in range(24))
    + tuple(f"weekend_hour_{h:02d}" for h in range(24))
    + ("weekend_factor",)
)
SHAPE_UNITS = {p: "relative" for p in SHAPE_PARAMETERS}
# pathway tables (re300.model.investment)
VINTAGE_UNITS = {"existing": "MW", "existing_energy": "MWh", "existing_charge": "MW"}
BUILD_LIMIT_UNITS = {"max_build_rate": "MW/yr"}
AVAILABILITY_UNITS = {"max_new_in_service": "MW"}

#: every expected unit, by table (the single reference for units; see docs/architecture.md)
EXPECTED_UNITS = {
    "demand.csv": {"value": DEMAND_UNIT},
    "technology_parameters.csv": TECHNOLOGY_PARAMETER_UNITS,
    "capacities.csv": CAPACITY_UNITS,
    "link_parameters.csv": LINK_PARAMETER_UNITS,
    "constants.csv": CONSTANT_UNITS,
    "demand_shapes.csv": SHAPE_UNITS,
    "existing_vintages.csv": VINTAGE_UNITS,
    "build_limits.csv": BUILD_LIMIT_UNITS,
    "availability_years.csv": AVAILABILITY_UNITS,
}

STORAGE_ONLY_PARAMETERS = (
    "capex_energy", "fom_energy", "efficiency_charge", "efficiency_discharge", "standing_loss", "fixed_duration",
    "capex_charge", "fom_charge", "lifetime_charge", "lifetime_energy",
)
# storage whose charging power is a capacity of its own (a hydrogen chain's electrolysers) has these as well
SEPARATE_CHARGE_PARAMETERS = ("capex_charge", "fom_charge")
REQUIRED_TECHNOLOGY_PARAMETERS = {
    "variable_renewable": ("capex", "fom", "lifetime"),
    "dispatchable": ("capex", "fom", "lifetime", "emission_factor"),
    "storage": ("capex", "fom", "lifetime", "efficiency_charge", "efficiency_discharge"),
}


@dataclass(frozen=True)
class Range:
    """Allowed interval of a number."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    def ok(self, x: float) -> bool:
        if self.integer and x != math.floor(x):
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
EFFICIENCY = Range(lo=0, hi=1, lo_open=True)
SHARE = Range(lo=0, hi=1, hi_open=True)

TECHNOLOGY_PARAMETER_RANGES = {
    "capex": NONNEG, "capex_energy": NONNEG, "fom": NONNEG, "fom_energy": NONNEG, "vom": NONNEG,
    "lifetime": POSITIVE, "efficiency_charge": EFFICIENCY, "efficiency_discharge": EFFICIENCY,
    "standing_loss": SHARE, "fuel_price": NONNEG, "emission_factor": NONNEG, "fixed_duration": POSITIVE,
    "capex_charge": NONNEG, "fom_charge": NONNEG, "lifetime_charge": POSITIVE, "lifetime_energy": POSITIVE,
}
CAPACITY_RANGES = {p: NONNEG for p in CAPACITY_UNITS}
LINK_PARAMETER_RANGES = {
    "length": POSITIVE, "existing": NONNEG, "max_new": NONNEG, "capex_per_km": NONNEG, "capex_terminal": NONNEG,
    "fom_share": SHARE, "efficiency": EFFICIENCY, "lifetime": POSITIVE,
}
CONSTANT_RANGES = {
    "discount_rate": Range(lo=0, hi=0.3, hi_open=True),
    "money_year": Range(lo=1990, hi=2100, integer=True),
    "krw_per_usd": POSITIVE, "krw_per_eur": POSITIVE, "grid_emission_factor": NONNEG,
    "carbon_price": NONNEG, "value_of_lost_load": POSITIVE, "nonrenewable_price": NONNEG,
}
SHAPE_RANGES = {p: NONNEG for p in SHAPE_PARAMETERS}
YEAR_RANGE = Range(lo=1990, hi=2100, integer=True)

# file -> (required columns, optional columns)
COLUMNS = {
    "regions.csv": (("region", "kind", "name_en", "name_ko", "lat", "lon", "source"), ("status",)),
    "technologies.csv": (("technology", "family", "renewable", "name_en", "name_ko", "profile"), ("source",)),
    "links.csv": (("link", "from_region", "to_region", "bidirectional", "kind", "source"), ()),
    "demand.csv": (("region", "sector", "year", "value", "unit", "source", "status"), ()),
    "demand_shapes.csv": (("sector", "parameter", "value", "unit", "source", "status"), ()),
    "technology_parameters.csv": (("technology", "parameter", "year", "value", "unit", "source", "status"), ()),
    "capacities.csv": (("region", "technology", "parameter", "value", "unit", "source", "status"), ()),
    "link_parameters.csv": (("link", "parameter", "value", "unit", "source", "status"), ()),
    "constants.csv": (("parameter", "value", "unit", "source", "status"), ()),
    "existing_vintages.csv": (("region", "technology", "parameter", "first_year", "retire_year", "value", "unit", "source",
                               "status"), ()),
    "build_limits.csv": (("technology", "region", "parameter", "value", "unit", "source", "status"), ()),
    "availability_years.csv": (("asset", "region", "year", "parameter", "value", "unit", "source", "status"), ()),
}
FILES = tuple(COLUMNS)

LINE = "_line"  # column holding the 1-based line number of each data row


def _suggest(name: str, known) -> str:
    known = list(known)
    close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.5)
    text = "one of " + ", ".join(known)
    return f"{text}; did you mean '{close[0]}'?" if close else text


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def _read_cells(path: Path):
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


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as strings, keeping the line number of every data row; check the columns."""
    name = path.name
    if not path.is_file():
        raise InputError(path, "input file not found", expected=f"the table {name} in {path.parent}")
    required, optional = COLUMNS[name]
    try:
        header, header_line, rows, lines = _read_cells(path)
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
                             expected=_suggest(col, required + optional))
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


def _check_nonempty(path, df, cols):
    for col in cols:
        for line, v in zip(df[LINE], df[col]):
            if v == "":
                raise InputError(path, "empty cell", row=line, column=col, expected="a value")


def _check_choice(path, df, col, choices):
    for line, v in zip(df[LINE], df[col]):
        if v not in choices:
            raise InputError(path, f"unknown {col}", row=line, column=col, value=v, expected=_suggest(v, choices))


def _parse_bool(path, df, col):
    _check_choice(path, df, col, tuple(BOOLEANS))
    df[col] = [BOOLEANS[v] for v in df[col]]


def _parse_number(path, df, col, ranges=None, key=None, default_range=None):
    """Convert `col` to float; check finiteness and the range of each row (ranges keyed by df[key])."""
    out = []
    for i, (line, v) in enumerate(zip(df[LINE], df[col])):
        try:
            x = float(v.replace("_", "")) if v != "" else float("nan")
        except ValueError:
            raise InputError(path, "not a number", row=line, column=col, value=v, expected="a number") from None
        if not math.isfinite(x):
            raise InputError(path, "missing or non-finite number", row=line, column=col, value=v,
                             expected="a finite number")
        rng = ranges.get(df[key].iat[i], default_range) if ranges is not None else default_range
        if rng is not None and not rng.ok(x):
            what = f"{df[key].iat[i]} " if key else ""
            raise InputError(path, f"{what}out of range", row=line, column=col, value=x, expected=rng.describe())
        out.append(x)
    df[col] = np.array(out, dtype=float)


def _check_long_table(path, df, units: dict, ranges: dict, param_col="parameter"):
    """Common checks of a long table with parameter/value/unit/source/status columns."""
    _check_nonempty(path, df, [param_col])
    _check_choice(path, df, param_col, tuple(units))
    _parse_number(path, df, "value", ranges=ranges, key=param_col)
    for line, p, u in zip(df[LINE], df[param_col], df["unit"]):
        if u != units[p]:
            raise InputError(path, f"wrong unit for {p}", row=line, column="unit", value=u, expected=units[p])
    _check_source_status(path, df)


def _check_source_status(path, df):
    for line, s in zip(df[LINE], df["source"]):
        if not s:
            raise InputError(path, "empty source", row=line, column="source",
                             expected="a URL plus a short note, or the derivation")
    _check_choice(path, df, "status", STATUSES)


def _check_duplicates(path, df, keys):
    dup = df.duplicated(subset=list(keys), keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        row = df.iloc[i]
        group = df.groupby(list(keys), dropna=False, sort=False).ngroup()  # NA-safe (blank years)
        first = df.loc[group == group.iloc[i], LINE].iat[0]
        key = ", ".join(f"{k}={row[k]!s}" for k in keys)
        raise InputError(path, f"duplicate row for {key} (first given on row {first})", row=int(row[LINE]))


def _check_names(path, df, col, known, what):
    for line, v in zip(df[LINE], df[col]):
        if v not in known:
            raise InputError(path, f"unknown {what}", row=line, column=col, value=v,
                             expected=_suggest(v, known) + f" (from {what}s table)")


# ---------------------------------------------------------------------------------------------
# the tables
# ---------------------------------------------------------------------------------------------
class InputTables:
    """The validated input tables.

    Wide frames (numbers only): `regions` (index region), `technologies` (index technology),
    `links` (index link), and the accessors below. Long frames with unit/source/status per number:
    `demand`, `demand_shapes` and `raw[<file name>]` for every table.
    """

    def __init__(self, inputs_dir: Path, frames: dict[str, pd.DataFrame]):
        self.inputs_dir = Path(inputs_dir)
        self.raw = frames
        self.regions = frames["regions.csv"].drop(columns=[LINE]).set_index("region")
        self.technologies = frames["technologies.csv"].drop(columns=[LINE]).set_index("technology")
        self.links = frames["links.csv"].drop(columns=[LINE]).set_index("link")
        self.demand = frames["demand.csv"].drop(columns=[LINE]).reset_index(drop=True)
        self.demand_shapes = frames["demand_shapes.csv"].drop(columns=[LINE]).reset_index(drop=True)

    # -- names ---------------------------------------------------------------------------------
    @property
    def honam_regions(self) -> list[str]:
        return [r for r, k in self.regions["kind"].items() if k == "honam"]

    @property
    def export_regions(self) -> list[str]:
        return [r for r, k in self.regions["kind"].items() if k == "export"]

    def files(self) -> dict[str, Path]:
        """Every file read, by table name (for hashing into the run manifest)."""
        return {name: self.inputs_dir / name for name in FILES}

    # -- accessors -------------------------------------------------------------------------------
    def technology_parameters(self, year: int) -> pd.DataFrame:
        """Index technology, one column per parameter [units of TECHNOLOGY_PARAMETER_UNITS].

        Rows with a blank year apply to all years; year rows are interpolated linearly and clamped at the
        first/last year. NaN where a technology has no value for a parameter.
        """
        tp = self.raw["technology_parameters.csv"]
        out = pd.DataFrame(np.nan, index=pd.Index(self.technologies.index, name="technology"),
                           columns=list(TECHNOLOGY_PARAMETER_UNITS), dtype=float)
        for (tech, param), grp in tp.groupby(["technology", "parameter"], sort=False):
            if grp["year"].isna().all():
                out.loc[tech, param] = float(grp["value"].iat[0])
            else:
                g = grp.sort_values("year")
                out.loc[tech, param] = float(np.interp(float(year), g["year"].to_numpy(float),
                                                       g["value"].to_numpy(float)))
        out.attrs["year"] = int(year)
        return out

    def technology_parameter_sources(self, year: int) -> pd.DataFrame:
        """The provenance of `technology_parameters(year)`: one row per (technology, parameter) with value,
        unit, status and source. An interpolated value cites both year rows and is an `estimate`."""
        tp = self.raw["technology_parameters.csv"]
        out = []
        for (tech, param), grp in tp.groupby(["technology", "parameter"], sort=False):
            g = grp.sort_values("year")
            if g["year"].isna().all() or len(g) == 1:
                row = g.iloc[0]
                out.append((tech, param, float(row["value"]), row["unit"], row["status"], row["source"]))
                continue
            years = g["year"].to_numpy(float)
            value = float(np.interp(float(year), years, g["value"].to_numpy(float)))
            exact = g[g["year"] == year]
            if not exact.empty:
                row = exact.iloc[0]
                out.append((tech, param, value, row["unit"], row["status"], row["source"]))
            elif year <= years[0] or year >= years[-1]:
                row = g.iloc[0] if year <= years[0] else g.iloc[-1]
                out.append((tech, param, value, row["unit"], row["status"],
                            f"clamped to the {int(row['year'])} row: {row['source']}"))
            else:
                lo = g[g["year"] < year].iloc[-1]
                hi = g[g["year"] > year].iloc[0]
                out.append((tech, param, value, lo["unit"], "estimate",
                            f"linear interpolation to {year} between {int(lo['year'])} ({lo['value']:.6g}) and "
                            f"{int(hi['year'])} ({hi['value']:.6g}); {int(lo['year'])}: {lo['source']} | "
                            f"{int(hi['year'])}: {hi['source']}"))
        return pd.DataFrame(out, columns=["technology", "parameter", "value", "unit", "status", "source"])

    def capacities(self) -> pd.DataFrame:
        """Index (region, technology), columns existing, potential [MW], existing_energy, potential_energy [MWh]."""
        cap = self.raw["capacities.csv"]
        wide = cap.pivot(index=["region", "technology"], columns="parameter", values="value")
        wide = wide.reindex(columns=list(CAPACITY_UNITS))
        wide.columns.name = None
        return wide.astype(float)

    def link_parameters(self) -> pd.DataFrame:
        """Index link, columns from LINK_PARAMETER_UNITS plus from_region, to_region, bidirectional, kind."""
        lp = self.raw["link_parameters.csv"]
        wide = lp.pivot(index="link", columns="parameter", values="value")
        wide = wide.reindex(index=self.links.index, columns=list(LINK_PARAMETER_UNITS)).astype(float)
        wide.columns.name = None
        for col in ("from_region", "to_region", "bidirectional", "kind"):
            wide[col] = self.links[col]
        return wide

    # -- pathway tables ------------------------------------------------------------------------
    def existing_in_service(self, year: int) -> pd.DataFrame:
        """Index (region, technology), columns of VINTAGE_UNITS: existing capacity still in service in `year`
        [MW, MWh] — the vintages of existing_vintages.csv with first_year <= year < retire_year (blank = no
        retirement). Pairs without vintage rows are absent."""
        v = self.raw["existing_vintages.csv"]
        on = (v["first_year"] <= year) & (v["retire_year"].isna() | (v["retire_year"] > year))
        wide = v[on].pivot_table(index=["region", "technology"], columns="parameter", values="value", aggfunc="sum")
        return wide.reindex(columns=list(VINTAGE_UNITS)).astype(float)

    def build_limits(self) -> pd.DataFrame:
        """One row per limit: name, technologies and regions ('+'-joined; 'honam' = every honam region),
        max_mw_per_yr [MW/yr], source."""
        b = self.raw["build_limits.csv"]
        regions = ["+".join(self.honam_regions) if r == "honam" else r for r in b["region"]]
        names = [f"{t}@{r}" for t, r in zip(b["technology"], b["region"])]
        return pd.DataFrame({"name": names, "technologies": list(b["technology"]), "regions": regions,
                             "max_mw_per_yr": b["value"].to_numpy(float), "source": list(b["source"])})

    def availability_limit(self, asset: str, region: str, year: int) -> float:
        """Most new capacity of `asset` (a technology in `region`, or a link with region '') that may be in
        service in `year` by availability_years.csv [MW]: the value of the latest row with row year <= year,
        0 before the first row, inf if the asset has no rows."""
        a = self.raw["availability_years.csv"]
        rows = a[(a["asset"] == asset) & (a["region"] == region)].sort_values("year")
        if rows.empty:
            return float("inf")
        past = rows[rows["year"] <= year]
        return float(past["value"].iat[-1]) if len(past) else 0.0

    def constant(self, name: str) -> float:
        """A constant from constants.csv, in its stated unit (see CONSTANT_UNITS)."""
        c = self.raw["constants.csv"]
        hit = c[c["parameter"] == name]
        if hit.empty:
            raise InputError(self.inputs_dir / "constants.csv", "unknown constant", column="parameter",
                             value=name, expected=_suggest(name, c["parameter"]))
        return float(hit["value"].iat[0])

    def annual_demand(self, year: int = 2021) -> pd.DataFrame:
        """Index honam region, one column per sector [GWh/yr]; 0 where a sector is absent."""
        d = self.demand[self.demand["year"] == year]
        if d.empty:
            raise InputError(self.inputs_dir / "demand.csv", f"no demand rows for year {year}", column="year",
                             expected="one of " + ", ".join(str(y) for y in sorted(self.demand["year"].unique())))
        wide = d.pivot(index="region", columns="sector", values="value").reindex(
            index=self.honam_regions, columns=list(SECTORS)).fillna(0.0)
        wide.columns.name = None
        return wide

    def source_of(self, table: str, **key) -> str:
        """The source text of one number, e.g. source_of('capacities.csv', region='jeonnam', technology=..., parameter=...)."""
        df = self.raw[table]
        mask = np.ones(len(df), dtype=bool)
        for k, v in key.items():
            mask &= (df[k] == v).to_numpy()
        hits = df[mask]
        return "; ".join(hits["source"]) if not hits.empty else ""


# ---------------------------------------------------------------------------------------------
# load + validate
# ---------------------------------------------------------------------------------------------
def load_tables(inputs_dir: Path) -> InputTables:
    """Read and validate every input table in `inputs_dir`; raise InputError on the first problem."""
    inputs_dir = Path(inputs_dir)
    if not inputs_dir.is_dir():
        raise InputError(inputs_dir, "inputs directory not found", expected="a folder holding " + ", ".join(FILES))
    p = {name: inputs_dir / name for name in FILES}
    f = {name: _read_csv(path) for name, path in p.items()}

    # regions ------------------------------------------------------------------------------------
    path, df = p["regions.csv"], f["regions.csv"]
    _check_nonempty(path, df, ["region", "kind", "name_en", "source"])
    _check_choice(path, df, "kind", REGION_KINDS)
    _parse_number(path, df, "lat", default_range=Range(-90, 90))
    _parse_number(path, df, "lon", default_range=Range(-180, 180))
    if (df["status"] != "").any():
        _check_choice(path, df, "status", STATUSES)
    _check_duplicates(path, df, ["region"])
    if not (df["kind"] == "honam").any():
        raise InputError(path, "no region of kind 'honam'", column="kind", expected="at least one honam region")
    regions = tuple(df["region"])
    honam = tuple(df.loc[df["kind"] == "honam", "region"])

    # technologies -------------------------------------------------------------------------------
    path, df = p["technologies.csv"], f["technologies.csv"]
    _check_nonempty(path, df, ["technology", "family", "renewable", "name_en", "profile"])
    _check_choice(path, df, "family", FAMILIES)
    _parse_bool(path, df, "renewable")
    _check_choice(path, df, "profile", PROFILES)
    _check_duplicates(path, df, ["technology"])
    technologies = tuple(df["technology"])
    family = dict(zip(df["technology"], df["family"]))

    # links --------------------------------------------------------------------------------------
    path, df = p["links.csv"], f["links.csv"]
    _check_nonempty(path, df, ["link", "from_region", "to_region", "bidirectional", "kind", "source"])
    _check_names(path, df, "from_region", regions, "region")
    _check_names(path, df, "to_region", regions, "region")
    for line, a, b in zip(df[LINE], df["from_region"], df["to_region"]):
        if a == b:
            raise InputError(path, "link connects a region to itself", row=line, column="to_region", value=b,
                             expected="a region other than from_region")
    _parse_bool(path, df, "bidirectional")
    _check_choice(path, df, "kind", LINK_KINDS)
    _check_duplicates(path, df, ["link"])
    links = tuple(df["link"])

    # demand -------------------------------------------------------------------------------------
    path, df = p["demand.csv"], f["demand.csv"]
    _check_nonempty(path, df, ["region", "sector", "year"])
    _check_names(path, df, "region", honam, "honam region")
    _check_choice(path, df, "sector", SECTORS)
    _parse_number(path, df, "year", default_range=YEAR_RANGE)
    df["year"] = df["year"].astype(int)
    _parse_number(path, df, "value", default_range=NONNEG)
    for line, u in zip(df[LINE], df["unit"]):
        if u != DEMAND_UNIT:
            raise InputError(path, "wrong unit for demand", row=line, column="unit", value=u, expected=DEMAND_UNIT)
    _check_source_status(path, df)
    _check_duplicates(path, df, ["region", "sector", "year"])
    for year, grp in df.groupby("year"):
        missing = [r for r in honam if r not in set(grp["region"])]
        if missing:
            raise InputError(path, f"no demand rows for honam region(s) {', '.join(missing)} in year {year}",
                             column="region", expected="rows for every honam region")

    # demand shapes ------------------------------------------------------------------------------
    path, df = p["demand_shapes.csv"], f["demand_shapes.csv"]
    _check_nonempty(path, df, ["sector"])
    _check_choice(path, df, "sector", SECTORS)
    _check_long_table(path, df, SHAPE_UNITS, SHAPE_RANGES)
    _check_duplicates(path, df, ["sector", "parameter"])
    for sector in sorted(set(f["demand.csv"]["sector"])):
        have = set(df.loc[df["sector"] == sector, "parameter"])
        missing = [q for q in SHAPE_PARAMETERS if q not in have]
        if missing:
            raise InputError(path, f"sector {sector} lacks shape parameter(s) {', '.join(missing[:4])}"
                             + (" ..." if len(missing) > 4 else ""), column="parameter",
                             expected="all of month_01..12, weekday_hour_00..23, weekend_hour_00..23, weekend_factor")
        sub = df[df["sector"] == sector].set_index("parameter")["value"]
        for prefix in ("month_", "weekday_hour_", "weekend_hour_"):
            if sub[[q for q in SHAPE_PARAMETERS if q.startswith(prefix)]].sum() <= 0:
                raise InputError(path, f"sector {sector}: all {prefix}* values are zero", column="value",
                                 expected="at least one positive value")

    # technology parameters ----------------------------------------------------------------------
    path, df = p["technology_parameters.csv"], f["technology_parameters.csv"]
    _check_nonempty(path, df, ["technology"])
    _check_names(path, df, "technology", technologies, "technology")
    _check_long_table(path, df, TECHNOLOGY_PARAMETER_UNITS, TECHNOLOGY_PARAMETER_RANGES)
    years = []
    for line, y in zip(df[LINE], df["year"]):
        if y == "":
            years.append(np.nan)
            continue
        try:
            yv = float(y)
        except ValueError:
            raise InputError(path, "year is not a number", row=line, column="year", value=y,
                             expected="blank (all years) or " + YEAR_RANGE.describe()) from None
        if not YEAR_RANGE.ok(yv):
            raise InputError(path, "year out of range", row=line, column="year", value=y,
                             expected="blank (all years) or " + YEAR_RANGE.describe())
        years.append(yv)
    df["year"] = pd.array([None if np.isnan(y) else int(y) for y in years], dtype="Int64")
    _check_duplicates(path, df, ["technology", "parameter", "year"])
    for (tech, param), grp in df.groupby(["technology", "parameter"], sort=False):
        if grp["year"].isna().any() and len(grp) > 1:
            raise InputError(path, f"{tech} {param} has both a blank-year row and other rows", row=int(grp[LINE].iat[1]),
                             column="year", expected="either one blank-year row or only rows with years")
    for line, tech, param in zip(df[LINE], df["technology"], df["parameter"]):
        if param in STORAGE_ONLY_PARAMETERS and family[tech] != "storage":
            raise InputError(path, f"parameter {param} applies to storage only, but {tech} is {family[tech]}",
                             row=line, column="parameter", value=param)
    for tech in technologies:
        have = set(df.loc[df["technology"] == tech, "parameter"])
        need = list(REQUIRED_TECHNOLOGY_PARAMETERS[family[tech]])
        if family[tech] == "storage" and "fixed_duration" not in have:
            need.append("capex_energy")
        if family[tech] == "storage" and have & set(SEPARATE_CHARGE_PARAMETERS):
            need += list(SEPARATE_CHARGE_PARAMETERS)  # charging power sized on its own: both its cost parameters
        missing = [q for q in need if q not in have]
        if missing:
            raise InputError(path, f"technology {tech} ({family[tech]}) lacks parameter(s) {', '.join(missing)}",
                             column="parameter", expected="rows for " + ", ".join(need))

    # capacities ---------------------------------------------------------------------------------
    path, df = p["capacities.csv"], f["capacities.csv"]
    _check_nonempty(path, df, ["region", "technology"])
    _check_names(path, df, "region", regions, "region")
    _check_names(path, df, "technology", technologies, "technology")
    _check_long_table(path, df, CAPACITY_UNITS, CAPACITY_RANGES)
    _check_duplicates(path, df, ["region", "technology", "parameter"])
    for line, tech, param in zip(df[LINE], df["technology"], df["parameter"]):
        if (param.endswith("_energy") or param.endswith("_charge")) and family[tech] != "storage":
            raise InputError(path, f"{param} applies to storage only, but {tech} is {family[tech]}",
                             row=line, column="parameter", value=param)
    for (reg, tech), grp in df.groupby(["region", "technology"], sort=False):
        vals = dict(zip(grp["parameter"], grp["value"]))
        lines = dict(zip(grp["parameter"], grp[LINE]))
        for ex, pot in (("existing", "potential"), ("existing_energy", "potential_energy"), ("existing_charge", "potential_charge")):
            if ex in vals and pot in vals and vals[pot] < vals[ex]:
                raise InputError(path, f"{reg} {tech}: potential below existing", row=int(lines[pot]),
                                 column="value", value=vals[pot], expected=f">= existing ({vals[ex]:g})")

    tp = f["technology_parameters.csv"]
    durations = tp[(tp["parameter"] == "fixed_duration") & tp["year"].isna()].set_index("technology")["value"]
    for (reg, tech), grp in df.groupby(["region", "technology"], sort=False):
        if tech not in durations.index:
            continue
        vals = dict(zip(grp["parameter"], grp["value"]))
        lines = dict(zip(grp["parameter"], grp[LINE]))
        for pw, en in (("existing", "existing_energy"), ("potential", "potential_energy")):
            if pw in vals and en in vals and not math.isclose(vals[en], vals[pw] * durations[tech], rel_tol=1e-6, abs_tol=1e-6):
                raise InputError(path, f"{reg} {tech}: {en} does not equal {pw} x fixed_duration", row=int(lines[en]),
                                 column="value", value=vals[en],
                                 expected=f"{vals[pw]:g} MW x {durations[tech]:g} h = {vals[pw] * durations[tech]:g} MWh")

    # link parameters ----------------------------------------------------------------------------
    path, df = p["link_parameters.csv"], f["link_parameters.csv"]
    _check_nonempty(path, df, ["link"])
    _check_names(path, df, "link", links, "link")
    _check_long_table(path, df, LINK_PARAMETER_UNITS, LINK_PARAMETER_RANGES)
    _check_duplicates(path, df, ["link", "parameter"])
    for link in links:
        have = set(df.loc[df["link"] == link, "parameter"])
        missing = [q for q in LINK_PARAMETER_UNITS if q not in have]
        if missing:
            raise InputError(path, f"link {link} lacks parameter(s) {', '.join(missing)}", column="parameter",
                             expected="rows for " + ", ".join(LINK_PARAMETER_UNITS))

    # constants ----------------------------------------------------------------------------------
    path, df = p["constants.csv"], f["constants.csv"]
    _check_long_table(path, df, CONSTANT_UNITS, CONSTANT_RANGES)
    _check_duplicates(path, df, ["parameter"])
    missing = [q for q in CONSTANT_UNITS if q not in set(df["parameter"])]
    if missing:
        raise InputError(path, f"missing constant(s) {', '.join(missing)}", column="parameter",
                         expected="rows for " + ", ".join(CONSTANT_UNITS))

    _check_pathway_tables(p, f, regions, honam, technologies, family, links)
    return InputTables(inputs_dir, f)


COMMISSION_YEAR_RANGE = Range(lo=1900, hi=2100, integer=True)


def _parse_year(path, df, col, blank_ok=False, allowed=YEAR_RANGE):
    out = []
    for line, y in zip(df[LINE], df[col]):
        if y == "" and blank_ok:
            out.append(None)
            continue
        try:
            yv = float(y)
        except ValueError:
            raise InputError(path, f"{col} is not a year", row=line, column=col, value=y,
                             expected=("blank or " if blank_ok else "") + allowed.describe()) from None
        if not allowed.ok(yv):
            raise InputError(path, f"{col} out of range", row=line, column=col, value=y,
                             expected=("blank or " if blank_ok else "") + allowed.describe())
        out.append(int(yv))
    df[col] = pd.array(out, dtype="Int64")


def _check_pathway_tables(p, f, regions, honam, technologies, family, links):
    """existing_vintages.csv, build_limits.csv, availability_years.csv (used by pathway runs)."""
    # existing vintages: they split capacities.csv `existing*` by commissioning year, with a retirement year
    path, df = p["existing_vintages.csv"], f["existing_vintages.csv"]
    _check_nonempty(path, df, ["region", "technology", "first_year"])
    _check_names(path, df, "region", regions, "region")
    _check_names(path, df, "technology", technologies, "technology")
    _check_long_table(path, df, VINTAGE_UNITS, {q: NONNEG for q in VINTAGE_UNITS})
    _parse_year(path, df, "first_year", allowed=COMMISSION_YEAR_RANGE)
    _parse_year(path, df, "retire_year", blank_ok=True, allowed=COMMISSION_YEAR_RANGE)
    for line, a, b in zip(df[LINE], df["first_year"], df["retire_year"]):
        if b is not pd.NA and b <= a:
            raise InputError(path, "retire_year not after first_year", row=line, column="retire_year", value=int(b),
                             expected=f"a year after {int(a)} (the first year out of service), or blank")
    cap = f["capacities.csv"]
    for (reg, tech, param), grp in df.groupby(["region", "technology", "parameter"], sort=False):
        have = cap[(cap["region"] == reg) & (cap["technology"] == tech) & (cap["parameter"] == param)]
        total = float(grp["value"].sum())
        expected = float(have["value"].iat[0]) if len(have) else 0.0
        if not math.isclose(total, expected, rel_tol=1e-9, abs_tol=1e-6):
            raise InputError(path, f"{reg} {tech}: the {param} vintages sum to {total:g} {VINTAGE_UNITS[param]}",
                             row=int(grp[LINE].iat[0]), column="value",
                             expected=f"the capacities.csv {param} value {expected:g} {VINTAGE_UNITS[param]}")
    for line, reg, tech, param, val in zip(cap[LINE], cap["region"], cap["technology"], cap["parameter"], cap["value"]):
        if param in VINTAGE_UNITS and val > 0 and not ((df["region"] == reg) & (df["technology"] == tech)
                                                       & (df["parameter"] == param)).any():
            raise InputError(p["capacities.csv"], f"{reg} {tech}: {param} {val:g} has no rows in existing_vintages.csv",
                             row=int(line), column="value",
                             expected="vintage rows (first_year, retire_year) that sum to it, for pathway retirements")

    # build-rate limits
    path, df = p["build_limits.csv"], f["build_limits.csv"]
    _check_nonempty(path, df, ["technology", "region"])
    _check_long_table(path, df, BUILD_LIMIT_UNITS, {"max_build_rate": NONNEG})
    for line, techs, regs in zip(df[LINE], df["technology"], df["region"]):
        for t in techs.split("+"):
            if t not in technologies:
                raise InputError(path, "unknown technology", row=line, column="technology", value=t,
                                 expected=_suggest(t, technologies) + " (several joined by '+')")
            if family[t] not in ("variable_renewable", "dispatchable", "storage"):
                raise InputError(path, "technology cannot be built", row=line, column="technology", value=t)
        if len({family[t] == "storage" for t in techs.split("+")}) > 1:
            raise InputError(path, "a limit mixes storage and generators", row=line, column="technology", value=techs,
                             expected="generators only or storage only")
        for r in regs.split("+"):
            if r != "honam" and r not in honam:
                raise InputError(path, "unknown region", row=line, column="region", value=r,
                                 expected=_suggest(r, honam + ("honam",)) + " (several joined by '+'; honam = all three)")
    _check_duplicates(path, df, ["technology", "region", "parameter"])

    # availability schedule
    path, df = p["availability_years.csv"], f["availability_years.csv"]
    _check_nonempty(path, df, ["asset", "year"])
    _check_long_table(path, df, AVAILABILITY_UNITS, {"max_new_in_service": NONNEG})
    _parse_year(path, df, "year")
    for line, asset, reg in zip(df[LINE], df["asset"], df["region"]):
        if asset in links:
            if reg != "":
                raise InputError(path, "a link row has a region", row=line, column="region", value=reg,
                                 expected="blank for links")
        elif asset in technologies:
            if reg not in regions:
                raise InputError(path, "unknown region", row=line, column="region", value=reg,
                                 expected=_suggest(reg, regions) + " (technologies need a region)")
        else:
            raise InputError(path, "unknown asset", row=line, column="asset", value=asset,
                             expected=_suggest(asset, technologies + links) + " (a technology or a link)")
    _check_duplicates(path, df, ["asset", "region", "year"])
