"""Public entry points: ``capacity_factors`` (cached) and ``weather_dataset``."""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from re300.csvtable import file_sha256
from re300.errors import InputError
from re300.paths import profile_cache_dir

from . import convert, measured, synth
from .readers import FileSpec, SiteSeries, read_site_weather
from .tables import WeatherTables, load_weather_tables

#: bump whenever the code changes what the profiles are (part of the cache key)
CODE_VERSION = "weather-2"
DEFAULT_SEED = 20210531
TIMEZONE_ATTR = "Asia/Seoul (UTC+9)"
#: where the weather of a year comes from: the seeded generator for every site, or the measured KMA stations for the
#: sites of inputs/measured/site_stations.csv (the generator for the others; see re300.weather.measured)
SOURCES = ("embedded", "measured")


def _resolve_pairs(tables: WeatherTables, pairs) -> list[tuple[str, str]]:
    out = []
    for pair in pairs:
        try:
            tech, region = pair
        except (TypeError, ValueError):
            raise InputError(tables.inputs_dir / "profile_sites.csv",
                             "a requested pair is not a (technology, region) tuple", value=pair) from None
        tech, region = str(tech), str(region)
        if (tech, region) not in tables.profile_sites:
            raise InputError(tables.inputs_dir / "profile_sites.csv",
                             f"no site mapped for technology '{tech}' in region '{region}'",
                             value=f"{tech},{region}",
                             expected="a row 'technology,region,site,system,source' for this pair "
                                      f"(mapped pairs: {', '.join(f'{t}/{r}' for t, r in tables.profile_sites)})")
        if (tech, region) not in out:
            out.append((tech, region))
    return out


def cache_key(tables: WeatherTables, pairs: list[tuple[str, str]], weather_year: int, seed: int,
              files: Mapping[str, FileSpec] | None = None, source: str = "embedded", sampled: bool = False) -> str:
    """sha256 of everything that determines the profiles: code version, year, seed, typical or sampled year, pairs,
    the bytes of every weather table (fleets included) and power curve, for each site read from a file its format,
    time-zone and wind-height settings and the sha256 of the file's content, and for measured weather the source and
    the bytes of every table and data file of inputs/measured/ it reads."""
    h = hashlib.sha256()
    head = {"code": CODE_VERSION, "year": int(weather_year), "seed": int(seed),
            "pairs": sorted([list(p) for p in pairs])}
    if sampled:
        head["sampled"] = True
    if files:
        head["files"] = {site: {"format": spec.format, "timezone": spec.timezone, "wind_height_m": spec.wind_height_m,
                                "sha256": file_sha256(spec.path)} for site, spec in sorted(files.items())}
    inputs = list(tables.input_files())
    if source != "embedded":
        head["source"] = source
        head["measured_code"] = measured.MEASURED_VERSION
        inputs += [p for p in measured.measured_input_files(tables.inputs_dir, weather_year) if p.is_file()]
    h.update(json.dumps(head, sort_keys=True).encode())
    for path in inputs:
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def file_specs(tables: WeatherTables, weather_files: Mapping | None) -> dict[str, FileSpec]:
    """The scenario's ``weather.files`` (site -> spec) as FileSpecs; unknown sites and missing files raise InputError."""
    specs: dict[str, FileSpec] = {}
    for site, raw in (weather_files or {}).items():
        if site not in tables.sites:
            hint = difflib.get_close_matches(str(site), list(tables.sites), n=1, cutoff=0.5)
            raise InputError(tables.inputs_dir / "sites.csv",
                             f"weather.files names site '{site}', which is not in this table"
                             + (f"; did you mean '{hint[0]}'?" if hint else ""),
                             expected="one of " + ", ".join(tables.sites))
        spec = FileSpec.coerce(raw)
        if not spec.path.is_file():
            raise InputError(spec.path, f"weather file for site '{site}' not found (weather.files.{site}.path)",
                             expected="an existing file; relative paths are relative to the scenario file")
        specs[str(site)] = spec
    return specs


