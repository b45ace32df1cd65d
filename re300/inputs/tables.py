"""Input tables (`inputs/*.csv`, long format) -> validated `InputTables`.

Every number in the tables carries `unit`, `source` and `status` (found | estimate). `load_tables` reads
the files with the shared reader `re300.csvtable`, checks them (`re300.inputs.checks`, one loader per table)
and raises `re300.errors.InputError` on the first problem, naming the file, the row (= the line number in the
file, header = line 1, i.e. the spreadsheet row), the column, the value and what was expected. Lines whose
first cell starts with `#` are comments. Names, units and ranges: `re300.inputs.schema`.

Accessors return wide, numbers-only frames for the pipeline; the long tables with their sources stay
available in `InputTables.raw` for manifests and memos.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import LINE, read_table, suggest
from re300.errors import InputError
from re300.inputs import checks, ranges
from re300.inputs.schema import (
    CAPACITY_UNITS,
    COLUMNS,
    CONSTANT_UNITS,
    EXPECTED_UNITS,
    EXPORT_REGION_UNITS,
    FILES,
    LINK_PARAMETER_UNITS,
    OPTIONAL_FILES,
    SECTORS,
    TECHNOLOGY_PARAMETER_UNITS,
    VINTAGE_UNITS,
)

# names of the schema that callers read from here
__all__ = ["CAPACITY_UNITS", "CONSTANT_UNITS", "EXPECTED_UNITS", "FILES", "InputTables", "LINK_PARAMETER_UNITS",
           "SECTORS", "TECHNOLOGY_PARAMETER_UNITS", "VINTAGE_UNITS", "load_tables"]


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
        self.cases: dict[str, str] = {}  # input cases applied (ranges.csv drivers -> low | central | high)

    # -- names ---------------------------------------------------------------------------------
    @property
    def honam_regions(self) -> list[str]:
        return [r for r, k in self.regions["kind"].items() if k == "honam"]

    @property
    def export_regions(self) -> list[str]:
        return [r for r, k in self.regions["kind"].items() if k == "export"]

    def files(self) -> dict[str, Path]:
        """Every file read, by table name (for hashing into the run manifest)."""
        return {name: self.inputs_dir / name for name in FILES if name in self.raw}

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
        max_mw_per_yr [MW/yr], source, status (found / estimate of the row)."""
        b = self.raw["build_limits.csv"]
        regions = ["+".join(self.honam_regions) if r == "honam" else r for r in b["region"]]
        names = [f"{t}@{r}" for t, r in zip(b["technology"], b["region"])]
        return pd.DataFrame({"name": names, "technologies": list(b["technology"]), "regions": regions,
                             "max_mw_per_yr": b["value"].to_numpy(float), "source": list(b["source"]),
                             "status": list(b["status"])})

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

    def export_region_parameters(self) -> pd.DataFrame:
        """Index export region, columns of EXPORT_REGION_UNITS (empty when inputs/ has no export_regions.csv)."""
        raw = self.raw.get("export_regions.csv")
        if raw is None or raw.empty:
            return pd.DataFrame(columns=list(EXPORT_REGION_UNITS), dtype=float)
        wide = raw.pivot(index="region", columns="parameter", values="value").reindex(columns=list(EXPORT_REGION_UNITS))
        wide.columns.name = None
        return wide.astype(float)

    def has_constant(self, name: str) -> bool:
        return bool((self.raw["constants.csv"]["parameter"] == name).any())

    def constant(self, name: str, year: int | None = None) -> float:
        """A constant from constants.csv, in its stated unit (see CONSTANT_UNITS). A constant given by year is
        interpolated linearly to `year` and clamped outside its years, like technology parameters; without a
        `year` it is the value of its first (earliest) row."""
        c = self.raw["constants.csv"]
        hit = c[c["parameter"] == name]
        if hit.empty:
            raise InputError(self.inputs_dir / "constants.csv", "unknown constant", column="parameter",
                             value=name, expected=suggest(name, c["parameter"]))
        if "year" not in hit.columns or hit["year"].isna().all():
            return float(hit["value"].iat[0])
        g = hit.sort_values("year")
        if year is None:
            return float(g["value"].iat[0])
        return float(np.interp(float(year), g["year"].to_numpy(float), g["value"].to_numpy(float)))

    def price_index(self, index: str, year: int) -> float:
        """The value of a price index of price_indices.csv (e.g. 'cpi', 2020 = 100) in `year`."""
        p = self.raw["price_indices.csv"]
        hit = p[(p["index"] == index) & (p["year"] == year)]
        if hit.empty:
            raise InputError(self.inputs_dir / "price_indices.csv", f"no {index} value for {year}", column="year",
                             value=year, expected="one of " + ", ".join(str(y) for y in p.loc[p["index"] == index, "year"]))
        return float(hit["value"].iat[0])

    # -- ranges and input cases ----------------------------------------------------------------
    @property
    def ranges(self) -> pd.DataFrame:
        """ranges.csv: low, central and high values of the inputs that move the answer (see re300.inputs.ranges)."""
        return self.raw["ranges.csv"].drop(columns=[LINE]).reset_index(drop=True)

    @property
    def range_drivers(self) -> list[str]:
        """The drivers of ranges.csv (the names a scenario's `input_cases` may use)."""
        return ranges.drivers(self.raw["ranges.csv"])

    def with_cases(self, cases: dict[str, str]) -> "InputTables":
        """The tables with the low or high values of ranges.csv for the drivers named in `cases`
        ({driver: low | central | high}); the same tables when `cases` is empty."""
        if not cases:
            return self
        frames = ranges.apply_cases(self.raw, self.raw["ranges.csv"], dict(cases))
        out = InputTables(self.inputs_dir, frames)
        out.cases = dict(cases)
        return out

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


