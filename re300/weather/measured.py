"""Measured weather: the KMA ASOS hourly file of `inputs/measured/` -> the weather of the sites it stands for.

    stations = read_kma_asos(inputs_dir, 2025)          # StationWeather: 8760 KST hour-beginning rows per station
    mapping = load_measured_tables(inputs_dir, tables)  # which station gives each site its irradiance / wind / ...
    wx, info = apply_stations(wx, tables, mapping, stations)

Files (all under `inputs/measured/`, read with the shared reader `re300.csvtable`; every problem is one
`re300.errors.InputError` line naming the file, the row, the column, the value and what was expected):

- ``sources.csv``            provenance of every shipped data file: publisher, dataset, retrieval, copied_from, sha256,
                             encoding, time convention, caveats. The sha256 is checked before a file is read.
- ``kma_asos_honam_<year>_hourly.csv``  KMA ASOS hourly observations (UTF-8 with BOM): ``dt`` and, per station label
                             X, ``기온_X`` air temperature [degC], ``풍속_X`` wind speed [m/s] at the anemometer,
                             ``일사_X`` global horizontal irradiation [MJ/m2 accumulated over the hour]. Other columns
                             (the copier's ``호남평균`` means) are not read.
- ``stations.csv``           station, kma_id, label (the column suffix), name_en, lat, lon, source, status
- ``station_parameters.csv`` station, parameter (anemometer_height m, shear_exponent 1), value, unit, source, status
- ``site_stations.csv``      site, quantity (irradiance | temperature | wind | wind_anomaly), station, source
- ``parameters.csv``         max_fill_gap [h], wind_anomaly_weight [1]

Time convention. KMA stamps an hourly value at the END of its hour (irradiation is the accumulation over the hour
ending at the stamp). A stamp t is read as the hour-beginning KST label t - 1 h, so the model year's hours are the
stamps 01:00 on 1 January .. 00:00 on 1 January of the next year. This is checked against the sun: the
irradiance-weighted mean hour of each station must lie within `SUN_CENTROID_TOLERANCE_H` of its clear-sky one
(read as hour-beginning, the 2025 stations would be 1 h late). 29 February is dropped (365-day model year).

Units. Irradiation H [MJ/m2 per hour] -> mean irradiance over the hour G = H x 10^6 / 3,600 [W/m2].

Missing values, filled by stated rules and counted (`StationWeather.fills`):

- an hour without a row (the 2025 file lacks the 12 stamps 00:00 of the 1st of each month -- the last hour of each
  month -- and the last hour of the year, whose stamp falls on 1 January of the next year): every quantity missing;
- irradiation in a dark hour (sun below the horizon at both ends of the hour): 0; a value there (the Gwangju
  pyranometer reports ~0.06 MJ/m2 in some dark hours) is a sensor offset and is set to 0;
- irradiation missing while the sun is up: the clear-sky index of the nearest station with a value that hour, times
  this station's clear-sky irradiance (Ineichen, as the synthetic weather); if no station has one, the error names
  the hour;
- temperature and wind: linear interpolation in time over gaps of at most `max_fill_gap` hours (nearest value at the
  ends of the year); a longer gap is an error.

Plausible ranges (a value outside names its row and column): irradiation 0 .. 5 MJ/m2 per hour (one hour of the
strongest sun is ~4.3; values near 1,000 are W/m2 or kJ/m2), temperature -40 .. 50 degC, wind 0 .. 75 m/s.

Sites. `site_stations.csv` maps a site of `sites.csv` to the station that gives it each quantity:

- irradiance: the station's hourly GHI (W/m2) as is; DNI/DHI by Erbs from the site's geometry, then the usual
  transposition and PV model (re300.weather.convert);
- temperature: the station's air temperature;
- wind: the station's wind, moved from its anemometer height to the site's reference height (`wind_height` in
  site_parameters.csv) by the power law with the station's `shear_exponent` (an estimate); a wind farm then goes on
  to its hub height with its own exponent as for synthetic weather;
- wind_anomaly (offshore sites, whose wind stays synthetic): the station's daily wind anomaly drives the generator's
  Gaussian wind driver with weight `wind_anomaly_weight` (`offshore_anchors`), so synoptic wind events at sea and
  on the coast coincide while the site keeps its calibrated mean, Weibull shape and winter maximum.

A site without rows keeps its synthetic weather entirely.

Length (about 560 lines, of which 56 this docstring): the KMA file's reading, its fill rules and the station->site
mapping are one chain whose rules the docstring states together; the sampled-year and fleet logic is elsewhere
(`ensemble`, `dynamics`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from re300.csvtable import (
    LINE,
    DataSource,
    Range,
    check_choice,
    check_duplicates,
    check_long_table,
    check_names,
    check_nonempty,
    check_source_status,
    check_sources,
    missing_parameters,
    parse_number,
    read_data_rows,
    read_table,
    verified_data_file,
)
from re300.errors import InputError

from . import synth
from .readers import SUN_CENTROID_TOLERANCE_H, _sun_centroid_h
from .tables import WeatherTables

#: bump whenever the code changes what measured weather becomes (part of the profile cache key)
MEASURED_VERSION = "measured-1"
MEASURED_DIR = "measured"
SOURCES_FILE = "sources.csv"
KMA_FILE = "kma_asos_honam_{year}_hourly.csv"
TABLE_FILES = ("sources.csv", "stations.csv", "station_parameters.csv", "site_stations.csv", "parameters.csv")
QUANTITIES = ("irradiance", "temperature", "wind", "wind_anomaly")
#: KMA column prefix -> model column
KMA_COLUMNS = {"일사": "ghi_w_m2", "기온": "temp_air_c", "풍속": "wind_speed_ms"}
MJ_PER_HOUR_TO_W_M2 = 1.0e6 / 3600.0
RANGES = {"ghi_w_m2": (0.0, 5.0, "MJ/m2 accumulated over one hour, 0 to 5 (one hour of the strongest sun is ~4.3); "
                                  "values near 1,000 look like W/m2 or kJ/m2"),
          "temp_air_c": (-40.0, 50.0, "degC in [-40, 50]"),
          "wind_speed_ms": (0.0, 75.0, "m/s in [0, 75]")}
STATION_PARAMETERS = {"anemometer_height": ("m", 1.0, 200.0), "shear_exponent": ("1", 0.0, 0.6)}
METHOD_PARAMETERS = {"max_fill_gap": ("h", 0.0, 48.0), "wind_anomaly_weight": ("1", 0.0, 1.0)}
HOUR = pd.Timedelta(hours=1)
#: a blank hour whose clear-sky irradiation is below this (0.05 MJ/m2; the sun rises or sets within it) is 0
LOW_LIGHT_W_M2 = 0.05 * MJ_PER_HOUR_TO_W_M2


@dataclass
class Station:
    station: str
    kma_id: int
    label: str
    lat: float
    lon: float
    params: dict[str, float] = field(default_factory=dict)


@dataclass
class MeasuredTables:
    """The station tables and the site -> station mapping of `inputs/measured/`."""

    folder: Path
    stations: dict[str, Station]
    site_stations: dict[tuple[str, str], str]            # (site, quantity) -> station
    site_station_lines: dict[tuple[str, str], int]
    parameters: dict[str, float]

    def input_files(self) -> list[Path]:
        return [self.folder / name for name in TABLE_FILES]

    def stations_for(self, quantity: str) -> dict[str, str]:
        """site -> station for one quantity."""
        return {site: st for (site, q), st in self.site_stations.items() if q == quantity}


@dataclass
class StationWeather:
    """Hourly measured weather of the stations on the model's 8760 KST hour-beginning labels of `year`."""

    year: int
    index: pd.DatetimeIndex
    ghi: dict[str, np.ndarray]           # station -> W/m2 (stations with irradiation only)
    temp_air: dict[str, np.ndarray]      # degC
    wind: dict[str, np.ndarray]          # m/s at the anemometer
    fills: pd.DataFrame                  # station, quantity, rule, hours
    source: DataSource
    notes: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.source.path


