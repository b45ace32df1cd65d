"""One compiled LP held in one `highspy.Highs` object, changed in place and re-solved from the previous basis.

Re-solves that change only numbers (the objective, column bounds, an added row) do not need Pyomo again: the model
is built and compiled once (`re300.solve.highs.pass_model`), and each change goes straight to HiGHS
(`changeColsCost`, `changeColsBounds`, `addRow`). HiGHS keeps the basis of the last solve across such changes, so a
simplex re-solve starts from it: after a cost change the old optimal basis is still primal feasible, and an added row
enters with its slack basic. Pyomo's own persistent HiGHS interface would do the same bookkeeping per constraint
object, which is what re300 avoids on the way in (see highs.py).

Everything is in LP units (GW, GWh, bn KRW); columns are addressed by position in the compiled LP: `columns(family)`
maps a variable family of `built.lm.variables` to those positions. Solutions have the shape of
`re300.solve.highs.solve_highs`'s.
"""
from __future__ import annotations

import time as _time

import highspy
import numpy as np

from ..errors import SolveError
from .highs import Solution, SolverOptions, highs_options, lp_order, pass_model, read_solution, run_interruptible, set_options

# HiGHS's simplex_strategy option: 1 = dual simplex, 4 = primal simplex
SIMPLEX_STRATEGY = {"dual": 1, "primal": 4}


