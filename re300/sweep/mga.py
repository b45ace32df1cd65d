"""Near-optimal alternatives (modelling to generate alternatives, MGA): how far can a key quantity move while the
plan stays within a cost slack of the optimum?

1. Solve the least-cost plan: objective C* [bn KRW/yr].
2. For each quantity q (e.g. offshore wind capacity in Jeonnam, PV in all of Honam, the HVDC corridor), solve twice

       min q  and  max q   subject to   every constraint of the plan,
                                         objective expression (total cost incl. priced slacks) <= (1 + slack) C*,
                                         each target shortfall <= its value in the least-cost plan,
                                         Σ_t w_t Σ_r unserved[r,t] <= its value in the least-cost plan,

   so every alternative meets the targets and serves demand at least as well as the optimum (the penalty prices
   of the slacks cannot buy a cheaper plan that misses the target).

q is total installed capacity [MW] = existing capacity of the matching assets + Σ of their new-capacity variables
(`capacity_new` for generators, `power_new` for storage, `link_new` for links); existing capacity is a constant.
The ModelData is scattered once. Only the objective differs between the solves, so the LP is built and compiled
once per chain of solves and held in one HiGHS instance (`NearOptimalLP`, a Dask actor): the least-cost solve, then
the cost cap and slack caps added once, then each min / max as a new objective re-solved with primal simplex from
the last optimal basis (which stays feasible). Two chains (all minimisations on one worker, all maximisations on
another; a chain that runs out takes jobs from the other's end) were fastest on 2 cores, about 3x faster than
rebuilding the LP per solve (measurements in the README, "Speed"). `near_optimal_ranges(..., warm_start=False)` keeps
the rebuild path (`solve_plan`, each solve a Dask task building its own LP) as the reference the tests compare against.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time as _time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from re300.config.scenario import _display
from re300.errors import Re300Error, SolveError
from re300.model import units as U

from .cli import DEFAULT_QUANTITIES, QUANTITY_NAMES  # one list for the command line and here

LABELS = {
    "offshore_wind": "offshore wind",
    "onshore_wind": "onshore wind",
    "pv": "solar PV (utility, rooftop and floating)",
    "storage_power": "storage power (batteries and pumped hydro)",
    "hvdc_corridor": "HVDC corridor capacity to the capital region",
}
CAP_TOLERANCE = 1e-7  # relative room on the cost cap and absolute room [GWh] on the slack caps (solver tolerance)
RESOLVE_BUDGET_FACTOR, RESOLVE_BUDGET_MIN_S = 3.0, 60.0  # time of a warm re-solve before it falls back
TIME_LIMIT = "Time limit reached"  # HiGHS's model status text
RESOLVE = "primal"  # simplex variant of the warm-started re-solves (chosen by measurement, see the README)
CHAINS = 2  # warm-started chains of re-solves, one HiGHS instance per worker (chosen by measurement)


@dataclass(frozen=True)
class Quantity:
    """A sum of new-capacity variables plus the matching existing capacity [MW]."""

    name: str  # one of QUANTITY_NAMES (or any label in tests)
    region: str  # a region, a link's sending region, or "all"
    family: str  # capacity_new | power_new | link_new
    members: tuple[str, ...]  # labels in the variable family: "technology|region" or link names
    existing_mw: float
    where: str = ""  # words for the memo: "in Jeonnam", "on the jeonbuk_capital corridor"

    @property
    def key(self) -> str:
        return f"{self.name}:{self.region}"


def default_quantities(data, names=DEFAULT_QUANTITIES, pv_technologies=None) -> list[Quantity]:
    """Quantities for `names`: a total over Honam ("all") and, where assets sit in several regions, one per region.

    pv_technologies: technologies counted as PV (default: names ending in 'pv').
    """
    unknown = [n for n in names if n not in QUANTITY_NAMES]
    if unknown:
        raise Re300Error(f"unknown MGA quantity {unknown[0]!r}; expected one of {', '.join(QUANTITY_NAMES)}")
    gens, st, links = data.generators, data.storage, data.links
    out: list[Quantity] = []

    def add_group(name, frame, family, expandable):
        if frame is None or not len(frame):
            return
        labels = [f"{t}|{r}" for t, r in zip(frame["technology"], frame["region"])]
        regions = list(dict.fromkeys(frame["region"]))
        groups = [("all", np.ones(len(frame), bool))] + ([(r, (frame["region"] == r).to_numpy()) for r in regions] if len(regions) > 1 else [])
        for region, mask in groups:
            members = tuple(lab for lab, m, e in zip(labels, mask, expandable) if m and e)
            where = "in Honam" if region == "all" else f"in {region.capitalize()}"
            out.append(Quantity(name, region, family, members, float(frame.loc[mask, "existing_mw"].sum()), where))

    for name in names:
        if name in ("offshore_wind", "onshore_wind", "pv"):
            techs = {name} if name != "pv" else set(pv_technologies or [t for t in gens["technology"] if str(t).endswith("pv")])
            frame = gens[gens["technology"].isin(techs)].reset_index(drop=True)
            add_group(name, frame, "capacity_new", (np.nan_to_num(frame["max_new_mw"].to_numpy(float)) > 0))
        elif name == "storage_power":
            add_group(name, st.reset_index(drop=True), "power_new", np.nan_to_num(st["max_new_mw"].to_numpy(float)) > 0)
        else:
            export = {r for r, k in data.region_kind.items() if k == "export"}
            frame = links[links["to_region"].isin(export)].reset_index(drop=True)
            if not len(frame):
                continue
            expandable = np.nan_to_num(frame["max_new_mw"].to_numpy(float)) > 0
            out.append(Quantity(name, "all", "link_new", tuple(l for l, e in zip(frame["link"], expandable) if e),
                                float(frame["existing_mw"].sum()), "on all corridors"))
            if len(frame) > 1:
                senders = list(frame["from_region"])
                for i, row in frame.iterrows():
                    # one row per corridor, named by its sending region (by the link where a region sends on several)
                    region = str(row["from_region"]) if senders.count(row["from_region"]) == 1 else str(row["link"])
                    out.append(Quantity(name, region, "link_new", (row["link"],) if expandable[i] else (),
                                        float(row["existing_mw"]),
                                        f"on the {row['link']} corridor ({str(row['from_region']).capitalize()} to "
                                        f"{str(row['to_region']).capitalize()})"))
    keys = [q.key for q in out]
    if len(set(keys)) != len(keys):  # pragma: no cover - guards the naming above
        raise ValueError(f"MGA quantities are not unique: {keys}")
    return out


# --------------------------------------------------------------------------------------------------
# the solves (run on Dask workers)


def _positions(built, q: Quantity) -> list[int]:
    """Positions of the quantity's members in its variable family (members the model lacks are skipped)."""
    fam = built.lm.variables.get(q.family)
    if fam is None:
        return []
    pos = {lab: i for i, lab in enumerate(fam.coords[0])}
    return [pos[m] for m in q.members if m in pos]


