"""Read and validate the weather/profile input tables (owned by ``re300.weather``).

Tables (all CSV under ``inputs/``):

- ``sites.csv``            site, region, kind, name_en, lat, lon, elevation_m, source, status
- ``site_parameters.csv``  site, parameter, value, unit, source, status   (long format)
- ``profile_sites.csv``    technology, region, site, system, source
- ``pv_systems.csv``       system, mounting, parameter, value, unit, source, status
- ``wind_farms.csv``       farm, turbine, parameter, value, unit, source, status
- ``weather_parameters.csv`` parameter, value, unit, source, status
- ``fleet_sites.csv``      technology, region, member, lat, lon, weight, source, status   (optional; see `load_fleets`)
- ``power_curves/<turbine>.csv``  wind_speed_ms, power_kw, source, status

They are read and checked with the shared reader :mod:`re300.csvtable` (the same rules and messages as the input
tables): every problem is raised as :class:`re300.errors.InputError` naming the file, the row (the line number in the
file, header = line 1), the column, the value and what was expected.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import (
    LINE,
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
    read_table,
)
from re300.errors import InputError

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
    "clearness_hourly_regional_share": ("1", 0.0, 1.0),
    "clearness_hourly_regional_ar1": ("1", 0.0, 0.999),
    "clearness_hourly_regional_corr_length": ("km", 1.0, 100000.0),
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
    "wind_diurnal_amplitude_surface": ("1", 0.0, 1.2),
    "wind_meso_share": ("1", 0.0, 1.0),
    "wind_meso_share_hub": ("1", 0.0, 1.0),
    "wind_meso_ar1": ("1", 0.0, 0.999),
    "wind_meso_corr_length": ("km", 1.0, 10000.0),
    "wind_year_sd": ("1", 0.0, 0.5),
    "wind_year_corr_length": ("km", 1.0, 100000.0),
    "ghi_year_sd": ("1", 0.0, 0.5),
    "ghi_month_sd": ("1", 0.0, 0.5),
    "ghi_month_sd_monsoon": ("1", 0.0, 0.8),
    "ghi_anomaly_corr_length": ("km", 1.0, 100000.0),
}

#: every site needs a surface/hub wind description and a temperature offset
SITE_REQUIRED_PARAMETERS = ("mean_wind_speed", "wind_height", "weibull_k", "temp_offset")

TABLE_FILES = ("sites.csv", "site_parameters.csv", "profile_sites.csv", "pv_systems.csv", "wind_farms.csv",
               "weather_parameters.csv")
#: optional: the sites of a province's fleet (a pair without rows is its one site of profile_sites.csv)
FLEET_FILE = "fleet_sites.csv"


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
    # (technology, region) -> ((site or member names), weights summing to 1): the fleet a pair's profile averages
    fleets: dict[tuple[str, str], tuple[tuple[str, ...], tuple[float, ...]]] = field(default_factory=dict)
    members: dict[str, Site] = field(default_factory=dict)   # fleet sites that are not in sites.csv

    def input_files(self) -> list[Path]:
        """Every file whose content determines the profiles (for the cache key)."""
        files = [self.inputs_dir / name for name in TABLE_FILES]
        if (self.inputs_dir / FLEET_FILE).is_file():
            files.append(self.inputs_dir / FLEET_FILE)
        files += sorted({farm.curve.path for farm in self.wind_farms.values()})
        return files

    def site(self, name: str) -> Site:
        """A site of sites.csv or a fleet member."""
        return self.sites[name] if name in self.sites else self.members[name]

    @property
    def generated_sites(self) -> list[str]:
        """Every site the weather is generated for: sites.csv in order, then the fleet members."""
        return [*self.sites, *self.members]

    def fleet(self, pair: tuple[str, str]) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """(sites, weights) whose capacity factors a pair's profile averages: its fleet, else its one site."""
        return self.fleets.get(pair, ((self.profile_sites[pair][0],), (1.0,)))


# --------------------------------------------------------------------------------------------------- readers
def spec_units(spec: dict[str, tuple[str, float, float]]) -> dict[str, str]:
    """parameter -> expected unit of a parameter spec (unit, lower bound, upper bound)."""
    return {p: unit for p, (unit, _, _) in spec.items()}


