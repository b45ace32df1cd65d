"""Re-dispatch a plan on one weather year: its capacities fixed, the hourly series of that year, one LP.

    data = year_data(plan, year, resolution_hours=2)     # ModelData of the plan with the year's series
    row = redispatch(plan, year, resolution_hours=2)     # one row of stress.csv (re300.report.stress.COLUMNS)

The LP is the plan's own (costs, limits, targets with their shortfall penalty, unserved energy at the value of lost
load) with every build option fixed at the plan's new capacity (`ModelData.fixed_builds`, lower = upper bound), so
what is left to decide is the operation of the year: dispatch, curtailment, storage, flows, non-renewable supply and,
where the year cannot do better, unserved energy and missed targets. The adequacy rule is left out: it constrains
capacity, which is fixed (the plan met it). The hourly series come from the pipeline of `re300 solve` (`re300.run.
prepare`) run on the plan's scenario with the year's weather and a chronological horizon: `time: {mode: full,
resolution_hours: k}`, one block, so storage (the hydrogen chain's seasonal store included) carries energy across the
whole year and back to its start. Demand follows the calendar of `weather.year` in every year (the synthetic years are
years of that calendar).
"""
from __future__ import annotations

import time as _time
from dataclasses import replace

import numpy as np
import pandas as pd

from re300.config.schema import Scenario
from re300.model.data import ModelData

from .plan import CAPACITY_TOTALS, Plan
from .years import WeatherYear


def year_scenario(sc: Scenario, year: WeatherYear, resolution_hours: int) -> Scenario:
    """The plan's scenario with the weather of `year` on the chronological horizon of `resolution_hours`-hour steps."""
    d = sc.resolved_dict()
    d["weather"] = {**d["weather"], "source": year.source, "year": year.year, "seed": year.seed,
                    "variability": year.variability, "planning_years": None}
    d["time"] = {**d["time"], "mode": "full", "resolution_hours": int(resolution_hours)}
    return Scenario.model_validate(d)


def _rows(frame: pd.DataFrame, keys: list[str]) -> list[tuple]:
    return list(zip(*(frame[k].astype(str) for k in keys)))


def with_series(plan: Plan, new: ModelData) -> ModelData:
    """The plan's ModelData with the time series of `new` (the same inputs on another weather year and horizon), rows
    matched by (technology, region), regions by name; every build fixed at the plan's, no adequacy rule."""
    p = plan.data
    have = {k: i for i, k in enumerate(_rows(new.generators, ["technology", "region"]))}
    want = _rows(p.generators, ["technology", "region"])
    missing = [k for k in want if k not in have]
    if missing:
        raise ValueError(f"the year's inputs lack the plan's generators {missing}")
    re100 = None
    if p.re100_loads is not None and len(p.re100_loads):
        pos = {n: i for i, n in enumerate(new.re100_loads["name"])}
        re100 = np.asarray(new.re100_load_mw, float)[[pos[n] for n in p.re100_loads["name"]]]
    return replace(p, time=new.time, weight_h=np.asarray(new.weight_h, float),
                   duration_h=np.asarray(new.duration_h, float), block=np.asarray(new.block),
                   typical_day_order=None, demand_mw=new.demand_mw[list(p.regions)].reset_index(drop=True),
                   availability=np.asarray(new.availability, float)[[have[k] for k in want]],
                   export_headroom_mw=new.export_headroom_mw, re100_load_mw=re100, adequacy=None,
                   fixed_builds=plan.fixed_builds)


def year_data(plan: Plan, year: WeatherYear, resolution_hours: int) -> ModelData:
    """ModelData of the plan on `year` (the `plan` row: the plan's own snapshots as solved)."""
    if year.kind == "plan":
        return replace(plan.data, adequacy=None, fixed_builds=plan.fixed_builds)
    from re300.run import Phases, prepare

    _, data, _ = prepare(year_scenario(plan.scenario, year, resolution_hours), Phases(echo=False))
    return with_series(plan, data)