# ------------------------------------------------------------------------------------------------- tables
def measured_dir(inputs_dir: Path) -> Path:
    return Path(inputs_dir) / MEASURED_DIR


def load_measured_tables(inputs_dir: Path, tables: WeatherTables) -> MeasuredTables:
    """Read and check stations.csv, station_parameters.csv, site_stations.csv and parameters.csv."""
    folder = measured_dir(inputs_dir)
    path = folder / "stations.csv"
    df = read_table(path, ("station", "kma_id", "label", "name_en", "lat", "lon", "source", "status"))
    check_nonempty(path, df, ["station", "kma_id", "label"])
    check_duplicates(path, df, ["station"])
    check_duplicates(path, df, ["label"])
    parse_number(path, df, "kma_id", default_range=Range(1, 9999, integer=True))
    parse_number(path, df, "lat", default_range=Range(-90, 90))
    parse_number(path, df, "lon", default_range=Range(-180, 180))
    check_source_status(path, df)
    stations = {r.station: Station(r.station, int(r.kma_id), r.label, float(r.lat), float(r.lon))
                for r in df.itertuples(index=False)}

    path = folder / "station_parameters.csv"
    df = read_table(path, ("station", "parameter", "value", "unit", "source", "status"))
    check_nonempty(path, df, ["station"])
    check_names(path, df, "station", list(stations), "station", table="stations.csv")
    check_long_table(path, df, {p: u for p, (u, _, _) in STATION_PARAMETERS.items()},
                     {p: Range(lo, hi) for p, (_, lo, hi) in STATION_PARAMETERS.items()})
    check_duplicates(path, df, ["station", "parameter"])
    for st, p, v in zip(df["station"], df["parameter"], df["value"]):
        stations[st].params[p] = float(v)
    for st in stations.values():
        missing_parameters(path, f"station {st.station}", st.params, list(STATION_PARAMETERS))

    path = folder / "site_stations.csv"
    df = read_table(path, ("site", "quantity", "station", "source"))
    check_nonempty(path, df, ["site", "quantity", "station"])
    check_names(path, df, "site", list(tables.sites), "site", table="sites.csv")
    check_choice(path, df, "quantity", QUANTITIES)
    check_names(path, df, "station", list(stations), "station", table="stations.csv")
    check_sources(path, df)
    check_duplicates(path, df, ["site", "quantity"])
    mapping = {(s, q): st for s, q, st in zip(df["site"], df["quantity"], df["station"])}
    lines = {(s, q): int(line) for s, q, line in zip(df["site"], df["quantity"], df[LINE])}

    path = folder / "parameters.csv"
    df = read_table(path, ("parameter", "value", "unit", "source", "status"))
    check_long_table(path, df, {p: u for p, (u, _, _) in METHOD_PARAMETERS.items()},
                     {p: Range(lo, hi) for p, (_, lo, hi) in METHOD_PARAMETERS.items()})
    check_duplicates(path, df, ["parameter"])
    params = {p: float(v) for p, v in zip(df["parameter"], df["value"])}
    missing_parameters(path, "the table", params, list(METHOD_PARAMETERS))
    return MeasuredTables(folder, stations, mapping, lines, params)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance [km]."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def mapping_table(tables: WeatherTables, mt: MeasuredTables) -> pd.DataFrame:
    """site, quantity, station, kma_id, distance_km (site to station) -- the table the report and README show."""
    rows = []
    for (site, q), st in mt.site_stations.items():
        s, t = tables.sites[site], mt.stations[st]
        rows.append((site, q, st, t.kma_id, round(distance_km(s.lat, s.lon, t.lat, t.lon), 1)))
    return pd.DataFrame(rows, columns=["site", "quantity", "station", "kma_id", "distance_km"])


