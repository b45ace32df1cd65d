"""The weather years a plan is stress-tested on.

- `plan`: the plan's own snapshots exactly as solved (its typical days, or whatever horizon it used): the LP with every
  capacity fixed at the plan's must give back the plan's own cost; a check of the machinery, not a weather year.
- `typical`: the plan's weather year (`weather.year`, `weather.seed`, typical: at its calibration targets) on the
  stress test's chronological horizon; shows what the horizon of the plan leaves out.
- `synthetic-i` (i = 1 .. N): sampled synthetic years on the same calendar, seeds `weather.seed + i`, with their own
  anomalies of monthly GHI and annual mean wind (re300.weather.synth); a multi-year plan's own planning years use
  seeds `weather.seed + 1001 ..`, so they never coincide.
- `measured-<year>`: the measured KMA weather of each year that inputs/measured/ has and whose calendar the demand
  shape can follow (the plan's `weather.year`).

The N synthetic years and the measured year are the stress years: the range and the worst year are taken over them.
"""
from __future__ import annotations

from dataclasses import dataclass

#: hours per chronological step of a stress year (1 = hourly; README 'Weather stress test')
DEFAULT_RESOLUTION_H = 2

#: kinds of weather year (see the module docstring); only STRESS_KINDS count in the range and the worst year
KINDS = ("plan", "typical", "synthetic", "measured")
STRESS_KINDS = ("synthetic", "measured")


@dataclass(frozen=True)
class WeatherYear:
    name: str          # row label in stress.csv
    kind: str          # one of KINDS
    year: int          # calendar year of the weather (and of the demand shape)
    seed: int          # synthetic seed (the plan's seed for the measured year's synthetic offshore wind)
    source: str        # embedded | measured
    variability: str   # typical | sampled

    @property
    def counts(self) -> bool:
        return self.kind in STRESS_KINDS


def stress_years(scenario, n: int, measured_years: list[int]) -> list[WeatherYear]:
    """The plan row, the typical year, N sampled years and the measured year of the plan's calendar (if any)."""
    w = scenario.weather
    out = [WeatherYear("plan", "plan", w.year, w.seed, w.source, w.variability),
           WeatherYear("typical", "typical", w.year, w.seed, "embedded", "typical")]
    out += [WeatherYear(f"synthetic-{i}", "synthetic", w.year, w.seed + i, "embedded", "sampled")
            for i in range(1, n + 1)]
    if w.year in measured_years:
        out.append(WeatherYear(f"measured-{w.year}", "measured", w.year, w.seed, "measured", "typical"))
    return out
