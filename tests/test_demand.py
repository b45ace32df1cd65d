"""Hourly demand: energy conservation per region and sector, and the shape properties of each sector."""
from __future__ import annotations

import datetime as dt
import time as _time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from re300.inputs import hourly_demand, korean_public_holidays, load_tables, sector_shapes

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


@pytest.fixture(scope="module")
def tables():
    return load_tables(INPUTS)


def year_index(year: int) -> pd.DatetimeIndex:
    """365-day KST hour-beginning index (29 Feb dropped in leap years)."""
    t = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    return t[~((t.month == 2) & (t.day == 29))]


T2021 = year_index(2021)


def test_annual_sum_per_region_equals_annual_energy_times_growth(tables):
    annual = tables.annual_demand(2021).sum(axis=1)  # GWh/yr
    for growth in (1.0, 1.7):
        d = hourly_demand(tables, T2021, growth_factor=growth)
        assert list(d.columns) == ["gwangju", "jeonnam", "jeonbuk"]
        assert d.index.equals(T2021)
        for reg in d.columns:
            expected = annual[reg] * growth * 1000.0
            assert abs(d[reg].sum() - expected) <= 1e-9 * expected
    assert d.attrs["unit"] == "MW"


def test_growth_per_region_and_leap_year(tables):
    g = {"gwangju": 1.2, "jeonnam": 2.0, "jeonbuk": 1.5}
    t = year_index(2020)  # leap year, 29 Feb dropped
    assert len(t) == 8760
    d = hourly_demand(tables, t, growth_factor=g)
    annual = tables.annual_demand(2021).sum(axis=1)
    for reg, f in g.items():
        assert d[reg].sum() == pytest.approx(annual[reg] * f * 1000.0, rel=1e-9)
    assert d["gwangju"].sum() == pytest.approx(8973.0 * 1.2 * 1000.0, rel=1e-9)  # found 2021 total


def test_each_sector_shape_sums_to_one_and_is_nonnegative(tables):
    s = sector_shapes(tables, T2021)
    assert set(s.columns) == {"industrial", "commercial", "residential", "agricultural"}
    assert np.allclose(s.sum().to_numpy(), 1.0, rtol=0, atol=1e-12)
    assert (s.to_numpy() >= 0).all()


def test_sector_energy_is_conserved(tables):
    # demand = sum over sectors of annual MWh x shape -> per-sector energy exact
    s = sector_shapes(tables, T2021)
    a = tables.annual_demand(2021)
    for reg in a.index:
        for sector in a.columns:
            series = a.loc[reg, sector] * 1000.0 * s[sector]
            assert series.sum() == pytest.approx(a.loc[reg, sector] * 1000.0, rel=1e-9)


def test_industrial_is_nearly_flat(tables):
    ind = sector_shapes(tables, T2021)["industrial"]
    assert ind.max() / ind.mean() < 1.2
    load_factor = ind.mean() / ind.max()
    assert 0.85 <= load_factor <= 0.97  # facts §2: continuous-process load factor 0.85-0.95


def test_residential_summer_and_winter_above_spring(tables):
    res = sector_shapes(tables, T2021)["residential"]
    monthly = res.groupby(res.index.month).mean()
    spring = monthly[[4, 5]].mean()
    autumn = monthly[[10]].mean()
    assert monthly[[7, 8]].mean() > 1.15 * spring
    assert monthly[[12, 1]].mean() > 1.15 * spring
    assert monthly[[7, 8]].mean() > autumn
    # evening peak on weekdays
    wd = res[res.index.day_of_week < 5]
    assert wd.groupby(wd.index.hour).mean().idxmax() in (19, 20, 21)


def test_commercial_weekday_above_weekend(tables):
    com = sector_shapes(tables, T2021, holidays=False)["commercial"]
    daily = com.groupby(com.index.normalize()).sum()
    weekday = daily[daily.index.day_of_week < 5].mean()
    weekend = daily[daily.index.day_of_week >= 5].mean()
    assert 1.25 < weekday / weekend < 1.6  # weekend_factor 0.70 in demand_shapes.csv
    # office hours: weekday midday above night
    wd = com[com.index.day_of_week < 5]
    prof = wd.groupby(wd.index.hour).mean()
    assert prof[11] > 2 * prof[3]


def test_public_holidays_look_like_sundays(tables):
    hol = korean_public_holidays([2021])
    assert dt.date(2021, 3, 1) in hol and dt.date(2021, 9, 21) in hol  # Samiljeol, Chuseok 2021
    com = sector_shapes(tables, T2021)["commercial"]
    daily = com.groupby(com.index.normalize()).sum()
    # Mon 1 Mar 2021 (holiday) vs Mon 8 Mar 2021 (working day); same month factor
    assert daily[pd.Timestamp("2021-03-01")] < 0.8 * daily[pd.Timestamp("2021-03-08")]
    com_noh = sector_shapes(tables, T2021, holidays=False)["commercial"]
    daily_noh = com_noh.groupby(com_noh.index.normalize()).sum()
    assert daily_noh[pd.Timestamp("2021-03-01")] == pytest.approx(daily_noh[pd.Timestamp("2021-03-08")])


def test_spring_trough_of_total_demand(tables):
    d = hourly_demand(tables, T2021).sum(axis=1)
    monthly = d.groupby(d.index.month).mean()
    assert monthly[[4, 5]].mean() < monthly[[7, 8]].mean()
    assert monthly[[4, 5]].mean() < monthly[[12, 1]].mean()
    peak_to_avg = d.max() / d.mean()
    assert 1.1 < peak_to_avg < 1.45  # industrial Honam is flatter than the national 1.45


def test_bad_time_index_and_growth(tables):
    with pytest.raises(ValueError, match="8760"):
        hourly_demand(tables, T2021[:100])
    with pytest.raises(ValueError, match="tz-naive"):
        hourly_demand(tables, T2021.tz_localize("Asia/Seoul"))
    leap = pd.date_range("2020-01-01", periods=8760, freq="h")  # contains 29 Feb
    with pytest.raises(ValueError, match="29 February"):
        hourly_demand(tables, leap)
    with pytest.raises(ValueError, match="missing"):
        hourly_demand(tables, T2021, growth_factor={"gwangju": 1.0})
    with pytest.raises(ValueError, match="unknown"):
        hourly_demand(tables, T2021, growth_factor={"gwangju": 1, "jeonnam": 1, "jeonbuk": 1, "seoul": 1})
    with pytest.raises(ValueError, match=">= 0"):
        hourly_demand(tables, T2021, growth_factor=-1.0)


def test_unknown_base_year_is_an_input_error(tables):
    from re300.errors import InputError
    with pytest.raises(InputError, match="no demand rows for year 2030"):
        hourly_demand(tables, T2021, base_year=2030)


def test_fast(tables):
    t0 = _time.perf_counter()
    for _ in range(5):
        hourly_demand(tables, T2021)
    assert _time.perf_counter() - t0 < 2.0