# ------------------------------------------------------------------------------------------------- the KMA file
def kma_file_name(year: int) -> str:
    return KMA_FILE.format(year=int(year))


def measured_years(inputs_dir: Path) -> list[int]:
    """Years with a KMA ASOS file listed in sources.csv."""
    from re300.csvtable import read_data_sources

    years = []
    for name in read_data_sources(measured_dir(inputs_dir) / SOURCES_FILE):
        stem = KMA_FILE.split("{year}")
        if name.startswith(stem[0]) and name.endswith(stem[1]) and name[len(stem[0]):-len(stem[1])].isdigit():
            years.append(int(name[len(stem[0]):-len(stem[1])]))
    return sorted(years)


def _cells(src: DataSource) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) of the file, decoded with the encoding its provenance row states."""
    return read_data_rows(src, "a header line dt,기온_<station>,...")


def _parse_stamps(src: DataSource, rows) -> tuple[pd.DatetimeIndex, np.ndarray]:
    lines = np.array([line for line, _ in rows])
    stamps = []
    for line, cells in rows:
        try:
            stamps.append(dt.datetime.strptime(cells[0], "%Y-%m-%d %H:%M"))
        except ValueError:
            raise InputError(src.path, "unreadable time stamp", row=line, column="dt", value=cells[0],
                             expected="YYYY-MM-DD HH:MM in KST") from None
    idx = pd.DatetimeIndex(stamps)
    for i in range(1, len(idx)):
        if idx[i] <= idx[i - 1]:
            raise InputError(src.path, f"time stamp repeats or goes back (after {idx[i - 1]})", row=int(lines[i]),
                             column="dt", value=rows[i][1][0], expected="hourly stamps in increasing order")
    off = np.flatnonzero((idx.minute != 0) | (idx.second != 0))
    if off.size:
        i = int(off[0])
        raise InputError(src.path, "not on the hour", row=int(lines[i]), column="dt", value=rows[i][1][0],
                         expected="hourly stamps HH:00 (KST, end of the hour)")
    return idx, lines


def _column(src: DataSource, header: list[str], rows, name: str, lines: np.ndarray, model: str) -> np.ndarray:
    j = header.index(name)
    lo, hi, expected = RANGES[model]
    out = np.full(len(rows), np.nan)
    for i, (line, cells) in enumerate(rows):
        text = cells[j]
        if text == "":
            continue
        try:
            x = float(text)
        except ValueError:
            raise InputError(src.path, "not a number", row=line, column=name, value=text,
                             expected="a number or an empty cell") from None
        if not math.isfinite(x):
            raise InputError(src.path, "not a finite number", row=line, column=name, value=text,
                             expected="a number or an empty cell")
        if not lo <= x <= hi:
            raise InputError(src.path, "value out of the plausible range", row=line, column=name, value=x,
                             expected=expected)
        out[i] = x
    return out


def _sun(index: pd.DatetimeIndex, st: Station) -> tuple[np.ndarray, np.ndarray]:
    """(night, clear-sky GHI [W/m2]) of the hour-beginning KST labels at the station. Night = the sun is below the
    horizon at both ends of the hour. Clear sky: Ineichen, weighted mean of the hour's ends and middle."""
    utc = (index - pd.Timedelta(hours=9)).tz_localize("UTC")
    loc = pvlib.location.Location(st.lat, st.lon, tz="UTC")
    ends = utc.append(utc[-1:] + HOUR)
    elev = loc.get_solarposition(ends)["apparent_elevation"].to_numpy()
    cs = lambda t: np.nan_to_num(np.clip(loc.get_clearsky(t, model="ineichen")["ghi"].to_numpy(), 0, None))  # noqa: E731
    clear = (0.25 * cs(ends[:-1]) + 0.5 * cs(utc + pd.Timedelta(minutes=30)) + 0.25 * cs(ends[1:]))
    night = (elev[:-1] < 0.0) & (elev[1:] < 0.0)
    return night, clear