def _variables(built, q: Quantity) -> list:
    return [built.lm.variables[q.family].items[i] for i in _positions(built, q)]


def _value_map(built, sol) -> dict[int, float]:
    out = {}
    for name, fam in built.lm.variables.items():
        for v, x in zip(fam.items.ravel(), np.asarray(sol.values[name]).ravel()):
            out[id(v)] = float(x)
    return out


def _unserved_terms(built) -> tuple[list, np.ndarray]:
    """The unserved-energy variables [GW] and their weights [h]: Σ w·unserved is the annual unserved energy [GWh]."""
    fam = built.lm.variables.get("unserved")
    if fam is None or fam.items.size == 0:
        return [], np.zeros(0)
    return list(fam.items.ravel()), np.broadcast_to(np.asarray(built.data.weight_h, float)[None, :], fam.shape).ravel()


def _new_result(target: Quantity | None, sense: str) -> dict:
    return {"quantity": target.key if target else "", "sense": sense if target else "least cost", "status": "", "ok": False,
            "error": "", "objective_bn_krw": np.nan, "values_mw": {}, "slacks": {}, "seconds": 0.0}


def _record(out: dict, built, sol, quantities: list[Quantity], objective) -> None:
    """Fill `out` from a solution: status; if optimal the objective [bn KRW/yr] (`objective()` computes it), each
    quantity [MW] and the slacks (target shortfalls [GWh], annual unserved energy [GWh])."""
    out["status"], out["ok"] = sol.status, bool(sol.optimal)
    if not sol.optimal:
        out["error"] = f"HiGHS finished with status '{sol.status}'"
        return
    out["objective_bn_krw"] = float(objective())
    out["values_mw"] = {q.key: q.existing_mw + sum(float(np.asarray(sol.values[q.family]).ravel()[i])
                                                    for i in _positions(built, q)) / U.POWER for q in quantities}
    out["slacks"] = {name: float(np.asarray(sol.values[name]).ravel()[0])
                     for name in ("renewable_shortfall", "export_shortfall") if name in built.lm.variables}
    _, w = _unserved_terms(built)
    out["slacks"]["unserved_gwh"] = float(w @ np.asarray(sol.values["unserved"]).ravel()) if w.size else 0.0


