"""One compiled LP changed in place and re-solved (re300.solve.persistent.CompiledLP), on a one-region case solved by
hand, against the optimum worked out below and against a Pyomo model rebuilt with the same change.

The case (`pv_case` of test_model_constraints): demand 100 MW in each of 4 hours, PV capacity factors 0, .5, 1, .5 at
150,000 KRW/MW/yr (unlimited), grid supply at 100,000 KRW/MWh. With K MW of PV the grid supplies
100 + max(0, 100 − K/2) + max(0, 100 − K) + max(0, 100 − K/2) MWh, so the cost [KRW] is

    K in [0, 100]:    150,000 K + (400 − 2K) 100,000 = 40e6 − 50,000 K
    K in [100, 200]:  150,000 K + (300 − K) 100,000  = 30e6 + 50,000 K      (least cost: K = 100, 35e6 KRW)

LP units: GW and bn KRW (K = 100 MW is 0.1 GW; 35e6 KRW is 0.035 bn KRW).
"""
from __future__ import annotations

import numpy as np
import pytest
from pyomo.core.expr.numeric_expr import LinearExpression
from test_model_constraints import pv_case

from re300.errors import SolveError
from re300.model.builder import build_model
from re300.solve.persistent import CompiledLP
from re300.solve.solver import SolverOptions, solve

SIMPLEX = SolverOptions(method="simplex")


def _pv_column(clp):
    cols = clp.columns("capacity_new")
    assert cols.shape == (1,) and cols[0] >= 0
    return int(cols[0])


def _cost_row(clp, cap_krw):
    """total cost <= cap, as a row over the LP's cost vector (the objective's constant moves to the right)."""
    nz = np.flatnonzero(clp.built_cost)
    return clp.add_row(nz, clp.built_cost[nz], upper=cap_krw * 1e-9 - clp.built_offset)


def _rebuilt(cap_krw=None, pv_sense=None, pv_ub_mw=None):
    """The same change made on a freshly built Pyomo model, solved from scratch."""
    import pyomo.environ as pyo

    built = build_model(pv_case())
    m, pv = built.model, built.lm.variables["capacity_new"].items[0]
    if cap_krw is not None:
        m.cap = pyo.Constraint(expr=m.total_cost.expr <= cap_krw * 1e-9)
    if pv_ub_mw is not None:
        pv.setub(pv_ub_mw * 1e-3)
    if pv_sense is not None:
        m.total_cost.deactivate()
        m.pv_objective = pyo.Objective(expr=LinearExpression([0.0, (1.0 if pv_sense == "min" else -1.0) * pv]))
    return built, solve(built, SIMPLEX)


