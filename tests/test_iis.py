"""Irreducible infeasible subsets (issue 5, slacks off): re300's reduction on hand-built LPs whose subsets are worked
out by hand, checked by re-solving the LP without each member."""
from __future__ import annotations

import highspy
import numpy as np
import pytest
from factories import gen, model_data, store

from re300.model.builder import build_model
from re300.model.data import TargetSettings
from re300.solve.highs import lp_labels
from re300.solve.infeasible import explain_infeasibility, infeasible_subset
from re300.solve.solver import SolverOptions, solve

INF = highspy.kHighsInf


def _three_hour_case(**targets):
    """One region 'jeonnam', 3 hours of 100 MW demand (300 MWh). Renewable energy that can be counted at most:
    utility PV 10 MW new x (0 + 0.5 + 1.0) = 15 MWh; onshore wind (2 MW existing + 4 MW new) x (0.5 + 0.5 + 0.25) =
    7.5 MWh; hydro (1 MW existing, cannot expand, so its limit is a bound on dispatch) x (1 + 0.6 + 0.4) = 2 MWh;
    24.5 MWh in all. Gas may add up to 50 MW new (the irrelevant limit: gas is not renewable); grid 200 MW."""
    return model_data(
        ["jeonnam"], {"jeonnam": [100.0, 100.0, 100.0]},
        [gen("utility_pv", "jeonnam", max_new_mw=10.0, capex=1000.0),
         gen("onshore_wind", "jeonnam", existing_mw=2.0, max_new_mw=4.0, capex=1000.0),
         gen("hydro", "jeonnam", existing_mw=1.0),
         gen("gas", "jeonnam", renewable=False, max_new_mw=50.0, capex=500.0, vom=80.0),
         gen("grid", "jeonnam", renewable=False, existing_mw=200.0, vom=100.0)],
        [[0.0, 0.5, 1.0], [0.5, 0.5, 0.25], [1.0, 0.6, 0.4], [1.0] * 3, [1.0] * 3],
        targets=TargetSettings(**targets),
    )


def _named(built, sol, members) -> set[tuple]:
    """Members as (kind, family, coordinates, side) with LP indices translated through lp_labels."""
    rows, cols = lp_labels(built, sol)
    out = set()
    for kind, index, side in members:
        fam_name, flat = (rows if kind == "row" else cols)[index]
        fam = (built.lm.constraints if kind == "row" else built.lm.variables)[fam_name]
        coords = tuple(c[i] for c, i in zip(fam.coords, np.unravel_index(flat, fam.shape)))
        out.add((kind, fam_name, coords, side))
    return out


def _status_with(sol, keep=None, drop=None) -> str:
    """Re-solve the LP of `sol` with a zero objective, keeping only the bounds in `keep` (all when None) and without
    the one in `drop`; returns HiGHS's model status text."""
    lp = sol.highs.getLp()
    bounds = [np.asarray(b, float).copy() for b in (lp.row_lower_, lp.row_upper_, lp.col_lower_, lp.col_upper_)]
    if keep is not None:
        kept = [np.full_like(b, -INF if k % 2 == 0 else INF) for k, b in enumerate(bounds)]
        for kind, i, side in keep:
            k = (0 if kind == "row" else 2) + (side == "upper")
            kept[k][i] = bounds[k][i]
        bounds = kept
    if drop is not None:
        kind, i, side = drop
        k = (0 if kind == "row" else 2) + (side == "upper")
        bounds[k][i] = INF if side == "upper" else -INF
    lp.col_cost_ = np.zeros(lp.num_col_)
    lp.row_lower_, lp.row_upper_, lp.col_lower_, lp.col_upper_ = bounds
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    return h.modelStatusToString(h.getModelStatus())


def _infeasible_case(data):
    built = build_model(data)
    sol = solve(built, SolverOptions(method="simplex"))
    assert sol.status == "Infeasible"
    return built, sol


def test_subset_of_a_three_hour_case_is_the_one_worked_by_hand_and_irreducible():
    # target 0.1 x 300 MWh = 30 MWh > the 24.5 MWh the renewables can give at most -> infeasible
    built, sol = _infeasible_case(_three_hour_case(renewable_share=0.1))
    iis = infeasible_subset(built, sol)
    assert iis.status == "irreducible"
    # by hand: the target; PV and wind output bounded by cf x capacity in each hour (hour 0 of PV too: cf 0 makes
    # it 'dispatch <= 0'); their new capacity by its potential; hydro's output by its dispatch bound. Nothing of gas,
    # grid, unserved demand or the power balance (100 MW of demand leaves room for every renewable MW).
    expected = {("row", "renewable_target", ("renewable",), "lower")}
    expected |= {("row", "availability", (g, h), "upper") for g in ("utility_pv|jeonnam", "onshore_wind|jeonnam")
                 for h in range(3)}
    expected |= {("column", "capacity_new", ("utility_pv|jeonnam",), "upper"),
                 ("column", "capacity_new", ("onshore_wind|jeonnam",), "upper")}
    expected |= {("column", "dispatch", ("hydro|jeonnam", h), "upper") for h in range(3)}
    assert _named(built, sol, iis.members) == expected
    assert (iis.n_rows, iis.n_columns) == (7, 5)
    # the subset alone is infeasible; without any one member the whole LP is feasible
    assert _status_with(sol, keep=iis.members) == "Infeasible"
    for member in iis.members:
        assert _status_with(sol, drop=member) == "Optimal", member
    # the bounds quoted are the inputs: 10 and 4 MW of potential, a 30 MWh target, hydro 1 MW x cf
    groups = {(g.family, g.coords): g for g in iis.groups}
    assert groups[("capacity_new", "utility_pv|jeonnam")].upper == pytest.approx(10.0)
    assert groups[("capacity_new", "onshore_wind|jeonnam")].upper == pytest.approx(4.0)
    assert groups[("renewable_target", "renewable")].lower == pytest.approx(30.0)
    assert sorted(groups[("dispatch", "hydro|jeonnam")].snapshots) == [0, 1, 2]
    assert iis.text.startswith(
        "renewable target (>= 30 MWh) cannot be met: Jeonnam utility PV potential 10 MW, Jeonnam onshore wind "
        "potential 4 MW are all at their bounds; irreducible infeasible subset of 7 rows and 5 column bounds (found in ")
    assert ("availability (output <= capacity factor x capacity) of utility_pv|jeonnam, onshore_wind|jeonnam in all 3 "
            "snapshots") in iis.text
    assert "dispatch (output <= capacity factor x existing capacity) of hydro|jeonnam in all 3 snapshots" in iis.text
    assert "gas" not in iis.text and "power_balance" not in iis.text


