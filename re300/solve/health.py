"""Numerical health of a compiled LP: warnings when its coefficient ranges threaten HiGHS's accuracy."""
from __future__ import annotations

# ---- numerical health: the thresholds, in one place ---------------------------------------------------------------
# HiGHS works to absolute feasibility/optimality tolerances of 1e-7 and drops matrix entries below 1e-9
# (`small_matrix_value`). Within one part of the LP (matrix, costs, right-hand sides, bounds) a ratio of largest to
# smallest absolute value above ~1e6, or values outside [1e-6, 1e7], leave too few significant digits between those
# tolerances and the data: results may be inaccurate or HiGHS may stall. re300's LP units (GW, GWh, bn KRW) are chosen
# to stay inside these limits; a warning means an input or a scenario pushed a number out of them. The span applies to
# the matrix and the costs (coefficients that are combined within one row or one objective); right-hand sides and bounds
# belong to rows and columns of different families (GW per hour, GWh per year) and are checked against the limits only.
COEFFICIENT_SMALLEST = 1e-6
COEFFICIENT_LARGEST = 1e7
COEFFICIENT_SPAN = 1e6
SPAN_CHECKED_PARTS = ("matrix", "cost")


def numerical_warnings(ranges: dict) -> list[str]:
    """Warnings for LP coefficient ranges {part: [smallest, largest] absolute non-zero value} (see highs.py)."""
    out = []
    for part, rng in sorted((ranges or {}).items()):
        if not rng or len(rng) != 2:
            continue
        lo, hi = float(rng[0]), float(rng[1])
        if lo <= 0 or hi <= 0:
            continue
        problems = []
        if part in SPAN_CHECKED_PARTS and hi / lo > COEFFICIENT_SPAN:
            problems.append(f"spans {hi / lo:.1e} (more than {COEFFICIENT_SPAN:.0e})")
        if lo < COEFFICIENT_SMALLEST:
            problems.append(f"smallest {lo:.2e} is below {COEFFICIENT_SMALLEST:.0e}")
        if hi > COEFFICIENT_LARGEST:
            problems.append(f"largest {hi:.2e} is above {COEFFICIENT_LARGEST:.0e}")
        if problems:
            out.append(f"LP {part} coefficients [{lo:.3g}, {hi:.3g}] (LP units GW, GWh, bn KRW): " + "; ".join(problems)
                       + " - HiGHS's accuracy may suffer; check inputs and scenario factors")
    return out


# ---- binding limits (slacks on) -----------------------------------------------------------------------------------
