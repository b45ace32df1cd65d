"""Hand the Pyomo LP to HiGHS in memory and bring the solution back as numpy arrays per family.

Path: Pyomo's `LinearStandardFormCompiler` (mixed form: rows keep their <=, >=, == sense) produces a
scipy CSC matrix; it goes to `highspy.Highs.passModel` unchanged. This is the fastest route measured in
shared/reference/solver-baseline.md (no LP file, no per-constraint persistent-interface bookkeeping).
Values and duals are read back in column/row order and scattered to the families by position; they are
not copied into the Pyomo variables (that would cost a Python call per variable).
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from ..errors import SolveError

# "ipm" is pinned to IPX: with highspy-extras installed HiGHS's own "ipm" picks IPX or HiPO by itself, and re300 keeps the
# choice explicit (solver.method: hipo) so a run does not change solver when a package is added.
METHODS = {"choose": "choose", "simplex": "simplex", "ipm": "ipx", "ipx": "ipx", "hipo": "hipo", "pdlp": "pdlp"}
INTERIOR_POINT = {"ipm", "ipx", "hipo"}


def hipo_available() -> bool:
    """HiPO (HiGHS's newer interior-point solver) needs the BLAS/METIS/AMD bundle of the `highspy-extras` wheel
    (installed by `pip install 'highspy[extras]'`); without it HiGHS logs an error and silently uses another solver."""
    import importlib.util

    return importlib.util.find_spec("highspy_extras") is not None


@dataclass
class SolverOptions:
    method: str = "ipm"
    crossover: bool = True
    time_limit_s: float | None = None
    threads: int | None = None
    log_file: Path | None = None
    log_to_console: bool = False
    options: dict = field(default_factory=dict)


@dataclass
class Solution:
    status: str  # HiGHS model status text, e.g. "Optimal"
    optimal: bool
    objective: float  # LP units (bn KRW/yr)
    values: dict[str, np.ndarray]  # family -> values shaped like the family (LP units)
    duals: dict[str, np.ndarray]  # family -> row duals shaped like the family (NaN for skipped rows)
    timings: dict[str, float]
    info: dict  # iterations, sizes, coefficient ranges, options
    # the HiGHS instance (kept for infeasible subsets and diagnostics) and the compiled LP: row / column order
    # (Pyomo ConstraintData / VarData) and bounds in LP units, see `lp_labels`; None when not kept
    highs: Any = field(default=None, repr=False)
    lp: dict | None = field(default=None, repr=False)


def highs_options(opts: SolverOptions) -> dict:
    if opts.method == "cupdlpx":
        raise SolveError("solver method 'cupdlpx' runs on the GPU (re300.solve.cupdlpx), not in HiGHS; this step needs "
                         "a HiGHS method (e.g. 'ipm')")
    if opts.method not in METHODS:
        raise SolveError(f"solver method {opts.method!r} unknown; expected one of {sorted(METHODS)}")
    if opts.method == "hipo" and not hipo_available():
        raise SolveError("solver method 'hipo' needs the highspy-extras package (pip install 'highspy[extras]'); "
                         "expected it next to highspy, or use method 'ipm'")
    o = {"solver": METHODS[opts.method], **run_options(opts)}
    if opts.method in INTERIOR_POINT:
        o["run_crossover"] = "on" if opts.crossover else "off"
    o.update(opts.options or {})
    return o


def run_options(opts: SolverOptions) -> dict:
    """The HiGHS options every solve takes from SolverOptions: logging, time limit, threads, log file."""
    o = {"output_flag": True, "log_to_console": bool(opts.log_to_console)}
    if opts.time_limit_s:
        o["time_limit"] = float(opts.time_limit_s)
    if opts.threads:
        o["threads"] = int(opts.threads)
    if opts.log_file:
        o["log_file"] = str(opts.log_file)
    return o


def compile_lp(built):
    """Compile the Pyomo model into standard form; returns (info, seconds)."""
    t0 = _time.perf_counter()
    info = LinearStandardFormCompiler().write(built.model, mixed_form=True)
    return info, _time.perf_counter() - t0


def coefficient_ranges(A, c, rhs, col_lb, col_ub) -> dict:
    """Smallest and largest absolute non-zero values of the matrix, cost, rhs and finite bounds."""

    def rng(x):
        x = np.abs(np.asarray(x, float))
        x = x[np.isfinite(x) & (x > 0)]
        return [float(x.min()), float(x.max())] if x.size else [0.0, 0.0]

    return {"matrix": rng(A.data), "cost": rng(c), "rhs": rng(rhs), "bounds": rng(np.r_[col_lb, col_ub])}


@dataclass
class PassedLP:
    """The compiled LP as handed to HiGHS (LP units) and what reading its solution back needs.

    highs: the `highspy.Highs` holding the model; A: the constraint matrix (scipy CSC, compiled rows x columns);
    cost, offset: objective coefficients and constant; row_lower/row_upper, col_lower/col_upper: bounds as passed;
    rhs: the compiled right-hand sides; rows, columns: the Pyomo ConstraintData / VarData in HiGHS order;
    compile_s, pass_s: seconds of the standard-form compilation and of the hand-over.
    """

    highs: object
    A: object
    cost: np.ndarray
    offset: float
    rhs: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    rows: list
    columns: list
    compile_s: float
    pass_s: float
    row_labels: list | None = None  # filled by `lp_order`
    col_labels: list | None = None
    row_codes: tuple | None = None  # (family number or -1, flat index) arrays per row / column, also by `lp_order`
    col_codes: tuple | None = None

    @property
    def n_rows(self) -> int:
        return int(self.A.shape[0])

    @property
    def n_cols(self) -> int:
        return int(self.A.shape[1])


def set_options(h, highs_options: dict) -> None:
    """Set HiGHS options on `h`; an option HiGHS rejects is a SolveError naming it."""
    for k, v in highs_options.items():
        status = h.setOptionValue(k, v)
        if status == highspy.HighsStatus.kError:
            raise SolveError(f"HiGHS rejected option {k}={v!r}")


def pass_model(built, opts: SolverOptions | None = None) -> PassedLP:
    """Compile the Pyomo model and pass it to a new `highspy.Highs` with the options of `opts` (not solved yet)."""
    opts = opts or SolverOptions()
    o = highs_options(opts)
    lp = compile_arrays(built)
    t0 = _time.perf_counter()
    lp.highs = load_highs(lp, o)
    lp.pass_s += _time.perf_counter() - t0
    return lp


def compile_arrays(built) -> PassedLP:
    """Compile the Pyomo model into the arrays that go to a solver (LP units; `highs` left None): A (CSC), cost,
    offset, row bounds (senses are carried by them: <= rows have row_lower -inf, >= rows row_upper +inf, equalities
    both equal to the right-hand side) and column bounds."""
    info, t_compile = compile_lp(built)
    t0 = _time.perf_counter()
    A = info.A.tocsc()
    n_rows, n_cols = A.shape
    c = np.asarray(info.c.todense()).ravel() if info.c.shape[0] else np.zeros(n_cols)
    columns = info.columns
    col_lb = np.array([-np.inf if v.lb is None else v.lb for v in columns], float)
    col_ub = np.array([np.inf if v.ub is None else v.ub for v in columns], float)
    senses = np.array([s for _, s in info.rows], dtype=np.int8)
    rhs = np.asarray(info.rhs, float)
    # sense 1 means body <= rhs; sense -1 means body >= rhs; 0 means equality.
    row_lb = np.where(senses == 1, -np.inf, rhs)
    row_ub = np.where(senses == -1, np.inf, rhs)
    offset = float(info.c_offset[0]) if len(info.c_offset) else 0.0
    return PassedLP(None, A, c, offset, rhs, row_lb, row_ub, col_lb, col_ub, [con for con, _ in info.rows], columns,
                    t_compile, _time.perf_counter() - t0)


def load_highs(lp: PassedLP, options: dict):
    """A new `highspy.Highs` holding the arrays of `lp`, with HiGHS `options` set (not solved)."""
    n_rows, n_cols = lp.A.shape
    hlp = highspy.HighsLp()
    hlp.num_col_, hlp.num_row_ = n_cols, n_rows
    hlp.col_cost_ = lp.cost
    hlp.col_lower_, hlp.col_upper_ = lp.col_lower, lp.col_upper
    hlp.row_lower_, hlp.row_upper_ = lp.row_lower, lp.row_upper
    hlp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    hlp.a_matrix_.start_ = lp.A.indptr.astype(np.int32)
    hlp.a_matrix_.index_ = lp.A.indices.astype(np.int32)
    hlp.a_matrix_.value_ = lp.A.data.astype(float)
    hlp.offset_ = lp.offset

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    set_options(h, options)
    h.passModel(hlp)
    return h


def lp_order(built, lp: PassedLP) -> tuple[list, list]:
    """(row labels, column labels) of `lp`: per compiled row / column, (family name, flat index) or None; computed
    once and kept on `lp`."""
    if lp.col_labels is None:
        lp.row_codes = _label_codes(built.lm.constraints, lp.rows)
        lp.col_codes = _label_codes(built.lm.variables, lp.columns)
        lp.row_labels = _code_labels(built.lm.constraints, *lp.row_codes)
        lp.col_labels = _code_labels(built.lm.variables, *lp.col_codes)
    return lp.row_labels, lp.col_labels


def read_solution(built, lp: PassedLP, highs_s: float, highs_options: dict, objective: float | None = None) -> Solution:
    """The solution HiGHS holds for `lp`, scattered back to the families (values and duals in LP units).

    Rows added to the Highs object after `pass_model` (beyond `lp.n_rows`) have no family: their duals are not read.
    objective: overrides HiGHS's objective value (e.g. the cost of a plan solved for another objective).
    """
    h = lp.highs
    t2 = _time.perf_counter()
    n_rows, n_cols = lp.n_rows, lp.n_cols
    model_status = h.getModelStatus()
    status_text = h.modelStatusToString(model_status)
    optimal = model_status == highspy.HighsModelStatus.kOptimal
    sol = h.getSolution()
    hinfo = h.getInfo()
    values_flat = np.asarray(sol.col_value, float) if sol.value_valid else np.full(n_cols, np.nan)
    duals_flat = np.asarray(sol.row_dual, float)[:n_rows] if sol.dual_valid else np.full(n_rows, np.nan)

    values, duals = scatter_solution(built, lp, values_flat, duals_flat)
    t_back = _time.perf_counter() - t2

    ranges = coefficient_ranges(lp.A, lp.cost, lp.rhs, lp.col_lower, lp.col_upper)
    result = Solution(
        status=status_text,
        optimal=bool(optimal),
        objective=float(hinfo.objective_function_value) if objective is None else float(objective),
        values=values,
        duals=duals,
        timings={"compile_s": lp.compile_s, "pass_s": lp.pass_s, "highs_s": highs_s, "extract_s": t_back},
        info={
            "rows": int(n_rows),
            "columns": int(n_cols),
            "nonzeros": int(lp.A.nnz),
            "simplex_iterations": int(hinfo.simplex_iteration_count),
            "ipm_iterations": int(hinfo.ipm_iteration_count),
            "pdlp_iterations": int(getattr(hinfo, "pdlp_iteration_count", 0)),
            "crossover_iterations": int(getattr(hinfo, "crossover_iteration_count", 0)),
            "primal_infeasibility": float(hinfo.max_primal_infeasibility),
            "dual_infeasibility": float(hinfo.max_dual_infeasibility),
            "coefficient_ranges": ranges,
            "highs_version": h.version() if hasattr(h, "version") else None,
            "options": dict(highs_options),
        },
    )
    row_labels, col_labels = lp_order(built, lp)
    result.highs = h
    result.lp = {"row_labels": row_labels, "col_labels": col_labels, "row_lower": lp.row_lower,
                  "row_upper": lp.row_upper, "col_lower": lp.col_lower, "col_upper": lp.col_upper}
    return result


def scatter_solution(built, lp: PassedLP, values_flat: np.ndarray, duals_flat: np.ndarray) -> tuple[dict, dict]:
    """Column values and row duals in compiled order -> (values, duals) per family, shaped like the families (LP
    units). Columns the compiler dropped (in no row and not in the objective) sit at their lower bound; rows without a
    compiled row have NaN duals; a ranged row compiles to two rows whose duals add up."""
    lp_order(built, lp)
    col_fam, col_flat = lp.col_codes
    row_fam, row_flat = lp.row_codes
    values_flat, duals_flat = np.asarray(values_flat, float), np.asarray(duals_flat, float)
    values = {}
    for f, (name, fam) in enumerate(built.lm.variables.items()):
        arr = np.full(fam.items.size, np.nan)
        mine = col_fam == f
        arr[col_flat[mine]] = values_flat[mine]
        dropped = np.isnan(arr)
        if dropped.any():  # dropped by the compiler (in no row and not in the objective): at the lower bound
            arr[dropped] = [v.lb or 0.0 for v in fam.items.ravel()[dropped]]
        values[name] = arr.reshape(fam.shape)
    duals = {}
    for f, (name, fam) in enumerate(built.lm.constraints.items()):
        mine = row_fam == f
        idx, vals = row_flat[mine], duals_flat[mine]
        d = np.full(fam.items.size, np.nan)
        uniq, first = np.unique(idx, return_index=True)
        d[uniq] = vals[first]  # assigned, not added to 0: a dual of -0.0 stays -0.0 (and prints so)
        rest = np.ones(idx.size, bool)
        rest[first] = False
        if rest.any():  # a ranged row compiles to two rows: their duals add up
            np.add.at(d, idx[rest], vals[rest])
        duals[name] = d
    duals = {name: d.reshape(built.lm.constraints[name].shape) for name, d in duals.items()}
    return values, duals


def solve_highs(built, opts: SolverOptions | None = None) -> Solution:
    """Compile `built`, solve it with HiGHS (interruptible) and read the solution back, with its quality measured on
    the compiled LP (`info["quality"]`, see `re300.solve.quality`). `re300.solve.solver.solve` chooses between this
    and the GPU solver (`re300.solve.cupdlpx`) by the method."""
    opts = opts or SolverOptions()
    lp = pass_model(built, opts)
    t1 = _time.perf_counter()
    run_interruptible(lp.highs)
    sol = read_solution(built, lp, _time.perf_counter() - t1, highs_options(opts))
    sol.info["solver"] = "HiGHS"
    add_quality(sol, lp)
    return sol


def add_quality(sol: Solution, lp: PassedLP) -> None:
    """`sol.info["quality"]`: the measures of `re300.solve.quality` for the solution the Highs instance of `lp` holds
    (on the arrays of `lp`: the LP as compiled, before any presolve); `timings["quality_s"]` their time."""
    from .quality import lp_quality

    t0 = _time.perf_counter()
    s = lp.highs.getSolution()
    x = np.asarray(s.col_value, float) if s.value_valid else np.full(lp.n_cols, np.nan)
    y = np.asarray(s.row_dual, float)[:lp.n_rows] if s.dual_valid else None
    sol.info["quality"] = lp_quality(lp, x, y)
    sol.timings["quality_s"] = _time.perf_counter() - t0


def run_interruptible(h) -> None:
    """Run HiGHS in highspy's worker thread so that Ctrl-C (or SIGTERM turned into KeyboardInterrupt by the CLI)
    stops the solve: the main thread waits in short slices, and on KeyboardInterrupt asks HiGHS to stop through its
    interrupt callback, waits for the worker to finish, and re-raises KeyboardInterrupt.
    """
    h.HandleUserInterrupt = True
    h.startSolve()
    try:
        while not h.wait(0.1)[0]:
            pass
    except KeyboardInterrupt:
        h.cancelSolve()
        while True:
            try:
                if h.wait(0.1)[0]:
                    break
            except KeyboardInterrupt:  # a second signal while HiGHS winds down: keep waiting for the worker
                continue
        raise


def _label_codes(families, order) -> tuple[np.ndarray, np.ndarray]:
    """For each Pyomo object of the compiled LP (in HiGHS order): its family's number in `families` (-1: none) and
    its flat index in the family, as two integer arrays (matched by object identity, sorted, without a Python loop
    over the LP)."""
    get_id = np.frompyfunc(id, 1, 1)
    none_id = id(None)
    keys, fams, flats = [], [], []
    for f, fam in enumerate(families.values()):
        ids = get_id(fam.items.ravel()).astype(np.int64) if fam.items.size else np.zeros(0, np.int64)
        present = np.flatnonzero(ids != none_id)
        keys.append(ids[present])
        fams.append(np.full(present.size, f, np.int32))
        flats.append(present)
    keys = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    fams = np.concatenate(fams) if fams else np.zeros(0, np.int32)
    flats = np.concatenate(flats) if flats else np.zeros(0, np.int64)
    sort = np.argsort(keys, kind="stable")
    keys, fams, flats = keys[sort], fams[sort], flats[sort]
    wanted = np.fromiter(map(id, order), np.int64, count=len(order))
    at = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
    found = keys[at] == wanted if keys.size else np.zeros(wanted.size, bool)
    return np.where(found, fams[at], -1).astype(np.int32), np.where(found, flats[at], -1).astype(np.int64)


def _code_labels(families, fam_codes: np.ndarray, flat: np.ndarray) -> list:
    """`_label_codes` as a list of (family name, flat index) or None."""
    names = list(families)
    return [None if f < 0 else (names[f], k) for f, k in zip(fam_codes.tolist(), flat.tolist())]


def lp_labels(built, sol) -> tuple[list, list]:
    """(rows, columns) of the compiled LP in HiGHS order, each entry (family name, flat index in the family) or
    None; families are `built.lm.constraints` / `built.lm.variables` (their `dims` and `coords` name the index)."""
    lp = sol.lp
    if lp is None:
        raise SolveError("this solution keeps no compiled LP (solved before re300 kept the row order)")
    return lp["row_labels"], lp["col_labels"]
