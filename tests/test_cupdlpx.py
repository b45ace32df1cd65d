"""solver.method cupdlpx without a GPU: the hand-over of the compiled LP to the cuPDLPx module and the read-back into
re300's Solution, tested with a stand-in module (tests/fake_cupdlpx.py: cuPDLPx's interface, solved by scipy's HiGHS),
on the hand-worked LPs of test_model_constraints; the crossover to a vertex; and the one-line errors when the module
or the GPU is missing. The real solver on a GPU: tests/test_cupdlpx_gpu.py (`pytest -m gpu`)."""
from __future__ import annotations

import os
import subprocess
import sys

import fake_cupdlpx
import numpy as np
import pytest
from factories import gen, link, model_data, solve_data, store
from test_model_constraints import NR_PRICE, pv_case

from re300.errors import SolveError
from re300.model.builder import build_model
from re300.model.data import TargetSettings
from re300.solve import cupdlpx as gpu
from re300.solve.highs import compile_arrays, pass_model
from re300.solve.solver import SolverOptions, solve


@pytest.fixture
def fake(monkeypatch):
    """The stand-in module as `cupdlpx`, and one (fake) GPU."""
    monkeypatch.setitem(sys.modules, "cupdlpx", fake_cupdlpx)
    monkeypatch.setattr(gpu, "gpu_devices", lambda: (1, "fake GPU"))
    monkeypatch.setattr(fake_cupdlpx.Model, "noise", 0.0)
    monkeypatch.setattr(fake_cupdlpx.Model, "status", None)
    return fake_cupdlpx


def cases():
    """Hand-worked LPs (derivations in test_model_constraints): PV sizing with a grid (prices 100,000 / 50,000), the
    binding renewable target (shadow price 50,000), a battery with losses, a congested lossy link, existing capacity
    with fixed costs (an objective constant)."""
    battery = model_data(
        ["a"], {"a": [0.0, 100.0]},
        [gen("onshore_wind", "a", existing_mw=1000.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE)],
        [[1.0, 0.0], [1.0, 1.0]],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1000.0, capex_mwh=1000.0, eta_c=0.9, eta_d=0.9)],
    )
    congested = model_data(
        ["a", "b"], {"b": [100.0]},
        [gen("onshore_wind", "a", renewable=False, existing_mw=1000.0, vom=10_000.0),
         gen("nonrenewable_supply", "b", renewable=False, existing_mw=1000.0, vom=100_000.0)],
        [[1.0], [1.0]],
        links=[link("a_b", "a", "b", existing_mw=50.0, efficiency=0.95)],
    )
    fixed = pv_case(TargetSettings(renewable_share=0.6))
    fixed.generators.loc[1, "fom_krw_per_mw"] = 20_000.0  # 1,000 MW existing x 20,000 = 20e6 KRW constant
    return {"pv": pv_case(), "target": pv_case(TargetSettings(renewable_share=0.6)), "battery": battery,
            "congested_link": congested, "objective_constant": fixed}


def test_handover_is_the_compiled_lp(fake):
    # What reaches cupdlpx.Model is exactly what HiGHS gets: A (as CSR), cost, offset, row and column bounds
    # (senses carried by infinite row bounds), plus the tolerance and time limit.
    data = cases()["objective_constant"]
    built = build_model(data)
    ref = compile_arrays(build_model(data))
    sol = solve(built, SolverOptions(method="cupdlpx", crossover=False, time_limit_s=60))
    m = fake.Model.last
    assert (m.A != ref.A.tocsr()).nnz == 0 and m.A.shape == ref.A.shape
    np.testing.assert_array_equal(m.c, ref.cost)
    assert m.c0 == ref.offset and ref.offset > 0  # the fixed cost of existing capacity
    np.testing.assert_array_equal(m.constr_lb, ref.row_lower)
    np.testing.assert_array_equal(m.constr_ub, ref.row_upper)
    np.testing.assert_array_equal(m.lb, ref.col_lower)
    np.testing.assert_array_equal(m.ub, ref.col_upper)
    assert np.isinf(ref.row_lower).any() and np.isinf(ref.row_upper).any() and (ref.row_lower == ref.row_upper).any()
    assert m.params["eps_optimal_relative"] == m.params["eps_feasible_relative"] == gpu.TOLERANCE
    assert m.params["time_sec_limit"] == 60.0 and m.params["verbose"] is False
    assert sol.info["solver"] == "cuPDLPx" and sol.info["gpu"] == "fake GPU" and sol.info["first_order"]
    assert sol.highs is None and sol.timings["highs_s"] == sol.timings["cupdlpx_s"]


