"""`solver.method: cupdlpx`: the compiled LP solved on an NVIDIA GPU by cuPDLPx (a primal-dual first-order LP solver,
Apache-2.0; optional: `pip install 're300[gpu]'`, which builds it from source and needs a CUDA toolkit).

The arrays that go to HiGHS (`re300.solve.highs.compile_arrays`: A, cost, offset, row and column bounds; senses are
carried by the row bounds) go in memory to `cupdlpx.Model`. cuPDLPx returns the column values X and the row duals Pi
in HiGHS's sign convention (minimisation: Pi_i >= 0 where the lower row bound holds the row, <= 0 where the upper one
does; reduced costs c - AᵀPi), so the values and duals are scattered into the same `Solution` as HiGHS's and every
output (prices, shadow prices, memo) works unchanged. The solution is a first-order one: not a vertex, feasible and
optimal only to the relative tolerance; `info["quality"]` measures it on the compiled LP (`re300.solve.quality`).

Options (scenario `solver:` section): `time_limit_s` -> cuPDLPx TimeLimit; `options` -> cuPDLPx parameters by name
(e.g. `OptimalityTol`, `FeasibilityTol`, `Presolve`, `IterationLimit`; see cupdlpx.PDLP), plus re300's `tolerance`,
which sets both relative tolerances (default `TOLERANCE`); `crossover: true` hands the point to HiGHS's crossover on
the CPU (`Highs.crossover`, IPX's crossover from a starting point, then simplex from its basis if anything is left)
for a vertex and exact duals; `crossover: false` keeps the first-order point.

Without the module, or without a GPU, `check_available` raises a SolveError naming what is missing (the solver
itself would end the process on its first CUDA call, so the GPU is looked for first, through the driver library).
"""
from __future__ import annotations

import ctypes
import time as _time

import numpy as np

from ..errors import SolveError
from .highs import (
    PassedLP,
    Solution,
    SolverOptions,
    coefficient_ranges,
    compile_arrays,
    load_highs,
    lp_order,
    run_interruptible,
    run_options,
    scatter_solution,
)

# Relative optimality and feasibility tolerance (cuPDLPx's eps_optimal_relative and eps_feasible_relative).
# PROVISIONAL: chosen from the bundle's measurement (shared/gpu/README.md, one H200): at 1e-6 the full hourly year's
# objective was within 1e-7 of HiGHS IPX (20,013.107 vs 20,013.109 bn KRW/yr), at 1e-4 it was 8e-5 off (20,011.50).
# Capacities, prices and shadow prices against IPX have not been compared yet (tests/test_cupdlpx_gpu.py, `-m gpu`).
TOLERANCE = 1e-6

INSTALL_HINT = ("pip install 're300[gpu]' (builds cuPDLPx from source: needs an NVIDIA GPU, a CUDA toolkit 12.4 or "
                "newer and cmake)")
CPU_HINT = "or use solver.method 'ipm' (HiGHS on the CPU)"

# cuPDLPx termination status -> (status text in HiGHS's words, optimal)
STATUS = {
    "OPTIMAL": ("Optimal", True),
    "FEAS_POLISH_SUCCESS": ("Optimal", True),  # only with FeasibilityPolishing on
    "PRIMAL_INFEASIBLE": ("Infeasible", False),
    "DUAL_INFEASIBLE": ("Unbounded", False),
    "INFEASIBLE_OR_UNBOUNDED": ("Primal infeasible or unbounded", False),
    "TIME_LIMIT": ("Time limit reached", False),
    "ITERATION_LIMIT": ("Iteration limit reached", False),
}
# a column within SNAP x (1 + |bound|) of a bound whose reduced cost pushes it there starts the crossover at the bound
SNAP = 1e-6


def load_module():
    """The `cupdlpx` module, or a SolveError saying how to install it."""
    try:
        import cupdlpx
    except ModuleNotFoundError as e:
        if e.name != "cupdlpx":
            raise
        raise SolveError(f"solver method 'cupdlpx' needs the cupdlpx Python module, which is not installed: "
                         f"{INSTALL_HINT}, {CPU_HINT}") from None
    except ImportError as e:  # installed, but its compiled part or the CUDA libraries it links cannot be loaded
        raise SolveError(f"solver method 'cupdlpx': the cupdlpx module is installed but cannot be loaded ({e}); the "
                         f"CUDA libraries it was built against (cuBLAS, cuSPARSE) must be on the library path, or "
                         f"reinstall with {INSTALL_HINT}, {CPU_HINT}") from None
    return cupdlpx


