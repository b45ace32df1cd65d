"""How good a solution is, measured on the LP as re300 compiled it (not on any solver's presolved copy).

Every method is measured the same way, so a first-order GPU solution (cuPDLPx) and a HiGHS vertex can be compared:

    minimise  c·x + offset   subject to   row_lower <= A x <= row_upper,   col_lower <= x <= col_upper

with the row duals y in HiGHS's convention (minimisation: y_i >= 0 where the lower row bound holds it, y_i <= 0 where
the upper one does; y_i = d objective / d bound) and reduced costs d = c - Aᵀy.

* primal infeasibility: per row max(row_lower - Ax, Ax - row_upper, 0), per column max(col_lower - x, x - col_upper,
  0). Reported as the largest absolute value (LP units: GW, GWh, TWh for the target rows), separately for rows and
  column bounds, and relative: ||violation||₂ / (1 + ||finite bounds||₂) (cuPDLPx's own l2 measure, on these arrays).
* dual infeasibility: a dual sign that no finite bound can pay for. Row i: y_i > 0 needs a finite row_lower, y_i < 0 a
  finite row_upper. Column j: d_j > 0 needs a finite col_lower, d_j < 0 a finite col_upper (a boxed column takes
  either sign). Largest absolute value (bn KRW per LP unit) and relative ||violation||₂ / (1 + ||c||₂).
* dual objective: offset + Σ_i (y_i⁺ row_lower_i - y_i⁻ row_upper_i) + Σ_j (d_j⁺ col_lower_j - d_j⁻ col_upper_j),
  the infinite bounds' terms left out (their signs count as dual infeasibility instead).
* relative gap: |primal objective - dual objective| / (1 + |primal| + |dual|).

At a HiGHS optimum all of these are at round-off level; a first-order solution shows its tolerance here.
"""
from __future__ import annotations

import numpy as np

QUALITY_KEYS = ("primal_objective", "dual_objective", "max_primal_infeasibility", "max_row_infeasibility",
                "max_bound_infeasibility", "relative_primal_infeasibility", "max_dual_infeasibility",
                "relative_dual_infeasibility", "relative_gap", "worst_row")


def solution_quality(A, cost, offset, row_lower, row_upper, col_lower, col_upper, x, y=None) -> dict:
    """The measures of the module docstring for the point (x, y) of the LP (A: scipy sparse, rows x columns).

    y None (or any NaN in it, e.g. no dual solution) leaves the dual measures NaN. Returns plain floats
    (JSON-ready); `worst_row` is the index of the row with the largest violation (-1 when no row is violated).
    """
    c = np.asarray(cost, float)
    rl, ru = np.asarray(row_lower, float), np.asarray(row_upper, float)
    cl, cu = np.asarray(col_lower, float), np.asarray(col_upper, float)
    x = np.asarray(x, float)
    ax = A @ x
    with np.errstate(invalid="ignore"):  # inf - inf never happens (finite activity); NaN x gives NaN
        row_viol = np.maximum(np.maximum(rl - ax, ax - ru), 0.0)
        col_viol = np.maximum(np.maximum(cl - x, x - cu), 0.0)
    finite_bounds = np.concatenate([b[np.isfinite(b)] for b in (rl, ru, cl, cu)])
    p_obj = float(c @ x + offset)
    q = {
        "primal_objective": p_obj,
        "max_row_infeasibility": _max(row_viol),
        "max_bound_infeasibility": _max(col_viol),
        "relative_primal_infeasibility": float(np.sqrt(np.sum(row_viol ** 2) + np.sum(col_viol ** 2))
                                               / (1.0 + np.linalg.norm(finite_bounds))),
    }
    ranked = np.where(np.isnan(row_viol), -1.0, row_viol)
    q["worst_row"] = int(np.argmax(ranked)) if ranked.size and ranked.max() > 0 else -1
    q["max_primal_infeasibility"] = max(q["max_row_infeasibility"], q["max_bound_infeasibility"])
    nan = float("nan")
    q.update(dual_objective=nan, max_dual_infeasibility=nan, relative_dual_infeasibility=nan, relative_gap=nan)
    if y is not None:
        y = np.asarray(y, float)
        if y.size == A.shape[0] and not np.isnan(y).any():
            d = c - A.T @ y
            yp, ym = np.maximum(y, 0.0), np.maximum(-y, 0.0)
            dp, dm = np.maximum(d, 0.0), np.maximum(-d, 0.0)
            # sign violations: the part of a dual whose bound is infinite
            viol = np.concatenate([np.where(np.isfinite(rl), 0.0, yp), np.where(np.isfinite(ru), 0.0, ym),
                                   np.where(np.isfinite(cl), 0.0, dp), np.where(np.isfinite(cu), 0.0, dm)])
            d_obj = (offset + np.sum(yp * np.where(np.isfinite(rl), rl, 0.0)) - np.sum(ym * np.where(np.isfinite(ru), ru, 0.0))
                     + np.sum(dp * np.where(np.isfinite(cl), cl, 0.0)) - np.sum(dm * np.where(np.isfinite(cu), cu, 0.0)))
            q["dual_objective"] = float(d_obj)
            q["max_dual_infeasibility"] = _max(viol)
            q["relative_dual_infeasibility"] = float(np.linalg.norm(viol) / (1.0 + np.linalg.norm(c)))
            q["relative_gap"] = float(abs(p_obj - d_obj) / (1.0 + abs(p_obj) + abs(d_obj)))
    return {k: q[k] for k in QUALITY_KEYS}


def lp_quality(lp, x, y=None) -> dict:
    """`solution_quality` on a compiled LP (`re300.solve.highs.PassedLP`)."""
    return solution_quality(lp.A, lp.cost, lp.offset, lp.row_lower, lp.row_upper, lp.col_lower, lp.col_upper, x, y)


def quality_line(q: dict, worst_row_name: str | None = None) -> str:
    """One console line: primal infeasibility (max absolute, rows / bounds, relative), dual infeasibility, gap."""
    where = f" in {worst_row_name}" if worst_row_name and q.get("max_row_infeasibility", 0) > 0 else ""
    return (f"solution quality on the compiled LP: primal infeasibility max {_g(q['max_primal_infeasibility'])}"
            f"{where} (rows {_g(q['max_row_infeasibility'])}, bounds {_g(q['max_bound_infeasibility'])}; relative "
            f"{_g(q['relative_primal_infeasibility'])}), dual infeasibility max {_g(q['max_dual_infeasibility'])} "
            f"(relative {_g(q['relative_dual_infeasibility'])}), relative gap {_g(q['relative_gap'])}")


def _max(v: np.ndarray) -> float:
    return float(np.max(v)) if v.size else 0.0


def _g(v) -> str:
    return "n/a" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.1e}"
