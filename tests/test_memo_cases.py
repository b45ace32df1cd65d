"""The memo's sections that read results beside the run (issues 14 and 15): the deliverability frontier from
outputs/sweeps/deliverability/, the tornado from outputs/sweeps/sensitivity/, the companion cases from
outputs/<case>/ and the electrification sweep. The neighbouring results are written here by hand (numbers chosen for
the test), so each number the memo prints is checked against a value the test set, formatted independently."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from re300.report.memo import build_memo

pytestmark = pytest.mark.slow  # needs a solved run (the quick fixture)

FRONTIER = pd.DataFrame({
    "case": ["jeonbuk_capital 2000, absorption limited", "jeonbuk_capital 4000, absorption limited",
             "jeonbuk_capital 4000, absorption unlimited",
             "jeonbuk_capital 4000, absorption limited, hydrogen_sales_count false"],
    "series": ["absorption limited", "absorption limited", "absorption unlimited",
               "absorption limited, hydrogen_sales_count false"],
    "corridor_allowed_mw": [2000.0, 8000.0, 8000.0, 8000.0], "targets_tried": [5, 5, 5, 5],
    "highest_target_met": [2.5, 3.0, 3.0, 2.0], "delivered_share_at_top_target": [2.71, 3.0, 3.0, 2.2],
    "member": ["m1", "m2", "m3", "m4"], "average_cost_krw_per_mwh_delivered": [151234.0, 162345.0, 140000.0, 180000.0],
    "net_cost_krw_per_mwh_delivered": [61234.0, 72345.0, 50000.0, 90000.0],
    "total_system_cost_krw_per_yr": [3e13, 3.2e13, 2.9e13, 3.3e13],
    "corridor_built_mw": [2000.0, 7100.0, 8000.0, 8000.0], "storage_power_mw": [31500.0, 28400.0, 20000.0, 30000.0],
    "storage_energy_mwh": [190000.0, 170400.0, 100000.0, 150000.0], "electrolysis_mw": [14200.0, 9800.0, 1000.0, 0.0],
    "hydrogen_storage_mwh": [0.0, 0.0, 0.0, 0.0], "curtailment_share": [0.05, 0.03, 0.01, 0.2],
})


@pytest.fixture
def run_with_neighbours(quick_run_dir, tmp_path):
    """outputs/quick/ with outputs/sweeps/{deliverability,sensitivity,electrification}/ and outputs/quick_private/."""
    outputs = tmp_path / "outputs"
    run = outputs / "quick"
    shutil.copytree(quick_run_dir, run, ignore=shutil.ignore_patterns("results.nc", "highs*.log", "memo"))
    manifest = json.loads((run / "manifest.json").read_text())
    state = json.dumps({"sweep": "x", "base": "/somewhere/models/quick.yaml", "members": {}})
    frontier = outputs / "sweeps" / "deliverability"
    member = frontier / "members" / "m2"  # a member reads the run's inputs and its own scenario file
    member.mkdir(parents=True)
    (member / "manifest.json").write_text(json.dumps({"input_hash": "f" * 64, "input_hashes": {
        **manifest["input_hashes"], "outputs/sweeps/deliverability/members/m2.yaml": "0" * 64}}))
    frontier_state = json.dumps({"sweep": "deliverability", "base": "/somewhere/models/quick.yaml",
                                 "members": {"m2": {"status": "solved", "run_dir": str(member)}}})
    FRONTIER.to_csv(frontier / "frontier.csv", index=False)
    (frontier / "sweep_state.json").write_text(frontier_state)
    sens = outputs / "sweeps" / "sensitivity"
    sens.mkdir(parents=True)
    (sens / "sweep_state.json").write_text(state)
    pd.DataFrame({"rank": [1, 2], "parameter": ["input_cases.jeonnam_offshore_potential", "input_cases.discount_rate"],
                  "total_system_cost_low_change": [-3.37e12, -2.25e12], "total_system_cost_high_change": [0.0, 6.17e12],
                  "renewable_ratio_low_change": [-0.785, 0.0], "renewable_ratio_high_change": [0.0, 0.0],
                  "score": [0.4, 0.3]}).to_csv(sens / "tornado_ranking.csv", index=False)
    elec = outputs / "sweeps" / "electrification"
    elec.mkdir(parents=True)
    (elec / "sweep_state.json").write_text(state)
    rows = []
    for g, ratio, cons in ((1.0, 2.97, 64.5e6), (2.2, 1.31, 141.9e6)):
        for metric, value in (("honam_consumption", cons), ("renewable_ratio", ratio), ("renewable_shortfall", 1e6 * g),
                              ("export_shortfall", 0.0), ("average_cost_per_mwh_delivered", 170000.0 * g),
                              ("nonrenewable_supply", 5e6 * g)):
            rows.append({"member": f"g{g}", "demand.growth_factor": g, "metric": metric, "value": value, "unit": ""})
    pd.DataFrame(rows).to_csv(elec / "summary.csv", index=False)
    private = outputs / "quick_private"
    private.mkdir()
    s = pd.read_csv(run / "summary.csv")
    s.loc[s["metric"] == "total_system_cost", "value"] = 4.321e13
    s.loc[s["metric"] == "average_cost_per_mwh_delivered", "value"] = 198765.0
    s.to_csv(private / "summary.csv", index=False)
    (private / "manifest.json").write_text(json.dumps({"input_hash": "e" * 64, "input_hashes": {  # run's files + its own
        **manifest["input_hashes"], "models/quick_private.yaml": "1" * 64}}))
    return run


def test_frontier_tornado_cases_and_electrification_in_the_memo(run_with_neighbours):
    result = build_memo(run_with_neighbours, langs=("en",))
    md = (result.memo_dir / "memo.en.md").read_text(encoding="utf-8")
    section = md.split("## How much can Honam deliver?")[1].split("\n## ")[0]
    # the planned 8 GW, absorption limited: RE300 delivered and met, at 162,345 KRW/MWh (net 72,345)
    assert "Hydrogen sold to industry counted as export (the study's reading): With the planned 8.0 GW corridor " \
           "(absorption limited) Honam delivers at most RE300; the highest target of the sweep met in full is RE300, " \
           "at 162,345 KRW/MWh delivered (72,345 KRW/MWh net)." in section
    # RE300 met from the smallest limited corridor that meets 3.0: 8 GW, with its storage and electrolysis
    assert "RE300 is met from a corridor of 8.0 GW on, with 28.4 GW / 170.4 GWh of batteries and pumped hydro and " \
           "9.8 GW of electrolysis." in section
    # hydrogen not counted: only electricity to the Capital region; RE300 out of reach at the 8 GW tried
    # delivered 2.2 at the top target, but the highest rung met in full is 2.0: the cost is that rung's
    assert "Only electricity delivered to the Capital region counted: With the planned 8.0 GW corridor (absorption " \
           "limited) Honam delivers at most RE220; the highest target of the sweep met in full is RE200, at " \
           "180,000 KRW/MWh delivered (90,000 KRW/MWh net). RE300 is not met at any corridor tried (up to " \
           "8.0 GW); the most delivered is RE220." in section
    assert "| 2.0 GW | limited | yes | RE250 | RE271 | 151,234 / 61,234 | 31.5 / 190.0 | 14.2 | 2.0 |" in section
    sens = md.split("## What moves the answer")[1].split("\n## ")[0]
    assert "| 1 | jeonnam_offshore_potential | -3.37 / 0.00 | -0.79 / 0.00 |" in sens
    assert "| 2 | discount_rate | -2.25 / 6.17 | 0.00 / 0.00 |" in sens
    assert "| private financing: 7 % real discount rate | 43.21 |" in sens and "| 198,765 |" in sens
    assert "| 2.2 × | 141.9 | 1.31 | 2.20 | 374,000 | 11.0 |" in sens


def test_neighbours_on_the_same_inputs_are_not_stale_and_a_changed_table_is_named(run_with_neighbours):
    """A companion or sweep member reads the run's input files plus its own scenario file: same inputs. One input
    table read with other contents is named in the warning (the file, not a hash)."""
    md = (build_memo(run_with_neighbours, langs=("en",)).memo_dir / "memo.en.md").read_text(encoding="utf-8")
    assert "▲ The sweep's runs read other contents" not in md and "Solved on other input files" not in md
    table = next(k for k in json.loads((run_with_neighbours / "manifest.json").read_text())["input_hashes"]
                 if k.startswith("inputs/"))
    for f in (run_with_neighbours.parent / "quick_private" / "manifest.json",
              run_with_neighbours.parent / "sweeps" / "deliverability" / "members" / "m2" / "manifest.json"):
        m = json.loads(f.read_text())
        m["input_hashes"][table] = "2" * 64
        f.write_text(json.dumps(m))
    md = (build_memo(run_with_neighbours, langs=("en",)).memo_dir / "memo.en.md").read_text(encoding="utf-8")
    assert f"▲ The sweep's runs read other contents of {table} than this run: rerun the sweep." in md
    assert f"Solved on other input files than this run (rerun them): quick_private ({table})" in md


def test_without_neighbours_the_memo_says_how_to_compute_them(quick_run_dir, copy_run):
    run = copy_run(quick_run_dir)
    md = (build_memo(run, langs=("en",)).memo_dir / "memo.en.md").read_text(encoding="utf-8")
    assert "`make sweep SWEEP=deliverability`" in md and "`make sweep SWEEP=sensitivity`" in md
    assert "`re300 solve models/quick_private.yaml`" in md