@pytest.mark.parametrize("name", ["pv", "target", "battery", "congested_link", "objective_constant"])
def test_values_and_duals_equal_highs_on_hand_worked_lps(fake, name):
    data = cases()[name]
    ds_h, sol_h = solve_data(data, method="simplex")
    ds_g, sol_g = solve_data(data, method="cupdlpx")  # scenario default: crossover on
    ds_f, sol_f = _solve_first_order(data)
    for ds, sol in ((ds_g, sol_g), (ds_f, sol_f)):
        assert sol.optimal and sol.status == "Optimal"
        assert sol.objective == pytest.approx(sol_h.objective, rel=1e-9)
        for var in ("capacity_new_mw", "price_krw_per_mwh", "cost_krw_per_yr"):
            np.testing.assert_allclose(ds[var].values, ds_h[var].values, rtol=1e-7, atol=1e-6, err_msg=var)
        for fam, d in sol_h.duals.items():  # every row dual, same sign convention
            np.testing.assert_allclose(sol.duals[fam], d, rtol=1e-7, atol=1e-9, err_msg=fam)
        assert sol.info["quality"]["relative_gap"] < 1e-9
    assert float(ds_f.renewable_target_shadow_price_krw_per_mwh) == pytest.approx(
        float(ds_h.renewable_target_shadow_price_krw_per_mwh), rel=1e-7, nan_ok=True)


def _solve_first_order(data):
    from re300.results.dataset import to_dataset

    built = build_model(data)
    sol = solve(built, SolverOptions(method="cupdlpx", crossover=False))
    return to_dataset(built, sol), sol


def test_hand_derived_prices_through_cupdlpx(fake):
    # pv_case: K* = 100 MW; prices 100,000 in hours 0, 1, 3 and 50,000 at noon (derivation in test_model_constraints).
    ds, sol = _solve_first_order(pv_case())
    assert float(ds.capacity_new_mw.sel(technology="utility_pv", region="a")) == pytest.approx(100.0, abs=1e-6)
    assert sol.objective * 1e9 == pytest.approx(35e6, rel=1e-9)
    np.testing.assert_allclose(ds.price_krw_per_mwh.sel(region="a").values, [NR_PRICE, NR_PRICE, 50_000.0, NR_PRICE], rtol=1e-9)


def test_crossover_turns_a_perturbed_point_into_the_exact_vertex(fake, monkeypatch):
    # A first-order-like point (X and Pi off by 1e-5 relative) is infeasible and its gap is visible in the quality;
    # crossover: true hands it to HiGHS's crossover and comes back with HiGHS simplex's vertex and duals.
    monkeypatch.setattr(fake.Model, "noise", 1e-5)
    data = cases()["battery"]
    _, exact = solve_data(data, method="simplex")
    _, rough = _solve_first_order(data)
    assert rough.info["quality"]["max_primal_infeasibility"] > 1e-8
    ds, sol = solve_data(data, method="cupdlpx")
    assert sol.info["crossover"] is not None and not sol.info["first_order"]
    assert sol.info["solver"] == "cuPDLPx + HiGHS crossover" and sol.highs is not None
    assert sol.objective == pytest.approx(exact.objective, rel=1e-9)
    for fam, d in exact.duals.items():
        np.testing.assert_allclose(sol.duals[fam], d, rtol=1e-7, atol=1e-9, err_msg=fam)
    q = sol.info["quality"]
    assert q["max_primal_infeasibility"] < 1e-9 and q["relative_gap"] < 1e-9
    assert sol.timings["highs_s"] == pytest.approx(sol.timings["cupdlpx_s"] + sol.timings["crossover_s"])


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
def test_crossover_runs_in_a_fresh_process(repo_root):
    # In a process where HiGHS has not solved anything yet (the GPU run's case), highspy 1.15.1's Highs.crossover
    # ended the process with a segmentation fault until re300 started HiGHS's thread scheduler first
    # (re300.solve.cupdlpx.start_threads). Run the whole path in a fresh interpreter.
    code = (
        "import sys; sys.path[:0] = ['tests']\n"
        "import fake_cupdlpx; sys.modules['cupdlpx'] = fake_cupdlpx; fake_cupdlpx.Model.noise = 1e-5\n"
        "from re300.solve import cupdlpx as gpu; gpu.gpu_devices = lambda: (1, 'fake GPU')\n"
        "from test_model_constraints import pv_case\n"
        "from re300.model.builder import build_model\n"
        "from re300.solve.solver import SolverOptions, solve\n"
        "sol = solve(build_model(pv_case()), SolverOptions(method='cupdlpx'))\n"
        "print(sol.status, round(sol.objective * 1e9), sol.info['crossover']['start'])\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo_root) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-c", code], cwd=repo_root, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split()[:2] == ["Optimal", "35000000"] and "IPX crossover" in r.stdout