def gpu_devices() -> tuple[int, str]:
    """(number of NVIDIA GPUs the driver reports, a description: the first GPU's name, or why there is none). Asks the
    driver library (libcuda) directly, so no CUDA program has to start (and fail) to find out."""
    lib = None
    for name in ("libcuda.so.1", "libcuda.so", "nvcuda.dll"):
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if lib is None:
        return 0, "no NVIDIA driver (libcuda.so.1 not found)"
    rc = lib.cuInit(0)
    if rc != 0:
        what = " (CUDA_ERROR_NO_DEVICE)" if rc == 100 else ""
        return 0, f"the NVIDIA driver found no usable GPU: cuInit returned {rc}{what}"
    n = ctypes.c_int(0)
    if lib.cuDeviceGetCount(ctypes.byref(n)) != 0 or n.value < 1:
        return 0, "the NVIDIA driver reports no GPU"
    dev, buf = ctypes.c_int(0), ctypes.create_string_buffer(256)
    name = "GPU"
    if lib.cuDeviceGet(ctypes.byref(dev), 0) == 0 and lib.cuDeviceGetName(buf, 256, dev) == 0:
        name = buf.value.decode(errors="replace")
    return n.value, name


def check_available():
    """The cupdlpx module when it is installed and a GPU is present; else a SolveError (one line) naming what is
    missing. Call before any work that a missing GPU would waste."""
    mod = load_module()
    n, what = gpu_devices()
    if n < 1:
        raise SolveError(f"solver method 'cupdlpx' needs an NVIDIA GPU, and none was found ({what}); run it on a "
                         f"machine with a GPU, {CPU_HINT}")
    return mod


def cupdlpx_params(opts: SolverOptions) -> dict:
    """cuPDLPx parameters (alias names) for `opts`: output, time limit, tolerance, then `opts.options` verbatim
    (re300's `tolerance` sets OptimalityTol and FeasibilityTol)."""
    extra = dict(opts.options or {})
    tol = float(extra.pop("tolerance", TOLERANCE))
    p = {"OutputFlag": bool(opts.log_to_console), "OptimalityTol": tol, "FeasibilityTol": tol}
    if opts.time_limit_s:
        p["TimeLimit"] = float(opts.time_limit_s)
    p.update(extra)
    return p


def run_cupdlpx(mod, lp: PassedLP, params: dict) -> dict:
    """Hand `lp` to cuPDLPx, solve, return {X, Pi, status, iterations, seconds, reported: cuPDLPx's own figures}."""
    t0 = _time.perf_counter()
    model = mod.Model(objective_vector=lp.cost, constraint_matrix=lp.A.tocsr(), constraint_lower_bound=lp.row_lower,
                      constraint_upper_bound=lp.row_upper, variable_lower_bound=lp.col_lower,
                      variable_upper_bound=lp.col_upper)
    model.setObjectiveConstant(lp.offset)
    try:
        model.setParams(**params)
    except (KeyError, TypeError, ValueError) as e:
        raise SolveError(f"cuPDLPx rejected solver.options {params}: {e}") from None
    t_model = _time.perf_counter() - t0
    t1 = _time.perf_counter()
    model.optimize()
    seconds = _time.perf_counter() - t1
    X = None if model.X is None else np.asarray(model.X, float)
    Pi = None if model.Pi is None else np.asarray(model.Pi, float)
    reported = {k: _num(getattr(model, k, None)) for k in
                ("ObjVal", "DualObj", "RelGap", "RelPrimalResidual", "RelDualResidual", "Runtime", "RescalingTime")}
    return {"X": X, "Pi": Pi, "status": str(model.StatusName), "iterations": int(model.IterCount or 0),
            "seconds": seconds, "model_s": t_model, "reported": reported}


