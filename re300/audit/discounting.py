"""What only a pathway run has: the objective weight of each investment period, recomputed from the period years
(`discounted_years`, written out here instead of calling re300.model.data.period_weights, so the check does not trust
the code it checks), and for a myopic pathway the hand-over of builds from one period LP to the next."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .checks import ABS_TOL_MW, CSV_REL_TOL, REL_TOL, WEIGHT_REL_TOL, Check, asset_flags, asset_label


def check_discounting(manifest: dict, ds: xr.Dataset, summary: pd.DataFrame | None) -> Check:
    """Pathway runs: the objective weights W_p recomputed from the periods (see the module docstring)."""
    years = ds["period"].values.astype(np.int64)
    span = ds["input_period_span_yr"].values.astype(float)
    interval = ds["input_period_build_interval_yr"].values.astype(float)
    base = int(ds.attrs["pathway_base_year"])
    rate = float(ds.attrs["pathway_discount_rate"])
    recorded = manifest.get("pathway") or {}
    problems = []
    if np.any(span[:-1] != np.diff(years)):
        problems.append(f"period spans {span.tolist()} do not run to the next period of {years.tolist()}")
    final = ((manifest.get("scenario") or {}).get("pathway") or {}).get("final_period_years")
    if final is not None and span[-1] != float(final):
        problems.append(f"the last period spans {span[-1]:g} years but the scenario's final_period_years is {final}")
    if np.any(interval != np.diff(np.r_[base, years])):
        problems.append(f"build intervals {interval.tolist()} are not the years since the previous period (base {base})")
    for key, value in (("periods", years.tolist()), ("base_year", base), ("discount_rate", rate), ("span_yr", span.tolist())):
        if key in recorded and not np.allclose(np.asarray(recorded[key], float), np.asarray(value, float), rtol=1e-12, atol=0):
            problems.append(f"manifest.json pathway.{key} = {recorded[key]} but results.nc gives {value}")
    scenario_rate = ((manifest.get("scenario") or {}).get("prices") or {}).get("discount_rate")
    if scenario_rate is not None and not np.isclose(float(scenario_rate), rate, rtol=1e-12, atol=0):
        problems.append(f"discount rate {rate} in results.nc but the scenario sets prices.discount_rate {scenario_rate}")
    W = discounted_years(years, span, base, rate)
    sources = {"results.nc input_period_objective_weight": ds["input_period_objective_weight"].values,
               "results.nc period_objective_weight": ds["period_objective_weight"].values}
    if "objective_weight" in recorded:
        sources["manifest.json pathway.objective_weight"] = recorded["objective_weight"]
    if summary is not None and "period" in summary:
        rows = summary[summary["metric"] == "period_objective_weight"]
        got = dict(zip(rows["period"].astype(str), pd.to_numeric(rows["value"], errors="coerce")))
        sources["summary.csv period_objective_weight"] = [got.get(str(y), np.nan) for y in years]
        r = summary.loc[(summary["period"].astype(str) == "all") & (summary["metric"] == "discount_rate"), "value"]
        if len(r) != 1 or not np.isclose(float(r.iloc[0]), rate, rtol=CSV_REL_TOL, atol=0):
            problems.append(f"summary.csv discount_rate = {r.tolist()} but results.nc gives {rate}")
    elif summary is None:
        problems.append("summary.csv missing")
    for source, values in sources.items():
        values = np.asarray(values, float)
        bad = ~np.isclose(values, W, rtol=WEIGHT_REL_TOL, atol=0)
        for p in np.flatnonzero(bad)[:2]:
            problems.append(f"period {years[p]}: {source} = {values[p]:.10g} but W_p recomputed = {W[p]:.10g}")
    if problems:
        return Check("discounting", False, "; ".join(problems))
    weights = ", ".join(f"{y} {w:.4f}" for y, w in zip(years, W))
    return Check("discounting", True, f"W_p at {rate:.2%}/yr to {base} ({weights} discounted years) equal in results.nc, "
                                      "manifest.json and summary.csv")


def discounted_years(years, span_yr, base_year: int, rate: float) -> np.ndarray:
    """W_p = Σ_{y = year_p}^{year_p + span_p − 1} (1 + rate)^−(y − base_year) [discounted years] (written out here
    on purpose instead of calling re300.model.data.period_weights, so the check does not trust the code it checks)."""
    out = []
    for y0, n in zip(np.asarray(years, int), np.asarray(span_yr, float).astype(int)):
        out.append(sum((1.0 + rate) ** -(y - base_year) for y in range(int(y0), int(y0) + n)))
    return np.array(out, float)


def myopic_problems(manifest: dict, ds: xr.Dataset) -> tuple[list[str], str]:
    """A myopic pathway: every period LP Optimal (manifest) and the pathway LP's builds equal the hand-over
    (`input_fixed_build_*` in results.nc)."""
    years = [int(y) for y in ds["period"].values]
    steps = (manifest.get("pathway") or {}).get("myopic_steps") or []
    problems = []
    if [s.get("year") for s in steps] != years:
        problems.append(f"manifest.json lists myopic steps for {[s.get('year') for s in steps]}, expected {years}")
    for s in steps:
        if s.get("status") != "Optimal":
            problems.append(f"myopic period {s.get('year')} LP finished '{s.get('status')}'; expected 'Optimal'")
    flags = asset_flags(ds)
    compared = 0
    for family, built_name, mask in (("generators", "capacity_built_mw", flags["generator"]),
                                     ("storage_power", "capacity_built_mw", flags["storage"]),
                                     ("storage_energy", "energy_capacity_built_mwh", flags["storage"] & ~flags["fixed_duration"]),
                                     ("storage_charge", "charge_capacity_built_mw", flags["storage"] & flags["separate_charge"]),
                                     ("links", "link_capacity_built_mw", None)):
        name = f"input_fixed_build_{family}"
        if name not in ds or built_name not in ds:
            continue
        fixed, built = ds[name].values.astype(float), np.nan_to_num(ds[built_name].values.astype(float))
        on = np.isfinite(fixed) if mask is None else np.isfinite(fixed) & mask[..., None]
        bad = on & ~np.isclose(built, np.nan_to_num(fixed), rtol=REL_TOL, atol=ABS_TOL_MW)
        compared += int(on.sum())
        for idx in zip(*np.nonzero(bad)):
            problems.append(f"period {years[idx[-1]]}: {family} {asset_label(ds, idx[:-1])} built {built[idx]:,.6g} but "
                            f"{fixed[idx]:,.6g} was handed over")
            break
    return problems, (f"myopic: {len(steps)} period LPs Optimal, the pathway LP keeps the {compared} handed-over builds "
                      "(asset x period)")
