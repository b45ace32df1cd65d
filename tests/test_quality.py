"""re300.solve.quality on a three-row LP worked by hand, and on HiGHS optima (where every measure is round-off).

LP:  minimise x1 + 2 x2 + 5
     r0:  x1 +   x2 >= 2
     r1:  x1 -   x2 <= 1
     r2:  x1 + 3 x2  = 3
     0 <= x1 <= 4,  x2 >= 0
Optimum: x1 = 3 - 3 x2 from r2; r0 gives x2 <= 0.5 and r1 x2 >= 0.5, so x = (1.5, 0.5), objective 7.5.
"""
from __future__ import annotations

import highspy
import numpy as np
import pytest
import scipy.sparse as sp
from factories import solve_data
from test_model_constraints import pv_case

from re300.solve.quality import quality_line, solution_quality

INF = np.inf
A = sp.csc_matrix(np.array([[1.0, 1.0], [1.0, -1.0], [1.0, 3.0]]))
C, OFFSET = np.array([1.0, 2.0]), 5.0
RL, RU = np.array([2.0, -INF, 3.0]), np.array([INF, 1.0, 3.0])
CL, CU = np.array([0.0, 0.0]), np.array([4.0, INF])


def q(x, y=None, cl=CL, cu=CU):
    return solution_quality(A, C, OFFSET, RL, RU, cl, cu, np.array(x, float), None if y is None else np.array(y, float))


def test_row_violations_by_hand():
    # x = (2.5, 0.2): r0 = 2.7 (holds), r1 = 2.3 > 1 (violated by 1.3), r2 = 3.1 (violated by 0.1); bounds hold.
    # finite bounds: 2, 3 (row lower), 1, 3 (row upper), 0, 0, 4 (columns): l2 norm sqrt(39).
    r = q([2.5, 0.2])
    assert r["max_row_infeasibility"] == pytest.approx(1.3)
    assert r["max_bound_infeasibility"] == 0.0
    assert r["max_primal_infeasibility"] == pytest.approx(1.3)
    assert r["worst_row"] == 1
    assert r["relative_primal_infeasibility"] == pytest.approx(np.sqrt(1.3 ** 2 + 0.1 ** 2) / (1 + np.sqrt(39)))
    assert r["primal_objective"] == pytest.approx(2.5 + 0.4 + 5)
    assert np.isnan(r["relative_gap"]) and np.isnan(r["max_dual_infeasibility"])  # no duals given


def test_bound_violations_by_hand():
    # x = (5, -1): x1 above 4 by 1, x2 below 0 by 1; rows: r0 = 4 holds, r1 = 6 > 1 by 5, r2 = 2 < 3 by 1.
    r = q([5.0, -1.0])
    assert r["max_bound_infeasibility"] == pytest.approx(1.0)
    assert r["max_row_infeasibility"] == pytest.approx(5.0)
    assert r["relative_primal_infeasibility"] == pytest.approx(np.sqrt(25 + 1 + 1 + 1) / (1 + np.sqrt(39)))


def test_dual_objective_and_gap_by_hand():
    # y = (0.5, -0.2, 0.3): signs allowed (r0 lower-bounded, r1 upper-bounded, r2 equality).
    # Aᵀy = (0.5 - 0.2 + 0.3, 0.5 + 0.2 + 0.9) = (0.6, 1.6); d = c - Aᵀy = (0.4, 0.4) >= 0 on lower bounds 0.
    # dual objective = 5 + 0.5 x 2 - 0.2 x 1 + 0.3 x 3 + 0 = 6.7; at x = (2.5, 0.2) primal 7.9: gap 1.2 / 15.6.
    r = q([2.5, 0.2], [0.5, -0.2, 0.3])
    assert r["dual_objective"] == pytest.approx(6.7)
    assert r["max_dual_infeasibility"] == 0.0 and r["relative_dual_infeasibility"] == 0.0
    assert r["relative_gap"] == pytest.approx(1.2 / 15.6)


