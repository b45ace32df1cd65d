"""`re300 verify` on multi-period (pathway) runs: every check per investment period, a failing period named.

Two short pathway runs (module fixture, a few seconds each): the Honam pathway settings of models/pathway.yaml on
two periods (2034 RE100, 2050 RE300 / 200 % export) and two representative days, with perfect and with myopic
foresight. The scenario extends models/base.yaml rather than models/pathway.yaml because pathway.yaml's targets
name five periods and a scenario may not set targets for years that are not periods. A hand-built pathway with a
hydrogen chain (electrolysers sized on their own) and an hourly RE100 load checks the cost terms that the Honam
runs do not build, with every expected number worked out by hand.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from factories import gen, model_data, periods, solve_data, store

from re300 import cli
from re300.audit import (
    check_costs,
    check_discounting,
    check_energy_balance,
    check_renewable_target,
    investment_by_period,
    read_summary,
    verify_run,
)
from re300.model.data import TargetSettings
from re300.results.manifest import hash_files, write_manifest
from re300.results.outputs import output_tables
from re300.results.tables import by_period
from re300.run import run_scenario

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

REPO = Path(__file__).resolve().parent.parent
CHECKS = ["input_hashes", "solver", "discounting", "energy_balance", "renewable_target", "export_commitment", "deliverability", "costs",
          "csv_tables"]
RATE = 0.05  # set in the scenario below, so the weights can be worked out here

SCENARIO = f"""\
extends: {REPO / 'models' / 'base.yaml'}
name: verify_pathway
time: {{mode: representative, periods: 2, extremes: false}}
prices: {{discount_rate: {RATE}}}
pathway:
  periods: [2034, 2050]
  base_year: 2025
  final_period_years: 5
  demand_growth: {{2021: 1.0, 2034: 1.1, 2050: 1.25}}
  targets:
    2034: {{renewable_share: 1.0}}
    2050: {{renewable_share: 3.0, export_share: 2.0}}
  build_rate_factor: {{utility_pv: 2.6}}
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    (models / "verify_pathway.yaml").write_text(SCENARIO, encoding="utf-8")
    (models / "verify_pathway_myopic.yaml").write_text(
        "extends: verify_pathway.yaml\nname: verify_pathway_myopic\npathway: {foresight: myopic}\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("outputs")
    perfect = run_scenario(models / "verify_pathway.yaml", output_dir=out, echo=False)
    myopic = run_scenario(models / "verify_pathway_myopic.yaml", output_dir=out, echo=False)
    return perfect, myopic


def _verdicts(out: str) -> dict[str, bool]:
    return {line.split()[1].rstrip(":"): line.startswith("PASS") for line in out.splitlines()
            if line.startswith(("PASS ", "FAIL "))}


def _lines(out: str) -> dict[str, str]:
    return {line.split()[1].rstrip(":"): line for line in out.splitlines() if line.startswith(("PASS ", "FAIL "))}


def _load(run: Path) -> xr.Dataset:
    return xr.load_dataset(run / "results.nc", engine="h5netcdf")


# ---- untouched runs pass --------------------------------------------------------------------------------------------


def test_verify_passes_on_a_pathway_run(runs, capsys):
    run = runs[0]
    assert cli.main(["verify", str(run)]) == 0
    out = capsys.readouterr().out
    assert _verdicts(out) == dict.fromkeys(CHECKS, True)
    assert out.strip().endswith("all 9 checks passed")
    # W_2034 stands for 2034..2049, W_2050 for 2050..2054 (final_period_years 5), discounted to 2025 at 5 %:
    # W = q^(y0 - 2025) (1 - q^n) / (1 - q) with q = 1 / 1.05
    q = 1 / (1 + RATE)
    w2034, w2050 = q**9 * (1 - q**16) / (1 - q), q**25 * (1 - q**5) / (1 - q)
    assert f"2034 {w2034:.4f}, 2050 {w2050:.4f} discounted years" in _lines(out)["discounting"]
    # every period's line is there: the 2034 target is RE100, 2050 has RE300 and the export commitment
    assert ">= 1 x" in _lines(out)["renewable_target"] and "2050: " in _lines(out)["renewable_target"]
    assert "2034: " in _lines(out)["export_commitment"] and "(no commitment)" in _lines(out)["export_commitment"]
    # the discounted objective is Σ W_p x (annual cost of p), here from summary.csv's own per-period rows
    summary = pd.read_csv(run / "summary.csv")
    per = summary[summary["metric"] == "objective"].set_index("period")["value"]
    pv = summary.set_index(["period", "metric"]).loc[("all", "discounted_objective"), "value"]
    assert w2034 * per["2034"] + w2050 * per["2050"] == pytest.approx(pv, rel=1e-9)


def test_verify_passes_on_a_myopic_pathway_run(runs, capsys):
    run = runs[1]
    assert json.loads((run / "manifest.json").read_text())["pathway"]["foresight"] == "myopic"
    assert cli.main(["verify", str(run)]) == 0
    out = capsys.readouterr().out
    assert _verdicts(out) == dict.fromkeys(CHECKS, True)
    assert "myopic: 2 period LPs Optimal" in _lines(out)["solver"]


# ---- a change in one period fails the right check, naming the period ------------------------------------------------


def test_a_changed_capacity_csv_value_fails_csv_tables_naming_its_period(runs, tmp_path, capsys):
    run = Path(shutil.copytree(runs[0], tmp_path / "run"))
    cap = pd.read_csv(run / "capacity.csv")
    row = int(np.flatnonzero((cap["period"] == 2050).to_numpy() & (cap["technology"] == "utility_pv").to_numpy())[0])
    cap.loc[row, "total"] += 1.0  # one number of the 2050 block
    cap.to_csv(run / "capacity.csv", index=False, float_format="%.10g")
    assert cli.main(["verify", str(run)]) == 1
    out = capsys.readouterr().out
    verdicts = _verdicts(out)
    assert [name for name, ok in verdicts.items() if not ok] == ["csv_tables"]
    assert f"FAIL  csv_tables: capacity.csv row {row + 2} (period 2050) column 'total'" in out
    assert "1 of 9 checks FAILED (csv_tables)" in out


def test_a_changed_input_cost_fails_costs_naming_its_period(runs):
    run = runs[0]
    ds = _load(run)
    summary = read_summary(run)
    sel = dict(technology="utility_pv", region="jeonnam", period=2050)
    total = float(ds["capacity_total_mw"].sel(**sel))
    fom = float(ds["input_generator_fom_krw_per_mw"].sel(**sel))
    assert total > 0 and fom > 0
    ds["input_generator_fom_krw_per_mw"].loc[sel] = fom * 1.01
    check = check_costs(ds, run, summary)
    assert not check.passed
    # only 2050 differs: its fixed O&M is recomputed 1 % higher, i.e. total x fom x 1.01
    assert check.detail.startswith("1 of 2 periods fail — period 2050: generator/utility_pv/jeonnam/fixed_om: "
                                   f"costs.csv {total * fom:,.6g} KRW/yr, recomputed {total * fom * 1.01:,.6g}")
    assert "period 2034" not in check.detail
    assert "LP objective" in check.detail  # Σ W_p x costs no longer equals the objective


def test_an_annuity_is_paid_at_the_cost_of_the_build_period_while_the_build_serves(runs):
    """Changing the 2034 annuity of a technology built in 2034 changes 2034 and, if the build still serves in 2050
    (lifetime > 16 years), 2050 too; a build retired by 2050 (batteries, 15 years) changes 2034 only."""
    run = runs[0]
    base = _load(run)
    summary = read_summary(run)
    built = base["capacity_built_mw"].sel(period=2034)
    life = base["input_generator_lifetime_yr"].fillna(base["input_storage_lifetime_yr"])
    battery_region = str(built.sel(technology="battery").idxmax("region").values)  # where 2034 builds the most
    for tech, region, var, periods_named in (
        ("utility_pv", "jeonnam", "input_generator_capex_annual_krw_per_mw", ["2034", "2050"]),  # 40 years
        ("battery", battery_region, "input_storage_capex_annual_krw_per_mw", ["2034"]),  # 15 years
    ):
        assert float(built.sel(technology=tech, region=region)) > 1.0, (tech, region)
        assert (float(life.sel(technology=tech, region=region)) > 16) == ("2050" in periods_named)
        ds = base.copy(deep=True)
        ds[var].loc[dict(technology=tech, region=region, period=2034)] *= 1.05
        check = check_costs(ds, run, summary)
        assert not check.passed
        failing = [y for y in ("2034", "2050") if f"period {y}: " in check.detail]
        assert failing == periods_named, check.detail
        assert f"storage/{tech}" in check.detail or f"generator/{tech}" in check.detail


def test_a_changed_period_weight_fails_discounting_naming_its_period(runs):
    run = runs[0]
    ds = _load(run)
    manifest = json.loads((run / "manifest.json").read_text())
    summary = read_summary(run)
    assert check_discounting(manifest, ds, summary).passed
    ds["input_period_objective_weight"][1] *= 1.001
    check = check_discounting(manifest, ds, summary)
    assert not check.passed
    assert check.detail.startswith("period 2050: results.nc input_period_objective_weight")
    # the costs check discounts with the recomputed weights, so it does not inherit the change
    assert check_costs(ds, run, summary).passed


def test_a_changed_discounted_total_fails_costs(runs):
    run = runs[0]
    ds = _load(run)
    summary = read_summary(run)
    row = (summary["period"] == "all") & (summary["metric"] == "discounted_total_system_cost")
    summary.loc[row, "value"] = float(summary.loc[row, "value"].iloc[0]) * 1.001
    check = check_costs(ds, run, summary)
    assert not check.passed
    assert check.detail.startswith("summary.csv (period all) discounted_total_system_cost")


def test_changed_demand_in_one_hour_fails_balance_and_target_of_that_period_only(runs):
    run = runs[0]
    ds = _load(run)
    summary = read_summary(run)
    t = int(np.flatnonzero(ds["time_period"].values == 2050)[5])
    ds["demand_mw"].values[list(ds["region"].values).index("jeonnam"), t] += 100.0
    balance = check_energy_balance(ds)
    assert not balance.passed
    assert balance.detail.startswith("1 of 2 periods fail — period 2050: off by 100 MW in jeonnam")
    target = check_renewable_target(ds, summary)
    assert not target.passed
    assert target.detail.startswith("1 of 2 periods fail — period 2050: ")
    # consumption in 2050 grows by 100 MW x the hours the snapshot stands for
    rows = summary[(summary["period"] == "2050") & (summary["metric"] == "honam_consumption")]["value"]
    expected = float(rows.iloc[0]) + 100.0 * float(ds["weight_h"][t])
    assert f"summary.csv honam_consumption = {float(rows.iloc[0])} but the results give {expected:,.6g}" in target.detail


# ---- the cost terms the Honam runs do not build: electrolysers, tanks, fuel cells, RE100 penalty ------------------------


def hydrogen_pathway():
    """Two periods (2030, 2040), each two hours of weight 1 h: hour 0 has 100 MW of free wind and no demand, hour 1
    10 MW of demand (an hourly-matched RE100 load) and grid supply at 1e6 KRW/MWh. Hydrogen (efficiency 0.5 in and
    out): fuel cells 500 KRW/MW/yr (lifetime 10 y), tank 10 KRW/MWh/yr (30 y), electrolysers 1,000 KRW/MW/yr plus
    fixed O&M 100 KRW/MW/yr (30 y). Discount rate 0: each period's weight is the 10 years it stands for."""
    h2 = store("hydrogen", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=500.0, capex_mwh=10.0, eta_c=0.5,
               eta_d=0.5, charge_max_new_mw=np.inf, charge_capex_mw=1000.0, lifetime=30)
    h2.update(lifetime_yr=10.0, charge_fom_krw_per_mw=100.0)
    return model_data(
        ["a"], {"a": [0.0, 10.0, 0.0, 10.0]},
        [gen("onshore_wind", "a", existing_mw=100.0),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=100.0, vom=1e6)],
        [[1.0, 0.0, 1.0, 0.0], [1.0] * 4],
        storage=[h2], block=[0, 0, 1, 1],
        pathway=periods([2030, 2040], base_year=2020, final_span=10), snapshot_period=[0, 0, 1, 1],
        targets=TargetSettings(renewable_share_by_period=(None, 0.5), renewable_slack_krw_per_mwh=5e6),
        re100_loads=pd.DataFrame([dict(name="data_centre", region="a", matching="hourly")]),
        re100_load_mw=np.array([[0.0, 10.0, 0.0, 10.0]]),
    )