class CompiledLP:
    """The LP of `built` in one HiGHS instance: `solve()`, then `set_objective`, `set_col_bounds`, `add_row` and
    `solve()` again from the last basis.

    opts: the options of the first solve (as `re300.solve.highs.solve_highs` takes them); `use_options` changes them for
    the next solves (e.g. interior point for the first solve, simplex for the warm-started re-solves).
    """

    def __init__(self, built, opts: SolverOptions | None = None):
        self.built = built
        self.opts = opts or SolverOptions()
        self.lp = pass_model(built, self.opts)
        self.highs_options = highs_options(self.opts)
        self.built_cost = self.lp.cost.copy()  # the objective the model was built with (cost, bn KRW/yr)
        self.built_offset = self.lp.offset
        self.added_rows = 0
        self.last_highs_s: float | None = None  # seconds in HiGHS of the last solve
        self._columns: dict[str, np.ndarray] = {}

    @property
    def highs(self):
        return self.lp.highs

    @property
    def n_cols(self) -> int:
        return self.lp.n_cols

    # -- addressing -----------------------------------------------------------------------------------------------
    def columns(self, family: str) -> np.ndarray:
        """LP column of each variable of `family` (flat order of the family's items); -1 where the compiler dropped
        the variable (in no row and not in the objective)."""
        if family not in self._columns:
            fam = self.built.lm.variables.get(family)
            if fam is None:
                raise SolveError(f"the model has no variable family {family!r}")
            out = np.full(fam.items.size, -1, np.int64)
            _, col_labels = lp_order(self.built, self.lp)
            for j, lab in enumerate(col_labels):
                if lab is not None and lab[0] == family:
                    out[lab[1]] = j
            self._columns[family] = out
        return self._columns[family]

    # -- changes ---------------------------------------------------------------------------------------------------
    def set_objective(self, cost: np.ndarray, offset: float = 0.0) -> None:
        """Minimise cost · x + offset from now on (cost: one coefficient per LP column)."""
        cost = np.asarray(cost, float)
        if cost.shape != (self.n_cols,):
            raise SolveError(f"objective needs {self.n_cols} coefficients, got {cost.shape}")
        changed = np.flatnonzero(cost != self.lp.cost)
        if changed.size:
            _check(self.highs.changeColsCost(changed.size, changed.astype(np.int32), cost[changed]), "changeColsCost")
        _check(self.highs.changeObjectiveOffset(float(offset)), "changeObjectiveOffset")
        self.lp.cost, self.lp.offset = cost.copy(), float(offset)

    def set_col_bounds(self, columns, lower, upper) -> None:
        """New bounds for the given LP columns (lower/upper: scalars or one value per column; ±inf = free)."""
        cols = np.asarray(columns, np.int64).ravel()
        if cols.size == 0:
            return
        if cols.min() < 0 or cols.max() >= self.n_cols:
            raise SolveError("set_col_bounds: a column is not in the compiled LP (dropped by the compiler?)")
        lo = np.broadcast_to(np.asarray(lower, float), cols.shape).copy()
        hi = np.broadcast_to(np.asarray(upper, float), cols.shape).copy()
        _check(self.highs.changeColsBounds(cols.size, cols.astype(np.int32), lo, hi), "changeColsBounds")
        # new arrays: solutions read earlier keep the bounds they were solved with
        self.lp.col_lower, self.lp.col_upper = self.lp.col_lower.copy(), self.lp.col_upper.copy()
        self.lp.col_lower[cols], self.lp.col_upper[cols] = lo, hi

    def add_row(self, columns, coefs, lower: float = -np.inf, upper: float = np.inf) -> int:
        """Add the row lower <= Σ coefs · x[columns] <= upper; returns its row number in HiGHS. Its slack enters the
        basis, so a basis that satisfies the row stays primal feasible."""
        cols = np.asarray(columns, np.int64).ravel()
        vals = np.broadcast_to(np.asarray(coefs, float), cols.shape).astype(float)
        keep = vals != 0.0
        cols, vals = cols[keep], vals[keep]
        if cols.size and (cols.min() < 0 or cols.max() >= self.n_cols):
            raise SolveError("add_row: a column is not in the compiled LP (dropped by the compiler?)")
        _check(self.highs.addRow(float(lower), float(upper), cols.size, cols.astype(np.int32), vals), "addRow")
        self.added_rows += 1
        return self.lp.n_rows + self.added_rows - 1

    def use_options(self, opts: SolverOptions, simplex_strategy: str | None = None) -> None:
        """Options of the next solves; simplex_strategy 'primal' or 'dual' picks the simplex variant (None leaves it as set)."""
        o = highs_options(opts)
        if simplex_strategy is not None:
            if simplex_strategy not in SIMPLEX_STRATEGY:
                raise SolveError(f"simplex strategy {simplex_strategy!r} unknown; expected one of {sorted(SIMPLEX_STRATEGY)}")
            o["simplex_strategy"] = SIMPLEX_STRATEGY[simplex_strategy]
        set_options(self.highs, o)
        self.opts, self.highs_options = opts, o

    # -- basis -----------------------------------------------------------------------------------------------------
    def basis(self) -> dict | None:
        """The current basis as plain integer arrays (picklable; HiGHS's HighsBasisStatus codes), None if invalid."""
        b = self.highs.getBasis()
        if not b.valid:
            return None
        return {"col_status": np.array([int(s) for s in b.col_status], np.int8),
                "row_status": np.array([int(s) for s in b.row_status], np.int8)}

    def clear_basis(self) -> None:
        """Forget the basis and solution: the next solve starts from scratch."""
        _check(self.highs.clearSolver(), "clearSolver")

    def set_basis(self, basis: dict) -> None:
        """Start the next simplex solve from `basis` (from `basis()` of this LP or of one built from the same data
        with the same changes)."""
        b = highspy.HighsBasis()
        b.col_status = [highspy.HighsBasisStatus(int(s)) for s in basis["col_status"]]
        b.row_status = [highspy.HighsBasisStatus(int(s)) for s in basis["row_status"]]
        b.valid = True
        _check(self.highs.setBasis(b), "setBasis")

    # -- solving ---------------------------------------------------------------------------------------------------
    def solve(self, time_limit_s: float | None = None) -> Solution:
        """Solve the LP as it stands (interruptible, like `re300.solve.highs.solve_highs`); time_limit_s: for this solve
        instead of the options' limit."""
        limit = time_limit_s if time_limit_s is not None else self.opts.time_limit_s
        # HiGHS measures its time limit on a clock that runs on across the solves of one instance
        set_options(self.highs, {"time_limit": self.highs.getRunTime() + float(limit) if limit is not None else np.inf})
        t1 = _time.perf_counter()
        run_interruptible(self.highs)
        self.last_highs_s = _time.perf_counter() - t1
        return read_solution(self.built, self.lp, self.last_highs_s, self.highs_options)

    def column_values(self) -> np.ndarray:
        """Values of the last solve per LP column (NaN when HiGHS holds no primal solution)."""
        sol = self.highs.getSolution()
        return np.asarray(sol.col_value, float) if sol.value_valid else np.full(self.n_cols, np.nan)

    def built_objective(self) -> float:
        """The objective the model was built with (total cost, bn KRW/yr) at the last solution."""
        return self.built_offset + float(self.built_cost @ self.column_values())


def _check(status, what: str) -> None:
    if status == highspy.HighsStatus.kError:
        raise SolveError(f"HiGHS refused {what} on the compiled LP")

