"""Snapshot selection: weeks, coarser resolution and representative days keep annual energy and weights right."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from re300.config import Time
from re300.inputs.snapshots import select_snapshots


@pytest.fixture(scope="module")
def year():
    idx = pd.date_range("2023-01-01", periods=8760, freq="h")
    rng = np.random.default_rng(1)
    hour = idx.hour.to_numpy()
    pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) * (0.5 + 0.5 * rng.random(8760))
    wind = np.clip(0.35 + 0.2 * np.cos(2 * np.pi * idx.dayofyear.to_numpy() / 365) + 0.1 * rng.standard_normal(8760), 0, 1)
    cf = pd.DataFrame({("utility_pv", "a"): pv, ("offshore_wind", "a"): wind}, index=idx)
    cf.columns = pd.MultiIndex.from_tuples(cf.columns)
    demand = pd.DataFrame({"a": 1000 + 200 * np.sin(2 * np.pi * hour / 24) + 50 * rng.random(8760)}, index=idx)
    return cf, demand


def test_three_hourly_full_year_keeps_energy(year):
    cf, demand = year
    snap = select_snapshots(Time(mode="full", resolution_hours=3), cf, demand)
    assert len(snap.time) == 2920 and np.all(snap.duration_h == 3) and snap.weight_h.sum() == pytest.approx(8760)
    # annual energy = sum(weight x mean power) equals the hourly sum exactly
    assert float(snap.demand["a"] @ snap.weight_h) == pytest.approx(float(demand["a"].sum()), rel=1e-12)
    assert float(snap.cf[("utility_pv", "a")] @ snap.weight_h) == pytest.approx(float(cf[("utility_pv", "a")].sum()), rel=1e-12)
    # the first snapshot is the mean of hours 0..2
    assert snap.demand["a"].iloc[0] == pytest.approx(demand["a"].iloc[:3].mean())


def test_weeks_with_two_hour_resolution(year):
    cf, demand = year
    snap = select_snapshots(Time(mode="weeks", weeks=[2, 28], resolution_hours=2), cf, demand)
    assert len(snap.time) == 168 and list(np.unique(snap.block)) == [0, 1]
    assert snap.weight_h.sum() == pytest.approx(8760)


def test_representative_days_preserve_annual_energy_and_order(year):
    cf, demand = year
    snap = select_snapshots(Time(mode="representative", typical_days=6, extremes=True), cf, demand)
    n_blocks = len(np.unique(snap.block))
    assert n_blocks >= 6  # plus the extreme days kept as periods of their own
    assert len(snap.typical_day_order) == 365 and set(np.unique(snap.typical_day_order)) == set(range(n_blocks))
    assert snap.weight_h.sum() == pytest.approx(8760)
    # each block's weight per hour = the number of calendar days it stands for
    counts = np.bincount(snap.typical_day_order, minlength=n_blocks)
    np.testing.assert_allclose(snap.weight_h, counts[snap.block])
    # tsam preserves column means -> annual demand energy is kept
    assert float(snap.demand["a"] @ snap.weight_h) == pytest.approx(float(demand["a"].sum()), rel=1e-6)
    # the peak-demand day is kept: the largest hourly demand survives aggregation
    assert snap.demand["a"].max() == pytest.approx(demand["a"].max(), rel=0.02)
