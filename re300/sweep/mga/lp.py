"""The near-optimal LP: one plan's LP with a cost cap and slack caps, minimising or maximising one quantity.

`NearOptimalLP` builds and compiles the LP once and holds it in one HiGHS instance (a Dask actor on one worker):
the least-cost solve, then the caps added once, then each min / max as a new objective re-solved from the last basis.
`solve_plan` builds the LP from scratch for one solve: the reference the warm path is tested against.
Both return a result record (`new_result`): status, objective [bn KRW/yr], each quantity [MW], the slacks (target
shortfalls and annual unserved energy [GWh]) and the seconds taken; neither raises.
"""
from __future__ import annotations

import time as _time

import numpy as np

from re300.errors import Re300Error, SolveError
from re300.model import units as U
from re300.model.names import Var

from ..quantities import Quantity

CAP_TOLERANCE = 1e-7  # relative room on the cost cap and absolute room [GWh] on the slack caps (solver tolerance)
RESOLVE_BUDGET_FACTOR, RESOLVE_BUDGET_MIN_S = 3.0, 60.0  # time of a warm re-solve before it falls back
TIME_LIMIT = "Time limit reached"  # HiGHS's model status text
RESOLVE = "primal"  # simplex variant of the warm-started re-solves (chosen by measurement, see the README)



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


def _shortfall_penalty(built, sol) -> float:
    """The objective's target-shortfall penalty [bn KRW/yr], read from the labelled cost ledger."""
    return built.costs.present_value_of(sol.values, (Var.RENEWABLE_SHORTFALL, Var.EXPORT_SHORTFALL))


def cost_cap(optimum: dict, slack: float) -> float:
    """The cost cap of the near-optimal solves [bn KRW/yr]: (1 + slack) x the least-cost plan's cost without its
    shortfall penalty, plus that penalty. The penalty is a price on missing a target, not money spent: applying the
    slack to it would let alternatives spend 5 % of a penalty of many trillion KRW (the flagship's 18.2) on top of
    5 % of its cost. With every shortfall capped at the least-cost plan's, an alternative's penalty is at most
    the least-cost plan's, so every alternative costs at most (1 + slack) x the least cost + what it saves on the
    penalty (nothing where the least-cost plan already misses its target by as little as it can)."""
    penalty = float(optimum.get("penalty_bn_krw", 0.0))
    cost = optimum["objective_bn_krw"] - penalty
    return (1.0 + slack) * cost + penalty + CAP_TOLERANCE * abs(optimum["objective_bn_krw"])


def _unserved_terms(built) -> tuple[list, np.ndarray]:
    """The unserved-energy variables [GW] and their weights [h]: Σ w·unserved is the annual unserved energy [GWh]."""
    fam = built.lm.variables.get(Var.UNSERVED)
    if fam is None or fam.items.size == 0:
        return [], np.zeros(0)
    return list(fam.items.ravel()), np.broadcast_to(np.asarray(built.data.weight_h, float)[None, :], fam.shape).ravel()


def new_result(target: Quantity | None, sense: str) -> dict:
    """An empty result record of one solve: the least-cost plan (no target) or `sense` ('min'/'max') of `target`."""
    return {"quantity": target.key if target else "", "sense": sense if target else "least cost", "status": "", "ok": False,
            "error": "", "objective_bn_krw": np.nan, "penalty_bn_krw": 0.0, "values_mw": {}, "slacks": {}, "seconds": 0.0}


def _record(out: dict, built, sol, quantities: list[Quantity], objective) -> None:
    """Fill `out` from a solution: status; if optimal the objective [bn KRW/yr] (`objective()` computes it), each
    quantity [MW] and the slacks (target shortfalls [GWh], annual unserved energy [GWh])."""
    out["status"], out["ok"] = sol.status, bool(sol.optimal)
    if not sol.optimal:
        out["error"] = f"HiGHS finished with status '{sol.status}'"
        return
    out["objective_bn_krw"] = float(objective())
    out["penalty_bn_krw"] = _shortfall_penalty(built, sol)
    out["values_mw"] = {q.key: q.existing_mw + sum(float(np.asarray(sol.values[q.family]).ravel()[i])
                                                    for i in _positions(built, q)) / U.POWER for q in quantities}
    out["slacks"] = {name: float(np.asarray(sol.values[name]).ravel()[0])
                     for name in (Var.RENEWABLE_SHORTFALL, Var.EXPORT_SHORTFALL) if name in built.lm.variables}
    _, w = _unserved_terms(built)
    out["slacks"]["unserved_gwh"] = float(w @ np.asarray(sol.values[Var.UNSERVED]).ravel()) if w.size else 0.0


def error_text(e: BaseException) -> str:
    """An exception as one line for a result record: 'TypeName: message'."""
    return " ".join(f"{type(e).__name__}: {e}".split())


def solve_plan(data, solver_options: dict, quantities: list[Quantity], target: Quantity | None = None,
               sense: str = "min", cost_cap_bn_krw: float | None = None, slack_caps: dict | None = None) -> dict:
    """Build the LP for `data` from scratch; with `target`, minimise or maximise it under the cost and slack caps.
    Never raises. (The reference for `NearOptimalLP`, which changes one compiled LP instead.)"""
    import pyomo.environ as pyo
    from pyomo.core.expr.numeric_expr import LinearExpression

    from re300.model.builder import build_model
    from re300.solve.solver import SolverOptions, solve

    t0 = _time.perf_counter()
    out = new_result(target, sense)
    try:
        built = build_model(data)
        m = built.model
        if target is not None:
            m.mga_cost_cap = pyo.Constraint(expr=m.total_cost.expr <= cost_cap_bn_krw)
            caps = slack_caps or {}
            for name in (Var.RENEWABLE_SHORTFALL, Var.EXPORT_SHORTFALL):
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
        out["error"] = error_text(e)
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
            self.error = error_text(e)
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
            for name in (Var.RENEWABLE_SHORTFALL, Var.EXPORT_SHORTFALL):
                if name in built.lm.variables and name in slack_caps:
                    cols = lp.columns(name)
                    cols = cols[cols >= 0]
                    lp.set_col_bounds(cols, lp.lp.col_lower[cols], max(slack_caps[name], 0.0) + CAP_TOLERANCE)
            _, w = _unserved_terms(built)
            if w.size and "unserved_gwh" in slack_caps:
                cols = lp.columns(Var.UNSERVED)
                lp.add_row(cols[cols >= 0], w[cols >= 0], upper=slack_caps["unserved_gwh"] + CAP_TOLERANCE)
            lp.use_options(self.resolve_options, self.strategy)
        except Exception as e:  # noqa: BLE001
            self.error = error_text(e)
        return self.error

    def basis(self) -> dict | None:
        return None if self.error else self.lp.basis()

    def set_basis(self, basis: dict | None) -> str:
        if basis is not None and not self.error:
            try:
                self.lp.set_basis(basis)
            except Exception as e:  # noqa: BLE001
                self.error = error_text(e)
        return self.error

    def extreme(self, target: Quantity, sense: str) -> dict:
        return self._solve(target, sense)

    def fallback_jobs(self) -> list[str]:
        return list(self.fallbacks)

    def _solve(self, target: Quantity | None, sense: str, seconds: float = 0.0) -> dict:
        t0 = _time.perf_counter()
        out = new_result(target, sense)
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
            out["error"] = error_text(e)
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
