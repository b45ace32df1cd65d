"""Weather -> AC output per unit of nameplate capacity (capacity factor), for PV systems and wind farms.

PV (per MW of DC nameplate, MWp -- the capacity convention of Korean PV statistics and of PV cost figures):
    Perez transposition (pvlib ``get_total_irradiance(model='perez')`` with dni_extra and relative airmass), physical
    IAM on beam and (Marion-integrated) diffuse, soiling, PVsyst cell temperature with the system's U-values,
    PVWatts DC model with the module temperature coefficient, PVWatts DC-side losses, PVWatts inverter with the
    DC/AC ratio (AC clipping at 1/dc_ac_ratio of DC nameplate), times availability.

Wind (per MW of turbine rated power):
    hub-height speed by the power law (shear exponent) from the site's reference height, air-density correction of the
    speed (IEC 61400-12-1 for pitch-regulated turbines: v * (rho / rho_ref)^(1/3)), the tabulated reference-turbine
    power curve (linear interpolation, 0 below the first tabulated speed and above cut-out) smoothed with a Gaussian of
    sigma = base + slope*v for the spread of hourly wind within a farm, then wake loss, electrical loss and
    availability.
"""
from __future__ import annotations

import numpy as np
import pvlib

from .synth import SiteWeather
from .tables import PowerCurve, PVSystem, WindFarm

R_DRY = 287.05       # J/(kg K)
LAPSE = 0.0065       # K/m


def pv_capacity_factor(wx: SiteWeather, j: int, system: PVSystem) -> np.ndarray:
    p = system.params
    geo = wx.geometry
    tilt, azim = p["tilt"], p["azimuth"]
    app, azi = geo.apparent_zenith[:, j], geo.azimuth[:, j]
    airmass = pvlib.atmosphere.get_relative_airmass(app)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, azim, app, azi, wx.dni[:, j], wx.ghi[:, j], wx.dhi[:, j],
        dni_extra=geo.dni_extra, airmass=airmass, albedo=p["albedo"], model="perez")
    aoi = pvlib.irradiance.aoi(tilt, azim, app, azi)
    iam_beam = pvlib.iam.physical(aoi)
    iam_diff = pvlib.iam.marion_diffuse("physical", tilt)
    effective = (np.nan_to_num(poa["poa_direct"]) * np.nan_to_num(iam_beam)
                 + np.nan_to_num(poa["poa_sky_diffuse"]) * float(iam_diff["sky"])
                 + np.nan_to_num(poa["poa_ground_diffuse"]) * float(iam_diff["ground"]))
    effective = np.clip(effective, 0, None) * (1.0 - p["loss_soiling"])
    poa_global = np.clip(np.nan_to_num(poa["poa_global"]), 0, None)
    t_cell = pvlib.temperature.pvsyst_cell(poa_global, wx.temp_air[:, j], wx.wind_speed[:, j], u_c=p["u_c"],
                                           u_v=p["u_v"], module_efficiency=p["module_efficiency"],
                                           alpha_absorption=p["alpha_absorption"])
    pdc = pvlib.pvsystem.pvwatts_dc(effective, t_cell, 1.0, p["gamma_pdc"])
    dc_loss = pvlib.pvsystem.pvwatts_losses(
        soiling=0.0, shading=100 * p["loss_shading"], snow=0.0, mismatch=100 * p["loss_mismatch"],
        wiring=100 * p["loss_wiring"], connections=100 * p["loss_connections"], lid=100 * p["loss_lid"],
        nameplate_rating=100 * p["loss_nameplate"], age=0.0, availability=0.0) / 100.0
    pdc = np.clip(np.asarray(pdc, float), 0, None) * (1.0 - dc_loss)
    pac0 = 1.0 / p["dc_ac_ratio"]
    pac = pvlib.inverter.pvwatts(pdc, pac0 / p["inverter_eta_nom"], eta_inv_nom=p["inverter_eta_nom"])
    cf = np.clip(np.nan_to_num(np.asarray(pac, float)), 0, None) * p["availability"]
    return np.clip(cf, 0.0, 1.0)


def power_curve_output(wind_speed, curve: PowerCurve, cut_out_speed: float | None = None) -> np.ndarray:
    """Turbine output in kW from the tabulated curve: linear interpolation; 0 below the first tabulated speed
    (cut-in) and above cut-out (default: the last tabulated speed)."""
    v = np.asarray(wind_speed, float)
    cut_out = curve.wind_speed_ms[-1] if cut_out_speed is None else cut_out_speed
    p = np.interp(v, curve.wind_speed_ms, curve.power_kw)
    return np.where((v < curve.wind_speed_ms[0]) | (v > cut_out) | ~np.isfinite(v), 0.0, p)


def smoothed_power_curve(curve: PowerCurve, cut_out: float, sigma_base: float, sigma_slope: float,
                         step: float = 0.05, vmax: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian-smoothed (multi-turbine) power curve on a grid: P_s(v) = E[P(v + sigma(v) * N(0,1))]."""
    grid = np.arange(0.0, vmax + step / 2, step)
    raw = power_curve_output(grid, curve, cut_out)
    if sigma_base <= 0 and sigma_slope <= 0:
        return grid, raw
    sigma = np.maximum(sigma_base + sigma_slope * grid, step)
    w = np.exp(-0.5 * ((grid[None, :] - grid[:, None]) / sigma[:, None]) ** 2)
    w /= w.sum(axis=1, keepdims=True)
    return grid, w @ raw


def air_density(temp_air_c: np.ndarray, elevation_m: float, hub_height_m: float) -> np.ndarray:
    """Air density at hub height (kg/m3) from the standard-atmosphere pressure and the hub-height temperature."""
    z = elevation_m + hub_height_m
    pressure = 101325.0 * (1.0 - 2.25577e-5 * z) ** 5.25588
    t_k = np.asarray(temp_air_c, float) + 273.15 - LAPSE * hub_height_m
    return pressure / (R_DRY * t_k)


def hub_wind_speed(wx: SiteWeather, j: int, hub_height: float, shear_exponent: float) -> np.ndarray:
    h_ref = wx.sites[j].params["wind_height"]
    return wx.wind_speed[:, j] * (hub_height / h_ref) ** shear_exponent


def wind_capacity_factor(wx: SiteWeather, j: int, farm: WindFarm) -> np.ndarray:
    p = farm.params
    v = hub_wind_speed(wx, j, p["hub_height"], p["shear_exponent"])
    rho = air_density(wx.temp_air[:, j], wx.sites[j].elevation_m, p["hub_height"])
    v_eq = v * (rho / p["reference_air_density"]) ** (1.0 / 3.0)
    grid, curve = smoothed_power_curve(farm.curve, p["cut_out_speed"], p["smoothing_sigma_base"],
                                       p["smoothing_sigma_slope"])
    power = np.interp(v_eq, grid, curve, right=0.0)
    cf = power / p["rated_power"] * (1.0 - p["wake_loss"]) * (1.0 - p["electrical_loss"]) * p["availability"]
    return np.clip(cf, 0.0, 1.0)
