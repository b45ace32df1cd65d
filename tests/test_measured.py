"""Measured weather and demand (issue 16): the readers of inputs/measured/ on small files the tests write, the
shipped files, and their use in the profiles, the demand and the pipeline.

Readers: re300.weather.measured (KMA ASOS, UTF-8 with BOM, stamps at the end of the hour) and re300.inputs.measured
(KPX national demand, CP949, columns 1시..24시 ending at 01:00..24:00); both check the sha256 of sources.csv first.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from re300.csvtable import read_data_sources, verified_data_file
from re300.errors import InputError
from re300.inputs import load_tables
from re300.inputs.demand import capital_region_demand, hourly_demand, region_annual_demand
from re300.inputs.measured import check_daily_record, national_shape, read_national_demand
from re300.weather import api, capacity_factors
from re300.weather import measured as wm
from re300.weather.synth import hourly_index
from re300.weather.tables import load_weather_tables

INPUTS = Path(__file__).resolve().parents[1] / "inputs"
HEADER = "file,publisher,dataset,retrieval,copied_from,sha256,encoding,time_convention,caveats\n"
PAIRS = [("utility_pv", "gwangju"), ("utility_pv", "jeonnam"), ("onshore_wind", "jeonnam"),
         ("offshore_wind", "jeonnam"), ("floating_pv", "jeonbuk")]


# ------------------------------------------------------------------------------------------------- helpers
def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_sources(folder: Path, files: dict[str, str]) -> Path:
    """sources.csv listing each file (name -> encoding) with its current sha256."""
    rows = [f"{name},Publisher,Dataset,retrieval,copied from,{sha(folder / name)},{enc},hour-ending,none\n"
            for name, enc in files.items()]
    path = folder / "sources.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


STATIONS = {"a_1": ("가", 35.1729, 126.8916), "b_2": ("나", 34.8169, 126.3812)}


def kma_frame(year: int = 2025, shift_h: int = 0) -> pd.DataFrame:
    """A KMA-like hourly file: stamps at the END of the hour (01:00 on 1 Jan .. 23:00 on 31 Dec, no 00:00 of the
    1st of a month), 0.7 x clear-sky irradiation in MJ/m2 (blank below 0.005), a daily temperature wave, wind 3 m/s.
    `shift_h` = 1 writes each hour's irradiation one stamp early (an hour-beginning file)."""
    stamps = pd.date_range(f"{year}-01-01 01:00", f"{year}-12-31 23:00", freq="h")
    stamps = stamps[~((stamps.day == 1) & (stamps.hour == 0))]
    out = {"dt": stamps.strftime("%Y-%m-%d %H:%M")}
    for st, (label, lat, lon) in STATIONS.items():
        loc = pvlib.location.Location(lat, lon)
        start = (stamps - pd.Timedelta(hours=1 - shift_h) - pd.Timedelta(hours=9)).tz_localize("UTC")
        cs = lambda t: np.nan_to_num(loc.get_clearsky(t, model="ineichen")["ghi"].to_numpy())  # noqa: E731
        ghi = (0.25 * cs(start) + 0.5 * cs(start + pd.Timedelta(minutes=30)) + 0.25 * cs(start + pd.Timedelta(hours=1)))
        mj = np.round(0.7 * np.nan_to_num(ghi) * 0.0036, 2)
        out[f"기온_{label}"] = np.round(12 + 8 * np.sin(2 * np.pi * (stamps.hour.to_numpy() - 9) / 24), 1)
        out[f"풍속_{label}"] = 3.0
        out[f"일사_{label}"] = np.where(mj >= 0.005, mj, np.nan)
    out["기온_호남평균"] = 1.0
    return pd.DataFrame(out)


def write_kma(folder: Path, df: pd.DataFrame, year: int = 2025, encoding: str = "utf-8-sig",
              stated: str = "utf-8-sig") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kma_asos_honam_{year}_hourly.csv"
    df.to_csv(path, index=False, encoding=encoding, float_format="%g")
    write_sources(folder, {path.name: stated})
    return path