def _write_run(ds: xr.Dataset, sol, folder: Path, root: Path) -> Path:
    """A run folder as re300.run writes it (results.nc, every CSV per period, manifest with input hashes)."""
    folder.mkdir(parents=True)
    (root / "inputs.txt").write_text("hand-built hydrogen pathway\n", encoding="utf-8")
    hashes = hash_files([root / "inputs.txt"], relative_to=root)
    input_hash = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
    ds.attrs["input_hash"] = input_hash
    ds.to_netcdf(folder / "results.nc", engine="h5netcdf")
    for name, frame in by_period(ds, output_tables).items():
        frame.to_csv(folder / name, index=False, float_format="%.10g")
    write_manifest(folder / "manifest.json", input_hashes=hashes, input_hash=input_hash,
                   solver={"status": sol.status, "objective_bn_krw_present_value": sol.objective},
                   pathway={"periods": [2030, 2040], "base_year": 2020, "discount_rate": 0.0, "foresight": "perfect"})
    return folder


def test_hydrogen_chain_and_re100_penalty_are_recomputed_per_period(tmp_path):
    ds, sol = solve_data(hydrogen_pathway())
    run = _write_run(ds, sol, tmp_path / "h2", tmp_path)
    checks = {c.name: c for c in verify_run(run, root=tmp_path)}
    assert all(c.passed for c in checks.values()), [c.detail for c in checks.values() if not c.passed]
    # Each period needs 10 MW of fuel cells, 20 MWh of hydrogen and 40 MW of electrolysers (hour 1: 10 MWh out at
    # 0.5 -> 20 MWh stored, made in hour 0 at 0.5 -> 40 MW). Fuel cells live 10 years: built in 2030 and again in
    # 2040; the tank and the electrolysers built in 2030 serve 2040 too. Annual investment per period:
    # 10 x 500 + 20 x 10 + 40 x 1,000 = 45,200 KRW/yr; fixed O&M 40 x 100 = 4,000 KRW/yr.
    inv, problems = investment_by_period(ds)
    assert problems == []
    assert inv["storage"][list(ds["technology"].values).index("hydrogen"), 0] == pytest.approx([45_200.0, 45_200.0], rel=1e-9)
    costs = pd.read_csv(run / "costs.csv").set_index(["period", "asset", "component"])["value"]
    assert costs[(2030, "hydrogen", "fixed_om")] == pytest.approx(4_000.0, rel=1e-9)
    # the RE100 load is matched by the fuel cells: its penalty item is there, at 0, in both periods; the renewable
    # target exists in 2040 only
    assert costs[(2030, "re100_shortfall", "shortfall_penalty")] == pytest.approx(0.0, abs=1e-6)
    assert (2030, "renewable_shortfall", "shortfall_penalty") not in costs.index
    assert (2040, "renewable_shortfall", "shortfall_penalty") in costs.index
    # objective: W = 10 per period, 2 x 10 x (45,200 + 4,000) = 984,000 KRW
    assert sol.objective * 1e9 == pytest.approx(984_000.0, rel=1e-9)

    summary = read_summary(run)
    # the electrolysers' 2030 annuity is paid in 2030 and 2040 (they serve both): 40 x 1,000 more in each
    tampered = ds.copy(deep=True)
    tampered["input_storage_charge_capex_annual_krw_per_mw"].loc[dict(technology="hydrogen", region="a", period=2030)] = 2000.0
    check = check_costs(tampered, run, summary)
    assert not check.passed
    assert "2 of 2 periods fail" in check.detail
    assert "period 2040: storage/hydrogen/a/investment: costs.csv 45,200 KRW/yr, recomputed 85,200" in check.detail
    # the 2030 fuel cells are retired by 2040: doubling their annuity changes 2030 only (+ 10 x 500)
    tampered = ds.copy(deep=True)
    tampered["input_storage_capex_annual_krw_per_mw"].loc[dict(technology="hydrogen", region="a", period=2030)] = 1000.0
    check = check_costs(tampered, run, summary)
    assert check.detail.startswith("1 of 2 periods fail — period 2030: storage/hydrogen/a/investment: "
                                   "costs.csv 45,200 KRW/yr, recomputed 50,200")
    # electrolyser fixed O&M enters the costs too
    tampered = ds.copy(deep=True)
    tampered["input_storage_charge_fom_krw_per_mw"].loc[dict(technology="hydrogen", region="a", period=2040)] = 200.0
    check = check_costs(tampered, run, summary)
    assert "period 2040: storage/hydrogen/a/fixed_om: costs.csv 4,000 KRW/yr, recomputed 8,000" in check.detail


def test_new_capacity_in_service_must_equal_the_builds_still_alive(tmp_path):
    ds, _ = solve_data(hydrogen_pathway())
    # report the 2030 fuel cells as still serving in 2040 (they retire after 10 years)
    ds["capacity_new_mw"].loc[dict(technology="hydrogen", region="a", period=2040)] = 20.0
    inv, problems = investment_by_period(ds)
    assert problems == ["period 2040: capacity_new_mw of hydrogen|a is 20 but the builds in service give 10"]
