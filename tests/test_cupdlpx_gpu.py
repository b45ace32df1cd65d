"""The real cuPDLPx on a GPU against HiGHS (`pytest -m gpu`; skipped, with the reason, without the cupdlpx module or
a GPU): the hand-worked LPs, `quick` and the flagship (objective, capacities, prices, shadow prices), first-order and
with crossover. The figures are printed (`-s` or the -rA summary) for the README and the issue's closing note.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from factories import solve_data
from test_cupdlpx import cases

from re300.errors import SolveError
from re300.solve.agreement import agreement_line, compare_runs
from re300.solve.highs import SolverOptions

pytestmark = pytest.mark.gpu
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def real_cupdlpx():
    from re300.solve.cupdlpx import check_available

    try:
        return check_available()
    except SolveError as e:
        pytest.skip(f"no GPU solver here: {e}")


@pytest.mark.parametrize("name", ["pv", "target", "battery", "congested_link", "objective_constant"])
def test_hand_worked_lps_match_highs(name):
    data = cases()[name]
    ds_h, sol_h = solve_data(data, method="simplex")
    ds_g, sol_g = _solve(data, crossover=False)
    ds_x, sol_x = _solve(data, crossover=True)
    for ds, sol, rel in ((ds_g, sol_g, 1e-5), (ds_x, sol_x, 1e-7)):
        assert sol.optimal, sol.status
        assert sol.objective == pytest.approx(sol_h.objective, rel=rel)
        np.testing.assert_allclose(ds.capacity_new_mw.values, ds_h.capacity_new_mw.values, rtol=rel, atol=1e-3)
        np.testing.assert_allclose(ds.price_krw_per_mwh.values, ds_h.price_krw_per_mwh.values, rtol=100 * rel, atol=1.0)
    print(f"\n[gpu] {name}: first-order {sol_g.info['quality']}")


def _solve(data, crossover: bool):
    from re300.model.builder import build_model
    from re300.results.dataset import to_dataset
    from re300.solve.solver import solve

    built = build_model(data)
    sol = solve(built, SolverOptions(method="cupdlpx", crossover=crossover))
    return to_dataset(built, sol), sol


def _scenario(name: str, opts: SolverOptions):
    from re300.config import load_scenario
    from re300.model.builder import build_model
    from re300.results.dataset import to_dataset
    from re300.run import Phases, prepare
    from re300.solve.solver import solve

    sc = load_scenario(REPO / "models" / f"{name}.yaml")
    _, data, _ = prepare(sc, Phases(echo=False))
    built = build_model(data, split_hours=sc.solver.split_hours)
    sol = solve(built, opts)
    return to_dataset(built, sol), sol


@pytest.mark.parametrize("name", ["quick", "re300_2050"])
def test_scenario_matches_highs_ipx(name):
    ds_h, sol_h = _scenario(name, SolverOptions(method="ipm", crossover=True))
    ds_g, sol_g = _scenario(name, SolverOptions(method="cupdlpx", crossover=False))
    d = compare_runs(ds_h, ds_g, sol_h.objective, sol_g.objective)
    q = sol_g.info["quality"]
    print(f"\n[gpu] {name} cuPDLPx (tolerance {sol_g.info['tolerance']:g}, {sol_g.timings['cupdlpx_s']:.2f} s, "
          f"{sol_g.info['cupdlpx_iterations']} it.) vs IPX ({sol_h.timings['highs_s']:.2f} s): {agreement_line(d)}")
    print(f"[gpu] {name} quality: {q}")
    assert sol_g.optimal
    assert d["objective_rel"] < 1e-5
    assert q["relative_gap"] < 1e-4
    assert d["capacity_max_rel_of_total"] < 2e-2  # the optimum may not be unique; the figures above say how close
    assert d["price_mean_rel"] < 2e-2


def test_flagship_crossover_gives_the_ipx_objective():
    ds_h, sol_h = _scenario("re300_2050", SolverOptions(method="ipm", crossover=True))
    ds_x, sol_x = _scenario("re300_2050", SolverOptions(method="cupdlpx", crossover=True))
    d = compare_runs(ds_h, ds_x, sol_h.objective, sol_x.objective)
    xo = sol_x.info["crossover"]
    print(f"\n[gpu] re300_2050 cuPDLPx + crossover ({sol_x.timings['cupdlpx_s']:.2f} s GPU + "
          f"{sol_x.timings['crossover_s']:.2f} s crossover: {xo}): {agreement_line(d)}")
    assert sol_x.optimal and sol_x.status == "Optimal"
    assert d["objective_rel"] < 1e-7
    q = sol_x.info["quality"]
    assert q["max_primal_infeasibility"] < 1e-6 and q["relative_gap"] < 1e-8
