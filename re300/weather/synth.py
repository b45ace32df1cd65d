"""Embedded stochastic weather: a seeded, spatially correlated synthetic year for every site.

Nothing here reads files: it works on validated :class:`~re300.weather.tables.WeatherTables`.

Time convention (docs/architecture.md): hourly, KST (UTC+9), hour-beginning labels, 8760 h (29 Feb dropped).
Solar geometry is evaluated at the middle of each hour (label + 30 min) so hourly values represent the hour's mean.

Irradiance
    GHI = clear-sky GHI (pvlib Ineichen with pvlib's Linke-turbidity climatology) x clear-sky index.
    The daily clear-sky index is a Beta-distributed variable driven by a Gaussian AR(1) process in day (persistence),
    whose innovations are spatially correlated between sites (exponential correlation in distance + site nugget), so a
    cloudy day in Gwangju is mostly cloudy in Jeonnam.  The Beta mean follows the Korean monthly clearness-index
    climatology (``kt_MM``) and is calibrated iteratively, per site and month, so that monthly (and hence annual) GHI
    totals match ``annual_ghi`` of the site distributed over months in proportion to KT_m x H0_m.
    An hourly multiplicative log-normal AR(1) term adds within-day variability (largest on half-cloudy days); its
    innovations are correlated between sites over a short distance (hourly cloud fields), so a fleet of sites tens of
    km apart smooths the hourly ramps of one site.
    DNI/DHI come from the Erbs decomposition.
    A *sampled* year (``sampled=True``; the stress test and multi-year plans) multiplies each site's monthly target by
    a log-normal anomaly: a year component (shared by the month of a year) and a month component, both spatially
    correlated; a *typical* year (the default, the year a plan is sized on) keeps the monthly targets.

Temperature
    Monthly normals (``temp_normal_MM``, Gwangju) interpolated to days (month means preserved) + site offset +
    spatially correlated daily AR(1) anomalies + a diurnal cosine whose amplitude grows with the day's clearness and is
    damped near water.

Wind
    Gaussian driver g = sqrt(1 - m) g_syn + sqrt(m) g_meso: a synoptic hourly AR(1) correlated over hundreds of km and a
    mesoscale AR(1) with a short memory, correlated over a few tens of km (so sites share storms and calms but not
    their hourly changes), plus seasonal (winter NW-monsoon maximum) and diurnal cycles (strong near the ground,
    weak at hub height), mapped through the normal CDF to a Weibull marginal with the site's mean and shape k
    (c = mean / Gamma(1 + 1/k)), then rescaled to the site mean at its reference height ``wind_height``; a sampled
    year rescales to mean x (1 + a), a spatially correlated log-normal anomaly of the annual mean speed.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from scipy import special

from .tables import Site, WeatherTables

HOURS = 8760
DAYS = 365
#: a land site whose wind is given at or below this height [m] is a surface anemometer (strong daily cycle)
SURFACE_HEIGHT_M = 20.0
KST_OFFSET = pd.Timedelta(hours=9)


def hourly_index(year: int) -> pd.DatetimeIndex:
    """8760 tz-naive hour-beginning KST labels of ``year`` (29 February dropped)."""
    idx = pd.date_range(f"{year}-01-01 00:00", f"{year}-12-31 23:00", freq="h")
    idx = idx[~((idx.month == 2) & (idx.day == 29))]
    return pd.DatetimeIndex(idx.to_numpy().astype("datetime64[ns]"), name="time")


def _rng(seed: int, year: int, tag: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(year), zlib.crc32(tag.encode())]))


def _distance_km(sites: list[Site]) -> np.ndarray:
    lat = np.radians([s.lat for s in sites])
    lon = np.radians([s.lon for s in sites])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _cholesky(sites: list[Site], length_km: float, nugget: float) -> np.ndarray:
    corr = (1.0 - nugget) * np.exp(-_distance_km(sites) / length_km)
    np.fill_diagonal(corr, 1.0)
    return np.linalg.cholesky(corr + 1e-12 * np.eye(len(sites)))


def site_normals(rng: np.random.Generator, n_steps: int, n: int) -> np.ndarray:
    """(n_steps, n) independent standard normals drawn site after site (column j holds draws j*n_steps ...), so with a
    lower-triangular correlation factor the first sites' series do not depend on how many sites follow them (adding
    a fleet member leaves the weather of sites.csv unchanged)."""
    return rng.standard_normal((n, n_steps)).T


def correlated_ar1(rng: np.random.Generator, n_steps: int, chol: np.ndarray, phi: float) -> np.ndarray:
    """Stationary unit-variance Gaussian AR(1) in time with spatially correlated innovations, shape (n_steps, n)."""
    n = chol.shape[0]
    eps = site_normals(rng, n_steps, n) @ chol.T
    return _ar1_filter(eps, phi)


def _ar1_filter(eps: np.ndarray, phi: float) -> np.ndarray:
    """x_0 = eps_0; x_t = phi x_{t-1} + sqrt(1 - phi^2) eps_t (unit variance if eps is white), along axis 0."""
    from scipy.signal import lfilter

    out = np.empty_like(eps)
    out[0] = eps[0]
    if eps.shape[0] > 1:
        out[1:] = lfilter([np.sqrt(1.0 - phi * phi)], [1.0, -phi], eps[1:], axis=0, zi=phi * eps[0][None, :])[0]
    return out


@dataclass
class SolarGeometry:
    zenith: np.ndarray           # (8760, n) deg
    apparent_zenith: np.ndarray
    azimuth: np.ndarray
    dni_extra: np.ndarray        # (8760,) W/m2
    ghi_clear: np.ndarray        # (8760, n) W/m2
    dni_clear: np.ndarray
    g0h: np.ndarray              # extraterrestrial horizontal (8760, n) W/m2
    doy: np.ndarray              # (8760,)


def solar_geometry(index: pd.DatetimeIndex, sites: list[Site]) -> SolarGeometry:
    """Solar position, clear sky and extraterrestrial irradiance at mid-hour for every site (arrays read-only).

    Memoised per (hours, site coordinates) within the process: it is the slowest step and depends on nothing else."""
    key = (int(index[0].value), int(index[-1].value), len(index),
           tuple((s.lat, s.lon, s.elevation_m) for s in sites))
    return _solar_geometry_cached(key, index, tuple(sites))


_GEOMETRY_CACHE: dict = {}


def _solar_geometry_cached(key, index, sites) -> SolarGeometry:
    if key not in _GEOMETRY_CACHE:
        if len(_GEOMETRY_CACHE) >= 8:
            _GEOMETRY_CACHE.pop(next(iter(_GEOMETRY_CACHE)))
        geo = _solar_geometry(index, list(sites))
        for arr in vars(geo).values():
            arr.setflags(write=False)
        _GEOMETRY_CACHE[key] = geo
    return _GEOMETRY_CACHE[key]


def _solar_geometry(index: pd.DatetimeIndex, sites: list[Site]) -> SolarGeometry:
    mid_utc = (index + pd.Timedelta(minutes=30) - KST_OFFSET).tz_localize("UTC")
    dni_extra = pvlib.irradiance.get_extra_radiation(mid_utc).to_numpy()
    n = len(sites)
    zen = np.empty((len(index), n))
    app = np.empty_like(zen)
    azi = np.empty_like(zen)
    ghi_cs = np.empty_like(zen)
    dni_cs = np.empty_like(zen)
    for j, s in enumerate(sites):
        loc = pvlib.location.Location(s.lat, s.lon, tz="UTC", altitude=s.elevation_m)
        sp = loc.get_solarposition(mid_utc)
        cs = loc.get_clearsky(mid_utc, model="ineichen", solar_position=sp, dni_extra=dni_extra)
        zen[:, j] = sp["zenith"].to_numpy()
        app[:, j] = sp["apparent_zenith"].to_numpy()
        azi[:, j] = sp["azimuth"].to_numpy()
        ghi_cs[:, j] = cs["ghi"].to_numpy()
        dni_cs[:, j] = cs["dni"].to_numpy()
    ghi_cs = np.nan_to_num(np.clip(ghi_cs, 0, None))
    dni_cs = np.nan_to_num(np.clip(dni_cs, 0, None))
    g0h = dni_extra[:, None] * np.clip(np.cos(np.radians(zen)), 0, None)
    return SolarGeometry(zen, app, azi, dni_extra, ghi_cs, dni_cs, g0h, index.day_of_year.to_numpy())


def _month_of_day(index: pd.DatetimeIndex) -> np.ndarray:
    return index.month.to_numpy()[::24] - 1  # (365,) 0..11


@dataclass
class SiteWeather:
    """Hourly weather for all sites, arrays shaped (8760, n_sites)."""
    index: pd.DatetimeIndex
    sites: list[Site]
    geometry: SolarGeometry
    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    temp_air: np.ndarray
    wind_speed: np.ndarray          # at each site's wind_height
    csi_daily: np.ndarray           # (365, n) daily clear-sky index
    ghi_target_monthly: np.ndarray  # (12, n) kWh/m2 (nan where the site has no annual_ghi)


# ----------------------------------------------------------------------------------------------- irradiance
def ghi_anomaly(tables: WeatherTables, sites: list[Site], seed: int, year: int) -> np.ndarray:
    """(12, n) multiplicative anomaly of each site's monthly GHI in a sampled year, mean 1:

        f[m, i] = exp(s_y y_i + s_m x_{m,i} - (s_y^2 + s_m^2) / 2)

    with y (the year) and x (each month) standard normal, correlated between sites exp(-d / ghi_anomaly_corr_length);
    s_y = ghi_year_sd, s_m = ghi_month_sd (ghi_month_sd_monsoon in June-August)."""
    w = tables.weather
    chol = _cholesky(sites, w["ghi_anomaly_corr_length"], 0.0)
    y = site_normals(_rng(seed, year, "ghi-anomaly-year"), 1, len(sites)) @ chol.T
    x = site_normals(_rng(seed, year, "ghi-anomaly-month"), 12, len(sites)) @ chol.T
    s_m = np.full((12, 1), w["ghi_month_sd"])
    s_m[5:8] = w["ghi_month_sd_monsoon"]
    s_y = w["ghi_year_sd"]
    return np.exp(s_y * y + s_m * x - 0.5 * (s_y ** 2 + s_m ** 2))


def hourly_clearness_driver(tables: WeatherTables, sites: list[Site], seed: int, year: int) -> np.ndarray:
    """(8760, n) standard-normal driver of the hourly clear-sky index around the day's value:
    e = sqrt(1 - r) e_local + sqrt(r) e_regional, e_local an hourly AR(1) (clearness_hourly_ar1) correlated
    (1 - clearness_hourly_nugget) exp(-d / clearness_hourly_corr_length) between sites (individual cloud fields:
    what a fleet smooths), e_regional a persistent AR(1) (clearness_hourly_regional_ar1) correlated
    exp(-d / clearness_hourly_regional_corr_length) (a front arriving in the afternoon over the whole province);
    r = clearness_hourly_regional_share."""
    w = tables.weather
    chol = _cholesky(sites, w["clearness_hourly_corr_length"], w["clearness_hourly_nugget"])
    local = correlated_ar1(_rng(seed, year, "clearness-hourly"), HOURS, chol, w["clearness_hourly_ar1"])
    r = w["clearness_hourly_regional_share"]
    if r <= 0:
        return local
    chol_r = _cholesky(sites, w["clearness_hourly_regional_corr_length"], 0.0)
    regional = correlated_ar1(_rng(seed, year, "clearness-regional"), HOURS, chol_r, w["clearness_hourly_regional_ar1"])
    return np.sqrt(1.0 - r) * local + np.sqrt(r) * regional


def _clearness(tables: WeatherTables, sites: list[Site], geo: SolarGeometry, index, seed: int, year: int,
               sampled: bool = False):
    w = tables.weather
    n = len(sites)
    months = _month_of_day(index)
    kt = np.array([w[f"kt_{m:02d}"] for m in range(1, 13)])

    daily = lambda a: a.reshape(DAYS, 24, -1).sum(axis=1)  # noqa: E731  W/m2-hours -> Wh/m2 per day
    h0_d = daily(geo.g0h)                      # (365, n)
    hcs_d = daily(geo.ghi_clear)
    h0_m = np.stack([h0_d[months == m].sum(axis=0) for m in range(12)])  # (12, n) Wh/m2

    annual = np.array([s.params.get("annual_ghi", np.nan) for s in sites])   # kWh/m2/yr
    weight = kt[:, None] * h0_m
    target_m = annual[None, :] * weight / weight.sum(axis=0, keepdims=True)   # kWh/m2 per month
    # sites without a GHI target (wind sites): follow the climatology as is
    target_m = np.where(np.isnan(target_m), kt[:, None] * h0_m / 1000.0, target_m)
    if sampled:
        target_m = target_m * ghi_anomaly(tables, sites, seed, year)

    # stochastic drivers (fixed across calibration iterations)
    chol = _cholesky(sites, w["clearness_corr_length"], w["clearness_nugget"])
    z = correlated_ar1(_rng(seed, year, "clearness-daily"), DAYS, chol, w["clearness_daily_ar1"])
    u = np.clip(special.ndtr(z), 1e-6, 1 - 1e-6)
    e_h = hourly_clearness_driver(tables, sites, seed, year)

    cmax, nu = w["clearness_daily_max"], w["clearness_concentration"]
    sig0, hmax = w["clearness_hourly_sigma"], w["clearness_hourly_max"]
    # initial daily mean clear-sky index from the monthly KT target
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.nan_to_num(kt[months][:, None] * h0_d / hcs_d, nan=0.5)
    factor = np.ones((12, n))
    for _ in range(int(w["calibration_iterations"]) + 1):
        m = np.clip(mu * factor[months] / cmax, 0.03, 0.97)
        csi_d = cmax * special.betaincinv(m * nu, (1 - m) * nu, u)
        x = csi_d / cmax
        sig = sig0 * 4 * x * (1 - x)
        csi_h = np.repeat(csi_d, 24, axis=0) * np.exp(np.repeat(sig, 24, axis=0) * e_h
                                                       - 0.5 * np.repeat(sig, 24, axis=0) ** 2)
        csi_h = np.clip(csi_h, 0.0, hmax)
        ghi = csi_h * geo.ghi_clear
        got_m = np.stack([ghi.reshape(DAYS, 24, n).sum(axis=1)[months == mm].sum(axis=0) for mm in range(12)]) / 1000
        factor = factor * target_m / np.maximum(got_m, 1e-9)
    ghi, csi_d = _rescale_months(ghi, csi_d, geo.ghi_clear * hmax, target_m, months)
    target_m = np.where(np.isnan(annual)[None, :], np.nan, target_m)
    return ghi, csi_d, target_m


def _rescale_months(ghi, csi_d, ghi_cap, target_m, months, passes: int = 3):
    """A month the Beta calibration cannot bring to its target (a long overcast spell drawn in a month whose target
    needs the Beta mean beyond its bound) is rescaled directly: GHI x target / got, capped at clearness_hourly_max x
    the clear sky, and its daily clear-sky index by the same factor. A no-op (factor 1) where the calibration met the
    target."""
    hours = np.repeat(months, 24)
    for _ in range(passes):
        got = np.stack([ghi[hours == m].sum(axis=0) for m in range(12)]) / 1000
        fix = np.where(got > 0, target_m / np.maximum(got, 1e-9), 1.0)
        ghi = np.minimum(ghi * fix[hours], ghi_cap)   # always the same passes: no threshold, no jump
        csi_d = csi_d * fix[months]
    return ghi, csi_d


def decompose(ghi: np.ndarray, zenith: np.ndarray, doy: np.ndarray, dni_clear: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DNI and DHI (W/m2) from GHI by the Erbs model, column by column (arrays shaped (8760, n)).

    DNI is capped at 1.1 x clear-sky DNI; DHI is then recomputed so that GHI = DNI cos z + DHI holds exactly."""
    dni = np.empty_like(ghi)
    dhi = np.empty_like(ghi)
    for j in range(ghi.shape[1]):
        out = pvlib.irradiance.erbs(ghi[:, j], zenith[:, j], doy)
        dni[:, j] = np.nan_to_num(out["dni"])
        dhi[:, j] = np.nan_to_num(out["dhi"])
    dni = np.minimum(dni, np.maximum(dni_clear * 1.1, 0))
    cosz = np.clip(np.cos(np.radians(zenith)), 0, None)
    dhi = np.clip(ghi - dni * cosz, 0, None)   # keep closure GHI = DNI cos z + DHI after the cap
    return dni, dhi


