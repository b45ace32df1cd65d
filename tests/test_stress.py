"""`re300 stress` (issue 16 part 6) on `quick`: the plan's capacities kept, every year's balance closing, the plan's
own snapshots giving back its cost, the measured year equal to a re-dispatch built another way; the memo's row;
multi-year planning on a tiny case."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from re300.errors import ConfigError, Re300Error
from re300.inputs.snapshots import representative_days, stack_years
from re300.report import stress as report_stress
from re300.report.memo import HEADLINE_ROWS, row_stress
from re300.stress import load_plan, run_stress
from re300.stress.years import stress_years

RESOLUTION_H = 6   # 1,460 steps a year: the machinery of the 2-h default at a tenth of the solve time


@pytest.fixture(scope="module")
def stressed(quick_run_dir, tmp_path_factory):
    import shutil

    run = tmp_path_factory.mktemp("stress") / "quick"
    shutil.copytree(quick_run_dir, run)
    report = run_stress(run, years=2, resolution_hours=RESOLUTION_H, workers=2, echo=False)
    return run, report


@pytest.mark.slow
def test_years_capacities_and_balances(stressed):
    run, report = stressed
    table = pd.read_csv(run / "stress" / "stress.csv")
    assert list(table["name"]) == ["plan", "typical", "synthetic-1", "synthetic-2", "measured-2025"]
    assert list(table.columns) == list(report_stress.COLUMNS)
    assert (table["status"] == "Optimal").all(), table["error"].tolist()
    assert (table["capacity_difference_max"] <= 1e-6).all()          # the plan's capacities, to the MW
    assert (table["balance_residual_max_mw"] <= 1e-3).all()          # every region and step balances
    assert (table.loc[1:, "snapshots"] == 8760 // RESOLUTION_H).all()
    seeds = json.loads((run / "stress" / "stress.json").read_text())["years"]
    assert [y["seed"] for y in seeds][2:4] == [20210532, 20210533] and (run / "stress" / "summary.md").is_file()
    # synthetic years differ from each other and from the typical year
    assert table["wind_cf"].iloc[1:4].nunique() == 3


@pytest.mark.slow
def test_plan_row_gives_back_the_plans_cost(stressed):
    """Re-dispatching the plan on its own snapshots with every capacity fixed is the plan's LP at its optimum."""
    run, _ = stressed
    table = pd.read_csv(run / "stress" / "stress.csv").set_index("name")
    summary = pd.read_csv(run / "summary.csv").set_index("metric")["value"]
    assert table.loc["plan", "total_system_cost_krw"] == pytest.approx(summary["total_system_cost"], rel=1e-6)
    assert table.loc["plan", "objective_krw"] == pytest.approx(summary["objective"], rel=1e-6)


@pytest.mark.slow
def test_measured_year_equals_a_redispatch_built_another_way(stressed):
    """The measured year rebuilt without the stress machinery: the pipeline's own ModelData of that weather and
    horizon, the plan's new capacity added to existing capacity and nothing left to build. Its objective plus the
    plan's annualised investment (not in it: nothing is built) equals the stress row's."""
    from re300.model.builder import build_model
    from re300.run import Phases, prepare
    from re300.solve.solver import SolverOptions, solve
    from re300.stress.dispatch import year_scenario

    run, _ = stressed
    plan = load_plan(run)
    year = [y for y in stress_years(plan.scenario, 2, [2025]) if y.kind == "measured"][0]
    _, data, _ = prepare(year_scenario(plan.scenario, year, RESOLUTION_H), Phases(echo=False))
    ds = xr.load_dataset(run / "results.nc", engine="h5netcdf")

    def new(var, frame):
        return np.array([0.0 if var not in ds else float(np.nan_to_num(ds[var].sel(technology=t, region=r)))
                         for t, r in zip(frame["technology"], frame["region"])])

    gens, st, links = data.generators.copy(), data.storage.copy(), data.links.copy()
    gens["existing_mw"] += new("capacity_new_mw", gens)
    st["existing_mw"] += new("capacity_new_mw", st)
    free_energy = np.nan_to_num(st["fixed_duration_h"].to_numpy(float)) <= 0
    st["existing_mwh"] += np.where(free_energy, new("energy_capacity_new_mwh", st), 0.0)
    st["charge_existing_mw"] += np.where(st["separate_charge_power"].to_numpy(bool),
                                         new("charge_capacity_new_mw", st), 0.0)
    links["existing_mw"] += ds["link_capacity_new_mw"].sel(link=list(links["link"])).values
    for frame, cols in ((gens, ["max_new_mw"]), (st, ["max_new_mw", "max_new_mwh", "charge_max_new_mw"]),
                        (links, ["max_new_mw"])):
        for c in cols:
            frame[c] = 0.0
    other = replace(data, generators=gens, storage=st, links=links, adequacy=None, period_data={})
    sol = solve(build_model(other), SolverOptions(method="ipm", crossover=True))
    costs = pd.read_csv(run / "costs.csv")
    investment = float(costs.loc[costs["component"] == "investment", "value"].sum())
    row = pd.read_csv(run / "stress" / "stress.csv").set_index("name").loc["measured-2025"]
    assert row["objective_krw"] == pytest.approx(sol.objective * 1e9 + investment, rel=1e-6)