def _error_text(e: BaseException) -> str:
    return " ".join(f"{type(e).__name__}: {e}".split())


def solve_plan(data, solver_options: dict, quantities: list[Quantity], target: Quantity | None = None,
               sense: str = "min", cost_cap_bn_krw: float | None = None, slack_caps: dict | None = None) -> dict:
    """Build the LP for `data` from scratch; with `target`, minimise or maximise it under the cost and slack caps.
    Never raises. (The reference for `NearOptimalLP`, which changes one compiled LP instead.)"""
    import pyomo.environ as pyo
    from pyomo.core.expr.numeric_expr import LinearExpression

    from re300.model.builder import build_model
    from re300.solve.highs import SolverOptions, solve

    t0 = _time.perf_counter()
    out = _new_result(target, sense)
    try:
        built = build_model(data)
        m = built.model
        if target is not None:
            m.mga_cost_cap = pyo.Constraint(expr=m.total_cost.expr <= cost_cap_bn_krw)
            caps = slack_caps or {}
            for name in ("renewable_shortfall", "export_shortfall"):
                fam = built.lm.variables.get(name)
                if fam is not None and name in caps:
                    for v in fam.items.ravel():
                        v.setub(max(caps[name], 0.0) + CAP_TOLERANCE)
            items, w = _unserved_terms(built)
            if items and "unserved_gwh" in caps:
                m.mga_unserved_cap = pyo.Constraint(
                    expr=LinearExpression([0.0] + [wi * v for wi, v in zip(w.tolist(), items)]) <= caps["unserved_gwh"] + CAP_TOLERANCE)
            m.total_cost.deactivate()
            terms = _variables(built, target)
            expr = LinearExpression([0.0] + [(1.0 if sense == "min" else -1.0) * v for v in terms]) if terms else 0.0
            m.mga_objective = pyo.Objective(expr=expr, sense=pyo.minimize)
        sol = solve(built, SolverOptions(**solver_options))

        def objective():
            values = _value_map(built, sol)
            return built.lm.objective_constant + float(sum(
                c * values[id(v)] for coefs, variables in built.lm.objective_terms for c, v in zip(coefs.tolist(), variables)))

        _record(out, built, sol, quantities, objective)
    except Exception as e:  # noqa: BLE001 - reported per solve
        out["error"] = _error_text(e)
    out["seconds"] = _time.perf_counter() - t0
    return out