# ---------------------------------------------------------------------------------------------
# load + validate
# ---------------------------------------------------------------------------------------------
def load_tables(inputs_dir: Path) -> InputTables:
    """Read and validate every input table in `inputs_dir`; raise InputError on the first problem."""
    inputs_dir = Path(inputs_dir)
    if not inputs_dir.is_dir():
        raise InputError(inputs_dir, "inputs directory not found", expected="a folder holding " + ", ".join(FILES))
    p = {name: inputs_dir / name for name in FILES}
    f = {name: read_table(path, *COLUMNS[name]) if (name not in OPTIONAL_FILES or path.is_file())
         else _empty_table(*COLUMNS[name]) for name, path in p.items()}

    regions, honam = checks.load_regions(p["regions.csv"], f["regions.csv"])
    technologies, family = checks.load_technologies(p["technologies.csv"], f["technologies.csv"])
    links = checks.load_links(p["links.csv"], f["links.csv"], regions)
    checks.load_demand(p["demand.csv"], f["demand.csv"], honam)
    checks.load_demand_shapes(p["demand_shapes.csv"], f["demand_shapes.csv"])
    checks.check_shapes_cover_demand(p["demand_shapes.csv"], f["demand_shapes.csv"], f["demand.csv"])
    checks.load_technology_parameters(p["technology_parameters.csv"], f["technology_parameters.csv"], technologies,
                                      family)
    checks.load_capacities(p["capacities.csv"], f["capacities.csv"], regions, technologies, family)
    checks.check_storage_energy(p["capacities.csv"], f["capacities.csv"], f["technology_parameters.csv"])
    checks.load_link_parameters(p["link_parameters.csv"], f["link_parameters.csv"], links)
    checks.load_constants(p["constants.csv"], f["constants.csv"])
    # pathway tables (re300.model.investment)
    checks.load_vintages(p["existing_vintages.csv"], f["existing_vintages.csv"], regions, technologies)
    checks.check_vintages_match_capacities(p["existing_vintages.csv"], f["existing_vintages.csv"],
                                           p["capacities.csv"], f["capacities.csv"])
    checks.load_build_limits(p["build_limits.csv"], f["build_limits.csv"], honam, technologies, family)
    checks.load_availability(p["availability_years.csv"], f["availability_years.csv"], regions, technologies, links)
    if len(f["export_regions.csv"]):
        kinds = dict(zip(f["regions.csv"]["region"], f["regions.csv"]["kind"]))
        checks.load_export_regions(p["export_regions.csv"], f["export_regions.csv"], regions, kinds)
    # money and ranges (re300.inputs.ranges)
    checks.load_price_indices(p["price_indices.csv"], f["price_indices.csv"])
    ranges.load_ranges(p["ranges.csv"], f["ranges.csv"], f)
    return InputTables(inputs_dir, f)


def _empty_table(required, optional=()) -> pd.DataFrame:
    """The frame `read_table` gives for a file with a header and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in (*required, *optional)} | {LINE: pd.Series(dtype=int)})
