"""The dynamics of weather, measured against generated: persistence, distributions by season, diurnal and seasonal
shape, cross-site correlation, and fleet ramps.

    obs = station_observations(tables, measured_year)          # the KMA stations of inputs/measured/
    gen = [generated_observations(tables, wx, obs) for wx in years]   # the same quantities at the nearest sites
    table = dynamics_table(obs, gen)                           # statistic, place, measured, generated, band

Every statistic is computed the same way on the measured stations and on the generator's weather at the site
standing for each station (irradiance: the nearest site that takes the station's irradiance in
inputs/measured/site_stations.csv; wind: the nearest site whose wind is given near the ground, <= 20 m, as the
stations' 10 m anemometers). The band of a statistic is where the generator puts a single year: the mean of the
generated years ± 2 standard deviations across them (`BAND_SD`). A measured value inside it is a year the generator
could have produced; outside, the generator misses that feature (or the measured year is exceptional, as the
13-day monsoon of 2025: its note says which). One year of data cannot separate the two, so a band says "plausible",
not "equal".

Definitions (d = day, h = hour; KST, hour-beginning; daylight = hours with clear-sky GHI > 200 W/m2):

- daily clear-sky index k_d = Σ_h GHI / Σ_h GHI_clear (Ineichen, the generator's clear sky);
- `daily_clearness_lag1`: lag-1 autocorrelation of k_d minus its month's mean (persistence of cloudy spells);
- `daily_clearness_{mean,sd,p10,p90}` per season (DJF, MAM, JJA, SON): the distribution of k_d;
- `ghi_season_share` per season: the season's share of annual GHI (seasonal shape);
- `afternoon_morning_clearness`: mean hourly clear-sky index 13-16 h over 8-11 h (diurnal shape);
- `hourly_clearness_step_sd`: standard deviation of hour-to-hour changes of the hourly clear-sky index in daylight
  (the ramps of one site);
- `daily_clearness_correlation`, `hourly_clearness_step_correlation` per station pair;
- wind at 10 m: `wind_hourly_lag1` (of the speed minus its mean for that month and hour: persistence without the
  daily cycle), `wind_daily_lag1` (daily means), `wind_winter_summer_ratio` (mean Dec-Feb / Jun-Aug: the winter
  monsoon maximum), `wind_diurnal_max_min` (of the mean daily cycle), and per station pair `wind_daily_correlation`
  and `wind_hourly_step_correlation`.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import synth
from .measured import distance_km
from .tables import Site, WeatherTables

SEASONS = {"DJF": (12, 1, 2), "MAM": (3, 4, 5), "JJA": (6, 7, 8), "SON": (9, 10, 11)}
DAYLIGHT_W_M2 = 200.0
BAND_SD = 2.0
COLUMNS = ("statistic", "place", "period", "unit", "measured", "generated_mean", "generated_sd", "low", "high",
           "within_band", "generated_years", "note")


@dataclass
class Observations:
    """Hourly series of one weather year at the measuring stations (8760 rows each)."""

    index: pd.DatetimeIndex
    ghi: dict[str, np.ndarray]          # station -> W/m2
    ghi_clear: dict[str, np.ndarray]    # station -> W/m2 (Ineichen at the station or the site standing for it)
    wind: dict[str, np.ndarray]         # station -> m/s near the ground
    sites: dict[tuple[str, str], str]   # (station, 'irradiance' | 'wind') -> the generator's site standing for it


# ------------------------------------------------------------------------------------------------- observations
def station_observations(tables: WeatherTables, year_info) -> Observations:
    """The measured stations of a `re300.weather.measured.MeasuredYear`, with the generator's site standing for
    each (see the module docstring) and the clear sky at the station itself."""
    mt, st = year_info.tables, year_info.stations
    by_irradiance = mt.stations_for("irradiance")
    sites: dict[tuple[str, str], str] = {}
    for station in st.ghi:
        s = mt.stations[station]
        cands = [site for site, x in by_irradiance.items() if x == station]
        if cands:
            sites[(station, "irradiance")] = min(cands, key=lambda c: _dist(tables.sites[c], s))
    surface = [n for n, site in tables.sites.items()
               if site.params["wind_height"] <= synth.SURFACE_HEIGHT_M and site.kind != "offshore"]
    for station in st.wind:
        s = mt.stations[station]
        sites[(station, "wind")] = min(surface, key=lambda c: _dist(tables.sites[c], s))
    geo = synth.solar_geometry(st.index, [Site(k, "", "land", mt.stations[k].lat, mt.stations[k].lon, 0.0)
                                          for k in st.ghi])
    clear = {k: geo.ghi_clear[:, j] for j, k in enumerate(st.ghi)}
    return Observations(st.index, dict(st.ghi), clear, dict(st.wind), sites)


def generated_observations(wx: synth.SiteWeather, obs: Observations) -> Observations:
    """The same quantities as `obs`, taken from generated weather at the sites standing for the stations."""
    names = [s.site for s in wx.sites]
    ghi, clear, wind = {}, {}, {}
    for (station, kind), site in obs.sites.items():
        j = names.index(site)
        if kind == "irradiance":
            ghi[station], clear[station] = wx.ghi[:, j], wx.geometry.ghi_clear[:, j]
        else:
            wind[station] = wx.wind_speed[:, j]
    return Observations(wx.index, ghi, clear, wind, obs.sites)


def _dist(site: Site, station) -> float:
    return distance_km(site.lat, site.lon, station.lat, station.lon)


# ------------------------------------------------------------------------------------------------- statistics
def lag1(x: np.ndarray) -> float:
    """Lag-1 autocorrelation (about the series' mean)."""
    x = np.asarray(x, float) - np.mean(x)
    return float(np.dot(x[:-1], x[1:]) / np.dot(x, x))


def daily_clearness(ghi: np.ndarray, ghi_clear: np.ndarray) -> np.ndarray:
    """(365,) daily clear-sky index Σ_h GHI / Σ_h GHI_clear."""
    return ghi.reshape(synth.DAYS, 24).sum(axis=1) / ghi_clear.reshape(synth.DAYS, 24).sum(axis=1)


def _day_months(index: pd.DatetimeIndex) -> np.ndarray:
    return index.month.to_numpy()[::24]


def minus_monthly_mean(values: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Each value minus the mean of its month."""
    out = np.asarray(values, float).copy()
    for m in np.unique(months):
        out[months == m] -= out[months == m].mean()
    return out


def _hourly_clearness(ghi, clear):
    day = clear > DAYLIGHT_W_M2
    return np.where(day, ghi / np.maximum(clear, 1.0), np.nan), day


def solar_statistics(obs: Observations) -> dict[tuple[str, str, str], float]:
    """{(statistic, place, period): value} of the irradiance statistics (module docstring)."""
    out = {}
    months = _day_months(obs.index)
    hours = obs.index.hour.to_numpy()
    steps = {}
    daily = {}
    for st, ghi in obs.ghi.items():
        k = daily_clearness(ghi, obs.ghi_clear[st])
        daily[st] = k
        out[("daily_clearness_lag1", st, "year")] = lag1(minus_monthly_mean(k, months))
        total = ghi.sum()
        for season, ms in SEASONS.items():
            sel = np.isin(months, ms)
            ks = k[sel]
            out[("daily_clearness_mean", st, season)] = float(ks.mean())
            out[("daily_clearness_sd", st, season)] = float(ks.std())
            out[("daily_clearness_p10", st, season)] = float(np.percentile(ks, 10))
            out[("daily_clearness_p90", st, season)] = float(np.percentile(ks, 90))
            out[("ghi_season_share", st, season)] = float(ghi[np.repeat(sel, 24)].sum() / total)
        kh, day = _hourly_clearness(ghi, obs.ghi_clear[st])
        am = np.nanmean(kh[day & (hours >= 8) & (hours <= 11)])
        pm = np.nanmean(kh[day & (hours >= 13) & (hours <= 16)])
        out[("afternoon_morning_clearness", st, "year")] = float(pm / am)
        step = np.diff(kh)
        steps[st] = step
        out[("hourly_clearness_step_sd", st, "year")] = float(np.nanstd(step))
    for a, b in itertools.combinations(sorted(obs.ghi), 2):
        pair = f"{a}|{b}"
        out[("daily_clearness_correlation", pair, "year")] = float(np.corrcoef(daily[a], daily[b])[0, 1])
        ok = np.isfinite(steps[a]) & np.isfinite(steps[b])
        out[("hourly_clearness_step_correlation", pair, "year")] = float(np.corrcoef(steps[a][ok], steps[b][ok])[0, 1])
    return out


def wind_statistics(obs: Observations) -> dict[tuple[str, str, str], float]:
    """{(statistic, place, period): value} of the 10 m wind statistics (module docstring)."""
    out = {}
    month = obs.index.month.to_numpy()
    hour = obs.index.hour.to_numpy()
    key = month * 24 + hour
    daily, steps = {}, {}
    for st, v in obs.wind.items():
        v = np.asarray(v, float)
        cycle = pd.Series(v).groupby(key).transform("mean").to_numpy()
        out[("wind_hourly_lag1", st, "year")] = lag1(v - cycle)
        d = v.reshape(synth.DAYS, 24).mean(axis=1)
        daily[st], steps[st] = d, np.diff(v)
        out[("wind_daily_lag1", st, "year")] = lag1(d)
        out[("wind_winter_summer_ratio", st, "year")] = float(v[np.isin(month, SEASONS["DJF"])].mean()
                                                              / v[np.isin(month, SEASONS["JJA"])].mean())
        prof = pd.Series(v).groupby(hour).mean()
        out[("wind_diurnal_max_min", st, "year")] = float(prof.max() / prof.min())
    for a, b in itertools.combinations(sorted(obs.wind), 2):
        pair = f"{a}|{b}"
        out[("wind_daily_correlation", pair, "year")] = float(np.corrcoef(daily[a], daily[b])[0, 1])
        out[("wind_hourly_step_correlation", pair, "year")] = float(np.corrcoef(steps[a], steps[b])[0, 1])
    return out


def statistics(obs: Observations) -> dict[tuple[str, str, str], float]:
    return {**solar_statistics(obs), **wind_statistics(obs)}


UNITS = {"ghi_season_share": "fraction of annual GHI", "wind_winter_summer_ratio": "1", "wind_diurnal_max_min": "1"}


def dynamics_table(measured: Observations, generated: list[Observations],
                   notes: dict[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """One row per statistic and place: the measured value, the mean and standard deviation over the generated
    years, the band (mean ± BAND_SD sd) and whether the measured value lies in it. `notes`: {(statistic, period):
    text} added to rows outside their band (what is known about the measured year)."""
    meas = statistics(measured)
    gens = [statistics(g) for g in generated]
    rows = []
    for key, m in meas.items():
        vals = np.array([g[key] for g in gens], float)
        mean, sd = float(vals.mean()), float(vals.std(ddof=1)) if len(vals) > 1 else float("nan")
        lo, hi = mean - BAND_SD * sd, mean + BAND_SD * sd
        within = bool(lo <= m <= hi)
        stat, place, period = key
        note = "" if within else (notes or {}).get((stat, period), "")
        rows.append((stat, place, period, UNITS.get(stat, "1"), m, mean, sd, lo, hi, within, len(vals), note))
    return pd.DataFrame(rows, columns=list(COLUMNS))


# ------------------------------------------------------------------------------------------------- fleets
def ramp_sd(cf: np.ndarray) -> float:
    """Standard deviation of hour-to-hour changes of a capacity-factor series [fraction of capacity per hour]."""
    return float(np.std(np.diff(np.asarray(cf, float))))


def weather_ramp_sd(cf: np.ndarray, index: pd.DatetimeIndex) -> float:
    """`ramp_sd` of the series minus its mean for each month and hour (the sun's daily rise and fall, the same for
    every site, taken out: what is left are the ramps weather makes, which a fleet smooths)."""
    cf = np.asarray(cf, float)
    key = index.month.to_numpy() * 24 + index.hour.to_numpy()
    return ramp_sd(cf - pd.Series(cf).groupby(key).transform("mean").to_numpy())


def fleet_table(site_cf: dict[tuple[str, str], np.ndarray], fleet_cf: dict[tuple[str, str], np.ndarray],
                members: dict[tuple[str, str], int], index: pd.DatetimeIndex) -> pd.DataFrame:
    """Per pair: its sites, the capacity factor and the hourly ramps (sd of hour-to-hour changes, all and the
    weather-made part, `weather_ramp_sd`) of its main site alone and of the fleet."""
    rows = []
    for pair, one in site_cf.items():
        fleet = fleet_cf[pair]
        a, b = weather_ramp_sd(one, index), weather_ramp_sd(fleet, index)
        rows.append((pair[0], pair[1], members[pair], float(np.mean(one)), float(np.mean(fleet)), ramp_sd(one),
                     ramp_sd(fleet), a, b, b / a if a else float("nan")))
    return pd.DataFrame(rows, columns=["technology", "region", "sites", "cf_one_site", "cf_fleet", "ramp_sd_one_site",
                                       "ramp_sd_fleet", "weather_ramp_sd_one_site", "weather_ramp_sd_fleet",
                                       "weather_ramp_fleet_over_one_site"])
