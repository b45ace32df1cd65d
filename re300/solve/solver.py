"""`solve(built, options)`: the one entry point of the solvers — HiGHS on the CPU (re300.solve.highs: interior point,
simplex, PDLP) or cuPDLPx on the GPU (re300.solve.cupdlpx, method 'cupdlpx'), by `SolverOptions.method`."""
from __future__ import annotations

from .highs import Solution, SolverOptions, solve_highs


def solve(built, opts: SolverOptions | None = None) -> Solution:
    """Solve a built model with the method of `opts` (default: SolverOptions())."""
    opts = opts or SolverOptions()
    if opts.method == "cupdlpx":
        from .cupdlpx import solve as solve_on_gpu

        return solve_on_gpu(built, opts)
    return solve_highs(built, opts)


__all__ = ["solve", "Solution", "SolverOptions"]