def _same(sol, ref):
    assert sol.optimal and ref.optimal
    assert sol.objective == pytest.approx(ref.objective, rel=1e-9, abs=1e-12)
    for name, values in ref.values.items():
        np.testing.assert_allclose(sol.values[name], values, rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_first_solve_equals_the_one_shot_solve(method):
    clp = CompiledLP(build_model(pv_case()), SolverOptions(method=method))
    sol = clp.solve()
    assert sol.values["capacity_new"][0] == pytest.approx(0.1, abs=1e-9)  # 100 MW
    assert sol.objective == pytest.approx(0.035, rel=1e-9)  # 35e6 KRW
    assert clp.built_objective() == pytest.approx(0.035, rel=1e-9)
    _same(sol, solve(build_model(pv_case()), SolverOptions(method=method)))
    assert set(sol.duals) == set(clp.built.lm.constraints)


@pytest.mark.parametrize("sense, expected_mw", [("max", 170.0), ("min", 30.0)])
def test_cost_cap_row_and_new_objective(sense, expected_mw):
    # cost <= 38.5e6 KRW: max K on the rising branch 30e6 + 50,000 K = 38.5e6 -> K = 170 MW;
    # min K on the falling branch 40e6 - 50,000 K = 38.5e6 -> K = 30 MW. Either way the cap binds.
    clp = CompiledLP(build_model(pv_case()), SolverOptions(method="ipm"))
    assert clp.solve().optimal
    row = _cost_row(clp, 38.5e6)
    assert row == clp.lp.n_rows  # the first row after the compiled ones
    c = np.zeros(clp.n_cols)
    c[_pv_column(clp)] = 1.0 if sense == "min" else -1.0
    clp.set_objective(c)
    clp.use_options(SIMPLEX, "primal")
    sol = clp.solve()
    assert sol.values["capacity_new"][0] == pytest.approx(expected_mw * 1e-3, abs=1e-9)
    assert sol.objective == pytest.approx((1 if sense == "min" else -1) * expected_mw * 1e-3, abs=1e-9)
    assert clp.built_objective() == pytest.approx(0.0385, rel=1e-9)  # the cost of the plan: at the cap
    _same(sol, _rebuilt(cap_krw=38.5e6, pv_sense=sense)[1])


def test_column_bound_change():
    # K <= 60 MW: on the falling branch, cost 40e6 - 50,000 x 60 = 37e6 KRW at K = 60.
    clp = CompiledLP(build_model(pv_case()), SIMPLEX)
    clp.solve()
    j = _pv_column(clp)
    clp.set_col_bounds([j], 0.0, 0.06)
    sol = clp.solve()
    assert sol.values["capacity_new"][0] == pytest.approx(0.06, abs=1e-9)
    assert sol.objective == pytest.approx(0.037, rel=1e-9)
    assert sol.lp["col_upper"][j] == 0.06
    _same(sol, _rebuilt(pv_ub_mw=60.0)[1])
    # and back: the least cost again
    clp.set_col_bounds([j], 0.0, np.inf)
    assert clp.solve().objective == pytest.approx(0.035, rel=1e-9)


def test_changes_accumulate_objective_restored():
    # cap row, then a new objective, then the built objective back with offset: the least cost again (the cap
    # at 38.5e6 does not bind at 35e6).
    clp = CompiledLP(build_model(pv_case()), SIMPLEX)
    clp.solve()
    _cost_row(clp, 38.5e6)
    c = np.zeros(clp.n_cols)
    c[_pv_column(clp)] = -1.0
    clp.set_objective(c)
    assert clp.solve().values["capacity_new"][0] == pytest.approx(0.17, abs=1e-9)
    clp.set_objective(clp.built_cost, clp.built_offset)
    sol = clp.solve()
    assert sol.objective == pytest.approx(0.035, rel=1e-9)
    assert sol.values["capacity_new"][0] == pytest.approx(0.1, abs=1e-9)


def test_warm_start_from_the_last_or_a_transferred_basis():
    # An optimal basis of the same LP needs no simplex iteration; the basis travels as plain arrays to another
    # instance built from the same data (what a second Dask worker receives).
    clp = CompiledLP(build_model(pv_case()), SolverOptions(method="ipm"))
    clp.solve()
    _cost_row(clp, 38.5e6)
    clp.use_options(SIMPLEX)
    assert clp.solve().info["simplex_iterations"] == 0
    basis = clp.basis()
    assert basis["row_status"].size == clp.lp.n_rows + 1
    other = CompiledLP(build_model(pv_case()), SIMPLEX)
    _cost_row(other, 38.5e6)
    other.set_basis(basis)
    sol = other.solve()
    assert sol.info["simplex_iterations"] == 0
    assert sol.objective == pytest.approx(0.035, rel=1e-9)


def test_bad_changes_are_clear_errors():
    clp = CompiledLP(build_model(pv_case()), SIMPLEX)
    with pytest.raises(SolveError, match="objective needs"):
        clp.set_objective(np.zeros(clp.n_cols + 1))
    with pytest.raises(SolveError, match="no variable family 'wind_new'"):
        clp.columns("wind_new")
    with pytest.raises(SolveError, match="not in the compiled LP"):
        clp.set_col_bounds([clp.n_cols], 0.0, 1.0)
    with pytest.raises(SolveError, match="simplex strategy 'fast' unknown"):
        clp.use_options(SIMPLEX, "fast")
