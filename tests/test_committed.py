"""Committed projects (a scenario's `committed` section -> ModelData.committed_builds -> lower bounds on new capacity)
and the existing capacity still in service in a single planning year, on tiny cases worked by hand.

Every expected number is derived in the comment above it; none comes from running the model.
"""
from __future__ import annotations

import numpy as np
import pytest
from factories import gen, link, model_data, periods, solve_data
from test_assemble import _assemble, snapshots, write_inputs, write_scenario

from re300.assemble import assemble_model_data
from re300.config import load_scenario
from re300.errors import ConfigError
from re300.inputs.tables import load_tables

GRID = 100_000.0  # KRW/MWh


def one_year(committed=None):
    """Region a, one snapshot of 8 h, demand 100 MW (800 MWh): cheap wind (capex 1,000 KRW/MW/yr, capacity factor 1)
    and dear offshore wind (capex 50,000 KRW/MW/yr, capacity factor 0.5), grid at GRID."""
    wind = gen("onshore_wind", "a", max_new_mw=1000.0, capex=1000.0)
    offshore = gen("offshore_wind", "a", max_new_mw=1000.0, capex=50_000.0)
    grid = gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=GRID)
    data = model_data(["a"], {"a": [100.0]}, [wind, offshore, grid], [[1.0], [0.5], [1.0]], weights=[8.0])
    data.committed_builds = committed
    return data


def test_least_cost_builds_only_the_cheap_wind():
    # 100 MW of wind at 1,000 KRW/MW/yr = 1e5 KRW/yr serves the 100 MW demand; offshore is never cheaper.
    ds, sol = solve_data(one_year())
    assert float(ds["capacity_new_mw"].sel(technology="offshore_wind", region="a")) == pytest.approx(0.0, abs=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1e5, rel=1e-9)


def test_a_committed_project_is_built_and_the_model_optimises_the_rest():
    # 60 MW of offshore committed: built (60 x 50,000 = 3e6 KRW/yr); it delivers 30 MW, so wind builds 70 MW
    # (70 x 1,000 = 7e4): objective 3.07e6 KRW/yr.
    committed = {"generators": np.array([[0.0], [60.0], [0.0]])}
    ds, sol = solve_data(one_year(committed))
    assert float(ds["capacity_new_mw"].sel(technology="offshore_wind", region="a")) == pytest.approx(60.0, abs=1e-6)
    assert float(ds["capacity_new_mw"].sel(technology="onshore_wind", region="a")) == pytest.approx(70.0, abs=1e-6)
    assert sol.objective * 1e9 == pytest.approx(3.07e6, rel=1e-9)


def test_a_commitment_above_the_old_limit_lifts_the_bound():
    # max_new 0 but 40 MW committed: the build option exists and is fixed at >= 40 MW.
    data = one_year({"generators": np.array([[0.0], [40.0], [0.0]])})
    data.generators.loc[1, "max_new_mw"] = 0.0
    ds, _ = solve_data(data)
    assert float(ds["capacity_new_mw"].sel(technology="offshore_wind", region="a")) == pytest.approx(40.0, abs=1e-6)


def test_committed_link():
    # Region b has demand 50 MW and only grid at GRID; a link a->b (capex 10,000 KRW/MW/yr) would carry cheap wind.
    # Least cost: 50 MW of link (5e5) + 150 MW wind (1.5e5). Committing 80 MW of link builds 80 MW (8e5) though only
    # 50 MW flows: objective 8e5 + 1.5e5 = 9.5e5 KRW/yr.
    def case(committed):
        wind = gen("onshore_wind", "a", max_new_mw=1000.0, capex=1000.0)
        grid_a = gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=GRID)
        grid_b = gen("nonrenewable_supply", "b", renewable=False, existing_mw=1000.0, vom=GRID)
        data = model_data(["a", "b"], {"a": [100.0], "b": [50.0]}, [wind, grid_a, grid_b], [[1.0], [1.0], [1.0]],
                          links=[link("a_b", "a", "b", max_new_mw=500.0, capex=10_000.0)], weights=[8.0])
        data.committed_builds = committed
        return data
    ds, sol = solve_data(case(None))
    assert float(ds["link_capacity_new_mw"].sel(link="a_b")) == pytest.approx(50.0, abs=1e-6)
    assert sol.objective * 1e9 == pytest.approx(6.5e5, rel=1e-9)
    ds, sol = solve_data(case({"links": np.array([[80.0]])}))
    assert float(ds["link_capacity_new_mw"].sel(link="a_b")) == pytest.approx(80.0, abs=1e-6)
    assert sol.objective * 1e9 == pytest.approx(9.5e5, rel=1e-9)


