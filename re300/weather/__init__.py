"""Weather -> hourly capacity factors: embedded seeded synthetic weather (``synth``, ``convert``), real weather files
per site (``readers``) and the validation report against Korean statistics (``report``).

Public API::

    capacity_factors(inputs_dir, pairs, weather_year=2023, seed=20210531, cache_dir=None, *, weather_files=None)
        -> pandas.DataFrame
    weather_dataset(inputs_dir, weather_year=2023, seed=20210531, *, weather_files=None) -> xarray.Dataset
    read_site_weather(FileSpec(path, format), site, year, ghi_clear) -> SiteSeries      (re300.weather.readers)
    write_report(scenario, output_dir=None, cache_dir=None) -> Path                      (re300.weather.report)
"""
from .api import CODE_VERSION, DEFAULT_SEED, capacity_factors, weather_dataset
from .readers import FORMATS, FileSpec, read_site_weather

__all__ = ["capacity_factors", "weather_dataset", "read_site_weather", "FileSpec", "FORMATS", "CODE_VERSION",
           "DEFAULT_SEED"]