@pytest.mark.slow
def test_summary_worst_year_and_memo_row(stressed, quick_run_dir):
    run, report = stressed
    table = report_stress.read_stress(run)
    s = report_stress.stress_summary(table)
    assert s.years == 3 and s.synthetic == 2 and s.measured == ["measured-2025"]
    stress_rows = table[table["kind"].isin(report_stress.STRESS_KINDS)]
    short = report_stress.shortfall_mwh(stress_rows)
    expected = stress_rows.loc[short.idxmax()] if short.max() > report_stress.SHORT_MWH else \
        stress_rows.loc[stress_rows["total_system_cost_krw"].idxmax()]
    assert s.worst["name"] == expected["name"]
    assert s.cost_min == pytest.approx(stress_rows["total_system_cost_krw"].min())
    label, text, subs = report_stress.memo_row(run, "en")
    assert label == "Weather stress test" and "3 weather years" in text and subs[0].startswith("worst year")
    assert report.lines == report_stress.summary_lines(s)
    # a run without stress.csv says so
    assert "not stress-tested" in report_stress.memo_row(quick_run_dir, "en")[1]
    assert "스트레스 테스트 안 함" in report_stress.memo_row(quick_run_dir, "ko")[1]
    assert row_stress in HEADLINE_ROWS


def test_refuses_bad_arguments(tmp_path):
    with pytest.raises(Re300Error, match="results.nc missing"):
        load_plan(tmp_path)
    with pytest.raises(Re300Error, match="--years 0"):
        run_stress(tmp_path, years=0)
    with pytest.raises(Re300Error, match="--resolution-hours 5"):
        run_stress(tmp_path, years=2, resolution_hours=5)