def test_pathway_commitment_is_a_lower_bound_on_capacity_in_service():
    # Periods 2030/2040 (rate 0, W = 10 each), one snapshot of 1 h each, demand 100 MW, wind free to build at
    # 1,000 KRW/MW/yr (lifetime 30, so a 2030 build serves both periods), offshore at 50,000 (capacity factor 0.5).
    # Offshore committed: 20 MW in service from 2030, 60 MW from 2040. Cheapest: build 20 MW in 2030 (serves both:
    # 50,000 x 20 x 20 = 2e7) and 40 MW in 2040 (50,000 x 40 x 10 = 2e7); wind fills 90 MW in 2030 and 70 MW in 2040:
    # x30 = 90 built in 2030 (serves both), so 2040 needs none: 1,000 x 90 x 20 = 1.8e6. Total 4.18e7 KRW.
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=30)
    offshore = gen("offshore_wind", "a", max_new_mw=1000.0, capex=50_000.0, lifetime=30)
    grid = gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=GRID)
    data = model_data(["a"], {"a": [100.0, 100.0]}, [wind, offshore, grid], [[1.0, 1.0], [0.5, 0.5], [1.0, 1.0]],
                      pathway=periods([2030, 2040], base_year=2020, final_span=10), snapshot_period=np.arange(2),
                      block=np.arange(2))
    data.committed_builds = {"generators": np.array([[0.0, 0.0], [20.0, 60.0], [0.0, 0.0]])}
    ds, sol = solve_data(data)
    np.testing.assert_allclose(ds["capacity_built_mw"].sel(technology="offshore_wind", region="a").values, [20.0, 40.0],
                               atol=1e-6)
    np.testing.assert_allclose(ds["capacity_built_mw"].sel(technology="onshore_wind", region="a").values, [90.0, 0.0],
                               atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(4.18e7, rel=1e-9)


# ------------------------------------------------------------------------------------------------ assembly
def test_scenario_commitment_reaches_model_data(tiny):
    # tiny inputs (tests/test_assemble.py): north pv potential 1000 MW, existing in service in 2050: 40 MW (the
    # 2010 vintage of 60 MW retired in 2035) -> new allowed 960 MW; committing 300 MW gives a lower bound of 300.
    data = _assemble(tiny, "year: 2050\ncommitted: {pv|north: 300, south_capital: 500}\n")
    g = data.generators.reset_index(drop=True)
    i = int(np.flatnonzero((g.technology == "pv") & (g.region == "north"))[0])
    assert data.committed_builds["generators"][i, 0] == 300.0
    assert data.committed_builds["generators"].sum() == 300.0
    assert data.committed_builds["links"][list(data.links["link"]).index("south_capital"), 0] == 500.0


def test_commitment_above_the_potential_stops_with_one_line(tiny):
    with pytest.raises(ConfigError, match=r"committed\.pv\|north.*1,500 MW committed but at most 960 MW"):
        _assemble(tiny, "year: 2050\ncommitted: {pv|north: 1500}\n")


def test_unknown_committed_asset_is_named(tiny):
    from re300.config import validate_names

    sc = load_scenario(write_scenario(tiny, "committed: {pv|west: 10}\n"))
    t = load_tables(sc.inputs_dir)
    with pytest.raises(ConfigError, match=r"committed\.pv\|west.*unknown asset 'pv\|west'"):
        validate_names(sc, set(t.regions.index), set(t.technologies.index), set(t.links.index))


def test_pathway_commitment_schedule(tiny):
    # periods 2030 and 2040: 100 MW new in service from 2030, 200 MW from 2040; a year that is not a period is refused
    text = ("year: 2040\npathway: {periods: [2030, 2040], base_year: 2025, targets: {2040: {renewable_share: 1.0}}}\n"
            "committed: {pv|north: {2030: 100, 2040: 200}}\n")
    data = _assemble(tiny, text)
    g = data.generators.reset_index(drop=True)
    i = int(np.flatnonzero((g.technology == "pv") & (g.region == "north"))[0])
    np.testing.assert_allclose(data.committed_builds["generators"][i], [100.0, 200.0])
    with pytest.raises(ConfigError, match="not pathway periods"):
        load_scenario(write_scenario(tiny, text.replace("2030: 100", "2035: 100")))


def test_single_year_counts_only_the_vintages_in_service(tiny):
    # north pv: vintages 60 MW (2010-2035) + 40 MW (2020-2060). In 2030 both serve: existing 100, new allowed
    # 1000 - 100 = 900. In 2040 the 60 MW vintage has retired: existing 40, new allowed 960 (it can be rebuilt at cost).
    # The grid (not renewable) keeps its capacities.csv value.
    for year, existing, max_new in ((2030, 100.0, 900.0), (2040, 40.0, 960.0)):
        data = _assemble(tiny, f"year: {year}\n")
        g = data.generators.set_index(["technology", "region"])
        assert g.loc[("pv", "north"), "existing_mw"] == existing
        assert g.loc[("pv", "north"), "max_new_mw"] == max_new
        assert g.loc[("pv", "south"), "existing_mw"] == 50.0  # 2015-2055 vintage
        assert g.loc[("grid", "north"), "existing_mw"] == 2000.0


@pytest.fixture
def tiny(tmp_path):
    write_inputs(tmp_path / "inputs")
    return tmp_path


def test_assemble_direct_call_uses_committed(tiny):
    sc = load_scenario(write_scenario(tiny, "year: 2050\ncommitted: {battery|south: 100}\n"))
    data = assemble_model_data(sc, load_tables(sc.inputs_dir), snapshots())
    s = data.storage.reset_index(drop=True)
    assert data.committed_builds["storage_power"][int(np.flatnonzero(s.technology == "battery")[0]), 0] == 100.0
