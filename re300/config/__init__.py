"""Scenario configuration: YAML in `models/` -> validated `Scenario`.

Modules: `schema` (the sections and `Scenario`), `loading` (YAML, `extends`, paths: `load_scenario`), `messages`
(validation errors as one line), `names` (`validate_names` against the input tables), `origins` (which file set a key).
"""
from re300.config.loading import load_scenario
from re300.config.names import validate_names
from re300.config.schema import (
    HOURS_PER_WEEK,
    HOURS_PER_YEAR,
    N_WEEKS,
    Demand,
    Links,
    Pathway,
    PeriodTarget,
    Prices,
    Re100Load,
    Scenario,
    Solver,
    Targets,
    Technologies,
    Time,
    Weather,
    WeatherFile,
)
from re300.errors import ConfigError

__all__ = [
    "HOURS_PER_YEAR",
    "HOURS_PER_WEEK",
    "N_WEEKS",
    "Scenario",
    "Demand",
    "Targets",
    "Prices",
    "Technologies",
    "Links",
    "Time",
    "Weather",
    "WeatherFile",
    "Solver",
    "Pathway",
    "PeriodTarget",
    "Re100Load",
    "ConfigError",
    "load_scenario",
    "validate_names",
]
