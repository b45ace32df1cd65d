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


def _highs_options(opts: SolverOptions) -> dict:
    if opts.method not in METHODS:
        raise SolveError(f"solver method {opts.method!r} unknown; expected one of {sorted(METHODS)}")
    if opts.method == "hipo" and not hipo_available():
        raise SolveError("solver method 'hipo' needs the highspy-extras package (pip install 'highspy[extras]'); "
                         "expected it next to highspy, or use method 'ipm'")
    o = {"solver": METHODS[opts.method], "output_flag": True, "log_to_console": bool(opts.log_to_console)}
    if opts.method in INTERIOR_POINT:
        o["run_crossover"] = "on" if opts.crossover else "off"
    if opts.time_limit_s:
        o["time_limit"] = float(opts.time_limit_s)
    if opts.threads:
        o["threads"] = int(opts.threads)
    if opts.log_file:
        o["log_file"] = str(opts.log_file)
    o.update(opts.options or {})
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


def solve(built, opts: SolverOptions | None = None) -> Solution:
    opts = opts or SolverOptions()
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

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = c
    lp.col_lower_, lp.col_upper_ = col_lb, col_ub
    lp.row_lower_, lp.row_upper_ = row_lb, row_ub
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    lp.offset_ = float(info.c_offset[0]) if len(info.c_offset) else 0.0

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for k, v in _highs_options(opts).items():
        status = h.setOptionValue(k, v)
        if status == highspy.HighsStatus.kError:
            raise SolveError(f"HiGHS rejected option {k}={v!r}")
    h.passModel(lp)
    t_pass = _time.perf_counter() - t0

    t1 = _time.perf_counter()
    run_interruptible(h)
    t_run = _time.perf_counter() - t1

    t2 = _time.perf_counter()
    model_status = h.getModelStatus()
    status_text = h.modelStatusToString(model_status)
    optimal = model_status == highspy.HighsModelStatus.kOptimal
    sol = h.getSolution()
    hinfo = h.getInfo()
    values_flat = np.asarray(sol.col_value, float) if sol.value_valid else np.full(n_cols, np.nan)
    duals_flat = np.asarray(sol.row_dual, float) if sol.dual_valid else np.full(n_rows, np.nan)

    row_labels = _label_order(built.lm.constraints, [con for con, _ in info.rows])
    col_labels = _label_order(built.lm.variables, columns)
    values = {name: np.full(fam.items.size, np.nan) for name, fam in built.lm.variables.items()}
    for j, lab in enumerate(col_labels):
        if lab is not None:
            values[lab[0]][lab[1]] = values_flat[j]
    for name, fam in built.lm.variables.items():
        arr = values[name]
        dropped = np.isnan(arr)
        if dropped.any():  # dropped by the compiler (in no row and not in the objective): at the lower bound
            arr[dropped] = [v.lb or 0.0 for v in fam.items.ravel()[dropped]]
        values[name] = arr.reshape(fam.shape)
    duals = {name: np.full(fam.items.size, np.nan) for name, fam in built.lm.constraints.items()}
    for i, lab in enumerate(row_labels):
        if lab is not None:  # a ranged row compiles to two rows: their duals add up
            d = duals[lab[0]]
            d[lab[1]] = duals_flat[i] if np.isnan(d[lab[1]]) else d[lab[1]] + duals_flat[i]
    duals = {name: d.reshape(built.lm.constraints[name].shape) for name, d in duals.items()}
    t_back = _time.perf_counter() - t2

    ranges = coefficient_ranges(A, c, rhs, col_lb, col_ub)
    result = Solution(
        status=status_text,
        optimal=bool(optimal),
        objective=float(hinfo.objective_function_value),
        values=values,
        duals=duals,
        timings={"compile_s": t_compile, "pass_s": t_pass, "highs_s": t_run, "extract_s": t_back},
        info={
            "rows": int(n_rows),
            "columns": int(n_cols),
            "nonzeros": int(A.nnz),
            "simplex_iterations": int(hinfo.simplex_iteration_count),
            "ipm_iterations": int(hinfo.ipm_iteration_count),
            "pdlp_iterations": int(getattr(hinfo, "pdlp_iteration_count", 0)),
            "crossover_iterations": int(getattr(hinfo, "crossover_iteration_count", 0)),
            "primal_infeasibility": float(hinfo.max_primal_infeasibility),
            "dual_infeasibility": float(hinfo.max_dual_infeasibility),
            "coefficient_ranges": ranges,
            "highs_version": h.version() if hasattr(h, "version") else None,
            "options": _highs_options(opts),
        },
    )
    result._highs = h  # kept for IIS and diagnostics
    # compiled row / column order (Pyomo ConstraintData / VarData) and bounds, LP units: see `lp_labels`
    result._lp = {"row_labels": row_labels, "col_labels": col_labels, "row_lower": row_lb,
                  "row_upper": row_ub, "col_lower": col_lb, "col_upper": col_ub}
    return result


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


def _label_order(families, order) -> list:
    """For each Pyomo object of the compiled LP (in HiGHS order): (family name, flat index in the family) or None."""
    where = {}
    for name, fam in families.items():
        for k, item in enumerate(fam.items.ravel()):
            if item is not None:
                where[id(item)] = (name, k)
    return [where.get(id(obj)) for obj in order]


def lp_labels(built, sol) -> tuple[list, list]:
    """(rows, columns) of the compiled LP in HiGHS order, each entry (family name, flat index in the family) or
    None; families are `built.lm.constraints` / `built.lm.variables` (their `dims` and `coords` name the index)."""
    lp = getattr(sol, "_lp", None)
    if lp is None:
        raise SolveError("this solution keeps no compiled LP (solved before re300 kept the row order)")
    return lp["row_labels"], lp["col_labels"]
