"""Input tables: the real tables load and hold the documented numbers; corrupted tables fail clearly."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from re300.errors import InputError
from re300.inputs import load_tables
from re300.inputs.tables import (
    CAPACITY_UNITS,
    CONSTANT_UNITS,
    FILES,
    LINK_PARAMETER_UNITS,
    TECHNOLOGY_PARAMETER_UNITS,
)

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


@pytest.fixture(scope="module")
def tables():
    return load_tables(INPUTS)


# ------------------------------------------------------------------------------------------------
# real tables
# ------------------------------------------------------------------------------------------------
def test_names_follow_the_architecture(tables):
    assert tables.honam_regions == ["gwangju", "jeonnam", "jeonbuk"]
    assert tables.export_regions == ["capital"]
    assert list(tables.technologies.index) == [
        "utility_pv", "rooftop_pv", "floating_pv", "onshore_wind", "offshore_wind",
        "nonrenewable_supply", "battery", "pumped_hydro", "hydrogen", "gas_turbine", "national_grid_supply",
        "offshore_wind_south", "offshore_wind_yeonggwang", "offshore_wind_gunsan"]  # offshore areas (issue 15)
    fam = tables.technologies["family"]
    assert set(fam[fam == "storage"].index) == {"battery", "pumped_hydro", "hydrogen"}
    assert not tables.technologies.loc["nonrenewable_supply", "renewable"]
    assert tables.technologies.loc["offshore_wind", "renewable"]
    links = tables.links
    assert list(links.index) == ["gwangju_jeonnam", "gwangju_jeonbuk", "jeonnam_jeonbuk", "honam_north_ac",
                                 "jeonbuk_capital", "jeonnam_capital", "hvdc_beyond_plan"]
    assert links.loc["honam_north_ac", "kind"] == "ac" and links.loc["honam_north_ac", "bidirectional"]
    assert links.loc["jeonnam_capital", "kind"] == "hvdc" and not links.loc["jeonnam_capital", "bidirectional"]
    assert links.loc["jeonnam_jeonbuk", "kind"] == "ac" and links.loc["jeonnam_jeonbuk", "bidirectional"]


def test_files_lists_every_table_read(tables):
    files = tables.files()
    assert set(files) == set(FILES)
    assert all(p.is_file() for p in files.values())


def test_demand_totals_equal_the_found_figures(tables):
    annual = tables.annual_demand(2021).sum(axis=1)
    assert annual["gwangju"] == pytest.approx(8973.0, rel=1e-12)  # found, 2021
    assert annual["jeonnam"] == pytest.approx(33487.0, rel=1e-12)  # found, 2021
    assert annual["jeonbuk"] == pytest.approx(22000.0, rel=1e-12)  # estimate
    # Gwangju + Jeonnam industrial and residential equal the found combined 2021 sales
    a = tables.annual_demand(2021)
    assert a.loc[["gwangju", "jeonnam"], "industrial"].sum() == pytest.approx(24815.0, rel=1e-12)
    assert a.loc[["gwangju", "jeonnam"], "residential"].sum() == pytest.approx(4969.0, rel=1e-12)
    d = tables.demand
    jb = d[d["region"] == "jeonbuk"]
    assert (jb["status"] == "estimate").all()


def test_interpolation_between_year_rows_by_hand(tables):
    tp = tables.raw["technology_parameters.csv"]
    rows = tp[(tp["technology"] == "utility_pv") & (tp["parameter"] == "capex")].set_index("year")["value"]
    v2030, v2050 = rows[2030], rows[2050]
    # 2040 lies half way between the 2030 and 2050 rows
    assert tables.technology_parameters(2040).loc["utility_pv", "capex"] == pytest.approx(
        v2030 + (2040 - 2030) / (2050 - 2030) * (v2050 - v2030), rel=1e-12)
    # worked by hand from the sources: 1.27e9 KRW/MW of 2020 x CPI 114.18/100 (2024 KRW), x (482/595) in 2030,
    # x (368/595) in 2050 (DEA declines)
    v2025 = 1.27e9 * 114.18 / 100
    assert v2030 == pytest.approx(v2025 * 482 / 595, rel=1e-6)
    assert v2050 == pytest.approx(v2025 * 368 / 595, rel=1e-6)
    assert tables.technology_parameters(2040).loc["utility_pv", "capex"] == pytest.approx(
        v2025 * (482 + 368) / 2 / 595, rel=1e-6)
    # clamped outside the year rows
    assert tables.technology_parameters(2010).loc["utility_pv", "capex"] == rows[2025]
    assert tables.technology_parameters(2070).loc["utility_pv", "capex"] == rows[2050]
    # blank year = all years
    assert tables.technology_parameters(2025).loc["pumped_hydro", "lifetime"] == 80
    assert tables.technology_parameters(2050).loc["pumped_hydro", "lifetime"] == 80


def test_technology_parameter_sources(tables):
    src = tables.technology_parameter_sources(2040).set_index(["technology", "parameter"])
    wide = tables.technology_parameters(2040)
    for (tech, param), row in src.iterrows():
        assert row["value"] == pytest.approx(wide.loc[tech, param], rel=1e-12)
    cap = src.loc[("utility_pv", "capex")]
    assert cap["status"] == "estimate" and "linear interpolation to 2040 between 2030" in cap["source"]
    assert src.loc[("battery", "efficiency_charge"), "status"] == "found"
    assert "clamped to the 2050 row" in tables.technology_parameter_sources(2060).set_index(
        ["technology", "parameter"]).loc[("utility_pv", "capex"), "source"]


def test_technology_parameters_frame(tables):
    p = tables.technology_parameters(2050)
    assert list(p.columns) == list(TECHNOLOGY_PARAMETER_UNITS)
    assert p.attrs["year"] == 2050
    # costs fall (or stay flat) from 2025 to 2050; nothing negative
    p25 = tables.technology_parameters(2025)
    for tech in p.index:
        assert p.loc[tech, "capex"] <= p25.loc[tech, "capex"] + 1e-6
    assert (p[["capex", "fom", "lifetime"]] >= 0).all().all()
    # storage efficiencies in (0, 1]; battery one-way 0.96 (DEA); pumped hydro round trip 0.75
    assert p.loc["battery", "efficiency_charge"] == 0.96 == p.loc["battery", "efficiency_discharge"]
    rt = p.loc["pumped_hydro", "efficiency_charge"] * p.loc["pumped_hydro", "efficiency_discharge"]
    assert rt == pytest.approx(0.75, rel=1e-6)
    # Honam's own fleet: its generation-weighted factor by year (existing_vintages.csv), 0.36 (LNG only) in 2050
    assert p.loc["nonrenewable_supply", "emission_factor"] == pytest.approx(0.36)
    assert p25.loc["nonrenewable_supply", "emission_factor"] == pytest.approx(0.130 + (0.191 - 0.130) * 2 / 7)
    # the national grid beyond Honam follows the grid emission factor by year: 0.4173 (2023) -> 0.245 -> 0.017 (2050)
    for year in (2023, 2025, 2030, 2040, 2050):
        assert tables.technology_parameters(year).loc["national_grid_supply", "emission_factor"] == pytest.approx(
            tables.constant("grid_emission_factor", year))
    # the mainland SMP of March 2025 (121,240 KRW/MWh) in 2024 KRW: x CPI 114.18 / 116.61
    assert p.loc["nonrenewable_supply", "fuel_price"] == pytest.approx(121_240 * 114.18 / 116.61, abs=1.0)
    # the battery tender price is recovered from the energy/power split: 6 h system at 397,500 KRW/kWh of 2025,
    # x CPI 114.18/116.61 in 2024 KRW
    b = p25.loc["battery"]
    assert (b["capex_energy"] * 6 + b["capex"]) / 6 / 1000 == pytest.approx(397_500 * 114.18 / 116.61, rel=1e-6)


def test_capacities(tables):
    c = tables.capacities()
    assert list(c.columns) == list(CAPACITY_UNITS)
    assert (c["potential"].fillna(np.inf) >= c["existing"].fillna(0)).all()
    assert c.loc[("jeonbuk", "pumped_hydro"), "existing"] == 600  # Muju, found
    assert c.loc[("jeonnam", "battery"), "existing"] == 523  # Jeonnam tender, found
    assert c.loc[("jeonnam", "battery"), "existing_energy"] == 3138
    # Jeonnam's 30 GW offshore target split by area: Shinan (+ Jindo, Haenam), south coast, Yeonggwang
    assert c.loc["jeonnam"].loc[["offshore_wind", "offshore_wind_south", "offshore_wind_yeonggwang"], "potential"].sum() == 30_000
    # energy of fixed-duration storage = power x duration
    dur = tables.technology_parameters(2030).loc["pumped_hydro", "fixed_duration"]
    ph = c.xs("pumped_hydro", level="technology")
    assert np.allclose(ph["existing_energy"], ph["existing"] * dur)
    assert np.allclose(ph["potential_energy"], ph["potential"] * dur)
    # existing solar split adds back to the regional estimates 5.4 / 4.2 / 0.3 GW
    pv = c.loc[c.index.get_level_values("technology").isin(["utility_pv", "rooftop_pv"]), "existing"]
    assert pv.groupby(level="region").sum().to_dict() == pytest.approx(
        {"jeonnam": 5400, "jeonbuk": 4200, "gwangju": 300})
    # Honam's own thermal and nuclear fleet cannot expand (new firm capacity is gas_turbine, not limited by a resource)
    nr = c.xs("nonrenewable_supply", level="technology")
    assert (nr["potential"] == nr["existing"]).all()
    assert nr.loc["jeonbuk", "existing"] == 780  # Gunsan CC, found
    assert np.isinf(c.xs("gas_turbine", level="technology")["potential"]).all()
    # the fleet's vintages: Hanbit's six units leave by 2043, so in 2050 only Yeosu Green Energy and Shin-Honam remain
    left = tables.existing_in_service(2050)
    assert left.loc[("jeonnam", "nonrenewable_supply"), "existing"] == 495 + 1000


def test_link_parameters_and_hvdc_derivation(tables):
    lp = tables.link_parameters()
    assert list(lp.columns[: len(LINK_PARAMETER_UNITS)]) == list(LINK_PARAMETER_UNITS)
    assert {"from_region", "to_region", "bidirectional", "kind"} <= set(lp.columns)
    # the 11th transmission plan: 8 GW of HVDC for 11-12 tn KRW (2025-26 reports) -> mid 11.5 tn / 8,000 MW in 2025
    # KRW, to 2024 KRW with CPI 114.18 / 116.61; one unit cost for every link of the programme
    unit = 11.5e12 / 8000 * 114.18 / 116.61
    for link in ("jeonnam_capital", "jeonbuk_capital", "hvdc_beyond_plan"):
        assert lp.loc[link, "capex_per_km"] * lp.loc[link, "length"] + lp.loc[link, "capex_terminal"] == pytest.approx(unit, rel=1e-9)
        L = lp.loc[link, "length"]
        assert lp.loc[link, "efficiency"] == pytest.approx(0.98 * 0.977 ** (L / 1000), rel=1e-6)
        assert lp.loc[link, "existing"] == 0
    # the plan's four 2 GW links: two land in Jeonbuk (Saemangeum), two in Jeonnam (Sinhaenam); none beyond
    assert lp.loc["jeonbuk_capital", "max_new"] == 4000 == lp.loc["jeonnam_capital", "max_new"]
    assert lp.loc["hvdc_beyond_plan", "max_new"] == 0
    assert lp.loc["jeonbuk_capital", "length"] == (220 + 210) / 2 and lp.loc["jeonnam_capital", "length"] == (290 + 350) / 2
    assert 3000 <= lp.loc["honam_north_ac", "existing"] <= 6000  # the estimate's stated range
    assert ((lp["efficiency"] > 0) & (lp["efficiency"] <= 1)).all()


def test_constants(tables):
    assert tables.constant("discount_rate") == 0.045
    assert tables.constant("money_year") == 2024
    assert tables.constant("krw_per_usd") == 1364
    assert tables.constant("grid_emission_factor") == pytest.approx(0.4173)  # without a year: the first row (2023)
    assert tables.constant("grid_emission_factor", 2040) == pytest.approx((0.245 + 0.017) / 2)
    assert tables.constant("grid_emission_factor", 2060) == pytest.approx(0.017)  # clamped
    assert tables.constant("carbon_price") == 8400
    assert tables.constant("nonrenewable_price") == tables.technology_parameters(2030).loc[
        "nonrenewable_supply", "fuel_price"]
    assert set(tables.raw["constants.csv"]["parameter"]) == set(CONSTANT_UNITS)
    with pytest.raises(InputError, match=r"unknown constant.*did you mean 'discount_rate'"):
        tables.constant("discount_rat")


def test_every_number_is_traceable(tables):
    for name in ("demand.csv", "technology_parameters.csv", "capacities.csv", "link_parameters.csv",
                 "constants.csv", "demand_shapes.csv"):
        df = tables.raw[name]
        assert set(df["status"]) <= {"found", "estimate"}
        assert (df["source"].str.len() > 10).all(), name
        found = df[df["status"] == "found"]
        # a found number names the page it was read on
        assert found["source"].str.contains("http").all(), (name, found[~found["source"].str.contains("http")])


# ------------------------------------------------------------------------------------------------
# corrupted tables
# ------------------------------------------------------------------------------------------------
def copy_inputs(tmp_path: Path) -> Path:
    d = tmp_path / "inputs"
    d.mkdir(parents=True)
    for name in FILES:
        shutil.copy(INPUTS / name, d / name)
    return d


def corrupt(d: Path, name: str, match: dict, column: str, value: str) -> int:
    """Set `column` to `value` in the first row of `name` matching `match`; return its line number."""
    path = d / name
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for i, row in enumerate(rows[1:], start=2):
        rec = dict(zip(header, row))
        if all(rec[k] == v for k, v in match.items()):
            row[header.index(column)] = value
            with open(path, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh, lineterminator="\n").writerows(rows)
            return i
    raise AssertionError(f"no row matches {match}")


def load_error(d: Path) -> str:
    with pytest.raises(InputError) as exc:
        load_tables(d)
    return str(exc.value)


def test_unknown_column(tmp_path):
    d = copy_inputs(tmp_path)
    path = d / "capacities.csv"
    text = path.read_text(encoding="utf-8").replace("parameter,value,unit", "parameter,value,units", 1)
    path.write_text(text, encoding="utf-8")
    msg = load_error(d)
    assert "capacities.csv, row 1, column 'units': unknown column" in msg
    assert "did you mean 'unit'?" in msg


def test_unknown_parameter_with_suggestion(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "technology_parameters.csv", {"technology": "onshore_wind", "parameter": "lifetime"},
                   "parameter", "lifetme")
    msg = load_error(d)
    assert f"technology_parameters.csv, row {line}, column 'parameter': unknown parameter (got 'lifetme'" in msg
    assert "did you mean 'lifetime'?" in msg


def test_wrong_unit(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "technology_parameters.csv", {"technology": "utility_pv", "parameter": "capex", "year": "2030"},
                   "unit", "KRW/kW")
    msg = load_error(d)
    assert f"technology_parameters.csv, row {line}, column 'unit': wrong unit for capex (got 'KRW/kW'; expected KRW/MW)" in msg


def test_negative_capex(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "technology_parameters.csv", {"technology": "offshore_wind", "parameter": "capex", "year": "2050"},
                   "value", "-5e9")
    msg = load_error(d)
    assert f"technology_parameters.csv, row {line}, column 'value': capex out of range (got -5000000000.0; expected a number >= 0)" in msg


def test_efficiency_above_one(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "technology_parameters.csv", {"technology": "battery", "parameter": "efficiency_charge"},
                   "value", "1.2")
    msg = load_error(d)
    assert f"row {line}, column 'value': efficiency_charge out of range (got 1.2; expected a number in (0, 1])" in msg
    assert "technology_parameters.csv" in msg


def test_link_efficiency_above_one(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "link_parameters.csv", {"link": "jeonnam_capital", "parameter": "efficiency"}, "value", "1.2")
    msg = load_error(d)
    assert f"link_parameters.csv, row {line}, column 'value': efficiency out of range (got 1.2" in msg


@pytest.mark.parametrize("bad", ["nan", "", "abc"])
def test_missing_or_non_numeric_value(tmp_path, bad):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "capacities.csv", {"region": "jeonnam", "technology": "utility_pv", "parameter": "existing"},
                   "value", bad)
    msg = load_error(d)
    assert f"capacities.csv, row {line}, column 'value':" in msg
    assert f"(got '{bad}'" in msg


def test_unknown_region(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "capacities.csv", {"region": "jeonnam", "technology": "offshore_wind", "parameter": "potential"},
                   "region", "jeonam")
    msg = load_error(d)
    assert f"capacities.csv, row {line}, column 'region': unknown region (got 'jeonam'" in msg
    assert "did you mean 'jeonnam'?" in msg


def test_unknown_region_in_demand_and_links(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "links.csv", {"link": "jeonbuk_capital"}, "to_region", "seoul")
    msg = load_error(d)
    assert f"links.csv, row {line}, column 'to_region': unknown region (got 'seoul'" in msg
    d2 = copy_inputs(tmp_path / "b")
    line = corrupt(d2, "demand.csv", {"region": "jeonbuk", "sector": "industrial"}, "region", "capital")
    msg = load_error(d2)
    assert f"demand.csv, row {line}, column 'region': unknown honam region (got 'capital'" in msg


def test_unknown_technology_and_link(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "technology_parameters.csv", {"technology": "floating_pv", "parameter": "lifetime"},
                   "technology", "floating_solar")
    msg = load_error(d)
    assert f"technology_parameters.csv, row {line}, column 'technology': unknown technology (got 'floating_solar'" in msg
    d2 = copy_inputs(tmp_path / "b")
    line = corrupt(d2, "link_parameters.csv", {"link": "jeonnam_jeonbuk", "parameter": "length"}, "link", "jeonnam_jeonbk")
    assert f"link_parameters.csv, row {line}, column 'link': unknown link (got 'jeonnam_jeonbk'" in load_error(d2)


def test_potential_below_existing(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "capacities.csv", {"region": "jeonnam", "technology": "utility_pv", "parameter": "potential"},
                   "value", "100")
    msg = load_error(d)
    assert f"capacities.csv, row {line}, column 'value': jeonnam utility_pv: potential below existing (got 100.0; expected >= existing (4320))" in msg


def test_storage_energy_must_match_fixed_duration(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "capacities.csv", {"region": "jeonbuk", "technology": "pumped_hydro", "parameter": "existing_energy"},
                   "value", "3000")
    msg = load_error(d)
    assert (f"capacities.csv, row {line}, column 'value': jeonbuk pumped_hydro: existing_energy does not equal "
            "existing x fixed_duration (got 3000.0; expected 600 MW x 7 h = 4200 MWh)") in msg


def test_missing_file(tmp_path):
    d = copy_inputs(tmp_path)
    (d / "constants.csv").unlink()
    msg = load_error(d)
    assert "constants.csv: input file not found" in msg


def test_duplicate_row(tmp_path):
    d = copy_inputs(tmp_path)
    path = d / "constants.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])  # discount_rate again
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    msg = load_error(d)
    assert f"constants.csv, row {len(lines)}: duplicate row for parameter=discount_rate (first given on row 2)" in msg


def test_bad_status_and_empty_source(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "constants.csv", {"parameter": "carbon_price"}, "status", "guess")
    msg = load_error(d)
    assert f"constants.csv, row {line}, column 'status': unknown status (got 'guess'" in msg
    d2 = copy_inputs(tmp_path / "b")
    line = corrupt(d2, "demand.csv", {"region": "gwangju", "sector": "industrial"}, "source", "")
    assert f"demand.csv, row {line}, column 'source': empty source" in load_error(d2)


def test_discount_rate_out_of_range(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "constants.csv", {"parameter": "discount_rate"}, "value", "0.45")
    msg = load_error(d)
    assert f"constants.csv, row {line}, column 'value': discount_rate out of range (got 0.45; expected a number in [0, 0.3))" in msg


def test_missing_required_parameter(tmp_path):
    d = copy_inputs(tmp_path)
    path = d / "technology_parameters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith("battery,efficiency_discharge,")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    msg = load_error(d)
    assert "technology battery (storage) lacks parameter(s) efficiency_discharge" in msg


def test_storage_parameter_on_a_generator(tmp_path):
    d = copy_inputs(tmp_path)
    path = d / "technology_parameters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("utility_pv,standing_loss,,0.01,fraction/h,test row,estimate")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    msg = load_error(d)
    assert (f"technology_parameters.csv, row {len(lines)}, column 'parameter': parameter standing_loss applies "
            "to storage only, but utility_pv is variable_renewable") in msg


def test_error_is_one_line(tmp_path):
    d = copy_inputs(tmp_path)
    corrupt(d, "capacities.csv", {"region": "jeonnam", "technology": "utility_pv", "parameter": "existing"}, "value", "x")
    assert "\n" not in load_error(d)


def test_value_not_finite_message_names_everything(tmp_path):
    d = copy_inputs(tmp_path)
    line = corrupt(d, "link_parameters.csv", {"link": "gwangju_jeonnam", "parameter": "length"}, "value", "inf")
    msg = load_error(d)
    assert f"link_parameters.csv, row {line}, column 'value': missing or non-finite number (got 'inf'; expected a finite number)" in msg