class NearOptimalLP:
    """The plan's LP built and compiled once, held in one HiGHS instance (a Dask actor on one worker).

    `least_cost()` solves it as built (the scenario's method; interior point runs with crossover, whose vertex is the
    warm start). `restrict(cap, caps)` adds, once, the cost-cap row Σ_j c_j x_j <= cap − offset (c: the LP's cost
    vector, offset: its constant), the caps on the target-shortfall columns (bounds) and the row
    Σ_t w_t Σ_r unserved[r,t] <= unserved of the least-cost plan. `extreme(q, sense)` then sets the objective to ±1 on
    q's new-capacity columns [GW] (0 elsewhere) and re-solves from the last basis with `resolve` ('primal' or 'dual'
    simplex, or 'ipm' from scratch): the constraints no longer change, so the last optimal basis is primal
    feasible. A simplex re-solve that runs past `budget_s` (RESOLVE_BUDGET_FACTOR x the least-cost HiGHS time, at
    least RESOLVE_BUDGET_MIN_S) is stopped and redone from scratch with interior point and crossover, as the rebuild
    path would (`fallbacks` lists them). Results have the shape of `solve_plan`'s; the objective is recomputed from
    the cost vector. Methods never raise: errors are returned in the result.
    """

    def __init__(self, data, solver_options: dict, quantities: list[Quantity], resolve: str = RESOLVE):
        from re300.model.builder import build_model
        from re300.solve.highs import INTERIOR_POINT, SolverOptions
        from re300.solve.persistent import SIMPLEX_STRATEGY, CompiledLP

        t0 = _time.perf_counter()
        self.quantities, self.error, self.lp = quantities, "", None
        self.budget_s, self.fallbacks = RESOLVE_BUDGET_MIN_S, []
        try:
            opts = SolverOptions(**solver_options)
            if opts.method in INTERIOR_POINT:
                opts.crossover = True
            if resolve not in (*SIMPLEX_STRATEGY, "ipm"):
                raise Re300Error(f"re-solve method {resolve!r} unknown; expected primal, dual or ipm")
            self.resolve_options = SolverOptions(**{**solver_options, "method": "ipm" if resolve == "ipm" else "simplex"})
            self.fallback_options = SolverOptions(**{**solver_options, "method": "ipm", "crossover": True})
            self.strategy = None if resolve == "ipm" else resolve
            self.lp = CompiledLP(build_model(data), opts)
        except Exception as e:  # noqa: BLE001 - reported by least_cost / extreme
            self.error = _error_text(e)
        self.setup_seconds = _time.perf_counter() - t0

    def least_cost(self) -> dict:
        out = self._solve(None, "min", self.setup_seconds)
        if self.lp is not None and self.lp.last_highs_s is not None:
            self.budget_s = max(RESOLVE_BUDGET_MIN_S, RESOLVE_BUDGET_FACTOR * self.lp.last_highs_s)
        return out

    def restrict(self, cost_cap_bn_krw: float, slack_caps: dict) -> str:
        """Add the cost cap and the slack caps (once, before the first `extreme`); returns an error text or ''."""
        if self.error:
            return self.error
        try:
            lp, built = self.lp, self.lp.built
            cost = lp.built_cost
            nz = np.flatnonzero(cost)
            lp.add_row(nz, cost[nz], upper=cost_cap_bn_krw - lp.built_offset)
            for name in ("renewable_shortfall", "export_shortfall"):
                if name in built.lm.variables and name in slack_caps:
                    cols = lp.columns(name)
                    cols = cols[cols >= 0]
                    lp.set_col_bounds(cols, lp.lp.col_lower[cols], max(slack_caps[name], 0.0) + CAP_TOLERANCE)
            _, w = _unserved_terms(built)
            if w.size and "unserved_gwh" in slack_caps:
                cols = lp.columns("unserved")
                lp.add_row(cols[cols >= 0], w[cols >= 0], upper=slack_caps["unserved_gwh"] + CAP_TOLERANCE)
            lp.use_options(self.resolve_options, self.strategy)
        except Exception as e:  # noqa: BLE001
            self.error = _error_text(e)
        return self.error

    def basis(self) -> dict | None:
        return None if self.error else self.lp.basis()

    def set_basis(self, basis: dict | None) -> str:
        if basis is not None and not self.error:
            try:
                self.lp.set_basis(basis)
            except Exception as e:  # noqa: BLE001
                self.error = _error_text(e)
        return self.error

    def extreme(self, target: Quantity, sense: str) -> dict:
        return self._solve(target, sense)

    def fallback_jobs(self) -> list[str]:
        return list(self.fallbacks)

    def _solve(self, target: Quantity | None, sense: str, seconds: float = 0.0) -> dict:
        t0 = _time.perf_counter()
        out = _new_result(target, sense)
        if self.error:
            out["error"] = self.error
            return out
        try:
            lp = self.lp
            if target is not None:
                cols = lp.columns(target.family)[_positions(lp.built, target)]
                if (cols < 0).any():
                    raise SolveError(f"{target.key}: a member's capacity is in no row of the LP")
                c = np.zeros(lp.n_cols)
                c[cols] = 1.0 if sense == "min" else -1.0
                lp.set_objective(c)
            sol = lp.solve() if target is None or self.strategy is None else self._warm_solve(target, sense)
            _record(out, lp.built, sol, self.quantities, lp.built_objective)
        except Exception as e:  # noqa: BLE001 - reported per solve
            out["error"] = _error_text(e)
        out["seconds"] = seconds + _time.perf_counter() - t0
        return out

    def _warm_solve(self, target: Quantity, sense: str):
        lp, limit = self.lp, self.resolve_options.time_limit_s
        budget = self.budget_s if limit is None else min(self.budget_s, limit)
        sol = lp.solve(budget)
        if sol.status != TIME_LIMIT or (limit is not None and budget >= limit):
            return sol
        # a stalled warm start (seen once on the flagship, not reproduced): from scratch, as the rebuild path does
        self.fallbacks.append(f"{sense} {target.key}")
        lp.clear_basis()
        lp.use_options(self.fallback_options)
        try:
            return lp.solve(None if limit is None else limit - budget)
        finally:
            lp.use_options(self.resolve_options, self.strategy)


