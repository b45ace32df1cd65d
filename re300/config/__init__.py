"""Scenario configuration: YAML in `models/` -> validated `Scenario` (see `re300.config.scenario`)."""
from re300.config.scenario import Scenario, load_scenario, validate_names

__all__ = ["Scenario", "load_scenario", "validate_names"]
