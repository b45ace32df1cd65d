"""Energy accounting recomputed from the hourly results in results.nc: the energy balance of every region and
snapshot, the renewable target (the accounting rule of README.md) and the export commitment, each against summary.csv.
Independent of re300.results.tables.summary."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from re300.results.tables import energy_balance_residual

from .checks import (
    ABS_TOL_MWH,
    BALANCE_TOL,
    REL_TOL,
    Check,
    is_close,
    is_pathway,
    one_or_per_period,
    period_views,
    summary_of_period,
    weighted_mwh,
)


def _balance(view: xr.Dataset, tolerance_mw: float | None = None) -> tuple[list[str], dict]:
    """Energy balance of one period: (problems, facts: worst residual [MW], where, region-snapshots, tolerance);
    `tolerance_mw` widens the tolerance for a first-order solution (audit.checks.first_order_tolerance_mw)."""
    resid = energy_balance_residual(view)
    scale = float(np.nanmax(np.abs(view["demand_mw"].values))) if view["demand_mw"].size else 1.0
    tol = max(BALANCE_TOL * max(scale, 1.0), tolerance_mw or 0.0)
    a = np.abs(resid.values)
    if not np.all(np.isfinite(a)):
        return ["the balance residual is not a number in some region and snapshot"], {"worst": np.inf, "n": a.size}
    r, t = np.unravel_index(int(np.argmax(a)), a.shape)
    worst = float(a[r, t])
    where = f"{resid['region'].values[r]} at {pd.Timestamp(resid['time'].values[t])}"
    facts = {"worst": worst, "where": where, "n": a.size, "tol": tol}
    if worst > tol:
        return [f"off by {worst:,.6g} MW in {where} (tolerance {tol:.3g} MW)"], facts
    return [], facts


def check_energy_balance(ds: xr.Dataset, tolerance_mw: float | None = None) -> Check:
    """Supply + discharge + net import + unserved − demand − charge − exports received is zero in every region and
    snapshot (every period of a pathway); within `tolerance_mw` for a first-order solution (stated in the verdict)."""
    results = [(y, *_balance(view, tolerance_mw)) for y, view in period_views(ds)]
    if not is_pathway(ds):
        problems, f = results[0][1], results[0][2]
        if problems:
            return Check("energy_balance", False, problems[0])
        stated = f"; first-order solution, tolerance {f['tol']:.3g} MW" if tolerance_mw else ""
        return Check("energy_balance", True, f"closes in all {f['n']:,} region-snapshots (largest residual {f['worst']:.3g} MW, "
                                             f"{f['where']}{stated})")
    failed = [(y, p) for y, p, _ in results if p]
    if failed:
        return one_or_per_period("energy_balance", [(y, p, "") for y, p, _ in results])
    y, _, worst = max(results, key=lambda r: r[2]["worst"])
    n = sum(f["n"] for _, _, f in results)
    return Check("energy_balance", True, f"closes in all {n:,} region-snapshots of {len(results)} periods (largest residual "
                                         f"{worst['worst']:.3g} MW, {y} {worst['where']})")


def _accounting(ds: xr.Dataset) -> dict[str, float]:
    """The target accounting recomputed from the hourly results (independent of re300.results.tables.summary)."""
    w = ds["weight_h"].values.astype(float)
    honam = np.asarray(ds["region_kind"].values).astype(str) == "honam"
    consumption = float((np.nan_to_num(ds["demand_mw"].values)[honam] @ w).sum())
    renewable = np.nan_to_num(ds["input_generator_renewable"].values) > 0
    generation = weighted_mwh(ds["dispatch_mw"], w)  # technology x region
    re_gen = float(generation[renewable].sum())
    storage_loss = float(weighted_mwh(ds["storage_charge_mw"], w).sum() - weighted_mwh(ds["storage_discharge_mw"], w).sum())
    eff = ds["input_link_efficiency"].values.astype(float)
    sent = weighted_mwh(ds["flow_forward_mw"], w) + weighted_mwh(ds["flow_backward_mw"], w)
    link_loss = float(((1 - eff) * sent).sum())
    counted = re_gen
    if float(ds["input_deduct_storage_losses"]) > 0:
        counted -= storage_loss
    if float(ds["input_deduct_transmission_losses"]) > 0:
        counted -= link_loss
    regions = [str(r) for r in ds["region"].values]
    kind_of = dict(zip(regions, np.asarray(ds["region_kind"].values).astype(str)))
    out_of_honam = np.array([kind_of[str(a)] == "honam" and kind_of[str(b)] == "export"
                             for a, b in zip(ds["link_from"].values, ds["link_to"].values)], dtype=bool)
    fwd, bwd = weighted_mwh(ds["flow_forward_mw"], w), weighted_mwh(ds["flow_backward_mw"], w)
    # net delivery: arriving in export regions minus what flows back over the same (two-way) routes
    delivered = float((eff * fwd)[out_of_honam].sum() - bwd[out_of_honam].sum())
    sold_e = 0.0
    if "storage_sold_mw" in ds:
        sold = weighted_mwh(ds["storage_sold_mw"], w)
        sold_e = float(np.nansum(sold / ds["input_storage_efficiency_charge"].values))
    counts_sales = "input_sales_count_as_export" in ds and float(ds["input_sales_count_as_export"]) > 0
    if "storage_sold_mw" in ds and float(ds["input_deduct_storage_losses"]) > 0:
        counted += sold_e  # electricity that left as hydrogen sold is not a storage loss
    return {"consumption": consumption, "renewable_generation": re_gen, "counted": counted, "delivered": delivered,
            "sold_electricity": sold_e, "export_counted": delivered + (sold_e if counts_sales else 0.0)}


def _summary_problems(summary: pd.Series | None, expected: tuple, abs_tol: float) -> list[str]:
    if summary is None:
        return ["summary.csv missing"]
    return [f"summary.csv {metric} = {summary.get(metric)} but the results give {value:,.6g}"
            for metric, value in expected if metric not in summary or not is_close(float(summary[metric]), value, abs_tol)]


def _renewable(view: xr.Dataset, summary: pd.Series | None) -> tuple[list[str], dict]:
    acc = _accounting(view)
    share = float(view["input_renewable_share"])
    shortfall = float(view["renewable_shortfall_mwh"])
    problems = []
    if np.isfinite(share):
        need = share * acc["consumption"]
        if acc["counted"] + shortfall < need * (1 - REL_TOL) - ABS_TOL_MWH:
            problems.append(f"counted renewable {acc['counted']:,.0f} MWh + shortfall {shortfall:,.0f} MWh is below "
                            f"{share:g} x consumption = {need:,.0f} MWh")
    problems += _summary_problems(summary, (("honam_consumption", acc["consumption"]), ("renewable_counted", acc["counted"]),
                                            ("renewable_generation", acc["renewable_generation"]),
                                            ("renewable_shortfall", shortfall)), ABS_TOL_MWH)
    return problems, {**acc, "share": share, "shortfall": shortfall}


def check_renewable_target(ds: xr.Dataset, summary: pd.DataFrame | pd.Series | None) -> Check:
    """`summary`: summary.csv as read (a Series metric -> value is accepted for a single-year run)."""
    results = []
    for y, view in period_views(ds):
        problems, f = _renewable(view, summary if isinstance(summary, pd.Series) else summary_of_period(summary, y))
        twh = lambda x: x / 1e6  # noqa: E731
        if not np.isfinite(f["share"]):
            text = "no target"
        elif y is None:
            text = (f"counted {twh(f['counted']):,.3f} TWh + shortfall {twh(f['shortfall']):,.3f} TWh >= {f['share']:g} x "
                    f"{twh(f['consumption']):,.3f} TWh")
        else:
            text = (f"{twh(f['counted']):,.3f} + shortfall {twh(f['shortfall']):,.3f} >= {f['share']:g} x "
                    f"{twh(f['consumption']):,.3f} TWh")
        results.append((y, problems, text))
    return one_or_per_period("renewable_target", results, lead="counted renewable energy per period: ")


def _export(view: xr.Dataset, summary: pd.Series | None) -> tuple[list[str], dict]:
    acc = _accounting(view)
    share = float(view["input_export_share"])
    shortfall = float(view["export_shortfall_mwh"])
    problems = []
    if np.isfinite(share):
        need = share * acc["consumption"]
        if acc["export_counted"] + shortfall < need * (1 - REL_TOL) - ABS_TOL_MWH:
            problems.append(f"exports counted {acc['export_counted']:,.0f} MWh + shortfall {shortfall:,.0f} MWh is below "
                            f"{share:g} x consumption = {need:,.0f} MWh")
    if summary is not None:
        problems += _summary_problems(summary, (("exports_delivered", acc["delivered"]), ("export_shortfall", shortfall))
                                      + ((("exports_counted", acc["export_counted"]),) if "exports_counted" in summary else ()),
                                      ABS_TOL_MWH)
    return problems, {**acc, "share": share, "shortfall": shortfall}


def check_export_commitment(ds: xr.Dataset, summary: pd.DataFrame | pd.Series | None) -> Check:
    """Net energy delivered to export regions (flows out of Honam x efficiency, minus flows back over the same routes),
    plus the electricity behind hydrogen sold where it counts, + shortfall ≥ share x consumption; summary.csv agrees."""
    results = []
    for y, view in period_views(ds):
        problems, f = _export(view, summary if isinstance(summary, pd.Series) else summary_of_period(summary, y))
        text = f"{f['delivered'] / 1e6:,.3f} TWh delivered (net)" + (
            f" + {f['sold_electricity'] / 1e6:,.3f} TWh as hydrogen sold" if f["export_counted"] != f["delivered"] else "")
        if np.isfinite(f["share"]):
            text += f" + shortfall {f['shortfall'] / 1e6:,.3f} TWh >= {f['share']:g} x consumption"
        elif y is not None:
            text += " (no commitment)"
        results.append((y, problems, text))
    return one_or_per_period("export_commitment", results, lead="exports per period: ")