def _preferred_wind_height(tables: WeatherTables, site: str) -> float:
    """Hub height of the wind farm(s) on ``site`` (the highest), else 10 m (PV module cooling, surface stations)."""
    hubs = [tables.wind_farms[system].params["hub_height"] for (s, system) in tables.profile_sites.values()
            if s == site and system in tables.wind_farms]
    return max(hubs) if hubs else 10.0


def apply_weather_files(wx: synth.SiteWeather, tables: WeatherTables, specs: Mapping[str, FileSpec],
                        weather_year: int) -> tuple[synth.SiteWeather, dict[str, SiteSeries]]:
    """Replace the synthetic weather of each site in ``specs`` by its file (GHI, DNI/DHI -- Erbs where the file has
    none --, temperature, wind at the file's height). Returns a new SiteWeather and the series read."""
    if not specs:
        return wx, {}
    names = [s.site for s in wx.sites]
    ghi, dni, dhi = wx.ghi.copy(), wx.dni.copy(), wx.dhi.copy()
    temp, wind, csi = wx.temp_air.copy(), wx.wind_speed.copy(), wx.csi_daily.copy()
    target = wx.ghi_target_monthly.copy()
    sites = list(wx.sites)
    geo = wx.geometry
    read: dict[str, SiteSeries] = {}
    for site, spec in specs.items():
        j = names.index(site)
        series = read_site_weather(spec, tables.sites[site], weather_year, geo.ghi_clear[:, j],
                                   _preferred_wind_height(tables, site))
        d = series.data
        ghi[:, j] = d["ghi_w_m2"].to_numpy()
        if series.has_components:
            dni[:, j], dhi[:, j] = d["dni_w_m2"].to_numpy(), d["dhi_w_m2"].to_numpy()
        else:
            b, f = synth.decompose(ghi[:, [j]], geo.zenith[:, [j]], geo.doy, geo.dni_clear[:, [j]])
            dni[:, j], dhi[:, j] = b[:, 0], f[:, 0]
        temp[:, j] = d["temp_air_c"].to_numpy()
        wind[:, j] = d["wind_speed_ms"].to_numpy()
        sites[j] = dataclasses.replace(sites[j], params={**sites[j].params, "wind_height": series.wind_height_m})
        daily = lambda a: a.reshape(synth.DAYS, 24).sum(axis=1)  # noqa: E731
        with np.errstate(invalid="ignore", divide="ignore"):
            csi[:, j] = np.nan_to_num(daily(ghi[:, j]) / daily(geo.ghi_clear[:, j]))
        target[:, j] = np.nan   # a file is not calibrated to the station totals
        read[site] = series
    return dataclasses.replace(wx, sites=sites, ghi=ghi, dni=dni, dhi=dhi, temp_air=temp, wind_speed=wind,
                               csi_daily=csi, ghi_target_monthly=target), read


def check_source(source: str) -> str:
    if source not in SOURCES:
        raise ValueError(f"unknown weather source {source!r}; expected one of {', '.join(SOURCES)}")
    return source


def build_weather(tables: WeatherTables, weather_year: int, seed: int, files: Mapping[str, FileSpec] | None = None,
                  source: str = "embedded", sampled: bool = False
                  ) -> tuple[synth.SiteWeather, measured.MeasuredYear | None]:
    """The weather of every site of sites.csv in `weather_year` (then the fleet members): synthetic (seeded; a
    typical year, or with `sampled` a year with its own anomalies) or, with source 'measured', the KMA stations for
    the sites mapped to them (offshore wind synthetic, its daily anomaly driven by a coastal station); weather files
    override both for their sites. Returns the weather and, for measured weather, what was read."""
    check_source(source)
    all_sites = tables.generated_sites
    year_info = None
    anchors = None
    if source == "measured":
        year_info = measured.read_measured_year(tables, weather_year)
        anchors = measured.offshore_anchors(tables, year_info.tables, year_info.stations)
    wx = synth.synthesize(tables, all_sites, weather_year, seed, wind_anchors=anchors, sampled=sampled)
    if year_info is not None:
        wx, year_info.mapping = measured.apply_stations(wx, tables, year_info.tables, year_info.stations)
    wx, _ = apply_weather_files(wx, tables, files or {}, weather_year)
    return wx, year_info