def _decompose(ghi: np.ndarray, geo: SolarGeometry) -> tuple[np.ndarray, np.ndarray]:
    return decompose(ghi, geo.zenith, geo.doy, geo.dni_clear)


# ---------------------------------------------------------------------------------------------- temperature
def _daily_normals(index: pd.DatetimeIndex, normals: np.ndarray) -> np.ndarray:
    days = index[::24]
    doy = days.day_of_year.to_numpy().astype(float)
    months = days.month.to_numpy() - 1
    mid = np.array([days[months == m].day_of_year.to_numpy().mean() for m in range(12)])
    xp = np.concatenate([mid - 365, mid, mid + 365])
    t = np.interp(doy, xp, np.tile(normals, 3))
    for _ in range(3):   # restore the monthly means exactly (smooth curve, then small monthly shifts)
        for m in range(12):
            sel = months == m
            t[sel] += normals[m] - t[sel].mean()
    return t


def _temperature(tables, sites, index, csi_d, seed, year):
    w = tables.weather
    normals = np.array([w[f"temp_normal_{m:02d}"] for m in range(1, 13)])
    base = _daily_normals(index, normals)[:, None] + np.array([s.params["temp_offset"] for s in sites])[None, :]
    chol = _cholesky(sites, w["temp_corr_length"], 0.05)
    anom = w["temp_anomaly_sd"] * correlated_ar1(_rng(seed, year, "temperature"), DAYS, chol, w["temp_anomaly_ar1"])
    anom -= anom.mean(axis=0, keepdims=True)   # the annual mean follows the normals exactly
    t_day = base + anom
    half = (w["temp_half_range_base"] + w["temp_half_range_clear"] * csi_d)
    half = half * np.array([w[f"temp_diurnal_factor_{s.kind}"] for s in sites])[None, :]
    hour = index.hour.to_numpy() + 0.5
    shape = np.cos(2 * np.pi * (hour - w["temp_peak_hour"]) / 24.0)[:, None]
    return np.repeat(t_day, 24, axis=0) + np.repeat(half, 24, axis=0) * shape


