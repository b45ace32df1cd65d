"""Plans tested against many weather years (`re300 stress outputs/<run> --years N`): keep the plan's capacities,
re-dispatch them on N sampled synthetic years and the measured year on a chronological horizon, on Dask.

    report = run_stress("outputs/re300_2050", years=20)     # writes outputs/re300_2050/stress/
    report.table                                             # stress.csv as a DataFrame

- `plan`: the plan of a finished single-year run (capacities, costs, scenario; input hashes checked);
- `years`: the weather years (the plan's own snapshots, its typical year, sampled years, the measured year);
- `dispatch`: one year's fixed-capacity LP and its figures and checks;
- `runner`: the Dask run, stress.csv / stress.json / summary.md, the summary (re300.report.stress).
"""
from importlib import import_module

from .years import DEFAULT_RESOLUTION_H

__all__ = ["DEFAULT_RESOLUTION_H", "Plan", "StressReport", "WeatherYear", "load_plan", "redispatch", "run_stress",
           "stress_years", "year_data"]
_HOME = {"redispatch": "dispatch", "year_data": "dispatch", "Plan": "plan", "load_plan": "plan",
         "StressReport": "runner", "run_stress": "runner", "WeatherYear": "years", "stress_years": "years"}


def __getattr__(name):  # lazy: building the command line (`re300 --help`) should not import pvlib, dask and HiGHS
    if name in _HOME:
        return getattr(import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(name)
