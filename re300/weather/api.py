"""Public entry points: ``capacity_factors`` (cached) and ``weather_dataset``."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from re300.errors import InputError

from . import convert, synth
from .tables import WeatherTables, load_weather_tables

#: bump whenever the code changes what the profiles are (part of the cache key)
CODE_VERSION = "weather-1"
DEFAULT_SEED = 20210531
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE_DIR = REPO_ROOT / ".cache" / "profiles"
TIMEZONE_ATTR = "Asia/Seoul (UTC+9)"


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


def cache_key(tables: WeatherTables, pairs: list[tuple[str, str]], weather_year: int, seed: int) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"code": CODE_VERSION, "year": int(weather_year), "seed": int(seed),
                         "pairs": sorted([list(p) for p in pairs])}, sort_keys=True).encode())
    for path in tables.input_files():
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _sites_needed(tables: WeatherTables, pairs) -> list[str]:
    names = []
    for p in pairs:
        s = tables.profile_sites[p][0]
        if s not in names:
            names.append(s)
    return names


def _compute_capacity_factors(tables: WeatherTables, pairs: list[tuple[str, str]], weather_year: int,
                              seed: int) -> pd.DataFrame:
    # Weather for *all* sites, so a site's weather does not depend on which pairs were requested.
    all_sites = list(tables.sites)
    wx = synth.synthesize(tables, all_sites, weather_year, seed)
    cols = {}
    for tech, region in pairs:
        site, system = tables.profile_sites[(tech, region)]
        j = all_sites.index(site)
        if system in tables.pv_systems:
            cols[(tech, region)] = convert.pv_capacity_factor(wx, j, tables.pv_systems[system])
        else:
            cols[(tech, region)] = convert.wind_capacity_factor(wx, j, tables.wind_farms[system])
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
                     seed: int = DEFAULT_SEED, cache_dir: Path | None = None) -> pd.DataFrame:
    """Hourly capacity factors (MW AC per MW nameplate; PV nameplate = DC MWp) for (technology, region) pairs.

    Returns a DataFrame indexed by 8760 tz-naive hour-beginning KST timestamps of ``weather_year`` (29 Feb dropped),
    with MultiIndex columns (technology, region) in the order requested, float64 values in [0, 1].
    Results are cached as NetCDF in ``cache_dir`` (default ``<repo>/.cache/profiles``) under a sha256 key of every
    input that determines them.  Raises :class:`re300.errors.InputError` for unmapped pairs or bad tables.
    """
    inputs_dir = Path(inputs_dir)
    tables = load_weather_tables(inputs_dir)
    pairs = _resolve_pairs(tables, pairs)
    if not pairs:
        raise InputError(inputs_dir / "profile_sites.csv", "no (technology, region) pairs requested",
                         expected="at least one pair")
    key = cache_key(tables, pairs, weather_year, seed)
    cache_dir = DEFAULT_CACHE_DIR if cache_dir is None else Path(cache_dir)
    path = cache_dir / f"cf_{key[:24]}.nc"
    if path.is_file():
        df = _read_cache(path, key, pairs)
        if df is not None:
            return df
    df = _compute_capacity_factors(tables, pairs, weather_year, seed)
    try:
        _write_cache(df, path, key)
    except OSError:
        pass   # a read-only cache location must not break a run
    return df


def weather_dataset(inputs_dir: Path, weather_year: int = 2023, seed: int = DEFAULT_SEED) -> xr.Dataset:
    """The synthetic weather of every site in ``sites.csv`` as an xarray Dataset (site x time).

    Variables: ghi_w_m2, dni_w_m2, dhi_w_m2, ghi_clear_w_m2, temp_air_c, wind_speed_hub_ms (at ``wind_height_m``:
    the hub height of the wind farm mapped to the site in profile_sites.csv, else the site's reference height),
    daily clear-sky index; coordinates region, kind, lat, lon.
    """
    tables = load_weather_tables(Path(inputs_dir))
    names = list(tables.sites)
    wx = synth.synthesize(tables, names, weather_year, seed)
    wind = wx.wind_speed.copy()
    height = np.array([tables.sites[s].params["wind_height"] for s in names], float)
    for (_tech, _region), (site, system) in tables.profile_sites.items():
        if system in tables.wind_farms:
            j = names.index(site)
            farm = tables.wind_farms[system]
            wind[:, j] = convert.hub_wind_speed(wx, j, farm.params["hub_height"], farm.params["shear_exponent"])
            height[j] = farm.params["hub_height"]
    dims = ("time", "site")
    ds = xr.Dataset(
        {
            "ghi_w_m2": (dims, wx.ghi, {"units": "W m-2", "long_name": "global horizontal irradiance"}),
            "dni_w_m2": (dims, wx.dni, {"units": "W m-2", "long_name": "direct normal irradiance (Erbs)"}),
            "dhi_w_m2": (dims, wx.dhi, {"units": "W m-2", "long_name": "diffuse horizontal irradiance (Erbs)"}),
            "ghi_clear_w_m2": (dims, wx.geometry.ghi_clear, {"units": "W m-2", "long_name": "Ineichen clear-sky GHI"}),
            "temp_air_c": (dims, wx.temp_air, {"units": "degC", "long_name": "air temperature"}),
            "wind_speed_hub_ms": (dims, wind, {"units": "m s-1", "long_name": "wind speed at wind_height_m"}),
            "clear_sky_index_daily": (("day", "site"), wx.csi_daily, {"units": "1"}),
        },
        coords={
            "time": wx.index.to_numpy(), "site": names,
            "day": wx.index[::24].to_numpy(),
            "region": ("site", [tables.sites[s].region for s in names]),
            "kind": ("site", [tables.sites[s].kind for s in names]),
            "lat": ("site", [tables.sites[s].lat for s in names]),
            "lon": ("site", [tables.sites[s].lon for s in names]),
            "wind_height_m": ("site", height),
        },
        attrs={"timezone": TIMEZONE_ATTR, "time_convention": "hour-beginning labels, 8760 h (29 Feb dropped)",
               "weather_year": int(weather_year), "seed": int(seed), "code_version": CODE_VERSION,
               "description": "re300 embedded synthetic weather (seeded, spatially correlated)"},
    )
    return ds.transpose("site", "time", "day")