# --------------------------------------------------------------------------------------------------
# all solves on the cluster


@dataclass
class Ranges:
    slack: float
    optimum: dict
    quantities: list[Quantity]
    alternatives: list[dict]
    solves: dict = field(default_factory=dict)  # how the alternatives were solved (for the manifest)

    def table(self) -> pd.DataFrame:
        """quantity, region, min, optimum, max, unit (MW of installed capacity), existing."""
        rows = []
        by = {(a["quantity"], a["sense"]): a for a in self.alternatives}
        for q in self.quantities:
            lo, hi = by.get((q.key, "min")), by.get((q.key, "max"))
            opt = self.optimum["values_mw"][q.key]
            if not q.members:  # nothing can be built: the range is the existing capacity
                vmin = vmax = opt
            else:
                vmin = lo["values_mw"][q.key] if lo and lo["ok"] else np.nan
                vmax = hi["values_mw"][q.key] if hi and hi["ok"] else np.nan
            rows.append([q.name, q.region, vmin, opt, vmax, "MW", q.existing_mw])
        return pd.DataFrame(rows, columns=["quantity", "region", "min", "optimum", "max", "unit", "existing"])

    def alternatives_table(self) -> pd.DataFrame:
        keys = [q.key for q in self.quantities]
        rows = []
        for a in [self.optimum, *self.alternatives]:
            rows.append([a["quantity"] or "least cost", a["sense"], a["status"], a["error"],
                         a["objective_bn_krw"] * 1e9 if a["ok"] else np.nan, round(a["seconds"], 3),
                         *[a["values_mw"].get(k, np.nan) for k in keys]])
        return pd.DataFrame(rows, columns=["optimised", "sense", "status", "error", "objective_krw_per_yr", "seconds",
                                           *[f"{k} [MW]" for k in keys]])


def near_optimal_ranges(data, slack: float, quantities: list[Quantity], client, solver_options: dict | None = None,
                        echo: bool = False, warm_start: bool = True, chains: int = CHAINS, resolve: str = RESOLVE) -> Ranges:
    """Least-cost plan, then min and max of each quantity within (1 + slack) x least cost; all solves on `client`.

    warm_start: build and compile the LP once per chain and re-solve it in place from the last basis
    (`NearOptimalLP`, `chains` Dask actors on distinct workers, `resolve` = primal | dual simplex or ipm); False
    rebuilds the LP for every solve, each a Dask task (`solve_plan`).
    """
    if not (0 <= slack < 10):
        raise Re300Error(f"--slack {slack}: expected a fraction of the least cost between 0 and 10, e.g. 0.05 for 5 %")
    opts = dict(solver_options or {})
    say = (lambda *a: print(*a, flush=True)) if echo else (lambda *a: None)
    # hash=False: a fresh key per call; a deterministic key can race with the release of an earlier identical
    # scatter on the same client ("lost dependencies")
    data_f = client.scatter(data, broadcast=False, hash=False)
    jobs = [(q, s) for q in quantities if q.members for s in ("min", "max")]
    runner = (_WarmChains(client, data_f, opts, quantities, jobs, chains, resolve) if warm_start
              else _Rebuilds(client, data_f, opts, quantities))
    optimum = runner.least_cost()
    if not optimum["ok"]:
        raise SolveError(f"the least-cost plan could not be solved: {optimum['error']}")
    cap = (1.0 + slack) * optimum["objective_bn_krw"] + CAP_TOLERANCE * abs(optimum["objective_bn_krw"])
    say(f"[mga] least cost {optimum['objective_bn_krw'] / 1e3:,.3f} trillion KRW/yr (objective) in {optimum['seconds']:.1f} s; "
        f"cost cap {cap / 1e3:,.3f} trillion KRW/yr (+{slack:.1%})")
    results = []
    width = len(str(len(jobs)))
    for i, (q, s, res) in enumerate(runner.alternatives(jobs, cap, dict(optimum["slacks"])), 1):
        results.append(res)
        shown = f"{res['values_mw'][q.key] / 1e3:,.2f} GW" if res["ok"] else f"FAILED: {res['error']}"
        say(f"[mga] [{i:>{width}}/{len(jobs)}] {s} {q.key}: {shown} ({res['seconds']:.1f} s)")
    for job in runner.fallbacks:
        say(f"[mga] {job}: the warm-started simplex re-solve ran past its time budget and was redone from scratch "
            "with interior point")
    order = {(q.key, s): i for i, (q, s) in enumerate(jobs)}
    results.sort(key=lambda r: order[(r["quantity"], r["sense"])])
    solves = ({"warm_start": True, "chains": len(runner.handles), "re_solve": f"{resolve} simplex" if resolve != "ipm" else "ipm",
               "fallbacks_to_interior_point": list(runner.fallbacks)} if warm_start else {"warm_start": False})
    return Ranges(slack, optimum, quantities, results, solves)


