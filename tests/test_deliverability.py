"""Deliverable exports (issue 14): hand-worked LPs for each new constraint family — the capital region's absorption
limit and the value of what it displaces, renewable-only exports, the adequacy rule, and Power-to-X sales with their
accounting. Every expected number is worked out in the comment above it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import gen, link, model_data, store

from re300.model.builder import build_model
from re300.model.data import Adequacy, TargetSettings
from re300.model.names import Row, Var
from re300.model.units import PRICE_TO_KRW_PER_MWH, TARGET_ROW
from re300.solve.solver import SolverOptions, solve

PENALTY = 1e7  # KRW/MWh, far above every cost below


def run(data):
    built = build_model(data)
    sol = solve(built, SolverOptions(method="simplex"))
    assert sol.optimal, sol.status
    return built, sol


def krw(sol) -> float:
    return sol.objective * 1e9


def export_price(sol, weight=1.0) -> float:
    """Shadow price of the export commitment [KRW/MWh] (the row is written in TWh; W = 1 in a single year)."""
    return float(np.asarray(sol.duals[Row.EXPORT_TARGET]).ravel()[0]) * TARGET_ROW * PRICE_TO_KRW_PER_MWH / weight


def new_mw(sol, name="capacity_new", k=0) -> float:
    return float(np.asarray(sol.values[name]).ravel()[k]) * 1e3


# ---- the capital region can only take what it can use ------------------------------------------------------------


def absorption_case(headroom, value=0.0):
    """Honam region a: demand 10 MW in both hours, PV (CF 1, 1,000 KRW/MW/yr) sends the rest north over a 1 GW link
    (efficiency 1); the capital region takes at most `headroom` MW per hour; export commitment 5 x 20 MWh = 100 MWh."""
    data = model_data(
        ["a", "cap"], {"a": [10.0, 10.0]},
        [gen("pv", "a", max_new_mw=np.inf, capex=1000.0)], [[1.0, 1.0]],
        links=[link("a_cap", "a", "cap", bidirectional=False, existing_mw=1000.0)],
        kinds={"a": "honam", "cap": "export"},
        targets=TargetSettings(export_share=5.0, export_slack_krw_per_mwh=PENALTY),
    )
    data.export_headroom_mw = pd.DataFrame({"cap": np.asarray(headroom, float)})
    data.export_value_krw_per_mwh = {"cap": value}
    return data


def test_absorption_limit_decides_the_build_and_the_export_price():
    # Exports per hour = K − 10, at most the headroom (30 and 100 MW). min(x, 30) + min(x, 100) >= 100 -> x = 70,
    # K = 80 MW; 40 MWh are curtailed in hour 0. One more MWh exported needs 1 MW more PV, useful in hour 1 only:
    # 1,000 KRW/MWh. Cost 80 x 1,000 = 80,000 KRW.
    built, sol = run(absorption_case([30.0, 100.0]))
    assert new_mw(sol) == pytest.approx(80.0, abs=1e-6)
    np.testing.assert_allclose(np.asarray(sol.values[Var.ABSORBED]).ravel() * 1e3, [30.0, 70.0], atol=1e-6)
    assert export_price(sol) == pytest.approx(1000.0, rel=1e-9)
    assert krw(sol) == pytest.approx(80_000.0, rel=1e-9)


def test_unlimited_absorption_is_the_old_sink():
    # Without a headroom (NaN = unlimited) 2x >= 100 -> x = 50, K = 60 MW; 1 MW more PV exports 2 MWh: 500 KRW/MWh.
    built, sol = run(absorption_case([np.nan, np.nan]))
    assert new_mw(sol) == pytest.approx(60.0, abs=1e-6)
    assert export_price(sol) == pytest.approx(500.0, rel=1e-9)


def test_displaced_generation_is_credited_in_the_objective():
    # With 400 KRW/MWh for what the capital region displaces, PV beyond 80 MW would earn 400 in hour 1 only, less
    # than its 1,000 cost: still K = 80. Objective = 80,000 − 400 x (30 + 70) = 40,000 KRW; cost item −40,000.
    built, sol = run(absorption_case([30.0, 100.0], value=400.0))
    assert new_mw(sol) == pytest.approx(80.0, abs=1e-6)
    assert krw(sol) == pytest.approx(40_000.0, rel=1e-9)
    items = built.costs.annual(sol.values)
    credit = [v for (kind, asset, region, comp, p), v in zip(built.costs.items, items) if comp == "displaced_generation"]
    assert credit[0] * 1e9 == pytest.approx(-40_000.0, rel=1e-9)


def test_export_region_takes_only_what_arrives_from_honam():
    # The capital node has its own grid supply (200 KRW/MWh, 1 GW) and credits 400 KRW/MWh for what it takes (headroom
    # 100 MW/h). Without the rule the LP would buy 100 MW of grid power at the capital node and book it as displaced
    # generation, earning 200 KRW/MWh. With it: what the capital takes <= what arrives from Honam. Honam (a) builds no
    # PV beyond its 10 MW demand (CF 1 in both hours: 1 MW more earns 2 x 400 = 800 < its 1,000 KRW/MW/yr), so nothing
    # is taken: objective = 10 MW x 1,000 = 10,000 KRW.
    data = model_data(
        ["a", "cap"], {"a": [10.0, 10.0]},
        [gen("pv", "a", max_new_mw=np.inf, capex=1000.0),
         gen("grid", "cap", renewable=False, existing_mw=1000.0, vom=200.0)],
        [[1.0, 1.0], [1.0, 1.0]],
        links=[link("a_cap", "a", "cap", bidirectional=False, existing_mw=1000.0)],
        kinds={"a": "honam", "cap": "export"},
    )
    data.export_headroom_mw = pd.DataFrame({"cap": [100.0, 100.0]})
    data.export_value_krw_per_mwh = {"cap": 400.0}
    built, sol = run(data)
    np.testing.assert_allclose(np.asarray(sol.values[Var.ABSORBED]).ravel(), 0.0, atol=1e-9)
    assert new_mw(sol) == pytest.approx(10.0, abs=1e-6)
    assert krw(sol) == pytest.approx(10_000.0, rel=1e-9)
    # (the loop would have given 10,000 − 2 h x 100 MW x (400 − 200) = −30,000 KRW); the rule binds at 0 in both hours
    assert Row.ABSORBED_FROM_HONAM in sol.duals


# ---- exports are renewable ---------------------------------------------------------------------------------------


def grid_export_case(renewable_only: bool):
    """Region a: demand 10 MW in both hours; cheap grid power (10 KRW/MWh, 1 GW); PV (CF 1 then 0, 1,000 KRW/MW/yr);
    export link to the capital region; export commitment 1 x 20 MWh."""
    return model_data(
        ["a", "cap"], {"a": [10.0, 10.0]},
        [gen("pv", "a", max_new_mw=np.inf, capex=1000.0),
         gen("grid", "a", renewable=False, existing_mw=1000.0, vom=10.0)],
        [[1.0, 0.0], [1.0, 1.0]],
        links=[link("a_cap", "a", "cap", bidirectional=False, existing_mw=1000.0)],
        kinds={"a": "honam", "cap": "export"},
        targets=TargetSettings(export_share=1.0, export_slack_krw_per_mwh=PENALTY, renewable_only_exports=renewable_only),
    )


def test_grid_power_would_be_exported_without_the_rule():
    # Grid power at 10 KRW/MWh serves the load (20 MWh) and the 20 MWh export: cost 40 x 10 = 400 KRW, no PV.
    built, sol = run(grid_export_case(False))
    assert new_mw(sol) == pytest.approx(0.0, abs=1e-6)
    assert krw(sol) == pytest.approx(400.0, rel=1e-9)


def test_renewable_only_exports_need_renewable_supply():
    # Grid power may only serve the load: the 20 MWh exported must come from PV, which only produces in hour 0:
    # K = 20 MW. Cost 20 x 1,000 + grid 20 MWh x 10 = 20,200 KRW. One more MWh exported = 1 MW more PV: 1,000 KRW/MWh.
    # The rule binds in hour 0: one more MW of grid power allowed beyond the load would replace 1 MWh of PV
    # exports (1,000) by grid power (10): its dual is 990 KRW/MWh (a <= row of a minimisation: reported negative).
    built, sol = run(grid_export_case(True))
    assert new_mw(sol) == pytest.approx(20.0, abs=1e-6)
    assert krw(sol) == pytest.approx(20_200.0, rel=1e-9)
    assert export_price(sol) == pytest.approx(1000.0, rel=1e-9)
    dual = np.asarray(sol.duals[Row.RENEWABLE_ONLY_EXPORTS]).ravel() * PRICE_TO_KRW_PER_MWH
    assert abs(dual[0]) == pytest.approx(990.0, rel=1e-9)
    grid = np.asarray(sol.values[Var.DISPATCH])[1] * 1e3
    np.testing.assert_allclose(grid, [10.0, 10.0], atol=1e-6)  # never more than the load


def test_imports_from_the_national_grid_are_not_renewable_and_net_against_exports():
    # The same with the grid beyond Honam: a 2-way AC link cap<->a carries grid power bought at the capital node.
    # Imports are non-renewable energy entering Honam (they may only serve the load), and the commitment counts the
    # net delivery: the 10 MWh imported in hour 1 (PV is dark) are netted, so hour 0 must send 30 MWh: PV = 10 + 30
    # = 40 MW. Cost 40 x 1,000 + 10 MWh x 10 = 40,100 KRW. (Counting gross flows, a loop — send 20, take 10 back in
    # the same hour — would have met the commitment with 20 MW.)
    data = model_data(
        ["a", "cap"], {"a": [10.0, 10.0]},
        [gen("pv", "a", max_new_mw=np.inf, capex=1000.0),
         gen("national_grid", "cap", renewable=False, existing_mw=1000.0, vom=10.0)],
        [[1.0, 0.0], [1.0, 1.0]],
        links=[link("a_cap", "a", "cap", bidirectional=True, existing_mw=1000.0)],
        kinds={"a": "honam", "cap": "export"},
        targets=TargetSettings(export_share=1.0, export_slack_krw_per_mwh=PENALTY, renewable_only_exports=True),
    )
    built, sol = run(data)
    assert new_mw(sol) == pytest.approx(40.0, abs=1e-6)
    assert krw(sol) == pytest.approx(40_100.0, rel=1e-9)
    np.testing.assert_allclose(np.asarray(sol.values[Var.FLOW_BACKWARD]).ravel() * 1e3, [0.0, 10.0], atol=1e-6)


# ---- firm capacity costs money --------------------------------------------------------------------------------------


def adequacy_case(storage_hours: float):
    """One snapshot, demand 100 MW, peak 100 MW, reserve margin 20 %: 120 MW of firm capacity. Energy from an import
    without firm credit (1 KRW/MWh). Firm options: a gas turbine (credit 1, 50 KRW/MW/yr, fuel 1,000 KRW/MWh) or a
    battery (credit 1, 10 KRW/MW/yr + 5 KRW/MWh/yr)."""
    data = model_data(
        ["a"], {"a": [100.0]},
        [gen("import", "a", renewable=False, existing_mw=1000.0, vom=1.0),
         gen("gas_turbine", "a", renewable=False, max_new_mw=np.inf, capex=50.0, vom=1000.0)],
        [[1.0], [1.0]],
        storage=[store("battery", "a", max_new_mw=np.inf, max_new_mwh=np.inf, capex_mw=10.0, capex_mwh=5.0)],
    )
    data.generators["capacity_credit"] = [0.0, 1.0]
    data.storage["capacity_credit"] = [1.0]
    data.adequacy = Adequacy(reserve_margin=0.2, peak_demand_mw=np.array([100.0]), storage_hours=storage_hours)
    return data


def test_adequacy_buys_the_cheapest_firm_megawatt():
    # 4-h storage: a firm MW from the battery costs 10 + 4 x 5 = 30 < 50 (gas turbine): 120 MW / 480 MWh.
    # Cost = 120 x 10 + 480 x 5 + 100 MWh x 1 = 3,700 KRW. The rule's dual = 30 KRW per MW of firm capacity.
    built, sol = run(adequacy_case(4.0))
    assert new_mw(sol, "power_new") == pytest.approx(120.0, abs=1e-6)
    assert new_mw(sol, "energy_new") == pytest.approx(480.0, abs=1e-6)
    assert new_mw(sol) == pytest.approx(0.0, abs=1e-6)
    assert krw(sol) == pytest.approx(3700.0, rel=1e-9)
    assert float(np.asarray(sol.duals[Row.ADEQUACY]).ravel()[0]) * 1e9 / 1e3 == pytest.approx(30.0, rel=1e-9)


def test_adequacy_with_long_storage_hours_prefers_the_turbine():
    # 10-h storage: a battery MW costs 10 + 10 x 5 = 60 > 50: 120 MW of gas turbine, cost 6,000 + 100 = 6,100 KRW.
    built, sol = run(adequacy_case(10.0))
    assert new_mw(sol) == pytest.approx(120.0, abs=1e-6)
    assert krw(sol) == pytest.approx(6100.0, rel=1e-9)


# ---- Power-to-X: hydrogen sold to industry ---------------------------------------------------------------------------


def p2x_case(counts: bool):
    """Region a: demand 10 MW in both hours, PV (CF 1, 100 KRW/MW/yr), grid power at 1,000 KRW/MWh. A hydrogen chain:
    electrolysers (charging power, 50 KRW/MW/yr, efficiency 0.5), a free tank, no fuel cells; hydrogen sold at
    20 KRW/MWh_H2. Export commitment 1 x 20 MWh, met by sales when they count."""
    data = model_data(
        ["a"], {"a": [10.0, 10.0]},
        [gen("pv", "a", max_new_mw=np.inf, capex=100.0),
         gen("grid", "a", renewable=False, existing_mw=1000.0, vom=1000.0)],
        [[1.0, 1.0], [1.0, 1.0]],
        storage=[store("hydrogen", "a", max_new_mw=0.0, max_new_mwh=np.inf, eta_c=0.5, eta_d=0.5,
                       charge_max_new_mw=np.inf, charge_capex_mw=50.0)],
        targets=TargetSettings(export_share=1.0, export_slack_krw_per_mwh=PENALTY, sales_count_as_export=counts),
    )
    data.storage["sale_price_krw_per_mwh"] = [20.0]
    data.storage["sale_max_mwh_per_yr"] = [np.inf]
    return data


def test_hydrogen_sales_count_as_exports_with_the_studys_reading():
    # 20 MWh of electricity must go into electrolysers: 10 MW in each hour (10 MW electrolysers), PV 10 + 10 = 20 MW,
    # 10 MWh of hydrogen sold. Cost = 20 x 100 + 10 x 50 − 10 x 20 = 2,300 KRW. One more MWh counted = 0.5 MW more PV
    # and electrolyser in both hours (50 + 25) minus 0.5 MWh of hydrogen sold (10): 65 KRW/MWh.
    built, sol = run(p2x_case(True))
    assert new_mw(sol) == pytest.approx(20.0, abs=1e-6)
    assert new_mw(sol, "charge_power_new") == pytest.approx(10.0, abs=1e-6)
    assert float(np.asarray(sol.values[Var.SOLD]).sum()) * 1e3 == pytest.approx(10.0, abs=1e-6)  # any hour: the tank is free
    assert krw(sol) == pytest.approx(2300.0, rel=1e-9)
    assert export_price(sol) == pytest.approx(65.0, rel=1e-9)


def test_hydrogen_sales_that_do_not_count_leave_the_commitment_missed():
    # Without the accounting rule nothing can be exported (no link): the 20 MWh are missed at the penalty, and at a
    # sale price of 20 KRW/MWh_H2 (10 per MWh of electricity) electrolysis does not pay for itself: nothing is built.
    built, sol = run(p2x_case(False))
    assert float(np.asarray(sol.values[Var.EXPORT_SHORTFALL]).ravel()[0]) * 1e3 == pytest.approx(20.0, abs=1e-6)
    assert new_mw(sol, "charge_power_new") == pytest.approx(0.0, abs=1e-6)
