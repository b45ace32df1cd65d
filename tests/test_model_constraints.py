"""Per-constraint LP tests on one- and two-region, few-hour cases whose optimum was worked out by hand.

Every expected number below is derived in the comment above it; none comes from running the model.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import gen, link, model_data, solve_data, store

from re300.model.data import TargetSettings
from re300.results.tables import energy_balance_residual, summary

NR_PRICE = 100_000.0  # KRW/MWh
PV_CAPEX = 150_000.0  # KRW/MW/yr (annualised; the 4 hours stand for the whole "year")
CF = [0.0, 0.5, 1.0, 0.5]


def pv_case(targets=None):
    return model_data(
        ["a"],
        {"a": [100.0] * 4},
        [gen("utility_pv", "a", max_new_mw=np.inf, capex=PV_CAPEX),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE)],
        [CF, [1.0] * 4],
        targets=targets,
    )


def test_optimal_pv_capacity_and_cost_one_region():
    # 1 MW of PV (below 100 MW) displaces (0 + .5 + 1 + .5) MWh of grid power = 200,000 KRW > 150,000 capex;
    # above 100 MW the noon hour is saturated and it displaces only 1 MWh = 100,000 < 150,000. So K* = 100 MW.
    # cost = 100 MW x 150,000 + grid (100 + 50 + 0 + 50) MWh x 100,000 = 15e6 + 20e6 = 35e6 KRW.
    ds, sol = solve_data(pv_case())
    assert float(ds.capacity_new_mw.sel(technology="utility_pv", region="a")) == pytest.approx(100.0, abs=1e-6)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(35e6, rel=1e-9)
    assert sol.objective * 1e9 == pytest.approx(35e6, rel=1e-9)
    # Prices: the grid is marginal in hours 0, 1, 3 (100,000). At noon one more MWh is cheapest from 1 MW more PV:
    # 150,000 capex minus the 0.5 + 0.5 MWh of grid it displaces in hours 1 and 3 (100,000) = 50,000 KRW/MWh.
    np.testing.assert_allclose(ds.price_krw_per_mwh.sel(region="a").values, [NR_PRICE, NR_PRICE, 50_000.0, NR_PRICE], rtol=1e-9)


def test_binding_renewable_target_has_known_shadow_price():
    # Demand 400 MWh; target 60 % = 240 MWh. For 100 <= K <= 200 MW, RE used = .5K + 100 + .5K = K + 100 -> K = 140.
    # One more MWh of target needs 1 MW more PV (150,000) which displaces 1 MWh of grid (100,000): 50,000 KRW/MWh.
    # cost = 140 x 150,000 + grid (100 + 30 + 0 + 30) MWh x 100,000 = 21e6 + 16e6 = 37e6 KRW;
    # curtailment at noon = 140 - 100 = 40 MWh.
    ds, _ = solve_data(pv_case(TargetSettings(renewable_share=0.6)))
    assert float(ds.capacity_new_mw.sel(technology="utility_pv", region="a")) == pytest.approx(140.0, abs=1e-6)
    assert float(ds.renewable_target_shadow_price_krw_per_mwh) == pytest.approx(50_000.0, rel=1e-9)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(37e6, rel=1e-9)
    s = summary(ds)
    assert s["renewable_ratio"][0] == pytest.approx(0.6, rel=1e-9)
    assert s["curtailment"][0] == pytest.approx(40.0, rel=1e-9)


def test_target_shortfall_slack_prices_the_gap():
    # Target 75 % = 300 MWh; potential capped at 150 MW: RE used = 150 + 100 = 250 MWh -> shortfall 50 MWh.
    # The target's shadow price then equals the penalty (1e6 KRW/MWh).
    data = pv_case(TargetSettings(renewable_share=0.75, renewable_slack_krw_per_mwh=1e6))
    data.generators.loc[0, "max_new_mw"] = 150.0
    ds, _ = solve_data(data)
    assert float(ds.renewable_shortfall_mwh) == pytest.approx(50.0, abs=1e-6)
    assert float(ds.renewable_target_shadow_price_krw_per_mwh) == pytest.approx(1e6, rel=1e-9)


def test_battery_shifts_energy_with_known_losses_and_price():
    # Free renewable energy in hour 0 only; demand 100 MW in hour 1; grid at 100,000 KRW/MWh.
    # With eta_c = eta_d = 0.9: discharge 100 MW needs 100/0.9 = 111.11 MWh stored and 111.11/0.9 = 123.457 MW charge.
    # Power 123.457 MW x 1,000 + energy 111.11 MWh x 1,000 = 234,567.9 KRW << grid 10e6, so the battery is built.
    # Price in hour 1: one more MWh needs 1/0.81 MW more charge power and 1/0.9 MWh more energy:
    # 1,000/0.81 + 1,000/0.9 = 2,345.68 KRW/MWh; in hour 0 the free generator is marginal: 0.
    data = model_data(
        ["a"], {"a": [0.0, 100.0]},
        [gen("onshore_wind", "a", existing_mw=1000.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE)],
        [[1.0, 0.0], [1.0, 1.0]],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1000.0, capex_mwh=1000.0, eta_c=0.9, eta_d=0.9)],
    )
    ds, _ = solve_data(data)
    assert float(ds.capacity_new_mw.sel(technology="battery", region="a")) == pytest.approx(100 / 0.81, rel=1e-7)
    assert float(ds.energy_capacity_new_mwh.sel(technology="battery", region="a")) == pytest.approx(100 / 0.9, rel=1e-7)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(1000 / 0.81 * 100 + 1000 / 0.9 * 100, rel=1e-7)
    s = summary(ds)
    assert s["storage_losses"][0] == pytest.approx(100 / 0.81 - 100, rel=1e-7)
    np.testing.assert_allclose(ds.price_krw_per_mwh.sel(region="a").values, [0.0, 1000 / 0.81 + 1000 / 0.9], atol=1e-6)


def test_fixed_duration_storage_energy_follows_power():
    # Pumped hydro with a fixed 4 h duration: shifting 100 MW over 3 hours (300 MWh) with lossless conversion needs
    # 300 MWh of energy -> power 75 MW by the duration, but discharge needs 100 MW -> power 100 MW (energy 400 MWh).
    data = model_data(
        ["a"], {"a": [0.0, 100.0, 100.0, 100.0]},
        [gen("onshore_wind", "a", existing_mw=1000.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE)],
        [[1.0, 0.0, 0.0, 0.0], [1.0] * 4],
        storage=[store("pumped_hydro", "a", max_new_mw=np.inf, capex_mw=1000.0, capex_mwh=10.0, duration=4.0)],
    )
    ds, _ = solve_data(data)
    assert float(ds.capacity_new_mw.sel(technology="pumped_hydro", region="a")) == pytest.approx(300.0, rel=1e-7)
    # charging 300 MWh in one hour needs 300 MW; that power brings 1,200 MWh of energy capacity.
    assert float(ds.energy_capacity_new_mwh.sel(technology="pumped_hydro", region="a")) == pytest.approx(1200.0, rel=1e-7)
    assert float(ds.soc_mwh.sel(technology="pumped_hydro", region="a").max()) <= 1200.0 + 1e-6


def test_congested_link_gives_known_price_difference():
    # a: cheap generator 10,000 KRW/MWh; b: expensive 100,000; demand only in b (100 MW); link 50 MW, 95 % efficient.
    # a sends 50 MW, 47.5 MW arrive, b makes 52.5 MW. Prices: a = 10,000, b = 100,000.
    # cost = 50 x 10,000 + 52.5 x 100,000 = 5.75e6 KRW.
    data = model_data(
        ["a", "b"], {"b": [100.0]},
        [gen("onshore_wind", "a", renewable=False, existing_mw=1000.0, vom=10_000.0),
         gen("nonrenewable_supply", "b", renewable=False, existing_mw=1000.0, vom=100_000.0)],
        [[1.0], [1.0]],
        links=[link("a_b", "a", "b", existing_mw=50.0, efficiency=0.95)],
    )
    ds, _ = solve_data(data)
    assert ds.flow_mw.sel(link="a_b").item() == pytest.approx(50.0, rel=1e-9)
    np.testing.assert_allclose(ds.price_krw_per_mwh.sel(time=ds.time[0]).values, [10_000.0, 100_000.0], rtol=1e-9)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(5.75e6, rel=1e-9)
    assert float(ds.link_loss_mw.sum()) == pytest.approx(2.5, rel=1e-9)


def test_link_expansion_until_demand_is_met():
    # Same, but one snapshot stands for 8,760 h and the link may grow at 500e6 KRW/MW/yr.
    # Each MW sent saves (0.95 x 100,000 - 10,000) x 8,760 = 744.6e6 > 500e6, so b is served fully over the link:
    # sent = 100/0.95 = 105.263 MW -> new capacity 55.263 MW. Price in b = (10,000 + 500e6/8,760)/0.95 = 70,608.4.
    data = model_data(
        ["a", "b"], {"b": [100.0]},
        [gen("onshore_wind", "a", renewable=False, existing_mw=1000.0, vom=10_000.0),
         gen("nonrenewable_supply", "b", renewable=False, existing_mw=1000.0, vom=100_000.0)],
        [[1.0], [1.0]],
        links=[link("a_b", "a", "b", existing_mw=50.0, max_new_mw=np.inf, capex=500e6, efficiency=0.95)],
        weights=[8760.0],
    )
    ds, _ = solve_data(data)
    assert float(ds.link_capacity_new_mw.sel(link="a_b")) == pytest.approx(100 / 0.95 - 50, rel=1e-7)
    assert ds.price_krw_per_mwh.sel(region="b").item() == pytest.approx((10_000 + 500e6 / 8760) / 0.95, rel=1e-7)


def test_unserved_energy_priced_at_value_of_lost_load():
    # Only 80 MW of supply for 100 MW of demand: 20 MW unserved, price = VOLL, cost = 80 x 100,000 + 20 x VOLL.
    voll = 5_000_000.0
    data = model_data(
        ["a"], {"a": [100.0]},
        [gen("nonrenewable_supply", "a", renewable=False, existing_mw=80.0, vom=NR_PRICE)], [[1.0]], voll=voll,
    )
    ds, _ = solve_data(data)
    assert float(ds.unserved_mw.sum()) == pytest.approx(20.0, rel=1e-9)
    assert ds.price_krw_per_mwh.sel(region="a").item() == pytest.approx(voll, rel=1e-9)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(80 * NR_PRICE + 20 * voll, rel=1e-9)


def test_export_commitment_and_carbon_cost():
    # Honam region a (demand 100 MW, 2 h) exports to capital over a 90 %-efficient one-way link.
    # Export share 0.45 x 200 MWh = 90 MWh delivered -> 100 MWh sent -> grid supply 300 MWh at 100,000 + carbon
    # 0.5 t/MWh x 20,000 KRW/t = 110,000 KRW/MWh. Shadow price of the export row: 1 MWh delivered needs 1/0.9 MWh
    # generated: 110,000/0.9 = 122,222.2 KRW/MWh. Emissions 300 x 0.5 = 150 t.
    data = model_data(
        ["a", "capital"], {"a": [100.0, 100.0]},
        [gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE, ef=0.5)], [[1.0, 1.0]],
        links=[link("a_capital", "a", "capital", bidirectional=False, existing_mw=1000.0, efficiency=0.9)],
        kinds={"a": "honam", "capital": "export"}, targets=TargetSettings(export_share=0.45), carbon=20_000.0,
    )
    ds, _ = solve_data(data)
    s = summary(ds)
    assert s["exports_delivered"][0] == pytest.approx(90.0, rel=1e-9)
    assert s["emissions"][0] == pytest.approx(150.0, rel=1e-9)
    assert float(ds.export_target_shadow_price_krw_per_mwh) == pytest.approx(110_000 / 0.9, rel=1e-9)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(300 * 110_000, rel=1e-9)


def test_storage_losses_are_deducted_from_the_renewable_target():
    # Solar-only renewables, 2 hours: cf [1, 0], demand [0, 100]; target 100 % of 100 MWh.
    # The battery (eta 0.9 each way) must deliver 100 MWh at night: charge 123.457 MWh of PV; counted RE =
    # 123.457 - (123.457 - 100) = 100 MWh. With deduction off the same plan counts 123.457 MWh.
    kw = dict(
        regions=["a"], demand={"a": [0.0, 100.0]},
        generators=[gen("utility_pv", "a", max_new_mw=np.inf, capex=1.0), gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE)],
        availability=[[1.0, 0.0], [1.0, 1.0]],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1.0, capex_mwh=1.0, eta_c=0.9, eta_d=0.9)],
    )
    ds, _ = solve_data(model_data(**kw, targets=TargetSettings(renewable_share=1.0)))
    s = summary(ds)
    assert s["renewable_counted"][0] == pytest.approx(100.0, rel=1e-7)
    assert s["renewable_generation"][0] == pytest.approx(100 / 0.81, rel=1e-7)


@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_energy_balance_closes_every_region_and_hour(method):
    # A two-region case with every family active; the balance must close to 1e-6 relative in every hour.
    rng = np.random.default_rng(0)
    T = 24
    cf = np.clip(np.sin(np.linspace(0, np.pi, T)), 0, None)
    data = model_data(
        ["a", "b", "capital"], {"a": 50 + 10 * rng.random(T), "b": 80 + 10 * rng.random(T)},
        [gen("utility_pv", "a", max_new_mw=500, capex=40e6 * T / 8760),
         gen("offshore_wind", "b", max_new_mw=500, capex=150e6 * T / 8760),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=200, vom=NR_PRICE),
         gen("nonrenewable_supply", "b", renewable=False, existing_mw=200, vom=NR_PRICE)],
        [cf, rng.random(T), np.ones(T), np.ones(T)],
        storage=[store("battery", "a", max_new_mw=100, max_new_mwh=400, capex_mw=1e6 * T / 8760, capex_mwh=1e6 * T / 8760, eta_c=0.95, eta_d=0.95)],
        links=[link("a_b", "a", "b", existing_mw=20, max_new_mw=100, capex=5e6 * T / 8760, efficiency=0.98),
               link("b_capital", "b", "capital", bidirectional=False, existing_mw=30, efficiency=0.97)],
        kinds={"a": "honam", "b": "honam", "capital": "export"},
        targets=TargetSettings(renewable_share=0.8, export_share=0.1, renewable_slack_krw_per_mwh=5e6, export_slack_krw_per_mwh=5e6),
    )
    ds, sol = solve_data(data, method=method)
    resid = energy_balance_residual(ds)
    scale = float(ds.demand_mw.max())
    assert float(abs(resid).max()) <= 1e-6 * scale
    # cost components add up to the LP objective
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(sol.objective * 1e9, rel=1e-7)


def test_storage_linked_across_typical_days_moves_energy_between_days():
    # Two typical days of 2 h: A (free 50 MW each hour, no demand) and B (demand 50 MW each hour, no free supply).
    # Calendar: A, A, B, B. Each typical day occurs twice -> weight 2 per snapshot.
    # Linked (Kotzur) storage carries energy across days: inter-day levels X, X+100, X+200, X+100 -> X = 0 and an
    # energy capacity of 200 MWh; power 50 MW. Cost 50 x 1,000 + 200 x 1,000 = 250,000 KRW; no grid energy.
    common = dict(
        regions=["a"], demand={"a": [0.0, 0.0, 50.0, 50.0]},
        generators=[gen("onshore_wind", "a", existing_mw=50.0),
                    gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=NR_PRICE)],
        availability=[[1.0, 1.0, 0.0, 0.0], [1.0] * 4], weights=[2.0] * 4, block=[0, 0, 1, 1],
        typical_day_order=[0, 0, 1, 1],
    )
    bat = dict(max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1000.0, capex_mwh=1000.0)
    ds, _ = solve_data(model_data(**common, storage=[store("battery", "a", **bat, linked_across_days=True)]))
    assert float(ds.energy_capacity_new_mwh.sel(technology="battery", region="a")) == pytest.approx(200.0, rel=1e-7)
    assert float(ds.capacity_new_mw.sel(technology="battery", region="a")) == pytest.approx(50.0, rel=1e-7)
    assert float(ds.cost_krw_per_yr.sum()) == pytest.approx(250_000.0, rel=1e-7)
    # Without linking each typical day cycles on its own: nothing can move from A days to B days, so the
    # 200 MWh of B-day demand come from the grid at 100,000 KRW/MWh = 20e6 KRW and no storage is built.
    ds2, _ = solve_data(model_data(**common, storage=[store("battery", "a", **bat, linked_across_days=False)]))
    assert float(ds2.energy_capacity_new_mwh.sel(technology="battery", region="a")) == pytest.approx(0.0, abs=1e-6)
    assert float(ds2.cost_krw_per_yr.sum()) == pytest.approx(20e6, rel=1e-7)
    assert float(energy_balance_residual(ds).pipe(abs).max()) < 1e-6


def test_split_columns_and_rows_leave_the_optimum_unchanged():
    # The split_hours lever only reformulates (copies of capacity columns, partial sums of the target rows):
    # objective, capacities and the target's shadow price must equal the unsplit model's.
    from re300.model.builder import build_model
    from re300.results.dataset import to_dataset
    from re300.solve.solver import SolverOptions, solve

    data = pv_case(TargetSettings(renewable_share=0.6))
    data.storage = pd.DataFrame([store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=1e4, capex_mwh=1e4, eta_c=0.9, eta_d=0.9)])
    plain = solve(build_model(data), SolverOptions(method="simplex"))
    built = build_model(data, split_hours=2)
    split = solve(built, SolverOptions(method="simplex"))
    assert "capacity_new_copy_chain" in built.lm.constraints and "renewable_target_part_sum" in built.lm.constraints
    assert split.objective == pytest.approx(plain.objective, rel=1e-9)
    ds = to_dataset(built, split)
    assert float(ds.capacity_new_mw.sel(technology="utility_pv", region="a")) == pytest.approx(
        float(plain.values["capacity_new"][0]) * 1e3, rel=1e-7)
    assert float(ds.renewable_target_shadow_price_krw_per_mwh) == pytest.approx(
        float(plain.duals["renewable_target"][0]) * 1e6, rel=1e-7)