def fleet_of(tables: WeatherTables, pair: tuple[str, str], source: str = "embedded",
             files: Mapping[str, FileSpec] | None = None) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """(sites, weights) a pair's profile averages: its fleet (inputs/fleet_sites.csv) for synthetic weather; its one
    site of profile_sites.csv where that site's weather is measured or read from a file (the other members of the
    fleet have no observation of their own, and mixing them with one observed site would not be one weather)."""
    site = tables.profile_sites[pair][0]
    if source == "measured" or (files and site in files):
        return (site,), (1.0,)
    return tables.fleet(pair)


def compute_capacity_factors(tables: WeatherTables, pairs: list[tuple[str, str]], weather_year: int,
                              seed: int, files: Mapping[str, FileSpec] | None = None,
                              source: str = "embedded", sampled: bool = False) -> pd.DataFrame:
    """Capacity factor of each pair = Σ_k w_k CF(site_k) over its fleet (`fleet_of`); weather for *all* sites and
    members, so a site's weather does not depend on which pairs were requested."""
    wx, _ = build_weather(tables, weather_year, seed, files, source, sampled)
    names = [s.site for s in wx.sites]
    done: dict[tuple[str, str], np.ndarray] = {}

    def site_cf(site: str, system: str) -> np.ndarray:
        if (site, system) not in done:
            j = names.index(site)
            done[(site, system)] = (convert.pv_capacity_factor(wx, j, tables.pv_systems[system])
                                    if system in tables.pv_systems
                                    else convert.wind_capacity_factor(wx, j, tables.wind_farms[system]))
        return done[(site, system)]

    cols = {}
    for pair in pairs:
        system = tables.profile_sites[pair][1]
        members, weights = fleet_of(tables, pair, source, files)
        cols[pair] = sum(w * site_cf(m, system) for m, w in zip(members, weights))
    df = pd.DataFrame(cols, index=wx.index, dtype="float64")
    df.columns = pd.MultiIndex.from_tuples(list(cols), names=["technology", "region"])
    return df


