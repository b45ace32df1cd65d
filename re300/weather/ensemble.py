"""The generator's sampled years as a set: the years the stress test runs on, and what `make profiles` checks the
generator's dynamics and inter-annual spread with.

    seeds = sampled_seeds(seed)                          # seed + 1 .. seed + ENSEMBLE_YEARS (the stress years)
    cf = ensemble_cf(inputs_dir, pairs, year, seeds)     # {seed: hourly capacity factors of that sampled year}
    table = dynamics_report(tables, year_info, year, seeds)   # measured vs generated (re300.weather.dynamics)
    fleets = fleet_report(tables, year, seed)             # ramps of one site and of the fleet, per pair
"""
from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd

from . import api, dynamics, synth
from .tables import WeatherTables

#: sampled years of the report (the stress test's default number of synthetic years)
ENSEMBLE_YEARS = 20
#: what is known about the measured year where a statistic of it falls outside the generator's band
MEASURED_NOTES = {
    ("daily_clearness_mean", "JJA"): "2025 had a 13-day monsoon (the second shortest on record; KMA Gwangju office): a "
                                     "sunnier summer than the generator's climatology gives in most years",
    ("ghi_season_share", "JJA"): "2025's short monsoon moved GHI into the summer",
    ("ghi_season_share", "SON"): "2025's short monsoon moved GHI into the summer",
    ("ghi_season_share", "MAM"): "2025's short monsoon moved GHI into the summer",
    ("daily_clearness_mean", "DJF"): "2025 was 4-12 % sunnier than the calibrated level outside summer "
                                     "(re300/weather/README.md 'Irradiation level')",
    ("daily_clearness_mean", "MAM"): "2025 was 4-12 % sunnier than the calibrated level outside summer",
    ("wind_winter_summer_ratio", "year"): "the winter monsoon maximum is a coastal feature; sheltered inland "
                                          "anemometers (Gwangju, Jeonju) showed none in 2025, the generator gives "
                                          "every site the coastal cycle (the farms are coastal or offshore)",
    ("wind_hourly_lag1", "year"): "one persistence for every site: exposed coastal masts (Mokpo) are smoother, "
                                  "sheltered town anemometers (Jeonju, Gwangju) gustier than the generator",
}


def sampled_seeds(seed: int, n: int = ENSEMBLE_YEARS) -> list[int]:
    """Seeds of the sampled years: seed + 1 .. seed + n (re300.stress.years uses the same)."""
    return [int(seed) + i for i in range(1, n + 1)]


def ensemble_cf(inputs_dir: Path, pairs, year: int, seeds: list[int], cache_dir: Path | None = None
                ) -> dict[int, pd.DataFrame]:
    """{seed: capacity factors of the sampled synthetic year} (cached like every profile)."""
    return {s: api.capacity_factors(inputs_dir, pairs, weather_year=year, seed=s, cache_dir=cache_dir, sampled=True)
            for s in seeds}


def dynamics_report(tables: WeatherTables, year_info, year: int, seeds: list[int]) -> pd.DataFrame:
    """dynamics.csv: every statistic of re300.weather.dynamics on the measured stations against the sampled years."""
    obs = dynamics.station_observations(tables, year_info)
    generated = []
    for s in seeds:   # one year at a time: keep only the series the statistics need
        wx = synth.synthesize(tables, tables.generated_sites, year, s, sampled=True)
        generated.append(dynamics.generated_observations(wx, obs))
    return dynamics.dynamics_table(obs, generated, MEASURED_NOTES)


def fleet_report(tables: WeatherTables, year: int, seed: int) -> pd.DataFrame:
    """fleet.csv: per pair with a fleet, its main site alone against the fleet (typical year of `seed`)."""
    pairs = list(tables.fleets)
    if not pairs:
        return pd.DataFrame()
    fleet = api.compute_capacity_factors(tables, pairs, year, seed)
    single_tables = copy.copy(tables)
    single_tables.fleets = {}
    one = api.compute_capacity_factors(single_tables, pairs, year, seed)
    return dynamics.fleet_table({p: one[p].to_numpy() for p in pairs}, {p: fleet[p].to_numpy() for p in pairs},
                                {p: len(tables.fleets[p][0]) for p in pairs}, fleet.index)