@pytest.mark.slow
def test_refuses_what_it_cannot_test(quick_run_dir, pathway_reduced_run, copy_run):
    with pytest.raises(Re300Error, match="pathway run"):
        load_plan(pathway_reduced_run)
    run = copy_run(quick_run_dir, keep_nc=True)
    manifest = json.loads((run / "manifest.json").read_text())
    key = next(k for k in manifest["input_hashes"] if k.endswith("weather_parameters.csv"))
    manifest["input_hashes"][key] = "0" * 64
    (run / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(Re300Error, match="changed: .*weather_parameters.csv"):
        load_plan(run)


# ---------------------------------------------------------------------------------------------- multi-year
def _year_frames(seed: int):
    idx = pd.date_range("2025-01-01", periods=8760, freq="h")
    rng = np.random.default_rng(seed)
    day = np.sin(np.linspace(0, 2 * np.pi, 24, endpoint=False)).clip(0)
    level = rng.uniform(0.2, 1.0, 365)
    cf = pd.DataFrame({("utility_pv", "r"): (np.repeat(level, 24) * np.tile(day, 365)),
                       ("onshore_wind", "r"): np.repeat(rng.uniform(0, 1, 365), 24)}, index=idx)
    cf.columns = pd.MultiIndex.from_tuples(cf.columns)
    demand = pd.DataFrame({"r": 100 + 20 * np.tile(day, 365)}, index=idx)
    return cf, demand


def test_two_identical_years_give_the_one_years_typical_days():
    """Worked case: a year repeated twice holds each day twice; drawn from both, the typical days are the one year's
    (same values), each standing for half as many days of a year (weights still sum to 8760 h), and the calendar of
    days runs through both years. (Without extreme days: the repeated year has its peak day twice, and only one of
    them would stand for itself.)"""
    cf, demand = _year_frames(1)
    one = representative_days(cf, demand, 6, None, False)
    two = representative_days(stack_years([cf, cf]), stack_years([demand, demand]), 6, None, False, years=2)
    assert two.weight_h.sum() == pytest.approx(8760.0)
    np.testing.assert_allclose(np.sort(two.cf.to_numpy().ravel()), np.sort(one.cf.to_numpy().ravel()))
    np.testing.assert_allclose(np.sort(two.weight_h), np.sort(one.weight_h))
    assert len(two.typical_day_order) == 730 and two.info["weather_years"] == 2


def test_stack_years_labels_each_year_as_its_own():
    cf, _ = _year_frames(2)
    stacked = stack_years([cf, cf, cf, cf])
    assert len(stacked) == 4 * 8760 and stacked.index.is_unique
    assert stacked.index[8760] == pd.Timestamp("2026-01-01") and stacked.index[-1] == pd.Timestamp("2028-12-31 23:00")
    assert not ((stacked.index.month == 2) & (stacked.index.day == 29)).any()


def test_planning_years_settings_fail_clearly(write_yaml, models_dir):
    from re300.config import load_scenario

    base = models_dir / "re300_2050.yaml"
    path = write_yaml("a.yaml", f"extends: {base}\nweather: {{planning_years: 3}}\ntime: {{mode: weeks}}\n")
    with pytest.raises(ConfigError, match="planning_years = 3 .*representative"):
        load_scenario(path)
    path = write_yaml("b.yaml", f"extends: {base}\nweather: {{planning_years: 3, source: measured}}\n")
    with pytest.raises(ConfigError, match="source: embedded"):
        load_scenario(path)
    sc = load_scenario(models_dir / "re300_2050_multiyear.yaml")
    assert sc.weather.planning_seeds() == [sc.weather.seed + 1000 + j for j in range(1, 6)]


@pytest.mark.slow
def test_multi_year_plan_on_a_tiny_case(tmp_path):
    """quick's inputs planned on 2 sampled years (3 typical days + extremes, 4 segments): weights stand for one year,
    the calendar runs through both years (each hour half an hour of the year), the calendar's months add up to the
    run's energy and the balance closes."""
    from conftest import scenario_file

    from re300.results.tables import energy_balance_residual
    from re300.run import run_scenario

    path = scenario_file(tmp_path, "multi", "quick.yaml", weather={"planning_years": 2},
                         time={"mode": "representative", "typical_days": 3, "segments": 4, "extremes": True})
    out = run_scenario(path, output_dir=tmp_path / "out", echo=False)
    ds = xr.load_dataset(out / "results.nc", engine="h5netcdf")
    assert float(ds["weight_h"].sum()) == pytest.approx(8760.0)
    assert len(ds["input_typical_day_order"]) == 730
    cal = pd.read_csv(out / "calendar.csv")
    assert len(cal) == 2 * 8760 and np.allclose(cal["weight_h"], 0.5)
    assert cal["time"].iloc[8760].startswith("2026-01-01")
    assert float(np.abs(energy_balance_residual(ds)).max()) < 1e-6
    from re300.results.calendar import calendar

    c = calendar(ds)
    energy = pd.read_csv(out / "energy.csv")
    pv = c["dispatch_mw"].sel(technology="utility_pv").sum("region") * c["weight_h"]
    gen = energy[(energy["technology"] == "utility_pv") & (energy["quantity"] == "generation")]
    assert float(pv.sum()) == pytest.approx(float(gen["value"].sum()), rel=1e-9)
    summary = pd.read_csv(out / "summary.csv").set_index("metric")["value"]
    # the target holds on the average of the planning years, with its priced shortfall where the potentials run out
    assert summary["renewable_ratio"] + summary["renewable_shortfall"] / summary["honam_consumption"] >= 3.0 - 1e-6
