"""Scenario + validated input tables + snapshots (capacity factors, demand) → `ModelData`, the numbers the LP uses.

- `costs`: annualised costs and capacity limits of every generator, storage and link for a cost year;
- `single_year`: `assemble_model_data` (one planning year; dispatches to `pathway` when the scenario has one);
- `pathway`: the snapshots repeated per investment period with per-period costs, existing capacity, limits, targets;
- `re100`: RE100 loads added to demand and recorded for the hourly matching;
- `committed`: committed projects (lower bounds on new capacity) and the existing capacity in service in a single year;
- `profiles`: the capacity-factor floor.

No file is read here except through the `InputTables` passed in, so tests build a tiny inputs folder and call
`assemble_model_data` directly, without weather or tsam.
"""
from .committed import capacities_in_service, committed_builds
from .costs import asset_rows, capital_recovery_factor, discount_rate
from .pathway import pathway_model_data
from .profiles import CAPACITY_FACTOR_FLOOR, floor_capacity_factors
from .re100 import re100_load_series, with_re100_loads
from .single_year import assemble_model_data, target_settings

__all__ = ["CAPACITY_FACTOR_FLOOR", "asset_rows", "assemble_model_data", "capacities_in_service", "capital_recovery_factor",
           "committed_builds", "discount_rate",
           "floor_capacity_factors", "pathway_model_data", "re100_load_series", "target_settings", "with_re100_loads"]