def _write_cache(df: pd.DataFrame, path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = xr.Dataset(
        {"capacity_factor": (("time", "pair"), df.to_numpy(dtype="float64"))},
        coords={"time": df.index.to_numpy(),
                "pair": [f"{t}|{r}" for t, r in df.columns],
                "technology": ("pair", [t for t, _ in df.columns]),
                "region": ("pair", [r for _, r in df.columns])},
        attrs={"cache_key": key, "code_version": CODE_VERSION, "timezone": TIMEZONE_ATTR,
               "units": "MW AC per MW nameplate"},
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(fd)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _read_cache(path: Path, key: str, pairs) -> pd.DataFrame | None:
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            if ds.attrs.get("cache_key") != key:
                return None
            ds = ds.load()
    except (OSError, ValueError, KeyError):
        return None   # unreadable/corrupt cache: recompute
    cf = ds["capacity_factor"]
    cols = pd.MultiIndex.from_arrays([cf["technology"].values.astype(str), cf["region"].values.astype(str)],
                                     names=["technology", "region"])
    df = pd.DataFrame(cf.values.astype("float64"), index=pd.DatetimeIndex(cf["time"].values.astype("datetime64[ns]"), name="time"),
                      columns=cols)
    return df[pd.MultiIndex.from_tuples(pairs, names=["technology", "region"])]


def capacity_factors(inputs_dir: Path, pairs: list[tuple[str, str]], weather_year: int = 2023,
                     seed: int = DEFAULT_SEED, cache_dir: Path | None = None, *,
                     weather_files: Mapping | None = None, source: str = "embedded",
                     sampled: bool = False) -> pd.DataFrame:
    """Hourly capacity factors (MW AC per MW nameplate; PV nameplate = DC MWp) for (technology, region) pairs.

    Returns a DataFrame indexed by 8760 tz-naive hour-beginning KST timestamps of ``weather_year`` (29 Feb dropped),
    with MultiIndex columns (technology, region) in the order requested, float64 values in [0, 1].
    ``weather_files``: site -> {path, format[, timezone, wind_height_m]} (the scenario's ``weather.files``; a
    :class:`~re300.weather.readers.FileSpec`, a mapping or the scenario's model): those sites take their weather from
    the file (see ``re300.weather.readers``), every other site keeps the embedded synthetic weather.
    ``source``: 'embedded' (the seeded generator) or 'measured' (the KMA stations of inputs/measured/ for the sites
    mapped to them in site_stations.csv, see ``re300.weather.measured``; ``weather_year`` must have a KMA file).
    ``sampled``: a sampled synthetic year (its own anomalies of monthly GHI and annual mean wind) instead of the
    typical year. A pair's profile is the capacity-weighted mean over its fleet of inputs/fleet_sites.csv
    (`fleet_of`). Results are cached as NetCDF in ``cache_dir`` (default `re300.paths.profile_cache_dir()`) under a sha256 key of every
    input that determines them, including the content of each weather file.  Raises
    :class:`re300.errors.InputError` for unmapped pairs, bad tables or bad weather files.
    """
    inputs_dir = Path(inputs_dir)
    tables = load_weather_tables(inputs_dir)
    pairs = _resolve_pairs(tables, pairs)
    if not pairs:
        raise InputError(inputs_dir / "profile_sites.csv", "no (technology, region) pairs requested",
                         expected="at least one pair")
    files = file_specs(tables, weather_files)
    check_source(source)
    key = cache_key(tables, pairs, weather_year, seed, files, source, sampled)
    cache_dir = profile_cache_dir() if cache_dir is None else Path(cache_dir)
    path = cache_dir / f"cf_{key[:24]}.nc"
    if path.is_file():
        df = _read_cache(path, key, pairs)
        if df is not None:
            return df
    df = compute_capacity_factors(tables, pairs, weather_year, seed, files, source, sampled)
    try:
        _write_cache(df, path, key)
    except OSError:
        pass   # a read-only cache location must not break a run
    return df


def site_weather(inputs_dir: Path, weather_year: int = 2023, seed: int = DEFAULT_SEED, *,
                 weather_files: Mapping | None = None, source: str = "embedded", sampled: bool = False,
                 ) -> tuple[WeatherTables, synth.SiteWeather, dict[str, FileSpec]]:
    """(tables, weather of every site in sites.csv order then the fleet members, the file specs used): the arrays
    behind weather_dataset, with each site's wind at its reference height (``sites[j].params['wind_height']``; the
    file's height for a file)."""
    tables, wx, files, _ = site_weather_measured(inputs_dir, weather_year, seed, weather_files=weather_files,
                                                 source=source, sampled=sampled)
    return tables, wx, files


def site_weather_measured(inputs_dir: Path, weather_year: int = 2023, seed: int = DEFAULT_SEED, *,
                          weather_files: Mapping | None = None, source: str = "embedded", sampled: bool = False):
    """`site_weather` plus what was read for measured weather (None for embedded weather)."""
    tables = load_weather_tables(Path(inputs_dir))
    files = file_specs(tables, weather_files)
    wx, year_info = build_weather(tables, weather_year, seed, files, source, sampled)
    return tables, wx, files, year_info


def weather_dataset(inputs_dir: Path, weather_year: int = 2023, seed: int = DEFAULT_SEED, *,
                    weather_files: Mapping | None = None, source: str = "embedded") -> xr.Dataset:
    """The weather of every site in ``sites.csv`` as an xarray Dataset (site x time): embedded synthetic weather,
    or the site's file where ``weather_files`` names one (as in :func:`capacity_factors`).

    Variables: ghi_w_m2, dni_w_m2, dhi_w_m2, ghi_clear_w_m2, temp_air_c, wind_speed_hub_ms (at ``wind_height_m``:
    the hub height of the wind farm mapped to the site in profile_sites.csv, else the site's reference height),
    daily clear-sky index; coordinates region, kind, lat, lon, weather_source ("embedded" or "<format>:<file>").
    """
    tables, wx, files, year_info = site_weather_measured(inputs_dir, weather_year, seed, weather_files=weather_files,
                                                         source=source)
    names = list(tables.sites)
    from_station = {}
    if year_info is not None:
        for site, quantity, station in year_info.mapping[["site", "quantity", "station"]].itertuples(index=False):
            from_station.setdefault(site, []).append(f"{quantity}={station}")

    def origin(s: str) -> str:
        if s in files:
            return f"{files[s].format}:{files[s].path.name}"
        if s in from_station:
            return "measured:" + ",".join(from_station[s])
        return "embedded"

    n = len(names)   # the sites of sites.csv come first in wx; the fleet members after them are not shown here
    wind = wx.wind_speed[:, :n].copy()
    height = np.array([wx.sites[j].params["wind_height"] for j in range(n)], float)
    for (_tech, _region), (site, system) in tables.profile_sites.items():
        if system in tables.wind_farms:
            j = names.index(site)
            farm = tables.wind_farms[system]
            wind[:, j] = convert.hub_wind_speed(wx, j, farm.params["hub_height"], farm.params["shear_exponent"])
            height[j] = farm.params["hub_height"]
    dims = ("time", "site")
    ds = xr.Dataset(
        {
            "ghi_w_m2": (dims, wx.ghi[:, :n], {"units": "W m-2", "long_name": "global horizontal irradiance"}),
            "dni_w_m2": (dims, wx.dni[:, :n], {"units": "W m-2", "long_name": "direct normal irradiance (Erbs)"}),
            "dhi_w_m2": (dims, wx.dhi[:, :n], {"units": "W m-2", "long_name": "diffuse horizontal irradiance (Erbs)"}),
            "ghi_clear_w_m2": (dims, wx.geometry.ghi_clear[:, :n], {"units": "W m-2",
                                                                    "long_name": "Ineichen clear-sky GHI"}),
            "temp_air_c": (dims, wx.temp_air[:, :n], {"units": "degC", "long_name": "air temperature"}),
            "wind_speed_hub_ms": (dims, wind, {"units": "m s-1", "long_name": "wind speed at wind_height_m"}),
            "clear_sky_index_daily": (("day", "site"), wx.csi_daily[:, :n], {"units": "1"}),
        },
        coords={
            "time": wx.index.to_numpy(), "site": names,
            "day": wx.index[::24].to_numpy(),
            "region": ("site", [tables.sites[s].region for s in names]),
            "kind": ("site", [tables.sites[s].kind for s in names]),
            "lat": ("site", [tables.sites[s].lat for s in names]),
            "lon": ("site", [tables.sites[s].lon for s in names]),
            "wind_height_m": ("site", height),
            "weather_source": ("site", [origin(s) for s in names]),
        },
        attrs={"timezone": TIMEZONE_ATTR, "time_convention": "hour-beginning labels, 8760 h (29 Feb dropped)",
               "weather_year": int(weather_year), "seed": int(seed), "code_version": CODE_VERSION, "source": source,
               "description": ("re300 embedded synthetic weather (seeded, spatially correlated)" if not files else
                               "re300 embedded synthetic weather, with weather files for: " + ", ".join(files))},
    )
    return ds.transpose("site", "time", "day")
