"""Real weather files -> one site's hourly weather in the model's time convention.

    series = read_site_weather(FileSpec(path, "epw"), site, year=2023, ghi_clear=clear_sky_ghi_kst)
    series.data      # 8760 rows, KST (UTC+9) hour-beginning labels of `year` (29 Feb dropped), tz-naive
                     # columns ghi_w_m2, dni_w_m2, dhi_w_m2 (NaN when the file has no components), temp_air_c,
                     # wind_speed_ms (at series.wind_height_m above ground)

Formats (`FileSpec.format`):

=========  =====================================================================================================
``epw``    EnergyPlus weather file, through ``pvlib.iotools.read_epw``. Time zone from the LOCATION line (TZ);
           rows are hours ending at ``hour`` (pvlib labels them hour-beginning). GHI/DNI/DHI in Wh/m2 over the hour,
           dry-bulb temperature in degC, wind at 10 m. Missing-value codes (9999, 99.9, 999) are treated as gaps.
``pvgis``  PVGIS TMY (``read_pvgis_tmy``) or hourly series (``read_pvgis_hourly``), CSV or JSON, told apart by
           content. Time stamps are UTC; the instant (e.g. HH:10) is taken for the hour that contains it. An hourly
           series must be for a horizontal plane (slope 0), so that G(i) is GHI. Wind WS10m at 10 m.
``psm3``   NSRDB PSM3/PSM4 SAM-CSV (``read_nsrdb_psm4``; pvlib 0.16 has no separate PSM3 reader, the layout is the
           same). Time zone from the metadata ``Time Zone``; the instant (HH:30) is taken for its hour. Wind speed is
           at 2 m in PSM v3 and later (NSRDB, cited in pvlib issue #1814); set ``wind_height_m`` if yours differs.
``csv``    The documented generic CSV (below).
``era5``   ERA5-style NetCDF (xarray): ``ssrd`` in J/m2 accumulated over the hour ending at the time stamp, ``t2m``
           in K, ``u100``/``v100`` and/or ``u10``/``v10`` in m/s, time stamps UTC (``valid_time`` or ``time``); the
           grid point nearest the site is used. Temperature and wind (instants) are averaged over the two ends of
           each hour.
=========  =====================================================================================================

Generic CSV::

    # timezone: UTC+9            (required here or in the scenario: UTC, UTC+9, +09:00, KST, Asia/Seoul, ...)
    # wind_height_m: 10          (required here or in the scenario)
    # time_label: beginning      (optional: beginning (default) | ending -- which end of the hour the stamp names)
    # latitude: 35.16            (optional; checked against the site when given, with longitude)
    # longitude: 126.85
    time,ghi_w_m2,temp_air_c,wind_speed_ms[,dni_w_m2,dhi_w_m2]
    2023-01-01 00:00,0,-1.2,2.1

Units are in the column names: GHI/DNI/DHI W/m2 (mean over the hour), air temperature degC, wind speed m/s.

Time series must cover every hour of the weather year in KST (a file in UTC therefore starts at 15:00 UTC on
31 December of the year before). Typical-year files (EPW/PVGIS TMY, whose months come from different years) are
mapped onto the weather year by calendar hour, rolled from their time zone to KST.

Every problem -- unreadable file, missing column, a gap or repeated hour, a missing or wrong time zone, values in the
wrong unit (judged by plausible ranges), a file for a place more than MAX_SITE_DISTANCE_KM from the site -- raises
:class:`re300.errors.InputError` naming the file, the column, the value and what was expected.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .formats import (
    COLUMNS,
    DHI_MAX_W_M2,
    DNI_MAX_W_M2,
    FORMATS,
    GHI_PEAK_W_M2,
    HOUR,
    KST,
    MAX_SITE_DISTANCE_KM,
    SUN_CENTROID_TOLERANCE_H,
    TEMP_MEAN_C,
    TEMP_RANGE_C,
    WIND_MAX_MS,
    WIND_MEAN_MS,
    FileSpec,
    _err,
    _Raw,
    _read_csv,
    _read_epw,
    _read_era5,
    _read_psm3,
    _read_pvgis,
)
from .synth import hourly_index
from .tables import Site


@dataclass
class SiteSeries:
    """One site's hourly weather read from a file, in the model's convention (see the module docstring)."""

    data: pd.DataFrame
    wind_height_m: float
    spec: FileSpec
    typical_year: bool
    file_lat: float | None = None
    file_lon: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def has_components(self) -> bool:
        return bool(self.data["dni_w_m2"].notna().all() and self.data["dhi_w_m2"].notna().all())




# ------------------------------------------------------------------------------------------------- alignment
def _calendar_position(idx: pd.DatetimeIndex) -> np.ndarray:
    """Hour of a 365-day year (0..8759) for month/day/hour (29 Feb must be removed first)."""
    doy = pd.to_datetime({"year": 2001, "month": idx.month, "day": idx.day}).dt.dayofyear.to_numpy()
    return (doy - 1) * 24 + idx.hour.to_numpy()


def _align(raw: _Raw, spec: FileSpec, year: int) -> tuple[pd.DataFrame, bool]:
    """Shift to hour-beginning labels, convert to KST and cut the weather year -> (8760 x COLUMNS, typical_year)."""
    frame = raw.frame.copy()
    idx = pd.DatetimeIndex(frame.index)
    if idx.tz is None:
        raise _err(spec, "time stamps without a time zone", expected="a stated time zone")
    if raw.label == "ending":
        idx = idx - HOUR
    elif raw.label == "instant":
        idx = idx.floor("h")
    dup = idx.duplicated()
    if dup.any():
        first = idx[dup][0]
        raise _err(spec, f"more than one row for the hour beginning {first}", column=raw.names.get("time", "time"),
                   value=str(first), expected="hourly data, one row per hour")
    regular = np.asarray(idx[1:] - idx[:-1] == HOUR, bool)
    target = hourly_index(year)

    if len(idx) and regular.all():           # a continuous series
        kst = idx.tz_convert(KST).tz_localize(None)
        frame.index = kst
        missing = target.difference(kst)
        if len(missing):
            hint = ""
            if kst[0] > target[0] and len(missing) <= 9 and kst[0] - target[0] <= pd.Timedelta(hours=9):
                hint = (f"; the file is in {raw.zone_text} and starts at {kst[0]} KST -- a file in UTC must start "
                        f"9 h before the KST year ({year - 1}-12-31 15:00 UTC)")
            raise _err(spec, f"{len(missing)} hour(s) of weather year {year} (KST) are not in the file "
                             f"(first missing {missing[0]}, the file covers {kst[0]} .. {kst[-1]} KST){hint}",
                       expected=f"every hour of {year} in KST")
        return frame.reindex(target), False

    # a typical year: every calendar hour (month, day, hour) of a 365-day year exactly once, in the file's zone
    keep = ~((idx.month == 2) & (idx.day == 29))
    local, values = idx[keep], frame.to_numpy()[keep]
    pos = _calendar_position(local) if len(local) else np.array([], int)
    if len(local) == 8760 and len(np.unique(pos)) == 8760:
        offset = idx[0].utcoffset()
        offset_h = offset.total_seconds() / 3600.0
        if offset_h != int(offset_h):
            raise _err(spec, f"time zone {raw.zone_text} is not a whole number of hours from UTC",
                       expected="a whole-hour offset (Korea: UTC+9)")
        ordered = np.empty_like(values)
        ordered[pos] = values
        shift = 9 - int(offset_h)            # local calendar hour p is KST hour p + shift (wrapping round the year)
        out = pd.DataFrame(np.roll(ordered, shift, axis=0), index=target, columns=frame.columns)
        return out, True

    # neither: report the first irregular step
    bad = np.flatnonzero(~regular)
    if bad.size:
        i = int(bad[0])
        a, b = idx[i], idx[i + 1]
        if b <= a:
            raise _err(spec, f"time stamps go backwards or repeat at {b} (after {a})", column="time",
                       expected="hours in increasing order")
        gap = int((b - a) / HOUR) - 1
        raise _err(spec, f"{gap} hour(s) missing between {a} and {b}", column="time",
                   expected="one row per hour with no gaps (or a complete typical year of 8760 calendar hours)")
    raise _err(spec, f"only {len(idx)} row(s)", expected=f"every hour of {year}")  # pragma: no cover


# ------------------------------------------------------------------------------------------------- checks
def _check_values(df: pd.DataFrame, raw: _Raw, spec: FileSpec) -> None:
    for col in df.columns:
        nan = df[col].isna().to_numpy()
        if nan.any():
            first = df.index[np.flatnonzero(nan)[0]]
            raise _err(spec, f"{int(nan.sum())} hour(s) without a value (first at {first} KST)",
                       column=raw.names.get(col, col), expected="a value for every hour")
    name = raw.names.get
    ghi = df["ghi_w_m2"].to_numpy()
    peak = float(ghi.max())
    if peak > GHI_PEAK_W_M2[1]:
        raise _err(spec, "GHI far above any hourly mean sunshine", column=name("ghi_w_m2", "ghi_w_m2"),
                   value=f"peak {peak:,.4g}",
                   expected=f"W/m2 as the hour's mean (peak ~1,000-1,100 in Korea, at most {GHI_PEAK_W_M2[1]:,.0f}); "
                            "a peak of ~3,600-4,000 looks like kJ/m2 per hour, millions like J/m2 per hour")
    if peak < GHI_PEAK_W_M2[0]:
        raise _err(spec, "GHI far below any clear-day noon", column=name("ghi_w_m2", "ghi_w_m2"),
                   value=f"peak {peak:.4g}",
                   expected="W/m2 as the hour's mean (peak ~1,000); a peak near 1 looks like kW/m2, near 3.6 like "
                            "MJ/m2 per hour")
    if float(ghi.min()) < -20.0:
        raise _err(spec, "negative irradiance", column=name("ghi_w_m2", "ghi_w_m2"), value=f"min {ghi.min():.4g}",
                   expected="values >= 0 W/m2 (small night offsets of a few W/m2 are set to 0)")
    for col, top in (("dni_w_m2", DNI_MAX_W_M2), ("dhi_w_m2", DHI_MAX_W_M2)):
        if col in df:
            x = df[col].to_numpy()
            if float(x.max()) > top or float(x.min()) < -20.0:
                raise _err(spec, "irradiance out of the plausible range", column=name(col, col),
                           value=f"min {x.min():.4g}, max {x.max():,.4g}", expected=f"W/m2 in [0, {top:,.0f}]")
    t = df["temp_air_c"].to_numpy()
    mean = float(t.mean())
    if mean > 150.0:
        raise _err(spec, "air temperature is not in degC", column=name("temp_air_c", "temp_air_c"),
                   value=f"mean {mean:.4g}", expected="degC (annual mean ~14 in Honam); ~287 looks like kelvin")
    if not TEMP_MEAN_C[0] <= mean <= TEMP_MEAN_C[1] or t.min() < TEMP_RANGE_C[0] or t.max() > TEMP_RANGE_C[1]:
        hint = "; a mean near 57 looks like degF" if 40.0 <= mean <= 100.0 else ""
        raise _err(spec, "air temperature out of the plausible range", column=name("temp_air_c", "temp_air_c"),
                   value=f"mean {mean:.4g}, min {t.min():.4g}, max {t.max():.4g}",
                   expected=f"degC with an annual mean in [{TEMP_MEAN_C[0]:g}, {TEMP_MEAN_C[1]:g}] and hours in "
                            f"[{TEMP_RANGE_C[0]:g}, {TEMP_RANGE_C[1]:g}]{hint}")
    w = df["wind_speed_ms"].to_numpy()
    if float(w.min()) < 0.0:
        raise _err(spec, "negative wind speed", column=name("wind_speed_ms", "wind_speed_ms"),
                   value=f"min {w.min():.4g}", expected="m/s >= 0")
    if float(w.mean()) > WIND_MEAN_MS or float(w.max()) > WIND_MAX_MS:
        raise _err(spec, "wind speed out of the plausible range", column=name("wind_speed_ms", "wind_speed_ms"),
                   value=f"mean {w.mean():.4g}, max {w.max():.4g}",
                   expected=f"m/s (mean <= {WIND_MEAN_MS:g}, max <= {WIND_MAX_MS:g}); values 3.6x or 1.9x too high "
                            "look like km/h or knots")


def _sun_centroid_h(values: np.ndarray, hours: np.ndarray) -> float:
    """Circular mean hour of the day (mid-hour), weighted by the mean profile by hour of day."""
    prof = np.bincount(hours, weights=np.clip(values, 0, None), minlength=24)
    ang = 2 * np.pi * (np.arange(24) + 0.5) / 24
    c = math.atan2(float(prof @ np.sin(ang)), float(prof @ np.cos(ang)))
    return (c * 24 / (2 * np.pi)) % 24


def _check_sun(df: pd.DataFrame, ghi_clear: np.ndarray, raw: _Raw, spec: FileSpec, site: Site) -> None:
    hours = df.index.hour.to_numpy()
    got = _sun_centroid_h(df["ghi_w_m2"].to_numpy(), hours)
    want = _sun_centroid_h(np.asarray(ghi_clear, float), hours)
    diff = (got - want + 12.0) % 24.0 - 12.0
    if abs(diff) > SUN_CENTROID_TOLERANCE_H:
        raise _err(spec, f"the time zone looks wrong: after converting from {raw.zone_text} to KST the irradiance is "
                         f"centred on {got:.1f} h, but the sun at site '{site.site}' is centred on {want:.1f} h KST "
                         f"(the data look shifted by {diff:+.1f} h)",
                   column="time", expected="time stamps in the stated time zone and hour convention "
                                           "(a stated UTC on data in KST shows as about +9 h)")


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


# ------------------------------------------------------------------------------------------------- entry point
def read_site_weather(spec: FileSpec, site: Site, year: int, ghi_clear: np.ndarray,
                      preferred_wind_height_m: float = 10.0) -> SiteSeries:
    """Read one weather file for ``site`` and align it to KST hour-beginning labels of ``year`` (8760 h).

    ``ghi_clear``: the site's clear-sky GHI on the same 8760 KST hours (used to check the time zone).
    ``preferred_wind_height_m``: for files with winds at several heights (ERA5), the height wanted (hub height of a
    wind farm, 10 m for PV). Raises InputError on any problem (see the module docstring).
    """
    spec = FileSpec.coerce(spec)
    if spec.format not in FORMATS:
        raise _err(spec, "unknown weather file format", value=spec.format, expected=" | ".join(FORMATS))
    if not spec.path.is_file():
        raise _err(spec, f"weather file for site '{site.site}' not found", expected="an existing file")
    if spec.timezone is not None and spec.format != "csv":
        raise _err(spec, f"a time zone is only read for format csv; {spec.format} files state their own",
                   value=spec.timezone, expected="no timezone key for this file")
    if spec.format == "era5":
        raw = _read_era5(spec, site, preferred_wind_height_m)
    else:
        raw = {"epw": _read_epw, "pvgis": _read_pvgis, "psm3": _read_psm3, "csv": _read_csv}[spec.format](spec, site)
        if spec.wind_height_m is not None:
            raw.wind_height_m = float(spec.wind_height_m)
    if raw.lat is not None and raw.lon is not None:
        d = _distance_km(raw.lat, raw.lon, site.lat, site.lon)
        if d > MAX_SITE_DISTANCE_KM:
            raise _err(spec, f"the file is for {raw.lat:.3f}N {raw.lon:.3f}E, {d:,.0f} km from site '{site.site}' "
                             f"({site.lat:.3f}N {site.lon:.3f}E)",
                       expected=f"weather within {MAX_SITE_DISTANCE_KM:g} km of the site")
    frame, typical = _align(raw, spec, year)
    frame = frame.reindex(columns=list(COLUMNS))
    present = [c for c in COLUMNS if c in raw.frame.columns]
    _check_values(frame[present], raw, spec)
    frame["ghi_w_m2"] = frame["ghi_w_m2"].clip(lower=0.0)
    for col in ("dni_w_m2", "dhi_w_m2"):
        if col in present:
            frame[col] = frame[col].clip(lower=0.0)
    if not ("dni_w_m2" in present and "dhi_w_m2" in present):
        frame["dni_w_m2"] = np.nan
        frame["dhi_w_m2"] = np.nan
    _check_sun(frame, ghi_clear, raw, spec, site)
    notes = [f"{spec.format} file, time zone {raw.zone_text}, wind at {raw.wind_height_m:g} m"]
    if typical:
        notes.append(f"typical year mapped onto {year} by calendar hour")
    return SiteSeries(frame.astype(float), float(raw.wind_height_m), spec, typical, raw.lat, raw.lon, notes)
