"""Representative days: extreme days stand for themselves, segments are means of the typical day's hours, storage
linked across days moves energy correctly when segments last several hours, and the flagship's horizon."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import gen, model_data, solve_data, store

from re300.config import Time, load_scenario
from re300.inputs.snapshots import select_snapshots

PEAK_DAY = 40  # planted: the only day with a demand spike
CALM_DAY = 250  # planted: the only day with almost no wind


@pytest.fixture(scope="module")
def year():
    idx = pd.date_range("2023-01-01", periods=8760, freq="h")
    rng = np.random.default_rng(7)
    hour = idx.hour.to_numpy()
    day = np.arange(8760) // 24
    pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) * (0.4 + 0.6 * rng.random(8760))
    wind = np.clip(0.35 + 0.2 * np.cos(2 * np.pi * day / 365) + 0.1 * rng.standard_normal(8760), 0.05, 1)
    # near-extreme days next to the extreme ones: closer to the extreme profile than to any typical day, so tsam's
    # `new_cluster` would move them into the extreme period; an extreme period must stand for its own day only
    for k in range(1, 5):
        wind[day == CALM_DAY + k] = 0.02 + 0.005 * rng.random(24)
    wind[day == CALM_DAY] = 0.01
    load = 1000 + 200 * np.sin(2 * np.pi * hour / 24) + 50 * rng.random(8760)
    for k in range(1, 4):
        load[(day == PEAK_DAY + k) & (hour == 19)] = 2400.0
    load[(day == PEAK_DAY) & (hour == 19)] = 2500.0
    cf = pd.DataFrame({("utility_pv", "a"): pv, ("offshore_wind", "a"): wind}, index=idx)
    cf.columns = pd.MultiIndex.from_tuples(cf.columns)
    return cf, pd.DataFrame({"a": load}, index=idx)


def _days(frame: pd.DataFrame, d: int) -> np.ndarray:
    return frame.to_numpy(float)[24 * d: 24 * (d + 1)]


@pytest.mark.parametrize("segments", [None, 4])
def test_extreme_days_are_periods_of_their_own_standing_for_one_day(year, segments):
    cf, demand = year
    # the extreme days, found from the series without tsam
    peak_day = int(np.argmax(demand["a"].to_numpy()) // 24)
    calm_day = int(np.argmin(cf[("offshore_wind", "a")].to_numpy().reshape(365, 24).mean(axis=1)))
    assert (peak_day, calm_day) == (PEAK_DAY, CALM_DAY)
    snap = select_snapshots(Time(mode="representative", typical_days=5, segments=segments, extremes=True), cf, demand)
    counts = np.bincount(snap.typical_day_order)
    assert len(counts) == 7  # 5 typical days + 2 extreme days
    for d in (peak_day, calm_day):
        b = snap.typical_day_order[d]
        assert counts[b] == 1  # no other calendar day is represented by it
        rows = snap.block == b
        dur = snap.duration_h[rows]
        assert dur.sum() == 24 and np.array_equal(snap.weight_h[rows], dur)  # 1 day x duration
        # the day's own profile, not rescaled: hourly values, or each segment the mean of its hours
        edges = np.r_[0, np.cumsum(dur).astype(int)]
        for frame, rep in ((cf, snap.cf), (demand, snap.demand)):
            own = _days(frame, d)
            expected = np.array([own[edges[i]:edges[i + 1]].mean(axis=0) for i in range(len(dur))])
            np.testing.assert_allclose(rep.to_numpy(float)[rows], expected, rtol=1e-12, atol=1e-12)
        assert snap.time[np.flatnonzero(rows)[0]] == demand.index[24 * d]
    if segments is None:  # the peak hour survives
        assert snap.demand["a"].max() == pytest.approx(2500.0, rel=1e-12)


def test_segments_are_duration_weighted_means_of_the_typical_day(year):
    cf, demand = year
    hourly = select_snapshots(Time(mode="representative", typical_days=6, extremes=True), cf, demand)
    seg = select_snapshots(Time(mode="representative", typical_days=6, segments=5, extremes=True), cf, demand)
    np.testing.assert_array_equal(seg.typical_day_order, hourly.typical_day_order)  # same days stand for the same days
    counts = np.bincount(seg.typical_day_order)
    assert seg.weight_h.sum() == pytest.approx(8760, rel=1e-12)
    np.testing.assert_allclose(seg.weight_h, counts[seg.block] * seg.duration_h, rtol=1e-12)
    for b in np.unique(seg.block):
        dur = seg.duration_h[seg.block == b]
        assert len(dur) == 5 and dur.sum() == 24 and np.all(dur >= 1) and np.all(dur == np.round(dur))
        edges = np.r_[0, np.cumsum(dur).astype(int)]
        for h_frame, s_frame in ((hourly.cf, seg.cf), (hourly.demand, seg.demand)):
            day = h_frame.to_numpy(float)[hourly.block == b]
            expected = np.array([day[edges[i]:edges[i + 1]].mean(axis=0) for i in range(5)])
            np.testing.assert_allclose(s_frame.to_numpy(float)[seg.block == b], expected, rtol=1e-12, atol=1e-12)
    # annual energy of every series is kept (weight x value summed over snapshots = the 8760-h sum)
    for full, rep in ((cf, seg.cf), (demand, seg.demand)):
        np.testing.assert_allclose(rep.to_numpy(float).T @ seg.weight_h, full.to_numpy(float).sum(axis=0), rtol=1e-9)


def test_linked_storage_moves_energy_across_days_with_segments_of_several_hours():
    # Two typical days of two segments each. Day A: 4 h of 50 MW free wind, then 20 h of nothing (no demand).
    # Day B: 8 h of 25 MW demand, then 16 h without demand. Calendar: A, B (each stands for one day).
    # Energy moved: 50 MW x 4 h = 200 MWh charged on A, 25 MW x 8 h = 200 MWh discharged on B, so linked storage
    # needs 200 MWh and 50 MW: cost 50 x 1,000 + 200 x 1,000 = 250,000 KRW. Were the segments counted as one hour
    # each, 50 MWh would be stored and the energy capacity would be 25 MWh.
    data = model_data(
        regions=["a"], demand={"a": [0.0, 0.0, 25.0, 0.0]},
        generators=[gen("onshore_wind", "a", existing_mw=50.0),
                    gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=100_000.0)],
        availability=[[1.0, 0.0, 0.0, 0.0], [1.0] * 4], weights=[4.0, 20.0, 8.0, 16.0], block=[0, 0, 1, 1],
        typical_day_order=[0, 1],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1000.0, capex_mwh=1000.0)],
    )
    data.duration_h = np.array([4.0, 20.0, 8.0, 16.0])
    ds, _ = solve_data(data)
    assert float(ds.energy_capacity_new_mwh.sel(technology="battery", region="a")) == pytest.approx(200.0, rel=1e-7)
    assert float(ds.capacity_new_mw.sel(technology="battery", region="a")) == pytest.approx(50.0, rel=1e-7)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(250_000.0, rel=1e-7)


def test_flagship_horizon_is_24_typical_days_of_12_segments():
    from pathlib import Path

    sc = load_scenario(Path(__file__).resolve().parent.parent / "models" / "re300_2050.yaml")
    t = sc.time
    assert (t.mode, t.typical_days, t.segments, t.extremes) == ("representative", 24, 12, True)
    assert t.n_hours == 24 * 12
