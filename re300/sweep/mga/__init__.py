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

Modules: `re300.sweep.quantities` (the quantities and their names), `lp` (the near-optimal LP: `NearOptimalLP`,
`solve_plan`), `chains` (the solves scheduled on Dask: `near_optimal_ranges`), `ranges` (ranges.csv and
alternatives.csv as tables), `report` (sentences, ranges.png, ranges.md), `workflow` (`run_mga`, the command).
"""
from __future__ import annotations

from ..quantities import DEFAULT_QUANTITIES, LABELS, QUANTITY_NAMES, Quantity, default_quantities
from .chains import CHAINS, near_optimal_ranges
from .lp import CAP_TOLERANCE, RESOLVE, NearOptimalLP, solve_plan
from .ranges import Ranges
from .report import memo_text, plot_ranges, sentences
from .workflow import run_mga

__all__ = ["CAP_TOLERANCE", "CHAINS", "DEFAULT_QUANTITIES", "LABELS", "QUANTITY_NAMES", "RESOLVE", "NearOptimalLP",
           "Quantity", "Ranges", "default_quantities", "memo_text", "near_optimal_ranges", "plot_ranges", "run_mga",
           "sentences", "solve_plan"]
