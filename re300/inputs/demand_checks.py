"""Demand statistics (peak, load factor, peak hour) of the modelled hourly demand, and checks against published figures.

    stats, checks = demand_report(tables, demand_section, years=[2024, 2025])

- ``stats`` (demand_statistics.csv of the profile report): one row per place (each honam region, gwangju+jeonnam,
  honam, capital, national), calendar year and shape (measured: the KPX national demand of that year; sectors: the
  sector shapes on the same calendar): annual energy [GWh], peak [MW], its time and hour (KST hour-beginning),
  load factor (mean / peak), minimum [MW] and its time.
- ``checks`` (demand_checks.csv): the rows of ``inputs/demand_checks.csv`` (check, place, year, period, reference,
  low, high, unit, source, status, explanation) with the model's value, whether it lies in the band, and a note.

Check kinds: ``peak`` (the year's highest hour), ``monthly_peak`` (period = month 1..12), ``average_load``,
``spring_minimum`` (lowest hour of March-May). Places: a honam region, several joined by ``+``, ``honam`` (all
three), ``capital`` (inputs/region_demand.csv on the same shape) or ``national`` (the KPX file itself).
The demand of a check is the scenario's (base-year consumption x growth) on the measured shape of the check's year.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import Range, check_provenance, number, read_records, required_cell
from re300.errors import InputError
from re300.inputs.demand import capital_region_demand, hourly_demand, region_annual_demand
from re300.inputs.measured import demand_years, read_national_demand
from re300.inputs.tables import InputTables

CHECKS_FILE = "demand_checks.csv"
CHECK_KINDS = {"peak": "MW", "monthly_peak": "MW", "average_load": "MW", "spring_minimum": "MW"}
STAT_COLUMNS = ("place", "year", "shape", "annual_gwh", "peak_mw", "peak_time", "peak_hour", "load_factor", "min_mw",
                "min_time")
CHECK_COLUMNS = ("check", "place", "year", "period", "value", "reference", "low", "high", "unit", "within_band",
                 "note", "source", "status")


def _hour_index(year: int) -> pd.DatetimeIndex:
    idx = pd.date_range(f"{year}-01-01 00:00", f"{year}-12-31 23:00", freq="h")
    idx = idx[~((idx.month == 2) & (idx.day == 29))]
    return pd.DatetimeIndex(idx.to_numpy().astype("datetime64[ns]"), name="time")


def places_of(tables: InputTables) -> list[str]:
    honam = tables.honam_regions
    return [*honam, "gwangju+jeonnam", "honam", "capital", "national"]


def place_series(place: str, demand: pd.DataFrame, capital: pd.Series | None, national: pd.Series) -> pd.Series:
    """Hourly MW of a place from the honam regions' demand, the capital region's and the national series."""
    if place == "national":
        return national
    if place == "capital":
        if capital is None:
            raise KeyError(place)
        return capital
    regions = list(demand.columns) if place == "honam" else place.split("+")
    missing = [r for r in regions if r not in demand.columns]
    if missing:
        raise KeyError(place)
    return demand[regions].sum(axis=1)


def _stats(place: str, year: int, shape: str, s: pd.Series) -> dict:
    peak_t, min_t = s.idxmax(), s.idxmin()
    return dict(place=place, year=year, shape=shape, annual_gwh=float(s.sum()) / 1000.0, peak_mw=float(s.max()),
                peak_time=str(peak_t), peak_hour=int(peak_t.hour), load_factor=float(s.mean() / s.max()),
                min_mw=float(s.min()), min_time=str(min_t))


def load_demand_checks(inputs_dir: Path, places: list[str]) -> list[tuple[int, dict]]:
    """inputs/demand_checks.csv, validated (one InputError line naming file, row, column, value, expected)."""
    path = Path(inputs_dir) / CHECKS_FILE
    rows = read_records(path, ("check", "place", "year", "period", "reference", "low", "high", "unit", "source",
                               "status", "explanation"))
    out = []
    for line, rec in rows:
        kind = required_cell(path, line, rec, "check")
        if kind not in CHECK_KINDS:
            raise InputError(path, "unknown check", row=line, column="check", value=kind,
                             expected="one of " + ", ".join(CHECK_KINDS))
        if rec["unit"] != CHECK_KINDS[kind]:
            raise InputError(path, f"wrong unit for check '{kind}'", row=line, column="unit", value=rec["unit"],
                             expected=CHECK_KINDS[kind])
        place = required_cell(path, line, rec, "place")
        if place not in places and not all(p in places for p in place.split("+")):
            raise InputError(path, "unknown place", row=line, column="place", value=place,
                             expected="one of " + ", ".join(places) + " (regions may be joined by '+')")
        year = int(number(path, line, "year", required_cell(path, line, rec, "year"), Range(1990, 2100, integer=True)))
        period = rec.get("period", "")
        if kind == "monthly_peak":
            number(path, line, "period", period, Range(1, 12, integer=True), what="month")
        elif period:
            raise InputError(path, f"check '{kind}' takes no period", row=line, column="period", value=period,
                             expected="an empty field")
        ref = number(path, line, "reference", rec["reference"], blank="")
        low = number(path, line, "low", rec["low"], blank="no lower bound")
        high = number(path, line, "high", rec["high"], blank="no upper bound")
        if low is None and high is None:
            raise InputError(path, "a band needs at least one bound", row=line, column="low", expected="a number")
        if low is not None and high is not None and low > high:
            raise InputError(path, "low above high", row=line, column="low", value=rec["low"],
                             expected=f"<= {rec['high']}")
        check_provenance(path, line, rec)
        out.append((line, dict(rec, year=year, reference=ref, low=low, high=high)))
    return out


def demand_report(tables: InputTables, demand_section, years: list[int] | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(statistics, checks) of the scenario's demand (`demand_section`: the scenario's `demand`) on the measured
    shape of each year with a KPX file (default: all of them) and on the sector shapes of the same calendars."""
    inputs_dir = Path(tables.inputs_dir)
    available = demand_years(inputs_dir)
    years = available if years is None else [y for y in years if y in available]
    factors = {r: demand_section.factor(r) for r in tables.honam_regions}
    try:
        capital_gwh = region_annual_demand(tables, "capital", demand_section.base_year) * demand_section.growth_factor
    except InputError:
        capital_gwh = None
    places = places_of(tables)
    series: dict[tuple[int, str], tuple] = {}
    rows = []
    for year in years:
        time = _hour_index(year)
        national = read_national_demand(inputs_dir, year)
        for shape in ("measured", "sectors"):
            demand = hourly_demand(tables, time, factors, base_year=demand_section.base_year, shape=shape)
            capital = (capital_region_demand(national, capital_gwh) if capital_gwh is not None and shape == "measured"
                       else None)
            series[(year, shape)] = (demand, capital, national)
            for place in places:
                if place == "national" and shape == "sectors":
                    continue
                try:
                    s = place_series(place, demand, capital, national)
                except KeyError:
                    continue
                rows.append(_stats(place, year, shape if place != "national" else "measured (KPX data)", s))
    stats = pd.DataFrame(rows, columns=list(STAT_COLUMNS))
    checks = []
    for line, c in load_demand_checks(inputs_dir, places):
        key = (c["year"], "measured")
        if key not in series:
            value, note, within = math.nan, f"no measured demand for {c['year']} (years with a KPX file: " \
                                            f"{', '.join(map(str, available))})", False
        else:
            demand, capital, national = series[key]
            try:
                s = place_series(c["place"], demand, capital, national)
            except KeyError:
                s = None
            if s is None:
                value, note, within = math.nan, f"no demand for place {c['place']}", False
            else:
                value = _value(c, s)
                within = ((c["low"] is None or value >= c["low"]) and (c["high"] is None or value <= c["high"]))
                note = "" if within else _note(c, value)
        checks.append(dict(check=c["check"], place=c["place"], year=c["year"], period=c["period"], value=value,
                           reference=c["reference"], low=c["low"], high=c["high"], unit=c["unit"],
                           within_band=bool(within), note=note, source=c["source"], status=c["status"]))
    return stats, pd.DataFrame(checks, columns=list(CHECK_COLUMNS))


def _value(c: dict, s: pd.Series) -> float:
    if c["check"] == "peak":
        return float(s.max())
    if c["check"] == "monthly_peak":
        return float(s[s.index.month == int(c["period"])].max())
    if c["check"] == "average_load":
        return float(s.mean())
    if c["check"] == "spring_minimum":
        return float(s[s.index.month.isin([3, 4, 5])].min())
    raise AssertionError(c["check"])  # pragma: no cover -- load_demand_checks admits only CHECK_KINDS


def _note(c: dict, value: float) -> str:
    side, bound = ("below", c["low"]) if c["low"] is not None and value < c["low"] else ("above", c["high"])
    ref = c["reference"]
    rel = f" ({100.0 * (value / ref - 1.0):+.0f} % against the reference {ref:,.0f})" if ref else ""
    text = f"{value:,.0f} {c['unit']} is {abs(value - bound):,.0f} {side} the band{rel}"
    return f"{text}; {c['explanation']}" if c.get("explanation") else text


def honam_load_factor(demand: pd.DataFrame) -> float:
    """Load factor (mean / peak) of the summed honam demand."""
    s = np.asarray(demand.sum(axis=1), float)
    return float(s.mean() / s.max())
