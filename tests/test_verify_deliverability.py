"""`re300 verify` on issue 14 (re300.audit.deliverability): the capital node takes at most its headroom, routes carry at
most their capacity (nothing backwards on the one-way HVDC, new capacity within its limit), non-renewable energy is
never counted as export, hydrogen counts as export only under the option and stays within its cap, and firm capacity
covers (1 + margin) × peak, with the peak checked against the demand. Each check recomputes from results.nc; each is
shown to FAIL on a results.nc tampered in the way it guards against.

`deliverability_case` (two Honam regions and the capital region on two blocks, with every issue-14 rule binding) is
shared with tests/test_pypsa.py."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from factories import gen, link, model_data, store

from re300.audit import border_flows, check_deliverability, check_export_commitment, verify_run
from re300.model.builder import build_model
from re300.model.data import Adequacy, TargetSettings
from re300.results.dataset import to_dataset
from re300.results.tables import summary
from re300.solve.solver import SolverOptions, solve


def deliverability_case(all_on: bool = True):
    """Two Honam regions and the capital region over two blocks of 12 h (storage cycles within each): PV in a, wind in
    b (both with tight potentials, so exports are short of renewable energy), cheap existing non-renewable supply in a
    (6 MW, credit 1), an extendable gas turbine in b (credit 1), the national grid at the capital node, a battery
    (credit 0.9), a hydrogen chain with electrolysers of their own selling hydrogen (capped at 20,000 MWh/yr), pumped
    hydro (fixed duration, credit 0.9); a two-way internal route a–b, a one-way HVDC a → capital (up to 20 MW new) and
    a two-way AC route b – capital (import credit 0.5). The capital region takes 0 / 4 / 40 / 12 MW in the hours 0-2 /
    3-5 / 6-8 / 9-11 of each block, each MWh credited at 60,000 KRW; adequacy: 1.2 x 45 MW. `all_on` False switches
    every issue-14 rule off (absorption unlimited, no renewable-only rule, sales not counted, no adequacy rule)."""
    T = 24
    h = np.arange(T) % 12
    rng = np.random.default_rng(7)
    cf_pv = np.clip(np.sin((h - 2) / 9 * np.pi), 0, 1)
    data = model_data(
        ["a", "b", "cap"], {"a": 10 + 3 * np.sin(h / 12 * 2 * np.pi), "b": 6 + 2 * rng.random(T)},
        [gen("pv", "a", max_new_mw=30, capex=5e4, fom=1e4),
         gen("wind", "b", max_new_mw=5, existing_mw=2, capex=9e4, fom=2e4, vom=1.0),
         gen("nonrenewable_supply", "a", renewable=False, existing_mw=6, vom=1e3, ef=0.1),
         gen("gas_turbine", "b", renewable=False, max_new_mw=np.inf, capex=4e4, fom=1e3, vom=1.5e5, ef=0.45),
         gen("national_grid_supply", "cap", renewable=False, max_new_mw=np.inf, vom=7e4)],
        [cf_pv, rng.uniform(0.05, 0.9, T), np.ones(T), np.ones(T), np.ones(T)],
        storage=[store("battery", "a", existing_mw=1, existing_mwh=2, max_new_mw=8, max_new_mwh=30, capex_mw=3e3,
                       capex_mwh=2e3, fom_mw=100, fom_mwh=50, vom=2, eta_c=0.95, eta_d=0.9, loss=0.001),
                 store("hydrogen", "b", max_new_mw=5, max_new_mwh=500, capex_mw=2e4, capex_mwh=100, eta_c=0.7, eta_d=0.5,
                       charge_max_new_mw=30, charge_capex_mw=1.5e4),
                 store("phs", "b", existing_mw=1, max_new_mw=4, capex_mw=4e3, capex_mwh=100, fom_mw=10, eta_c=0.85,
                       eta_d=0.9, duration=6.0)],
        links=[link("ab", "a", "b", existing_mw=3, max_new_mw=10, capex=2e3, fom=100, efficiency=0.97),
               link("hvdc", "a", "cap", bidirectional=False, existing_mw=2, max_new_mw=20, capex=3e3, fom=100,
                    efficiency=0.95),
               link("ac_north", "b", "cap", existing_mw=4, efficiency=0.98)],
        kinds={"a": "honam", "b": "honam", "cap": "export"}, weights=np.full(T, 8760 / T), carbon=5e4,
        block=np.repeat([0, 1], 12),
        targets=TargetSettings(renewable_share=0.5, export_share=1.0, renewable_slack_krw_per_mwh=4e5,
                               export_slack_krw_per_mwh=3e5, renewable_only_exports=all_on, sales_count_as_export=all_on),
    )
    if all_on:
        data.export_headroom_mw = pd.DataFrame({"cap": np.select([h < 3, h < 6, h < 9], [0.0, 4.0, 40.0], 12.0)})
        data.adequacy = Adequacy(reserve_margin=0.2, peak_demand_mw=np.array([45.0]), storage_hours=4.0)
    data.export_value_krw_per_mwh = {"cap": 6e4}
    data.generators["capacity_credit"] = [0.05, 0.1, 1.0, 1.0, 0.0]
    data.storage["capacity_credit"] = [0.9, 0.0, 0.9]
    data.storage["sale_price_krw_per_mwh"] = [0.0, 9e4, 0.0]
    data.storage["sale_max_mwh_per_yr"] = [0.0, 2e4, 0.0]
    data.links["capacity_credit"] = [0.0, 0.0, 0.5]
    return data


@pytest.fixture(scope="module")
def solved():
    built = build_model(deliverability_case())
    sol = solve(built, SolverOptions(method="simplex"))
    assert sol.optimal
    ds = to_dataset(built, sol)
    return ds, pd.Series({k: v for k, (v, _) in summary(ds).items()})


def _tampered(ds, **changes):
    out = ds.copy(deep=True)
    for name, (sel, value) in changes.items():
        out[name].loc[sel] = value
    return out


def test_passes_on_the_solved_case_and_recomputes_the_border_flows(solved):
    ds, summ = solved
    check = check_deliverability(ds, summ)
    assert check.passed, check.detail
    assert "non-renewable beyond Honam's load 0.000 TWh" in check.detail and "x peak = 0.05 GW" in check.detail
    flows = border_flows(ds)
    # hydrogen sold = its cap; the electricity behind it = 20,000 / 0.7; nothing non-renewable beyond the load
    assert flows["hydrogen_sold"] == pytest.approx(2e4, rel=1e-9)
    assert flows["hydrogen_sold_electricity"] == pytest.approx(2e4 / 0.7, rel=1e-9)
    assert flows["nonrenewable_beyond_honam_load"] == pytest.approx(0.0, abs=1e-6)
    # gross exports = what the capital node took (its balance: nothing else arrives or leaves there)
    assert flows["exports_gross"] == pytest.approx(float((ds["exports_received_mw"].sel(region="cap") * ds["weight_h"]).sum()), rel=1e-9)


def test_absorption_above_the_headroom_fails(solved):
    ds, summ = solved
    t = int(np.argmax(ds["input_export_headroom_mw"].sel(region="cap").values == 4.0))
    bad = _tampered(ds, exports_received_mw=(dict(region="cap", time=ds.time[t]), 4.5))
    check = check_deliverability(bad, summ)
    assert not check.passed and check.detail == f"cap takes 4.500 MW in snapshot {t}, above its headroom 4.000 MW"


def test_absorption_beyond_what_arrives_from_honam_fails(solved):
    """The capital node booking its own grid supply as displaced generation: takes 1 MW more than arrives over the
    HVDC (η 0.95) and the AC route (η 0.98, its forward flow) in an hour where the headroom (40 MW) allows it."""
    ds, summ = solved
    head = ds["input_export_headroom_mw"].sel(region="cap").values
    arrived = (0.95 * ds["flow_forward_mw"].sel(link="hvdc") + 0.98 * ds["flow_forward_mw"].sel(link="ac_north")).values
    t = int(np.flatnonzero((head == 40.0) & (arrived < 39.0))[0])
    bad = _tampered(ds, exports_received_mw=(dict(region="cap", time=ds.time[t]), arrived[t] + 1.0))
    check = check_deliverability(bad, summ)
    assert not check.passed
    assert check.detail == (f"cap takes {arrived[t] + 1.0:,.3f} MW in snapshot {t}, more than the {arrived[t]:,.3f} MW "
                            "arriving from Honam (its own grid supply booked as displaced generation)")


@pytest.mark.parametrize("what", ["over capacity", "backwards on the one-way HVDC", "new beyond its limit"])
def test_routes_beyond_their_capacity_fail(solved, what):
    ds, summ = solved
    cap = float(ds["link_capacity_total_mw"].sel(link="hvdc"))
    if what == "over capacity":
        bad = _tampered(ds, flow_forward_mw=(dict(link="hvdc", time=ds.time[7]), cap + 1.0))
        expect = f"link hvdc carries {cap + 1:,.3f} MW forward in snapshot 7 (capacity {cap:,.3f} MW)"
    elif what == "backwards on the one-way HVDC":
        bad = _tampered(ds, flow_backward_mw=(dict(link="hvdc", time=ds.time[3]), 0.5))
        expect = "link hvdc carries 0.500 MW backward in snapshot 3 (one-way link)"
    else:
        bad = _tampered(ds, link_capacity_new_mw=(dict(link="hvdc"), 25.0), link_capacity_total_mw=(dict(link="hvdc"), 27.0))
        expect = "link hvdc has 25.000 MW new, above its limit 20.000 MW"
    check = check_deliverability(bad, summ)
    assert not check.passed and expect in check.detail


def test_non_renewable_energy_counted_as_export_fails(solved):
    # one more MW of the non-renewable supply in an hour where the rule binds: it can only have left Honam
    ds, summ = solved
    own = ds["dispatch_mw"].sel(technology="nonrenewable_supply", region="a")
    non_renewable = (ds["dispatch_mw"].sel(technology=["nonrenewable_supply", "gas_turbine"]).sum(("technology", "region"))
                     + 0.98 * ds["flow_backward_mw"].sel(link="ac_north"))  # the AC route's imports
    served = (ds["demand_mw"] - ds["unserved_mw"]).sel(region=["a", "b"]).sum("region")
    t = int(np.argmin((served - non_renewable).values))
    assert float(served[t] - non_renewable[t]) == pytest.approx(0.0, abs=1e-6)  # the rule binds in hour t
    bad = _tampered(ds, dispatch_mw=(dict(technology="nonrenewable_supply", region="a", time=ds.time[t]), float(own[t]) + 1.0))
    check = check_deliverability(bad, summ)
    assert not check.passed and check.detail.startswith("non-renewable energy entering Honam")
    assert f"in snapshot {t}" in check.detail
    # summary.csv claiming non-renewable energy beyond the load that the hourly flows do not show
    claimed = summ.copy()
    claimed["nonrenewable_beyond_honam_load"] = 1000.0
    check = check_deliverability(ds, claimed)
    assert not check.passed and "summary.csv nonrenewable_beyond_honam_load = 1000.0" in check.detail


def test_hydrogen_beyond_its_cap_or_misreported_fails(solved):
    ds, summ = solved
    bad = ds.copy(deep=True)
    bad["storage_sold_mw"] = bad["storage_sold_mw"] * 1.01
    check = check_deliverability(bad, summ)
    assert not check.passed and check.detail == "hydrogen|b sells 20,200 MWh/yr, above its cap 20,000 MWh/yr"
    s = summ.copy()
    s["hydrogen_sold"] = 25_000.0
    check = check_deliverability(ds, s)
    assert not check.passed and check.detail.startswith("summary.csv hydrogen_sold = 25000.0 but the hourly flows give 20")


def test_hydrogen_counts_as_export_only_under_the_option(solved):
    # the commitment is met with 20,000 / 0.7 MWh of electricity behind the hydrogen sold; read without the option,
    # the same flows fall short of it by that much
    ds, summ = solved
    assert check_export_commitment(ds, summ).passed
    off = ds.copy(deep=True)
    off["input_sales_count_as_export"] = xr.DataArray(0.0)
    check = check_export_commitment(off, None)
    assert not check.passed and check.detail.startswith("exports counted")


def test_firm_capacity_below_the_requirement_fails(solved):
    ds, summ = solved
    total = float(ds["capacity_total_mw"].sel(technology="gas_turbine", region="b"))
    bad = _tampered(ds, capacity_total_mw=(dict(technology="gas_turbine", region="b"), total - 1.0))
    check = check_deliverability(bad, summ)
    assert not check.passed and check.detail == "credited firm capacity 53.0 MW is below (1 + margin) x peak = 54.0 MW"
    # a peak below the demand of a snapshot cannot be the full year's peak
    low = ds.copy(deep=True)
    low["input_adequacy_peak_demand_mw"] = xr.DataArray(10.0)
    check = check_deliverability(low, summ)
    assert not check.passed and check.detail.startswith("the adequacy peak 10.0 MW is below Honam's demand of")
    # firm storage above credit x min(power, energy / storage hours)
    st = ds.copy(deep=True)
    st["firm_storage_mw"].loc[dict(technology="battery", region="a")] = 100.0
    assert check_deliverability(st, summ).detail.startswith("firm storage outside")


@pytest.mark.slow
def test_verify_fails_on_a_results_nc_with_a_headroom_below_what_was_taken(tmp_path):
    """End to end: quick on one week, results.nc tampered (the capital region's headroom halved in the hour it took
    the most): `re300 verify` names the deliverability check."""
    from re300 import cli
    from re300.run import run_scenario

    scenario = tmp_path / "quick_week28.yaml"
    repo = __import__("pathlib").Path(__file__).resolve().parent.parent
    scenario.write_text(f"extends: {repo / 'models' / 'quick.yaml'}\nname: quick_week28\n"
                        "time: {mode: weeks, weeks: [28], weights: null}\n", encoding="utf-8")
    run = run_scenario(scenario, output_dir=tmp_path / "out", echo=False)
    checks = {c.name: c for c in verify_run(run)}
    assert checks["deliverability"].passed, checks["deliverability"].detail
    bad = tmp_path / "bad"
    shutil.copytree(run, bad)
    ds = xr.load_dataset(run / "results.nc", engine="h5netcdf")
    taken = ds["exports_received_mw"].sel(region="capital").values
    t = int(np.argmax(taken))
    ds["input_export_headroom_mw"].loc[dict(region="capital", time=ds.time[t])] = taken[t] / 2
    ds.to_netcdf(bad / "results.nc", engine="h5netcdf")
    checks = {c.name: c for c in verify_run(bad)}
    assert not checks["deliverability"].passed
    assert checks["deliverability"].detail.startswith(f"capital takes {taken[t]:,.3f} MW in snapshot {t}, above its headroom")
    assert cli.main(["verify", str(bad)]) == 1


def test_a_pathway_is_checked_per_period_and_names_the_failing_one():
    """Two investment periods (2030, 2040) of two hours each: PV in Honam region a sends what the capital region can
    take (5 MW, then 10 MW) over a one-way 10 MW link and is credited 50,000 KRW/MWh; a gas turbine (credit 1) covers
    1.1 x the peak of each period (12 MW, then 15 MW)."""
    from factories import periods, solve_data

    data = model_data(
        ["a", "cap"], {"a": [10.0, 8.0, 12.0, 9.0]},
        [gen("pv", "a", max_new_mw=100.0, capex=1000.0),
         gen("gas_turbine", "a", renewable=False, max_new_mw=np.inf, capex=5e4, vom=2e5)],
        [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]],
        links=[link("a_cap", "a", "cap", bidirectional=False, existing_mw=10.0)],
        kinds={"a": "honam", "cap": "export"},
        pathway=periods([2030, 2040], base_year=2020, final_span=10), snapshot_period=np.array([0, 0, 1, 1]),
        block=np.array([0, 0, 1, 1]),
    )
    data.export_headroom_mw = pd.DataFrame({"cap": [5.0, 10.0, 5.0, 10.0]})
    data.export_value_krw_per_mwh = {"cap": 5e4}
    data.generators["capacity_credit"] = [0.0, 1.0]
    data.adequacy = Adequacy(reserve_margin=0.1, peak_demand_mw=np.array([12.0, 15.0]), storage_hours=4.0)
    ds, _ = solve_data(data)
    check = check_deliverability(ds)
    assert check.passed, check.detail
    assert "2030: " in check.detail and "2040: " in check.detail
    np.testing.assert_allclose(ds["exports_received_mw"].sel(region="cap").values, [5.0, 10.0, 5.0, 10.0], atol=1e-6)
    bad = _tampered(ds, exports_received_mw=(dict(region="cap", time=ds.time[2]), 6.0))
    check = check_deliverability(bad)
    assert not check.passed
    assert check.detail == "1 of 2 periods fail — period 2040: cap takes 6.000 MW in snapshot 0, above its headroom 5.000 MW"
    # the turbine in service in 2040 (16.5 MW = 1.1 x 15) one MW short
    bad = _tampered(ds, capacity_total_mw=(dict(technology="gas_turbine", region="a", period=2040), 15.5))
    check = check_deliverability(bad)
    assert not check.passed and check.detail.startswith("1 of 2 periods fail — period 2040: credited firm capacity 15.5 MW")