def tables_by_hand(folder: Path, max_gap: float = 6.0) -> wm.MeasuredTables:
    stations = {st: wm.Station(st, i + 1, label, lat, lon, {"anemometer_height": 10.0, "shear_exponent": 0.25})
                for i, (st, (label, lat, lon)) in enumerate(STATIONS.items())}
    return wm.MeasuredTables(folder, stations, {}, {}, {"max_fill_gap": max_gap, "wind_anomaly_weight": 0.7})


def kpx_frame(year: int, dates_as: str = "iso") -> pd.DataFrame:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    fmt = (lambda d: d.strftime("%Y-%m-%d")) if dates_as == "iso" else (lambda d: f"{d.year}.{d.month}.{d.day}")
    rows = {"날짜": [fmt(d) for d in days]}
    for k in range(1, 25):
        rows[f"{k}시"] = [60000 + 100 * k + d.dayofyear for d in days]
    return pd.DataFrame(rows)


def write_kpx(folder: Path, df: pd.DataFrame, year: int, encoding: str = "cp949", stated: str = "cp949") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kpx_national_hourly_demand_{year}.csv"
    df.to_csv(path, index=False, encoding=encoding)
    write_sources(folder, {path.name: stated})
    return path


# ------------------------------------------------------------------------------------------------- provenance
def test_shipped_files_match_their_provenance_rows():
    table = INPUTS / "measured" / "sources.csv"
    sources = read_data_sources(table)
    assert set(sources) == {"kma_asos_honam_2025_hourly.csv", "kpx_national_hourly_demand_2024.csv",
                            "kpx_national_hourly_demand_2025.csv", "kpx_daily_supply_demand_2025.csv"}
    for name, src in sources.items():
        assert verified_data_file(table, name).sha256 == sha(INPUTS / "measured" / name)
        assert src.publisher.startswith(("Korea Meteorological Administration", "Korea Power Exchange"))
    # the same hashes as the shared copy's SHA256SUMS
    sums = Path("/work/shared/data/SHA256SUMS")
    if sums.is_file():
        listed = dict(reversed(line.split()) for line in sums.read_text().splitlines() if line.strip())
        assert all(listed[n] == s.sha256 for n, s in sources.items())


