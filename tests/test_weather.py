"""Tests of re300.weather: embedded weather -> hourly capacity factors."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from re300.errors import InputError
from re300.weather import api, capacity_factors, weather_dataset
from re300.weather.convert import power_curve_output
from re300.weather.tables import load_weather_tables, read_power_curve

INPUTS = Path(__file__).resolve().parents[1] / "inputs"
PAIRS = ([("utility_pv", r) for r in ("gwangju", "jeonnam", "jeonbuk")]
         + [("rooftop_pv", r) for r in ("gwangju", "jeonnam", "jeonbuk")]
         + [("floating_pv", "jeonbuk"), ("onshore_wind", "jeonnam"), ("onshore_wind", "jeonbuk"),
            ("offshore_wind", "jeonnam"), ("offshore_wind", "jeonbuk")])
GHI_STATIONS = {"gwangju": 1432.0, "mokpo_coast": 1504.0, "jeonju": 1326.0}   # honam-facts §7 x 1.06 (site_parameters.csv)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("profiles")


@pytest.fixture(scope="module")
def cf(cache_dir):
    return capacity_factors(INPUTS, PAIRS, cache_dir=cache_dir)


@pytest.fixture(scope="module")
def wx():
    return weather_dataset(INPUTS)


# ----------------------------------------------------------------------------------------------- shape, index
def test_shape_index_and_range(cf):
    assert cf.shape == (8760, len(PAIRS))
    assert isinstance(cf.index, pd.DatetimeIndex) and cf.index.tz is None
    assert cf.index[0] == pd.Timestamp("2023-01-01 00:00") and cf.index[-1] == pd.Timestamp("2023-12-31 23:00")
    assert (cf.index[1:] - cf.index[:-1] == pd.Timedelta(hours=1)).all()
    assert list(cf.columns) == PAIRS and cf.columns.names == ["technology", "region"]
    assert (cf.dtypes == "float64").all()
    assert np.isfinite(cf.to_numpy()).all()
    assert cf.to_numpy().min() >= 0.0 and cf.to_numpy().max() <= 1.0


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_leap_year_drops_feb29(tmp_path):
    cf = capacity_factors(INPUTS, [("utility_pv", "jeonnam")], weather_year=2024, cache_dir=tmp_path)
    assert len(cf) == 8760
    assert not ((cf.index.month == 2) & (cf.index.day == 29)).any()
    assert cf.index[-1] == pd.Timestamp("2024-12-31 23:00")


def test_pv_follows_kst_sun(cf):
    pv = cf[("utility_pv", "jeonnam")]
    by_hour = pv.groupby(pv.index.hour).mean()
    assert by_hour.idxmax() in (11, 12, 13)          # hour-beginning labels: peak 12:00-13:00 KST (solar noon ~12:30)
    assert by_hour.loc[[0, 1, 2, 3, 4, 21, 22, 23]].max() == 0.0   # dark at local night
    assert (pv[pv.index.hour == 0] == 0).all()


# ---------------------------------------------------------------------------------------- calibration targets
@pytest.mark.parametrize("site,target", list(GHI_STATIONS.items()))
def test_annual_ghi_matches_station(wx, site, target):
    ghi = float(wx["ghi_w_m2"].sel(site=site).sum()) / 1000.0
    assert abs(ghi / target - 1.0) <= 0.03, ghi


def test_clearness_climatology(wx):
    """Monthly clearness follows the Korean KT climatology: July (monsoon) minimum, October high."""
    ghi = wx["ghi_w_m2"].sel(site="gwangju").to_series()
    clear = wx["ghi_clear_w_m2"].sel(site="gwangju").to_series()
    csi = ghi.groupby(ghi.index.month).sum() / clear.groupby(clear.index.month).sum()
    assert csi.idxmin() == 7
    assert csi.loc[10] > csi.loc[7] + 0.1
    assert ghi.groupby(ghi.index.month).sum().loc[7] < ghi.groupby(ghi.index.month).sum().loc[5]


def test_utility_pv_cf_range(cf):
    for region in ("gwangju", "jeonnam", "jeonbuk"):
        assert 0.13 <= cf[("utility_pv", region)].mean() <= 0.165, region


def test_other_pv_plausible(cf):
    for col in [("rooftop_pv", r) for r in ("gwangju", "jeonnam", "jeonbuk")] + [("floating_pv", "jeonbuk")]:
        assert 0.11 <= cf[col].mean() <= 0.16, col
    # AC clipping at 1/dc_ac_ratio of DC nameplate
    assert cf[("utility_pv", "jeonnam")].max() <= 1 / 1.25 + 1e-9


def test_wind_cf_ranges(cf):
    for region in ("jeonnam", "jeonbuk"):
        assert 0.28 <= cf[("offshore_wind", region)].mean() <= 0.40, region
        assert 0.19 <= cf[("onshore_wind", region)].mean() <= 0.25, region
    assert cf[("offshore_wind", "jeonnam")].mean() > cf[("offshore_wind", "jeonbuk")].mean()  # Shinan windier


def test_winter_windier_than_summer(cf, wx):
    for col in [("offshore_wind", "jeonnam"), ("onshore_wind", "jeonbuk")]:
        s = cf[col]
        winter = s[s.index.month.isin([12, 1, 2])].mean()
        summer = s[s.index.month.isin([6, 7, 8])].mean()
        assert winter > summer, col
    v = wx["wind_speed_hub_ms"].sel(site="shinan_offshore").to_series()
    assert v[v.index.month.isin([12, 1, 2])].mean() > v[v.index.month.isin([6, 7, 8])].mean()


def test_wind_marginal_and_persistence(wx):
    v = wx["wind_speed_hub_ms"].sel(site="jeonbuk_sw_offshore").to_numpy()
    assert (v >= 0).all()
    # 6.03 m/s at 80 m extrapolated to the 150 m hub with alpha = 0.14
    assert v.mean() == pytest.approx(6.03 * (150 / 80) ** 0.14, rel=1e-6)
    lag1 = np.corrcoef(v[:-1], v[1:])[0, 1]
    assert lag1 > 0.9


def test_temperature_normals(wx):
    t = wx["temp_air_c"].sel(site="gwangju").to_series()
    assert t.mean() == pytest.approx(14.1, abs=0.3)
    monthly = t.groupby(t.index.month).mean()
    assert monthly.loc[1] == pytest.approx(1.0, abs=2.0)
    assert monthly.loc[8] == pytest.approx(26.5, abs=2.0)
    hourly = t.groupby(t.index.hour).mean()
    assert 13 <= hourly.idxmax() <= 16 and hourly.idxmin() in (0, 1, 2, 3, 4, 5, 23)


def test_spatial_correlation_of_daily_clearness(wx):
    ghi = wx["ghi_w_m2"].sel(site=["gwangju", "mokpo_coast", "naju_inland", "jeonju", "saemangeum"])
    clear = wx["ghi_clear_w_m2"].sel(site=ghi.site)
    daily = (ghi.coarsen(time=24).sum() / clear.coarsen(time=24).sum()).to_numpy()
    corr = np.corrcoef(daily)
    off = corr[~np.eye(len(corr), dtype=bool)]
    assert off.min() > 0.5, corr.round(2)
    assert off.max() < 0.999          # not identical: each site has its own component


def test_decomposition_closure(wx):
    ghi = wx["ghi_w_m2"].sel(site="gwangju").to_numpy()
    dhi = wx["dhi_w_m2"].sel(site="gwangju").to_numpy()
    dni = wx["dni_w_m2"].sel(site="gwangju").to_numpy()
    assert (ghi >= 0).all() and (dhi >= 0).all() and (dni >= 0).all()
    assert (dhi <= ghi + 1e-6).all()
    assert wx.attrs["timezone"].startswith("Asia/Seoul")


# ---------------------------------------------------------------------------------------------- determinism
def test_deterministic_and_seed_sensitive(cf, tmp_path):
    again = api.compute_capacity_factors(load_weather_tables(INPUTS), PAIRS, 2023, api.DEFAULT_SEED)
    pd.testing.assert_frame_equal(again, cf, check_exact=True)
    other = capacity_factors(INPUTS, PAIRS, seed=7, cache_dir=tmp_path)
    assert not np.allclose(other.to_numpy(), cf.to_numpy())
    # but the calibrated annual PV yield barely moves with the seed
    assert other[("utility_pv", "jeonnam")].mean() == pytest.approx(cf[("utility_pv", "jeonnam")].mean(), rel=0.05)


def test_pair_subset_consistent(cf, tmp_path):
    sub = capacity_factors(INPUTS, [("offshore_wind", "jeonbuk"), ("utility_pv", "gwangju")], cache_dir=tmp_path)
    assert list(sub.columns) == [("offshore_wind", "jeonbuk"), ("utility_pv", "gwangju")]
    pd.testing.assert_series_equal(sub[("utility_pv", "gwangju")], cf[("utility_pv", "gwangju")])


# ------------------------------------------------------------------------------------------------- the cache
def test_cache_hit_on_second_call(cf, cache_dir, monkeypatch):
    files = list(Path(cache_dir).glob("cf_*.nc"))
    assert len(files) == 1
    assert not list(Path(cache_dir).glob("*.tmp"))

    def boom(*args, **kwargs):
        raise AssertionError("compute called although the cache should have been used")

    monkeypatch.setattr(api, "compute_capacity_factors", boom)
    again = capacity_factors(INPUTS, PAIRS, cache_dir=cache_dir)
    pd.testing.assert_frame_equal(again, cf, check_exact=True, check_freq=False)


def test_cache_key_depends_on_inputs(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    pairs = [("offshore_wind", "jeonbuk")]
    base = api.cache_key(load_weather_tables(inputs), pairs, 2023, 1)
    assert api.cache_key(load_weather_tables(inputs), pairs, 2023, 2) != base
    assert api.cache_key(load_weather_tables(inputs), pairs, 2022, 1) != base
    curve = inputs / "power_curves" / "IEA-15-240-RWT.csv"
    curve.write_text(curve.read_text().replace("14994.84635", "14994.8"))
    assert api.cache_key(load_weather_tables(inputs), pairs, 2023, 1) != base


# ------------------------------------------------------------------------------------------- power curves
def test_power_curve_interpolation():
    curve = read_power_curve(INPUTS / "power_curves" / "IEA-15-240-RWT.csv", "IEA-15-240-RWT")
    # hand values from the table
    assert power_curve_output(8.0, curve, 25.0) == pytest.approx(6481.116995)
    assert power_curve_output(11.0, curve, 25.0) == pytest.approx(14994.26629, rel=1e-9)     # rated
    mid = 0.5 * (5338.82324 + 6481.116995)   # halfway between 7.5 and 8 m/s
    assert power_curve_output(0.5 * (7.499999916 + 8.0), curve, 25.0) == pytest.approx(mid, rel=1e-6)
    assert power_curve_output(2.5, curve, 25.0) == 0.0      # below cut-in
    assert power_curve_output(25.5, curve, 25.0) == 0.0     # above cut-out
    assert power_curve_output(np.nan, curve, 25.0) == 0.0
    onshore = read_power_curve(INPUTS / "power_curves" / "IEA-3.4-130-RWT.csv", "IEA-3.4-130-RWT")
    assert power_curve_output(9.8127, onshore, 25.0) == pytest.approx(3370.0)
    assert power_curve_output(15.0, onshore, 25.0) == pytest.approx(3370.0, rel=1e-4)
    assert power_curve_output(2.9, onshore, 25.0) == 0.0 and power_curve_output(26.0, onshore, 25.0) == 0.0


# --------------------------------------------------------------------------------------------------- errors
def test_missing_pair_raises(tmp_path):
    with pytest.raises(InputError) as exc:
        capacity_factors(INPUTS, [("floating_pv", "gwangju")], cache_dir=tmp_path)
    msg = str(exc.value)
    assert "profile_sites.csv" in msg and "floating_pv" in msg and "gwangju" in msg


@pytest.mark.parametrize("file,old,new,expect", [
    ("site_parameters.csv", "jeonju,annual_ghi,1326,", "jeonju,annual_ghi,abc,", ["site_parameters.csv", "row", "'value'", "abc"]),
    ("site_parameters.csv", "jeonju,annual_ghi,1326,kWh/m2/yr", "jeonju,annual_ghi,1326,MJ/m2", ["unit", "kWh/m2/yr"]),
    ("sites.csv", "jeonju,jeonbuk,land,", "jeonju,jeonbuk,moon,", ["sites.csv", "'kind'", "moon"]),
    ("pv_systems.csv", "utility_fixed,open_rack,tilt,30,", "utility_fixed,open_rack,tilt,130,", ["pv_systems.csv", "130", "[0, 90]"]),
    ("wind_farms.csv", "onshore_iea34,IEA-3.4-130-RWT,hub_height", "onshore_iea34,NoSuchTurbine,hub_height", ["wind_farms.csv", "NoSuchTurbine"]),
    ("profile_sites.csv", "utility_pv,jeonbuk,jeonju,", "utility_pv,jeonbuk,atlantis,", ["profile_sites.csv", "atlantis"]),
    ("power_curves/IEA-3.4-130-RWT.csv", "4.0485,213.241509", "3.2,213.241509", ["IEA-3.4-130-RWT.csv", "increase"]),
    ("weather_parameters.csv", "kt_07,0.37,1,", "kt_07,0.37,1,", []),
])
def test_bad_tables_raise_input_error(tmp_path, file, old, new, expect):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    path = inputs / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    if not expect:
        load_weather_tables(inputs)   # unchanged table loads
        return
    with pytest.raises(InputError) as exc:
        capacity_factors(inputs, PAIRS, cache_dir=tmp_path / "cache")
    msg = str(exc.value)
    for piece in expect:
        assert piece in msg, msg


def test_bad_status_and_missing_file(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    p = inputs / "wind_farms.csv"
    p.write_text(p.read_text().replace(",found\n", ",maybe\n", 1))
    with pytest.raises(InputError, match="status"):
        load_weather_tables(inputs)
    (inputs / "wind_farms.csv").unlink()
    with pytest.raises(InputError, match="wind_farms.csv"):
        load_weather_tables(inputs)


def _sites() -> str:
    return ", ".join(pd.read_csv(INPUTS / "sites.csv")["site"])


@pytest.mark.parametrize("file,old,new,message", [
    ("site_parameters.csv", "gwangju,mean_wind_speed,2.0,m/s,", "gwangju,mean_wind_speed,2.0,m/h,",
     "row 3, column 'unit': wrong unit for mean_wind_speed (got 'm/h'; expected m/s)"),
    ("pv_systems.csv", "utility_fixed,open_rack,tilt,30,", "utility_fixed,open_rack,tilt,130,",
     "row 2, column 'value': tilt out of range (got 130.0; expected a number in [0, 90])"),
    ("site_parameters.csv", "gwangju,mean_wind_speed,", "gwanju,mean_wind_speed,",
     "row 3, column 'site': unknown site (got 'gwanju'; expected one of {sites}; did you mean 'gwangju'? "
     "(from sites.csv))"),
    ("wind_farms.csv", "kW,\"IEA-15-240-RWT rated power 15 MW (same source)\",found",
     "kW,\"IEA-15-240-RWT rated power 15 MW (same source)\",maybe",
     "row 3, column 'status': unknown status (got 'maybe'; expected one of found, estimate)"),
    ("power_curves/IEA-3.4-130-RWT.csv", "\n3,51.6203274,", "\nx,51.6203274,",
     "row 2, column 'wind_speed_ms': not a number (got 'x'; expected a number)"),
    ("sites.csv", "gwangju,gwangju,urban,", "gwangju,gwangju,city,",
     "row 2, column 'kind': unknown kind (got 'city'; expected one of land, urban, coastal, water, offshore)"),
])
def test_weather_table_errors_in_the_common_format(tmp_path, file, old, new, message):
    """The weather tables are read by re300.csvtable: the same one-line messages as the input tables."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    path = inputs / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_weather_tables(inputs)
    assert str(exc.value) == f"{path}, " + message.format(sites=_sites())