def spec_ranges(spec: dict[str, tuple[str, float, float]]) -> dict[str, Range]:
    """parameter -> allowed closed interval of a parameter spec (unit, lower bound, upper bound)."""
    return {p: Range(lo, hi) for p, (_, lo, hi) in spec.items()}


def long_parameters(path: Path, df: pd.DataFrame, key_cols: tuple[str, ...],
                    spec: dict[str, tuple[str, float, float]]) -> dict[tuple[str, ...], dict[str, float]]:
    """Check a long table (key..., parameter, value, unit, source, status) of `read_table` against `spec`
    (parameter -> unit, lower, upper bound) -> {key: {parameter: value}}."""
    check_nonempty(path, df, key_cols)
    check_long_table(path, df, spec_units(spec), spec_ranges(spec))
    check_duplicates(path, df, [*key_cols, "parameter"])
    out: dict[tuple[str, ...], dict[str, float]] = {}
    for rec in df[[*key_cols, "parameter", "value"]].itertuples(index=False):
        out.setdefault(tuple(rec[:-2]), {})[rec[-2]] = float(rec[-1])
    return out


def read_power_curve(path: Path, turbine: str) -> PowerCurve:
    """A turbine's power curve (power_curves/<turbine>.csv): wind speed [m/s] strictly increasing, power [kW]."""
    df = read_table(path, ("wind_speed_ms", "power_kw", "source", "status"))
    if len(df) < 3:
        raise InputError(path, "power curve needs at least 3 points", value=len(df), expected=">= 3 rows")
    parse_number(path, df, "wind_speed_ms", default_range=Range(0.0, 50.0))
    parse_number(path, df, "power_kw", default_range=Range(0.0, 1e6))
    check_source_status(path, df)
    speeds = df["wind_speed_ms"].to_numpy(float)
    for i in range(1, len(speeds)):
        if speeds[i] <= speeds[i - 1]:
            raise InputError(path, "wind speeds must increase strictly", row=int(df[LINE].iat[i]),
                             column="wind_speed_ms", value=float(speeds[i]), expected=f"> {speeds[i - 1]:g}")
    return PowerCurve(turbine, speeds, df["power_kw"].to_numpy(float), path)


def load_sites(path: Path) -> dict[str, Site]:
    """sites.csv: site -> Site (region, kind, lat/lon [degrees], elevation [m]); parameters filled later."""
    df = read_table(path, ("site", "region", "kind", "lat", "lon", "elevation_m", "source", "status"), ("name_en",))
    check_nonempty(path, df, ["site", "region", "kind"])
    check_duplicates(path, df, ["site"])
    check_choice(path, df, "kind", SITE_KINDS)
    check_source_status(path, df)
    parse_number(path, df, "lat", default_range=Range(-90, 90))
    parse_number(path, df, "lon", default_range=Range(-180, 180))
    parse_number(path, df, "elevation_m", default_range=Range(-500, 9000))
    return {r.site: Site(site=r.site, region=r.region, kind=r.kind, lat=float(r.lat), lon=float(r.lon),
                         elevation_m=float(r.elevation_m))
            for r in df.itertuples(index=False)}


def load_site_parameters(path: Path, sites: dict[str, Site]) -> None:
    """site_parameters.csv: the parameters of SITE_PARAMETERS per site (into `Site.params`); every site has its
    wind description and temperature offset."""
    df = read_table(path, ("site", "parameter", "value", "unit", "source", "status"))
    check_nonempty(path, df, ["site"])
    check_names(path, df, "site", list(sites), "site", table="sites.csv")
    for (name,), params in long_parameters(path, df, ("site",), SITE_PARAMETERS).items():
        sites[name].params = params
    for s in sites.values():
        missing_parameters(path, f"site {s.site}", s.params, SITE_REQUIRED_PARAMETERS)


