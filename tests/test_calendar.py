"""Results in calendar time (re300.results.calendar): hand-made datasets worked by hand, then every horizon of a solved
run (the flagship's representative days with segments, selected weeks, a full year, a pathway) checked against its
own annual totals and storage bounds."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import re300
from re300.results import calendar as C
from re300.results import tables as T
from re300.results.rebuild import period_view

HOURS = 8760


# ---- hand-made datasets ---------------------------------------------------------------------------------------
def _typical_days() -> xr.Dataset:
    """Two typical days: block 0 in segments of 10 + 14 h (on 1 January), block 1 in 6 + 6 + 12 h (on 2 January);
    even calendar days take block 0, odd days block 1. Storage 'store' is linked across days (standing loss 1 %/h),
    'batt' cycles within its typical day."""
    time = pd.DatetimeIndex(["2023-01-01 00:00", "2023-01-01 10:00", "2023-01-02 00:00", "2023-01-02 06:00",
                             "2023-01-02 12:00"])
    duration = np.array([10.0, 14.0, 6.0, 6.0, 12.0])
    block = np.array([0, 0, 1, 1, 1])
    order = np.arange(365) % 2
    counts = np.bincount(order)
    weight = counts[block] * duration
    soc = np.array([[5.0, -2.0, 3.0, 1.0, 4.0], [1.0, 2.0, 3.0, 4.0, 5.0]])[:, None, :]  # store (relative), batt
    inter = np.full((2, 1, 365), np.nan)
    inter[0, 0] = 10.0 + np.arange(365) % 3
    ds = xr.Dataset(
        {"soc_mwh": (("technology", "region", "time"), soc),
         "soc_inter_mwh": (("technology", "region", "calendar_day"), inter),
         "dispatch_mw": (("technology", "region", "time"), np.arange(10.0).reshape(2, 1, 5)),
         "input_storage_linked_across_days": (("technology", "region"), [[1.0], [0.0]]),
         "input_storage_standing_loss_per_h": (("technology", "region"), [[0.01], [0.0]]),
         "energy_capacity_total_mwh": (("technology", "region"), [[30.0], [6.0]]),
         "input_block": ("time", block), "input_duration_h": ("time", duration), "weight_h": ("time", weight),
         "input_typical_day_order": ("calendar_day", order)},
        coords={"technology": ["store", "batt"], "region": ["r"], "time": time, "calendar_day": np.arange(365)})
    return ds


def test_typical_days_map_every_calendar_hour_to_its_segment():
    ds = _typical_days()
    index = C.calendar_index(ds)
    assert index.mode == "representative" and len(index.time) == HOURS and index.modelled.all()
    assert index.time[0] == pd.Timestamp("2023-01-01") and index.time[-1] == pd.Timestamp("2023-12-31 23:00")
    # day 0 (block 0): hours 0-9 -> snapshot 0, 10-23 -> 1; day 1 (block 1): 0-5 -> 2, 6-11 -> 3, 12-23 -> 4
    assert index.snapshot[:24].tolist() == [0] * 10 + [1] * 14
    assert index.snapshot[24:48].tolist() == [2] * 6 + [3] * 6 + [4] * 12
    assert index.offset[24 + 7] == 1 and index.weight_h.tolist() == [1.0] * HOURS
    cal = C.calendar(ds)
    # a segment's power spread over its hours: Σ over the calendar = Σ weight_h × value over the snapshots
    assert float((cal["dispatch_mw"] * cal["weight_h"]).sum()) == pytest.approx(
        float((ds["dispatch_mw"] * ds["weight_h"]).sum()), rel=1e-12)
    assert cal["dispatch_mw"].sel(technology="batt", region="r").values[24 * 3 + 13] == 9.0  # day 3, segment 3


def test_linked_storage_is_the_inter_day_level_plus_the_level_within_the_typical_day():
    ds = _typical_days()
    level = C.calendar(ds)["soc_mwh"].sel(region="r")
    store, batt = level.sel(technology="store").values, level.sel(technology="batt").values
    # day 2 (block 0, inter = 12), end of hour 4: 12 × 0.99^5 + half of the way from 0 to 5 in segment 0
    assert store[2 * 24 + 4] == pytest.approx(12 * 0.99 ** 5 + 5 * 5 / 10, rel=1e-12)
    # day 3 (block 1, inter = 10), end of hour 7: segment 1 (6 h, from 3 to 1), 2 of its hours elapsed
    assert store[3 * 24 + 7] == pytest.approx(10 * 0.99 ** 8 + 3 + (1 - 3) * 2 / 6, rel=1e-12)
    # end of day 4 (block 0): inter 11 decayed over 24 h plus the day's last relative level (-2)
    assert store[4 * 24 + 23] == pytest.approx(11 * 0.99 ** 24 - 2, rel=1e-12)
    # intra-day storage: the typical day's absolute level, cyclic (segment 0 of block 0 starts at block 0's end, 2)
    assert batt[4] == pytest.approx(2 + (1 - 2) * 5 / 10) and batt[23] == 2.0 and batt[24 + 5] == 3.0


def test_the_cyclic_predecessor_is_the_models():
    from re300.model.storage import previous_snapshot

    block = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3])
    assert C._cyclic_previous(block).tolist() == previous_snapshot(block).tolist()


def test_weeks_are_in_place_and_the_rest_of_the_year_is_not_modelled():
    time = pd.date_range("2023-01-08", periods=168, freq="h")
    ds = xr.Dataset({"x": ("time", np.arange(168.0)), "weight_h": ("time", np.full(168, 52.142857142857146)),
                     "input_duration_h": ("time", np.ones(168))}, coords={"time": time})
    cal = C.calendar(ds)
    assert cal.attrs["calendar"] == "weeks" and cal.sizes["time"] == HOURS
    inside = (cal.time >= np.datetime64("2023-01-08")) & (cal.time < np.datetime64("2023-01-15"))
    assert cal["modelled"].values.tolist() == inside.values.tolist()
    assert np.isnan(cal["x"].values[~inside.values]).all() and (cal["weight_h"].values[~inside.values] == 0).all()
    assert cal["x"].values[inside.values].tolist() == list(range(168))
    assert float(cal["weight_h"].sum()) == pytest.approx(HOURS)
    table = C.calendar_table(ds)
    assert len(table) == HOURS and (table["snapshot"] == "not_modelled").sum() == HOURS - 168
    assert table.loc[7 * 24, "snapshot"] == "2023-01-08 00:00:00"


def test_full_year_in_3_hour_steps_is_spread_over_its_hours_and_leap_days_are_dropped():
    time = pd.date_range("2040-01-01", periods=HOURS // 3, freq="3h")
    time = C.calendar_hours(2040)[::3]  # 2040 is a leap year: the model's year has no 29 February
    ds = xr.Dataset({"x": ("time", np.arange(len(time), dtype=float)), "weight_h": ("time", np.full(len(time), 3.0)),
                     "input_duration_h": ("time", np.full(len(time), 3.0))}, coords={"time": time})
    index = C.calendar_index(ds)
    assert index.mode == "full" and (index.weight_h == 1.0).all()
    assert index.snapshot[:7].tolist() == [0, 0, 0, 1, 1, 1, 2]
    assert not ((index.time.month == 2) & (index.time.day == 29)).any() and index.time[-1].day == 31


# ---- solved runs: every horizon ---------------------------------------------------------------------------------
def _energy(ds: xr.Dataset) -> pd.Series:
    return T.energy_table(ds).set_index(["region", "technology", "quantity"])["value"]


def _check_run_calendar(ds: xr.Dataset, run_dir=None, period=None):
    """Energies on the calendar equal the run's annual totals (energy.csv); the state of charge of every storage stays
    within [0, energy capacity]; linked storage meets its inter-day level at every day boundary and closes the year."""
    cal = C.calendar(ds)
    assert cal.sizes["time"] == HOURS and float(cal["weight_h"].sum()) == pytest.approx(HOURS, rel=1e-9)
    on_calendar, annual = _energy(cal), _energy(ds)
    assert np.allclose(on_calendar.to_numpy(), annual.to_numpy(), rtol=1e-9, atol=1e-3)
    if run_dir is not None:
        e = pd.read_csv(run_dir / "energy.csv")
        if period is not None:
            e = e[e["period"] == period].drop(columns="period")
        e = e.set_index(["region", "technology", "quantity"])["value"]
        assert np.allclose(on_calendar.reindex(e.index).to_numpy(), e.to_numpy(), rtol=1e-8, atol=1e-2)
    level, cap = cal["soc_mwh"], ds["energy_capacity_total_mwh"]
    tol = 1e-6 * float(cap.max()) + 1e-6
    assert float((level - cap).max()) <= tol and float(level.min()) >= -tol
    checked = 0
    if "soc_inter_mwh" in ds:
        linked = ds["input_storage_linked_across_days"].fillna(0) > 0
        for t in ds.technology.values:
            for r in ds.region.values:
                if not bool(linked.sel(technology=t, region=r)) or float(cap.sel(technology=t, region=r)) <= 0:
                    continue
                v = level.sel(technology=t, region=r).values
                inter = ds["soc_inter_mwh"].sel(technology=t, region=r).values
                day_ends = v[23::24]
                assert np.allclose(day_ends, np.roll(inter, -1), atol=tol), (t, r)  # ... and the last = the first
                checked += 1
    return cal, checked


@pytest.mark.slow
def test_flagship_representative_days_on_the_calendar(flagship_run):
    ds = re300.open_results(flagship_run)
    cal, linked = _check_run_calendar(ds, flagship_run)
    assert cal.attrs["calendar"] == "representative" and bool(cal["modelled"].all())
    assert linked >= 2  # batteries with energy and pumped hydro
    # every month has its days: energy per month is non-zero in all 12
    demand = (cal["demand_mw"].where(cal.region_kind == "honam").sum("region") * cal["weight_h"]).to_series()
    monthly = demand.groupby(demand.index.month).sum()
    assert len(monthly) == 12 and (monthly > 0).all()
    # the CSVs written by the run hold the same calendar
    table = pd.read_csv(flagship_run / "calendar.csv")
    assert len(table) == HOURS and table["weight_h"].sum() == pytest.approx(HOURS)
    assert table["snapshot"].isin(pd.read_csv(flagship_run / "hourly.csv")["time"]).all()
    levels = pd.read_csv(flagship_run / "storage_level.csv")
    battery = levels[(levels.technology == "battery") & (levels.region == "jeonnam")]["value"].to_numpy()
    assert len(battery) == HOURS
    assert np.allclose(battery, cal["soc_mwh"].sel(technology="battery", region="jeonnam").values, rtol=1e-9, atol=1e-6)


@pytest.mark.slow
def test_selected_weeks_on_the_calendar(quick_run_dir):
    quick = quick_run_dir
    ds = re300.open_results(quick)
    cal, _ = _check_run_calendar(ds, quick)
    assert cal.attrs["calendar"] == "weeks" and int(cal["modelled"].sum()) == 336
    assert np.isnan(cal["dispatch_mw"].values[..., ~cal["modelled"].values]).all()
    table = pd.read_csv(quick / "calendar.csv")
    assert ((table["snapshot"] == "not_modelled") == (table["weight_h"] == 0)).all() and (table["weight_h"] > 0).sum() == 336
    levels = pd.read_csv(quick / "storage_level.csv")
    assert levels.groupby(["technology", "region"]).size().unique().tolist() == [336]  # the modelled hours only


@pytest.mark.slow
def test_full_year_on_the_calendar(full_year_daily_run):
    ds = re300.open_results(full_year_daily_run)
    cal, _ = _check_run_calendar(ds, full_year_daily_run)
    assert cal.attrs["calendar"] == "full" and bool(cal["modelled"].all())
    # each daily snapshot spread over its 24 hours; storage closes the year (cyclic over the one block)
    d = cal["demand_mw"].sel(region="jeonnam").values
    assert np.allclose(d.reshape(365, 24), ds["demand_mw"].sel(region="jeonnam").values[:, None])
    soc = ds["soc_mwh"].sel(technology="battery", region="jeonnam").values
    assert cal["soc_mwh"].sel(technology="battery", region="jeonnam").values[-1] == pytest.approx(soc[-1])


@pytest.mark.slow
def test_pathway_periods_on_the_calendar(pathway_reduced_run):
    ds = re300.open_results(pathway_reduced_run)
    years = [int(y) for y in ds["period"].values]
    for y in years:
        view = period_view(ds, y)
        cal, _ = _check_run_calendar(view, pathway_reduced_run, period=y)
        assert pd.DatetimeIndex(cal.time.values).year.unique().tolist() == [y]
        assert C.calendar(ds, period=y).sizes["time"] == HOURS
    stacked = C.calendar(ds)
    assert stacked.sizes["time"] == HOURS * len(years)
    assert sorted(set(stacked["time_period"].values.tolist())) == years
    assert period_view(stacked, years[-1]).sizes["time"] == HOURS
    with pytest.raises(ValueError, match="period 1999 not in this pathway"):
        C.calendar(ds, period=1999)


@pytest.mark.slow
def test_calendar_on_load_rather_than_in_results_nc(flagship_run):
    """The decision recorded in README "Outputs": computing the calendar on load is quick; results.nc stays small."""
    import time

    ds = re300.open_results(flagship_run)
    start = time.perf_counter()
    cal = re300.calendar(ds)
    assert time.perf_counter() - start < 5.0  # about 0.1 s; generous for a loaded 2-core machine
    assert "calendar_time" not in ds.dims and cal.sizes["time"] == HOURS