def test_weather_table_duplicate_row(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    path = inputs / "site_parameters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_weather_tables(inputs)
    assert str(exc.value) == (f"{path}, row {len(lines) + 1}: duplicate row for site=gwangju, parameter=annual_ghi "
                              "(first given on row 2)")


def test_inputs_have_sources():
    """Every number in the weather tables carries a unit, a source and a found|estimate status."""
    for name in ("site_parameters.csv", "pv_systems.csv", "wind_farms.csv", "weather_parameters.csv", "sites.csv"):
        df = pd.read_csv(INPUTS / name)
        assert df["source"].notna().all() and (df["source"].str.len() > 10).all(), name
        assert df["status"].isin(["found", "estimate"]).all(), name
        if "unit" in df:
            assert df["unit"].notna().all(), name


def test_profile_checks_table_is_sourced_and_validated(tmp_path):
    """inputs/profile_checks.csv: every band has a source and status; bad rows name file, row, column and value."""
    from re300.weather.report import CHECK_KINDS, load_checks

    df = pd.read_csv(INPUTS / "profile_checks.csv")
    assert df["source"].str.len().gt(20).all() and df["status"].isin(["found", "estimate"]).all()
    assert set(df["check"]) <= set(CHECK_KINDS)
    tables = load_weather_tables(INPUTS)
    checks = load_checks(INPUTS, tables)
    assert len(checks) == len(df)
    ghi = {c.place: (c.low, c.high) for c in checks if c.check == "annual_ghi"}
    assert ghi["gwangju"] == pytest.approx((1432 * 0.97, 1432 * 1.03), abs=0.05)     # the issue's +-3 % band
    for old, new, expect in [
        ("annual_ghi,gwangju,,1432,1389.0,1475.0,kWh/m2/yr", "annual_ghi,gwangju,,1432,1389.0,1475.0,MJ/m2",
         ["row 3", "'unit'", "MJ/m2", "kWh/m2/yr"]),
        ("annual_ghi,gwangju,", "annual_ghi,gwanju,", ["row 3", "'place'", "gwanju", "sites.csv"]),
        ("monthly_ghi,mokpo_coast,1,", "monthly_ghi,mokpo_coast,13,", ["'period'", "13", "1..12"]),
        ("annual_ghi,gwangju,,1432,1389.0,1475.0", "annual_ghi,gwangju,,1432,1475.0,1389.0", ["low above high"]),
        ("annual_ghi,gwangju,", "annual_gti,gwangju,", ["unknown check", "annual_gti"]),
    ]:
        inputs = tmp_path / "inputs"
        shutil.rmtree(inputs, ignore_errors=True)
        shutil.copytree(INPUTS, inputs)
        text = (inputs / "profile_checks.csv").read_text()
        assert old in text, old
        (inputs / "profile_checks.csv").write_text(text.replace(old, new, 1))
        with pytest.raises(InputError) as exc:
            load_checks(inputs, tables)
        msg = str(exc.value)
        assert "profile_checks.csv" in msg and all(piece in msg for piece in expect), msg