def test_changed_file_and_bad_rows_are_one_line(tmp_path):
    folder = tmp_path / "measured"
    path = write_kpx(folder, kpx_frame(2025), 2025)
    good = sha(path)
    path.write_bytes(path.read_bytes() + b"\r\n")
    with pytest.raises(InputError) as exc:
        verified_data_file(folder / "sources.csv", path.name)
    assert str(exc.value) == (f"{path}: content differs from its provenance row (got 'sha256 {sha(path)}'; expected "
                              f"sha256 {good} (sources.csv, row 2): the file as published, or a new row with its "
                              "own source)")
    table = folder / "sources.csv"
    table.write_text(HEADER + f"{path.name},P,D,r,c,{good[:10]},cp949,t,c\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_data_sources(table)
    assert str(exc.value) == (f"{table}, row 2, column 'sha256': not a sha256 (got '{good[:10]}'; expected 64 "
                              "lowercase hexadecimal digits (sha256sum of the file))")
    table.write_text(HEADER + f"{path.name},P,D,r,c,{good},euc-jp,t,c\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_data_sources(table)
    assert str(exc.value) == (f"{table}, row 2, column 'encoding': unknown encoding (got 'euc-jp'; expected one of "
                              "utf-8, utf-8-sig, cp949)")
    write_sources(folder, {path.name: "cp949"})
    with pytest.raises(InputError) as exc:
        verified_data_file(table, "kpx_national_hourly_demand_2026.csv")
    assert str(exc.value).startswith(f"{table}, column 'file': no provenance row for the data file "
                                     "'kpx_national_hourly_demand_2026.csv' (expected one of")


# ------------------------------------------------------------------------------------------------- KMA reader
@pytest.fixture(scope="module")
def kma_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kma") / "measured"
    write_kma(folder, kma_frame())
    return folder


def test_kma_hour_ending_stamps_become_hour_beginning_labels(kma_file):
    st = wm.read_kma_asos(kma_file.parent, 2025, tables_by_hand(kma_file))
    assert len(st.index) == 8760 and st.index[0] == pd.Timestamp("2025-01-01 00:00")
    src = pd.read_csv(kma_file / "kma_asos_honam_2025_hourly.csv", encoding="utf-8-sig")   # BOM: 'dt', not '\ufeffdt'
    assert src.columns[0] == "dt"
    # the stamp 2025-06-01 13:00 (the hour 12:00-13:00) is the label 12:00, in W/m2 = MJ/m2 x 1e6 / 3600
    row = src[src["dt"] == "2025-06-01 13:00"].iloc[0]
    at = st.index.get_loc(pd.Timestamp("2025-06-01 12:00"))
    assert st.ghi["a_1"][at] == pytest.approx(row["일사_가"] * 1e6 / 3600)
    assert st.temp_air["b_2"][at] == row["기온_나"]
    # the 12 hours without a row (stamps 00:00 of the 1st = last hour of each month) are filled and counted
    fills = st.fills.set_index(["station", "quantity", "rule"])["hours"]
    assert fills[("a_1", "all", "hour without a row in the file")] == 12
    assert fills[("a_1", "temp_air_c", "linear interpolation in time (gaps <= 6 h)")] == 12
    last_jan = st.index.get_loc(pd.Timestamp("2025-01-31 23:00"))
    assert st.ghi["a_1"][last_jan] == 0.0                            # night
    assert st.temp_air["a_1"][last_jan] == pytest.approx(0.5 * (st.temp_air["a_1"][last_jan - 1]
                                                                 + st.temp_air["a_1"][last_jan + 1]))
    assert st.temp_air["a_1"][-1] == st.temp_air["a_1"][-2]          # 31 Dec 23:00: nearest value at the end
    # annual irradiation: the file's total (none of it is in a night hour)
    assert st.ghi["a_1"].sum() / 1000 == pytest.approx(src["일사_가"].sum() / 3.6, rel=1e-9)


def test_kma_hour_beginning_file_is_caught_by_the_sun(tmp_path):
    folder = tmp_path / "measured"
    write_kma(folder, kma_frame(shift_h=1))
    with pytest.raises(InputError) as exc:
        wm.read_kma_asos(tmp_path, 2025, tables_by_hand(folder))
    assert str(exc.value) == (f"{folder / 'kma_asos_honam_2025_hourly.csv'}, column '일사_가': read as hour-ending "
                              "stamps, the irradiation of station a_1 is centred on 11.56 h KST but the sun on 12.55 h "
                              "(shifted by -0.99 h) (expected KMA stamps at the end of the hour, in KST)")


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_kma_missing_hour_and_gaps(tmp_path):
    folder = tmp_path / "measured"
    df = kma_frame()
    noon = df.index[df["dt"] == "2025-03-20 13:00"][0]
    df.loc[noon, "일사_가"] = np.nan                                 # a daylight gap: the other station's kt
    df = df.drop(index=df.index[df["dt"] == "2025-05-05 11:00"])     # one more hour without a row
    path = write_kma(folder, df)
    st = wm.read_kma_asos(tmp_path, 2025, tables_by_hand(folder))
    fills = st.fills.set_index(["station", "quantity", "rule"])["hours"]
    assert fills[("a_1", "all", "hour without a row in the file")] == 13
    day_rule = "daylight hour without a value: the nearest station's clear-sky index x this station's clear sky"
    alone_rule = "daylight hour without a value at any station: this station's clear-sky index interpolated in time"
    assert fills[("a_1", "ghi_w_m2", day_rule)] == 1                 # the blank noon: station b's clear-sky index
    assert fills[("a_1", "ghi_w_m2", alone_rule)] == 1               # 10:00-11:00 on 5 May: no row, no station
    at = st.index.get_loc(pd.Timestamp("2025-05-05 10:00"))
    assert 0.69 < st.ghi["a_1"][at] / wm._sun(st.index, tables_by_hand(folder).stations["a_1"])[1][at] < 0.71
    at = st.index.get_loc(pd.Timestamp("2025-03-20 12:00"))
    kt_b = st.ghi["b_2"][at] / wm._sun(st.index, st_b := tables_by_hand(folder).stations["b_2"])[1][at]
    assert st_b.label == "나"
    assert st.ghi["a_1"][at] / wm._sun(st.index, tables_by_hand(folder).stations["a_1"])[1][at] == pytest.approx(kt_b)
    # a gap longer than max_fill_gap stops the run
    df = kma_frame()
    rows = df.index[(df["dt"] >= "2025-08-31 10:00") & (df["dt"] <= "2025-08-31 17:00")]
    df.loc[rows, "풍속_가"] = np.nan
    write_kma(folder, df)
    with pytest.raises(InputError) as exc:
        wm.read_kma_asos(tmp_path, 2025, tables_by_hand(folder))
    assert str(exc.value) == (f"{path}, column '풍속_가': 8 consecutive hours without a value from 2025-08-31 09:00:00 "
                              "KST (hour-beginning label) (expected gaps of at most 6 h (filled by linear "
                              "interpolation; parameters.csv max_fill_gap))")


@pytest.mark.parametrize("column,stamp,value,message", [
    ("일사_가", "2025-06-01 13:00", "850", "value out of the plausible range (got 850.0; expected MJ/m2 accumulated "
     "over one hour, 0 to 5 (one hour of the strongest sun is ~4.3); values near 1,000 look like W/m2 or kJ/m2)"),
    ("기온_나", "2025-06-01 13:00", "295.1", "value out of the plausible range (got 295.1; expected degC in [-40, 50])"),
    ("풍속_가", "2025-06-01 13:00", "calm", "not a number (got 'calm'; expected a number or an empty cell)"),
    ("dt", "2025-06-01 13:00", "2025-06-01 13:30", "not on the hour (got '2025-06-01 13:30'; expected hourly stamps "
     "HH:00 (KST, end of the hour))"),
])
def test_kma_wrong_unit_or_value_is_one_line(tmp_path, column, stamp, value, message):
    folder = tmp_path / "measured"
    df = kma_frame().astype({column: object})
    i = df.index[df["dt"] == stamp][0]
    df.loc[i, column] = value
    path = write_kma(folder, df)
    with pytest.raises(InputError) as exc:
        wm.read_kma_asos(tmp_path, 2025, tables_by_hand(folder))
    assert str(exc.value) == f"{path}, row {i + 2}, column '{column}': {message}"


def test_kma_encoding_year_and_columns(tmp_path):
    folder = tmp_path / "measured"
    path = write_kma(folder, kma_frame(), encoding="cp949", stated="utf-8-sig")
    with pytest.raises(InputError) as exc:
        wm.read_kma_asos(tmp_path, 2025, tables_by_hand(folder))
    assert str(exc.value) == (f"{path}: not utf-8-sig text (byte 3) (expected the encoding stated in sources.csv, "
                              "row 2)")
    write_kma(folder, kma_frame().drop(columns=["풍속_나"]))
    with pytest.raises(InputError) as exc:
        wm.read_kma_asos(tmp_path, 2025, tables_by_hand(folder))
    assert str(exc.value) == (f"{path}, row 1: missing column '풍속_나' of station b_2 (expected columns 기온_나, "
                              "풍속_나, 일사_나 (station labels from stations.csv))")
    with pytest.raises(InputError) as exc:
        wm.read_kma_asos(tmp_path, 2023, tables_by_hand(folder))
    assert str(exc.value) == (f"{folder / 'sources.csv'}, column 'file': no measured weather for 2023: no row for "
                              "kma_asos_honam_2023_hourly.csv (expected a weather year with a KMA file here (2025), "
                              "or weather source 'embedded')")


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_measured_tables_are_checked(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    tables = load_weather_tables(inputs)
    path = inputs / "measured" / "site_stations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("jeonju,irradiance,jeonju_146", "jeonju,irradiance,jeonju_164"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        wm.load_measured_tables(inputs, tables)
    assert str(exc.value) == (f"{path}, row 11, column 'station': unknown station (got 'jeonju_164'; expected one of "
                              "gwangju_156, jeonju_146, gunsan_140, mokpo_165; did you mean 'jeonju_146'? "
                              "(from stations.csv))")
    path.write_text(text.replace("jeonju,irradiance,jeonju_146", "jeonju,irradiance,gunsan_140"), encoding="utf-8")
    mt = wm.load_measured_tables(inputs, tables)
    stations = wm.read_kma_asos(inputs, 2025, mt)
    wx = api.synth.synthesize(tables, list(tables.sites), 2025, api.DEFAULT_SEED)
    with pytest.raises(InputError) as exc:
        wm.apply_stations(wx, tables, mt, stations)
    assert str(exc.value) == (f"{path}, row 11, column 'station': station gunsan_140 has no irradiation in "
                              "kma_asos_honam_2025_hourly.csv (got 'gunsan_140'; expected one of gwangju_156, "
                              "jeonju_146, mokpo_165)")
    path = inputs / "measured" / "station_parameters.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("mokpo_165,shear_exponent,0.25,1", "mokpo_165,shear_exponent,0.25,m"),
                    encoding="utf-8")
    with pytest.raises(InputError) as exc:
        wm.load_measured_tables(inputs, tables)
    assert str(exc.value) == (f"{path}, row 9, column 'unit': wrong unit for shear_exponent (got 'm'; expected 1)")


# ------------------------------------------------------------------------------------------------- the shipped KMA year
@pytest.fixture(scope="module")
def shipped():
    tables = load_weather_tables(INPUTS)
    mt = wm.load_measured_tables(INPUTS, tables)
    return tables, mt, wm.read_kma_asos(INPUTS, 2025, mt)


def test_shipped_kma_2025(shipped):
    tables, mt, st = shipped
    annual = {s: g.sum() / 1000 for s, g in st.ghi.items()}
    assert set(annual) == {"gwangju_156", "jeonju_146", "mokpo_165"}          # Gunsan has no irradiation
    assert annual["mokpo_165"] == pytest.approx(5686.52 / 3.6, rel=1e-6)       # nothing filled at Mokpo
    assert annual["jeonju_146"] == pytest.approx(1501, abs=1)
    assert annual["gwangju_156"] == pytest.approx(1599, abs=1)                 # 35 daylight gap hours filled
    fills = st.fills.set_index(["station", "quantity", "rule"])["hours"]
    assert fills[("gwangju_156", "all", "hour without a row in the file")] == 12
    assert fills[("gwangju_156", "wind_speed_ms", "linear interpolation in time (gaps <= 6 h)")] == 22
    assert fills[("gwangju_156", "ghi_w_m2", "value in a night hour (sensor offset) set to 0")] == 11
    # PV peaks in the hour 12:00-13:00 KST at every station (solar noon ~12:30)
    for g in st.ghi.values():
        assert pd.Series(g, st.index).groupby(st.index.hour).mean().idxmax() == 12
    m = wm.mapping_table(tables, mt).set_index(["site", "quantity"])["distance_km"]
    assert m[("saemangeum", "irradiance")] == pytest.approx(46.6, abs=0.1)
    assert m[("yeonggwang_wind", "wind")] == pytest.approx(59.3, abs=0.1)


def test_offshore_anomaly_follows_the_station_and_keeps_the_mean(shipped):
    tables, mt, st = shipped
    anchors = wm.offshore_anchors(tables, mt, st)
    assert set(anchors) == {"shinan_offshore", "jeonbuk_sw_offshore"}
    a, w = anchors["shinan_offshore"]
    assert w == 0.7 and a.mean() == pytest.approx(0, abs=1e-9) and a.std() == pytest.approx(1)
    names = list(tables.sites)
    plain = api.synth.synthesize(tables, names, 2025, api.DEFAULT_SEED)
    tied = api.synth.synthesize(tables, names, 2025, api.DEFAULT_SEED, wind_anchors=anchors)
    j = names.index("shinan_offshore")
    daily = lambda v: v.reshape(365, 24).mean(axis=1)  # noqa: E731
    mokpo = daily(st.wind["mokpo_165"])
    r_tied = np.corrcoef(np.log(daily(tied.wind_speed[:, j])), np.log(mokpo))[0, 1]
    r_plain = np.corrcoef(np.log(daily(plain.wind_speed[:, j])), np.log(mokpo))[0, 1]
    assert r_tied > 0.5 and r_tied > r_plain + 0.3
    assert tied.wind_speed[:, j].mean() == pytest.approx(plain.wind_speed[:, j].mean(), rel=1e-9)   # site mean kept
    k = names.index("gwangju")                                         # sites without an anchor are unchanged
    assert np.array_equal(tied.wind_speed[:, k], plain.wind_speed[:, k])


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_measured_capacity_factors_and_cache(tmp_path):
    cf = capacity_factors(INPUTS, PAIRS, 2025, cache_dir=tmp_path, source="measured")
    syn = capacity_factors(INPUTS, PAIRS, 2025, cache_dir=tmp_path)
    assert cf.index.equals(hourly_index(2025)) and len(list(tmp_path.glob("cf_*.nc"))) == 2
    pv = cf[("utility_pv", "gwangju")]
    assert pv.groupby(pv.index.hour).mean().idxmax() in (11, 12)
    assert 0.16 < pv.mean() < 0.18 and 0.15 < syn[("utility_pv", "gwangju")].mean() < 0.16
    tables = load_weather_tables(INPUTS)
    k_syn = api.cache_key(tables, PAIRS, 2025, api.DEFAULT_SEED)
    k_mea = api.cache_key(tables, PAIRS, 2025, api.DEFAULT_SEED, source="measured")
    assert k_syn != k_mea
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    p = inputs / "measured" / "parameters.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("wind_anomaly_weight,0.7", "wind_anomaly_weight,0.5"),
                 encoding="utf-8")
    assert api.cache_key(load_weather_tables(inputs), PAIRS, 2025, api.DEFAULT_SEED, source="measured") != k_mea
    assert api.cache_key(load_weather_tables(inputs), PAIRS, 2025, api.DEFAULT_SEED) == k_syn  # embedded: unchanged
    with pytest.raises(InputError, match="no measured weather for 2023"):
        capacity_factors(INPUTS, PAIRS, 2023, cache_dir=tmp_path, source="measured")


# ------------------------------------------------------------------------------------------------- KPX reader
def test_kpx_cp949_hour_ending_columns(tmp_path):
    folder = tmp_path / "measured"
    df = kpx_frame(2025, dates_as="dots")
    df.loc[0, "24시"] = 77777                                        # 1 Jan, the hour ending 24:00
    df.loc[0, "1시"] = 11111                                         # 1 Jan, the hour ending 01:00
    path = write_kpx(folder, df, 2025)
    assert path.read_bytes().startswith("날짜".encode("cp949"))
    load = read_national_demand(tmp_path, 2025)
    assert len(load) == 8760 and load.index.equals(hourly_index(2025))
    assert load[pd.Timestamp("2025-01-01 00:00")] == 11111           # 1시 -> 00:00
    assert load[pd.Timestamp("2025-01-01 23:00")] == 77777           # 24시 of day d -> 23:00 of day d
    assert load[pd.Timestamp("2025-01-02 00:00")] == df.loc[1, "1시"]
    shape = national_shape(tmp_path, load.index)
    assert shape.sum() == pytest.approx(1.0) and shape[23] == pytest.approx(77777 / load.sum())


def test_kpx_leap_year_drops_29_february(tmp_path):
    folder = tmp_path / "measured"
    df = kpx_frame(2024)
    write_kpx(folder, df, 2024)
    load = read_national_demand(tmp_path, 2024)
    assert len(load) == 8760 and load.attrs["dropped_days"] == 1
    assert not ((load.index.month == 2) & (load.index.day == 29)).any()
    assert load[pd.Timestamp("2024-03-01 00:00")] == df.loc[df["날짜"] == "2024-03-01", "1시"].iloc[0]


@pytest.mark.parametrize("edit,message", [
    (lambda df: df.drop(index=40), "column '날짜': 1 date(s) of 2025 missing (first 2025-02-10) (expected one row for "
                                   "every date of 2025)"),
    (lambda df: df.assign(**{"5시": df["5시"] / 1000}), "row 2, column '5시': national demand out of the plausible "
     "range (got 60.501; expected MW in [10,000, 200,000]; values 1,000x smaller look like GW, 1,000x larger like kW)"),
    (lambda df: df.astype({"3시": object}).assign(**{"3시": ["n/a"] + list(df["3시"][1:])}),
     "row 2, column '3시': not a number (got 'n/a'; expected demand in MW)"),
    (lambda df: df.rename(columns={"24시": "0시"}), "row 1, column '0시': unexpected header (got '날짜,1시,2시,3시,...'; "
     "expected a date column then 1시,2시,...,24시 (the hours ending at 01:00 .. 24:00 KST))"),
    (lambda df: pd.concat([df, df.iloc[[3]]]), "row 367, column '날짜': duplicate date (first given on row 5) "
                                               "(got '2025-01-04')"),
])
def test_kpx_errors_are_one_line(tmp_path, edit, message):
    folder = tmp_path / "measured"
    path = write_kpx(folder, edit(kpx_frame(2025)), 2025)
    with pytest.raises(InputError) as exc:
        read_national_demand(tmp_path, 2025)
    assert str(exc.value) == f"{path}, {message}"


def test_kpx_encoding_and_missing_year(tmp_path):
    folder = tmp_path / "measured"
    path = write_kpx(folder, kpx_frame(2025), 2025, encoding="cp949", stated="utf-8")
    with pytest.raises(InputError) as exc:
        read_national_demand(tmp_path, 2025)
    assert str(exc.value) == f"{path}: not utf-8 text (byte 0) (expected the encoding stated in sources.csv, row 2)"
    with pytest.raises(InputError) as exc:
        read_national_demand(tmp_path, 2023)
    assert str(exc.value).startswith(f"{folder / 'sources.csv'}, column 'file': no measured demand for 2023: no row "
                                     "for kpx_national_hourly_demand_2023.csv (expected a year with a KPX file here "
                                     "(2025;")


def test_shipped_kpx_files_and_daily_record():
    y24, y25 = read_national_demand(INPUTS, 2024), read_national_demand(INPUTS, 2025)
    assert y24.max() == 97115 and y24.idxmax() == pd.Timestamp("2024-08-20 16:00") and y24.attrs["dropped_days"] == 1
    assert y25.max() == 95951 and y25.min() == 35811
    assert y25.sum() / 1e6 == pytest.approx(565.05, abs=0.01)
    record = check_daily_record(INPUTS, 2025)                       # every day's peak and its hour agree
    assert len(record) == 365 and (record["record_peak_hour"] == record["hourly_max_column"]).all()
    # the midday dip of market demand lies at the hour 12:00-13:00 (solar noon ~12:30 KST): hour-ending read right
    spring = y25[y25.index.month.isin([4, 5])]
    prof = spring.groupby(spring.index.hour).mean()
    assert prof.loc[9:16].idxmin() == 12


# ------------------------------------------------------------------------------------------------- demand
@pytest.fixture(scope="module")
def tables():
    return load_tables(INPUTS)


def test_measured_demand_shape_scales_to_annual_consumption(tables):
    time = hourly_index(2025)
    d = hourly_demand(tables, time, {"gwangju": 1.0, "jeonnam": 1.2, "jeonbuk": 1.0}, shape="measured")
    annual = tables.annual_demand(2021).sum(axis=1)
    assert d["gwangju"].sum() == pytest.approx(annual["gwangju"] * 1000, rel=1e-12)
    assert d["jeonnam"].sum() == pytest.approx(annual["jeonnam"] * 1200, rel=1e-12)
    national = read_national_demand(INPUTS, 2025)
    np.testing.assert_allclose(d["jeonbuk"] / d["jeonbuk"].sum(), national / national.sum(), rtol=1e-12)
    assert d.attrs["shape"] == "measured: KPX national demand 2025"
    with pytest.raises(InputError, match="no measured demand for 2023"):
        hourly_demand(tables, hourly_index(2023), shape="measured")
    with pytest.raises(ValueError, match="unknown demand shape"):
        hourly_demand(tables, time, shape="kpx")


def test_capital_region_demand(tables, tmp_path):
    annual = region_annual_demand(tables, "capital", 2021)
    assert annual == 205642
    national = read_national_demand(INPUTS, 2024)
    cap = capital_region_demand(national, annual)
    assert cap.sum() == pytest.approx(205642e3, rel=1e-12) and cap.index.equals(national.index)
    assert cap.max() == pytest.approx(35335, abs=1)                 # ~36 % of the 2024 national peak
    assert capital_region_demand(national / national.sum(), annual).equals(cap)
    with pytest.raises(ValueError, match="non-negative"):
        capital_region_demand(-national, annual)
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    path = inputs / "region_demand.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("capital,2021,205642,GWh/yr", "jeonnam,2021,205642,TWh"),
                    encoding="utf-8")
    with pytest.raises(InputError) as exc:
        region_annual_demand(load_tables(inputs), "capital", 2021)
    assert str(exc.value) == (f"{path}, row 2, column 'region': unknown region (kind export; honam regions are in "
                              "demand.csv) (got 'jeonnam'; expected one of capital (from regions.csv))")


