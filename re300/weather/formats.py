"""The weather file formats: one parser per format, each handing over the file's values in model units with the
file's own time stamps (``_Raw``); ``re300.weather.readers`` aligns them to the model's hours and checks them.

Split from readers.py (issue 12: one module per job, none over about 500 lines). The formats, their units and time
conventions are described in the docstring of :mod:`re300.weather.readers`.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from re300.errors import InputError

from .tables import Site

FORMATS = ("epw", "pvgis", "psm3", "csv", "era5")
COLUMNS = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_ms")
REQUIRED = ("ghi_w_m2", "temp_air_c", "wind_speed_ms")
KST = dt.timezone(dt.timedelta(hours=9), "KST")
HOUR = pd.Timedelta(hours=1)
#: a file whose stated location is farther than this from the site is rejected
MAX_SITE_DISTANCE_KM = 50.0
#: irradiance must peak within this many hours of the site's clear-sky peak (KST); a 1-h label error is caught
SUN_CENTROID_TOLERANCE_H = 0.75
#: default wind measurement height per format (m)
DEFAULT_WIND_HEIGHT_M = {"epw": 10.0, "pvgis": 10.0, "psm3": 2.0}
#: plausible ranges after conversion (hourly values at a Korean site)
GHI_PEAK_W_M2 = (100.0, 1500.0)       # the year's highest hourly mean GHI
DNI_MAX_W_M2 = 1400.0
DHI_MAX_W_M2 = 1000.0
TEMP_MEAN_C = (-10.0, 35.0)           # annual mean
TEMP_RANGE_C = (-50.0, 55.0)          # any hour
WIND_MEAN_MS = 25.0
WIND_MAX_MS = 80.0
ERA5_SSRD_MAX_J_M2 = 5.0e6            # one hour of the strongest sunshine is ~4.3e6 J/m2
ERA5_T2M_MEAN_K = (200.0, 330.0)



@dataclass(frozen=True)
class FileSpec:
    """Where one site's weather comes from (the scenario's ``weather.files.<site>``)."""

    path: Path
    format: str
    timezone: str | None = None          # csv only (other formats state their own)
    wind_height_m: float | None = None   # overrides the format's wind height (required for csv if not in the header)

    def __post_init__(self):
        object.__setattr__(self, "path", Path(self.path))

    @classmethod
    def coerce(cls, obj: Any) -> FileSpec:
        """From a FileSpec, a mapping or an object with the same attributes (e.g. the scenario's pydantic model)."""
        if isinstance(obj, FileSpec):
            return obj
        get = obj.get if isinstance(obj, dict) else (lambda k, d=None: getattr(obj, k, d))
        wh = get("wind_height_m", None)
        return cls(Path(get("path")), str(get("format")), get("timezone", None), None if wh is None else float(wh))




@dataclass
class _Raw:
    """What a format parser hands over: values in model units, indexed by tz-aware time stamps of the file."""

    frame: pd.DataFrame                       # subset of COLUMNS
    label: str                                # beginning | ending | instant (how a stamp relates to its hour)
    wind_height_m: float
    lat: float | None = None
    lon: float | None = None
    names: dict[str, str] = field(default_factory=dict)   # model column -> the file's own column name
    zone_text: str = ""


def _shown(path: Path) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _err(spec: FileSpec, message: str, **kw) -> InputError:
    return InputError(_shown(spec.path), message, **kw)


# ------------------------------------------------------------------------------------------------- time zones
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def parse_timezone(text: str) -> dt.tzinfo:
    """'UTC', 'UTC+9', 'UTC+09:00', '+0900', 'KST', 'Asia/Seoul' -> tzinfo. Raises ValueError."""
    t = str(text).strip()
    if t.upper() in ("UTC", "GMT", "Z"):
        return dt.timezone.utc
    if t.upper() == "KST":
        return KST
    m = _OFFSET_RE.match(t)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        if minutes > 14 * 60:
            raise ValueError(t)
        return dt.timezone(dt.timedelta(minutes=minutes if m.group(1) == "+" else -minutes))
    if "/" in t:
        try:
            return zoneinfo.ZoneInfo(t)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    raise ValueError(t)


def _zone_text(tz) -> str:
    off = pd.Timestamp("2001-01-01", tz=tz).utcoffset()
    hours = off.total_seconds() / 3600
    return f"UTC{hours:+g}"


# ------------------------------------------------------------------------------------------------- parsers
def _call_pvlib(spec: FileSpec, what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        text = " ".join(str(exc).split()) or exc.__class__.__name__
        raise _err(spec, f"cannot read as {what} ({text[:160]})",
                   expected=f"a {what} file as downloaded (see re300/weather/readers.py)") from None


def _read_epw(spec: FileSpec, site: Site) -> _Raw:
    from pvlib.iotools import read_epw

    with open(spec.path, encoding="utf-8", errors="replace") as fh:
        first = fh.readline().rstrip("\r\n").split(",")
    if not first or first[0].strip().upper() != "LOCATION" or len(first) < 10:
        raise _err(spec, "first line is not an EPW LOCATION line", value=",".join(first)[:80],
                   expected="LOCATION,city,state,country,source,WMO,latitude,longitude,TZ,elevation")
    tz_field = first[8].strip()
    try:
        tz_hours = float(tz_field)
    except ValueError:
        raise _err(spec, "missing or unreadable time zone in the LOCATION line (field 9, TZ)", value=tz_field,
                   expected="hours from UTC, e.g. 9.0 for Korea") from None
    if not math.isfinite(tz_hours) or abs(tz_hours) > 14:
        raise _err(spec, "time zone out of range in the LOCATION line (field 9, TZ)", value=tz_field,
                   expected="hours from UTC in [-14, 14], e.g. 9.0 for Korea")
    data, meta = _call_pvlib(spec, "EPW", read_epw, str(spec.path))
    missing = [c for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed") if c not in data]
    if missing:
        raise _err(spec, f"missing column(s) {', '.join(missing)}", expected="the 35 EPW data fields")
    frame = pd.DataFrame({
        "ghi_w_m2": data["ghi"].where(data["ghi"] < 9999),
        "dni_w_m2": data["dni"].where(data["dni"] < 9999),
        "dhi_w_m2": data["dhi"].where(data["dhi"] < 9999),
        "temp_air_c": data["temp_air"].where(data["temp_air"] < 99.9),
        "wind_speed_ms": data["wind_speed"].where(data["wind_speed"] < 999),
    }, index=data.index).astype(float)
    names = {"ghi_w_m2": "Global Horizontal Radiation (field 14)", "dni_w_m2": "Direct Normal Radiation (field 15)",
             "dhi_w_m2": "Diffuse Horizontal Radiation (field 16)", "temp_air_c": "Dry Bulb Temperature (field 7)",
             "wind_speed_ms": "Wind Speed (field 22)"}
    return _Raw(frame, "beginning", DEFAULT_WIND_HEIGHT_M["epw"], float(meta["latitude"]), float(meta["longitude"]),
                names, f"UTC{tz_hours:+g} (EPW TZ field)")


def _pvgis_kind(spec: FileSpec) -> tuple[str, str]:
    """('tmy' | 'hourly', 'csv' | 'json') from the file's content."""
    suffix = spec.path.suffix.lower().lstrip(".")
    if suffix == "json":
        try:
            src = json.loads(spec.path.read_text(encoding="utf-8"))
            outputs = src.get("outputs", {})
        except (ValueError, AttributeError):
            raise _err(spec, "not a PVGIS JSON file (unreadable JSON or no 'outputs')",
                       expected="a file saved from the PVGIS TMY or hourly-radiation tool") from None
        if "tmy_hourly" in outputs:
            return "tmy", "json"
        if "hourly" in outputs:
            return "hourly", "json"
        raise _err(spec, "PVGIS JSON has neither 'tmy_hourly' nor 'hourly' outputs",
                   expected="a PVGIS TMY or hourly-radiation file")
    with open(spec.path, encoding="utf-8", errors="replace") as fh:
        head = [fh.readline() for _ in range(30)]
    if any(line.startswith(("time(UTC)", "month,year", "Irradiance Time Offset")) for line in head):
        return "tmy", "csv"
    if any(line.startswith("time,") for line in head):
        return "hourly", "csv"
    raise _err(spec, "not a PVGIS CSV file (no 'time(UTC),...' or 'time,...' header line in the first 30 lines)",
               expected="a CSV saved from the PVGIS TMY or hourly-radiation tool (or set format: epw for a PVGIS EPW)")


def _pvgis_slope(meta: dict, fmt: str) -> float | None:
    inputs = meta.get("inputs", {}) if isinstance(meta, dict) else {}
    if fmt == "json":
        try:
            return float(inputs["mounting_system"]["fixed"]["slope"]["value"])
        except (KeyError, TypeError, ValueError):
            return None
    text = inputs.get("Slope")
    m = re.search(r"-?\d+(\.\d+)?", str(text)) if text is not None else None
    return float(m.group(0)) if m else None


def _read_pvgis(spec: FileSpec, site: Site) -> _Raw:
    from pvlib.iotools import read_pvgis_hourly, read_pvgis_tmy

    kind, fmt = _pvgis_kind(spec)
    if kind == "tmy":
        data, meta = _call_pvlib(spec, "PVGIS TMY", read_pvgis_tmy, str(spec.path), pvgis_format=fmt)
        need = {"ghi_w_m2": "ghi", "dni_w_m2": "dni", "dhi_w_m2": "dhi", "temp_air_c": "temp_air",
                "wind_speed_ms": "wind_speed"}
    else:
        data, meta = _call_pvlib(spec, "PVGIS hourly", read_pvgis_hourly, str(spec.path), pvgis_format=fmt)
        slope = _pvgis_slope(meta, fmt)
        if slope is None or abs(slope) > 1e-9:
            raise _err(spec, "PVGIS hourly irradiance is on a tilted plane, not horizontal",
                       column="Slope", value=slope, expected="slope 0 (download with angle 0 so that G(i) is GHI)")
        if "poa_global" not in data and {"poa_direct", "poa_sky_diffuse"} <= set(data.columns):
            data["poa_global"] = data["poa_direct"] + data["poa_sky_diffuse"] + data.get("poa_ground_diffuse", 0.0)
        need = {"ghi_w_m2": "poa_global", "temp_air_c": "temp_air", "wind_speed_ms": "wind_speed"}
    original = {"ghi": "G(h)", "dni": "Gb(n)", "dhi": "Gd(h)", "poa_global": "G(i)", "temp_air": "T2m",
                "wind_speed": "WS10m"}
    missing = [original[c] for k, c in need.items() if c not in data and k in REQUIRED]
    if missing:
        raise _err(spec, f"missing column(s) {', '.join(missing)}",
                   expected="PVGIS columns G(h) or G(i), T2m and WS10m")
    frame = pd.DataFrame({k: pd.to_numeric(data[c], errors="coerce") for k, c in need.items() if c in data},
                         index=data.index)
    inputs = meta.get("inputs", {}) if isinstance(meta, dict) else {}
    where = inputs.get("location") if isinstance(inputs.get("location"), dict) else inputs   # JSON | CSV layout
    names = {k: original[c] for k, c in need.items()}
    return _Raw(frame, "instant", DEFAULT_WIND_HEIGHT_M["pvgis"], _float_or_none(where.get("latitude")),
                _float_or_none(where.get("longitude")), names, "UTC (PVGIS)")


def _float_or_none(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _read_psm3(spec: FileSpec, site: Site) -> _Raw:
    from pvlib.iotools import read_nsrdb_psm4

    with open(spec.path, encoding="utf-8", errors="replace") as fh:
        fields = [f.strip() for f in fh.readline().split(",")]
        values = [v.strip() for v in fh.readline().split(",")]
    meta0 = dict(zip(fields, values))
    zone = meta0.get("Time Zone", "")
    try:
        tz_hours = int(float(zone))
    except ValueError:
        raise _err(spec, "missing or unreadable 'Time Zone' in the metadata line (line 2)", value=zone or None,
                   expected="hours from UTC, e.g. 9 (or 0 for UTC)") from None
    data, meta = _call_pvlib(spec, "NSRDB PSM3/PSM4 SAM-CSV", read_nsrdb_psm4, str(spec.path))
    cols = {"ghi_w_m2": ("ghi", "GHI"), "dni_w_m2": ("dni", "DNI"), "dhi_w_m2": ("dhi", "DHI"),
            "temp_air_c": ("temp_air", "Temperature"), "wind_speed_ms": ("wind_speed", "Wind Speed")}
    missing = [orig for k, (c, orig) in cols.items() if c not in data and k in REQUIRED]
    if missing:
        raise _err(spec, f"missing column(s) {', '.join(missing)}", row=3,
                   expected="columns Year, Month, Day, Hour, Minute, GHI, DNI, DHI, Temperature, Wind Speed")
    frame = pd.DataFrame({k: data[c].astype(float) for k, (c, _) in cols.items() if c in data}, index=data.index)
    return _Raw(frame, "instant", DEFAULT_WIND_HEIGHT_M["psm3"], _float_or_none(meta.get("latitude")),
                _float_or_none(meta.get("longitude")), {k: orig for k, (_, orig) in cols.items()},
                f"UTC{tz_hours:+d} (metadata 'Time Zone')")


def _csv_header(spec: FileSpec) -> tuple[dict[str, str], int]:
    header: dict[str, str] = {}
    n = 0
    with open(spec.path, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            n += 1
            text = line[1:].strip()
            if ":" in text:
                key, value = text.split(":", 1)
                header[key.strip().lower()] = value.strip()
    return header, n


def _read_csv(spec: FileSpec, site: Site) -> _Raw:
    try:
        header, skip = _csv_header(spec)
        df = pd.read_csv(spec.path, skiprows=skip, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    except UnicodeDecodeError as exc:
        raise _err(spec, f"not UTF-8 text ({exc.reason})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _err(spec, f"malformed CSV ({' '.join(str(exc).split())[:120]})") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in ("time", *REQUIRED) if c not in df.columns]
    if missing:
        raise _err(spec, f"missing column(s) {', '.join(missing)}", row=skip + 1, value=",".join(df.columns)[:120],
                   expected="columns time, ghi_w_m2, temp_air_c, wind_speed_ms (optional dni_w_m2, dhi_w_m2); "
                            "units are part of the names")

    # time zone: header, scenario, or offsets in the time stamps -- at least one, and they must agree
    stated = []
    if header.get("timezone"):
        stated.append(("the '# timezone:' header line", header["timezone"]))
    if spec.timezone:
        stated.append(("the scenario's weather.files timezone", spec.timezone))
    zones = []
    for where, text in stated:
        try:
            zones.append((where, text, parse_timezone(text)))
        except ValueError:
            raise _err(spec, f"unknown time zone in {where}", value=text,
                       expected="UTC, UTC+9, +09:00, KST or an IANA name such as Asia/Seoul") from None
    if len(zones) == 2 and _zone_text(zones[0][2]) != _zone_text(zones[1][2]):
        raise _err(spec, f"time zone in the header ({zones[0][1]}) contradicts the scenario ({zones[1][1]})",
                   expected="one time zone")
    try:
        stamps = pd.to_datetime(df["time"].astype(str).str.strip(), format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise _err(spec, f"unreadable time stamp ({' '.join(str(exc).split())[:100]})", column="time",
                   expected="ISO 8601 time stamps, e.g. 2023-01-01 00:00 or 2023-01-01T00:00+09:00") from None
    idx = pd.DatetimeIndex(stamps)
    if idx.tz is None:
        if not zones:
            raise _err(spec, "no time zone: the time stamps carry no UTC offset and none is stated", column="time",
                       expected="a '# timezone: UTC+9' header line, weather.files.<site>.timezone in the scenario, "
                                "or offsets in the stamps (2023-01-01T00:00+09:00)")
        tz = zones[0][2]
        try:
            idx = idx.tz_localize(tz, ambiguous="raise", nonexistent="raise")
        except Exception as exc:  # pytz/zoneinfo ambiguity errors have several types
            raise _err(spec, f"time stamps do not exist or are ambiguous in {zones[0][1]} ({exc})",
                       column="time") from None
        zone_text = f"{_zone_text(tz)} ({zones[0][0]})"
    else:
        zone_text = f"{_zone_text(idx.tz)} (offsets in the time stamps)"
        if zones and _zone_text(zones[0][2]) != _zone_text(idx.tz):
            raise _err(spec, f"time stamps carry {_zone_text(idx.tz)} but {zones[0][0]} says {zones[0][1]}",
                       column="time", expected="one time zone")

    label = header.get("time_label", "beginning").lower()
    if label not in ("beginning", "ending"):
        raise _err(spec, "unknown time_label in the header", value=label, expected="beginning | ending")
    wh_text = spec.wind_height_m if spec.wind_height_m is not None else header.get("wind_height_m")
    if wh_text is None:
        raise _err(spec, "wind measurement height not stated", column="wind_speed_ms",
                   expected="a '# wind_height_m: 10' header line or weather.files.<site>.wind_height_m")
    wind_height = _float_or_none(wh_text)
    if wind_height is None or not 0.5 <= wind_height <= 300:
        raise _err(spec, "wind_height_m out of range", value=wh_text, expected="metres above ground in [0.5, 300]")
    frame = pd.DataFrame(index=idx)
    for col in COLUMNS:
        if col in df.columns:
            values = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
            bad = np.flatnonzero(np.isnan(values) & df[col].notna().to_numpy())
            if bad.size:
                raise _err(spec, "not a number", row=skip + 2 + int(bad[0]), column=col, value=df[col].iloc[bad[0]],
                           expected="a number")
            frame[col] = values
    lat, lon = _float_or_none(header.get("latitude")), _float_or_none(header.get("longitude"))
    return _Raw(frame, label, wind_height, lat, lon, {c: c for c in COLUMNS}, zone_text)


def _read_era5(spec: FileSpec, site: Site, preferred_wind_height_m: float) -> _Raw:
    import xarray as xr

    try:
        ds = xr.open_dataset(spec.path)
    except Exception as exc:  # xarray raises many types for a file that is not NetCDF
        raise _err(spec, f"cannot open as NetCDF ({' '.join(str(exc).split())[:120]})",
                   expected="an ERA5 NetCDF file (ssrd, t2m, u100/v100 or u10/v10)") from None
    with ds:
        time_name = next((n for n in ("valid_time", "time") if n in ds.coords or n in ds.dims), None)
        lat_name = next((n for n in ("latitude", "lat") if n in ds.coords), None)
        lon_name = next((n for n in ("longitude", "lon") if n in ds.coords), None)
        if time_name is None or lat_name is None or lon_name is None:
            raise _err(spec, "missing coordinate(s): need a time ('valid_time' or 'time'), 'latitude' and 'longitude'",
                       value=", ".join(map(str, ds.coords)) or "none", expected="ERA5 coordinates")
        heights = {h: (f"u{h}", f"v{h}") for h in (100, 10) if f"u{h}" in ds and f"v{h}" in ds}
        missing = [v for v in ("ssrd", "t2m") if v not in ds]
        if missing or not heights:
            raise _err(spec, f"missing variable(s) {', '.join(missing + ([] if heights else ['u100/v100 or u10/v10']))}",
                       value=", ".join(map(str, ds.data_vars)),
                       expected="ssrd (J m-2), t2m (K) and u100/v100 or u10/v10 (m s-1)")
        if spec.wind_height_m is not None:
            height = int(round(spec.wind_height_m))
            if height not in heights:
                raise _err(spec, "no wind components at the requested height", column=f"u{height}/v{height}",
                           value=spec.wind_height_m, expected=f"one of {sorted(heights)} m (variables in the file)")
        else:
            height = min(heights, key=lambda h: (abs(h - preferred_wind_height_m), -h))
        lons = ds[lon_name].values.astype(float)
        site_lon = site.lon % 360.0 if lons.size and np.nanmax(lons) > 180.0 else site.lon
        point = ds.sel({lat_name: site.lat, lon_name: site_lon}, method="nearest")
        lat, lon = float(point[lat_name]), float(point[lon_name])
        lon = lon - 360.0 if lon > 180.0 else lon
        names = ["ssrd", "t2m", *heights[height]]
        point = point[names]
        extra = [d for d in point.dims if d != time_name]
        for d in extra:
            if point.sizes[d] != 1:
                raise _err(spec, f"unexpected dimension '{d}' of size {point.sizes[d]}",
                           expected=f"variables on ({time_name}, {lat_name}, {lon_name}) only")
        point = point.squeeze(extra, drop=True).load()
        units = {n: str(ds[n].attrs.get("units", "")) for n in names}
    for name, allowed in (("ssrd", ("J m**-2", "J m-2", "J/m2", "J/m^2", "J m^-2")), ("t2m", ("K",))):
        if units[name] and units[name] not in allowed:
            raise _err(spec, "wrong unit", column=name, value=units[name], expected=allowed[0])
    times = pd.DatetimeIndex(point[time_name].values)
    if times.tz is None:
        times = times.tz_localize("UTC")
    ssrd = point["ssrd"].values.astype(float)
    t2m = point["t2m"].values.astype(float)
    u, v = (point[n].values.astype(float) for n in heights[height])
    finite = ssrd[np.isfinite(ssrd)]
    if finite.size and finite.max() > ERA5_SSRD_MAX_J_M2:
        raise _err(spec, "ssrd exceeds one hour of sunshine", column="ssrd", value=f"max {finite.max():.4g}",
                   expected="J/m2 accumulated over one hour (at most ~4.3e6); larger values look like an "
                            "accumulation since 00 UTC (ERA5-Land) -- difference successive hours first")
    if finite.size and 0 < finite.max() < 1.0e4:
        raise _err(spec, "ssrd is far too small for J/m2 per hour", column="ssrd", value=f"max {finite.max():.4g}",
                   expected="J/m2 accumulated over the hour (peak ~3e6); values up to ~1,000 look like W/m2")
    t_mean = float(np.nanmean(t2m)) if np.isfinite(t2m).any() else float("nan")
    if not ERA5_T2M_MEAN_K[0] <= t_mean <= ERA5_T2M_MEAN_K[1]:
        raise _err(spec, "t2m is not in kelvin", column="t2m", value=f"mean {t_mean:.4g}",
                   expected="kelvin (ERA5 t2m; a mean of 250-310 K); a mean near 14 looks like degC")

    def hour_mean(x: np.ndarray) -> np.ndarray:   # instants at both ends of the hour ending at each stamp
        prev = np.concatenate([x[:1], x[:-1]])
        return 0.5 * (prev + x)

    frame = pd.DataFrame({
        "ghi_w_m2": np.clip(ssrd / 3600.0, 0.0, None),
        "temp_air_c": hour_mean(t2m) - 273.15,
        "wind_speed_ms": hour_mean(np.hypot(u, v)),
    }, index=times)
    return _Raw(frame, "ending", float(height), lat, lon,
                {"ghi_w_m2": "ssrd", "temp_air_c": "t2m", "wind_speed_ms": f"u{height}/v{height}"}, "UTC (ERA5)")