def test_dual_sign_violations_by_hand():
    # y = (-0.5, 0.2, 0.3): r0 has no upper bound, so y0 < 0 is infeasible by 0.5; r1 has no lower bound: 0.2.
    # Aᵀy = (0, 0.2), d = (1, 1.8): both columns on finite lower bounds, no violation.
    # dual objective = 5 + 0.3 x 3 (the infeasible parts have no finite bound and are left out) = 5.9.
    r = q([1.5, 0.5], [-0.5, 0.2, 0.3])
    assert r["max_dual_infeasibility"] == pytest.approx(0.5)
    assert r["relative_dual_infeasibility"] == pytest.approx(np.sqrt(0.25 + 0.04) / (1 + np.sqrt(5)))
    assert r["dual_objective"] == pytest.approx(5.9)
    # x2 free below: its reduced cost 1.8 > 0 would need a finite lower bound -> violation 1.8.
    r = q([1.5, 0.5], [-0.5, 0.2, 0.3], cl=np.array([0.0, -INF]))
    assert r["max_dual_infeasibility"] == pytest.approx(1.8)
    # y = (0.5, -0.2, 2): Aᵀy = (2.3, 6.7), d = (-1.3, -4.7). Boxed x1 in [0, 4] pays for d1 < 0 with its upper
    # bound; x2 has none, so its violation is 4.7 -- and none once x2 gets an upper bound (10).
    r = q([1.5, 0.5], [0.5, -0.2, 2.0])
    assert r["max_dual_infeasibility"] == pytest.approx(4.7)
    r = q([1.5, 0.5], [0.5, -0.2, 2.0], cu=np.array([4.0, 10.0]))
    assert r["max_dual_infeasibility"] == 0.0
    # dual objective then: 5 + 0.5 x 2 - 0.2 x 1 + 2 x 3 - 1.3 x 4 - 4.7 x 10 = -40.4
    assert r["dual_objective"] == pytest.approx(-40.4)


def test_highs_optimum_has_zero_gap_in_highs_sign_convention():
    # HiGHS's own duals of the hand-worked LP: at x = (1.5, 0.5) the gap and both infeasibilities are round-off,
    # which fixes the sign convention (y_i >= 0 on lower bounds, <= 0 on upper bounds) of the module.
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(2, CL, CU)
    h.changeColsCost(2, np.arange(2, dtype=np.int32), C)
    csr = A.tocsr()
    h.addRows(3, RL, RU, csr.nnz, csr.indptr[:-1].astype(np.int32), csr.indices.astype(np.int32), csr.data)
    h.changeObjectiveOffset(OFFSET)
    h.run()
    s = h.getSolution()
    r = q(s.col_value, s.row_dual)
    np.testing.assert_allclose(s.col_value, [1.5, 0.5], atol=1e-9)
    assert r["primal_objective"] == pytest.approx(7.5)
    assert r["dual_objective"] == pytest.approx(7.5)
    assert r["relative_gap"] < 1e-12 and r["max_primal_infeasibility"] < 1e-12 and r["max_dual_infeasibility"] < 1e-12


def test_re300_solve_records_quality_for_highs():
    # pv_case (test_model_constraints): the HiGHS vertex is exact, so the measures are round-off.
    _, sol = solve_data(pv_case())
    qual = sol.info["quality"]
    assert qual["primal_objective"] == pytest.approx(sol.objective, rel=1e-12)
    assert qual["dual_objective"] == pytest.approx(sol.objective, rel=1e-9)
    assert qual["relative_gap"] < 1e-9 and qual["max_primal_infeasibility"] < 1e-9 and qual["max_dual_infeasibility"] < 1e-9
    assert sol.info["solver"] == "HiGHS"
    line = quality_line(qual)
    assert line.startswith("solution quality on the compiled LP: primal infeasibility max") and "relative gap" in line


def test_quality_line_names_the_worst_row():
    line = quality_line(q([2.5, 0.2], [0.5, -0.2, 0.3]), "power_balance")
    assert "max 1.3e+00 in power_balance (rows 1.3e+00" in line and "relative gap 7.7e-02" in line
    assert "dual infeasibility max n/a" in quality_line(q([2.5, 0.2]))
