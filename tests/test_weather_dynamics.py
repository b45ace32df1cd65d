"""The generator's dynamics (issue 16 part 5): fleets of sites, persistence and correlation against the measured
2025 stations, sampled years and their inter-annual spread."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from re300.errors import InputError
from re300.weather import api, convert, dynamics, synth
from re300.weather.tables import load_weather_tables

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


@pytest.fixture(scope="module")
def tables():
    return load_weather_tables(INPUTS)


@pytest.fixture(scope="module")
def sampled(tables):
    """One sampled synthetic year (the kind the stress test runs on)."""
    return synth.synthesize(tables, tables.generated_sites, 2025, 7, sampled=True)


# ---------------------------------------------------------------------------------------------------- fleets
def test_ramp_of_an_aggregate_worked_by_hand():
    """Two sites whose output moves in opposite directions half of the time: hour-to-hour changes
    a = (+0.4, -0.4, +0.4, -0.4), b = (+0.4, +0.4, -0.4, -0.4) (sd 0.4 each); the equal-weight fleet changes by
    (+0.4, 0, 0, -0.4): sd sqrt(0.32 / 4) = 0.2828, smaller than one site's 0.4."""
    a = np.array([0.1, 0.5, 0.1, 0.5, 0.1])
    b = np.array([0.1, 0.5, 0.9, 0.5, 0.1])
    assert dynamics.ramp_sd(a) == pytest.approx(0.4)
    assert dynamics.ramp_sd(b) == pytest.approx(0.4)
    assert dynamics.ramp_sd(0.5 * a + 0.5 * b) == pytest.approx(np.sqrt(0.32 / 4))
    assert dynamics.ramp_sd(0.5 * a + 0.5 * b) < dynamics.ramp_sd(a)


def test_fleet_profile_is_the_weighted_mean_of_its_sites(tables, tmp_path):
    """A fleet of the pair's site (weight 1) and one member 60 km away (weight 3): the profile is 0.25 x CF(site) +
    0.75 x CF(member), each computed by the same converter on the same weather; its hourly ramps are smaller."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / "fleet_sites.csv").write_text(
        "technology,region,member,lat,lon,weight,source,status\n"
        "utility_pv,jeonnam,mokpo_coast,,,1,test,estimate\n"
        "utility_pv,jeonnam,far_member,35.30,126.60,3,test,estimate\n", encoding="utf-8")
    t = load_weather_tables(inputs)
    assert t.fleet(("utility_pv", "jeonnam")) == (("mokpo_coast", "far_member"), (0.25, 0.75))
    assert t.members["far_member"].params == t.sites["mokpo_coast"].params   # calibrated to the same GHI
    pair = ("utility_pv", "jeonnam")
    fleet = api.compute_capacity_factors(t, [pair], 2025, 11)[pair].to_numpy()
    wx, _ = api.build_weather(t, 2025, 11)
    names = [s.site for s in wx.sites]
    system = t.pv_systems[t.profile_sites[pair][1]]
    one = convert.pv_capacity_factor(wx, names.index("mokpo_coast"), system)
    other = convert.pv_capacity_factor(wx, names.index("far_member"), system)
    np.testing.assert_allclose(fleet, 0.25 * one + 0.75 * other, rtol=0, atol=1e-12)
    assert not np.allclose(one, other)
    assert dynamics.weather_ramp_sd(fleet, wx.index) < dynamics.weather_ramp_sd(one, wx.index)
    # a pair without rows stays its one site
    assert t.fleet(("utility_pv", "gwangju")) == (("gwangju",), (1.0,))


@pytest.mark.parametrize("rows,message", [
    ("onshore_wind,gwangju,x,35.1,126.8,1,test,estimate", "technology/region not in profile_sites.csv"),
    ("utility_pv,jeonnam,new_site,,,1,test,estimate", "a new fleet member needs its position"),
    ("utility_pv,jeonnam,mokpo_coast,34.8,126.4,1,test,estimate", "is a site of sites.csv"),
    ("utility_pv,jeonnam,new_site,34.8,126.4,0,test,estimate", "must be positive"),
    ("utility_pv,jeonnam,m1,34.8,126.4,1,test,estimate\nrooftop_pv,jeonbuk,m1,35.8,127.1,1,test,estimate",
     "another position or parent site"),
])
def test_fleet_table_errors_name_file_row_and_column(tmp_path, rows, message):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / "fleet_sites.csv").write_text("technology,region,member,lat,lon,weight,source,status\n" + rows + "\n",
                                            encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_weather_tables(inputs)
    text = str(e.value)
    assert message in text and "fleet_sites.csv" in text and "row " in text


def test_shipped_fleets(tables):
    """Provincial PV and onshore wind are fleets of 3-5 sites; offshore wind and the capital's proxy stay one site."""
    for pair in [("utility_pv", "jeonnam"), ("utility_pv", "jeonbuk"), ("rooftop_pv", "jeonnam"),
                 ("onshore_wind", "jeonnam"), ("onshore_wind", "jeonbuk")]:
        members, weights = tables.fleet(pair)
        assert 4 <= len(members) <= 5 and sum(weights) == pytest.approx(1.0)
        assert members[0] == tables.profile_sites[pair][0]
    assert len(tables.fleet(("offshore_wind", "jeonnam"))[0]) == 1


