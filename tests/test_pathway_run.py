"""The pathway and hourly-RE100 scenarios through the same pipeline as `make solve`, on reduced horizons.

Expected values come from the input tables (worked out in the comments), not from earlier runs.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from conftest import PATHWAY_REDUCED  # noqa: E402

from re300.config import load_scenario
from re300.errors import ConfigError, InputError
from re300.model.builder import build_model
from re300.results.rebuild import model_data_from_dataset
from re300.results.tables import energy_balance_residual
from re300.run import run_scenario
from re300.solve.solver import SolverOptions, solve

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

REPO = Path(__file__).resolve().parent.parent
YEARS = [2030, 2034, 2040, 2045, 2050]
# few representative days (2 typical + the peak-demand and least-wind days), each day merged into 4 segments
REDUCED = {"time": {"mode": "representative", "typical_days": 2, "segments": 4, "extremes": True}}


def _scenario(tmp_path, name, parent, **override) -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump({"extends": str(REPO / "models" / parent), "name": name,
                                 "inputs_dir": str(REPO / "inputs"), **override}))
    return p


@pytest.fixture(scope="module")
def pathway_run(pathway_reduced_run):
    """The reduced pathway (REDUCED, tests/conftest.py: solved once per session, shared with the memo tests)."""
    assert REDUCED == PATHWAY_REDUCED
    return pathway_reduced_run


def test_pathway_outputs_carry_periods_and_a_capacity_trajectory(pathway_run):
    for name in ("capacity.csv", "energy.csv", "costs.csv", "transmission.csv", "prices.csv", "hourly.csv",
                 "binding_limits.csv", "capacity_trajectory.csv"):
        df = pd.read_csv(pathway_run / name)
        assert df.columns[0] == "period", name
        assert sorted(df["period"].unique()) == YEARS, name
    s = pd.read_csv(pathway_run / "summary.csv")
    assert set(s["period"].astype(str)) == {str(y) for y in YEARS} | {"all"}
    traj = pd.read_csv(pathway_run / "capacity_trajectory.csv")
    assert {"existing", "new", "built", "retired", "total"} <= set(traj.columns)
    # total = existing + new and total(p) = total(p-1) + built(p) - retired(p), row by row
    assert np.allclose(traj["total"], traj["existing"] + traj["new"], atol=1e-6)
    for (r, t, k), g in traj.groupby(["region", "technology", "kind"]):
        g = g.sort_values("period")
        tot, built, ret = g["total"].to_numpy(), g["built"].to_numpy(), g["retired"].to_numpy()
        assert np.allclose(tot[1:], tot[:-1] + built[1:] - ret[1:], atol=1e-3), (r, t, k)


def test_discounted_total_is_the_weighted_sum_of_period_costs(pathway_run):
    # W_p = Σ_{y in period} 1.045^-(y - 2025): 2030 stands for 2030-33, 2034 for 2034-39, ..., 2050 for 2050-54.
    spans = {2030: 4, 2034: 6, 2040: 5, 2045: 5, 2050: 5}
    W = {y: sum(1.045 ** -(k - 2025) for k in range(y, y + n)) for y, n in spans.items()}
    m = json.loads((pathway_run / "manifest.json").read_text())
    assert m["pathway"]["objective_weight"] == pytest.approx([W[y] for y in YEARS], rel=1e-12)
    costs = pd.read_csv(pathway_run / "costs.csv")
    s = pd.read_csv(pathway_run / "summary.csv")
    total = s[(s["period"] == "all") & (s["metric"] == "discounted_objective")]["value"].item()
    assert total == pytest.approx(sum(W[p] * v for p, v in zip(costs["period"], costs["value"])), rel=1e-9)
    ds = xr.open_dataset(pathway_run / "results.nc", engine="h5netcdf")
    assert total == pytest.approx(ds.attrs["objective_bn_krw_per_yr"] * 1e9, rel=1e-6)


def test_pathway_respects_retirements_availability_and_build_rates(pathway_run):
    cap = pd.read_csv(pathway_run / "capacity.csv")
    # Honam's fleet retires on the years of inputs/existing_vintages.csv (Hanbit licence expiries, 30-year thermal
    # lives): a vintage is in service in period y when first_year <= y < retire_year, recomputed here with pandas
    v = pd.read_csv(REPO / "inputs" / "existing_vintages.csv")
    v = v[(v.region == "jeonnam") & (v.technology == "nonrenewable_supply") & (v.parameter == "existing")]
    expected = [v.loc[(v.first_year <= y) & (v.retire_year.isna() | (v.retire_year > y)), "value"].sum() for y in YEARS]
    assert expected[0] > expected[-1] > 0  # units retire over the pathway (Hanbit 1-6 by 2043)
    nr = cap[(cap.region == "jeonnam") & (cap.technology == "nonrenewable_supply") & (cap.kind == "power")]
    assert nr.sort_values("period")["existing"].tolist() == pytest.approx(expected)
    tr = pd.read_csv(pathway_run / "transmission.csv").set_index(["period", "link", "quantity"])["value"]
    # availability_years.csv: no Jeonnam->capital HVDC before 2036 (so none in 2030, 2034); Jeonbuk->capital at
    # most 2,000 MW new before 2036
    for y in (2030, 2034):
        assert tr[(y, "jeonnam_capital", "capacity_new")] == pytest.approx(0.0, abs=1e-6)
        assert tr[(y, "jeonbuk_capital", "capacity_new")] <= 2000.0 + 1e-6
    # Gurye pumped hydro (500 MW) from 2035: nothing new in 2030 or 2034, at most 500 MW after
    ph = cap[(cap.region == "jeonnam") & (cap.technology == "pumped_hydro") & (cap.kind == "power")].set_index("period")["new"]
    assert ph[2030] == pytest.approx(0.0, abs=1e-6) and ph[2034] == pytest.approx(0.0, abs=1e-6)
    assert ph.max() <= 500.0 + 1e-6
    # solar build rate: 1,195 MW/yr x 2.6 (pathway.yaml) x build interval (5, 4, 6, 5, 5 years)
    traj = pd.read_csv(pathway_run / "capacity_trajectory.csv")
    pv = traj[traj.technology.isin(["utility_pv", "rooftop_pv", "floating_pv"]) & (traj.kind == "power")]
    built = pv.groupby("period")["built"].sum()
    for y, years in zip(YEARS, (5, 4, 6, 5, 5)):
        assert built[y] <= 1195 * 2.6 * years * (1 + 1e-9) + 1e-6


def test_pathway_energy_balance_and_rebuild_from_results(pathway_run):
    ds = xr.open_dataset(pathway_run / "results.nc", engine="h5netcdf")
    assert float(abs(energy_balance_residual(ds)).max()) <= 1e-6 * float(ds.demand_mw.max())
    again = solve(build_model(model_data_from_dataset(ds)), SolverOptions(method="ipm"))
    assert again.objective == pytest.approx(ds.attrs["objective_bn_krw_per_yr"], rel=1e-6)


def test_myopic_pathway_costs_at_least_perfect_foresight(pathway_run, tmp_path):
    # The myopic builds are a feasible plan for the perfect-foresight LP, whose optimum can only be lower.
    run = run_scenario(_scenario(tmp_path, "pathway_myopic", "pathway.yaml", **REDUCED,
                                 pathway={"foresight": "myopic"}), output_dir=tmp_path / "out", echo=False)
    m = json.loads((run / "manifest.json").read_text())
    assert [s["year"] for s in m["pathway"]["myopic_steps"]] == YEARS
    perfect = xr.open_dataset(pathway_run / "results.nc", engine="h5netcdf").attrs["objective_bn_krw_per_yr"]
    myopic = xr.open_dataset(run / "results.nc", engine="h5netcdf").attrs["objective_bn_krw_per_yr"]
    assert myopic >= perfect * (1 - 1e-6)


def test_hourly_re100_reports_score_and_premium(tmp_path):
    # hourly_re100.yaml's two flat RE100 loads (500 + 300 MW) on the two `quick` weeks, with an RE100 target (on two
    # weeks RE300 runs out of potential, and a premium is only reported when both variants meet their targets).
    # Hourly-matched load energy = 800 MW x 8,760 h = 7,008,000 MWh/yr; the premium is the hourly run's system cost
    # minus the annual variant's, and it cannot be negative (the hourly LP is the annual one plus constraints).
    run = run_scenario(_scenario(tmp_path, "re100_quick", "hourly_re100.yaml",
                                 time={"mode": "weeks", "weeks": [2, 28], "weights": None},
                                 targets={"renewable_share": 1.0, "export_share": None}),
                       output_dir=tmp_path / "out", echo=False)
    s = pd.read_csv(run / "summary.csv").set_index("metric")["value"]
    assert s["re100_hourly_matched_load"] == pytest.approx(800 * 8760, rel=1e-9)
    assert s["re100_matching_score"] == pytest.approx(1.0, abs=1e-6)
    assert s["re100_unmatched_hourly_load"] == pytest.approx(0.0, abs=1e-3)
    assert 0.0 <= s["re100_annual_matching_score"] <= 1.0
    # (summary.csv holds 10 significant digits: the difference of two ~1e13 KRW totals is good to ~1e4 KRW)
    assert s["re100_hourly_matching_premium"] == pytest.approx(
        s["total_system_cost"] - s["re100_annual_matching_total_system_cost"], abs=1e-9 * s["total_system_cost"])
    assert s["renewable_shortfall"] == pytest.approx(0.0, abs=1e-3)
    assert s["re100_hourly_matching_premium"] >= -1e-6 * s["total_system_cost"]
    assert s["re100_hourly_matching_premium_per_mwh"] == pytest.approx(s["re100_hourly_matching_premium"] / (800 * 8760), rel=1e-9)
    ds = xr.open_dataset(run / "results.nc", engine="h5netcdf")
    # the loads are part of demand: Jeonbuk demand includes 500 MW every snapshot
    assert float((ds["demand_mw"].sel(region="jeonbuk") - ds["re100_load_mw"].sel(re100_load="saemangeum_re100_complex")).min()) > 0
    assert (run / "highs_annual_matching.log").is_file()


def test_pathway_config_errors_are_one_line(tmp_path):
    bad = _scenario(tmp_path, "bad", "pathway.yaml", pathway={"targets": {2035: {"renewable_share": 1.0}}})
    with pytest.raises(ConfigError) as e:
        load_scenario(bad)
    msg = str(e.value)
    assert "pathway" in msg and "[2035]" in msg and "expected keys among [2030, 2034, 2040, 2045, 2050]" in msg
    assert "\n" not in msg
    bad = _scenario(tmp_path, "bad2", "hourly_re100.yaml", re100_loads=[{"name": "x", "region": "capital", "mw": 10}])
    with pytest.raises(ConfigError, match=r"re100_loads\[0\]\.region: unknown Honam region 'capital'"):
        run_scenario(bad, output_dir=tmp_path / "out", echo=False)


def test_vintages_must_add_up_to_existing_capacity(tmp_path):
    import shutil

    from re300.inputs.tables import FILES, load_tables

    d = tmp_path / "inputs"
    d.mkdir()
    for name in FILES:
        shutil.copy(REPO / "inputs" / name, d / name)
    text = (d / "existing_vintages.csv").read_text(encoding="utf-8")
    (d / "existing_vintages.csv").write_text(text.replace("jeonnam,onshore_wind,existing,2008,2038,373,",
                                                          "jeonnam,onshore_wind,existing,2008,2038,300,"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_tables(d)
    msg = str(e.value)
    assert "existing_vintages.csv, row" in msg and "column 'value'" in msg
    assert "jeonnam onshore_wind: the existing vintages sum to 1327 MW" in msg
    assert "expected the capacities.csv existing value 1400 MW" in msg


def test_pathway_data_takes_costs_demand_and_hydrogen_from_the_tables():
    # Assembly only (no solve): the reduced pathway scenario's ModelData against numbers worked from the inputs.
    from re300.assemble import capital_recovery_factor
    from re300.run import Phases, prepare

    sc = load_scenario(REPO / "models" / "pathway.yaml")
    sc = sc.model_copy(update={"time": sc.time.model_copy(update=REDUCED["time"])})
    tables, data, _ = prepare(sc, Phases(echo=False))
    # demand growth {2021: 1, 2030: 1.05, 2034: 1.1, 2050: 1.25}, linear: 2040 = 1.1 + 6/16 x 0.15, 2045 = 1.1 + 11/16 x 0.15
    growth = data.period_consumption_mwh() / data.period_consumption_mwh()[0] * 1.05
    assert growth == pytest.approx([1.05, 1.1, 1.15625, 1.203125, 1.25], rel=1e-9)
    # utility PV capex of each period: the table's year rows interpolated (2034: 1.174692e9 + 4/20 of the way to
    # 8.968599e8, both 1.27e9 x CPI 114.18/100 x the DEA declines), annualised at 4.5 % over 40 years
    g = data.generators.reset_index(drop=True)
    i = int(np.flatnonzero((g.technology == "utility_pv") & (g.region == "jeonnam"))[0])
    capex_2034 = 1.174692e9 + (2034 - 2030) / 20 * (8.968599e8 - 1.174692e9)
    assert data.period_data["generators"]["capex_annual_krw_per_mw"][i, 1] == pytest.approx(
        capex_2034 * capital_recovery_factor(0.045, 40), rel=1e-9)
    # hydrogen: electrolysers sized on their own; 2050 electrolyser capex 1,257 EUR/kW x 1,475 KRW/EUR (2024), 25 y;
    # electrolysis efficiency at cost_year 2040: half way between 0.62 (2030) and 0.70 (2050) = 0.66
    st = data.storage.reset_index(drop=True)
    h = int(np.flatnonzero((st.technology == "hydrogen") & (st.region == "jeonnam"))[0])
    assert bool(st.separate_charge_power[h]) and st.efficiency_charge[h] == pytest.approx(0.66, rel=1e-9)
    assert st.efficiency_discharge[h] == pytest.approx(0.5)
    assert data.period_data["storage"]["charge_capex_annual_krw_per_mw"][h, 4] == pytest.approx(
        1257 * 1475 * 1000 * capital_recovery_factor(0.045, 25), rel=1e-6)
    # targets per period; shortfall penalty from the targets section
    assert data.targets.shares("renewable", 5)[1:] == pytest.approx([1.0, 1.75, 2.375, 3.0])
    assert np.isnan(data.targets.shares("renewable", 5)[0])
    assert data.targets.renewable_slack_krw_per_mwh == 5_000_000
