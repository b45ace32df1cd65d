"""Real weather files: readers (EPW, PVGIS, NSRDB PSM3, generic CSV, ERA5 NetCDF) on small files written here, their
errors, a per-site override through a scenario, cache invalidation when a file changes, and the validation report.

The files carry the embedded weather of a site (a realistic Korean year) written in each format's own time zone and
hour convention; reading must give back the same KST hour-beginning values.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from re300.config import load_scenario
from re300.errors import ConfigError, InputError, Re300Error
from re300.weather import api, capacity_factors, weather_dataset
from re300.weather.readers import FileSpec, read_site_weather
from re300.weather.report import FIGURES, OUTPUT_COLUMNS, evaluate, load_checks, profile_data, write_report
from re300.weather.tables import load_weather_tables

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "inputs"
YEAR = 2023
COLS = ["ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_ms"]


@pytest.fixture(scope="module")
def tables():
    return load_weather_tables(INPUTS)


@pytest.fixture(scope="module")
def wx():
    return weather_dataset(INPUTS, YEAR)


def site_frame(wx, site="gwangju") -> pd.DataFrame:
    """The embedded weather of a site: 8760 KST hour-beginning rows (wind at the site's reference height)."""
    s = wx.sel(site=site)
    return pd.DataFrame({"ghi_w_m2": s.ghi_w_m2.values, "dni_w_m2": s.dni_w_m2.values, "dhi_w_m2": s.dhi_w_m2.values,
                         "temp_air_c": s.temp_air_c.values, "wind_speed_ms": s.wind_speed_hub_ms.values},
                        index=pd.DatetimeIndex(s.time.values))


def sun0(df):
    """Irradiance below 0 is set to 0 by the readers."""
    irr = ["ghi_w_m2", "dni_w_m2", "dhi_w_m2"]
    return df.assign(**{c: df[c].clip(lower=0) for c in irr if c in df})


def clear(wx, site="gwangju"):
    return wx["ghi_clear_w_m2"].sel(site=site).values


def read(path, fmt, tables, wx, site="gwangju", **kw):
    return read_site_weather(FileSpec(path, fmt, **kw), tables.sites[site], YEAR, clear(wx, site))


# ------------------------------------------------------------------------------------------------ writers
def write_epw(path, df, tz=9.0, lat=35.16, lon=126.85, years=None, tz_field=None):
    """EPW: rows are hours ending at `hour` (1..24) in local standard time UTC+tz; `years` maps month -> year."""
    head = [f"LOCATION,Gwangju,Jeollanam-do,KOR,re300 test,471560,{lat},{lon},{tz if tz_field is None else tz_field},72.0",
            "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
            "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,written by tests/test_weather_files.py", "COMMENTS 2,",
            "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31"]
    lines = []
    for ts, r in df.iterrows():
        y = ts.year if years is None else years[ts.month]
        lines.append(f"{y},{ts.month},{ts.day},{ts.hour + 1},60,A7A7A7A7*0?9?9?9?9?9?9?9A7A7A7A7A7A7*0E8*0*0,"
                     f"{r.temp_air_c:.1f},0.0,70,101300,0,0,300,{r.ghi_w_m2:.1f},{r.dni_w_m2:.1f},{r.dhi_w_m2:.1f},"
                     f"0,0,0,0,180,{r.wind_speed_ms:.1f},5,5,20,77777,9,999999999,10,0.1,0,88,0.2,0,1")
    Path(path).write_text("\n".join(head + lines) + "\n")


def utc_rows(df):
    """KST hour-beginning rows as UTC instants at HH:10 (PVGIS) of the same hours."""
    return df.index - pd.Timedelta(hours=9) + pd.Timedelta(minutes=10)


def write_pvgis_tmy_csv(path, df, lat=35.16, lon=126.85):
    """PVGIS TMY CSV: UTC rows of a typical year (one year per month); content = KST frame rolled by 9 h."""
    utc = pd.DataFrame(np.roll(df.to_numpy(), -9, axis=0), columns=df.columns)   # UTC hour p = KST hour p + 9
    cal = df.index   # the calendar of a 365-day year
    out = [f"Latitude (decimal degrees): {lat:.3f}", f"Longitude (decimal degrees): {lon:.3f}", "Elevation (m): 72",
           "month,year"] + [f"{m},{2005 + m}" for m in range(1, 13)]
    out.append("time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP")
    for ts, r in zip(cal, utc.itertuples(index=False)):
        out.append(f"{2005 + ts.month}{ts.month:02d}{ts.day:02d}:{ts.hour:02d}00,{r.temp_air_c:.2f},70.0,"
                   f"{r.ghi_w_m2:.2f},{r.dni_w_m2:.2f},{r.dhi_w_m2:.2f},300.0,{r.wind_speed_ms:.2f},180,101300")
    out += ["", "T2m: 2-m air temperature (degree Celsius)", "G(h): Global irradiance on the horizontal plane (W/m2)"]
    Path(path).write_text("\r\n".join(out) + "\r\n")


def write_pvgis_hourly_json(path, df, slope=0, lat=35.16, lon=126.85):
    hourly = [{"time": t.strftime("%Y%m%d:%H%M"), "G(i)": round(r.ghi_w_m2, 2), "H_sun": 0.0,
               "T2m": round(r.temp_air_c, 2), "WS10m": round(r.wind_speed_ms, 2), "Int": 0}
              for t, r in zip(utc_rows(df), df.itertuples(index=False))]
    src = {"inputs": {"location": {"latitude": lat, "longitude": lon, "elevation": 72.0},
                      "meteo_data": {"radiation_db": "PVGIS-SARAH3"},
                      "mounting_system": {"fixed": {"slope": {"value": slope, "optimal": False},
                                                    "azimuth": {"value": 0, "optimal": False}}}},
           "outputs": {"hourly": hourly},
           "meta": {"inputs": {"location": {"description": "Selected location"}}, "outputs": {}}}
    Path(path).write_text(json.dumps(src))


def write_psm3(path, df, tz=9, lat=35.17, lon=126.85, minute=30):
    """NSRDB SAM-CSV: two metadata lines, a header, rows stamped at HH:30 in UTC+tz."""
    local = df.index + pd.Timedelta(hours=tz - 9)
    head = ["Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation,Local Time Zone,Version",
            f"NSRDB,123456,-,-,-,{lat},{lon},{tz},72,9,3.2.2",
            "Year,Month,Day,Hour,Minute,GHI,DNI,DHI,Temperature,Wind Speed"]
    rows = [f"{t.year},{t.month},{t.day},{t.hour},{minute},{r.ghi_w_m2:.3f},{r.dni_w_m2:.3f},{r.dhi_w_m2:.3f},"
            f"{r.temp_air_c:.3f},{r.wind_speed_ms:.3f}" for t, r in zip(local, df.itertuples(index=False))]
    Path(path).write_text("\n".join(head + rows) + "\n")


def write_csv(path, df, header=("timezone: UTC+9", "wind_height_m: 10"), columns=None, stamps=None, fmt="%.10g"):
    out = df[columns or ["ghi_w_m2", "temp_air_c", "wind_speed_ms"]].copy()
    out.insert(0, "time", stamps if stamps is not None else df.index.strftime("%Y-%m-%d %H:%M"))
    text = "".join(f"# {h}\n" for h in header) + out.to_csv(index=False, float_format=fmt)
    Path(path).write_text(text)


ERA5_LATS = np.array([35.5, 35.25, 35.0])       # descending, as ERA5 delivers
ERA5_LONS = np.array([126.5, 126.75, 127.0])


def write_era5(path, df, t2m_k=None, ssrd=None, drop=(), units=None, lats=ERA5_LATS, lons=ERA5_LONS):
    """ERA5: valid_time = end of each KST hour in UTC; ssrd = GHI x 3600 J/m2; instants t2m (K) and winds made up
    (linear in time) so the hour means the reader forms can be worked out; the grid point nearest Gwangju
    (35.25N 126.75E) holds them, the others are offset so that a wrong point is detected."""
    valid = df.index + pd.Timedelta(hours=1) - pd.Timedelta(hours=9)   # tz-naive UTC
    n = len(df)
    ssrd = df["ghi_w_m2"].to_numpy() * 3600.0 if ssrd is None else ssrd
    t2m = df["temp_air_c"].to_numpy() + 273.15 if t2m_k is None else t2m_k
    shape = (n, len(lats), len(lons))
    offset = np.ones(shape)
    offset[:, 1, 1] = 0.0   # the point nearest gwangju
    u100, v100 = np.full(n, 6.0), np.linspace(0.0, 8.0, n)
    u10, v10 = np.full(n, 3.0), np.zeros(n)

    def grid(x, delta):
        return x[:, None, None] + delta * offset

    data = {"ssrd": (grid(ssrd, 5e5), "J m**-2"), "t2m": (grid(t2m, 5.0), "K"), "u100": (grid(u100, 3.0), "m s**-1"),
            "v100": (grid(v100, 3.0), "m s**-1"), "u10": (grid(u10, 3.0), "m s**-1"), "v10": (grid(v10, 3.0), "m s**-1")}
    ds = xr.Dataset({k: (("valid_time", "latitude", "longitude"), v, {"units": (units or {}).get(k, u)})
                     for k, (v, u) in data.items() if k not in drop},
                    coords={"valid_time": valid.to_numpy(), "latitude": lats, "longitude": lons})
    ds.to_netcdf(path, engine="h5netcdf")


def assert_frames_close(got: pd.DataFrame, want: pd.DataFrame, atol=0.051):
    assert list(got.index) == list(want.index)
    for col in want.columns:
        np.testing.assert_allclose(got[col].to_numpy(), want[col].to_numpy(), atol=atol, rtol=0, err_msg=col)


# ------------------------------------------------------------------------------------------------ readers
def test_epw_single_year_in_kst(tmp_path, tables, wx):
    df = site_frame(wx)
    write_epw(tmp_path / "g.epw", df)
    s = read(tmp_path / "g.epw", "epw", tables, wx)
    assert not s.typical_year and s.wind_height_m == 10.0 and s.has_components
    assert s.data.index[0] == pd.Timestamp("2023-01-01 00:00") and len(s.data) == 8760 and s.data.index.tz is None
    assert_frames_close(s.data, sun0(df))                # written with one decimal
    assert (s.file_lat, s.file_lon) == (35.16, 126.85)


def test_epw_typical_year_in_utc_is_rolled_to_kst(tmp_path, tables, wx):
    """A TMY in UTC (months from different years): UTC hour p of the calendar is KST hour p + 9 of the weather year;
    the last 9 UTC hours of 31 Dec become 1 Jan 00-08 KST."""
    df = site_frame(wx)
    utc = pd.DataFrame(np.roll(df.to_numpy(), -9, axis=0), index=df.index, columns=df.columns)
    write_epw(tmp_path / "t.epw", utc, tz=0.0, years={m: 1990 + m for m in range(1, 13)})
    s = read(tmp_path / "t.epw", "epw", tables, wx)
    assert s.typical_year
    assert_frames_close(s.data, sun0(df))
    # by hand: 1 Jan 12:00 KST is 03:00 UTC = the 4th row of the file
    assert s.data.loc["2023-01-01 12:00", "ghi_w_m2"] == pytest.approx(round(df.loc["2023-01-01 12:00", "ghi_w_m2"], 1))


def test_pvgis_tmy_csv(tmp_path, tables, wx):
    df = site_frame(wx)
    write_pvgis_tmy_csv(tmp_path / "tmy.csv", df)
    s = read(tmp_path / "tmy.csv", "pvgis", tables, wx)
    assert s.typical_year and s.wind_height_m == 10.0
    assert_frames_close(s.data, sun0(df), atol=0.006)


def test_pvgis_hourly_json_horizontal(tmp_path, tables, wx):
    """Hourly series in UTC at HH:10 -> the hour containing the instant; no components -> DNI/DHI left to Erbs."""
    df = site_frame(wx)
    write_pvgis_hourly_json(tmp_path / "h.json", df)
    s = read(tmp_path / "h.json", "pvgis", tables, wx)
    assert not s.typical_year and not s.has_components
    assert_frames_close(s.data[["ghi_w_m2", "temp_air_c", "wind_speed_ms"]],
                        df[["ghi_w_m2", "temp_air_c", "wind_speed_ms"]], atol=0.006)
    write_pvgis_hourly_json(tmp_path / "tilted.json", df, slope=30)
    with pytest.raises(InputError, match=r"tilted.json.*Slope.*slope 0"):
        read(tmp_path / "tilted.json", "pvgis", tables, wx)


@pytest.mark.parametrize("tz", [9, 0])
def test_psm3_sam_csv(tmp_path, tables, wx, tz):
    df = site_frame(wx)   # tz 0: stamps 2022-12-31 15:30 .. 2023-12-31 14:30 UTC cover the KST year
    write_psm3(tmp_path / "p.csv", df, tz=tz)
    s = read(tmp_path / "p.csv", "psm3", tables, wx)
    assert not s.typical_year and s.wind_height_m == 2.0     # PSM v3+: wind at 2 m
    assert_frames_close(s.data, sun0(df), atol=0.0006)
    # the wind height can be overridden
    assert read(tmp_path / "p.csv", "psm3", tables, wx, wind_height_m=10).wind_height_m == 10.0


def test_generic_csv_variants(tmp_path, tables, wx):
    df = site_frame(wx)
    write_csv(tmp_path / "a.csv", df, columns=COLS)
    s = read(tmp_path / "a.csv", "csv", tables, wx)
    assert s.has_components and s.wind_height_m == 10.0
    assert_frames_close(s.data, df, atol=1e-6)
    # offsets in the stamps, hour-ending labels, time zone from the scenario instead of the header
    stamps = (df.index + pd.Timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M+09:00")
    write_csv(tmp_path / "b.csv", df, header=("time_label: ending", "wind_height_m: 10"), stamps=stamps)
    b = read(tmp_path / "b.csv", "csv", tables, wx)
    assert not b.has_components
    assert_frames_close(b.data[["ghi_w_m2", "temp_air_c"]], df[["ghi_w_m2", "temp_air_c"]], atol=1e-6)
    utc = (df.index - pd.Timedelta(hours=9))
    full = pd.DataFrame(df.to_numpy(), index=utc, columns=df.columns)
    write_csv(tmp_path / "c.csv", full, header=(), stamps=utc.strftime("%Y-%m-%d %H:%M"))
    c = read(tmp_path / "c.csv", "csv", tables, wx, timezone="UTC", wind_height_m=10)
    assert_frames_close(c.data[["ghi_w_m2"]], df[["ghi_w_m2"]], atol=1e-6)


def test_era5_nearest_point_hour_means_and_heights(tmp_path, tables, wx):
    df = site_frame(wx)
    n = len(df)
    t2m = 280.0 + np.arange(n) * 0.001          # instants, K
    write_era5(tmp_path / "e.nc", df, t2m_k=t2m)
    s = read_site_weather(FileSpec(tmp_path / "e.nc", "era5"), tables.sites["gwangju"], YEAR, clear(wx), 10.0)
    assert (s.file_lat, s.file_lon) == (35.25, 126.75)
    np.testing.assert_allclose(s.data["ghi_w_m2"], df["ghi_w_m2"].clip(lower=0), atol=1e-9)
    # hour mean of the instants at both ends: (t[k-1] + t[k]) / 2 - 273.15; the first hour has only its end
    want = np.concatenate([[t2m[0]], 0.5 * (t2m[:-1] + t2m[1:])]) - 273.15
    np.testing.assert_allclose(s.data["temp_air_c"], want, atol=1e-9)
    assert s.wind_height_m == 10.0 and s.data["wind_speed_ms"].iloc[100] == pytest.approx(3.0)
    # a wind farm's site asks for its hub height: 100 m components, speed hypot(6, v)
    s100 = read_site_weather(FileSpec(tmp_path / "e.nc", "era5"), tables.sites["gwangju"], YEAR, clear(wx), 150.0)
    v = np.linspace(0.0, 8.0, n)
    assert s100.wind_height_m == 100.0
    assert s100.data["wind_speed_ms"].iloc[5000] == pytest.approx(0.5 * (np.hypot(6, v[4999]) + np.hypot(6, v[5000])))


# ------------------------------------------------------------------------------------------------ errors
def _csv_case(tmp_path, wx, kind):
    df = site_frame(wx)
    p = tmp_path / f"{kind}.csv"
    if kind == "missing_column":
        write_csv(p, df, columns=["ghi_w_m2", "wind_speed_ms"])
    elif kind == "ghi_kj":
        write_csv(p, df.assign(ghi_w_m2=df.ghi_w_m2 * 3.6))
    elif kind == "ghi_kw":
        write_csv(p, df.assign(ghi_w_m2=df.ghi_w_m2 / 1000))
    elif kind == "temp_kelvin":
        write_csv(p, df.assign(temp_air_c=df.temp_air_c + 273.15))
    elif kind == "temp_fahrenheit":
        write_csv(p, df.assign(temp_air_c=df.temp_air_c * 1.8 + 32))
    elif kind == "wind_kmh":   # an offshore record in km/h (at calm land sites km/h cannot be told from m/s by range)
        write_csv(p, df.assign(wind_speed_ms=site_frame(wx, "shinan_offshore").wind_speed_ms.to_numpy() * 3.6))
    elif kind == "gap":
        write_csv(p, df.drop(df.index[4000:4003]))
    elif kind == "duplicate":
        write_csv(p, pd.concat([df.iloc[:10], df.iloc[9:]]))
    elif kind == "no_timezone":
        write_csv(p, df, header=("wind_height_m: 10",))
    elif kind == "wrong_timezone":   # KST clock times labelled UTC: each UTC stamp carries the KST hour of that clock
        utc = df.index - pd.Timedelta(hours=9)
        write_csv(p, pd.DataFrame(np.roll(df.to_numpy(), 9, axis=0), index=utc, columns=df.columns),
                  header=("timezone: UTC", "wind_height_m: 10"))
    elif kind == "utc_year_start":    # a UTC file of calendar 2023 lacks 1 Jan 00-08 KST
        write_csv(p, df, header=("timezone: UTC", "wind_height_m: 10"))
    elif kind == "not_a_number":
        write_csv(p, df.assign(temp_air_c=df.temp_air_c.astype(object).where(df.index != df.index[7], "n/a")))
    elif kind == "no_wind_height":
        write_csv(p, df, header=("timezone: UTC+9",))
    return p


@pytest.mark.parametrize("kind,expect", [
    ("missing_column", ["missing column(s) temp_air_c", "time, ghi_w_m2, temp_air_c"]),
    ("ghi_kj", ["column 'ghi_w_m2'", "GHI far above", "kJ/m2"]),
    ("ghi_kw", ["GHI far below", "kW/m2"]),
    ("temp_kelvin", ["column 'temp_air_c'", "not in degC", "kelvin"]),
    ("temp_fahrenheit", ["out of the plausible range", "degF"]),
    ("wind_kmh", ["column 'wind_speed_ms'", "km/h"]),
    ("gap", ["3 hour(s) missing between 2023-06-16 15:00:00+09:00 and 2023-06-16 19:00:00+09:00"]),
    ("duplicate", ["more than one row for the hour beginning 2023-01-01 09:00"]),
    ("no_timezone", ["no time zone", "# timezone: UTC+9"]),
    ("wrong_timezone", ["time zone looks wrong", "shifted by +9"]),
    ("utc_year_start", ["9 hour(s) of weather year 2023 (KST) are not in the file", "2022-12-31 15:00 UTC"]),
    ("not_a_number", ["row 11", "column 'temp_air_c'", "n/a"]),
    ("no_wind_height", ["wind measurement height not stated"]),
])
def test_csv_errors_are_one_clear_line(tmp_path, tables, wx, kind, expect):
    p = _csv_case(tmp_path, wx, kind)
    with pytest.raises(InputError) as exc:
        read(p, "csv", tables, wx)
    msg = str(exc.value)
    assert f"{p.name}" in msg and "\n" not in msg
    for piece in expect:
        assert piece in msg, msg


def test_file_format_errors(tmp_path, tables, wx):
    df = site_frame(wx)
    write_epw(tmp_path / "notz.epw", df, tz_field="")
    with pytest.raises(InputError, match=r"notz.epw.*time zone in the LOCATION line"):
        read(tmp_path / "notz.epw", "epw", tables, wx)
    write_epw(tmp_path / "seoul.epw", df, lat=37.57, lon=126.98)
    with pytest.raises(InputError, match=r"seoul.epw.*268 km from site 'gwangju'"):
        read(tmp_path / "seoul.epw", "epw", tables, wx)
    write_epw(tmp_path / "y2019.epw", df.set_axis(df.index - pd.DateOffset(years=4)))
    with pytest.raises(InputError, match=r"8760 hour\(s\) of weather year 2023 \(KST\).*2019-01-01"):
        read(tmp_path / "y2019.epw", "epw", tables, wx)
    (tmp_path / "junk.csv").write_text("hello\n")
    with pytest.raises(InputError, match="junk.csv.*not a PVGIS CSV"):
        read(tmp_path / "junk.csv", "pvgis", tables, wx)
    with pytest.raises(InputError, match="missing.epw.*not found"):
        read(tmp_path / "missing.epw", "epw", tables, wx)
    write_psm3(tmp_path / "nozone.csv", df)
    text = (tmp_path / "nozone.csv").read_text().replace(",9,72,9,", ",,72,9,", 1)
    (tmp_path / "nozone.csv").write_text(text)
    with pytest.raises(InputError, match="nozone.csv.*'Time Zone'"):
        read(tmp_path / "nozone.csv", "psm3", tables, wx)


@pytest.mark.parametrize("case,expect", [
    ("celsius", ["column 't2m'", "not in kelvin", "degC"]),
    ("watts", ["column 'ssrd'", "W/m2"]),
    ("daily_accumulation", ["column 'ssrd'", "ERA5-Land"]),
    ("no_wind", ["missing variable(s) u100/v100 or u10/v10"]),
    ("wrong_unit", ["column 'ssrd'", "wrong unit", "W m**-2"]),
    ("elsewhere", ["km from site 'gwangju'"]),
])
def test_era5_errors(tmp_path, tables, wx, case, expect):
    df = site_frame(wx)
    p = tmp_path / f"{case}.nc"
    ghi = df["ghi_w_m2"].to_numpy()
    if case == "celsius":
        write_era5(p, df, t2m_k=df["temp_air_c"].to_numpy())
    elif case == "watts":
        write_era5(p, df, ssrd=ghi)
    elif case == "daily_accumulation":
        write_era5(p, df, ssrd=np.cumsum(ghi * 3600.0))
    elif case == "no_wind":
        write_era5(p, df, drop=("u100", "v100", "u10", "v10"))
    elif case == "wrong_unit":
        write_era5(p, df, units={"ssrd": "W m**-2"})
    elif case == "elsewhere":
        write_era5(p, df, lats=np.array([38.0, 37.75]), lons=np.array([127.0, 127.25]))
    with pytest.raises(InputError) as exc:
        read(p, "era5", tables, wx)
    msg = str(exc.value)
    assert p.name in msg
    for piece in expect:
        assert piece in msg, msg


# ------------------------------------------------------------------------------------------------ through a scenario
def _scenario(tmp_path, weather: str) -> Path:
    """quick.yaml on the embedded weather of YEAR (unless `weather` sets a year) with the sector demand shapes (the
    measured KPX shape exists for 2024 and 2025 only)."""
    p = tmp_path / "sc.yaml"
    year = "" if re.search(r"^\s+year:", weather, re.M) else f"  year: {YEAR}\n"
    p.write_text(f"extends: {REPO / 'models' / 'quick.yaml'}\nname: wxfiles\ninputs_dir: {INPUTS}\n"
                 f"output_dir: {tmp_path / 'out'}\ndemand:\n  shape: sectors\nweather:\n{year}{weather}")
    return p


PAIRS = [("utility_pv", "gwangju"), ("rooftop_pv", "gwangju"), ("utility_pv", "jeonnam"), ("offshore_wind", "jeonbuk")]


@pytest.mark.slow
def test_per_site_override_through_scenario(tmp_path, wx):
    """Only the named site changes: the same weather in a file gives the embedded CF of that site (its pairs then use
    that one site, not their fleet: the fleet's other sites have no file), 10 % less GHI less PV."""
    import copy

    df = site_frame(wx)
    (tmp_path / "data").mkdir()
    write_csv(tmp_path / "data" / "same.csv", df, columns=COLS)
    write_csv(tmp_path / "data" / "dim.csv", df.assign(ghi_w_m2=df.ghi_w_m2 * 0.9))
    sc = load_scenario(_scenario(tmp_path, "  files:\n    gwangju: {path: data/same.csv, format: csv}\n"))
    assert sc.weather.files["gwangju"].path == tmp_path / "data" / "same.csv"     # relative to the scenario file
    base = capacity_factors(INPUTS, PAIRS, YEAR, cache_dir=tmp_path / "c")
    same = capacity_factors(INPUTS, PAIRS, YEAR, cache_dir=tmp_path / "c", weather_files=sc.weather.files)
    one_site = copy.copy(load_weather_tables(INPUTS))
    one_site.fleets = {}
    single = api.compute_capacity_factors(one_site, PAIRS, YEAR, api.DEFAULT_SEED)
    gwangju = [p for p in PAIRS if p[1] == "gwangju"]
    others = [p for p in PAIRS if p[1] != "gwangju"]
    np.testing.assert_allclose(same[gwangju].to_numpy(), single[gwangju].to_numpy(), atol=1e-6)
    np.testing.assert_allclose(same[others].to_numpy(), base[others].to_numpy(), atol=1e-6)
    dim = capacity_factors(INPUTS, PAIRS, YEAR, cache_dir=tmp_path / "c",
                           weather_files={"gwangju": {"path": tmp_path / "data" / "dim.csv", "format": "csv"}})
    pd.testing.assert_series_equal(dim[("utility_pv", "jeonnam")], base[("utility_pv", "jeonnam")])
    pd.testing.assert_series_equal(dim[("offshore_wind", "jeonbuk")], base[("offshore_wind", "jeonbuk")])
    ratio = dim[("utility_pv", "gwangju")].mean() / single[("utility_pv", "gwangju")].mean()
    assert 0.86 < ratio < 0.94, ratio     # ~0.9 less a little (PV output is slightly convex in irradiance at low light)
    ds = weather_dataset(INPUTS, YEAR, weather_files=sc.weather.files)
    assert str(ds["weather_source"].sel(site="gwangju").item()) == "csv:same.csv"
    assert str(ds["weather_source"].sel(site="jeonju").item()) == "embedded"


@pytest.mark.slow
def test_pipeline_uses_the_file_and_hashes_it(tmp_path, wx):
    from re300.run import Phases, prepare

    df = site_frame(wx)
    write_csv(tmp_path / "dim.csv", df.assign(ghi_w_m2=df.ghi_w_m2 * 0.8))
    sc = load_scenario(_scenario(tmp_path, "  files:\n    gwangju: {path: dim.csv, format: csv}\n"))
    _, data, files = prepare(sc, Phases(echo=False), cache_dir=tmp_path / "cache")
    assert tmp_path / "dim.csv" in [Path(f) for f in files]
    base = capacity_factors(INPUTS, [("rooftop_pv", "gwangju")], YEAR, cache_dir=tmp_path / "cache")
    g = data.generators.reset_index(drop=True)
    row = g.index[(g.technology == "rooftop_pv") & (g.region == "gwangju")][0]
    got = data.availability[row]
    embedded = base[("rooftop_pv", "gwangju")].loc[data.time].to_numpy()
    assert got.sum() < 0.85 * embedded.sum()


def test_unknown_site_and_config_errors(tmp_path):
    with pytest.raises(InputError, match=r"sites.csv.*'gwanju'.*did you mean 'gwangju'"):
        capacity_factors(INPUTS, PAIRS, YEAR, cache_dir=tmp_path,
                         weather_files={"gwanju": {"path": __file__, "format": "csv"}})
    with pytest.raises(InputError, match=r"nope.csv.*weather file for site 'gwangju' not found"):
        capacity_factors(INPUTS, PAIRS, YEAR, cache_dir=tmp_path,
                         weather_files={"gwangju": {"path": tmp_path / "nope.csv", "format": "csv"}})
    with pytest.raises(ConfigError, match=r"weather.files.gwangju: timezone is only read for format csv"):
        load_scenario(_scenario(tmp_path, "  files:\n    gwangju: {path: a.epw, format: epw, timezone: UTC}\n"))
    with pytest.raises(ConfigError, match=r"weather.files.gwangju.format: got 'tmy'"):
        load_scenario(_scenario(tmp_path, "  files:\n    gwangju: {path: a.epw, format: tmy}\n"))
    with pytest.raises(ConfigError, match=r"unknown key 'wind_height'; did you mean 'wind_height_m'"):
        load_scenario(_scenario(tmp_path, "  files:\n    gwangju: {path: a.csv, format: csv, wind_height: 10}\n"))
    with pytest.raises(ConfigError, match=r"weather.years: years repeated: \[2021\]"):
        load_scenario(_scenario(tmp_path, "  years: [2021, 2021]\n"))
    sc = load_scenario(_scenario(tmp_path, "  year: 2022\n"))
    assert sc.weather.report_years() == [2018, 2019, 2020, 2021, 2022] and sc.weather.files == {}
    sc = load_scenario(_scenario(tmp_path, "  years: [2021, 2019]\n"))
    assert sc.weather.report_years() == [2019, 2021, 2023]


def test_cache_invalidated_when_the_file_changes(tmp_path, wx, monkeypatch):
    df = site_frame(wx)
    path = tmp_path / "w.csv"
    write_csv(path, df)
    files = {"gwangju": {"path": path, "format": "csv"}}
    cache = tmp_path / "cache"
    pairs = [("utility_pv", "gwangju")]
    first = capacity_factors(INPUTS, pairs, YEAR, cache_dir=cache, weather_files=files)
    embedded_key = api.cache_key(load_weather_tables(INPUTS), pairs, YEAR, api.DEFAULT_SEED)
    assert len(list(cache.glob("cf_*.nc"))) == 1 and not (cache / f"cf_{embedded_key[:24]}.nc").exists()

    real = api.compute_capacity_factors
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "compute_capacity_factors", counting)
    again = capacity_factors(INPUTS, pairs, YEAR, cache_dir=cache, weather_files=files)
    assert calls == [] and np.array_equal(again.to_numpy(), first.to_numpy())     # second run reuses the entry
    write_csv(path, df.assign(ghi_w_m2=df.ghi_w_m2 * 0.95))                       # same path, new content
    changed = capacity_factors(INPUTS, pairs, YEAR, cache_dir=cache, weather_files=files)
    assert calls == [1] and len(list(cache.glob("cf_*.nc"))) == 2
    assert changed[pairs[0]].mean() < first[pairs[0]].mean()


# ------------------------------------------------------------------------------------------------ report
CALIBRATED = ("annual GHI", "monthly GHI", "monthly clearness", "annual mean air temperature",
              "monthly mean air temperature", "mean wind speed", "hour (KST", "correlation of", "month of the highest")


@pytest.mark.slow
def test_report_writes_checks_and_figures(tmp_path, wx):
    sc = load_scenario(_scenario(tmp_path, "  years: [2022, 2023]\n"))
    out = write_report(sc, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert out == tmp_path / "out" / "profiles"
    res = pd.read_csv(out / "validation.csv", keep_default_na=False)
    assert list(res.columns) == list(OUTPUT_COLUMNS)
    assert len(res) == len(pd.read_csv(INPUTS / "profile_checks.csv"))
    calibrated = res[res["quantity"].str.startswith(CALIBRATED)]
    assert len(calibrated) >= 50 and (calibrated["within_band"].astype(str) == "True").all(), \
        calibrated[calibrated["within_band"].astype(str) != "True"]
    for region in ("gwangju", "jeonnam", "jeonbuk"):
        rows = res[(res["quantity"] == "annual capacity factor, utility_pv") & (res["place"] == region)]
        assert (rows["within_band"].astype(str) == "True").all()
    outside = res[res["within_band"].astype(str) != "True"]
    assert (outside["note"].str.len() > 20).all()          # every value outside its band says why
    # a number checked independently: annual GHI at Gwangju = the weather's hourly sum
    ghi = res[(res["quantity"] == "annual GHI") & (res["place"] == "gwangju")]["value"].astype(float).item()
    assert ghi == pytest.approx(float(wx["ghi_w_m2"].sel(site="gwangju").sum()) / 1000.0, rel=1e-5)
    sd = res[res["quantity"].str.startswith("inter-annual")]
    # across the 20 sampled years of the stress test (re300.weather.ensemble), each with its own wind anomaly
    assert (sd["weather_years"] == "20 sampled years 2023 (seeds 20210532-20210551)").all()
    assert sd["value"].astype(float).gt(4.6).all() and (sd["within_band"].astype(str) == "True").all()
    for name in FIGURES:
        data = (out / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name
    meta = json.loads((out / "report.json").read_text())
    assert meta["weather_years"] == [2022, 2023] and meta["checks"] == len(res)
    monthly = pd.read_csv(out / "monthly.csv")
    assert set(monthly["year"]) == {2022, 2023}
    assert not list((tmp_path / "out").glob(".profiles.tmp-*"))
    # one weather year: no inter-annual figure, and the row says why
    d = profile_data(INPUTS, YEAR, [YEAR], api.DEFAULT_SEED, cache_dir=tmp_path / "cache")
    one = evaluate(load_checks(INPUTS, d.tables), d)
    sd1 = one[one["quantity"].str.startswith("inter-annual")]
    assert sd1["value"].isna().all() and not sd1["within_band"].any()
    assert sd1["note"].str.contains("needs at least two weather years").all()


@pytest.mark.slow
def test_report_years_must_be_in_the_files(tmp_path, wx):
    write_csv(tmp_path / "g.csv", site_frame(wx))
    sc = load_scenario(_scenario(tmp_path, "  years: [2022, 2023]\n  files:\n    gwangju: {path: g.csv, format: csv}\n"))
    with pytest.raises(Re300Error, match=r"g.csv.*weather year 2022.*weather.years 2022-2023: list only years"):
        write_report(sc, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out" / "profiles").exists()


@pytest.mark.slow
def test_profiles_cli_reports_bad_file_in_one_line(tmp_path):
    p = _scenario(tmp_path, "  files:\n    gwangju: {path: missing.csv, format: csv}\n")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-m", "re300.cli", "profiles", str(p), "--report", "--output-dir",
                        str(tmp_path / "out")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("re300: error:") and "missing.csv" in lines[0]
    assert not (tmp_path / "out" / "profiles").exists()
