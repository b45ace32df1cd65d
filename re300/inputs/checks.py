"""Validation of the input tables: one loader per table, then the checks across tables.

Each `load_<table>(path, df, ...)` takes the string frame of `re300.csvtable.read_table`, checks it, converts its
number columns in place and returns the names other tables refer to. The `check_*` functions compare tables with
each other. Every problem raises one `re300.errors.InputError` line (file, row, column, value, expectation).
`re300.inputs.tables.load_tables` calls them in the order of this file.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import (
    LINE,
    NONNEG,
    STATUSES,
    check_choice,
    check_duplicates,
    check_long_table,
    check_names,
    check_nonempty,
    check_source_status,
    missing_parameters,
    parse_bool,
    parse_number,
    parse_year,
    suggest,
    unit,
)
from re300.errors import InputError
from re300.inputs.schema import (
    AVAILABILITY_RANGES,
    AVAILABILITY_UNITS,
    BUILD_LIMIT_RANGES,
    BUILD_LIMIT_UNITS,
    CAPACITY_RANGES,
    CAPACITY_UNITS,
    COMMISSION_YEAR_RANGE,
    CONSTANT_RANGES,
    CONSTANT_UNITS,
    DEMAND_UNIT,
    EXPORT_REGION_RANGES,
    EXPORT_REGION_UNITS,
    FAMILIES,
    LAT_RANGE,
    LINK_KINDS,
    LINK_PARAMETER_RANGES,
    LINK_PARAMETER_UNITS,
    LON_RANGE,
    OPTIONAL_CONSTANTS,
    PRICE_INDEX_RANGES,
    PRICE_INDEX_UNITS,
    PROFILES,
    REGION_KINDS,
    REQUIRED_TECHNOLOGY_PARAMETERS,
    SECTORS,
    SEPARATE_CHARGE_PARAMETERS,
    SHAPE_PARAMETERS,
    SHAPE_RANGES,
    SHAPE_UNITS,
    STORAGE_ONLY_PARAMETERS,
    TECHNOLOGY_PARAMETER_RANGES,
    TECHNOLOGY_PARAMETER_UNITS,
    VINTAGE_RANGES,
    VINTAGE_UNITS,
    YEAR_RANGE,
)

Names = tuple[str, ...]


# ------------------------------------------------------------------------------------------------- name tables
def load_regions(path: Path, df: pd.DataFrame) -> tuple[Names, Names]:
    """regions.csv: kind, lat/lon [degrees], optional status. Returns (every region, the honam regions)."""
    check_nonempty(path, df, ["region", "kind", "name_en", "source"])
    check_choice(path, df, "kind", REGION_KINDS)
    parse_number(path, df, "lat", default_range=LAT_RANGE)
    parse_number(path, df, "lon", default_range=LON_RANGE)
    if (df["status"] != "").any():
        check_choice(path, df, "status", STATUSES)
    check_duplicates(path, df, ["region"])
    if not (df["kind"] == "honam").any():
        raise InputError(path, "no region of kind 'honam'", column="kind", expected="at least one honam region")
    return tuple(df["region"]), tuple(df.loc[df["kind"] == "honam", "region"])


def load_technologies(path: Path, df: pd.DataFrame) -> tuple[Names, dict[str, str]]:
    """technologies.csv: family, renewable (-> bool), profile. Returns (technologies, technology -> family)."""
    check_nonempty(path, df, ["technology", "family", "renewable", "name_en", "profile"])
    check_choice(path, df, "family", FAMILIES)
    parse_bool(path, df, "renewable")
    check_choice(path, df, "profile", PROFILES)
    check_duplicates(path, df, ["technology"])
    return tuple(df["technology"]), dict(zip(df["technology"], df["family"]))


def load_links(path: Path, df: pd.DataFrame, regions: Names) -> Names:
    """links.csv: two different known regions, bidirectional (-> bool), kind. Returns the links."""
    check_nonempty(path, df, ["link", "from_region", "to_region", "bidirectional", "kind", "source"])
    check_names(path, df, "from_region", regions, "region")
    check_names(path, df, "to_region", regions, "region")
    for line, a, b in zip(df[LINE], df["from_region"], df["to_region"]):
        if a == b:
            raise InputError(path, "link connects a region to itself", row=line, column="to_region", value=b,
                             expected="a region other than from_region")
    parse_bool(path, df, "bidirectional")
    check_choice(path, df, "kind", LINK_KINDS)
    check_duplicates(path, df, ["link"])
    return tuple(df["link"])


# ------------------------------------------------------------------------------------------------- demand
def load_demand(path: Path, df: pd.DataFrame, honam: Names) -> None:
    """demand.csv: annual demand [GWh/yr] per honam region, sector and year; every honam region in every year."""
    check_nonempty(path, df, ["region", "sector", "year"])
    check_names(path, df, "region", honam, "honam region")
    check_choice(path, df, "sector", SECTORS)
    parse_number(path, df, "year", default_range=YEAR_RANGE)
    df["year"] = df["year"].astype(int)
    parse_number(path, df, "value", default_range=NONNEG)
    for line, u in zip(df[LINE], df["unit"]):
        unit(path, line, "demand", u, DEMAND_UNIT)
    check_source_status(path, df)
    check_duplicates(path, df, ["region", "sector", "year"])
    for year, grp in df.groupby("year"):
        missing = [r for r in honam if r not in set(grp["region"])]
        if missing:
            raise InputError(path, f"no demand rows for honam region(s) {', '.join(missing)} in year {year}",
                             column="region", expected="rows for every honam region")


def load_demand_shapes(path: Path, df: pd.DataFrame) -> None:
    """demand_shapes.csv: the hourly shape parameters [relative] of each sector."""
    check_nonempty(path, df, ["sector"])
    check_choice(path, df, "sector", SECTORS)
    check_long_table(path, df, SHAPE_UNITS, SHAPE_RANGES)
    check_duplicates(path, df, ["sector", "parameter"])


def check_shapes_cover_demand(path: Path, shapes: pd.DataFrame, demand: pd.DataFrame) -> None:
    """Every sector of demand.csv has all shape parameters, and some positive value in each profile."""
    for sector in sorted(set(demand["sector"])):
        have = set(shapes.loc[shapes["sector"] == sector, "parameter"])
        missing = [q for q in SHAPE_PARAMETERS if q not in have]
        if missing:
            raise InputError(path, f"sector {sector} lacks shape parameter(s) {', '.join(missing[:4])}"
                             + (" ..." if len(missing) > 4 else ""), column="parameter",
                             expected="all of month_01..12, weekday_hour_00..23, weekend_hour_00..23, weekend_factor")
        sub = shapes[shapes["sector"] == sector].set_index("parameter")["value"]
        for prefix in ("month_", "weekday_hour_", "weekend_hour_"):
            if sub[[q for q in SHAPE_PARAMETERS if q.startswith(prefix)]].sum() <= 0:
                raise InputError(path, f"sector {sector}: all {prefix}* values are zero", column="value",
                                 expected="at least one positive value")


# ------------------------------------------------------------------------------------------------- technologies
def load_technology_parameters(path: Path, df: pd.DataFrame, technologies: Names, family: dict[str, str]) -> None:
    """technology_parameters.csv: costs and technical parameters (units of TECHNOLOGY_PARAMETER_UNITS), by year
    (blank = all years); storage-only parameters on storage only; every technology has those its family needs."""
    check_nonempty(path, df, ["technology"])
    check_names(path, df, "technology", technologies, "technology")
    check_long_table(path, df, TECHNOLOGY_PARAMETER_UNITS, TECHNOLOGY_PARAMETER_RANGES)
    parse_year(path, df, "year", YEAR_RANGE, blank="all years")
    check_duplicates(path, df, ["technology", "parameter", "year"])
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
        missing_parameters(path, f"technology {tech} ({family[tech]})", have, need)


def load_capacities(path: Path, df: pd.DataFrame, regions: Names, technologies: Names, family: dict[str, str]) -> None:
    """capacities.csv: existing and potential capacity [MW, MWh] per region and technology; energy, charging and
    sales limits on storage only; potential >= existing. A potential may be `unlimited` (a technology that no
    resource limits at that place, e.g. gas turbines at existing plant sites): it becomes inf."""
    check_nonempty(path, df, ["region", "technology"])
    check_names(path, df, "region", regions, "region")
    check_names(path, df, "technology", technologies, "technology")
    unlimited = df["parameter"].str.startswith("potential") & (df["value"].str.strip().str.lower() == "unlimited")
    df.loc[unlimited, "value"] = "0"
    check_long_table(path, df, CAPACITY_UNITS, CAPACITY_RANGES)
    df.loc[unlimited, "value"] = np.inf
    check_duplicates(path, df, ["region", "technology", "parameter"])
    for line, tech, param in zip(df[LINE], df["technology"], df["parameter"]):
        if (param.endswith("_energy") or param.endswith("_charge") or param == "max_sales") and family[tech] != "storage":
            raise InputError(path, f"{param} applies to storage only, but {tech} is {family[tech]}",
                             row=line, column="parameter", value=param)
    for (reg, tech), grp in df.groupby(["region", "technology"], sort=False):
        vals = dict(zip(grp["parameter"], grp["value"]))
        lines = dict(zip(grp["parameter"], grp[LINE]))
        for ex, pot in (("existing", "potential"), ("existing_energy", "potential_energy"), ("existing_charge", "potential_charge")):
            if ex in vals and pot in vals and vals[pot] < vals[ex]:
                raise InputError(path, f"{reg} {tech}: potential below existing", row=int(lines[pot]),
                                 column="value", value=vals[pot], expected=f">= existing ({vals[ex]:g})")


def check_storage_energy(path: Path, capacities: pd.DataFrame, technology_parameters: pd.DataFrame) -> None:
    """capacities.csv: the energy [MWh] of fixed-duration storage equals its power [MW] x fixed_duration [h]."""
    tp = technology_parameters
    durations = tp[(tp["parameter"] == "fixed_duration") & tp["year"].isna()].set_index("technology")["value"]
    for (reg, tech), grp in capacities.groupby(["region", "technology"], sort=False):
        if tech not in durations.index:
            continue
        vals = dict(zip(grp["parameter"], grp["value"]))
        lines = dict(zip(grp["parameter"], grp[LINE]))
        for pw, en in (("existing", "existing_energy"), ("potential", "potential_energy")):
            if pw in vals and en in vals and not math.isclose(vals[en], vals[pw] * durations[tech], rel_tol=1e-6, abs_tol=1e-6):
                raise InputError(path, f"{reg} {tech}: {en} does not equal {pw} x fixed_duration", row=int(lines[en]),
                                 column="value", value=vals[en],
                                 expected=f"{vals[pw]:g} MW x {durations[tech]:g} h = {vals[pw] * durations[tech]:g} MWh")


# ------------------------------------------------------------------------------------------------- links, constants
def load_link_parameters(path: Path, df: pd.DataFrame, links: Names) -> None:
    """link_parameters.csv: every parameter of LINK_PARAMETER_UNITS for every link (capacity_credit optional: 0)."""
    check_nonempty(path, df, ["link"])
    check_names(path, df, "link", links, "link")
    check_long_table(path, df, LINK_PARAMETER_UNITS, LINK_PARAMETER_RANGES)
    check_duplicates(path, df, ["link", "parameter"])
    for link in links:
        missing_parameters(path, f"link {link}", df.loc[df["link"] == link, "parameter"],
                           [q for q in LINK_PARAMETER_UNITS if q != "capacity_credit"])


def load_constants(path: Path, df: pd.DataFrame) -> None:
    """constants.csv: every constant of CONSTANT_UNITS, as one row with a blank `year` or as rows by year
    (interpolated like technology parameters; the optional `year` column may be absent)."""
    check_long_table(path, df, CONSTANT_UNITS, CONSTANT_RANGES)
    parse_year(path, df, "year", YEAR_RANGE, blank="all years")
    check_duplicates(path, df[df["year"].isna()], ["parameter"])
    check_duplicates(path, df[df["year"].notna()], ["parameter", "year"])
    for param, grp in df.groupby("parameter", sort=False):
        if grp["year"].isna().any() and len(grp) > 1:
            raise InputError(path, f"{param} has both a blank-year row and other rows", row=int(grp[LINE].iat[1]),
                             column="year", expected="either one blank-year row or only rows with years")
    missing = [q for q in CONSTANT_UNITS if q not in set(df["parameter"]) and q not in OPTIONAL_CONSTANTS]
    if missing:
        raise InputError(path, f"missing constant(s) {', '.join(missing)}", column="parameter",
                         expected="rows for " + ", ".join(q for q in CONSTANT_UNITS if q not in OPTIONAL_CONSTANTS))


def load_export_regions(path: Path, df: pd.DataFrame, regions: Names, kinds: dict[str, str]) -> None:
    """export_regions.csv: per export region, the output it cannot turn down [MW], its own solar [MW] and the
    emission factor of the generation an MWh from Honam displaces [tCO2/MWh] (re300.model.exports)."""
    check_nonempty(path, df, ["region"])
    check_names(path, df, "region", regions, "region")
    for line, r in zip(df[LINE], df["region"]):
        if kinds[r] != "export":
            raise InputError(path, f"region {r} is not an export region", row=line, column="region", value=r,
                             expected="a region of kind export in regions.csv")
    check_long_table(path, df, EXPORT_REGION_UNITS, EXPORT_REGION_RANGES)
    check_duplicates(path, df, ["region", "parameter"])


def load_price_indices(path: Path, df: pd.DataFrame) -> None:
    """price_indices.csv: a price index (PRICE_INDEX_UNITS) by year, for converting nominal KRW to the money year."""
    check_long_table(path, df, PRICE_INDEX_UNITS, PRICE_INDEX_RANGES, param_col="index")
    parse_year(path, df, "year", YEAR_RANGE)
    check_duplicates(path, df, ["index", "year"])


# ------------------------------------------------------------------------------------------------- pathway tables
def load_vintages(path: Path, df: pd.DataFrame, regions: Names, technologies: Names) -> None:
    """existing_vintages.csv: capacities.csv `existing*` split by first year in service, with a retirement year
    (the first year out of service; blank = none)."""
    check_nonempty(path, df, ["region", "technology", "first_year"])
    check_names(path, df, "region", regions, "region")
    check_names(path, df, "technology", technologies, "technology")
    check_long_table(path, df, VINTAGE_UNITS, VINTAGE_RANGES)
    parse_year(path, df, "first_year", COMMISSION_YEAR_RANGE)
    parse_year(path, df, "retire_year", COMMISSION_YEAR_RANGE, blank="")
    for line, a, b in zip(df[LINE], df["first_year"], df["retire_year"]):
        if b is not pd.NA and b <= a:
            raise InputError(path, "retire_year not after first_year", row=line, column="retire_year", value=int(b),
                             expected=f"a year after {int(a)} (the first year out of service), or blank")


def check_vintages_match_capacities(vintages_path: Path, vintages: pd.DataFrame, capacities_path: Path,
                                    capacities: pd.DataFrame) -> None:
    """The vintages of each (region, technology, parameter) sum to its capacities.csv value, and every positive
    existing capacity has vintages."""
    df, cap = vintages, capacities
    for (reg, tech, param), grp in df.groupby(["region", "technology", "parameter"], sort=False):
        have = cap[(cap["region"] == reg) & (cap["technology"] == tech) & (cap["parameter"] == param)]
        total = float(grp["value"].sum())
        expected = float(have["value"].iat[0]) if len(have) else 0.0
        if not math.isclose(total, expected, rel_tol=1e-9, abs_tol=1e-6):
            raise InputError(vintages_path, f"{reg} {tech}: the {param} vintages sum to {total:g} {VINTAGE_UNITS[param]}",
                             row=int(grp[LINE].iat[0]), column="value",
                             expected=f"the capacities.csv {param} value {expected:g} {VINTAGE_UNITS[param]}")
    for line, reg, tech, param, val in zip(cap[LINE], cap["region"], cap["technology"], cap["parameter"], cap["value"]):
        if param in VINTAGE_UNITS and val > 0 and not ((df["region"] == reg) & (df["technology"] == tech)
                                                       & (df["parameter"] == param)).any():
            raise InputError(capacities_path, f"{reg} {tech}: {param} {val:g} has no rows in existing_vintages.csv",
                             row=int(line), column="value",
                             expected="vintage rows (first_year, retire_year) that sum to it, for pathway retirements")


def load_build_limits(path: Path, df: pd.DataFrame, honam: Names, technologies: Names, family: dict[str, str]) -> None:
    """build_limits.csv: most new capacity per year [MW/yr] of '+'-joined technologies (generators only or storage
    only) in '+'-joined honam regions ('honam' = all of them)."""
    check_nonempty(path, df, ["technology", "region"])
    check_long_table(path, df, BUILD_LIMIT_UNITS, BUILD_LIMIT_RANGES)
    for line, techs, regs in zip(df[LINE], df["technology"], df["region"]):
        for t in techs.split("+"):
            if t not in technologies:
                raise InputError(path, "unknown technology", row=line, column="technology", value=t,
                                 expected=suggest(t, technologies) + " (several joined by '+')")
            if family[t] not in ("variable_renewable", "dispatchable", "storage"):
                raise InputError(path, "technology cannot be built", row=line, column="technology", value=t)
        if len({family[t] == "storage" for t in techs.split("+")}) > 1:
            raise InputError(path, "a limit mixes storage and generators", row=line, column="technology", value=techs,
                             expected="generators only or storage only")
        for r in regs.split("+"):
            if r != "honam" and r not in honam:
                raise InputError(path, "unknown region", row=line, column="region", value=r,
                                 expected=suggest(r, honam + ("honam",)) + " (several joined by '+'; honam = all three)")
    check_duplicates(path, df, ["technology", "region", "parameter"])


def load_availability(path: Path, df: pd.DataFrame, regions: Names, technologies: Names, links: Names) -> None:
    """availability_years.csv: most new capacity in service [MW] of a technology in a region, or of a link (blank
    region), from a year on."""
    check_nonempty(path, df, ["asset", "year"])
    check_long_table(path, df, AVAILABILITY_UNITS, AVAILABILITY_RANGES)
    parse_year(path, df, "year", YEAR_RANGE)
    for line, asset, reg in zip(df[LINE], df["asset"], df["region"]):
        if asset in links:
            if reg != "":
                raise InputError(path, "a link row has a region", row=line, column="region", value=reg,
                                 expected="blank for links")
        elif asset in technologies:
            if reg not in regions:
                raise InputError(path, "unknown region", row=line, column="region", value=reg,
                                 expected=suggest(reg, regions) + " (technologies need a region)")
        else:
            raise InputError(path, "unknown asset", row=line, column="asset", value=asset,
                             expected=suggest(asset, technologies + links) + " (a technology or a link)")
    check_duplicates(path, df, ["asset", "region", "year"])
