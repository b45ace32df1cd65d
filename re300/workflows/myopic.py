"""Myopic pathways: solve the investment periods one after another, each seeing only its own period, and hand the
capacity it built to the next as existing (brownfield) capacity; perfect foresight (one LP over all periods) is the
default of a pathway run and needs nothing here.

`solve_myopic` returns the LP over all periods with every build fixed at the myopic decisions, solved: its
operations per period are those of the period LPs (given capacity, the periods are independent), and its
objective is the discounted cost of the whole myopic pathway, comparable with the perfect-foresight objective.

In a period LP the builds of earlier periods still in service are existing capacity (their annuities are sunk;
their fixed O&M is a constant) and use up the period's limit on new capacity in service; new builds pay their
annuity for that period only (W_p), which is what a planner who cannot see later periods would count.
"""
from __future__ import annotations

import time as _time
from dataclasses import replace

import numpy as np

from re300.errors import SolveError
from re300.model.builder import build_model
from re300.model.data import BUILD_FAMILIES, PERIOD_COLUMNS, ModelData, Pathway, TargetSettings
from re300.model.investment import alive_matrix
from re300.model.names import KIND


def period_subset(data: ModelData, p: int, earlier_builds: dict | None = None) -> ModelData:
    """Period p of a pathway as a one-period pathway: its snapshots and data, with the builds of earlier periods
    that are still in service in p (`earlier_builds`: {family: (rows,) MW or MWh}) counted as existing capacity."""
    pw = data.pathway
    mask = data.period_of_snapshot == p
    idx = np.flatnonzero(mask)
    blocks = np.unique(np.asarray(data.block)[idx])
    period_data = {frame: {col: data.column(frame, col)[:, [p]].copy() for col in cols}
                   for frame, cols in PERIOD_COLUMNS.items() if len(getattr(data, frame))}
    for family, extra in (earlier_builds or {}).items():
        kind = KIND[family]
        frame, ex_col, lim_col = kind.frame, kind.existing, kind.max_new
        if frame not in period_data:
            continue
        extra = np.asarray(extra, float)
        period_data[frame][ex_col][:, 0] += extra
        lim = period_data[frame][lim_col][:, 0]
        period_data[frame][lim_col][:, 0] = np.where(np.isfinite(lim), np.maximum(lim - extra, 0.0), lim)
    committed = None
    if data.committed_builds:  # what earlier periods built counts towards the period's commitment
        committed = {fam: np.maximum(np.asarray(arr, float)[:, [p]] - np.asarray((earlier_builds or {}).get(
            fam, 0.0), float).reshape(-1, 1), 0.0) for fam, arr in data.committed_builds.items()}
    tg = data.targets
    targets = replace(tg, renewable_share_by_period=(_share(tg, "renewable", data.n_periods, p),),
                      export_share_by_period=(_share(tg, "export", data.n_periods, p),))
    po = None
    if data.typical_day_order is not None:
        po = np.asarray(data.typical_day_order)[np.isin(data.typical_day_order, blocks)]
    return replace(
        data,
        time=data.time[idx],
        weight_h=np.asarray(data.weight_h, float)[idx],
        duration_h=np.asarray(data.duration_h, float)[idx],
        block=np.asarray(data.block)[idx],
        demand_mw=data.demand_mw.iloc[idx].reset_index(drop=True),
        availability=np.asarray(data.availability, float)[:, idx],
        typical_day_order=po,
        pathway=Pathway(years=pw.years[[p]], span_yr=pw.span_yr[[p]], build_interval_yr=pw.build_interval_yr[[p]],
                        objective_weight=pw.objective_weight[[p]], base_year=pw.base_year,
                        discount_rate=pw.discount_rate, foresight="myopic"),
        snapshot_period=np.zeros(len(idx), dtype=np.int64),
        period_data=period_data,
        targets=targets,
        re100_load_mw=None if data.re100_load_mw is None else np.asarray(data.re100_load_mw, float)[:, idx],
        export_headroom_mw=None if data.export_headroom_mw is None else data.export_headroom_mw.iloc[idx].reset_index(drop=True),
        adequacy=None if data.adequacy is None else replace(data.adequacy, peak_demand_mw=np.asarray(data.adequacy.peak_demand_mw, float)[[p]]),
        fixed_builds=None,
        committed_builds=committed,
    )


def _share(tg: TargetSettings, kind: str, n: int, p: int):
    v = tg.shares(kind, n)[p]
    return None if np.isnan(v) else float(v)


def solve_myopic(data: ModelData, solve, split_hours: int | None = None, echo=None):
    """Solve `data` (a pathway) period by period; returns (built, solution, steps) of the LP over all periods with
    the builds fixed at the myopic decisions. `solve(built) -> Solution`; `echo(text)` reports progress."""
    if data.pathway is None:
        raise ValueError("solve_myopic needs a pathway (ModelData.pathway)")
    P = data.n_periods
    years = data.pathway.years
    fixed = {fam: np.zeros((len(getattr(data, frame)), P)) for fam, frame in BUILD_FAMILIES.items()}
    steps = []
    for p in range(P):
        earlier = {}
        for fam, kind in KIND.items():
            frame, life_col = kind.frame, kind.lifetime
            n = len(getattr(data, frame))
            if n == 0 or p == 0:
                continue
            life = getattr(data, frame)[life_col].to_numpy(float)
            in_service = np.zeros(n)
            for b in range(p):
                alive = alive_matrix(years, np.full(n, b), life)[:, p]
                in_service += fixed[fam][:, b] * alive
            earlier[fam] = in_service
        sub = period_subset(data, p, earlier)
        t0 = _time.perf_counter()
        built = build_model(sub, split_hours=split_hours)
        sol = solve(built)
        seconds = _time.perf_counter() - t0
        if not sol.optimal:
            raise SolveError(f"myopic period {years[p]}: HiGHS finished with status '{sol.status}'")
        for fam, meta in built.meta.get("builds", {}).items():
            if len(meta["asset"]):
                scale = KIND[fam].scale
                vals = np.maximum(np.asarray(sol.values[meta["name"]], float) / scale, 0.0)
                np.add.at(fixed[fam][:, p], meta["asset"], vals)
        steps.append({"year": int(years[p]), "status": sol.status, "objective_bn_krw": float(sol.objective),
                      "seconds": round(seconds, 3)})
        if echo:
            echo(f"myopic period {years[p]}: {sol.status}, objective {sol.objective:,.3f} bn KRW (present value), "
                 f"{seconds:.1f} s")
    full = replace(data, fixed_builds=fixed, pathway=replace(data.pathway, foresight="myopic"))
    built = build_model(full, split_hours=split_hours)
    sol = solve(built)
    return built, sol, steps


def solve_myopic_scenario(data: ModelData, sc, opts, echo: bool):
    """`solve_myopic` with the scenario's solver options and formulation lever; progress lines when `echo`."""
    from re300.solve.solver import solve

    say = (lambda text: print(f"[re300] {text}", flush=True)) if echo else None
    return solve_myopic(data, lambda b: solve(b, opts), split_hours=sc.solver.split_hours, echo=say)