# ----------------------------------------------------------------------------------------------------- wind
def weibull_from_gaussian(z: np.ndarray, mean: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Map standard-normal scores to Weibull(k, c) with c = mean / Gamma(1 + 1/k)."""
    c = mean / special.gamma(1.0 + 1.0 / k)
    u = np.clip(special.ndtr(z), 1e-9, 1 - 1e-9)
    return c * (-np.log1p(-u)) ** (1.0 / k)


def wind_driver(tables: WeatherTables, sites: list[Site], seed: int, year: int) -> np.ndarray:
    """(8760, n) standard-normal wind driver g = sqrt(1 - m) g_syn + sqrt(m) g_meso: g_syn an hourly AR(1)
    (wind_hourly_ar1) filtered twice, correlated (1 - wind_nugget) exp(-d / wind_corr_length) between sites, g_meso an
    hourly AR(1) (wind_meso_ar1) correlated exp(-d / wind_meso_corr_length); m = wind_meso_share near the ground
    (fitted to the 10 m anemometers), wind_meso_share_hub at hub height and at sea (smoother)."""
    w = tables.weather
    phi = w["wind_hourly_ar1"]
    syn = correlated_ar1(_rng(seed, year, "wind"), HOURS, _cholesky(sites, w["wind_corr_length"], w["wind_nugget"]), phi)
    # the synoptic part is filtered twice (covariance (1 + τ/T) e^(-τ/T), T = -1/ln φ): smooth from hour to hour
    # as large weather systems are, yet forgetting a day in about a day; unit variance restored
    syn = _ar1_filter(syn, phi) / np.sqrt((1.0 + phi * phi) / (1.0 - phi * phi))
    m = np.array([w["wind_meso_share"] if _surface(s) else w["wind_meso_share_hub"] for s in sites])
    if not (m > 0).any():
        return syn
    meso = correlated_ar1(_rng(seed, year, "wind-meso"), HOURS, _cholesky(sites, w["wind_meso_corr_length"], 0.0),
                          w["wind_meso_ar1"])
    return np.sqrt(1.0 - m)[None, :] * syn + np.sqrt(m)[None, :] * meso


def _surface(site: Site) -> bool:
    """A land (or inland water) site whose wind is given near the ground (a 10 m anemometer)."""
    return site.kind != "offshore" and site.params["wind_height"] <= SURFACE_HEIGHT_M


def diurnal_wind_amplitude(tables: WeatherTables, sites: list[Site]) -> np.ndarray:
    """Amplitude (Gaussian-score units) of each site's daily wind cycle: sea and open water at any height
    (wind_diurnal_amplitude_sea), land near the ground (reference height <= SURFACE_HEIGHT_M:
    wind_diurnal_amplitude_surface, the afternoon mixing maximum of a 10 m anemometer), land at hub height
    (wind_diurnal_amplitude_land)."""
    w = tables.weather
    return np.array([w["wind_diurnal_amplitude_sea"] if s.kind == "offshore"
                     else w["wind_diurnal_amplitude_surface"] if _surface(s)
                     else w["wind_diurnal_amplitude_land"] for s in sites])


def wind_year_factor(tables: WeatherTables, sites: list[Site], seed: int, year: int) -> np.ndarray:
    """(n,) factor on each site's annual mean wind speed in a sampled year: exp(s a - s^2 / 2), a standard normal
    correlated exp(-d / wind_year_corr_length) between sites, s = wind_year_sd."""
    w = tables.weather
    a = site_normals(_rng(seed, year, "wind-year"), 1, len(sites))[0] @ _cholesky(sites, w["wind_year_corr_length"], 0.0).T
    return np.exp(w["wind_year_sd"] * a - 0.5 * w["wind_year_sd"] ** 2)


def _wind(tables, sites, index, seed, year, anchors=None, sampled=False):
    w = tables.weather
    g = wind_driver(tables, sites, seed, year)
    for j, s in enumerate(sites):   # measured daily anomaly of a coastal station (re300.weather.measured)
        if anchors and s.site in anchors:
            a, weight = anchors[s.site]
            g[:, j] = weight * np.asarray(a, float) + np.sqrt(1.0 - weight * weight) * g[:, j]
    doy = index.day_of_year.to_numpy().astype(float)
    hour = index.hour.to_numpy() + 0.5
    a_s = w["wind_seasonal_amplitude"]
    seasonal = a_s * np.cos(2 * np.pi * (doy - w["wind_seasonal_peak_day"]) / 365.0)
    a_d = diurnal_wind_amplitude(tables, sites)
    diurnal = np.cos(2 * np.pi * (hour - w["wind_diurnal_peak_hour"]) / 24.0)[:, None] * a_d[None, :]
    noise_sd = np.sqrt(np.clip(1.0 - a_s ** 2 / 2 - a_d ** 2 / 2, 0.05, None))
    z = seasonal[:, None] + diurnal + noise_sd[None, :] * g
    mean = np.array([s.params["mean_wind_speed"] for s in sites])
    k = np.array([s.params["weibull_k"] for s in sites])
    v = weibull_from_gaussian(z, mean[None, :], k[None, :])
    if sampled:
        mean = mean * wind_year_factor(tables, sites, seed, year)
    return v * (mean / v.mean(axis=0))[None, :]


# ------------------------------------------------------------------------------------------------------ all
def synthesize(tables: WeatherTables, site_names: list[str], year: int, seed: int,
               wind_anchors: dict | None = None, sampled: bool = False) -> SiteWeather:
    """The synthetic weather of `site_names` (sites of sites.csv or fleet members) in `year`. `wind_anchors` (site ->
    (hourly standardised driver, weight w)) replaces a site's Gaussian wind driver g by w a + sqrt(1 - w^2) g before
    the seasonal and diurnal cycles and the Weibull mapping, so the site keeps its mean and shape but shares the
    driver's events. `sampled`: draw the year's anomalies of monthly GHI and annual mean wind (see the module
    docstring); False gives the typical year (monthly GHI and mean wind at their calibration targets)."""
    sites = [tables.site(s) for s in site_names]
    index = hourly_index(year)
    geo = solar_geometry(index, sites)
    ghi, csi_d, target_m = _clearness(tables, sites, geo, index, seed, year, sampled)
    dni, dhi = _decompose(ghi, geo)
    temp = _temperature(tables, sites, index, csi_d, seed, year)
    wind = _wind(tables, sites, index, seed, year, wind_anchors, sampled)
    return SiteWeather(index, sites, geo, ghi, dni, dhi, temp, wind, csi_d, target_m)