def _not_run(q: Quantity, s: str, error: str) -> dict:
    return {**_new_result(q, s), "status": "not run", "error": error}


class _Rebuilds:
    """Every solve a Dask task that builds its own LP (`solve_plan`)."""

    def __init__(self, client, data_f, opts, quantities):
        self.client, self.data_f, self.opts, self.quantities = client, data_f, opts, quantities
        self.fallbacks: list[str] = []

    def least_cost(self) -> dict:
        return self.client.submit(solve_plan, self.data_f, self.opts, self.quantities, pure=False).result()

    def alternatives(self, jobs, cap, caps):
        from dask.distributed import as_completed

        futures = {self.client.submit(solve_plan, self.data_f, self.opts, self.quantities, q, s, cap, caps, pure=False): (q, s)
                   for q, s in jobs}
        for fut in as_completed(futures):
            q, s = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died
                res = _not_run(q, s, _error_text(e))
            yield q, s, res


class _WarmChains:
    """`chains` NearOptimalLP actors on distinct workers: the first solves the least-cost plan; after `restrict`,
    every actor starts from its basis and works through its share of the jobs in order, each re-solve from the last
    basis, then takes jobs from the end of the longest other share. The other actors build their LP while the first
    one solves."""

    def __init__(self, client, data_f, opts, quantities, jobs, chains, resolve):
        from .cluster import _accepts_n_workers

        info = client.scheduler_info(n_workers=-1) if _accepts_n_workers(client) else client.scheduler_info()
        workers = sorted(info.get("workers", {}))
        n = max(1, min(int(chains), len(workers), len(jobs)))
        self.client, self.fallbacks = client, []
        self.handles = [client.submit(NearOptimalLP, data_f, opts, quantities, resolve, actor=True, pure=False,
                                      workers=[workers[k]] if workers else None) for k in range(n)]

    def least_cost(self) -> dict:
        self.lead = self.handles[0].result()
        return self.lead.least_cost().result()

    def alternatives(self, jobs, cap, caps):
        lead = self.lead
        error = lead.restrict(cap, caps).result()
        if error:
            for q, s in jobs:
                yield q, s, _not_run(q, s, error)
            return
        basis = lead.basis().result() if len(self.handles) > 1 else None
        # all minimisations, then all maximisations, cut into contiguous chains: consecutive objectives in the same
        # direction keep the last basis close to the next optimum (measured: alternating min/max re-solves took 2x)
        ordered = [j for j in jobs if j[1] == "min"] + [j for j in jobs if j[1] != "min"]
        cuts = np.linspace(0, len(ordered), len(self.handles) + 1).round().astype(int)
        chains = [ordered[a:b] for a, b in zip(cuts[:-1], cuts[1:])]
        running = {}  # chain -> (actor, future of its current re-solve, quantity, sense)
        for k, handle in enumerate(self.handles):
            try:
                actor = lead if k == 0 else handle.result()
                if k > 0:
                    err = actor.restrict(cap, caps).result() or actor.set_basis(basis).result()
                    if err:
                        raise SolveError(err)
            except Exception as e:  # noqa: BLE001 - a worker that died or an LP that could not be restricted
                for q, s in chains[k]:
                    yield q, s, _not_run(q, s, _error_text(e))
                chains[k] = []
                continue
            if chains[k]:
                q, s = chains[k].pop(0)
                running[k] = (actor, actor.extreme(q, s), q, s)
        while running:
            done = [k for k, (_, fut, _, _) in running.items() if fut.done()]
            if not done:
                _time.sleep(0.05)
            for k in done:
                actor, fut, q, s = running.pop(k)
                try:
                    res = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker that died: the rest of its chain is not run
                    yield q, s, _not_run(q, s, _error_text(e))
                    for q2, s2 in chains[k]:
                        yield q2, s2, _not_run(q2, s2, "the worker holding this chain's LP failed")
                    continue
                yield q, s, res
                # the next job of this chain; when it has none left, the last one of the longest other chain
                longest = max(range(len(chains)), key=lambda i: len(chains[i]))
                if chains[k] or chains[longest]:
                    q, s = chains[k].pop(0) if chains[k] else chains[longest].pop()
                    running[k] = (actor, actor.extreme(q, s), q, s)
                else:
                    self.fallbacks += actor.fallback_jobs().result()


