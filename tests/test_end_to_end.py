"""End to end: the `quick` scenario through the same path as `make solve` (re300.run.run_scenario)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
import yaml

from re300.assemble import capital_recovery_factor
from re300.errors import Re300Error
from re300.model.builder import build_model
from re300.results.rebuild import model_data_from_dataset
from re300.results.tables import energy_balance_residual
from re300.run import run_scenario
from re300.solve.solver import SolverOptions, solve

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    final = run_scenario(REPO / "models" / "quick.yaml", output_dir=out, echo=False)
    return final


def test_outputs_exist_with_units(quick_run):
    for name in ("results.nc", "capacity.csv", "energy.csv", "costs.csv", "transmission.csv", "prices.csv",
                 "summary.csv", "hourly.csv", "manifest.json", "highs.log"):
        assert (quick_run / name).is_file(), name
    for name in ("capacity.csv", "energy.csv", "costs.csv", "transmission.csv", "prices.csv", "summary.csv"):
        df = pd.read_csv(quick_run / name)
        assert "unit" in df.columns and df["unit"].notna().all(), name
    m = json.loads((quick_run / "manifest.json").read_text())
    assert m["solver"]["status"] == "Optimal"
    assert m["scenario"]["name"] == "quick"
    assert all(len(h) == 64 for h in m["input_hashes"].values())
    assert any(k.endswith("technology_parameters.csv") for k in m["input_hashes"])
    assert set(m["timings_s"]) >= {"inputs", "profiles", "build", "solve", "write"}


def test_dataset_has_results_inputs_and_attrs(quick_run):
    ds = xr.open_dataset(quick_run / "results.nc", engine="h5netcdf")
    for v in ("capacity_total_mw", "dispatch_mw", "curtailment_mw", "soc_mwh", "flow_mw", "price_krw_per_mwh",
              "renewable_target_shadow_price_krw_per_mwh", "cost_krw_per_yr", "input_capacity_factor", "demand_mw"):
        assert v in ds, v
        assert "units" in ds[v].attrs, v
    assert ds.attrs["solver_status"] == "Optimal"
    assert len(ds.attrs["input_hash"]) == 64
    assert ds.sizes["time"] == 336
    assert float(ds.weight_h.sum()) == pytest.approx(8760.0)


def test_energy_balance_closes_in_outputs(quick_run):
    ds = xr.open_dataset(quick_run / "results.nc", engine="h5netcdf")
    resid = energy_balance_residual(ds)
    assert float(abs(resid).max()) <= 1e-6 * float(ds.demand_mw.max())


def test_cost_components_equal_objective_and_summary_consistent(quick_run):
    ds = xr.open_dataset(quick_run / "results.nc", engine="h5netcdf")
    costs = pd.read_csv(quick_run / "costs.csv")
    assert costs["value"].sum() == pytest.approx(ds.attrs["objective_bn_krw_per_yr"] * 1e9, rel=1e-6)
    s = pd.read_csv(quick_run / "summary.csv").set_index("metric")["value"]
    assert s["objective"] == pytest.approx(costs["value"].sum(), rel=1e-9)
    penalty = costs.loc[costs["asset_kind"] == "target", "value"].sum()
    credit = costs["component"].isin(["displaced_generation", "product_sales"])
    assert (costs.loc[credit, "value"] <= 0).all()  # value created is a negative cost item
    # gross cost: every cost item but the credits and the target penalty; net cost: gross minus the credits
    gross = costs.loc[~credit & (costs["asset_kind"] != "target"), "value"].sum()
    assert s["total_system_cost"] == pytest.approx(gross, rel=1e-9)
    assert s["displaced_generation_value"] + s["product_sales_revenue"] == pytest.approx(-costs.loc[credit, "value"].sum(), rel=1e-9)
    assert s["net_system_cost"] == pytest.approx(costs["value"].sum() - penalty, rel=1e-9)
    assert s["shortfall_penalty"] == pytest.approx(penalty, rel=1e-9, abs=1e-6)
    # renewable target: counted renewable + shortfall >= 3 x consumption (to solver tolerance)
    assert s["renewable_counted"] + s["renewable_shortfall"] >= 3.0 * s["honam_consumption"] * (1 - 1e-6)
    # export commitment: counted exports (net delivery + the electricity behind hydrogen sold, the study's reading)
    assert s["exports_counted"] + s["export_shortfall"] >= 2.0 * s["honam_consumption"] * (1 - 1e-6)
    assert s["exports_counted"] == pytest.approx(s["exports_delivered"] + s["hydrogen_sold_electricity"], rel=1e-9)


def test_rebuild_from_results_gives_same_objective(quick_run):
    ds = xr.open_dataset(quick_run / "results.nc", engine="h5netcdf")
    data = model_data_from_dataset(ds)
    sol = solve(build_model(data), SolverOptions(method="ipm"))
    assert sol.objective == pytest.approx(ds.attrs["objective_bn_krw_per_yr"], rel=1e-6)


def test_failed_run_leaves_previous_outputs_untouched(quick_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(quick_run, out / "quick")
    before = {p.name: p.read_bytes() for p in (out / "quick").iterdir()}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({
        "extends": str(REPO / "models" / "quick.yaml"), "name": "quick", "inputs_dir": str(REPO / "inputs"),
        "solver": {"options": {"not_a_highs_option": 1}},
    }))
    with pytest.raises(Re300Error):
        run_scenario(bad, output_dir=out, echo=False)
    after = {p.name: p.read_bytes() for p in (out / "quick").iterdir()}
    assert after == before
    assert [p.name for p in out.iterdir()] == ["quick"]


def test_capital_recovery_factor_by_hand():
    # 4.5 % over 25 years: 0.045 / (1 - 1.045^-25) = 0.067439 (annuity tables); 0 % -> 1/n.
    assert capital_recovery_factor(0.045, 25) == pytest.approx(0.0674387, rel=1e-5)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)
