"""One money year (issue 15): every KRW number of inputs/ is KRW of 2024, and the conversions written in the sources
are recomputed here from the cited inputs (the CPI of inputs/price_indices.csv, the 2025 rows, the FOM shares)."""
from __future__ import annotations

import re

import pytest

from re300.inputs.tables import load_tables

MONEY_TABLES = ("technology_parameters.csv", "constants.csv")
NUM = r"([0-9][0-9.,]*(?:e[+-]?\d+)?)"
CPI_MARK = re.compile(NUM + r" \((\d{4}) KRW\) x CPI 2024/(\d{4}) \(114\.18/([0-9.]+)\) = " + NUM + r" 2024 KRW")
DERIVED = re.compile(r"^" + NUM + r" \(2025 row, 2024 KRW\) x ([0-9.]+) = " + NUM + r" 2024 KRW")
FOM = re.compile(r"^~?([0-9.]+) ?%/yr x (?:[a-z-]+ )?capex(?: (\d{4}))? \(" + NUM + r"(?: KRW/MW)?\) = " + NUM)


def num(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture(scope="module")
def tables(inputs_dir):
    return load_tables(inputs_dir)


def krw_rows(tables, name):
    df = tables.raw[name]
    return df[df["unit"].str.startswith("KRW")]


def test_money_year_is_2024_and_states_the_rule(tables):
    assert tables.constant("money_year") == 2024
    src = tables.raw["constants.csv"].set_index("parameter").loc["money_year", "source"]
    assert "CPI(2024) / CPI(Y)" in src and "price_indices.csv" in src


@pytest.mark.parametrize("name", MONEY_TABLES)
def test_every_krw_number_states_its_money_year(tables, name):
    rows = krw_rows(tables, name)
    assert len(rows)
    lacking = [f"row {r['_line']} ({r.get('technology', r['parameter'])} {r['parameter']})" for _, r in rows.iterrows()
               if "2024 KRW" not in r["source"]]
    assert not lacking, f"{name}: KRW rows without '2024 KRW' in the source: {lacking}"


def test_link_costs_state_their_money_year(tables):
    rows = krw_rows(tables, "link_parameters.csv")
    assert all("2024 KRW" in s for s in rows["source"])


def test_cpi_conversions_recompute_from_the_price_index_table(tables):
    cpi2024 = tables.price_index("cpi", 2024)
    assert cpi2024 == pytest.approx(114.18)
    seen = 0
    for name in MONEY_TABLES:
        for _, r in krw_rows(tables, name).iterrows():
            for m in CPI_MARK.finditer(r["source"]):
                orig, year, year2, cpi_cited, converted = num(m[1]), int(m[2]), int(m[3]), float(m[4]), num(m[5])
                assert year == year2
                assert cpi_cited == pytest.approx(tables.price_index("cpi", year), abs=0.005)
                expected = orig * cpi2024 / tables.price_index("cpi", year)
                assert converted == pytest.approx(expected, rel=1e-3), r["source"][:80]
                seen += 1
    # utility PV, floating PV, onshore, offshore, battery (x2), pumped hydro, the purchase price (x2)
    assert seen >= 9


def test_the_cpi_factors_of_the_notes(tables):
    """capital-grid-industry §4: x1.148 from 2019, x1.142 from 2020, x1.114 from 2021, x1.023 from 2023."""
    f = {y: tables.price_index("cpi", 2024) / tables.price_index("cpi", y) for y in (2019, 2020, 2021, 2023)}
    assert f == pytest.approx({2019: 1.148, 2020: 1.142, 2021: 1.114, 2023: 1.023}, abs=6e-4)


def test_korean_capex_rows_are_the_nominal_figures_times_the_cpi(tables):
    """Hand-worked: nominal KRW of the source year x CPI(2024)/CPI(year)."""
    tp = tables.technology_parameters(2025)
    cpi = {y: tables.price_index("cpi", y) for y in (2019, 2020, 2021, 2024, 2025)}
    assert tp.loc["utility_pv", "capex"] == pytest.approx(1.27e9 * cpi[2024] / cpi[2020], rel=1e-6)
    assert tp.loc["rooftop_pv", "capex"] == pytest.approx(1.27e9 * 1.25 * cpi[2024] / cpi[2020], rel=1e-6)
    assert tp.loc["floating_pv", "capex"] == pytest.approx(2.19e9 * cpi[2024] / cpi[2019], rel=1e-6)
    assert tp.loc["onshore_wind", "capex"] == pytest.approx(3.1e9 * cpi[2024] / cpi[2019], rel=1e-6)
    assert tp.loc["offshore_wind", "capex"] == pytest.approx(5.8e9 * cpi[2024] / cpi[2021], rel=1e-6)
    assert tp.loc["pumped_hydro", "capex"] == pytest.approx(1.39e12 / 500)  # a 2024 article: no conversion
    battery_kwh = 397_500 * cpi[2024] / cpi[2025]  # the tender midpoint, nominal 2025 KRW
    b = tp.loc["battery"]
    assert (b["capex_energy"] * 6 + b["capex"]) / 6 / 1000 == pytest.approx(battery_kwh, rel=1e-6)
    smp = 121_240 * cpi[2024] / cpi[2025]
    assert tp.loc["nonrenewable_supply", "fuel_price"] == pytest.approx(smp, rel=1e-6)
    assert tables.constant("nonrenewable_price") == pytest.approx(smp, rel=1e-6)


def test_euro_figures_use_the_2024_rate(tables):
    eur = tables.constant("krw_per_eur")
    assert eur == 1475
    tp = tables.technology_parameters(2050)
    assert tp.loc["hydrogen", "capex_charge"] == pytest.approx(1257 * eur * 1000)  # DEA electrolysis 2050, EUR/kW
    assert tp.loc["hydrogen", "capex"] == pytest.approx(1069 * eur * 1000)  # DEA fuel cell 2050


def test_derived_rows_recompute(tables):
    """2030/2050 capex = the 2025 row x the stated decline; FOM = the stated share x the capex of its year."""
    tp = tables.raw["technology_parameters.csv"]
    capex = {(r["technology"], r["parameter"], r["year"]): r["value"] for _, r in tp.iterrows()
             if str(r["parameter"]).startswith("capex")}
    n_derived = n_fom = 0
    for _, r in tp.iterrows():
        m = DERIVED.match(r["source"])
        if m:
            base = capex[(r["technology"], r["parameter"], 2025)]
            assert num(m[1]) == pytest.approx(base, rel=1e-3)
            assert r["value"] == pytest.approx(base * float(m[2]), rel=1e-3)
            n_derived += 1
        m = FOM.match(r["source"])
        if m and r["parameter"].startswith("fom"):
            part = {"fom": "capex", "fom_energy": "capex_energy", "fom_charge": "capex_charge"}[r["parameter"]]
            year = int(m[2]) if m[2] else None
            key = (r["technology"], part, year if year is not None else r["year"])
            base = capex.get(key, capex.get((r["technology"], part, None)))
            assert num(m[3]) == pytest.approx(base, rel=1e-3)
            assert r["value"] == pytest.approx(float(m[1]) / 100 * base, rel=1e-3)
            n_fom += 1
    assert n_derived >= 14 and n_fom >= 20
