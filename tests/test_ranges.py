"""inputs/ranges.csv (low/central/high of the inputs that move the answer) and the scenario's `input_cases`:
one-line errors of the shared reader, the values a case puts into the tables, and the top-ten rule."""
from __future__ import annotations

import csv
import shutil

import pytest

from re300.config import load_scenario, validate_names
from re300.errors import ConfigError, InputError
from re300.inputs.tables import load_tables


@pytest.fixture(scope="module")
def tables(inputs_dir):
    return load_tables(inputs_dir)


def copy_inputs(tmp_path, inputs_dir):
    d = tmp_path / "inputs"
    shutil.copytree(inputs_dir, d)
    return d


def set_cell(path, match: dict, column: str, value: str) -> int:
    """Change one cell of the first row matching `match`; returns its line number."""
    rows = list(csv.reader(open(path, encoding="utf-8")))
    head = rows[0]
    for i, r in enumerate(rows[1:], start=2):
        if all(r[head.index(k)] == v for k, v in match.items()):
            r[head.index(column)] = value
            with open(path, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(rows)
            return i
    raise AssertionError(f"no row {match}")


def load_error(d) -> str:
    with pytest.raises(InputError) as e:
        load_tables(d)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


def test_every_range_row_brackets_the_table_value(tables):
    r = tables.ranges
    assert (r["low"] <= r["central"]).all() and (r["central"] <= r["high"]).all()
    assert set(r["status"]) <= {"found", "estimate"} and (r["source"].str.len() > 40).all()


def test_central_must_equal_the_table_value(tmp_path, inputs_dir):
    d = copy_inputs(tmp_path, inputs_dir)
    line = set_cell(d / "ranges.csv", {"driver": "saemangeum_floating_pv"}, "central", "3000")
    msg = load_error(d)
    assert (f"ranges.csv, row {line}, column 'central': central value is not the capacities.csv value (got 3000.0; "
            "expected 2800") in msg


def test_a_row_must_address_a_table_row(tmp_path, inputs_dir):
    d = copy_inputs(tmp_path, inputs_dir)
    line = set_cell(d / "ranges.csv", {"driver": "jeonbuk_onshore_potential"}, "key", "jeonbuk|onshore")
    msg = load_error(d)
    assert f"ranges.csv, row {line}, column 'key': addresses no row of capacities.csv (got 'jeonbuk|onshore'" in msg


def test_low_above_central_is_refused(tmp_path, inputs_dir):
    d = copy_inputs(tmp_path, inputs_dir)
    line = set_cell(d / "ranges.csv", {"driver": "discount_rate"}, "low", "0.05")
    msg = load_error(d)
    assert f"ranges.csv, row {line}, column 'central': central value outside [low, high]" in msg


def test_ranks_are_unique(tmp_path, inputs_dir):
    d = copy_inputs(tmp_path, inputs_dir)
    r = load_tables(inputs_dir).ranges
    ranked = r.dropna(subset=["rank"]).drop_duplicates("driver")
    first, second = ranked.iloc[0], ranked.iloc[1]
    rows = list(csv.reader(open(d / "ranges.csv", encoding="utf-8")))
    for row in rows[1:]:
        if row[0] == second["driver"]:
            row[1] = str(int(first["rank"]))
    with open(d / "ranges.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    assert f"rank {int(first['rank'])} given to two drivers" in load_error(d)


def test_cases_replace_absolute_rows_and_scale_factor_rows(tables):
    low = tables.with_cases({"discount_rate": "low", "jeonbuk_demand": "high", "saemangeum_floating_pv": "high"})
    assert low.constant("discount_rate") == 0.035
    assert low.capacities().loc[("jeonbuk", "floating_pv"), "potential"] == 8000
    # Jeonbuk demand x 23.9/22.0 on every sector row (22,000 GWh -> 23,900 GWh)
    assert low.annual_demand(2021).loc["jeonbuk"].sum() == pytest.approx(23_900, rel=1e-9)
    assert low.annual_demand(2021).loc["jeonnam"].sum() == pytest.approx(33_487, rel=1e-9)
    # the original tables are unchanged; central = no change
    assert tables.constant("discount_rate") == 0.045
    same = tables.with_cases({"discount_rate": "central"})
    assert same.constant("discount_rate") == 0.045
    assert tables.with_cases({}) is tables


def test_battery_atb_case_adds_energy_side_fixed_om(tables):
    atb = tables.with_cases({"battery_cost": "high"}).technology_parameters(2050).loc["battery"]
    # NREL ATB 2024 moderate 2050: 175.4434 USD/kWh + 413.3144 USD/kW at 1,364 KRW/USD; FOM 2.5 %/yr of each part
    assert atb["capex_energy"] == pytest.approx(175.4434 * 1364 * 1000)
    assert atb["capex"] == pytest.approx(413.3144 * 1364 * 1000)
    assert atb["fom_energy"] == pytest.approx(0.025 * 175.4434 * 1364 * 1000)
    assert atb["fom"] == pytest.approx(0.025 * 413.3144 * 1364 * 1000)
    # a 4-h system: ATB (175.4 + 413.3/4) USD/kWh against the DEA-based central value
    dea = tables.technology_parameters(2050).loc["battery"]
    ratio = (dea["capex_energy"] * 4 + dea["capex"]) / (atb["capex_energy"] * 4 + atb["capex"])
    assert 0.4 < ratio < 0.5  # the review's "~42 % of ATB"


def test_scenario_input_cases_are_checked_and_applied(tmp_path, inputs_dir):
    sc_path = tmp_path / "s.yaml"
    sc_path.write_text(f"name: s\ninputs_dir: {inputs_dir}\noutput_dir: {tmp_path}\n"
                       "input_cases: {discount_rat: high}\n", encoding="utf-8")
    sc = load_scenario(sc_path)
    t = load_tables(inputs_dir)
    with pytest.raises(ConfigError, match=r"input_cases\.discount_rat.*unknown input driver.*did you mean 'discount_rate'"):
        validate_names(sc, set(t.regions.index), set(t.technologies.index), set(t.links.index),
                       drivers=set(t.range_drivers))
    sc_path.write_text(sc_path.read_text().replace("discount_rat:", "discount_rate:"), encoding="utf-8")
    sc = load_scenario(sc_path)
    assert t.with_cases(sc.input_cases).constant("discount_rate") == 0.07
    sc_path.write_text(sc_path.read_text().replace("high", "highest"), encoding="utf-8")
    with pytest.raises(ConfigError, match="input_cases"):
        load_scenario(sc_path)


def test_constants_by_year_errors(tmp_path, inputs_dir):
    d = copy_inputs(tmp_path, inputs_dir)
    line = set_cell(d / "constants.csv", {"parameter": "grid_emission_factor", "year": "2030"}, "year", "")
    msg = load_error(d)
    assert f"constants.csv, row {line}, column 'year': grid_emission_factor has both a blank-year row and other rows" in msg


def test_price_index_errors(tmp_path, inputs_dir):
    d = copy_inputs(tmp_path, inputs_dir)
    line = set_cell(d / "price_indices.csv", {"year": "2024"}, "unit", "2020=100")
    msg = load_error(d)
    assert f"price_indices.csv, row {line}, column 'unit': wrong unit for cpi (got '2020=100'; expected index (2020=100))" in msg


def test_a_case_row_says_which_case_set_it(tables):
    c = tables.with_cases({"discount_rate": "high"}).raw["constants.csv"].set_index("parameter").loc["discount_rate"]
    assert c["value"] == 0.07 and c["status"] == "estimate"
    assert c["source"].startswith("input case discount_rate: high; ranges.csv: ")