def load_pv_systems(path: Path) -> dict[str, PVSystem]:
    """pv_systems.csv: system -> PVSystem (one mounting, every parameter of PV_PARAMETERS)."""
    df = read_table(path, ("system", "mounting", "parameter", "value", "unit", "source", "status"))
    check_nonempty(path, df, ["system", "mounting"])
    check_choice(path, df, "mounting", PV_MOUNTINGS)
    mountings: dict[str, str] = {}
    for line, sysname, mounting in zip(df[LINE], df["system"], df["mounting"]):
        if mountings.setdefault(sysname, mounting) != mounting:
            raise InputError(path, f"inconsistent mounting for system '{sysname}'", row=line, column="mounting",
                             value=mounting, expected=mountings[sysname])
    pv_systems = {}
    for (sysname,), params in long_parameters(path, df, ("system",), PV_PARAMETERS).items():
        missing_parameters(path, f"system {sysname}", params, list(PV_PARAMETERS))
        pv_systems[sysname] = PVSystem(sysname, mountings[sysname], params)
    return pv_systems


def load_wind_farms(path: Path) -> dict[str, WindFarm]:
    """wind_farms.csv: farm -> WindFarm (one turbine with a power-curve file, every parameter of WIND_PARAMETERS)."""
    df = read_table(path, ("farm", "turbine", "parameter", "value", "unit", "source", "status"))
    check_nonempty(path, df, ["farm", "turbine"])
    curve_dir = path.parent / "power_curves"
    turbines: dict[str, str] = {}
    for line, farm, turbine in zip(df[LINE], df["farm"], df["turbine"]):
        if turbines.setdefault(farm, turbine) != turbine:
            raise InputError(path, f"inconsistent turbine for farm '{farm}'", row=line, column="turbine",
                             value=turbine, expected=turbines[farm])
        if not (curve_dir / f"{turbine}.csv").is_file():
            raise InputError(path, "no power-curve file for turbine", row=line, column="turbine", value=turbine,
                             expected=f"a file {curve_dir / f'{turbine}.csv'}")
    wind_farms = {}
    curves: dict[str, PowerCurve] = {}
    for (farm,), params in long_parameters(path, df, ("farm",), WIND_PARAMETERS).items():
        missing_parameters(path, f"farm {farm}", params, list(WIND_PARAMETERS))
        turbine = turbines[farm]
        if turbine not in curves:
            curves[turbine] = read_power_curve(curve_dir / f"{turbine}.csv", turbine)
        wind_farms[farm] = WindFarm(farm, turbine, params, curves[turbine])
    return wind_farms


def load_weather_parameters(path: Path) -> dict[str, float]:
    """weather_parameters.csv: every parameter of WEATHER_PARAMETERS (the synthetic-weather model's settings)."""
    df = read_table(path, ("parameter", "value", "unit", "source", "status"))
    weather = long_parameters(path, df, (), WEATHER_PARAMETERS).get((), {})
    missing_parameters(path, "the table", weather, list(WEATHER_PARAMETERS))
    return weather


def load_profile_sites(path: Path, sites: dict[str, Site], pv_systems: dict[str, PVSystem],
                       wind_farms: dict[str, WindFarm]) -> dict[tuple[str, str], tuple[str, str]]:
    """profile_sites.csv: (technology, region) -> (site, PV system or wind farm) that gives its profile."""
    df = read_table(path, ("technology", "region", "site", "system", "source"))
    check_nonempty(path, df, ["technology", "region", "site", "system"])
    check_sources(path, df)
    check_names(path, df, "site", list(sites), "site", table="sites.csv")
    check_names(path, df, "system", [*pv_systems, *wind_farms], "system", table="pv_systems.csv or wind_farms.csv")
    check_duplicates(path, df, ["technology", "region"])
    for line, site, system in zip(df[LINE], df["site"], df["system"]):
        if system in pv_systems and "annual_ghi" not in sites[site].params:
            raise InputError(path, f"PV system on site '{site}' without an annual_ghi in site_parameters.csv",
                             row=line, column="site", value=site)
    return {(t, r): (s, y) for t, r, s, y in zip(df["technology"], df["region"], df["site"], df["system"])}


