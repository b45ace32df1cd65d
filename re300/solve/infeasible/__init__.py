"""Why an LP is infeasible: an irreducible infeasible subset named in re300's words.

With slacks off (`targets.allow_shortfall: false`) an infeasible LP is explained by an irreducible infeasible subset
(dropping any one member makes it feasible), found from a vertex of the LP's alternative system (`farkas`) or, on
request, by HiGHS (`Highs.getIis`), translated back from row/column numbers to constraint families and their
coordinates (technology|region, link, snapshot) and grouped over the hours (`subset`).
"""
from __future__ import annotations

import time as _time

import highspy
import numpy as np

from re300.errors import SolveError
from re300.model.names import STORAGE_CHARGE, STORAGE_ENERGY, STORAGE_POWER, Row, Var

from .farkas import Candidates, alternative_lp, lp_arrays, reduce_alternative
from .subset import BOUND_TEXT, IIS_STATUS, Grouper, InfeasibleSubset, SubsetGroup, subset_text, time_axis

# seconds for re300's reduction when solver.options has no `iis_time_limit`; `iis_strategy` in solver.options asks
# for HiGHS's own getIis instead (2: elasticity filter, reducible; 6: plus its deletion filter, irreducible but slow)
IIS_TIME_BUDGET_S = 120.0
ELASTIC_IIS_STRATEGY = 2  # the fallback when re300's reduction runs out of time
DISFAVOURED_WEIGHT = 1000.0
DISFAVOURED_ROWS = frozenset({Row.POWER_BALANCE, Row.CHARGE_LIMIT, Row.DISCHARGE_LIMIT, Row.ENERGY_LIMIT})
DISFAVOURED_COLUMNS = frozenset({Var.UNSERVED, Var.ABSORBED, STORAGE_POWER.variable, STORAGE_ENERGY.variable,
                                 STORAGE_CHARGE.variable})
FAVOURED_LOWER_BOUNDS = frozenset({Var.CHARGE, Var.SOC})  # storage cannot create energy; other x >= 0 are disfavoured


def _label_keys(labels, families) -> tuple[np.ndarray, np.ndarray, list]:
    """Per LP row (or column): family number (-1 unlabelled) and its flat index with the time-like coordinate set to 0
    (so one technology|region over all hours shares a key); and the family names."""
    names = list(families)
    pos = {n: i for i, n in enumerate(names)}
    fam = np.array([-1 if w is None else pos[w[0]] for w in labels], np.int64)
    key = np.array([-1 if w is None else w[1] for w in labels], np.int64)
    for i, name in enumerate(names):
        f, sel = families[name], fam == i
        axis = time_axis(f)
        if axis is not None and sel.any():
            idx = list(np.unravel_index(key[sel], f.shape))
            idx[axis] = np.zeros_like(idx[axis])
            key[sel] = np.ravel_multi_index(idx, f.shape)
    return fam, key, names


