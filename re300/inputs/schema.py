"""The vocabulary of the input tables (`inputs/*.csv`): names, columns, expected units and allowed ranges.

The single reference for units (`EXPECTED_UNITS`) and ranges of every table read by `re300.inputs.load_tables`;
see docs/architecture.md and inputs/README.md.
"""
from __future__ import annotations

from re300.csvtable import NONNEG, POSITIVE, Range

REGION_KINDS = ("honam", "export")
SECTORS = ("industrial", "commercial", "residential", "agricultural")
FAMILIES = ("variable_renewable", "dispatchable", "storage")
PROFILES = ("pv", "wind", "none")
LINK_KINDS = ("ac", "hvdc")

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
    "capacity_credit": "fraction",
    "sale_price": "KRW/MWh",
}
CAPACITY_UNITS = {"existing": "MW", "potential": "MW", "existing_energy": "MWh", "potential_energy": "MWh",
                  "existing_charge": "MW", "potential_charge": "MW", "max_sales": "MWh/yr"}
LINK_PARAMETER_UNITS = {
    "length": "km",
    "existing": "MW",
    "max_new": "MW",
    "capex_per_km": "KRW/MW/km",
    "capex_terminal": "KRW/MW",
    "fom_share": "fraction/yr",
    "efficiency": "fraction",
    "lifetime": "yr",
    "capacity_credit": "fraction",
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
    "reserve_margin": "fraction",
    "adequacy_storage_hours": "h",
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
# price indices for converting Korean nominal costs to KRW of the money year (inputs/price_indices.csv)
PRICE_INDEX_UNITS = {"cpi": "index (2020=100)"}

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
    "price_indices.csv": PRICE_INDEX_UNITS,
}

STORAGE_ONLY_PARAMETERS = (
    "capex_energy", "fom_energy", "efficiency_charge", "efficiency_discharge", "standing_loss", "fixed_duration",
    "capex_charge", "fom_charge", "lifetime_charge", "lifetime_energy", "sale_price",
)
# storage whose charging power is a capacity of its own (a hydrogen chain's electrolysers) has these as well
SEPARATE_CHARGE_PARAMETERS = ("capex_charge", "fom_charge")
REQUIRED_TECHNOLOGY_PARAMETERS = {
    "variable_renewable": ("capex", "fom", "lifetime"),
    "dispatchable": ("capex", "fom", "lifetime", "emission_factor"),
    "storage": ("capex", "fom", "lifetime", "efficiency_charge", "efficiency_discharge"),
}


EFFICIENCY = Range(lo=0, hi=1, lo_open=True)
SHARE = Range(lo=0, hi=1, hi_open=True)

TECHNOLOGY_PARAMETER_RANGES = {
    "capex": NONNEG, "capex_energy": NONNEG, "fom": NONNEG, "fom_energy": NONNEG, "vom": NONNEG,
    "lifetime": POSITIVE, "efficiency_charge": EFFICIENCY, "efficiency_discharge": EFFICIENCY,
    "standing_loss": SHARE, "fuel_price": NONNEG, "emission_factor": NONNEG, "fixed_duration": POSITIVE,
    "capex_charge": NONNEG, "fom_charge": NONNEG, "lifetime_charge": POSITIVE, "lifetime_energy": POSITIVE,
    "capacity_credit": Range(lo=0, hi=1), "sale_price": NONNEG,
}
CAPACITY_RANGES = {p: NONNEG for p in CAPACITY_UNITS}
LINK_PARAMETER_RANGES = {
    "length": POSITIVE, "existing": NONNEG, "max_new": NONNEG, "capex_per_km": NONNEG, "capex_terminal": NONNEG,
    "fom_share": SHARE, "efficiency": EFFICIENCY, "lifetime": POSITIVE, "capacity_credit": Range(lo=0, hi=1),
}
CONSTANT_RANGES = {
    "discount_rate": Range(lo=0, hi=0.3, hi_open=True),
    "money_year": Range(lo=1990, hi=2100, integer=True),
    "krw_per_usd": POSITIVE, "krw_per_eur": POSITIVE, "grid_emission_factor": NONNEG,
    "carbon_price": NONNEG, "value_of_lost_load": POSITIVE, "nonrenewable_price": NONNEG,
    "reserve_margin": Range(lo=0, hi=1), "adequacy_storage_hours": POSITIVE,
}
SHAPE_RANGES = {p: NONNEG for p in SHAPE_PARAMETERS}
VINTAGE_RANGES = {p: NONNEG for p in VINTAGE_UNITS}
BUILD_LIMIT_RANGES = {"max_build_rate": NONNEG}
AVAILABILITY_RANGES = {"max_new_in_service": NONNEG}
PRICE_INDEX_RANGES = {p: POSITIVE for p in PRICE_INDEX_UNITS}
LAT_RANGE = Range(-90, 90)  # degrees
LON_RANGE = Range(-180, 180)  # degrees
YEAR_RANGE = Range(lo=1990, hi=2100, integer=True)
COMMISSION_YEAR_RANGE = Range(lo=1900, hi=2100, integer=True)

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
    "constants.csv": (("parameter", "value", "unit", "source", "status"), ("year",)),
    "existing_vintages.csv": (("region", "technology", "parameter", "first_year", "retire_year", "value", "unit", "source",
                               "status"), ()),
    "build_limits.csv": (("technology", "region", "parameter", "value", "unit", "source", "status"), ()),
    "availability_years.csv": (("asset", "region", "year", "parameter", "value", "unit", "source", "status"), ()),
    "export_regions.csv": (("region", "parameter", "value", "unit", "source", "status"), ()),
    "price_indices.csv": (("index", "year", "value", "unit", "source", "status"), ()),
    "ranges.csv": (("driver", "rank", "table", "key", "parameter", "year", "central", "low", "high", "unit", "source",
                    "status"), ()),
}
FILES = tuple(COLUMNS)
# tables that may be absent from an inputs folder (read as empty; the features that need them say so when asked for):
# hand-made test folders need not carry them
OPTIONAL_FILES = ("export_regions.csv", "price_indices.csv", "ranges.csv")
# constants only some features need (the adequacy rule)
OPTIONAL_CONSTANTS = ("reserve_margin", "adequacy_storage_hours")
# export regions (re300.model.exports): what the region cannot turn down, its own solar, what it displaces
EXPORT_REGION_UNITS = {"must_run": "MW", "solar_capacity": "MW", "displaced_emission_factor": "tCO2/MWh"}
EXPORT_REGION_RANGES = {"must_run": NONNEG, "solar_capacity": NONNEG, "displaced_emission_factor": NONNEG}
