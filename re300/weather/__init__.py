"""Weather -> hourly capacity factors (embedded seeded synthetic weather; see ``synth`` and ``convert``).

Public API::

    capacity_factors(inputs_dir, pairs, weather_year=2023, seed=20210531, cache_dir=None) -> pandas.DataFrame
    weather_dataset(inputs_dir, weather_year=2023, seed=20210531) -> xarray.Dataset
"""
from .api import CODE_VERSION, DEFAULT_SEED, capacity_factors, weather_dataset

__all__ = ["capacity_factors", "weather_dataset", "CODE_VERSION", "DEFAULT_SEED"]