def redispatch(plan: Plan, year: WeatherYear, resolution_hours: int, threads: int | None = 1) -> dict:
    """Solve the plan's operation on `year` and summarise it (one stress.csv row); an error becomes the row's
    `error` (status 'failed') instead of an exception, so one bad year does not stop the others."""
    t0 = _time.perf_counter()
    base = {"name": year.name, "kind": year.kind, "weather_year": year.year, "seed": year.seed,
            "source": year.source, "variability": year.variability, "resolution_hours":
            None if year.kind == "plan" else int(resolution_hours)}
    try:
        data = year_data(plan, year, resolution_hours)
        return {**base, **solve_year(plan, data, threads), "seconds": _time.perf_counter() - t0, "error": ""}
    except Exception as e:  # noqa: BLE001 -- recorded in the row; the runner reports it
        return {**base, "status": "failed", "seconds": _time.perf_counter() - t0,
                "error": " ".join(f"{type(e).__name__}: {e}".split())[:500]}


def solve_year(plan: Plan, data: ModelData, threads: int | None = 1) -> dict:
    """Build and solve the fixed-capacity LP (HiGHS interior point without crossover: no vertex or exact duals are
    needed, only the operation and its cost) and read the year's figures from its results Dataset."""
    from re300.model.builder import build_model
    from re300.results.dataset import to_dataset
    from re300.solve.solver import SolverOptions, solve

    built = build_model(data)
    sol = solve(built, SolverOptions(method="ipm", crossover=False, threads=threads, time_limit_s=3600.0))
    if not sol.optimal:
        return {"status": sol.status, "snapshots": data.n_time}
    ds = to_dataset(built, sol, plan.data.name)
    return {"status": sol.status, "snapshots": data.n_time, **year_figures(ds), **plan_checks(plan, ds)}


def year_figures(ds) -> dict:
    """The year's figures from its results Dataset (re300.results.tables.summary), and the capacity factors of its
    wind and solar fleet (available energy / (capacity x 8760 h))."""
    from re300.results.tables import summary

    s = {k: v for k, (v, _) in summary(ds).items()}
    out = {k: s[k] for k in ("unserved_energy", "renewable_shortfall", "export_shortfall", "curtailment",
                             "curtailment_share", "nonrenewable_supply", "total_system_cost", "net_system_cost",
                             "shortfall_penalty", "objective", "renewable_ratio", "export_ratio",
                             "renewable_available", "storage_losses")}
    techs = [str(t) for t in ds.technology.values]
    w = ds["weight_h"]
    for group, words in (("wind_cf", ("wind",)), ("solar_cf", ("pv",))):
        sel = [t for t in techs if any(word in t for word in words)]
        cap = float(ds["capacity_total_mw"].sel(technology=sel).fillna(0.0).sum()) if sel else 0.0
        energy = float((ds["available_mw"].sel(technology=sel).fillna(0.0) * w).sum()) if sel else 0.0
        out[group] = energy / (cap * float(w.sum())) if cap > 0 else np.nan
    return out


def plan_checks(plan: Plan, ds) -> dict:
    """What must close in every year: the energy balance of every region and snapshot (largest residual, MW) and the
    capacities against the plan's (largest difference, MW or MWh)."""
    from re300.results.tables import energy_balance_residual

    residual = float(np.nanmax(np.abs(energy_balance_residual(ds).values)))
    diff = 0.0
    for name in CAPACITY_TOTALS:
        if name in ds and name in plan.capacity:
            a, b = np.asarray(ds[name].values, float), plan.capacity[name]
            both = np.isfinite(a) | np.isfinite(b)
            diff = max(diff, float(np.nanmax(np.abs(np.nan_to_num(a[both]) - np.nan_to_num(b[both])), initial=0.0)))
    return {"balance_residual_max_mw": residual, "capacity_difference_max": diff}
