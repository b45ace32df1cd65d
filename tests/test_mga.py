"""Near-optimal alternatives on tiny hand-built cases, every solve a task on a 2-worker LocalCluster.

Case 1 (PV): one snapshot standing for 8,760 h; 100 MW of demand in `north` (unserved energy priced at VOLL, so
serving it is far cheaper). utility_pv in north: new capacity <= 80 MW at 100e6 KRW/MW/yr; floating_pv in south:
10 MW existing (free) plus new at 150e6 KRW/MW/yr; a lossless link south->north; capacity factor 1.
    least cost: north 80 MW new, south 10 MW new  ->  8.0 + 1.5 = 9.5 bn KRW/yr; cap at 5 %: 9.975 bn KRW/yr.
    new_n + new_s >= 90 (demand 100 - 10 existing), cost 100 new_n + 150 new_s [1e6 KRW]:
    min north: 100 a + 150 (90 - a) <= 9975  ->  a >= 70.5 MW                   north in [70.5, 80]
    max south: a = 70.5 -> new_s = 19.5 -> installed 29.5 MW                     south in [20, 29.5]
    total PV installed: min 100; max with a = 80: 150 new_s <= 1975 -> 13.1667  total in [100, 103.1667]
Case 2 (HVDC corridor): 200 MW of free existing PV in `honam`, demand 100 MW, export commitment 0.5 x consumption
(50 MW over the year) to the export region `capital` over two one-way links: l_a (new <= 40 MW, 10e6 KRW/MW/yr) and
l_b (new <= 100 MW, 20e6 KRW/MW/yr).
    least cost l_a 40, l_b 10 -> 0.6 bn KRW/yr; cap 0.63 bn:  10 a + 20 (50 - a) <= 630 -> a >= 37
    l_a in [37, 40], l_b in [10, 13], both in [50, 40 + 230/20 = 51.5].
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from factories import gen, link, model_data, store

from re300.errors import Re300Error
from re300.model.data import TargetSettings
from re300.sweep.mga import NearOptimalLP, near_optimal_ranges, plot_ranges, sentences
from re300.sweep.mga.lp import cost_cap
from re300.sweep.quantities import default_quantities

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

SIMPLEX = {"method": "simplex"}


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def pv_case():
    return model_data(
        ["north", "south"], {"north": [100.0]},
        [gen("utility_pv", "north", max_new_mw=80, capex=100e6),
         gen("floating_pv", "south", existing_mw=10, max_new_mw=500, capex=150e6)],
        [[1.0], [1.0]], weights=[8760.0],
        links=[link("south_north", "south", "north", bidirectional=False, existing_mw=1000)],
    )


def corridor_case():
    return model_data(
        ["honam", "capital"], {"honam": [100.0]},
        [gen("utility_pv", "honam", existing_mw=200)], [[1.0]], weights=[8760.0],
        links=[link("l_a", "honam", "capital", bidirectional=False, max_new_mw=40, capex=10e6),
               link("l_b", "honam", "capital", bidirectional=False, max_new_mw=100, capex=20e6)],
        kinds={"honam": "honam", "capital": "export"}, targets=TargetSettings(export_share=0.5),
    )


def _ranges(table):
    return {(r.quantity, r.region): (r.min, r.optimum, r.max) for r in table.itertuples()}


def test_pv_ranges_match_the_hand_worked_bounds(client):
    data = pv_case()
    qs = default_quantities(data, ("pv",))
    assert [(q.name, q.region, q.existing_mw) for q in qs] == [("pv", "all", 10.0), ("pv", "north", 0.0), ("pv", "south", 10.0)]
    r = near_optimal_ranges(data, 0.05, qs, client, SIMPLEX)
    assert r.optimum["objective_bn_krw"] == pytest.approx(9.5, rel=1e-9)
    got = _ranges(r.table())
    expected = {("pv", "all"): (100.0, 100.0, 103.0 + 1 / 6), ("pv", "north"): (70.5, 80.0, 80.0),
                ("pv", "south"): (20.0, 20.0, 29.5)}
    for key, values in expected.items():
        np.testing.assert_allclose(got[key], values, atol=1e-3, err_msg=str(key))
    cap = 1.05 * 9.5
    for a in r.alternatives:
        assert a["ok"], a
        assert 9.5 - 1e-9 <= a["objective_bn_krw"] <= cap + 1e-6
        assert a["slacks"]["unserved_gwh"] <= 1e-6  # alternatives serve demand like the optimum


def test_zero_slack_pins_every_quantity_to_the_unique_optimum(client):
    data = pv_case()
    qs = default_quantities(data, ("pv",))
    table = near_optimal_ranges(data, 0.0, qs, client, SIMPLEX).table()
    np.testing.assert_allclose(table["min"], table["optimum"], atol=1e-3)
    np.testing.assert_allclose(table["max"], table["optimum"], atol=1e-3)


def test_corridor_ranges_match_the_hand_worked_bounds(client, tmp_path):
    data = corridor_case()
    qs = default_quantities(data, ("hvdc_corridor", "pv", "storage_power"))
    # the corridor: the total and one per link; PV cannot expand: no solve, range = existing
    # (both links leave `honam`, so each row is named by its link)
    assert [(q.name, q.region, q.members) for q in qs] == [
        ("hvdc_corridor", "all", ("l_a", "l_b")), ("hvdc_corridor", "l_a", ("l_a",)),
        ("hvdc_corridor", "l_b", ("l_b",)), ("pv", "all", ())]
    r = near_optimal_ranges(data, 0.05, qs, client, SIMPLEX)
    assert len(r.alternatives) == 6
    t = r.table()
    np.testing.assert_allclose(t[["min", "optimum", "max"]].to_numpy(),
                               [[50, 50, 51.5], [37, 40, 40], [10, 10, 13], [200, 200, 200]], atol=1e-3)
    text = sentences(t, 0.05, qs)
    assert text[1].startswith("Every plan within 5 % of least cost builds at least 37 MW of new transmission capacity "
                              "to the capital region (HVDC links and the AC route) on the l_a corridor")
    assert "on the l_a corridor (Honam to Capital)" in text[1]
    assert "No plan can add" in text[3]
    plot_ranges(t, 0.05, "test", "note", tmp_path / "ranges.png")
    assert (tmp_path / "ranges.png").stat().st_size > 5000


def test_unknown_quantity_and_bad_slack_are_one_line_errors(client):
    with pytest.raises(Re300Error, match="unknown MGA quantity 'wind'"):
        default_quantities(pv_case(), ("wind",))
    with pytest.raises(Re300Error, match="--slack -0.1"):
        near_optimal_ranges(pv_case(), -0.1, [], client, SIMPLEX)


def test_alternatives_table_lists_every_solve(client):
    data = pv_case()
    qs = default_quantities(data, ("pv",))
    alt = near_optimal_ranges(data, 0.05, qs, client, SIMPLEX).alternatives_table()
    assert isinstance(alt, pd.DataFrame) and len(alt) == 1 + 2 * len(qs)
    assert alt["status"].eq("Optimal").all()
    assert alt.loc[0, "objective_krw_per_yr"] == pytest.approx(9.5e9, rel=1e-9)


# -- the warm-started path (one compiled LP per chain, re-solved in place) against rebuilding the LP per solve --------


def _capped_case(kind):
    """One region, one snapshot standing for 8,760 h, demand 100 MW, PV (capacity factor 1) new at 100e6 KRW/MW/yr;
    the renewable target (share 0.5 = 438 GWh) may be missed at 1,000 KRW/MWh. The least-cost plan builds all the
    PV it may, so each alternative can lower PV only by raising what the caps hold at their least-cost values:

    'shortfall': PV <= 20 MW, grid 1,000 MW at 50,000 KRW/MWh. Least cost: PV 20 MW, shortfall 438 - 175.2 GWh;
      cost 20 x 100e6 + 80 x 8,760 x 50,000 + 262,800 x 1,000 = 37.3028 bn KRW. One MW less PV costs
      8,760 x 50,000 - 100e6 + 8,760 x 1,000 = 346.76e6 KRW, so without the shortfall cap 5 % would allow
      PV = 20 - 1.86514e9 / 346.76e6 = 14.6 MW; with it PV stays at 20 MW.
    'unserved': PV <= 5 MW, grid only 90 MW existing: 5 MW unserved (43.8 GWh at 10e6 KRW/MWh, 438 bn KRW), which
      one MW less PV would raise by 8.76 GWh (87.6 bn KRW); 5 % of ~478 bn would allow 0.27 MW less PV without the
      unserved cap; with it PV stays at 5 MW.
    """
    pv_max, grid_mw = (20.0, 1000.0) if kind == "shortfall" else (5.0, 90.0)
    return model_data(
        ["a"], {"a": [100.0]},
        [gen("utility_pv", "a", max_new_mw=pv_max, capex=100e6),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=grid_mw, vom=50_000.0)],
        [[1.0], [1.0]], weights=[8760.0],
        targets=TargetSettings(renewable_share=0.5, renewable_slack_krw_per_mwh=1_000.0),
    )


@pytest.mark.parametrize("kind, pinned_mw, shortfall_gwh", [("shortfall", 20.0, 438.0 - 175.2), ("unserved", 5.0, 438.0 - 43.8)])
def test_slack_caps_hold_on_the_warm_path(client, kind, pinned_mw, shortfall_gwh):
    data = _capped_case(kind)
    qs = default_quantities(data, ("pv",))
    r = near_optimal_ranges(data, 0.05, qs, client, SIMPLEX)
    assert r.optimum["slacks"]["renewable_shortfall"] == pytest.approx(shortfall_gwh, rel=1e-9)
    if kind == "shortfall":
        assert r.optimum["objective_bn_krw"] == pytest.approx(37.3028, rel=1e-9)
    np.testing.assert_allclose(r.table()[["min", "optimum", "max"]].to_numpy(), [[pinned_mw] * 3], atol=1e-3)
    for a in r.alternatives:
        assert a["ok"], a
        assert a["slacks"]["renewable_shortfall"] <= shortfall_gwh + 1e-6
        assert a["slacks"]["unserved_gwh"] <= r.optimum["slacks"]["unserved_gwh"] + 1e-6


@pytest.mark.parametrize("case", [pv_case, corridor_case, lambda: _capped_case("shortfall")])
@pytest.mark.parametrize("chains, resolve", [(1, "primal"), (2, "primal"), (2, "dual")])
def test_warm_started_ranges_equal_the_rebuilt_ones(client, case, chains, resolve):
    data = case()
    qs = default_quantities(data, ("pv", "hvdc_corridor"))
    rebuilt = near_optimal_ranges(data, 0.05, qs, client, SIMPLEX, warm_start=False)
    warm = near_optimal_ranges(data, 0.05, qs, client, SIMPLEX, chains=chains, resolve=resolve)
    assert warm.optimum["objective_bn_krw"] == pytest.approx(rebuilt.optimum["objective_bn_krw"], rel=1e-12)
    pd.testing.assert_frame_equal(warm.table(), rebuilt.table(), atol=1e-6, rtol=0)
    assert [(a["quantity"], a["sense"]) for a in warm.alternatives] == [(a["quantity"], a["sense"]) for a in rebuilt.alternatives]
    least = rebuilt.optimum["objective_bn_krw"]
    for w, b in zip(warm.alternatives, rebuilt.alternatives):
        assert w["ok"] and b["ok"] and w["status"] == b["status"] == "Optimal"
        assert w["values_mw"][w["quantity"]] == pytest.approx(b["values_mw"][b["quantity"]], abs=1e-6)
        # the optimised quantity is unique, the rest of the plan need not be: its cost is anywhere under the cap
        assert least * (1 - 1e-9) <= w["objective_bn_krw"] <= least * 1.05 * (1 + 1e-6)


def test_interior_point_least_cost_then_simplex_re_solves(client):
    # the scenario's default method (interior point) for the least-cost plan; its crossover vertex starts the chain
    data = pv_case()
    qs = default_quantities(data, ("pv",))
    r = near_optimal_ranges(data, 0.05, qs, client, {"method": "ipm", "crossover": False})
    expected = {("pv", "all"): (100.0, 100.0, 103.0 + 1 / 6), ("pv", "north"): (70.5, 80.0, 80.0),
                ("pv", "south"): (20.0, 20.0, 29.5)}
    for key, values in expected.items():
        np.testing.assert_allclose(_ranges(r.table())[key], values, atol=1e-3, err_msg=str(key))


def test_a_stalled_warm_re_solve_is_redone_from_scratch():
    # a zero time budget stops every warm-started re-solve at once; each is redone with interior point from scratch
    # and still gives the hand-worked bounds of case 1
    data = pv_case()
    qs = default_quantities(data, ("pv",))
    lp = NearOptimalLP(data, SIMPLEX, qs)
    optimum = lp.least_cost()
    assert optimum["ok"] and optimum["objective_bn_krw"] == pytest.approx(9.5, rel=1e-9)
    assert lp.restrict(1.05 * 9.5, optimum["slacks"]) == ""
    lp.budget_s = 0.0
    got = {(q.region, s): lp.extreme(q, s) for q in qs for s in ("min", "max")}
    assert len(lp.fallback_jobs()) == 6
    expected = {("all", "min"): 100.0, ("all", "max"): 103.0 + 1 / 6, ("north", "min"): 70.5, ("north", "max"): 80.0,
                ("south", "min"): 20.0, ("south", "max"): 29.5}
    for (region, s), mw in expected.items():
        res = got[(region, s)]
        assert res["ok"] and res["status"] == "Optimal", res
        assert res["values_mw"][f"pv:{region}"] == pytest.approx(mw, abs=1e-3), (region, s)


def test_the_slack_applies_to_the_cost_not_to_the_shortfall_penalty(client):
    """A plan that misses its target at a high penalty (the flagship's situation, priced at 5 million KRW/MWh).

    One region, one snapshot standing for 8,760 h, demand 100 MW; PV (capacity factor 1) new at 100e6 KRW/MW/yr up to
    20 MW; grid supply 1,000 MW at 50,000 KRW/MWh; a battery new at 100e6 KRW/MW/yr (lossless: useless in one
    snapshot); renewable target 0.5 x 876 GWh = 438 GWh, missed at 5e6 KRW/MWh.
      least cost: PV 20 MW (2.0 bn KRW) + grid 80 MW x 8,760 h x 50,000 (35.04 bn) = 37.04 bn KRW/yr;
      shortfall 438 - 175.2 = 262.8 GWh -> penalty 262,800 MWh x 5e6 = 1,314 bn KRW/yr; objective 1,351.04.
      cost cap at 5 %: 1.05 x 37.04 + 1,314 = 1,352.892 -> the largest battery costs at most 1.852 bn: 18.52 MW
      (with the slack on the objective, 5 % of 1,351.04 = 67.55 bn would allow 675.5 MW of useless batteries).
    """
    data = model_data(
        ["a"], {"a": [100.0]},
        [gen("utility_pv", "a", max_new_mw=20.0, capex=100e6),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=50_000.0)],
        [[1.0], [1.0]], storage=[store("battery", "a", max_new_mw=1000.0, max_new_mwh=1000.0, capex_mw=100e6)],
        weights=[8760.0], targets=TargetSettings(renewable_share=0.5, renewable_slack_krw_per_mwh=5_000_000.0),
    )
    assert cost_cap({"objective_bn_krw": 100.0, "penalty_bn_krw": 60.0}, 0.05) == pytest.approx(102.0, rel=1e-6)
    r = near_optimal_ranges(data, 0.05, default_quantities(data, ("storage_power",)), client, SIMPLEX)
    assert r.optimum["objective_bn_krw"] == pytest.approx(1351.04, rel=1e-9)
    assert r.optimum["penalty_bn_krw"] == pytest.approx(1314.0, rel=1e-9)
    row = r.table().iloc[0]
    assert row["optimum"] == pytest.approx(0.0, abs=1e-6)
    assert row["max"] == pytest.approx(18.52, rel=1e-4)