def _candidate_groups(built, sol, cand: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: its family name and its group number (family x non-time coordinates, and the side for column
    bounds); unlabelled members are groups of their own."""
    from re300.solve.highs import lp_labels

    row_map, col_map = lp_labels(built, sol)
    rf, rk, rnames = _label_keys(row_map, built.lm.constraints)
    cf, ck, cnames = _label_keys(col_map, built.lm.variables)
    is_row = cand.kind == 0
    fam = np.where(is_row, rf[np.where(is_row, cand.index, 0)], cf[np.where(is_row, 0, cand.index)])
    key = np.where(is_row, rk[np.where(is_row, cand.index, 0)], ck[np.where(is_row, 0, cand.index)])
    key = np.where(fam < 0, cand.index, key)
    side = np.where(is_row, 0, cand.upper.astype(np.int64) + 1)
    _, group = np.unique(np.stack([cand.kind, fam, key, side], axis=1), axis=0, return_inverse=True)
    names = np.array([""] + rnames + cnames, dtype=object)
    family = names[np.where(fam < 0, 0, 1 + fam + np.where(is_row, 0, len(rnames)))]
    return family, group.ravel()


def _disfavoured(kind: int, family: str, upper: bool) -> bool:
    if kind == 0:
        return family in DISFAVOURED_ROWS
    return family in DISFAVOURED_COLUMNS or (not upper and family not in FAVOURED_LOWER_BOUNDS)


def irreducible_subset(built, sol, time_limit_s: float = IIS_TIME_BUDGET_S) -> InfeasibleSubset | None:
    """re300's irreducible infeasible subset of the LP behind `sol` (an infeasible solve), in readable groups; None
    when the budget ran out before the first solve of the alternative LP (see the notes above)."""
    h = sol.highs
    if h is None or sol.lp is None:
        raise SolveError("no HiGHS instance kept with this solution; cannot compute an infeasible subset")
    t0 = _time.perf_counter()
    A, *bounds = lp_arrays(h.getLp())
    alt, cand = alternative_lp(A, *bounds)
    family, group = _candidate_groups(built, sol, cand)
    bad = np.array([_disfavoured(int(k), f, bool(u)) for k, f, u in zip(cand.kind, family, cand.upper)], bool)
    weights = np.where(bad, DISFAVOURED_WEIGHT, 1.0)
    # steering: the disfavoured groups (a whole family x asset over all hours at once), largest first
    sizes = np.bincount(group)
    members_of = np.split(np.argsort(group, kind="stable"), np.cumsum(sizes)[:-1])
    steer = [members_of[g] for g in np.argsort(-sizes, kind="stable") if bad[members_of[g][0]]]
    left = float(time_limit_s) - (_time.perf_counter() - t0)
    red = reduce_alternative(A, bounds, alt, cand, weights, group, steer, left)
    if red is None:
        return None
    if red.status == "feasible":
        raise SolveError("HiGHS reported the LP infeasible, but no certificate of infeasibility exists within its "
                         "tolerances (numerically borderline); set targets.allow_shortfall: true to see the gap")
    members = [cand.member(int(c)) for c in red.members]
    seconds = _time.perf_counter() - t0
    return _named_subset(built, sol, members, red.status, f"found in {seconds:.1f} s, {red.solves} LP solves", seconds)


def _named_subset(built, sol, members, status: str, method: str, seconds: float) -> InfeasibleSubset:
    grouper = Grouper(built, sol)
    sides: dict[tuple, set] = {}
    for kind, index, side in members:
        sides.setdefault((kind, index), set()).add(side)
    for (kind, index), s in sides.items():
        grouper.add(kind, index, "both" if len(s) == 2 else next(iter(s)))
    n_rows = sum(1 for kind, _ in sides if kind == "row")
    n_cols = sum(1 for kind, _, _ in members if kind == "column")
    glist = list(grouper.groups.values())
    if grouper.unlabelled:
        method += f"; {grouper.unlabelled} members outside re300's constraint families"
    return InfeasibleSubset(status, n_rows, n_cols, glist, subset_text(glist, status, n_rows, n_cols, method),
                            members=sorted(members), method=method, seconds=seconds)


def highs_subset(built, sol, strategy: int | None = None, time_limit_s: float | None = None) -> InfeasibleSubset:
    """HiGHS's own infeasible subset (`Highs.getIis`; strategy None = the option already set on the instance)."""
    h = sol.highs
    if h is None or sol.lp is None:
        raise SolveError("no HiGHS instance kept with this solution; cannot compute an infeasible subset")
    t0 = _time.perf_counter()
    if strategy is not None:
        h.setOptionValue("iis_strategy", int(strategy))
    if time_limit_s is not None:
        h.setOptionValue("iis_time_limit", float(time_limit_s))
    h.setOptionValue("solver", "simplex")  # the elasticity filter's LPs: 6 s with simplex vs 16 s with IPM on quick
    h.setOptionValue("log_to_console", False)
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        raise SolveError("HiGHS could not compute an infeasible subset (getIis failed)")
    members = []
    for kind, indices, bounds in (("row", iis.row_index_, iis.row_bound_), ("column", iis.col_index_, iis.col_bound_)):
        for i, b in zip(indices, bounds):
            text = BOUND_TEXT.get(int(b), str(b))
            if text in ("lower", "upper"):
                members.append((kind, int(i), text))
            elif text == "both":
                members += [(kind, int(i), "lower"), (kind, int(i), "upper")]
            # 'free': a column that takes part in the subset's rows without its bounds (not a member)
    used = strategy
    if used is None:
        used = h.getOptionValue("iis_strategy")
        used = used[1] if isinstance(used, tuple) else used  # highspy returns (status, value)
    seconds = _time.perf_counter() - t0
    return _named_subset(built, sol, members, IIS_STATUS.get(int(iis.status_), str(iis.status_)),
                         f"HiGHS getIis, iis_strategy {used}, {seconds:.1f} s", seconds)


def infeasible_subset(built, sol, strategy: int | None = None, time_limit_s: float | None = None) -> InfeasibleSubset:
    """The infeasible subset of the LP behind `sol` (an infeasible solve), named by family, coordinates and hours.

    strategy None: re300's irreducible subset (`irreducible_subset`) within `time_limit_s` (default
    IIS_TIME_BUDGET_S), falling back to HiGHS's elasticity filter (reducible) when that runs out; an integer: HiGHS's
    `getIis` with that `iis_strategy`.
    """
    if strategy is not None:
        return highs_subset(built, sol, strategy, time_limit_s)
    budget = IIS_TIME_BUDGET_S if time_limit_s is None else float(time_limit_s)
    out = irreducible_subset(built, sol, budget)
    if out is not None:
        return out
    return highs_subset(built, sol, ELASTIC_IIS_STRATEGY, max(budget, 10.0))



def explain_infeasibility(built, sol, options: dict | None = None, year: int | None = None) -> str:
    """The readable infeasible-subset text for an infeasible solve: re300's irreducible subset, or HiGHS's getIis
    when the scenario's solver.options set `iis_strategy`; `iis_time_limit` there sets the time budget. `year`: the
    planning year of a single-year run, named with its targets ("renewable target 2050 (>= ...)"); pathway targets
    carry their period already."""
    options = options or {}
    strategy = options.get("iis_strategy")
    budget = options.get("iis_time_limit")
    subset = infeasible_subset(built, sol, strategy=None if strategy is None else int(strategy),
                               time_limit_s=None if budget is None else float(budget))
    return subset.describe(year)


__all__ = ["InfeasibleSubset", "SubsetGroup", "explain_infeasibility", "highs_subset", "infeasible_subset",
           "irreducible_subset"]