def solve(built, opts: SolverOptions) -> Solution:
    """Compile `built`, solve it with cuPDLPx on the GPU (then HiGHS crossover on the CPU when `opts.crossover`), and
    read the solution back like `re300.solve.highs.solve_highs` (same Solution fields; `highs` is the crossover's Highs
    instance, or one holding the LP when cuPDLPx finds it infeasible, else None)."""
    from .quality import lp_quality

    mod = check_available()
    params = cupdlpx_params(opts)
    lp = compile_arrays(built)
    out = run_cupdlpx(mod, lp, params)
    lp.pass_s += out["model_s"]
    status, optimal = STATUS.get(out["status"], (f"cuPDLPx status {out['status']}", False))
    x = out["X"] if out["X"] is not None else np.full(lp.n_cols, np.nan)
    y = out["Pi"] if out["Pi"] is not None else np.full(lp.n_rows, np.nan)
    h, xo = None, None
    t_cross = 0.0
    if opts.crossover and optimal:
        t0 = _time.perf_counter()
        h, xo = crossover(lp, x, y, opts)
        t_cross = _time.perf_counter() - t0
        s = h.getSolution()
        x, y = np.asarray(s.col_value, float), np.asarray(s.row_dual, float)
        status = h.modelStatusToString(h.getModelStatus())
        optimal = status == "Optimal"
    elif status in ("Infeasible", "Primal infeasible or unbounded"):
        h = load_highs(lp, {"output_flag": True, "log_to_console": bool(opts.log_to_console)})  # for the subset

    t2 = _time.perf_counter()
    values, duals = scatter_solution(built, lp, x, y)
    t_back = _time.perf_counter() - t2
    t3 = _time.perf_counter()
    quality = lp_quality(lp, x, y)
    t_quality = _time.perf_counter() - t3
    n_gpu, gpu = gpu_devices()
    row_labels, col_labels = lp_order(built, lp)
    sol = Solution(
        status=status,
        optimal=bool(optimal),
        objective=quality["primal_objective"],
        values=values,
        duals=duals,
        timings={"compile_s": lp.compile_s, "pass_s": lp.pass_s, "cupdlpx_s": out["seconds"], "crossover_s": t_cross,
                 # "highs_s": the solver's time under the name every report reads (GPU solve plus any crossover)
                 "highs_s": out["seconds"] + t_cross, "extract_s": t_back, "quality_s": t_quality},
        info={
            "solver": "cuPDLPx" + (" + HiGHS crossover" if xo else ""),
            "rows": int(lp.n_rows),
            "columns": int(lp.n_cols),
            "nonzeros": int(lp.A.nnz),
            "cupdlpx_version": getattr(mod, "__version__", None),
            "gpu": gpu,
            "cupdlpx_status": out["status"],
            "cupdlpx_iterations": out["iterations"],
            "cupdlpx_reported": out["reported"],
            "tolerance": params["OptimalityTol"],
            "first_order": xo is None,
            "crossover": xo,
            "primal_infeasibility": quality["max_primal_infeasibility"],
            "dual_infeasibility": quality["max_dual_infeasibility"],
            "coefficient_ranges": coefficient_ranges(lp.A, lp.cost, lp.rhs, lp.col_lower, lp.col_upper),
            "options": {k: (v if isinstance(v, (bool, int, float, str)) else str(v)) for k, v in params.items()},
            "quality": quality,
        },
    )
    sol.highs = h
    sol.lp = {"row_labels": row_labels, "col_labels": col_labels, "row_lower": lp.row_lower,
              "row_upper": lp.row_upper, "col_lower": lp.col_lower, "col_upper": lp.col_upper}
    return sol