def test_demand_report_against_published_figures(tables):
    from re300.config import load_scenario
    from re300.inputs.demand_checks import demand_report

    sc = load_scenario(INPUTS.parent / "models" / "re300_2050.yaml")
    stats, checks = demand_report(tables, sc.demand)
    s = stats.set_index(["place", "year", "shape"])
    assert s.loc[("honam", 2025, "measured"), "load_factor"] == pytest.approx(
        s.loc[("national", 2025, "measured (KPX data)"), "load_factor"])
    assert s.loc[("honam", 2025, "measured"), "peak_hour"] == 17      # 25 Aug 2025, the hour 17:00-18:00
    assert s.loc[("honam", 2025, "sectors"), "load_factor"] > 0.75
    c = checks.set_index(["check", "place", "year", "period"])
    assert c.loc[("spring_minimum", "national", 2024, ""), "value"] == 39887       # KPX: 39.9 GW
    jul = c.loc[("monthly_peak", "gwangju+jeonnam", 2024, "7")]
    assert not jul["within_band"] and jul["value"] == pytest.approx(6780, abs=1)
    assert jul["note"].startswith("6,780 MW is 58 above the band (+11 % against the reference 6,111); the model spreads")


# ------------------------------------------------------------------------------------------------- pipeline
@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_measured_scenario_hashes_the_measured_files(tmp_path):
    from re300.config import load_scenario
    from re300.run import Phases, prepare

    sc = load_scenario(INPUTS.parent / "models" / "quick.yaml")
    sc = sc.model_copy(update={"weather": sc.weather.model_copy(update={"source": "measured"})})
    _, data, files = prepare(sc, Phases(echo=False), cache_dir=tmp_path / "cache")
    names = {Path(f).name for f in files}
    assert {"kma_asos_honam_2025_hourly.csv", "kpx_national_hourly_demand_2025.csv", "site_stations.csv",
            "sources.csv"} <= names
    assert data.n_time == 2 * 168