def test_with_the_target_within_reach_the_three_hour_case_solves():
    # 0.08 x 300 = 24 MWh <= 24.5 MWh: the same LP without the shortage is feasible (the subset above is the cause)
    built = build_model(_three_hour_case(renewable_share=0.08))
    assert solve(built, SolverOptions(method="simplex")).optimal


def _storage_case():
    """One region, 4 hours of 10 MW demand (40 MWh), target RE100 = 40 MWh. PV 8 MW new at cf 1 in hours 0-1 and 0
    in hours 2-3: at most 16 MWh. A battery (charge and discharge efficiency 0.9, up to 10 MW / 100 MWh new, nothing
    existing); the target deducts its losses, sum(charge - discharge). Two explanations: (a) the battery cannot create
    energy (its energy balance and charge >= 0: counted <= 16 MWh); (b) its discharge is at most 10 MW x 4 h = 40 MWh
    (discharge limit rows, power build limit, charge >= 0: counted <= 56 MWh, which is not below 40) - so (b) alone
    is no explanation and the subset must be (a)."""
    return model_data(
        ["jeonnam"], {"jeonnam": [10.0] * 4},
        [gen("utility_pv", "jeonnam", max_new_mw=8.0, capex=1000.0),
         gen("grid", "jeonnam", renewable=False, existing_mw=100.0, vom=100.0)],
        [[1.0, 1.0, 0.0, 0.0], [1.0] * 4],
        storage=[store("battery", "jeonnam", max_new_mw=10.0, max_new_mwh=100.0, capex_mw=1.0, capex_mwh=1.0,
                       eta_c=0.9, eta_d=0.9)],
        targets=TargetSettings(renewable_share=1.0),
    )


def test_storage_subset_is_energy_conservation_worked_by_hand():
    built, sol = _infeasible_case(_storage_case())
    iis = infeasible_subset(built, sol)
    assert iis.status == "irreducible"
    # soc[t] - soc[t-1] - 0.9 charge[t] + discharge[t] / 0.9 = 0 (cyclic): its '<=' side in every hour, with
    # charge >= 0, gives sum(discharge) <= 0.81 sum(charge), so the losses deducted are >= 0; no soc >= 0 needed
    # (no standing loss). Plus the target, PV availability in all 4 hours and the PV potential.
    expected = {("row", "renewable_target", ("renewable",), "lower"),
                ("column", "capacity_new", ("utility_pv|jeonnam",), "upper")}
    expected |= {("row", "availability", ("utility_pv|jeonnam", h), "upper") for h in range(4)}
    expected |= {("row", "soc_balance", ("battery|jeonnam", h), "upper") for h in range(4)}
    expected |= {("column", "charge", ("battery|jeonnam", h), "lower") for h in range(4)}
    assert _named(built, sol, iis.members) == expected
    assert _status_with(sol, keep=iis.members) == "Infeasible"
    for member in iis.members:
        assert _status_with(sol, keep=[m for m in iis.members if m != member]) == "Optimal", member
    assert "soc_balance (storage energy balance, <= side) of battery|jeonnam in all 4 snapshots" in iis.text
    assert "charge >= 0 of battery|jeonnam in all 4 snapshots" in iis.text


def test_highs_strategies_stay_available_through_solver_options():
    built, sol = _infeasible_case(_three_hour_case(renewable_share=0.1))
    ours = infeasible_subset(built, sol)
    theirs = infeasible_subset(built, sol, strategy=6)  # HiGHS: elasticity + deletion filter
    assert theirs.status == "irreducible" and "HiGHS getIis, iis_strategy 6" in theirs.method
    assert _named(built, sol, theirs.members) == _named(built, sol, ours.members)  # the subset is unique here
    text = explain_infeasibility(built, sol, {"iis_strategy": 2})
    assert "(HiGHS getIis, iis_strategy 2, " in text


def test_no_time_left_falls_back_to_highs_elasticity_filter_and_says_so():
    built, sol = _infeasible_case(_three_hour_case(renewable_share=0.1))
    iis = infeasible_subset(built, sol, time_limit_s=0.0)
    assert "HiGHS getIis, iis_strategy 2" in iis.method
    assert iis.status in ("reducible", "irreducible")  # HiGHS's own verdict, reported as given
    assert iis.text.startswith("renewable target (>= 30 MWh) cannot be met")
    assert _status_with(sol, keep=iis.members) == "Infeasible"