def test_crossover_start_is_within_bounds_and_complementary():
    # What IPX's crossover demands of its starting point (see re300.solve.cupdlpx.crossover_start).
    data = cases()["battery"]
    lp = pass_model(build_model(data), SolverOptions(method="simplex"))
    lp.highs.run()
    s = lp.highs.getSolution()
    rng = np.random.default_rng(1)
    x = np.asarray(s.col_value) + 1e-4 * rng.uniform(-1, 1, lp.n_cols)
    y = np.asarray(s.row_dual) + 1e-4 * rng.uniform(-1, 1, lp.n_rows)
    x0, y0, z0 = gpu.crossover_start(lp, x, y)
    assert (x0 >= lp.col_lower).all() and (x0 <= lp.col_upper).all()
    assert not ((z0 > 0) & (x0 != lp.col_lower)).any() and not ((z0 < 0) & (x0 != lp.col_upper)).any()
    r = lp.A @ x0
    lower_only = np.isfinite(lp.row_lower) & ~np.isfinite(lp.row_upper)
    upper_only = np.isfinite(lp.row_upper) & ~np.isfinite(lp.row_lower)
    assert not (lower_only & (y0 != 0) & ((y0 < 0) | (r >= lp.row_lower))).any()
    assert not (upper_only & (y0 != 0) & ((y0 > 0) | (r <= lp.row_upper))).any()


def test_tolerance_and_options_reach_cupdlpx(fake):
    built = build_model(pv_case())
    solve(built, SolverOptions(method="cupdlpx", crossover=False, options={"tolerance": 1e-4, "Presolve": False}))
    p = fake.Model.last.params
    assert p["eps_optimal_relative"] == p["eps_feasible_relative"] == 1e-4 and p["presolve"] is False
    with pytest.raises(SolveError, match="cuPDLPx rejected solver.options.*primal_feasibility_tolerance"):
        solve(build_model(pv_case()), SolverOptions(method="cupdlpx", options={"primal_feasibility_tolerance": 1e-7}))


def test_time_limit_is_not_optimal(fake, monkeypatch):
    monkeypatch.setattr(fake.Model, "status", "TIME_LIMIT")
    sol = solve(build_model(pv_case()), SolverOptions(method="cupdlpx"))
    assert not sol.optimal and sol.status == "Time limit reached" and sol.info["crossover"] is None


def test_infeasible_lp_keeps_a_highs_instance_for_the_subset(fake):
    # test_iis's three-hour case: a 10 % renewable target (30 MWh) above the 24.5 MWh the renewables can give, no
    # shortfall slack. cuPDLPx says infeasible; a HiGHS instance holds the LP for the subset `re300 solve` explains.
    from test_iis import _three_hour_case

    sol = solve(build_model(_three_hour_case(renewable_share=0.1)), SolverOptions(method="cupdlpx"))
    assert sol.status == "Infeasible" and not sol.optimal
    assert sol.highs is not None and sol.highs.getLp().num_row_ == sol.info["rows"]


def test_highs_options_refuse_cupdlpx():
    # steps that need HiGHS itself (re300 mga's warm re-solves) say so instead of an unknown-method error
    from re300.solve.highs import highs_options

    with pytest.raises(SolveError, match="runs on the GPU"):
        highs_options(SolverOptions(method="cupdlpx"))


def test_module_missing_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupdlpx", None)  # import cupdlpx -> ModuleNotFoundError
    with pytest.raises(SolveError, match=r"needs the cupdlpx Python module.*pip install 're300\[gpu\]'.*CUDA toolkit"):
        solve(build_model(pv_case()), SolverOptions(method="cupdlpx"))


def test_module_present_but_no_gpu_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupdlpx", fake_cupdlpx)
    monkeypatch.setattr(gpu, "gpu_devices", lambda: (0, "no NVIDIA driver (libcuda.so.1 not found)"))
    with pytest.raises(SolveError, match=r"needs an NVIDIA GPU, and none was found \(no NVIDIA driver.*'ipm'"):
        solve(build_model(pv_case()), SolverOptions(method="cupdlpx"))


