"""Labelled cost terms (re300.model.costs): the objective's own terms, grouped by their labels, are the cost items of
costs.csv. Tiny cases worked by hand; every expected number is derived in the comment above it.
"""
from __future__ import annotations

import numpy as np
import pytest
from factories import gen, model_data, solve_data

from re300.model.builder import build_model
from re300.model.costs import CostLabels, CostLedger
from re300.model.data import Pathway
from re300.results.tables import cost_table
from re300.solve.solver import SolverOptions, solve


def one_region_year():
    """Region a, two snapshots standing for 10 h and 20 h, demand 40 MW in both.

    pv: may build up to 100 MW at 100,000 KRW/MW/yr + fixed O&M 20,000 KRW/MW/yr, available only in snapshot 0;
    grid supply: 50 MW existing, fixed O&M 1,000 KRW/MW/yr, 50,000 KRW/MWh, 0.5 t/MWh at 10,000 KRW/t.
    """
    return model_data(
        ["a"], {"a": [40.0, 40.0]},
        [gen("pv", "a", max_new_mw=100.0, capex=100_000.0, fom=20_000.0),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=50.0, fom=1_000.0, vom=50_000.0, ef=0.5)],
        [[1.0, 0.0], [1.0, 1.0]], weights=[10.0, 20.0], carbon=10_000.0,
    )


def test_labelled_terms_give_the_hand_worked_cost_items_and_sum_to_the_objective():
    # A MW of pv costs 120,000 KRW/yr and replaces 10 MWh of grid supply at 50,000 + 0.5 x 10,000 = 55,000 KRW/MWh
    # (550,000 KRW/yr), so pv covers snapshot 0 (40 MW) and the grid snapshot 1 (40 MW x 20 h = 800 MWh):
    #   pv investment 40 x 100,000 = 4e6; pv fixed O&M 40 x 20,000 = 8e5; no variable cost or carbon;
    #   grid fixed O&M on its existing 50 MW: 50 x 1,000 = 5e4 (a constant of the objective);
    #   grid variable 800 x 50,000 = 4e7; carbon 800 x 0.5 x 10,000 = 4e6; nothing unserved.
    data = one_region_year()
    built = build_model(data)
    sol = solve(built, SolverOptions(method="simplex"))
    assert sol.optimal
    from re300.results.dataset import to_dataset

    ds = to_dataset(built, sol)
    rows = [tuple(r) for r in cost_table(ds)[["asset_kind", "asset", "region", "component"]].itertuples(index=False)]
    assert rows == [
        ("generator", "pv", "a", "investment"), ("generator", "pv", "a", "fixed_om"),
        ("generator", "pv", "a", "variable_and_purchase"), ("generator", "pv", "a", "carbon"),
        ("generator", "nonrenewable_supply", "a", "investment"), ("generator", "nonrenewable_supply", "a", "fixed_om"),
        ("generator", "nonrenewable_supply", "a", "variable_and_purchase"),
        ("generator", "nonrenewable_supply", "a", "carbon"),
        ("node", "unserved_energy", "a", "value_of_lost_load"),
    ]
    expected = [4e6, 8e5, 0.0, 0.0, 0.0, 5e4, 4e7, 4e6, 0.0]
    np.testing.assert_allclose(cost_table(ds)["value"].to_numpy(), expected, rtol=1e-9, atol=1e-6)
    # the objective is the sum of the items (bn KRW), and so is the ledger's own present value
    assert sol.objective == pytest.approx(sum(expected) * 1e-9, rel=1e-9)
    assert built.costs.present_value(sol.values) == pytest.approx(sol.objective, rel=1e-12)
    # the constant of the objective is the labelled fixed O&M of existing capacity
    assert built.lm.objective_constant == pytest.approx(5e4 * 1e-9, rel=1e-12)


def test_pathway_items_are_annual_and_weighted_only_in_the_objective():
    # Periods 2030 and 2040, discounted to 2025 at 5 % (W_2030, W_2040 != 1). Wind (capacity factor 1, no end of
    # life) at 1,000 KRW/MW/yr + fixed O&M 10 KRW/MW/yr is far cheaper than grid supply (100,000 KRW/MWh), so
    # 100 MW are built in 2030 and serve both periods. Each period's items are annual and undiscounted:
    # investment 100 x 1,000 = 1e5 and fixed O&M 100 x 10 = 1e3 KRW/yr; the objective is (1e5 + 1e3) x ΣW_p.
    data = model_data(
        ["a"], {"a": [100.0, 100.0]},
        [gen("onshore_wind", "a", max_new_mw=np.inf, capex=1000.0, fom=10.0),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=1000.0, vom=100_000.0)],
        [[1.0, 1.0], [1.0, 1.0]],
        pathway=Pathway.from_years([2030, 2040], base_year=2025, discount_rate=0.05, final_span_yr=5),
        snapshot_period=np.arange(2), block=np.arange(2), period_data={},
    )
    ds, sol = solve_data(data)
    W = data.pathway.objective_weight
    wind = (ds["cost_asset"] == "onshore_wind")
    for year in (2030, 2040):
        of_year = wind & (ds["cost_period"] == year)
        for component, value in (("investment", 1e5), ("fixed_om", 1e3), ("variable_and_purchase", 0.0)):
            item = ds["cost_krw_per_yr"].where(of_year & (ds["cost_component"] == component), drop=True).values
            np.testing.assert_allclose(item, [value], rtol=1e-9, atol=1e-6)
    assert sol.objective * 1e9 == pytest.approx(1.01e5 * W.sum(), rel=1e-9)
    weighted = float((ds["cost_krw_per_yr"] * W[np.searchsorted([2030, 2040], ds["cost_period"].values)]).sum())
    assert weighted == pytest.approx(sol.objective * 1e9, rel=1e-9)


def ledger_with_one_item():
    ledger = CostLedger(weight=np.array([2.0]))
    ledger.declare("generator", ["pv"], ["a"], ("investment",))
    return ledger


def test_a_term_without_labels_or_with_parts_that_do_not_add_up_is_refused():
    ledger = ledger_with_one_item()
    with pytest.raises(ValueError, match="at least one label"):
        ledger.add_terms([2.0], "capacity_new", [0], (1,), [])
    # the objective coefficient 2.0 is W (2) x annual 1.0; an annual part of 1.5 does not add up
    with pytest.raises(ValueError, match="must add up"):
        ledger.add_terms([2.0], "capacity_new", [0], (1,), [CostLabels("generator", "pv", "a", "investment", [1.5], 0)])
    with pytest.raises(KeyError, match="not declared"):
        ledger.add_terms([2.0], "capacity_new", [0], (1,), [CostLabels("generator", "pv", "b", "investment", [1.0], 0)])


def test_ledger_reads_annual_items_from_solution_values():
    # two build options of pv (annual 1.0 and 3.0 bn KRW/yr per GW) at 4 and 5 GW, plus a constant of 0.5 bn KRW/yr:
    # annual item 1 x 4 + 3 x 5 + 0.5 = 19.5; present value W x 19.5 = 39.
    ledger = ledger_with_one_item()
    lab = CostLabels("generator", ["pv", "pv"], ["a", "a"], "investment", [1.0, 3.0], 0)
    ledger.add_terms([2.0, 6.0], "capacity_new", [0, 1], (2,), [lab])
    ledger.add_constant(1.0, [CostLabels("generator", "pv", "a", "investment", [[0.5]])])
    values = {"capacity_new": np.array([4.0, 5.0])}
    np.testing.assert_allclose(ledger.annual(values), [19.5])
    assert ledger.present_value(values) == pytest.approx(39.0)
