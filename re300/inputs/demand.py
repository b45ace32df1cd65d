"""Hourly demand [MW] of the honam regions (and of the capital region) from annual consumption x an hourly shape.

Two shapes (`hourly_demand(..., shape=...)`; scenarios: `demand.shape`, default 'measured'):

- 'measured': the KPX hourly national demand of the same calendar year (`re300.inputs.measured`, files in
  inputs/measured/): demand[t, region] = annual_GWh[region] x 1000 x growth[region] x national[t] / sum(national).
  Weekdays, holidays and heat or cold spells then fall on the days they fell in that year, the same days as a
  measured weather year. It assumes each province's hour-to-hour load moves like the nation's market demand (see
  the module docstring of re300.inputs.measured for what that leaves out).
- 'sectors': annual consumption by sector x sector shapes. shape_s(t) = month_s[month(t)] x day_s(t) x
  hour_s[daytype(t)][hour(t)], normalised to sum to 1 over the year, where day_s = 1 on weekdays and
  `weekend_factor` on Saturdays, Sundays and public holidays, and the two 24-h profiles (weekday/weekend) are each
  normalised to mean 1. All factors come from `inputs/demand_shapes.csv` (with unit/source/status); none are in code.
  demand[t, region] = sum_s annual_GWh[region, s] x 1000 x growth[region] x shape_s(t).

Either way each region's hourly series sums exactly (to floating point) to its annual energy x growth over the
8760 hours. `capital_region_demand(year_shape, annual_gwh)` spreads the capital region's annual consumption
(inputs/region_demand.csv, read by `region_annual_demand`) over the same measured shape.
Time convention (docs/architecture.md): tz-naive KST, hour-beginning, 365 days (no 29 Feb).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import (
    LINE,
    Range,
    check_duplicates,
    check_names,
    check_nonempty,
    check_source_status,
    parse_number,
    parse_year,
    read_table,
    unit,
)
from re300.errors import InputError
from re300.inputs.tables import SECTORS, InputTables

HOURS_PER_YEAR = 8760
SHAPES = ("measured", "sectors")
#: annual consumption of the regions that are not honam (the capital region), with source and status
REGION_DEMAND_FILE = "region_demand.csv"

# Korean public holidays (Act on Public Holidays). Fixed solar-calendar dates apply to every year.
# Lunar-calendar holidays (Seollal and Chuseok: eve, day, day after; Buddha's Birthday) are listed for
# 2018-2025 only (dates as published in the Korean government calendar, e.g.
# https://www.timeanddate.com/holidays/south-korea/); substitute holidays and election days are not
# included. Outside 2018-2025 only the fixed dates are used.
FIXED_HOLIDAYS = ((1, 1), (3, 1), (5, 5), (6, 6), (8, 15), (10, 3), (10, 9), (12, 25))
LUNAR_HOLIDAYS = {
    # year: (Seollal day, Buddha's Birthday, Chuseok day)
    2018: ("2018-02-16", "2018-05-22", "2018-09-24"),
    2019: ("2019-02-05", "2019-05-12", "2019-09-13"),
    2020: ("2020-01-25", "2020-04-30", "2020-10-01"),
    2021: ("2021-02-12", "2021-05-19", "2021-09-21"),
    2022: ("2022-02-01", "2022-05-08", "2022-09-10"),
    2023: ("2023-01-22", "2023-05-27", "2023-09-29"),
    2024: ("2024-02-10", "2024-05-15", "2024-09-17"),
    2025: ("2025-01-29", "2025-05-05", "2025-10-06"),
}


def korean_public_holidays(years: Iterable[int]) -> set[dt.date]:
    """Public holidays of the given years (fixed dates always; lunar ones for 2018-2025)."""
    out: set[dt.date] = set()
    one = dt.timedelta(days=1)
    for y in years:
        out.update(dt.date(y, m, d) for m, d in FIXED_HOLIDAYS)
        if y in LUNAR_HOLIDAYS:
            seollal, buddha, chuseok = (dt.date.fromisoformat(s) for s in LUNAR_HOLIDAYS[y])
            out.update({seollal - one, seollal, seollal + one, buddha, chuseok - one, chuseok, chuseok + one})
    return out


def _check_time(time: pd.DatetimeIndex) -> None:
    if not isinstance(time, pd.DatetimeIndex):
        raise ValueError("time must be a pandas.DatetimeIndex (tz-naive KST, hour-beginning)")
    if time.tz is not None:
        raise ValueError("time must be tz-naive KST (docs/architecture.md), got tz-aware index")
    if len(time) != HOURS_PER_YEAR:
        raise ValueError(f"time must have {HOURS_PER_YEAR} hours (365-day year), got {len(time)}")
    if not time.is_unique:
        raise ValueError("time has duplicate labels")
    if ((time.month == 2) & (time.day == 29)).any():
        raise ValueError("time contains 29 February; the model year has 365 days (drop 29 Feb)")


def _shape_parameters(tables: InputTables, sector: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    s = tables.demand_shapes
    v = s[s["sector"] == sector].set_index("parameter")["value"].astype(float)
    month = v[[f"month_{m:02d}" for m in range(1, 13)]].to_numpy()
    wd = v[[f"weekday_hour_{h:02d}" for h in range(24)]].to_numpy()
    we = v[[f"weekend_hour_{h:02d}" for h in range(24)]].to_numpy()
    return month, wd / wd.mean(), we / we.mean(), float(v["weekend_factor"])


def day_off(time: pd.DatetimeIndex, holidays: bool | Iterable[dt.date] = True) -> np.ndarray:
    """Boolean per hour: Saturday, Sunday or a public holiday."""
    off = np.asarray(time.day_of_week >= 5)
    if holidays is True:
        hol = korean_public_holidays(sorted(set(time.year)))
    elif holidays is False or holidays is None:
        hol = set()
    else:
        hol = set(holidays)
    if hol:
        dates = np.asarray(time.normalize().date)
        off = off | np.isin(dates, np.array(sorted(hol), dtype=object))
    return off


def sector_shapes(tables: InputTables, time: pd.DatetimeIndex,
                  holidays: bool | Iterable[dt.date] = True) -> pd.DataFrame:
    """Index time, one column per sector; each column is >= 0 and sums to 1 over the year [fraction]."""
    _check_time(time)
    month_idx = np.asarray(time.month) - 1
    hour_idx = np.asarray(time.hour)
    off = day_off(time, holidays)
    cols = {}
    for sector in SECTORS:
        if not (tables.demand_shapes["sector"] == sector).any():
            continue
        month, wd, we, wkend = _shape_parameters(tables, sector)
        raw = month[month_idx] * np.where(off, wkend * we[hour_idx], wd[hour_idx])
        total = raw.sum()
        if total <= 0:
            raise ValueError(f"demand shape of sector {sector} is zero over the whole year")
        cols[sector] = raw / total
    return pd.DataFrame(cols, index=time)


def hourly_demand(tables: InputTables, time: pd.DatetimeIndex, growth_factor: float | dict[str, float] = 1.0,
                  base_year: int = 2021, *, holidays: bool | Iterable[dt.date] = True,
                  shape: str = "sectors") -> pd.DataFrame:
    """Hourly demand [MW] of the honam regions (columns, in regions.csv order) on the given 8760-h index.

    growth_factor scales the base-year annual consumption: one number for all regions or a dict with one
    entry per honam region. shape: 'sectors' (the sector shapes; holidays: True = Korean public holidays treated
    like Sundays, False = none, or an explicit iterable of dates) or 'measured' (the KPX national demand of the
    year of `time`, which must have a file in inputs/measured/; holidays are in the data).
    """
    _check_time(time)
    if shape not in SHAPES:
        raise ValueError(f"unknown demand shape {shape!r}; expected one of {', '.join(SHAPES)}")
    regions = tables.honam_regions
    if isinstance(growth_factor, dict):
        unknown = sorted(set(growth_factor) - set(regions))
        missing = [r for r in regions if r not in growth_factor]
        if unknown or missing:
            raise ValueError(f"growth_factor must have one entry per honam region {regions}; "
                             f"unknown {unknown}, missing {missing}")
        growth = np.array([float(growth_factor[r]) for r in regions])
    else:
        growth = np.full(len(regions), float(growth_factor))
    if np.any(~np.isfinite(growth)) or np.any(growth < 0):
        raise ValueError(f"growth_factor must be finite and >= 0, got {growth_factor!r}")

    annual = tables.annual_demand(base_year)  # region x sector [GWh/yr]
    if shape == "measured":
        from re300.inputs.measured import national_shape

        national = national_shape(tables.inputs_dir, time)
        energy = annual.sum(axis=1).to_numpy() * 1000.0 * growth            # region [MWh]
        out = pd.DataFrame(national[:, None] * energy[None, :], index=time,
                           columns=pd.Index(regions, name="region"))
        out.attrs.update({"unit": "MW", "base_year": int(base_year), "timezone": "Asia/Seoul (UTC+9)",
                          "shape": f"measured: KPX national demand {time.year[0]}"})
        return out
    shapes = sector_shapes(tables, time, holidays)
    sectors = [s for s in annual.columns if annual[s].sum() > 0]
    missing = [s for s in sectors if s not in shapes.columns]
    if missing:
        raise ValueError(f"no demand shape for sector(s) {missing} in demand_shapes.csv")
    energy_mwh = annual[sectors].to_numpy() * 1000.0 * growth[:, None]  # region x sector [MWh]
    mw = shapes[sectors].to_numpy() @ energy_mwh.T  # time x region; 1-h steps so MWh per hour = MW
    out = pd.DataFrame(mw, index=time, columns=pd.Index(regions, name="region"))
    out.attrs.update({"unit": "MW", "base_year": int(base_year), "timezone": "Asia/Seoul (UTC+9)",
                      "shape": "sectors"})
    return out


# ------------------------------------------------------------------------------------------- the capital region
def load_region_demand(inputs_dir: Path, regions: pd.DataFrame) -> pd.DataFrame:
    """inputs/region_demand.csv: annual consumption [GWh/yr] of regions that are not honam (kind 'export' in
    regions.csv): region, year, value, unit, source, status; one row per (region, year)."""
    path = Path(inputs_dir) / REGION_DEMAND_FILE
    df = read_table(path, ("region", "year", "value", "unit", "source", "status"))
    check_nonempty(path, df, ["region"])
    exports = [r for r, k in regions["kind"].items() if k == "export"]
    check_names(path, df, "region", exports, "region (kind export; honam regions are in demand.csv)",
                table="regions.csv")
    parse_year(path, df, "year", Range(1990, 2100, integer=True))
    parse_number(path, df, "value", default_range=Range(0, None, lo_open=True))
    for line, u in zip(df[LINE], df["unit"]):
        unit(path, line, "annual consumption", u, "GWh/yr")
    check_source_status(path, df)
    check_duplicates(path, df, ["region", "year"])
    return df


def region_annual_demand(tables: InputTables, region: str = "capital", year: int = 2021) -> float:
    """Annual consumption [GWh/yr] of a non-honam region in `year` from inputs/region_demand.csv."""
    df = load_region_demand(tables.inputs_dir, tables.regions)
    hit = df[(df["region"] == region) & (df["year"] == year)]
    if hit.empty:
        have = ", ".join(f"{r} {y}" for r, y in zip(df["region"], df["year"]))
        raise InputError(Path(tables.inputs_dir) / REGION_DEMAND_FILE, f"no row for region {region} in {year}",
                         column="year", value=year, expected=f"one of: {have}")
    return float(hit["value"].iat[0])


def capital_region_demand(year_shape: pd.Series, annual_gwh: float) -> pd.Series:
    """Hourly demand [MW] of the capital region: its annual consumption `annual_gwh` [GWh/yr] spread over
    `year_shape` (any non-negative hourly series of one model year, e.g. `re300.inputs.measured.read_national_demand`
    or its normalised shape; only its shape counts). The result sums to annual_gwh x 1000 MWh over its hours."""
    v = np.asarray(year_shape, float)
    if v.ndim != 1 or not np.isfinite(v).all() or (v < 0).any() or v.sum() <= 0:
        raise ValueError("year_shape must be a finite, non-negative hourly series with a positive sum")
    if not np.isfinite(annual_gwh) or annual_gwh < 0:
        raise ValueError(f"annual_gwh must be finite and >= 0, got {annual_gwh!r}")
    index = year_shape.index if isinstance(year_shape, pd.Series) else pd.RangeIndex(len(v))
    out = pd.Series(v / v.sum() * annual_gwh * 1000.0, index=index, name="capital_demand_mw")
    out.attrs.update({"unit": "MW", "annual_gwh": float(annual_gwh)})
    return out


def export_region_demand(tables: InputTables, time: pd.DatetimeIndex, base_year: int = 2021,
                         shape: np.ndarray | None = None) -> pd.DataFrame:
    """Hourly demand [MW] of every export region with a row in inputs/region_demand.csv (the capital region): its
    annual consumption in `base_year` spread over an hourly shape (`capital_region_demand`). The shape is the
    measured KPX national demand of the year of `time` (default, demand shape 'measured'); a scenario on the sector
    shapes passes its own Honam shape instead (`shape`: non-negative, over `time`), an approximation stated in
    the README: it keeps weekdays, holidays and the weather of that year coherent with Honam's demand where no KPX
    year exists. Columns: export regions; empty when none has a row."""
    from re300.inputs.measured import national_shape

    df = load_region_demand(tables.inputs_dir, tables.regions)
    regions = [r for r in tables.export_regions if (df["region"] == r).any()]
    if not regions:
        return pd.DataFrame(index=time)
    if shape is None:
        shape = national_shape(tables.inputs_dir, time)
    shape = pd.Series(np.asarray(shape, float), index=time)
    return pd.DataFrame({r: capital_region_demand(shape, region_annual_demand(tables, r, base_year)).to_numpy()
                         for r in regions}, index=time)