# --------------------------------------------------------------------------------------------------
# memo sentences, figure, outputs


def _power_words(mw: float) -> str:
    """'21.3 GW', or '370 MW' below 1 GW."""
    return f"{mw / 1e3:,.1f} GW" if abs(mw) >= 1e3 else f"{mw:,.0f} MW"


def sentences(table: pd.DataFrame, slack: float, quantities: list[Quantity]) -> list[str]:
    out = []
    for q, row in zip(quantities, table.itertuples(index=False)):
        label = LABELS.get(q.name, q.name.replace("_", " "))
        where = q.where or f"({q.region})"
        pct = f"{slack * 100:g} %"
        if not np.isfinite(row.min) or not np.isfinite(row.max):
            out.append(f"{label} {where}: the range could not be computed (a solve failed; see alternatives.csv).")
            continue
        gw = _power_words
        new_min, new_max = row.min - row.existing, row.max - row.existing
        if not q.members:
            out.append(f"No plan can add {label} {where} (no expansion allowed); {gw(row.optimum)} exist.")
        elif new_min <= 1.0:
            out.append(f"A plan within {pct} of least cost can do without new {label} {where}; plans range up to "
                       f"{gw(row.max)} installed (least-cost plan {gw(row.optimum)}).")
        else:
            out.append(f"Every plan within {pct} of least cost builds at least {gw(new_min)} of new {label} {where} "
                       f"({gw(row.min)} installed; least-cost plan {gw(row.optimum)}; at most {gw(row.max)}).")
        if q.members and new_max - new_min < 1.0:
            out[-1] += " The quantity is pinned: it cannot move within the slack."
    return out


def plot_ranges(table: pd.DataFrame, slack: float, title: str, note: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = table.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.5, 1.2 + 0.42 * len(t)))
    y = np.arange(len(t))
    colors = {n: c for n, c in zip(QUANTITY_NAMES, ("#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"))}
    for i, r in t.iterrows():
        c = colors.get(r["quantity"], "0.4")
        ax.plot([r["min"] / 1e3, r["max"] / 1e3], [i, i], color=c, lw=7, alpha=0.45, solid_capstyle="butt")
        ax.plot(r["optimum"] / 1e3, i, "o", color="black", ms=5)
        ax.text(r["max"] / 1e3, i, f"  {r['min'] / 1e3:,.1f}-{r['max'] / 1e3:,.1f}", va="center", fontsize=7)
    ax.plot([], [], "o", color="black", ms=5, label="least-cost plan")
    ax.set_yticks(y, [f"{r.quantity.replace('_', ' ')} ({r.region})" for r in t.itertuples()])
    ax.set_xlabel("installed capacity [GW]")
    ax.set_xlim(left=min(0.0, ax.get_xlim()[0]), right=ax.get_xlim()[1] * 1.12)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.text(0.01, 0.01, note, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)


