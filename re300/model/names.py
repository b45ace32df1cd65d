"""The names of the LP, in one place: capacity kinds and the variable and row families every other package reads.

Model components create their variables and rows under these names; results, the myopic pathway, MGA, the
infeasible-subset text and the audit look them up here instead of repeating string literals.

Capacity kinds (one build-variable family each; `re300.model.investment.add_builds`):

| kind            | LP variable        | ModelData frame | existing column      | limit column        | unit |
|-----------------|--------------------|-----------------|----------------------|---------------------|------|
| generators      | capacity_new       | generators      | existing_mw          | max_new_mw          | MW   |
| storage_power   | power_new          | storage         | existing_mw          | max_new_mw          | MW   |
| storage_energy  | energy_new         | storage         | existing_mwh         | max_new_mwh         | MWh  |
| storage_charge  | charge_power_new   | storage         | charge_existing_mw   | charge_max_new_mw   | MW   |
| links           | link_new           | links           | existing_mw          | max_new_mw          | MW   |
"""
from __future__ import annotations

from dataclasses import dataclass

from . import units as U


@dataclass(frozen=True)
class CapacityKind:
    """One kind of capacity that can be built: its LP variable, the ModelData columns that describe it, its unit and
    the words for its upper bound."""

    family: str  # generators | storage_power | storage_energy | storage_charge | links
    variable: str  # LP variable family of its build options
    frame: str  # ModelData frame holding its assets
    existing: str  # column: capacity already built [unit]
    max_new: str  # column: limit on new capacity [unit]
    lifetime: str  # column: years a build serves [yr]
    unit: str  # MW or MWh
    limit_text: str  # what its upper bound is called in messages

    @property
    def scale(self) -> float:
        """Data unit -> LP unit (MW -> GW, MWh -> GWh)."""
        return U.ENERGY if self.unit == "MWh" else U.POWER


GENERATORS = CapacityKind("generators", "capacity_new", "generators", "existing_mw", "max_new_mw", "lifetime_yr", "MW",
                          "potential")
STORAGE_POWER = CapacityKind("storage_power", "power_new", "storage", "existing_mw", "max_new_mw", "lifetime_yr", "MW",
                             "power build limit")
STORAGE_ENERGY = CapacityKind("storage_energy", "energy_new", "storage", "existing_mwh", "max_new_mwh",
                              "energy_lifetime_yr", "MWh", "energy build limit")
STORAGE_CHARGE = CapacityKind("storage_charge", "charge_power_new", "storage", "charge_existing_mw", "charge_max_new_mw",
                              "charge_lifetime_yr", "MW", "charging power build limit")
LINKS = CapacityKind("links", "link_new", "links", "existing_mw", "max_new_mw", "lifetime_yr", "MW", "expansion limit")

CAPACITY_KINDS: tuple[CapacityKind, ...] = (GENERATORS, STORAGE_POWER, STORAGE_ENERGY, STORAGE_CHARGE, LINKS)
KIND = {k.family: k for k in CAPACITY_KINDS}
CAPACITY_VARIABLES = tuple(k.variable for k in CAPACITY_KINDS)


class Var:
    """LP variable families (besides the capacity kinds above)."""

    DISPATCH = "dispatch"  # generator output [GW]
    CHARGE = "charge"  # storage charging [GW]
    DISCHARGE = "discharge"  # storage discharge [GW]
    SOC = "soc"  # state of charge [GWh] (relative within a typical day for linked storage)
    SOC_INTER = "soc_inter"  # stored energy at the start of each calendar day (linked storage) [GWh]
    SOC_MAX = "soc_max"  # highest relative level of a typical day [GWh]
    SOC_MIN = "soc_min"  # lowest relative level of a typical day [GWh]
    FLOW_FORWARD = "flow_forward"  # link flow from_region -> to_region, at the sending end [GW]
    FLOW_BACKWARD = "flow_backward"  # link flow to_region -> from_region [GW]
    UNSERVED = "unserved"  # unserved demand [GW]
    ABSORBED = "absorbed"  # energy taken by an export region [GW]
    RENEWABLE_SHORTFALL = "renewable_shortfall"  # renewable target missed [GWh]
    EXPORT_SHORTFALL = "export_shortfall"  # export commitment missed [GWh]
    RE100_SHORTFALL = "re100_shortfall"  # hourly-matched RE100 load not met [GW]
    SOLD = "sold"  # stored medium sold out of storage (hydrogen to industry) [GW of the medium]
    FIRM_STORAGE = "firm_storage"  # storage power credited as firm in the adequacy rule [GW]


class Row:
    """LP row (constraint) families."""

    POWER_BALANCE = "power_balance"
    AVAILABILITY = "availability"
    CHARGE_LIMIT = "charge_limit"
    DISCHARGE_LIMIT = "discharge_limit"
    ENERGY_LIMIT = "energy_limit"
    SOC_BALANCE = "soc_balance"
    SOC_INTRA_MAX = "soc_intra_max"
    SOC_INTRA_MIN = "soc_intra_min"
    SOC_INTER_BALANCE = "soc_inter_balance"
    SOC_INTER_UPPER = "soc_inter_upper"
    SOC_INTER_LOWER = "soc_inter_lower"
    FLOW_LIMIT_FORWARD = "flow_limit_forward"
    FLOW_LIMIT_BACKWARD = "flow_limit_backward"
    RENEWABLE_TARGET = "renewable_target"
    EXPORT_TARGET = "export_target"
    BUILD_RATE = "build_rate"
    RE100_HOURLY_MATCH = "re100_hourly_match"
    RENEWABLE_ONLY_EXPORTS = "renewable_only_exports"
    ABSORBED_FROM_HONAM = "absorbed_from_honam"
    ADEQUACY = "adequacy"
    FIRM_STORAGE_POWER = "firm_storage_power"
    FIRM_STORAGE_ENERGY = "firm_storage_energy"
    SALES_LIMIT = "sales_limit"


TARGET_ROWS = (Row.RENEWABLE_TARGET, Row.EXPORT_TARGET)
SHORTFALL_OF_TARGET = {"renewable": Var.RENEWABLE_SHORTFALL, "export": Var.EXPORT_SHORTFALL}
