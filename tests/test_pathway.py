"""Multi-period (pathway) LPs, long-duration storage and hourly-matched RE100 loads on tiny cases worked by hand.

Conventions of the cases: one region `a`; each period has one or two snapshots of weight 1 h, so "a year" of a
period is that many MWh; the discount rate is 0 unless a test says otherwise, so a period's objective weight W_p
is the number of years it stands for (10 for every period below). Every expected number is derived in the
comment above it; none comes from running the model.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import gen, model_data, periods, solve_data, store

from re300.model.builder import build_model
from re300.model.data import Pathway, TargetSettings, period_weights
from re300.results.rebuild import model_data_from_dataset, period_view
from re300.results.tables import capacity_trajectory_table, energy_balance_residual, summary
from re300.solve.solver import SolverOptions, solve

GRID = 100_000.0  # KRW/MWh


def two_or_three_periods(years, wind, demand=100.0, *, existing=None, period_data=None, targets=None, **kw):
    """One snapshot per period (weight 1 h), wind with capacity factor 1, grid supply at GRID."""
    P = len(years)
    data = model_data(
        ["a"], {"a": [demand] * P},
        [wind, gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=GRID)],
        [[1.0] * P, [1.0] * P],
        pathway=periods(years, base_year=2020, final_span=10), snapshot_period=np.arange(P),
        block=np.arange(P), period_data=period_data or {}, targets=targets, **kw,
    )
    return data


def built_by_period(ds, tech="onshore_wind"):
    return ds["capacity_built_mw"].sel(technology=tech, region="a").values


def test_period_weights_discount_each_year_to_the_base_year():
    # 2030 stands for 2030..2039, 2040 for 2040..2044 (final span 5), discounted to 2025 at 5 %:
    # W_2030 = Σ_{k=5}^{14} 1.05^-k = q^5 (1 - q^10) / (1 - q) with q = 1/1.05; W_2040 = q^15 (1 - q^5) / (1 - q).
    q = 1 / 1.05
    pw = Pathway.from_years([2030, 2040], base_year=2025, discount_rate=0.05, final_span_yr=5)
    assert pw.objective_weight == pytest.approx([q**5 * (1 - q**10) / (1 - q), q**15 * (1 - q**5) / (1 - q)], rel=1e-12)
    assert list(pw.span_yr) == [10, 5] and list(pw.build_interval_yr) == [5, 10]
    # at rate 0 a weight is the number of years
    assert period_weights([2030, 2034], [4, 16], 2025, 0.0) == pytest.approx([4.0, 16.0])


def test_objective_is_the_discounted_sum_of_annual_costs():
    # Grid only: 100 MWh/yr x 100,000 = 1e7 KRW/yr in each period; at 5 % from 2025 the objective is
    # 1e7 x (W_2030 + W_2040) and each period's cost item is the undiscounted 1e7 KRW/yr.
    data = two_or_three_periods([2030, 2040], gen("onshore_wind", "a"))
    data.pathway = Pathway.from_years([2030, 2040], base_year=2025, discount_rate=0.05, final_span_yr=5)
    ds, sol = solve_data(data)
    W = data.pathway.objective_weight
    assert sol.objective * 1e9 == pytest.approx(1e7 * W.sum(), rel=1e-9)
    for year in (2030, 2040):
        assert summary(period_view(ds, year))["total_system_cost"][0] == pytest.approx(1e7, rel=1e-9)


def test_asset_built_in_the_first_period_serves_until_its_lifetime_ends():
    # Wind (capacity factor 1) at 1,000 KRW/MW/yr, lifetime 20 y, periods 2030/2040/2050 (W = 10 each).
    # Build options: 2030 serves 2030 and 2040 (2050 >= 2030 + 20), 2040 serves 2040 and 2050, 2050 serves 2050.
    # Each period needs 100 MW in service (grid at 100,000 KRW/MWh is dearer): min 20 x30 + 20 x40 + 10 x50 s.t.
    # x30 >= 100, x30 + x40 >= 100, x40 + x50 >= 100  ->  x30 = 100, x40 = 0, x50 = 100 (cost 3,000 x 1,000 KRW).
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=20)
    ds, sol = solve_data(two_or_three_periods([2030, 2040, 2050], wind))
    np.testing.assert_allclose(built_by_period(ds), [100.0, 0.0, 100.0], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_total_mw"].sel(technology="onshore_wind", region="a").values, [100, 100, 100], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_retired_mw"].sel(technology="onshore_wind", region="a").values, [0, 0, 100], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(3000 * 1000.0, rel=1e-9)
    # annual investment payments: the 2030 build in 2030 and 2040, the 2050 build in 2050: 100 x 1,000 each
    inv = ds["cost_krw_per_yr"].where((ds["cost_asset"] == "onshore_wind") & (ds["cost_component"] == "investment"))
    for year in (2030, 2040, 2050):
        assert float(inv.where(ds["cost_period"] == year).sum()) == pytest.approx(1e5, rel=1e-9)
    traj = capacity_trajectory_table(ds).set_index(["period", "region", "technology", "kind"])
    row = traj.loc[(2050, "a", "onshore_wind", "power")]
    assert (row["built"], row["retired"], row["total"]) == pytest.approx((100.0, 100.0, 100.0), abs=1e-6)


def test_retirement_of_existing_capacity_forces_a_rebuild():
    # 100 MW of existing wind retires before 2040 (existing per period [100, 0]); potential 100 MW, so new capacity
    # in service may be 0 in 2030 and 100 MW in 2040. Wind at 1,000 KRW/MW/yr beats the grid: 100 MW built in 2040,
    # investment 100 x 1,000 x W_2040 (10) = 1e6 KRW; nothing is built in 2030 and no grid energy is bought.
    wind = gen("onshore_wind", "a", existing_mw=100.0, max_new_mw=0.0, capex=1000.0, lifetime=30)
    pdata = {"generators": {"existing_mw": np.array([[100.0, 0.0], [1000.0, 1000.0]]),
                            "max_new_mw": np.array([[0.0, 100.0], [0.0, 0.0]])}}
    ds, sol = solve_data(two_or_three_periods([2030, 2040], wind, period_data=pdata))
    np.testing.assert_allclose(built_by_period(ds), [0.0, 100.0], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_retired_mw"].sel(technology="onshore_wind", region="a").values, [0, 100], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1e6, rel=1e-9)
    assert float(ds["dispatch_mw"].sel(technology="nonrenewable_supply", region="a").sum()) == pytest.approx(0.0, abs=1e-6)


def cost_decline_case(capex_2030, capex_2040):
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, lifetime=30)
    pdata = {"generators": {"capex_annual_krw_per_mw": np.array([[capex_2030, capex_2040], [0.0, 0.0]])}}
    return two_or_three_periods([2030, 2040], wind, period_data=pdata)


def test_cost_decline_postpones_a_build():
    # Per MW of demand: building in 2030 at 80,000 KRW/MW/yr costs 80,000 x 20 (it serves both periods) = 1.6e6 and
    # saves 2 x 10 x 100,000 = 2e6 of grid energy. With a flat cost it is built in 2030 (total 100 x 1.6e6 = 1.6e8).
    # With the cost falling to 30,000 in 2040, buying grid energy in 2030 (1e6 per MW) and building in 2040
    # (30,000 x 10 = 3e5) costs 1.3e6 < 1.6e6: the build moves to 2040 (total 1.3e8).
    ds, sol = solve_data(cost_decline_case(80_000.0, 80_000.0))
    np.testing.assert_allclose(built_by_period(ds), [100.0, 0.0], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1.6e8, rel=1e-9)
    ds, sol = solve_data(cost_decline_case(80_000.0, 30_000.0))
    np.testing.assert_allclose(built_by_period(ds), [0.0, 100.0], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1.3e8, rel=1e-9)


def test_myopic_foresight_builds_early_when_it_cannot_see_the_cost_decline():
    # Myopic 2030 sees only its own 10 years: 80,000 x 10 = 8e5 per MW < 1e6 of grid energy, so it builds 100 MW in
    # 2030, which then serves 2040 too (nothing more is built). Its discounted cost is 100 x 80,000 x 20 = 1.6e8,
    # above the perfect-foresight 1.3e8 of the previous test.
    from re300.workflows.myopic import solve_myopic

    data = cost_decline_case(80_000.0, 30_000.0)
    built, sol, steps = solve_myopic(data, lambda b: solve(b, SolverOptions(method="simplex")))
    from re300.results.dataset import to_dataset

    ds = to_dataset(built, sol)
    np.testing.assert_allclose(built_by_period(ds), [100.0, 0.0], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1.6e8, rel=1e-9)
    assert [s["year"] for s in steps] == [2030, 2040]


def test_earliest_availability_year_is_respected():
    # Wind may not be in service before 2040 (limit on new capacity in service [0, inf]): 2030 buys 100 MWh/yr of
    # grid energy (100 x 100,000 x 10 = 1e8) although wind at 1,000 KRW/MW/yr would be far cheaper; in 2040 100 MW
    # are built (100 x 1,000 x 10 = 1e6). No 2030 build option exists at all.
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=30)
    pdata = {"generators": {"max_new_mw": np.array([[0.0, np.inf], [0.0, 0.0]])}}
    data = two_or_three_periods([2030, 2040], wind, period_data=pdata)
    built = build_model(data)
    assert built.lm.variables["capacity_new"].coords[0] == ["onshore_wind|a|2040"]
    ds, sol = solve_data(data)
    np.testing.assert_allclose(built_by_period(ds), [0.0, 100.0], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1e8 + 1e6, rel=1e-9)


def test_staged_availability_limits_capacity_in_service():
    # A corridor-like stage: at most 40 MW of new wind in service in 2030 and 100 MW from 2040 (a build in 2030 still
    # counts in 2040). 2030: 40 MW wind + 60 MWh grid (60 x 100,000 x 10 = 6e7); 2040: 60 MW more.
    # Investment: 40 x 1,000 x 20 + 60 x 1,000 x 10 = 8e5 + 6e5.
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=30)
    pdata = {"generators": {"max_new_mw": np.array([[40.0, 100.0], [0.0, 0.0]])}}
    ds, sol = solve_data(two_or_three_periods([2030, 2040], wind, period_data=pdata))
    np.testing.assert_allclose(built_by_period(ds), [40.0, 60.0], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(6e7 + 8e5 + 6e5, rel=1e-9)


def test_build_rate_limit_spreads_the_build_over_periods():
    # At most 5 MW/yr of wind, build intervals 10 y (2020 -> 2030 -> 2040): <= 50 MW per period. 2030: 50 MW wind +
    # 50 MWh grid (50 x 100,000 x 10 = 5e7); 2040: 50 MW more. Investment 50 x 1,000 x 20 + 50 x 1,000 x 10 = 1.5e6.
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=30)
    limits = pd.DataFrame([dict(name="wind_a", frame="generators", technologies="onshore_wind", regions="a",
                                max_mw_per_yr=5.0)])
    ds, sol = solve_data(two_or_three_periods([2030, 2040], wind, build_rate_limits=limits))
    np.testing.assert_allclose(built_by_period(ds), [50.0, 50.0], atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(5e7 + 1.5e6, rel=1e-9)


def test_target_per_period_with_its_own_shadow_price_and_shortfall():
    # Wind (potential 60 MW) at 150,000 KRW/MW/yr saves only 100,000 of grid energy per MW and year, so only a
    # target makes it worth building. Targets: 2030 none, 2040 RE 50 % of 100 MWh: 50 MW built in 2040.
    # Shadow price per MWh of the year: one more MWh needs 1 MW more wind (150,000/yr) which displaces 1 MWh of
    # grid (100,000): 50,000 KRW/MWh.
    wind = gen("onshore_wind", "a", max_new_mw=60.0, capex=150_000.0, lifetime=30)
    tg = TargetSettings(renewable_share_by_period=(None, 0.5), renewable_slack_krw_per_mwh=5e6)
    ds, _ = solve_data(two_or_three_periods([2030, 2040], wind, targets=tg))
    np.testing.assert_allclose(built_by_period(ds), [0.0, 50.0], atol=1e-6)
    price = ds["renewable_target_shadow_price_krw_per_mwh"].values
    assert np.isnan(price[0]) and price[1] == pytest.approx(50_000.0, rel=1e-9)
    view = period_view(ds, 2040)
    assert summary(view)["renewable_ratio"][0] == pytest.approx(0.5, rel=1e-9)
    # a 2040 target of 80 % cannot be met with 60 MW: shortfall 20 MWh, priced at the penalty
    tg = TargetSettings(renewable_share_by_period=(None, 0.8), renewable_slack_krw_per_mwh=5e6)
    ds, _ = solve_data(two_or_three_periods([2030, 2040], wind, targets=tg))
    assert ds["renewable_shortfall_mwh"].values == pytest.approx([0.0, 20.0], abs=1e-6)
    assert ds["renewable_target_shadow_price_krw_per_mwh"].values[1] == pytest.approx(5e6, rel=1e-9)


def h2_case(**store_kw):
    # hour 0: 100 MW of free wind, no demand; hour 1: 10 MW demand, grid at 1e6 KRW/MWh.
    return model_data(
        ["a"], {"a": [0.0, 10.0]},
        [gen("onshore_wind", "a", existing_mw=100.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=100.0, vom=1e6)],
        [[1.0, 0.0], [1.0, 1.0]],
        storage=[store("hydrogen", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=500.0, capex_mwh=10.0,
                       eta_c=0.5, eta_d=0.5, **store_kw)],
    )


def test_hydrogen_chain_sizes_electrolyser_tank_and_fuel_cell_separately():
    # 10 MW out of fuel cells (eta 0.5) need 20 MWh of hydrogen, made by 40 MW of electrolysers (eta 0.5) in hour 0.
    # Cost 40 x 1,000 + 20 x 10 + 10 x 500 = 45,200 KRW (grid would cost 1e7).
    ds, sol = solve_data(h2_case(charge_max_new_mw=np.inf, charge_capex_mw=1000.0))
    sel = dict(technology="hydrogen", region="a")
    assert float(ds["charge_capacity_new_mw"].sel(**sel)) == pytest.approx(40.0, rel=1e-9)
    assert float(ds["capacity_new_mw"].sel(**sel)) == pytest.approx(10.0, rel=1e-9)
    assert float(ds["energy_capacity_new_mwh"].sel(**sel)) == pytest.approx(20.0, rel=1e-9)
    assert sol.objective * 1e9 == pytest.approx(45_200.0, rel=1e-9)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(45_200.0, rel=1e-9)
    # With one shared power capacity the chain needs 40 MW of "power" for charging: 40 x 500 + 20 x 10 = 20,200.
    ds, sol = solve_data(h2_case())
    assert float(ds["capacity_new_mw"].sel(**sel)) == pytest.approx(40.0, rel=1e-9)
    assert sol.objective * 1e9 == pytest.approx(20_200.0, rel=1e-9)


def re100_case(matching):
    # hour 0: PV (capacity factor 1) at 1,000 KRW/MW/yr; hour 1: no sun. A 10 MW flat RE100 load is the only demand.
    # A battery costs 200,000 KRW/MW/yr of power (energy free); grid 100,000 KRW/MWh.
    loads = pd.DataFrame([dict(name="complex", region="a", matching=matching)])
    return model_data(
        ["a"], {"a": [10.0, 10.0]},
        [gen("utility_pv", "a", max_new_mw=np.inf, capex=1000.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=100.0, vom=GRID)],
        [[1.0, 0.0], [1.0, 1.0]],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=200_000.0)],
        re100_loads=loads, re100_load_mw=np.array([[10.0, 10.0]]),
        targets=TargetSettings(renewable_slack_krw_per_mwh=5e6),
    )


def test_binding_hourly_match_raises_cost_by_a_known_amount():
    # Annual matching: 10 MW of PV for hour 0 and 10 MWh of grid in hour 1: 10 x 1,000 + 10 x 100,000 = 1,010,000.
    # Hourly matching: hour 1 must come from storage charged by PV in hour 0: PV 20 MW, battery 10 MW:
    # 20 x 1,000 + 10 x 200,000 = 2,020,000. Premium 1,010,000 KRW/yr; matching score 1 (hourly) and 0.5 (annual:
    # hour 1 is not matched).
    from re300.results.tables import re100_summary

    ds_h, sol_h = solve_data(re100_case("hourly"))
    ds_a, sol_a = solve_data(re100_case("annual"))
    assert sol_h.objective * 1e9 == pytest.approx(2_020_000.0, rel=1e-9)
    assert sol_a.objective * 1e9 == pytest.approx(1_010_000.0, rel=1e-9)
    assert re100_summary(ds_h)["re100_matching_score"][0] == pytest.approx(1.0, rel=1e-9)
    assert re100_summary(ds_a)["re100_matching_score"][0] == pytest.approx(0.5, rel=1e-9)
    assert float(ds_h["re100_shortfall_mw"].sum()) == pytest.approx(0.0, abs=1e-9)
    assert float(abs(energy_balance_residual(ds_h)).max()) < 1e-9


def test_storage_linking_is_cyclic_within_each_investment_period():
    # Two periods, each with two typical days of one hour standing for one calendar day each:
    # period 2030: a surplus day (free 50 MW, no demand) and a deficit day (demand 50); period 2040: deficit days only.
    # Within 2030 storage moves 50 MWh from the surplus day to the deficit day (battery energy 1 KRW/MWh, power 1).
    # Nothing can move from 2030 to 2040: 2040 buys 2 x 50 MWh of grid energy per year (x W 10 x 100,000 = 1e8).
    data = model_data(
        ["a"], {"a": [0.0, 50.0, 50.0, 50.0]},
        [gen("onshore_wind", "a", existing_mw=50.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=GRID)],
        [[1.0, 0.0, 0.0, 0.0], [1.0] * 4],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1.0, capex_mwh=1.0)],
        block=[0, 1, 2, 3], typical_day_order=[0, 1, 2, 3], pathway=periods([2030, 2040], base_year=2020),
        snapshot_period=[0, 0, 1, 1],
    )
    ds, sol = solve_data(data)
    grid = ds["dispatch_mw"].sel(technology="nonrenewable_supply", region="a").values
    np.testing.assert_allclose(grid, [0.0, 0.0, 50.0, 50.0], atol=1e-6)
    # storage: 50 MW, 50 MWh built in 2030 (cost 100 x 20 years), serving 2040 too: objective 1e8 + 2,000
    assert sol.objective * 1e9 == pytest.approx(1e8 + 100 * 20, rel=1e-9)


def test_pathway_dataset_rebuilds_the_same_lp():
    # Every input of a pathway run (periods, per-period data, limits, RE100 loads, targets) is in the Dataset.
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=20)
    limits = pd.DataFrame([dict(name="wind_a", frame="generators", technologies="onshore_wind", regions="a", max_mw_per_yr=8.0)])
    data = two_or_three_periods(
        [2030, 2040, 2050], wind, build_rate_limits=limits,
        targets=TargetSettings(renewable_share_by_period=(0.5, None, 0.9), renewable_slack_krw_per_mwh=5e6),
        re100_loads=pd.DataFrame([dict(name="dc", region="a", matching="hourly")]), re100_load_mw=np.array([[5.0, 5.0, 5.0]]),
    )
    ds, sol = solve_data(data)
    again = solve(build_model(model_data_from_dataset(ds)), SolverOptions(method="simplex"))
    assert again.objective == pytest.approx(sol.objective, rel=1e-12)


def test_split_hours_leaves_the_pathway_optimum_unchanged():
    # The split_hours lever (capacity column copies, partial sums of target rows) only reformulates; its segments
    # never span two periods, so the pathway optimum is the same.
    wind = gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, lifetime=20)
    data = model_data(
        ["a"], {"a": [100.0, 80.0] * 3},
        [wind, gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=GRID)],
        [[1.0, 0.5] * 3, [1.0] * 6],
        pathway=periods([2030, 2040, 2050], base_year=2020), snapshot_period=[0, 0, 1, 1, 2, 2], block=[0, 0, 1, 1, 2, 2],
        targets=TargetSettings(renewable_share_by_period=(0.5, None, 0.9), renewable_slack_krw_per_mwh=5e6),
    )
    plain = solve(build_model(data), SolverOptions(method="simplex"))
    split = solve(build_model(data, split_hours=1), SolverOptions(method="simplex"))
    assert split.objective == pytest.approx(plain.objective, rel=1e-9)
