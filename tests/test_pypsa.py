"""re300 checked against an independent tool: the same LP built in PyPSA (re300.bench.pypsa) and solved with HiGHS.

Feature PyPSA cannot express and that is switched off here: storage cycling per block (PyPSA's e_cyclic closes the
cycle over the whole horizon), so the scenarios compared have one block (one week). Everything else — existing and
new capacity, capacity factors, storage with separate power and energy, fixed-duration storage, standing losses,
lossy one-way and two-way links, unserved energy at the value of lost load, carbon price, the renewable target with
storage (and transmission) losses deducted, the export commitment and their priced shortfalls — is compared as is.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

pytest.importorskip("pypsa")

from factories import gen, link, model_data, store  # noqa: E402

from re300.bench.pypsa import solve_pypsa, to_pypsa  # noqa: E402
from re300.model.builder import build_model  # noqa: E402
from re300.model.data import TargetSettings  # noqa: E402
from re300.results.dataset import model_data_from_dataset, to_dataset  # noqa: E402
from re300.run import run_scenario  # noqa: E402
from re300.solve.highs import SolverOptions, solve  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning"), pytest.mark.slow]


def _re300_capacities(ds: xr.Dataset) -> dict[tuple[str, str, str], float]:
    out = {}
    for kind, flag, var in (("generator", "input_generator", "capacity_new_mw"), ("storage_power", "input_storage", "capacity_new_mw"),
                            ("storage_energy", "input_storage", "energy_capacity_new_mwh")):
        for ti, ri in zip(*np.nonzero(ds[flag].values > 0)):
            out[(kind, str(ds.technology.values[ti]), str(ds.region.values[ri]))] = float(ds[var].values[ti, ri])
    for k, name in enumerate(ds.link.values):
        out[("link", str(name), str(ds.link_from.values[k]))] = float(ds["link_capacity_new_mw"].values[k])
    return out


def _compare(ds: xr.Dataset, result, cap_tol_mw: float):
    objective = float(ds.attrs["objective_bn_krw_per_yr"]) * 1e9
    assert result.objective_krw == pytest.approx(objective, rel=1e-4)
    mine = _re300_capacities(ds)
    theirs = {(r.kind, r.name, r.region): r.new for r in result.capacity_new.itertuples()}
    assert set(mine) == set(theirs)
    off = {k: (mine[k], theirs[k]) for k in mine if abs(mine[k] - theirs[k]) > cap_tol_mw}
    assert not off, off
    assert result.renewable_shortfall_mwh == pytest.approx(float(ds["renewable_shortfall_mwh"]), abs=1e-3)
    assert result.export_shortfall_mwh == pytest.approx(float(ds["export_shortfall_mwh"]), abs=1e-3)


def test_every_feature_on_a_small_three_region_case():
    rng = np.random.default_rng(1)
    T = 24
    cf_pv = np.clip(np.sin(np.linspace(0, 2 * np.pi, T)), 0, 1)
    data = model_data(
        ["a", "b", "x"], {"a": 10 + 3 * rng.random(T), "b": 6 + 2 * rng.random(T)},
        [gen("pv", "a", max_new_mw=30, existing_mw=2, capex=5e4, fom=1e4),
         gen("wind", "b", max_new_mw=20, existing_mw=1, capex=8e4, fom=2e4, vom=1.0),
         gen("grid", "a", renewable=False, existing_mw=50, vom=9e4, ef=0.4),
         gen("grid", "b", renewable=False, existing_mw=50, vom=9e4, ef=0.4)],
        [cf_pv, rng.uniform(0.1, 0.9, T), np.ones(T), np.ones(T)],
        storage=[store("battery", "a", existing_mw=1, existing_mwh=2, max_new_mw=10, max_new_mwh=40, capex_mw=3e3,
                       capex_mwh=2e3, fom_mw=100, fom_mwh=50, vom=2, eta_c=0.95, eta_d=0.9, loss=0.001),
                 store("phs", "b", existing_mw=2, max_new_mw=5, capex_mw=4e3, capex_mwh=100, fom_mw=10, eta_c=0.85,
                       eta_d=0.9, duration=6.0)],
        links=[link("ab", "a", "b", existing_mw=3, max_new_mw=10, capex=2e3, fom=100, efficiency=0.97),
               link("bx", "b", "x", bidirectional=False, existing_mw=2, max_new_mw=20, capex=3e3, fom=100, efficiency=0.95)],
        kinds={"a": "honam", "b": "honam", "x": "export"}, weights=np.full(T, 8760 / T), carbon=5e4,
        targets=TargetSettings(renewable_share=1.2, export_share=0.3, deduct_transmission_losses=True,
                               renewable_slack_krw_per_mwh=2e5, export_slack_krw_per_mwh=1.5e5),
    )
    built = build_model(data)
    ds = to_dataset(built, solve(built, SolverOptions(method="simplex")))
    assert float(ds["renewable_shortfall_mwh"]) > 1000  # the target binds through its slack: the penalty is compared too
    result = solve_pypsa(to_pypsa(data))
    assert result.status == "ok: optimal"
    _compare(ds, result, cap_tol_mw=1e-4)


def test_quick_on_one_week_from_results_nc(tmp_path):
    """quick's inputs on one week (cyclic storage per block = over the horizon), read back from results.nc."""
    scenario = tmp_path / "quick_week28.yaml"
    scenario.write_text(f"extends: {REPO / 'models' / 'quick.yaml'}\nname: quick_week28\n"
                        "time: {mode: weeks, weeks: [28], weights: null}\n", encoding="utf-8")
    run = run_scenario(scenario, output_dir=tmp_path / "out", echo=False)
    ds = xr.load_dataset(run / "results.nc", engine="h5netcdf")
    data = model_data_from_dataset(ds)
    problem = to_pypsa(data)
    assert problem.notes == []
    result = solve_pypsa(problem)
    # capacities in the tens of GW: 1 MW tolerance (alternative optima could differ more; here the optimum is unique)
    _compare(ds, result, cap_tol_mw=1.0)


def test_several_blocks_are_refused_or_noted():
    data = model_data(["a"], {"a": [1, 1, 1, 1]}, [gen("pv", "a", existing_mw=1)], [[1, 1, 1, 1]], block=[0, 0, 1, 1])
    with pytest.raises(ValueError, match="cannot cycle storage per block"):
        to_pypsa(data)
    assert to_pypsa(data, allow_blocks=True).notes == ["storage cycles over the whole horizon instead of per block"]