def test_real_module_accepts_re300s_parameters():
    # Where the real cupdlpx module can be imported (a GPU machine, or a CPU machine where it was built), the names
    # re300 sets are cuPDLPx's: build a Model and set them, without solving (solving needs the GPU).
    try:
        import cupdlpx
    except ImportError as e:
        pytest.skip(f"the cupdlpx module cannot be imported here: {e}")
    lp = compile_arrays(build_model(pv_case()))
    model = cupdlpx.Model(objective_vector=lp.cost, constraint_matrix=lp.A.tocsr(), constraint_lower_bound=lp.row_lower,
                          constraint_upper_bound=lp.row_upper, variable_lower_bound=lp.col_lower,
                          variable_upper_bound=lp.col_upper)
    model.setObjectiveConstant(lp.offset)
    params = gpu.cupdlpx_params(SolverOptions(method="cupdlpx", time_limit_s=60, options={"tolerance": 1e-5}))
    model.setParams(**params)
    assert model.getParam("eps_optimal_relative") == model.getParam("eps_feasible_relative") == 1e-5
    assert model.getParam("time_sec_limit") == 60.0 and model.getParam("verbose") is False


def test_gpu_devices_answers_without_raising():
    n, what = gpu.gpu_devices()
    assert n >= 0 and isinstance(what, str) and what


def test_cli_without_module_or_gpu_exits_with_one_line_and_writes_nothing(repo_root, tmp_path, write_yaml):
    # The CPU user's case: `re300 solve` of a cupdlpx scenario stops before any work, with one line.
    scen = write_yaml("gpu.yaml", f"""
        extends: {repo_root / 'models' / 'quick.yaml'}
        name: gpu_quick
        output_dir: {tmp_path / 'out'}
        solver: {{method: cupdlpx}}
        """)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo_root) + os.pathsep + env.get("PYTHONPATH", "")
    env["CUDA_VISIBLE_DEVICES"] = ""  # no GPU even where there is one
    r = subprocess.run([sys.executable, "-m", "re300.cli", "solve", str(scen)], cwd=repo_root, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("re300: error: solver method 'cupdlpx'"), r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_agreement_figures_by_hand():
    # The figures the GPU tests print (re300.solve.agreement): zero against itself; +5 MW on one capacity and 10 %
    # more on the noon price of the binding-target case (prices 100,000 x 3 and -50,000 at noon, the curtailed hour,
    # equal hour weights; 140 MW of PV) give known numbers.
    from re300.solve.agreement import agreement_line, compare_runs

    ds, sol = solve_data(pv_case(TargetSettings(renewable_share=0.6)))
    same = compare_runs(ds, ds, sol.objective, sol.objective)
    assert same["objective_rel"] == 0 and same["capacity_max_abs_mw"] == 0 and same["price_mean_rel"] == 0
    assert same["renewable_shadow_rel"] == 0
    other = ds.copy(deep=True)
    other["capacity_new_mw"].loc[dict(technology="utility_pv", region="a")] += 5.0
    other["price_krw_per_mwh"].loc[dict(region="a")] = [NR_PRICE, NR_PRICE, -55_000.0, NR_PRICE]
    d = compare_runs(ds, other, sol.objective, sol.objective * (1 + 1e-6))
    assert d["objective_rel"] == pytest.approx(1e-6)
    assert d["capacity_max_abs_mw"] == pytest.approx(5.0) and d["capacity_max_at"] == "capacity_new_mw[utility_pv, a]"
    assert d["capacity_max_rel_of_total"] == pytest.approx(5.0 / 140.0)  # 140 MW of PV is the only new capacity
    # mean |Δ| = 5,000 / 4 = 1,250 over a mean |price| of 350,000 / 4 = 87,500
    assert d["price_mean_rel"] == pytest.approx(1250 / 87_500)
    assert d["price_max_abs_krw_per_mwh"] == pytest.approx(5000.0)
    assert "objective" in agreement_line(d) and "utility_pv" in agreement_line(d)


def test_full_year_scenario_and_its_cpu_variant_load(models_dir, write_yaml):
    from re300.config import load_scenario

    sc = load_scenario(models_dir / "re300_2050_full.yaml")
    assert sc.time.mode == "full" and sc.time.n_hours == 8760 and sc.year == 2050
    assert sc.solver.method == "cupdlpx" and sc.solver.crossover is False and sc.solver.options == {}
    assert gpu.cupdlpx_params(SolverOptions(method="cupdlpx", options=sc.solver.options))["OptimalityTol"] == 1e-6
    assert sc.targets.renewable_share == 3.0 and sc.targets.export_share == 2.0  # the flagship's targets
    # the CPU variant its comment describes
    cpu = write_yaml("re300_2050_full_cpu.yaml", f"""
        extends: {models_dir / 're300_2050_full.yaml'}
        name: re300_2050_full_cpu
        solver: {{method: ipm, crossover: true}}
        """)
    sc_cpu = load_scenario(cpu)
    assert sc_cpu.solver.method == "ipm" and sc_cpu.time.mode == "full"
    from re300.solve.highs import highs_options

    highs_options(SolverOptions(method="ipm", options=dict(sc_cpu.solver.options)))  # HiGHS takes its options
