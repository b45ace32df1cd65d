"""Sweeps on dask.distributed: a small sweep (the quick scenario cut to one week) on a 2-worker LocalCluster reached
through its scheduler address, the merged dataset against each member's own outputs, LP optimality bounds on the
offshore-capex sensitivity, broken members reported while the others complete, and resume (a second run solves
nothing). Sweep-file validation errors are one line naming the file and the key."""
from __future__ import annotations

import json
import logging
import textwrap

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from re300.errors import ConfigError, SolveError
from re300.sweep.runner import run_sweep
from re300.sweep.spec import check_key, load_sweep

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

MEMBERS = ["base", "offshore_wind_0.7", "offshore_wind_1.3"]


@pytest.fixture(scope="module")
def scheduler():
    """One LocalCluster (2 worker processes x 1 thread) for the module; tests reach it by address, like a remote one."""
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    yield cluster.scheduler_address
    cluster.close()


def _sweep_file(folder, repo_root, body: str, name: str = "tiny"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(f"base: {repo_root / 'models' / 'quick.yaml'}\noutput_dir: {folder / 'out'}\n"
                    + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, repo_root, scheduler):
    folder = tmp_path_factory.mktemp("sweep")
    path = _sweep_file(folder, repo_root, """
        set:
          time.weeks: [2]
          time.weights: null
        one_at_a_time:
          technologies.capex_factor.offshore_wind: [0.7, 1.3]
        members:
          - name: unknown_technology
            set: {technologies.capex_factor.offshore_wnd: 1.3}
          - name: negative_factor
            set: {technologies.capex_factor.offshore_wind: -0.5}
        """)
    report = run_sweep(path, scheduler=scheduler, echo=False)
    return path, report


def _member_summary(report, name) -> dict:
    df = pd.read_csv(report.sweep_dir / "members" / name / "summary.csv")
    return dict(zip(df["metric"], df["value"]))


def test_merged_dataset_has_a_scenario_dimension_matching_each_member(first_run):
    _, report = first_run
    assert report.count("solved") == 3
    with xr.open_dataset(report.sweep_dir / "results.nc") as ds:
        ds = ds.load()
    assert list(ds["scenario"].values) == MEMBERS
    np.testing.assert_allclose(ds["technologies.capex_factor.offshore_wind"].values, [1.0, 0.7, 1.3])
    tidy = pd.read_csv(report.sweep_dir / "summary.csv")
    assert list(tidy.columns) == ["member", "technologies.capex_factor.offshore_wind", "metric", "value", "unit"]
    for name in MEMBERS:
        own = _member_summary(report, name)
        merged = ds["summary_value"].sel(scenario=name)
        assert set(own) == {m for m, v in zip(merged["metric"].values, merged.values) if np.isfinite(v)}
        assert set(tidy.loc[tidy["member"] == name, "metric"]) == set(own)
        for metric, value in own.items():
            assert float(merged.sel(metric=metric)) == pytest.approx(value, rel=1e-9, abs=1e-6), (name, metric)
            row = tidy[(tidy["member"] == name) & (tidy["metric"] == metric)]
            assert float(row["value"].iloc[0]) == pytest.approx(value, rel=1e-9, abs=1e-6)
        cap = pd.read_csv(report.sweep_dir / "members" / name / "capacity.csv")
        power = cap[cap["kind"] == "power"]
        for r in power.itertuples():
            assert float(ds["capacity_new_mw"].sel(scenario=name, technology=r.technology, region=r.region)) == pytest.approx(r.new, rel=1e-9, abs=1e-6)
        costs = pd.read_csv(report.sweep_dir / "members" / name / "costs.csv")
        # costs.csv holds 10 significant digits per item; credits (negative items) cancel part of the sum, so the
        # rounding is bounded by the sum of magnitudes
        assert float(ds["cost_krw_per_yr"].sel(scenario=name).sum()) == pytest.approx(
            costs["value"].sum(), abs=1e-9 * costs["value"].abs().sum())
        # the headline cost (gross) is the sum of the cost items other than target penalties and the credits (value
        # of displaced generation, hydrogen sales: negative items); net = gross − credits
        c = ds["cost_krw_per_yr"].sel(scenario=name)
        credit = ds["cost_component"].isin(["displaced_generation", "product_sales"])
        system = float(c.where((ds["cost_asset_kind"] != "target") & ~credit).sum())
        assert system == pytest.approx(own["total_system_cost"], rel=1e-9)
        assert system + float(c.where(credit).sum()) == pytest.approx(own["net_system_cost"], rel=1e-9)
    # one week only: every member has the same snapshots, so the hourly series are merged too
    assert ds.sizes["time"] == 168 and "price_krw_per_mwh" in ds


def test_offshore_capex_factor_reaches_the_lp_and_costs_obey_optimality_bounds(first_run):
    """With offshore capex x f, the base plan stays feasible, so cost(f) <= cost(base) + (f - 1) x offshore investment
    of the base plan; and cost rises with f. "cost" is what the LP minimises (summary.csv objective: the net cost —
    gross cost minus the value of displaced generation and hydrogen sold — plus any shortfall penalty)."""
    _, report = first_run
    cost, gross, invest, capex = {}, {}, {}, {}
    for name in MEMBERS:
        run = report.sweep_dir / "members" / name
        # the LP's objective (net of the credits for what exports and hydrogen displace, issue 14): the quantity the
        # optimality bounds hold for; the gross total_system_cost need not obey them
        cost[name] = _member_summary(report, name)["objective"]
        gross[name] = _member_summary(report, name)["total_system_cost"]
        c = pd.read_csv(run / "costs.csv")
        invest[name] = c[(c["asset"] == "offshore_wind") & (c["component"] == "investment")]["value"].sum()
        with xr.open_dataset(run / "results.nc") as ds:
            capex[name] = ds["input_generator_capex_annual_krw_per_mw"].sel(technology="offshore_wind").values
    assert np.isfinite(capex["base"]).sum() >= 2  # Jeonnam and Jeonbuk offshore sites
    np.testing.assert_allclose(capex["offshore_wind_0.7"], 0.7 * capex["base"], rtol=1e-12)
    np.testing.assert_allclose(capex["offshore_wind_1.3"], 1.3 * capex["base"], rtol=1e-12)
    assert invest["base"] > 0
    tol = 1e-6 * cost["base"]
    assert cost["offshore_wind_0.7"] <= cost["base"] - 0.3 * invest["base"] + tol
    assert cost["offshore_wind_1.3"] <= cost["base"] + 0.3 * invest["base"] + tol
    # and the base is no worse than the dear member's plan re-priced at base costs
    assert cost["base"] <= cost["offshore_wind_1.3"] - 0.3 / 1.3 * invest["offshore_wind_1.3"] + tol
    assert cost["offshore_wind_0.7"] < cost["base"] < cost["offshore_wind_1.3"]
    tornado = pd.read_csv(report.sweep_dir / "tornado.csv")
    row = tornado[tornado["metric"] == "total_system_cost"].iloc[0]
    assert row["low_change"] == pytest.approx(gross["offshore_wind_0.7"] - gross["base"], rel=1e-9)
    assert row["high_change"] == pytest.approx(gross["offshore_wind_1.3"] - gross["base"], rel=1e-9)
    assert (report.sweep_dir / "figures" / "tornado_total_system_cost.png").stat().st_size > 5000


def test_broken_members_are_reported_with_their_error_and_the_others_complete(first_run):
    _, report = first_run
    members = pd.read_csv(report.sweep_dir / "members.csv").set_index("member")
    assert members.loc[MEMBERS, "status"].tolist() == ["solved"] * 3
    err = members.loc["unknown_technology", "error"]
    assert members.loc["unknown_technology", "status"] == "failed"
    assert "technologies.capex_factor.offshore_wnd" in err and "did you mean 'offshore_wind'" in err
    assert members.loc["negative_factor", "status"] == "failed"
    assert "technologies.capex_factor.offshore_wind" in members.loc["negative_factor", "error"]
    assert "expected a number > 0" in members.loc["negative_factor", "error"]
    state = json.loads((report.sweep_dir / "sweep_state.json").read_text())
    assert state["members"]["unknown_technology"]["status"] == "failed"
    with xr.open_dataset(report.sweep_dir / "results.nc") as ds:
        assert "unknown_technology" not in ds["scenario"].values
        assert set(json.loads(ds.attrs["failed_members"])) == {"unknown_technology", "negative_factor"}
    # each member is an ordinary scenario file extending the base
    text = (report.sweep_dir / "members" / "offshore_wind_0.7.yaml").read_text()
    assert "extends:" in text and "offshore_wind: 0.7" in text


def test_second_run_solves_nothing_and_a_changed_member_is_solved_again(first_run, scheduler):
    path, report = first_run
    members_dir = report.sweep_dir / "members"
    before = {n: (members_dir / n / "results.nc").stat().st_mtime_ns for n in MEMBERS}
    again = run_sweep(path, scheduler=scheduler, echo=False)
    assert again.count("solved") == 0 and again.count("complete") == 3 and again.count("failed") == 2
    assert {n: (members_dir / n / "results.nc").stat().st_mtime_ns for n in MEMBERS} == before
    with xr.open_dataset(again.sweep_dir / "results.nc") as ds:
        assert list(ds["scenario"].values) == MEMBERS
    # a member whose recorded scenario differs from what it would be now is not complete: it runs again
    manifest = members_dir / "offshore_wind_1.3" / "manifest.json"
    man = json.loads(manifest.read_text())
    man["scenario"]["description"] = "edited"
    manifest.write_text(json.dumps(man))
    third = run_sweep(path, scheduler=scheduler, echo=False)
    assert [m.name for m in third.members if m.status == "solved"] == ["offshore_wind_1.3"]


def test_a_member_failing_on_a_worker_is_recorded_and_the_sweep_goes_on(tmp_path, repo_root, scheduler):
    path = _sweep_file(tmp_path, repo_root, """
        set:
          time.weeks: [2]
          time.weights: null
        members:
          - name: bad_solver_option
            set: {solver.options.no_such_highs_option: 1}
        """, name="worker_failure")
    with pytest.raises(SolveError, match="no member of sweep worker_failure completed"):
        run_sweep(path, scheduler=scheduler, echo=False)
    members = pd.read_csv(tmp_path / "out" / "worker_failure" / "members.csv")
    assert members["status"].tolist() == ["failed"]
    assert "no_such_highs_option" in members["error"].iloc[0]
    assert (tmp_path / "out" / "worker_failure" / "members" / "bad_solver_option.error.log").is_file()


@pytest.mark.parametrize("body, key, message", [
    ("grid: {targets.renewable_shar: [1, 2]}\n", "grid[0].targets.renewable_shar", "did you mean 'targets.renewable_share'"),
    ("grid: {technologies.capex_factor: [1, 2]}\n", "grid[0].technologies.capex_factor", "is a mapping"),
    ("one_at_a_time: {name: [a]}\n", "one_at_a_time.name", "cannot be swept"),
    ("grdi: {targets.renewable_share: [1]}\n", "grdi", "did you mean 'grid'"),
    ("sample: {n: 3, seed: 1, parameters: {demand.growth_factor: {uniform: [2, 1]}}}\n", "sample.parameters", "range [2, 1] is empty"),
    ("grid:\n  - {targets.renewable_share: [1, 2], targets.export_share: [0]}\n", "grid", "equal length"),
    ("description: nothing to run\n", None, "no members"),
])
def test_sweep_file_errors_are_one_line_naming_file_and_key(tmp_path, repo_root, body, key, message):
    path = _sweep_file(tmp_path, repo_root, body, name="bad")
    with pytest.raises(ConfigError) as e:
        load_sweep(path)
    text = str(e.value)
    assert "\n" not in text and "bad.yaml" in text and message in text
    if key:
        assert f": {key}:" in text


def test_grid_sample_and_keys(tmp_path, repo_root):
    path = _sweep_file(tmp_path, repo_root, """
        grid:
          - {targets.renewable_share: [1.0, 3.0], targets.export_share: [0.0, 2.0]}
          - {demand.growth_factor: [1.0, 1.25]}
        sample: {n: 3, seed: 11, parameters: {weather.seed: {integers: [1, 9]}, technologies.capex_factor.offshore_wind: {uniform: [0.7, 1.3]}}}
        """, name="design")
    spec = load_sweep(path)
    members = spec.members_list()
    assert len(members) == 2 * 2 * 3 and len({m.name for m in members}) == 12
    combos = {(m.parameters["targets.renewable_share"], m.parameters["targets.export_share"]) for m in members}
    assert combos == {(1.0, 0.0), (3.0, 2.0)}  # zipped axis, not a product
    draws = [m.parameters["technologies.capex_factor.offshore_wind"] for m in members[:3]]
    rng = np.random.default_rng(11)
    rng.integers(1, 9, 3, endpoint=True)
    np.testing.assert_allclose(draws, np.round(rng.uniform(0.7, 1.3, 3), 6))
    assert load_sweep(path).members_list() == members  # seeded: the same members every time
    assert check_key("links.max_new_mw.jeonbuk_capital") is None
    assert check_key("time.weeks") is None and check_key("demand.growth_factor") is None
    assert "single setting" in check_key("targets.renewable_share.x")


def test_shipped_sweeps_load(models_dir):
    smoke = load_sweep(models_dir / "sweeps" / "smoke.yaml")
    names = [m.name for m in smoke.members_list()]
    assert names[:3] == MEMBERS and len(names) == 4
    ladder = load_sweep(models_dir / "sweeps" / "target_ladder.yaml")
    shares = [m.parameters["targets.renewable_share"] for m in ladder.members_list()]
    assert shares == [1.0, 1.5, 2.0, 2.5, 3.0]
    assert all(m.parameters["targets.export_share"] == m.parameters["targets.renewable_share"] - 1 for m in ladder.members_list())
    for name in ("sensitivity", "monte_carlo"):
        assert load_sweep(models_dir / "sweeps" / f"{name}.yaml").members_list()


def test_cli_sweep_reports_a_bad_file_in_one_line(tmp_path, repo_root, capsys):
    from re300.cli import main

    path = _sweep_file(tmp_path, repo_root, "grid: {targets.renewable_shar: [1]}\n", name="cli_bad")
    assert main(["sweep", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("re300: error:") and "renewable_shar" in err[0]


def test_the_scheduler_address_can_come_from_the_environment(scheduler, monkeypatch):
    from re300.sweep.cluster import SCHEDULER_ENV, dask_client

    monkeypatch.setenv(SCHEDULER_ENV, scheduler)
    with dask_client() as client:
        assert client.scheduler.address == scheduler
        assert len(client.scheduler_info()["workers"]) == 2


# ---- the deliverability frontier (issue 14) -------------------------------------------------------------------------
def test_deliverability_frontier_from_the_member_outputs(tmp_path_factory, repo_root, scheduler):
    """A 2 x 2 x 1 frontier on one week of quick: RE100 and RE300 with the HVDC corridor closed or at 4 GW. Each row of
    frontier.csv is recomputed here from the members' own summary.csv and capacity.csv with plain pandas."""
    folder = tmp_path_factory.mktemp("frontier")
    path = _sweep_file(folder, repo_root, """
        set:
          time.weeks: [2]
          time.weights: null
        grid:
          - targets.renewable_share: [1.0, 3.0]
            targets.export_share:    [0.0, 2.0]
          - links.max_new_mw.jeonbuk_capital: [0, 4000]
            links.max_new_mw.jeonnam_capital: [0, 0]
        """, name="frontier")
    report = run_sweep(path, scheduler=scheduler, echo=False)
    assert report.count("solved") == 4
    table = pd.read_csv(report.sweep_dir / "frontier.csv")
    assert len(table) == 2 and (report.sweep_dir / "figures" / "frontier.png").stat().st_size > 10_000
    params = pd.read_csv(report.sweep_dir / "members.csv").set_index("member")
    links = pd.read_csv(repo_root / "inputs" / "link_parameters.csv")
    hvdc_existing = links[(links.link.isin(["jeonbuk_capital", "jeonnam_capital"])) & (links.parameter == "existing")]["value"].sum()
    for row in table.itertuples():
        members = params[params["links.max_new_mw.jeonbuk_capital"] == row.corridor_allowed_mw - hvdc_existing].index
        assert len(members) == 2
        got = {}
        for m in members:
            s = pd.read_csv(report.sweep_dir / "members" / m / "summary.csv").set_index("metric")["value"]
            share = min(s["renewable_ratio"], 1 + s["export_ratio"])
            met = s["renewable_shortfall"] + s["export_shortfall"] <= 1e-4 * s["honam_consumption"]
            got[float(params.loc[m, "targets.renewable_share"])] = (m, share, met, s)
        assert row.delivered_share_at_top_target == pytest.approx(got[3.0][1], rel=1e-9)
        met = [t for t, v in got.items() if v[2]]
        assert row.highest_target_met == max(met)
        best, _, _, s = got[max(met)]
        assert row.member == best
        assert row.average_cost_krw_per_mwh_delivered == pytest.approx(s["average_cost_per_mwh_delivered"], rel=1e-9)
        cap = pd.read_csv(report.sweep_dir / "members" / best / "capacity.csv")
        battery = cap[(cap.technology.isin(["battery", "pumped_hydro"]))]
        assert row.storage_power_mw == pytest.approx(battery.loc[battery.kind == "power", "total"].sum(), rel=1e-6, abs=1e-3)
        assert row.storage_energy_mwh == pytest.approx(battery.loc[battery.kind == "energy", "total"].sum(), rel=1e-6, abs=1e-3)
        h2 = cap[cap.technology == "hydrogen"]
        assert row.electrolysis_mw == pytest.approx(h2.loc[h2.kind == "charge_power", "total"].sum(), rel=1e-6, abs=1e-3)
    # a closed corridor delivers less than a 4 GW one (or at most the same)
    closed, open_ = table.sort_values("corridor_allowed_mw")["delivered_share_at_top_target"]
    assert closed <= open_ + 1e-9


def test_ranking_table_orders_drivers_by_the_larger_relative_change():
    """Hand-made tornado rows: cost base 100, renewable share base 3.0. Driver a moves cost by -10/+20 (largest 0.20)
    and the share by 0 -> score 0.20; driver b moves cost by +5 (0.05) and the share by -0.6 (0.20) -> score 0.25."""
    from re300.sweep.figures import ranking_table

    def row(metric, param, base, lo, hi):
        return dict(metric=metric, parameter=param, method="one at a time", baseline=base, low_setting="low",
                    low_change=lo, high_setting="high", high_change=hi, unit="")
    tornado = pd.DataFrame([row("total_system_cost", "a", 100.0, -10.0, 20.0), row("renewable_ratio", "a", 3.0, 0.0, 0.0),
                            row("total_system_cost", "b", 100.0, 5.0, 5.0), row("renewable_ratio", "b", 3.0, -0.6, -0.6)])
    ranked = ranking_table(tornado)
    assert list(ranked["parameter"]) == ["b", "a"] and list(ranked["rank"]) == [1, 2]
    assert ranked.set_index("parameter").loc["a", "score"] == pytest.approx(0.20)
    assert ranked.set_index("parameter").loc["b", "score"] == pytest.approx(0.25)