# ---------------------------------------------------------------------------------------------- statistics
def _site(wx, name):
    return [s.site for s in wx.sites].index(name)


def test_daily_clearness_persistence_in_the_measured_band(sampled):
    """Lag-1 autocorrelation of the daily clear-sky index (each month's mean removed): 0.14-0.18 at the KMA 2025
    stations; one generated year's lies within that ± 0.15 (its own sampling spread is ~0.05)."""
    months = sampled.index.month.to_numpy()[::24]
    for site in ("gwangju", "mokpo_coast", "jeonju"):
        j = _site(sampled, site)
        k = dynamics.daily_clearness(sampled.ghi[:, j], sampled.geometry.ghi_clear[:, j])
        assert -0.01 <= dynamics.lag1(dynamics.minus_monthly_mean(k, months)) <= 0.33, site


def test_cloudy_days_are_regional_and_cloud_ramps_local(sampled):
    """Daily clear-sky index correlates 0.85-0.92 between the KMA stations 60-131 km apart, its hour-to-hour
    changes only 0.07-0.21: the generator's year must show the same contrast."""
    a, b = _site(sampled, "gwangju"), _site(sampled, "jeonju")
    ka = dynamics.daily_clearness(sampled.ghi[:, a], sampled.geometry.ghi_clear[:, a])
    kb = dynamics.daily_clearness(sampled.ghi[:, b], sampled.geometry.ghi_clear[:, b])
    assert 0.78 <= np.corrcoef(ka, kb)[0, 1] <= 0.97
    obs = dynamics.Observations(sampled.index, {"a": sampled.ghi[:, a], "b": sampled.ghi[:, b]},
                                {"a": sampled.geometry.ghi_clear[:, a], "b": sampled.geometry.ghi_clear[:, b]}, {}, {})
    stats = dynamics.solar_statistics(obs)
    assert 0.0 <= stats[("hourly_clearness_step_correlation", "a|b", "year")] <= 0.3
    assert 0.13 <= stats[("hourly_clearness_step_sd", "a", "year")] <= 0.17   # measured 0.148-0.152