def run_mga(path, slack: float = 0.05, quantities=DEFAULT_QUANTITIES, scheduler: str | None = None,
            workers: int | None = None, output_dir=None, echo: bool = True) -> Path:
    """`re300 mga`: ranges of key quantities within `slack` of least cost; writes <output_dir>/mga/<scenario>/."""
    from re300.config import load_scenario
    from re300.results.atomic import atomic_output_dir
    from re300.results.manifest import git_info, hash_files, package_versions, runtime_info, write_manifest
    from re300.run import PACKAGES, REPO_ROOT, Phases, prepare

    from .cluster import describe, dask_client

    t0 = _time.perf_counter()
    sc = load_scenario(path)
    final = (Path(output_dir) if output_dir else sc.output_dir / "mga") / sc.name
    tables, data, files = prepare(sc, Phases(echo=False))
    profiles = tables.technologies.get("profile")
    pv = [t for t, p in profiles.items() if p == "pv"] if profiles is not None else None
    qs = default_quantities(data, tuple(dict.fromkeys(quantities)), pv_technologies=pv)
    opts = dict(method=sc.solver.method, crossover=sc.solver.crossover, time_limit_s=sc.solver.time_limit_s,
                threads=sc.solver.threads, options=dict(sc.solver.options))
    if echo:
        print(f"[mga] {sc.name}: slack {slack:.1%}; {len(qs)} quantities, {2 * sum(bool(q.members) for q in qs)} near-optimal solves", flush=True)
    with dask_client(scheduler, workers) as client:
        cluster = describe(client)
        if echo:
            print(f"[mga] cluster: {cluster}", flush=True)
        ranges = near_optimal_ranges(data, slack, qs, client, opts, echo=echo)
    table = ranges.table()
    text = sentences(table, slack, qs)
    input_hashes = hash_files(files + [Path(p) for p in sc.source_files], relative_to=REPO_ROOT)
    input_hash = hashlib.sha256(json.dumps(input_hashes, sort_keys=True).encode()).hexdigest()
    note = f"re300 mga {_display(sc.source_file)} --slack {slack:g}; input hash {input_hash[:12]}; installed capacity (ranges.csv in MW)"
    with atomic_output_dir(final) as tmp:
        table.to_csv(tmp / "ranges.csv", index=False, float_format="%.6f")
        ranges.alternatives_table().to_csv(tmp / "alternatives.csv", index=False, float_format="%.6f")
        plot_ranges(table, slack, f"{sc.name}: plans within {slack * 100:g} % of least cost", note, tmp / "ranges.png")
        (tmp / "ranges.md").write_text(_memo(sc.name, slack, ranges, table, text, note), encoding="utf-8")
        write_manifest(
            tmp / "manifest.json", scenario=sc.resolved_dict(), scenario_files=[str(p) for p in sc.source_files],
            input_hashes=input_hashes, input_hash=input_hash, git=git_info(REPO_ROOT), packages=package_versions(PACKAGES),
            runtime=runtime_info(), mga={"slack": slack, "cluster": cluster, "cost_cap_tolerance": CAP_TOLERANCE,
                                         "solves": ranges.solves,
                                         "least_cost_objective_bn_krw_per_yr": ranges.optimum["objective_bn_krw"],
                                         "quantities": [asdict(q) for q in qs]},
            timings_s={"total": _time.perf_counter() - t0},
        )
    failed = [a for a in ranges.alternatives if not a["ok"]]
    if echo:
        for line in text:
            print(f"[mga] {line}")
        print(f"[mga] outputs written to {final} ({_time.perf_counter() - t0:.1f} s)")
    for a in failed:
        print(f"[mga] WARNING: {a['sense']} {a['quantity']} failed: {a['error']}", file=sys.stderr)
    return final


def _memo(name: str, slack: float, ranges: Ranges, table: pd.DataFrame, text: list[str], note: str) -> str:
    lines = [f"# Near-optimal plans: {name}, within {slack * 100:g} % of least cost", "",
             f"Least-cost objective {ranges.optimum['objective_bn_krw'] / 1e3:,.3f} trillion KRW/yr; every alternative below "
             f"costs at most {(1 + slack) * ranges.optimum['objective_bn_krw'] / 1e3:,.3f} trillion KRW/yr, meets the "
             "targets and serves demand at least as well as the least-cost plan.", ""]
    lines += [f"- {s}" for s in text]
    lines += ["", "| quantity | region | min [GW] | least cost [GW] | max [GW] | existing [GW] |", "|---|---|---:|---:|---:|---:|"]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.quantity} | {r.region} | {r.min / 1e3:,.2f} | {r.optimum / 1e3:,.2f} | {r.max / 1e3:,.2f} | {r.existing / 1e3:,.2f} |")
    lines += ["", f"Source: {note}. Numbers: ranges.csv (MW); every solve: alternatives.csv.", ""]
    return "\n".join(lines)