def _fill_gaps(values: np.ndarray, max_gap: int, src: DataSource, column: str, index: pd.DatetimeIndex,
               what: str = "") -> int:
    """Linear interpolation in time over runs of NaN of at most `max_gap` hours, in place (nearest value at the ends);
    returns the hours filled."""
    nan = np.isnan(values)
    if not nan.any():
        return 0
    if nan.all():
        raise InputError(src.path, "no value in the whole year", column=column, expected="hourly values")
    runs = np.flatnonzero(np.diff(np.concatenate([[0], nan.astype(np.int8), [0]])))
    for a, b in zip(runs[::2], runs[1::2]):
        if b - a > max_gap:
            raise InputError(src.path, f"{b - a} consecutive hours without {what or 'a value'} from {index[a]} KST "
                                       "(hour-beginning label)", column=column,
                             expected=f"gaps of at most {max_gap:g} h (filled by linear interpolation; "
                                      "parameters.csv max_fill_gap)")
    x = np.arange(len(values))
    values[nan] = np.interp(x[nan], x[~nan], values[~nan])
    return int(nan.sum())


def read_kma_asos(inputs_dir: Path, year: int, mt: MeasuredTables) -> StationWeather:
    """The KMA ASOS hourly file of `year` -> every station of stations.csv on 8760 hour-beginning KST labels (see the
    module docstring for the conventions, checks and filling rules)."""
    folder = measured_dir(inputs_dir)
    name = kma_file_name(year)
    table = folder / SOURCES_FILE
    from re300.csvtable import read_data_sources

    listed = read_data_sources(table)
    if name not in listed:
        years = measured_years(inputs_dir)
        raise InputError(table, f"no measured weather for {year}: no row for {name}", column="file",
                         expected=f"a weather year with a KMA file here ({', '.join(map(str, years)) or 'none'}), "
                                  "or weather source 'embedded'")
    src = verified_data_file(table, name)
    header, rows = _cells(src)
    if "dt" not in header:
        raise InputError(src.path, "missing column 'dt'", row=1, expected="dt (KST stamp at the end of the hour)")
    stamps, lines = _parse_stamps(src, rows)
    labels = stamps - HOUR                            # hour-ending stamp -> hour-beginning label
    index = synth.hourly_index(year)
    keep = ~((labels.month == 2) & (labels.day == 29))
    pos = pd.Index(index).get_indexer(labels)
    inside = (pos >= 0) & keep
    absent = np.setdiff1d(np.arange(len(index)), pos[inside])
    if len(absent) > len(index) // 10:
        raise InputError(src.path, f"{len(absent)} of the {len(index)} hours of {year} have no row "
                                   f"(first {index[absent[0]]} KST, hour-beginning)", column="dt",
                         expected=f"hourly stamps covering {year} (a stamp ends its hour)")
    max_gap = int(mt.parameters["max_fill_gap"])
    ghi: dict[str, np.ndarray] = {}
    temp: dict[str, np.ndarray] = {}
    wind: dict[str, np.ndarray] = {}
    fills = []
    suns = {}
    for st in mt.stations.values():
        for prefix, model in KMA_COLUMNS.items():
            col = f"{prefix}_{st.label}"
            if col not in header:
                raise InputError(src.path, f"missing column '{col}' of station {st.station}", row=1,
                                 expected=f"columns 기온_{st.label}, 풍속_{st.label}, 일사_{st.label} "
                                          "(station labels from stations.csv)")
            raw = _column(src, header, rows, col, lines, model)
            values = np.full(len(index), np.nan)
            values[pos[inside]] = raw[inside]
            if model == "ghi_w_m2":
                if np.isnan(raw).all():
                    continue                                  # no pyranometer data (Gunsan 2025)
                ghi[st.station] = values * MJ_PER_HOUR_TO_W_M2
            elif model == "temp_air_c":
                temp[st.station] = values
            else:
                wind[st.station] = values
        fills.append((st.station, "all", "hour without a row in the file", int(len(absent))))
    # irradiance: dark hours 0, daytime gaps from the nearest station's clear-sky index
    for s in ghi:
        suns[s] = _sun(index, mt.stations[s])
    for s, g in ghi.items():
        night, clear = suns[s]
        blank = np.isnan(g)
        dim = ~night & (clear < LOW_LIGHT_W_M2)       # sunrise or sunset within the hour: KMA leaves it blank
        offset = night & ~blank & (g > 0)
        g[night | (dim & blank)] = 0.0
        # the stamps end their hour: the irradiance must be centred on the sun
        hours = index.hour.to_numpy()
        got, want = _sun_centroid_h(np.nan_to_num(g), hours), _sun_centroid_h(clear, hours)
        diff = (got - want + 12.0) % 24.0 - 12.0
        if abs(diff) > SUN_CENTROID_TOLERANCE_H:
            raise InputError(src.path, f"read as hour-ending stamps, the irradiation of station {s} is centred on "
                                       f"{got:.2f} h KST but the sun on {want:.2f} h (shifted by {diff:+.2f} h)",
                             column=f"일사_{mt.stations[s].label}",
                             expected="KMA stamps at the end of the hour, in KST")
        others = sorted((o for o in ghi if o != s),
                        key=lambda o: distance_km(mt.stations[s].lat, mt.stations[s].lon, mt.stations[o].lat,
                                                  mt.stations[o].lon))
        for o in others:
            todo = np.isnan(g)
            if not todo.any():
                break
            oc = suns[o][1]
            with np.errstate(invalid="ignore", divide="ignore"):
                kt = np.where(oc > 0, ghi[o] / oc, np.nan)
            ok = todo & np.isfinite(kt)
            g[ok] = np.clip(kt[ok], 0.0, 1.5) * clear[ok]
        alone = np.isnan(g)                                # daylight and no station has a value that hour
        if alone.any():
            with np.errstate(invalid="ignore", divide="ignore"):
                kt = np.where(clear > 0, g / clear, np.nan)
            # this station's clear-sky index, interpolated over its daylight hours from the nearest ones with a value
            day = ~night
            sub = kt[day]
            _fill_gaps(sub, max_gap, src, f"일사_{mt.stations[s].label}", index[day],
                       what="irradiation in daylight at any station")
            kt[day] = sub
            g[alone] = np.clip(kt[alone], 0.0, 1.5) * clear[alone]
        fills.append((s, "ghi_w_m2", "night hour without a value: 0", int((blank & night).sum())))
        fills.append((s, "ghi_w_m2", "value in a night hour (sensor offset) set to 0", int(offset.sum())))
        fills.append((s, "ghi_w_m2", "sunrise or sunset hour (clear sky < 0.05 MJ/m2) without a value: 0",
                      int((blank & dim).sum())))
        fills.append((s, "ghi_w_m2", "daylight hour without a value: the nearest station's clear-sky index x this "
                                     "station's clear sky", int((blank & ~night & ~dim).sum()) - int(alone.sum())))
        fills.append((s, "ghi_w_m2", "daylight hour without a value at any station: this station's clear-sky index "
                                     "interpolated in time", int(alone.sum())))
    for quantity, series in (("temp_air_c", temp), ("wind_speed_ms", wind)):
        for s, v in series.items():
            prefix = "기온" if quantity == "temp_air_c" else "풍속"
            n_blank = int(np.isnan(v).sum())
            _fill_gaps(v, max_gap, src, f"{prefix}_{mt.stations[s].label}", index)
            fills.append((s, quantity, f"linear interpolation in time (gaps <= {max_gap} h)", n_blank))
    notes = [f"{src.path.name}: {len(rows)} rows; {len(absent)} hours of {year} without a row; stamps read as the end "
             "of the hour (KST)"]
    fills_df = pd.DataFrame(fills, columns=["station", "quantity", "rule", "hours"])
    return StationWeather(int(year), index, ghi, temp, wind, fills_df, src, notes)