def crossover_start(lp: PassedLP, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, row duals, column duals) for IPX's crossover from the first-order point (x, y).

    IPX accepts only a point within the column bounds whose duals are complementary to it: a column dual may be > 0
    only where x sits exactly at its lower bound, < 0 only at its upper; a row dual only where HiGHS's slack (rhs - Ax,
    clipped to its sign) is exactly 0, and with the right sign. So: x is clipped into its bounds (as HiGHS does), and a
    column whose reduced cost pushes it to a bound within SNAP x (1 + |bound|) moves onto it; every other dual that
    breaks these rules is set to 0, and so is a row dual whose row is not violated beyond the round-off of its activity
    (where HiGHS's own sum could land either side of the bound). The crossover then recovers what was zeroed.
    """
    A, lo, hi, rl, ru = lp.A, lp.col_lower, lp.col_upper, lp.row_lower, lp.row_upper
    x = np.minimum(np.maximum(np.asarray(x, float), lo), hi)
    y = np.asarray(y, float).copy()
    d = lp.cost - A.T @ y
    snap_lo = (d > 0) & np.isfinite(lo) & (x - lo <= SNAP * (1.0 + np.abs(lo)))
    snap_hi = (d < 0) & np.isfinite(hi) & (hi - x <= SNAP * (1.0 + np.abs(hi)))
    x[snap_lo], x[snap_hi] = lo[snap_lo], hi[snap_hi]
    z = np.where(((d > 0) & (x == lo)) | ((d < 0) & (x == hi)), d, 0.0)
    r = A @ x
    size = abs(A) @ np.abs(x)
    nnz = np.diff(A.tocsr().indptr)
    rhs = np.where(np.isfinite(rl), rl, np.where(np.isfinite(ru), ru, 0.0))
    band = 4.0 * (nnz + 1) * np.finfo(float).eps * (np.abs(rhs) + size)
    equality = rl == ru
    lower_only = np.isfinite(rl) & ~np.isfinite(ru)
    upper_only = np.isfinite(ru) & ~np.isfinite(rl)
    keep = equality | (lower_only & (y > 0) & (r < rl - band)) | (upper_only & (y < 0) & (r > ru + band))
    y[~keep] = 0.0
    return x, y, z


def crossover(lp: PassedLP, x: np.ndarray, y: np.ndarray, opts: SolverOptions):
    """HiGHS crossover on the CPU from the first-order point: returns (Highs instance holding the vertex, record).

    IPX's crossover (`Highs.crossover`) from `crossover_start`'s point gives a basis; simplex then runs from that
    basis (0 iterations when it is optimal, otherwise it finishes the job), which also gives the exact primal and
    dual values of the vertex. If IPX refuses the point or fails, simplex starts from the point itself instead
    (`Highs.setSolution`: HiGHS makes a basis of the columns and rows at their bounds).
    """
    import highspy

    ranged = np.isfinite(lp.row_lower) & np.isfinite(lp.row_upper) & (lp.row_lower != lp.row_upper)
    free = ~np.isfinite(lp.row_lower) & ~np.isfinite(lp.row_upper)
    if ranged.any() or free.any():  # HiGHS would pass IPX a different number of rows or columns than we have duals for
        raise SolveError(f"crossover needs rows with one bound or equalities; this LP has {int(ranged.sum())} ranged "
                         f"and {int(free.sum())} free rows. Set solver.crossover: false")
    o = {**run_options(opts), "solver": "simplex"}
    start_threads(o.get("threads"))
    h = load_highs(lp, o)
    x0, y0, z0 = crossover_start(lp, x, y)
    t0 = _time.perf_counter()
    status = h.crossover(_highs_solution(x0, y0, z0))
    t_ipx = _time.perf_counter() - t0
    ipx_status = h.modelStatusToString(h.getModelStatus())
    from_basis = status != highspy.HighsStatus.kError and h.getBasis().valid
    if not from_basis:  # IPX refused the point or failed: simplex from the point itself
        h.clearSolver()
        h.setSolution(_highs_solution(x0, y, lp.cost - lp.A.T @ y, row_value=lp.A @ x0))
    t1 = _time.perf_counter()
    run_interruptible(h)
    t_simplex = _time.perf_counter() - t1
    info = h.getInfo()
    return h, {"start": "IPX crossover, then simplex from its basis" if from_basis
               else "simplex from the first-order point (IPX crossover failed)",
               "ipx_crossover_s": t_ipx, "status_after_ipx_crossover": ipx_status, "simplex_s": t_simplex,
               "simplex_iterations": int(info.simplex_iteration_count),
               "row_duals_kept": int(np.count_nonzero(y0)), "row_duals_given": int(np.count_nonzero(y))}


def start_threads(threads: int | None = None) -> None:
    """Start HiGHS's global thread scheduler by solving a one-column LP. `Highs.crossover` does not start it, and in
    highspy 1.15.1 a crossover that has to push (any first-order point) in a process where HiGHS has not run yet ends
    the process with a segmentation fault (seen on the hand-worked LPs of tests/test_cupdlpx.py; with a HiGHS run
    before it in the same process, the same crossover works)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if threads:
        h.setOptionValue("threads", int(threads))
    h.addVar(0.0, 1.0)
    h.run()


def _highs_solution(x, y, z, row_value=None):
    import highspy

    s = highspy.HighsSolution()
    s.col_value, s.row_dual, s.col_dual = x.tolist(), y.tolist(), z.tolist()
    if row_value is not None:
        s.row_value = np.asarray(row_value, float).tolist()
    s.value_valid, s.dual_valid = True, True
    return s


def _num(v):
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None