def load_weather_tables(inputs_dir: Path) -> WeatherTables:
    """Read and validate the weather tables of `inputs_dir`; raise InputError on the first problem."""
    inputs_dir = Path(inputs_dir)
    sites = load_sites(inputs_dir / "sites.csv")
    load_site_parameters(inputs_dir / "site_parameters.csv", sites)
    pv_systems = load_pv_systems(inputs_dir / "pv_systems.csv")
    wind_farms = load_wind_farms(inputs_dir / "wind_farms.csv")
    weather = load_weather_parameters(inputs_dir / "weather_parameters.csv")
    profile_sites = load_profile_sites(inputs_dir / "profile_sites.csv", sites, pv_systems, wind_farms)
    fleets, members = {}, {}
    if (inputs_dir / FLEET_FILE).is_file():
        fleets, members = load_fleets(inputs_dir / FLEET_FILE, sites, profile_sites)
    return WeatherTables(inputs_dir, sites, profile_sites, pv_systems, wind_farms, weather, fleets, members)


def load_fleets(path: Path, sites: dict[str, Site], profile_sites: dict) -> tuple[dict, dict[str, Site]]:
    """fleet_sites.csv: the sites a (technology, region) profile averages, with their weights (shares of the
    province's capacity, normalised per pair). `member` is a site of sites.csv (lat and lon left blank) or a new
    fleet site with its lat/lon [degrees], which takes region, kind, elevation and every parameter of the pair's site
    of profile_sites.csv (so it is calibrated to the same annual GHI or mean wind). A new member listed by two pairs
    must have the same position and the same parent site. Returns ({pair: (members, weights)}, {member: Site})."""
    df = read_table(path, ("technology", "region", "member", "lat", "lon", "weight", "source", "status"))
    check_nonempty(path, df, ["technology", "region", "member", "weight"])
    check_source_status(path, df)
    check_duplicates(path, df, ["technology", "region", "member"])
    parse_number(path, df, "weight", default_range=Range(0.0, 1e6))
    fleets: dict[tuple[str, str], list[tuple[str, float]]] = {}
    members: dict[str, Site] = {}
    for rec in df.to_dict("records"):
        r = _Row(**{k: v for k, v in rec.items() if k != LINE})
        line, pair = int(rec[LINE]), (r.technology, r.region)
        if pair not in profile_sites:
            raise InputError(path, "technology/region not in profile_sites.csv", row=line, column="technology",
                             value=f"{r.technology}/{r.region}",
                             expected="one of " + ", ".join(f"{t}/{g}" for t, g in profile_sites))
        if not float(r.weight) > 0:
            raise InputError(path, "a fleet weight must be positive", row=line, column="weight", value=r.weight,
                             expected="> 0 (leave the member out instead)")
        parent = sites[profile_sites[pair][0]]
        if r.member in sites:
            if r.lat or r.lon:
                raise InputError(path, f"member '{r.member}' is a site of sites.csv: its position is there",
                                 row=line, column="lat", value=f"{r.lat},{r.lon}", expected="blank lat and lon")
        else:
            lat, lon = (_coordinate(path, line, col, text, lim) for col, text, lim in
                        (("lat", r.lat, 90.0), ("lon", r.lon, 180.0)))
            site = Site(r.member, parent.region, parent.kind, lat, lon, parent.elevation_m, dict(parent.params))
            seen = members.setdefault(r.member, site)
            if (seen.lat, seen.lon, seen.params) != (lat, lon, site.params):
                raise InputError(path, f"member '{r.member}' appears with another position or parent site",
                                 row=line, column="member", value=r.member,
                                 expected=f"lat {seen.lat}, lon {seen.lon} and a pair on the same site as before")
        fleets.setdefault(pair, []).append((r.member, float(r.weight)))
    out = {}
    for pair, rows in fleets.items():
        total = sum(w for _, w in rows)
        out[pair] = (tuple(m for m, _ in rows), tuple(w / total for _, w in rows))
    return out, members


@dataclass
class _Row:
    """One row of fleet_sites.csv (cells as read; `weight` parsed)."""

    technology: str
    region: str
    member: str
    lat: str
    lon: str
    weight: float
    source: str
    status: str


def _coordinate(path: Path, line: int, column: str, text: str, limit: float) -> float:
    """A latitude or longitude cell of a new fleet member [degrees]."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -limit <= value <= limit):
        raise InputError(path, "a new fleet member needs its position", row=line, column=column, value=text,
                         expected=f"degrees in [-{limit:g}, {limit:g}]")
    return value
