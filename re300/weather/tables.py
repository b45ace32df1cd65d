"""Read and validate the weather/profile input tables (owned by ``re300.weather``).

Tables (all CSV under ``inputs/``):

- ``sites.csv``            site, region, kind, name_en, lat, lon, elevation_m, source, status
- ``site_parameters.csv``  site, parameter, value, unit, source, status   (long format)
- ``profile_sites.csv``    technology, region, site, system, source
- ``pv_systems.csv``       system, mounting, parameter, value, unit, source, status
- ``wind_farms.csv``       farm, turbine, parameter, value, unit, source, status
- ``weather_parameters.csv`` parameter, value, unit, source, status
- ``power_curves/<turbine>.csv``  wind_speed_ms, power_kw, source, status

Every problem is raised as :class:`re300.errors.InputError` naming the file, the row (the line number in the file,
header = line 1), the column, the value and what was expected.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from re300.errors import InputError

STATUSES = ("found", "estimate")
SITE_KINDS = ("land", "urban", "coastal", "water", "offshore")
PV_MOUNTINGS = ("open_rack", "roof_mount", "floating")

# parameter -> (unit, lower bound, upper bound, required-for)
SITE_PARAMETERS = {
    "annual_ghi": ("kWh/m2/yr", 500.0, 3000.0),
    "mean_wind_speed": ("m/s", 0.3, 20.0),
    "wind_height": ("m", 1.0, 300.0),
    "weibull_k": ("1", 1.0, 5.0),
    "temp_offset": ("degC", -15.0, 15.0),
}
PV_PARAMETERS = {
    "tilt": ("deg", 0.0, 90.0),
    "azimuth": ("deg", 0.0, 360.0),
    "dc_ac_ratio": ("1", 0.8, 2.0),
    "gamma_pdc": ("1/K", -0.01, 0.0),
    "inverter_eta_nom": ("1", 0.8, 1.0),
    "u_c": ("W/m2/K", 5.0, 100.0),
    "u_v": ("W*s/m3/K", 0.0, 20.0),
    "module_efficiency": ("1", 0.01, 0.5),
    "alpha_absorption": ("1", 0.5, 1.0),
    "albedo": ("1", 0.0, 1.0),
    "loss_soiling": ("fraction", 0.0, 0.5),
    "loss_shading": ("fraction", 0.0, 0.5),
    "loss_mismatch": ("fraction", 0.0, 0.5),
    "loss_wiring": ("fraction", 0.0, 0.5),
    "loss_connections": ("fraction", 0.0, 0.5),
    "loss_lid": ("fraction", 0.0, 0.5),
    "loss_nameplate": ("fraction", 0.0, 0.5),
    "availability": ("fraction", 0.5, 1.0),
}
WIND_PARAMETERS = {
    "hub_height": ("m", 10.0, 300.0),
    "rated_power": ("kW", 1.0, 50000.0),
    "cut_out_speed": ("m/s", 10.0, 40.0),
    "shear_exponent": ("1", 0.0, 0.6),
    "wake_loss": ("fraction", 0.0, 0.5),
    "electrical_loss": ("fraction", 0.0, 0.5),
    "availability": ("fraction", 0.5, 1.0),
    "reference_air_density": ("kg/m3", 0.8, 1.5),
    "smoothing_sigma_base": ("m/s", 0.0, 5.0),
    "smoothing_sigma_slope": ("1", 0.0, 1.0),
}
WEATHER_PARAMETERS = {
    **{f"kt_{m:02d}": ("1", 0.05, 0.8) for m in range(1, 13)},
    **{f"temp_normal_{m:02d}": ("degC", -30.0, 45.0) for m in range(1, 13)},
    "clearness_daily_ar1": ("1", 0.0, 0.99),
    "clearness_concentration": ("1", 0.5, 100.0),
    "clearness_corr_length": ("km", 1.0, 10000.0),
    "clearness_nugget": ("1", 0.0, 1.0),
    "clearness_daily_max": ("1", 0.5, 1.2),
    "clearness_hourly_ar1": ("1", 0.0, 0.99),
    "clearness_hourly_sigma": ("1", 0.0, 2.0),
    "clearness_hourly_max": ("1", 0.5, 1.5),
    "clearness_hourly_corr_length": ("km", 1.0, 10000.0),
    "clearness_hourly_nugget": ("1", 0.0, 1.0),
    "calibration_iterations": ("1", 0.0, 50.0),
    "temp_anomaly_sd": ("degC", 0.0, 10.0),
    "temp_anomaly_ar1": ("1", 0.0, 0.99),
    "temp_corr_length": ("km", 1.0, 10000.0),
    "temp_half_range_base": ("degC", 0.0, 15.0),
    "temp_half_range_clear": ("degC", 0.0, 15.0),
    "temp_peak_hour": ("h", 0.0, 24.0),
    **{f"temp_diurnal_factor_{k}": ("1", 0.0, 2.0) for k in SITE_KINDS},
    "wind_hourly_ar1": ("1", 0.0, 0.999),
    "wind_corr_length": ("km", 1.0, 10000.0),
    "wind_nugget": ("1", 0.0, 1.0),
    "wind_seasonal_amplitude": ("1", 0.0, 1.2),
    "wind_seasonal_peak_day": ("day", 1.0, 366.0),
    "wind_diurnal_amplitude_land": ("1", 0.0, 1.0),
    "wind_diurnal_amplitude_sea": ("1", 0.0, 1.0),
    "wind_diurnal_peak_hour": ("h", 0.0, 24.0),
}

TABLE_FILES = ("sites.csv", "site_parameters.csv", "profile_sites.csv", "pv_systems.csv", "wind_farms.csv",
               "weather_parameters.csv")


@dataclass
class Site:
    site: str
    region: str
    kind: str
    lat: float
    lon: float
    elevation_m: float
    params: dict[str, float] = field(default_factory=dict)


@dataclass
class PVSystem:
    system: str
    mounting: str
    params: dict[str, float]


@dataclass
class PowerCurve:
    turbine: str
    wind_speed_ms: np.ndarray
    power_kw: np.ndarray
    path: Path


@dataclass
class WindFarm:
    farm: str
    turbine: str
    params: dict[str, float]
    curve: PowerCurve


@dataclass
class WeatherTables:
    inputs_dir: Path
    sites: dict[str, Site]
    profile_sites: dict[tuple[str, str], tuple[str, str]]   # (technology, region) -> (site, system)
    pv_systems: dict[str, PVSystem]
    wind_farms: dict[str, WindFarm]
    weather: dict[str, float]

    def input_files(self) -> list[Path]:
        """Every file whose content determines the profiles (for the cache key)."""
        files = [self.inputs_dir / name for name in TABLE_FILES]
        files += sorted({farm.curve.path for farm in self.wind_farms.values()})
        return files


# --------------------------------------------------------------------------------------------------- readers
def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise InputError(path, "file not found", expected="a CSV file")
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(path, f"missing column(s) {', '.join(missing)}", row=1,
                                 value=",".join(header), expected="columns " + ", ".join(required))
            rows = []
            for i, raw in enumerate(reader, start=2):
                if raw is None or all((v is None or str(v).strip() == "") for v in raw.values()):
                    continue
                if None in raw:  # more fields than header
                    raise InputError(path, "row has more fields than the header", row=i,
                                     value=raw[None], expected=f"{len(header)} fields")
                rows.append((i, {k.strip(): ("" if v is None else str(v).strip()) for k, v in raw.items()}))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})") from None
    return rows


def _need(path: Path, row: int, rec: dict[str, str], column: str) -> str:
    value = rec.get(column, "")
    if value == "":
        raise InputError(path, "empty value", row=row, column=column, expected="a non-empty value")
    return value


def _number(path: Path, row: int, column: str, text: str, lo: float | None = None, hi: float | None = None) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(path, "not a number", row=row, column=column, value=text, expected="a number") from None
    if not math.isfinite(value):
        raise InputError(path, "not a finite number", row=row, column=column, value=text, expected="a finite number")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise InputError(path, "value out of range", row=row, column=column, value=text,
                         expected=f"a number in [{lo:g}, {hi:g}]")
    return value


def _status(path: Path, row: int, rec: dict[str, str]) -> None:
    status = _need(path, row, rec, "status")
    if status not in STATUSES:
        raise InputError(path, "unknown status", row=row, column="status", value=status, expected=" | ".join(STATUSES))
    _need(path, row, rec, "source")


def _long_params(path: Path, rows, key_cols: tuple[str, ...], spec: dict[str, tuple[str, float, float]]):
    """Parse a long table (key..., parameter, value, unit, source, status) -> {key: {parameter: value}}."""
    out: dict[tuple[str, ...], dict[str, float]] = {}
    for row, rec in rows:
        key = tuple(_need(path, row, rec, c) for c in key_cols)
        param = _need(path, row, rec, "parameter")
        if param not in spec:
            raise InputError(path, "unknown parameter", row=row, column="parameter", value=param,
                             expected="one of " + ", ".join(sorted(spec)))
        unit, lo, hi = spec[param]
        if rec.get("unit", "") != unit:
            raise InputError(path, f"wrong unit for '{param}'", row=row, column="unit", value=rec.get("unit", ""),
                             expected=unit)
        value = _number(path, row, "value", _need(path, row, rec, "value"), lo, hi)
        _status(path, row, rec)
        params = out.setdefault(key, {})
        if param in params:
            raise InputError(path, f"duplicate parameter '{param}'" + (f" for {'/'.join(key)}" if key else ""),
                             row=row, column="parameter", value=param)
        params[param] = value
    return out


def read_power_curve(path: Path, turbine: str) -> PowerCurve:
    rows = _read_csv(path, ("wind_speed_ms", "power_kw", "source", "status"))
    if len(rows) < 3:
        raise InputError(path, "power curve needs at least 3 points", value=len(rows), expected=">= 3 rows")
    speeds, powers = [], []
    for row, rec in rows:
        v = _number(path, row, "wind_speed_ms", _need(path, row, rec, "wind_speed_ms"), 0.0, 50.0)
        p = _number(path, row, "power_kw", _need(path, row, rec, "power_kw"), 0.0, 1e6)
        _status(path, row, rec)
        if speeds and v <= speeds[-1]:
            raise InputError(path, "wind speeds must increase strictly", row=row, column="wind_speed_ms", value=v,
                             expected=f"> {speeds[-1]:g}")
        speeds.append(v)
        powers.append(p)
    return PowerCurve(turbine, np.asarray(speeds, float), np.asarray(powers, float), path)


def load_weather_tables(inputs_dir: Path) -> WeatherTables:
    inputs_dir = Path(inputs_dir)

    # sites.csv
    path = inputs_dir / "sites.csv"
    sites: dict[str, Site] = {}
    for row, rec in _read_csv(path, ("site", "region", "kind", "lat", "lon", "elevation_m", "source", "status")):
        name = _need(path, row, rec, "site")
        if name in sites:
            raise InputError(path, "duplicate site", row=row, column="site", value=name)
        kind = _need(path, row, rec, "kind")
        if kind not in SITE_KINDS:
            raise InputError(path, "unknown site kind", row=row, column="kind", value=kind,
                             expected=" | ".join(SITE_KINDS))
        _status(path, row, rec)
        sites[name] = Site(
            site=name, region=_need(path, row, rec, "region"), kind=kind,
            lat=_number(path, row, "lat", _need(path, row, rec, "lat"), -90, 90),
            lon=_number(path, row, "lon", _need(path, row, rec, "lon"), -180, 180),
            elevation_m=_number(path, row, "elevation_m", _need(path, row, rec, "elevation_m"), -500, 9000),
        )

    # site_parameters.csv
    path = inputs_dir / "site_parameters.csv"
    rows = _read_csv(path, ("site", "parameter", "value", "unit", "source", "status"))
    for row, rec in rows:
        if rec.get("site") and rec["site"] not in sites:
            raise InputError(path, "site not in sites.csv", row=row, column="site", value=rec["site"],
                             expected="one of " + ", ".join(sites))
    for (name,), params in _long_params(path, rows, ("site",), SITE_PARAMETERS).items():
        sites[name].params = params
    for s in sites.values():  # every site needs a surface/hub wind description and temperature offset
        for p in ("mean_wind_speed", "wind_height", "weibull_k", "temp_offset"):
            if p not in s.params:
                raise InputError(path, f"site '{s.site}' lacks parameter '{p}'", column="parameter",
                                 expected=f"a row '{s.site},{p},...'")

    # pv_systems.csv
    path = inputs_dir / "pv_systems.csv"
    rows = _read_csv(path, ("system", "mounting", "parameter", "value", "unit", "source", "status"))
    mountings: dict[str, str] = {}
    for row, rec in rows:
        sysname, mounting = _need(path, row, rec, "system"), _need(path, row, rec, "mounting")
        if mounting not in PV_MOUNTINGS:
            raise InputError(path, "unknown mounting", row=row, column="mounting", value=mounting,
                             expected=" | ".join(PV_MOUNTINGS))
        if mountings.setdefault(sysname, mounting) != mounting:
            raise InputError(path, f"inconsistent mounting for system '{sysname}'", row=row, column="mounting",
                             value=mounting, expected=mountings[sysname])
    pv_systems = {}
    for (sysname,), params in _long_params(path, rows, ("system",), PV_PARAMETERS).items():
        missing = sorted(set(PV_PARAMETERS) - set(params))
        if missing:
            raise InputError(path, f"system '{sysname}' lacks parameter(s) {', '.join(missing)}", column="parameter")
        pv_systems[sysname] = PVSystem(sysname, mountings[sysname], params)

    # wind_farms.csv (+ power curves)
    path = inputs_dir / "wind_farms.csv"
    rows = _read_csv(path, ("farm", "turbine", "parameter", "value", "unit", "source", "status"))
    turbines: dict[str, str] = {}
    for row, rec in rows:
        farm, turbine = _need(path, row, rec, "farm"), _need(path, row, rec, "turbine")
        if turbines.setdefault(farm, turbine) != turbine:
            raise InputError(path, f"inconsistent turbine for farm '{farm}'", row=row, column="turbine",
                             value=turbine, expected=turbines[farm])
        curve_path = inputs_dir / "power_curves" / f"{turbine}.csv"
        if not curve_path.is_file():
            raise InputError(path, "no power-curve file for turbine", row=row, column="turbine", value=turbine,
                             expected=f"a file {curve_path}")
    wind_farms = {}
    curves: dict[str, PowerCurve] = {}
    for (farm,), params in _long_params(path, rows, ("farm",), WIND_PARAMETERS).items():
        missing = sorted(set(WIND_PARAMETERS) - set(params))
        if missing:
            raise InputError(path, f"farm '{farm}' lacks parameter(s) {', '.join(missing)}", column="parameter")
        turbine = turbines[farm]
        if turbine not in curves:
            curves[turbine] = read_power_curve(inputs_dir / "power_curves" / f"{turbine}.csv", turbine)
        wind_farms[farm] = WindFarm(farm, turbine, params, curves[turbine])

    # weather_parameters.csv
    path = inputs_dir / "weather_parameters.csv"
    rows = _read_csv(path, ("parameter", "value", "unit", "source", "status"))
    weather = _long_params(path, rows, (), WEATHER_PARAMETERS).get((), {})
    missing = sorted(set(WEATHER_PARAMETERS) - set(weather))
    if missing:
        raise InputError(path, f"missing parameter(s) {', '.join(missing)}", column="parameter")

    # profile_sites.csv
    path = inputs_dir / "profile_sites.csv"
    profile_sites: dict[tuple[str, str], tuple[str, str]] = {}
    for row, rec in _read_csv(path, ("technology", "region", "site", "system", "source")):
        tech, region = _need(path, row, rec, "technology"), _need(path, row, rec, "region")
        site, system = _need(path, row, rec, "site"), _need(path, row, rec, "system")
        _need(path, row, rec, "source")
        if site not in sites:
            raise InputError(path, "site not in sites.csv", row=row, column="site", value=site,
                             expected="one of " + ", ".join(sites))
        if system not in pv_systems and system not in wind_farms:
            raise InputError(path, "system is neither a PV system (pv_systems.csv) nor a wind farm (wind_farms.csv)",
                             row=row, column="system", value=system,
                             expected="one of " + ", ".join([*pv_systems, *wind_farms]))
        if system in pv_systems and "annual_ghi" not in sites[site].params:
            raise InputError(path, f"PV system on site '{site}' without an annual_ghi in site_parameters.csv",
                             row=row, column="site", value=site)
        if (tech, region) in profile_sites:
            raise InputError(path, "duplicate (technology, region)", row=row, column="technology",
                             value=f"{tech},{region}")
        profile_sites[(tech, region)] = (site, system)

    return WeatherTables(inputs_dir, sites, profile_sites, pv_systems, wind_farms, weather)
