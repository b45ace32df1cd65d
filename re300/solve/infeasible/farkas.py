"""An irreducible infeasible subset of an LP from a vertex of its alternative (Farkas) system.

Pure LP algorithm on HiGHS arrays (no re300 names): `alternative_lp` writes the system, `reduce_alternative` finds a
weighted vertex, drops steered groups and checks irreducibility by re-solving. `re300.solve.infeasible` names the
result in re300's families.
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass

import highspy
import numpy as np

# ---- infeasible subset (slacks off) -------------------------------------------------------------------------------
#
# A subset of the LP's constraints (rows, and the lower or upper bounds of columns) is an *infeasible subset* when no
# point satisfies it; it is *irreducible* (an IIS) when dropping any single member makes it feasible. re300 finds one
# from the alternative (Farkas) system of the LP. Write every member c as  m_c · x >= b_c  (a row's lower side
# a_i x >= L_i, its upper side -a_i x >= -U_i, a column's bounds x_j >= l_j and -x_j >= -u_j). Multipliers y >= 0 with
#
#       Σ_c y_c m_c = 0   and   Σ_c y_c b_c = R > 0
#
# prove the members with y_c > 0 infeasible together (summing y_c · (m_c x >= b_c) gives 0 >= R). Gleeson and Ryan
# (1990, ORSA Journal on Computing 2(1):61-67, "Identifying minimally infeasible subsystems of inequalities") showed
# that the supports of the *vertices* of this polyhedron are exactly the irreducible infeasible subsets. A simplex
# solve of  min Σ_c w_c y_c  over it ends on a vertex, so its support is an IIS; the weights w_c steer which one (an LP
# usually has many): members that explain a target (the target rows, hourly availability, potentials, storage energy
# balance) cost 1, members that merely re-route the same shortage (power balance rows, slack bounds, storage power and
# energy build limits, non-negativity of flows and output) cost DISFAVOURED_WEIGHT. Then, as in a deletion filter over
# groups, each disfavoured group (one family and one technology|region or link, over all hours) still in the subset is
# dropped if the LP without it stays infeasible (a cold primal solve with presolve answers that; the new vertex is then
# a warm-started re-solve with the group's multipliers fixed at 0). Finally the multipliers outside the support are
# fixed at 0 and the alternative LP re-solved: the subset is irreducible when this solve is optimal, ends with the same
# support and every member is in the simplex basis (independent columns m_c: a vertex). As a check of the arithmetic,
# the original LP is re-solved with only the subset's bounds (must be infeasible) and without each of its groups in
# turn (must be feasible); a disagreement reports the subset as reducible. On `quick` with the target at 10x
# consumption all this takes about 5 s (README); HiGHS's own deletion filter (iis_strategy 6) did not finish in 120 s.
# If the budget runs out before the first solve, HiGHS's elasticity filter (iis_strategy 2) is reported instead, with
# HiGHS's own verdict (reducible).


# a multiplier counts as zero below this fraction of the largest one
SUPPORT_TOLERANCE = 1e-9


# -- the alternative LP ------------------------------------------------------------------------------------------


def _highs_lp(A, cost, col_lower, col_upper, row_lower, row_upper):
    """A highspy HighsLp from a scipy sparse matrix and its bounds."""
    A = A.tocsc()
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = A.shape
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    return lp


@dataclass
class Candidates:
    """Every finite bound of the LP as a member of the alternative system: kind 0 = row, 1 = column; index = LP row
    or column number; upper = the upper side (else the lower); value = the bound."""

    kind: np.ndarray
    index: np.ndarray
    upper: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)

    def member(self, c: int) -> tuple[str, int, str]:
        return ("row" if self.kind[c] == 0 else "column", int(self.index[c]), "upper" if self.upper[c] else "lower")


def lp_arrays(lp) -> tuple:
    """(A as scipy CSC, row_lower, row_upper, col_lower, col_upper) of a highspy HighsLp."""
    import scipy.sparse as sp

    m = lp.a_matrix_
    if m.format_ != highspy.MatrixFormat.kColwise:
        raise ValueError("expected a column-wise HiGHS matrix")
    A = sp.csc_matrix((np.asarray(m.value_, float), np.asarray(m.index_), np.asarray(m.start_)),
                      shape=(lp.num_row_, lp.num_col_))
    return (A, np.asarray(lp.row_lower_, float), np.asarray(lp.row_upper_, float), np.asarray(lp.col_lower_, float),
            np.asarray(lp.col_upper_, float))


def alternative_lp(A, row_lower, row_upper, col_lower, col_upper) -> tuple:
    """The alternative system of `row_lower <= A x <= row_upper, col_lower <= x <= col_upper` (module notes):
    (HighsLp with one column y_c per finite bound and one row per LP column plus the normalisation row, Candidates).
    Costs are left at zero."""
    import scipy.sparse as sp

    n = A.shape[1]
    inf = highspy.kHighsInf
    finite = [np.flatnonzero(row_lower > -inf), np.flatnonzero(row_upper < inf),
              np.flatnonzero(col_lower > -inf), np.flatnonzero(col_upper < inf)]
    AT = A.T.tocsc()
    eye = sp.identity(n, format="csc")
    M = sp.hstack([AT[:, finite[0]], -AT[:, finite[1]], eye[:, finite[2]], -eye[:, finite[3]]]).tocsc()
    b = np.r_[row_lower[finite[0]], -row_upper[finite[1]], col_lower[finite[2]], -col_upper[finite[3]]]
    scale = float(np.abs(b).max()) if b.size and np.abs(b).max() > 0 else 1.0  # keeps the multipliers near 1
    M = sp.vstack([M, sp.csr_matrix(b[None, :] / scale)]).tocsc()
    sizes = [len(f) for f in finite]
    cand = Candidates(
        kind=np.repeat([0, 0, 1, 1], sizes), index=np.concatenate(finite).astype(np.int64),
        upper=np.repeat([False, True, False, True], sizes),
        value=np.r_[row_lower[finite[0]], row_upper[finite[1]], col_lower[finite[2]], col_upper[finite[3]]])
    k = M.shape[1]
    rhs = np.r_[np.zeros(n), 1.0]
    return _highs_lp(M, np.zeros(k), np.zeros(k), np.full(k, inf), rhs, rhs), cand


@dataclass
class Reduction:
    members: np.ndarray  # candidate numbers of the subset
    status: str  # irreducible / reducible (not confirmed as a vertex) / feasible (no certificate)
    seconds: float
    solves: int
    groups_dropped: int  # disfavoured groups dropped by the steering pass


def _run_until(h, deadline: float):
    """Run HiGHS with the time left before `deadline`; its model status, or None when no time was left or the limit
    was hit."""
    left = deadline - _time.perf_counter()
    if left <= 0:
        return None
    h.setOptionValue("time_limit", h.getRunTime() + left)
    h.run()
    status = h.getModelStatus()
    return None if status == highspy.HighsModelStatus.kTimeLimit else status


class _AlternativeSolver:
    """One HiGHS instance on the alternative LP; bounds of the multipliers change, the basis carries over."""

    def __init__(self, lp, weights, deadline: float):
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("solver", "simplex")
        self.h.setOptionValue("simplex_strategy", 1)  # dual simplex: 3-4 s on quick, primal over 40 s
        lp.col_cost_ = np.asarray(weights, float)
        self.h.passModel(lp)
        self.k = lp.num_col_
        self.deadline = deadline
        self.solves = 0

    def run(self) -> str:
        """'optimal' (the members allowed are infeasible together), 'infeasible' (they are feasible) or 'stopped'.
        Call it only where 'optimal' is expected: proving the alternative LP infeasible from a warm start can take
        minutes (_PrimalCheck answers that question)."""
        status = _run_until(self.h, self.deadline)
        self.h.setOptionValue("presolve", "off")  # later solves start from the basis
        self.solves += 1
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal"
        return "infeasible" if status == highspy.HighsModelStatus.kInfeasible else "stopped"

    def support(self) -> np.ndarray:
        y = np.asarray(self.h.getSolution().col_value, float)
        top = float(y.max()) if y.size else 0.0
        return np.flatnonzero(y > SUPPORT_TOLERANCE * top) if top > 0 else np.zeros(0, np.int64)

    def allow(self, cands: np.ndarray, on: bool) -> None:
        cands = np.asarray(cands, np.int32)
        if cands.size:
            self.h.changeColsBounds(len(cands), cands, np.zeros(len(cands)),
                                    np.full(len(cands), highspy.kHighsInf if on else 0.0))

    def in_basis(self, cands: np.ndarray) -> bool:
        status = self.h.getBasis().col_status
        basic = highspy.HighsBasisStatus.kBasic
        return all(status[int(c)] == basic for c in cands)


class _PrimalCheck:
    """The original LP with a zero objective, to ask whether the members in force minus some are still infeasible (a
    cold solve with presolve each time: 0.3-0.8 s on quick, where a warm-started simplex may stall for minutes)."""

    def __init__(self, A, bounds, cand: Candidates, deadline: float):
        self.bounds = [np.array(b, float) for b in bounds]  # row_lower, row_upper, col_lower, col_upper in force
        self.cand, self.deadline = cand, deadline
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("solver", "simplex")
        row_lower, row_upper, col_lower, col_upper = self.bounds
        self.h.passModel(_highs_lp(A, np.zeros(A.shape[1]), col_lower, col_upper, row_lower, row_upper))
        self.solves = 0

    def drop(self, cands: np.ndarray, restore: bool = False) -> None:
        """Take the bounds of `cands` out of force (or put them back)."""
        c = self.cand
        cands = np.asarray(cands, np.int64)
        for kind in (0, 1):
            sel = cands[c.kind[cands] == kind]
            if not sel.size:
                continue
            lo, hi = self.bounds[2 * kind], self.bounds[2 * kind + 1]
            for upper, arr in ((False, lo), (True, hi)):
                part = sel[c.upper[sel] == upper]
                arr[c.index[part]] = c.value[part] if restore else (np.inf if upper else -np.inf)
            idx = np.unique(c.index[sel]).astype(np.int32)
            change = self.h.changeRowsBounds if kind == 0 else self.h.changeColsBounds
            change(len(idx), idx, lo[idx], hi[idx])

    def infeasible_without(self, cands: np.ndarray) -> bool | None:
        """Are the members in force, minus `cands`, still infeasible? None: no time left. `cands` stay out of force
        when the answer is True (the deletion filter drops them) and are put back otherwise."""
        self.drop(cands)
        self.h.clearSolver()
        status = _run_until(self.h, self.deadline)
        self.solves += 1
        if status == highspy.HighsModelStatus.kInfeasible:
            return True
        self.drop(cands, restore=True)
        return None if status is None else False


def reduce_alternative(A, bounds, alt, cand: Candidates, weights, group, steer_groups,
                       time_limit_s: float) -> Reduction | None:
    """Irreducible infeasible subset of the LP (A, bounds = row_lower, row_upper, col_lower, col_upper) from its
    alternative LP `alt` (see `alternative_lp`): the weighted vertex; then each group of `steer_groups` (arrays of
    candidate numbers, in order) that the subset uses is dropped if the LP without it stays infeasible (a deletion
    filter over groups), followed by a warm-started re-solve for the new vertex; then the vertex check, and a check
    by re-solving the original LP that the subset is infeasible and that it becomes feasible without any one of its
    groups (`group`: group number of each candidate). None when the first solve does not finish within
    `time_limit_s`; status 'feasible' when there is no certificate (HiGHS's infeasibility was numerical)."""
    t0 = _time.perf_counter()
    deadline = t0 + float(time_limit_s)
    s = _AlternativeSolver(alt, weights, deadline)
    first = s.run()
    if first != "optimal":
        return None if first == "stopped" else Reduction(np.zeros(0, np.int64), "feasible", _time.perf_counter() - t0,
                                                         s.solves, 0)
    support = s.support()
    dropped, out, primal = 0, [], None
    steer_until = t0 + 0.8 * float(time_limit_s)  # keep time for the vertex check
    for members in steer_groups:
        if not np.isin(members, support).any():
            s.allow(members, False)  # not used by the current subset: the solution stays optimal without it
            out.append(members)
            continue
        if primal is None:
            primal = _PrimalCheck(A, bounds, cand, steer_until)
        if out:
            primal.drop(np.concatenate(out))
            out = []
        answer = primal.infeasible_without(members)
        if answer is None:
            break
        if answer:
            s.allow(members, False)
            if s.run() != "optimal":  # not in exact arithmetic: the members left are infeasible
                s.allow(members, True)
                break
            support, dropped = s.support(), dropped + 1
    # the vertex check: only the support allowed; the same support, all of it basic
    status = "reducible"
    s.deadline = max(deadline, _time.perf_counter() + 0.2 * float(time_limit_s))
    for _ in range(3):
        s.allow(np.setdiff1d(np.arange(s.k), support, assume_unique=True), False)
        if s.run() != "optimal":
            break
        again = s.support()
        if np.array_equal(again, support) and s.in_basis(support):
            status = "irreducible"
            break
        support = again
    solves = s.solves + (primal.solves if primal is not None else 0)
    if status == "irreducible":
        check = _PrimalCheck(A, _bounds_in_force(cand, support, A.shape), cand, s.deadline)
        # True: as the vertex argument says; None: no time left for that check
        verdicts = [check.infeasible_without(np.zeros(0, np.int64))]
        for g in np.unique(group[support]):
            answer = check.infeasible_without(support[group[support] == g])
            verdicts.append(None if answer is None else not answer)
        if False in verdicts:  # a numerical slip: the vertex argument and the re-solves disagree
            status = "reducible"
        solves += check.solves
    return Reduction(support, status, _time.perf_counter() - t0, solves, dropped)


def _bounds_in_force(cand: Candidates, members: np.ndarray, shape) -> list[np.ndarray]:
    """(row_lower, row_upper, col_lower, col_upper) with only the bounds of `members` finite."""
    m, n = shape
    out = [np.full(m, -np.inf), np.full(m, np.inf), np.full(n, -np.inf), np.full(n, np.inf)]
    for c in members:
        out[2 * int(cand.kind[c]) + int(cand.upper[c])][cand.index[c]] = cand.value[c]
    return out


# -- re300's families on top ---------------------------------------------------------------------------------------