def test_wind_persistence_winter_maximum_and_local_gusts(sampled):
    """10 m wind at the Mokpo and Saemangeum sites: daily means persist at lag 1 like the stations' (0.39-0.42), the
    winter is windier, the hour-to-hour changes of sites 130 km apart hardly correlate (stations 0.10); hub-height
    wind is smoother hour to hour than 10 m wind."""
    obs = dynamics.Observations(sampled.index, {}, {}, {"m": sampled.wind_speed[:, _site(sampled, "mokpo_coast")],
                                                        "g": sampled.wind_speed[:, _site(sampled, "saemangeum")]}, {})
    s = dynamics.wind_statistics(obs)
    assert 0.2 <= s[("wind_daily_lag1", "m", "year")] <= 0.55
    assert s[("wind_winter_summer_ratio", "m", "year")] > 1.1
    assert s[("wind_hourly_step_correlation", "g|m", "year")] < 0.2
    assert s[("wind_daily_correlation", "g|m", "year")] > 0.5
    hub = sampled.wind_speed[:, _site(sampled, "shinan_offshore")]
    surface = sampled.wind_speed[:, _site(sampled, "mokpo_coast")]
    assert dynamics.lag1(hub) > 0.93 > dynamics.lag1(surface)


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_typical_year_keeps_its_targets_and_sampled_years_vary(tables):
    """The typical year: monthly GHI at its calibration target and the exact mean wind; sampled years: their own
    level, with an inter-annual spread of annual mean wind of ~5 % (wind_year_sd) and of annual GHI of ~3-4 %."""
    names = tables.generated_sites
    j_w, j_g = names.index("shinan_offshore"), names.index("gwangju")
    typical = synth.synthesize(tables, names, 2025, 3)
    assert typical.wind_speed[:, j_w].mean() == pytest.approx(7.5, rel=1e-12)
    assert typical.ghi[:, j_g].sum() / 1000 == pytest.approx(1432.0, rel=0.003)
    wind, ghi = [], []
    for seed in range(12):
        wx = synth.synthesize(tables, names, 2025, 100 + seed, sampled=True)
        wind.append(wx.wind_speed[:, j_w].mean())
        ghi.append(wx.ghi[:, j_g].sum() / 1000)
    assert 0.025 <= np.std(wind, ddof=1) / 7.5 <= 0.09
    assert 0.015 <= np.std(ghi, ddof=1) / 1432.0 <= 0.07
    assert abs(np.mean(wind) / 7.5 - 1) < 0.05


def test_dynamics_table_band_and_notes():
    """The band is the generated mean ± 2 sd across the generated years; a measured value outside gets the note."""
    idx = synth.hourly_index(2025)
    rng = np.random.default_rng(0)

    def obs(level):
        w = {"s": np.abs(level + rng.standard_normal(8760).cumsum() * 0.01 + 3)}
        return dynamics.Observations(idx, {}, {}, w, {})

    gens = [obs(0.0) for _ in range(5)]
    table = dynamics.dynamics_table(obs(0.0), gens, {("wind_daily_lag1", "year"): "why"})
    row = table[table["statistic"] == "wind_daily_lag1"].iloc[0]
    vals = [dynamics.wind_statistics(g)[("wind_daily_lag1", "s", "year")] for g in gens]
    assert row["generated_mean"] == pytest.approx(np.mean(vals))
    assert row["low"] == pytest.approx(np.mean(vals) - 2 * np.std(vals, ddof=1))
    assert row["within_band"] == (row["low"] <= row["measured"] <= row["high"])
    assert row["note"] == ("" if row["within_band"] else "why")
    assert set(table.columns) == set(dynamics.COLUMNS) and isinstance(table, pd.DataFrame)


def test_fleet_members_leave_the_sites_weather_unchanged(tables):
    """Sites come first in the correlation factor and draw their normals site after site, so adding fleet members
    does not change the weather of the sites of sites.csv (a site's profile is the same with or without fleets)."""
    import copy

    bare = copy.copy(tables)
    bare.fleets, bare.members = {}, {}
    with_members = synth.synthesize(tables, tables.generated_sites, 2025, 5, sampled=True)
    without = synth.synthesize(bare, bare.generated_sites, 2025, 5, sampled=True)
    n = len(tables.sites)
    assert len(tables.members) > 10
    for name in ("ghi", "temp_air", "wind_speed"):
        np.testing.assert_allclose(getattr(with_members, name)[:, :n], getattr(without, name), rtol=1e-9, atol=1e-9)