# ------------------------------------------------------------------------------------------------- sites
def daily_wind_anomaly(wind: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    """Standardised daily anomaly of a station's wind on the hourly index: log of the daily mean speed minus its
    fitted annual harmonic, divided by its standard deviation, mapped to normal scores (ranks), and interpolated
    linearly between day centres (unit variance restored)."""
    from scipy import special, stats

    days = wind.reshape(synth.DAYS, 24).mean(axis=1)
    doy = np.arange(1, synth.DAYS + 1, dtype=float)
    x = np.log(np.clip(days, 0.3, None))
    basis = np.c_[np.ones_like(doy), np.cos(2 * np.pi * doy / 365.0), np.sin(2 * np.pi * doy / 365.0)]
    coef, *_ = np.linalg.lstsq(basis, x, rcond=None)
    resid = x - basis @ coef
    z = special.ndtri((stats.rankdata(resid) - 0.5) / len(resid))
    hours = np.arange(len(index)) / 24.0
    centres = np.arange(synth.DAYS) + 0.5
    a = np.interp(hours, centres, z)
    return (a - a.mean()) / a.std()


def offshore_anchors(tables: WeatherTables, mt: MeasuredTables, stations: StationWeather) -> dict[str, tuple]:
    """site -> (hourly standardised anomaly of its station, weight) for the sites with a wind_anomaly row."""
    w = mt.parameters["wind_anomaly_weight"]
    out = {}
    for site, st in mt.stations_for("wind_anomaly").items():
        if st not in stations.wind:
            raise InputError(mt.folder / "site_stations.csv", f"station {st} has no wind in {stations.path.name}",
                             row=mt.site_station_lines[(site, "wind_anomaly")], column="station", value=st)
        out[site] = (daily_wind_anomaly(stations.wind[st], stations.index), w)
    return out


def apply_stations(wx: synth.SiteWeather, tables: WeatherTables, mt: MeasuredTables,
                   stations: StationWeather) -> tuple[synth.SiteWeather, pd.DataFrame]:
    """The sites of site_stations.csv take the measured irradiance, temperature and wind of their stations; returns
    the new SiteWeather and the mapping table (site, quantity, station, kma_id, distance_km)."""
    names = [s.site for s in wx.sites]
    ghi, dni, dhi = wx.ghi.copy(), wx.dni.copy(), wx.dhi.copy()
    temp, wind, csi = wx.temp_air.copy(), wx.wind_speed.copy(), wx.csi_daily.copy()
    target = wx.ghi_target_monthly.copy()
    sites = list(wx.sites)
    geo = wx.geometry
    table_path = mt.folder / "site_stations.csv"
    for site, st in mt.stations_for("irradiance").items():
        if st not in stations.ghi:
            raise InputError(table_path, f"station {st} has no irradiation in {stations.path.name}",
                             row=mt.site_station_lines[(site, "irradiance")], column="station", value=st,
                             expected="one of " + ", ".join(stations.ghi))
        j = names.index(site)
        g = stations.ghi[st].copy()
        g[geo.ghi_clear[:, j] <= 0.0] = 0.0            # the site's own night (stations lie within ~0.7 deg)
        ghi[:, j] = g
        b, f = synth.decompose(ghi[:, [j]], geo.zenith[:, [j]], geo.doy, geo.dni_clear[:, [j]])
        dni[:, j], dhi[:, j] = b[:, 0], f[:, 0]
        daily = lambda a: a.reshape(synth.DAYS, 24).sum(axis=1)  # noqa: E731
        with np.errstate(invalid="ignore", divide="ignore"):
            csi[:, j] = np.nan_to_num(daily(ghi[:, j]) / daily(geo.ghi_clear[:, j]))
        target[:, j] = np.nan
    for site, st in mt.stations_for("temperature").items():
        temp[:, names.index(site)] = stations.temp_air[st]
    for site, st in mt.stations_for("wind").items():
        if st not in stations.wind:
            raise InputError(table_path, f"station {st} has no wind in {stations.path.name}",
                             row=mt.site_station_lines[(site, "wind")], column="station", value=st)
        j = names.index(site)
        station = mt.stations[st]
        h_ref = sites[j].params["wind_height"]
        h_st = station.params["anemometer_height"]
        wind[:, j] = stations.wind[st] * (h_ref / h_st) ** station.params["shear_exponent"]
    new = dataclasses.replace(wx, sites=sites, ghi=ghi, dni=dni, dhi=dhi, temp_air=temp, wind_speed=wind,
                              csi_daily=csi, ghi_target_monthly=target)
    return new, mapping_table(tables, mt)


@dataclass
class MeasuredYear:
    """What a measured weather year read: the tables, the stations' hourly series and the site mapping."""

    tables: MeasuredTables
    stations: StationWeather
    mapping: pd.DataFrame | None = None


def read_measured_year(tables: WeatherTables, year: int) -> MeasuredYear:
    mt = load_measured_tables(tables.inputs_dir, tables)
    return MeasuredYear(mt, read_kma_asos(tables.inputs_dir, year, mt))


def measured_input_files(inputs_dir: Path, year: int) -> list[Path]:
    """Every file a measured weather year reads (for cache keys and manifests)."""
    folder = measured_dir(inputs_dir)
    return [folder / name for name in TABLE_FILES] + [folder / kma_file_name(year)]
