"""Scenario + input tables → ModelData (re300.assemble), on a tiny inputs folder written by the test: no weather, no
tsam. Every expected number is worked out here from the rows written below (not read back from the code)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from re300.assemble import assemble_model_data, capital_recovery_factor
from re300.config import load_scenario
from re300.errors import InputError
from re300.inputs.schema import SHAPE_PARAMETERS
from re300.inputs.snapshots import Snapshots
from re300.inputs.tables import load_tables

SRC = "test table (hand-written)"


def _write(path: Path, header: str, rows: list[str]) -> None:
    path.write_text(header + "\n" + "\n".join(rows) + ("\n" if rows else ""), encoding="utf-8")


def write_inputs(d: Path) -> Path:
    """Three regions, three technologies, two links: every table with at most a few rows."""
    d.mkdir(parents=True, exist_ok=True)
    _write(d / "regions.csv", "region,kind,name_en,name_ko,lat,lon,source,status",
           [f"north,honam,North,북,35.5,127.0,{SRC},estimate", f"south,honam,South,남,34.8,126.8,{SRC},estimate",
            f"capital,export,Capital,수도권,37.5,127.0,{SRC},estimate"])
    _write(d / "technologies.csv", "technology,family,renewable,name_en,name_ko,profile",
           ["pv,variable_renewable,true,PV,태양광,pv", "grid,dispatchable,false,Grid,계통,none",
            "battery,storage,true,Battery,배터리,none"])
    _write(d / "technology_parameters.csv", "technology,parameter,year,value,unit,source,status", [
        f"pv,capex,2030,1000000000,KRW/MW,{SRC},estimate", f"pv,capex,2050,500000000,KRW/MW,{SRC},estimate",
        f"pv,fom,,10000000,KRW/MW/yr,{SRC},estimate", f"pv,lifetime,,25,yr,{SRC},estimate",
        f"grid,capex,,0,KRW/MW,{SRC},estimate", f"grid,fom,,0,KRW/MW/yr,{SRC},estimate",
        f"grid,lifetime,,30,yr,{SRC},estimate", f"grid,emission_factor,,0.5,tCO2/MWh,{SRC},estimate",
        f"grid,fuel_price,,100000,KRW/MWh,{SRC},estimate",
        f"battery,capex,,200000000,KRW/MW,{SRC},estimate", f"battery,capex_energy,,100000000,KRW/MWh,{SRC},estimate",
        f"battery,fom,,5000000,KRW/MW/yr,{SRC},estimate", f"battery,lifetime,,15,yr,{SRC},estimate",
        f"battery,efficiency_charge,,0.9,fraction,{SRC},estimate",
        f"battery,efficiency_discharge,,0.95,fraction,{SRC},estimate",
    ])
    _write(d / "capacities.csv", "region,technology,parameter,value,unit,source,status", [
        f"north,pv,existing,100,MW,{SRC},estimate", f"north,pv,potential,1000,MW,{SRC},estimate",
        f"south,pv,existing,50,MW,{SRC},estimate", f"south,pv,potential,500,MW,{SRC},estimate",
        f"north,grid,existing,2000,MW,{SRC},estimate",
        f"south,battery,existing,0,MW,{SRC},estimate", f"south,battery,potential,300,MW,{SRC},estimate",
    ])
    _write(d / "links.csv", "link,from_region,to_region,bidirectional,kind,source",
           [f"north_south,north,south,true,ac,{SRC}", f"south_capital,south,capital,false,hvdc,{SRC}"])
    link_rows = []
    for name, length, existing, max_new in (("north_south", 100, 500, 1000), ("south_capital", 200, 0, 3000)):
        link_rows += [f"{name},length,{length},km,{SRC},estimate", f"{name},existing,{existing},MW,{SRC},estimate",
                      f"{name},max_new,{max_new},MW,{SRC},estimate", f"{name},capex_per_km,1000000,KRW/MW/km,{SRC},estimate",
                      f"{name},capex_terminal,100000000,KRW/MW,{SRC},estimate", f"{name},fom_share,0.01,fraction/yr,{SRC},estimate",
                      f"{name},efficiency,0.97,fraction,{SRC},estimate", f"{name},lifetime,40,yr,{SRC},estimate"]
    _write(d / "link_parameters.csv", "link,parameter,value,unit,source,status", link_rows)
    _write(d / "constants.csv", "parameter,value,unit,source,status", [
        f"discount_rate,0.05,fraction,{SRC},estimate", f"money_year,2024,year,{SRC},estimate",
        f"krw_per_usd,1364,KRW/USD,{SRC},estimate", f"krw_per_eur,1450,KRW/EUR,{SRC},estimate",
        f"grid_emission_factor,0.45,tCO2/MWh,{SRC},estimate", f"carbon_price,20000,KRW/tCO2,{SRC},estimate",
        f"value_of_lost_load,10000000,KRW/MWh,{SRC},estimate", f"nonrenewable_price,120000,KRW/MWh,{SRC},estimate",
    ])
    _write(d / "demand.csv", "region,sector,year,value,unit,source,status",
           [f"north,industrial,2021,8760,GWh/yr,{SRC},estimate", f"south,industrial,2021,4380,GWh/yr,{SRC},estimate"])
    _write(d / "demand_shapes.csv", "sector,parameter,value,unit,source,status",
           [f"industrial,{p},1,relative,{SRC},estimate" for p in SHAPE_PARAMETERS])
    _write(d / "existing_vintages.csv", "region,technology,parameter,first_year,retire_year,value,unit,source,status",
           [f"north,pv,existing,2010,2035,60,MW,{SRC},estimate", f"north,pv,existing,2020,2060,40,MW,{SRC},estimate",
            f"south,pv,existing,2015,2055,50,MW,{SRC},estimate", f"north,grid,existing,1990,2100,2000,MW,{SRC},estimate"])
    _write(d / "build_limits.csv", "technology,region,parameter,value,unit,source,status",
           [f"pv,honam,max_build_rate,100,MW/yr,{SRC},estimate"])
    _write(d / "availability_years.csv", "asset,region,year,parameter,value,unit,source,status",
           [f"south_capital,,2030,max_new_in_service,1000,MW,{SRC},estimate"])
    return d


def write_scenario(d: Path, text: str, deliverability: bool = False) -> Path:
    """The tiny scenario; without `deliverability` the capital region takes anything and no adequacy rule applies
    (the tests of those features write their own inputs)."""
    path = d / "scenario.yaml"
    extra = "" if deliverability else "exports: {absorption: unlimited}\nadequacy: {enabled: false}\n"
    path.write_text("name: tiny\ninputs_dir: inputs\noutput_dir: out\n" + extra + text, encoding="utf-8")
    return path


def snapshots(hours: int = 4) -> Snapshots:
    """`hours` hourly snapshots of one block, each standing for 8760 / hours h; PV profile 0, 1e-5, 0.5, 1.2."""
    time = pd.date_range("2023-06-01", periods=hours, freq="h")
    cf_values = np.resize([0.0, 1e-5, 0.5, 1.2], hours)
    cf = pd.DataFrame({("pv", "north"): cf_values, ("pv", "south"): cf_values / 2}, index=time)
    demand = pd.DataFrame({"north": np.full(hours, 1000.0), "south": np.full(hours, 500.0)}, index=time)
    return Snapshots(time=time, weight_h=np.full(hours, 8760.0 / hours), duration_h=np.ones(hours),
                     block=np.zeros(hours, int), cf=cf, demand=demand)


@pytest.fixture
def tiny(tmp_path):
    write_inputs(tmp_path / "inputs")
    return tmp_path


def _assemble(folder: Path, scenario_text: str):
    sc = load_scenario(write_scenario(folder, scenario_text))
    return assemble_model_data(sc, load_tables(sc.inputs_dir), snapshots())


def crf(r: float, n: float) -> float:
    return r * (1 + r) ** n / ((1 + r) ** n - 1)  # the same annuity, written the other way round


def test_generator_costs_and_limits(tiny):
    data = _assemble(tiny, "year: 2040\ntechnologies: {potential_factor: {pv: 0.5}, capex_factor: {pv: 1.2}}\n")
    g = data.generators.set_index(["technology", "region"])
    # capex interpolated to 2040 between 1.0e9 (2030) and 0.5e9 (2050) = 0.75e9, x 1.2, annuity at 5 % over 25 yr
    assert g.loc[("pv", "north"), "capex_annual_krw_per_mw"] == pytest.approx(0.75e9 * 1.2 * crf(0.05, 25), rel=1e-12)
    # potential x factor − existing in service in 2040: north's 60 MW vintage of 2010 retired in 2035 (existing 40),
    # 1000 x 0.5 − 40 = 460; south's 2015 vintage serves to 2055: 500 x 0.5 − 50 = 200
    assert g.loc[("pv", "north"), "existing_mw"] == pytest.approx(40.0)
    assert g.loc[("pv", "north"), "max_new_mw"] == pytest.approx(460.0)
    assert g.loc[("pv", "south"), "max_new_mw"] == pytest.approx(200.0)
    # non-renewable supply: no potential = no expansion; marginal cost = fuel price 100,000 KRW/MWh
    assert g.loc[("grid", "north"), "max_new_mw"] == 0.0
    assert g.loc[("grid", "north"), "vom_krw_per_mwh"] == pytest.approx(100_000.0)
    assert g.loc[("grid", "north"), "emission_t_per_mwh"] == pytest.approx(0.5)
    assert not g.loc[("grid", "north"), "renewable"]
    assert data.carbon_price_krw_per_t == 20_000.0 and data.value_of_lost_load_krw_per_mwh == 1e7


def test_scenario_prices_override_the_tables(tiny):
    data = _assemble(tiny, "prices: {nonrenewable_price_krw_per_mwh: 90000, carbon_price_krw_per_t: 5000, discount_rate: 0.0}\n")
    g = data.generators.set_index(["technology", "region"])
    assert g.loc[("grid", "north"), "vom_krw_per_mwh"] == pytest.approx(90_000.0)
    assert data.carbon_price_krw_per_t == 5000.0
    # rate 0: the annuity is capex / lifetime; cost year 2050 = 0.5e9
    assert g.loc[("pv", "south"), "capex_annual_krw_per_mw"] == pytest.approx(0.5e9 / 25)


def test_capacity_factor_floor_and_clip(tiny):
    data = _assemble(tiny, "")
    pv_north = data.availability[list(data.generators["technology"]).index("pv")]
    np.testing.assert_allclose(pv_north, [0.0, 0.0, 0.5, 1.0])  # 1e-5 below the 1e-4 floor; 1.2 clipped to 1
    grid = data.availability[list(data.generators["technology"]).index("grid")]
    np.testing.assert_allclose(grid, 1.0)


def test_storage_and_link_rows(tiny):
    data = _assemble(tiny, "")
    s = data.storage.iloc[0]
    assert (s.technology, s.region) == ("battery", "south")
    assert s.max_new_mw == 300.0 and math.isinf(s.max_new_mwh)  # no energy potential: free while power may expand
    assert s.capex_annual_krw_per_mw == pytest.approx(2e8 * crf(0.05, 15), rel=1e-12)
    assert s.capex_annual_krw_per_mwh == pytest.approx(1e8 * crf(0.05, 15), rel=1e-12)
    assert (s.efficiency_charge, s.efficiency_discharge) == (0.9, 0.95)
    links = data.links.set_index("link")
    # (1,000,000 KRW/MW/km x 200 km + 100,000,000 KRW/MW terminals) = 3e8 KRW/MW, annuity over 40 yr, fom 1 %
    cap = links.loc["south_capital"]
    assert cap.capex_annual_krw_per_mw == pytest.approx(3e8 * crf(0.05, 40), rel=1e-12)
    assert cap.fom_krw_per_mw == pytest.approx(3e6)
    assert cap.max_new_mw == 3000.0 and not cap.bidirectional
    assert links.loc["north_south", "capex_annual_krw_per_mw"] == pytest.approx(2e8 * crf(0.05, 40), rel=1e-12)


def test_link_levers(tiny):
    data = _assemble(tiny, "links: {max_new_mw: {south_capital: 8000}, no_expansion: [north_south], "
                           "capex_factor: {south_capital: 2.0}}\n")
    links = data.links.set_index("link")
    assert links.loc["south_capital", "max_new_mw"] == 8000.0
    assert links.loc["north_south", "max_new_mw"] == 0.0
    assert links.loc["south_capital", "capex_annual_krw_per_mw"] == pytest.approx(6e8 * crf(0.05, 40), rel=1e-12)


def test_targets_and_demand(tiny):
    data = _assemble(tiny, "targets: {renewable_share: 1.5, export_share: 0.5, allow_shortfall: false}\n")
    assert data.targets.renewable_share == 1.5 and data.targets.export_share == 0.5
    assert data.targets.renewable_slack_krw_per_mwh is None  # no priced shortfall
    assert list(data.demand_mw.columns) == ["north", "south", "capital"]
    np.testing.assert_allclose(data.demand_mw["capital"], 0.0)
    np.testing.assert_allclose(data.demand_mw["north"], 1000.0)


def test_missing_profile_is_one_line(tiny):
    sc = load_scenario(write_scenario(tiny, ""))
    snap = snapshots()
    snap.cf = snap.cf.drop(columns=[("pv", "south")])
    with pytest.raises(InputError, match=r"profile_sites.csv.*no capacity-factor profile for \(pv, south\)"):
        assemble_model_data(sc, load_tables(sc.inputs_dir), snap)


def test_re100_loads_add_to_demand(tiny):
    text = ("re100_loads:\n  - {name: dc, region: south, mw: 100, matching: hourly,"
            " daily_profile: [1,1,1,1,1,1,1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3]}\n"
            "time: {mode: representative, typical_days: 4, segments: null}\n")
    data = _assemble(tiny, text)
    # profile mean 2 -> factors 0.5 (00-11 h) and 1.5 (12-23 h); the snapshots are 00-03 h: 100 x 0.5 = 50 MW
    np.testing.assert_allclose(data.re100_load_mw[0], 50.0)
    np.testing.assert_allclose(data.demand_mw["south"], 550.0)
    assert list(data.re100_loads["matching"]) == ["hourly"]


PATHWAY = """
year: 2050
pathway:
  periods: [2030, 2040]
  base_year: 2025
  final_period_years: 10
  demand_growth: {2021: 1.0, 2040: 1.5}
  targets: {2040: {renewable_share: 1.0}}
  build_rate_factor: {pv: 2.0}
"""


def test_pathway_periods(tiny):
    data = _assemble(tiny, PATHWAY)
    assert data.n_periods == 2 and data.n_time == 8
    assert list(data.pathway.years) == [2030, 2040]
    # demand: growth interpolated 2021 -> 2040 (1.0 -> 1.5): 2030 = 1 + 0.5 x 9/19
    np.testing.assert_allclose(data.demand_mw["north"].to_numpy()[:4], 1000.0 * (1 + 0.5 * 9 / 19))
    np.testing.assert_allclose(data.demand_mw["north"].to_numpy()[4:], 1500.0)
    # capex per period: 2030 1.0e9, 2040 0.75e9
    gi = list(zip(data.generators["technology"], data.generators["region"])).index(("pv", "north"))
    np.testing.assert_allclose(data.column("generators", "capex_annual_krw_per_mw")[gi],
                               [1e9 * crf(0.05, 25), 0.75e9 * crf(0.05, 25)], rtol=1e-12)
    # existing north PV: 60 MW retire in 2035 -> 100 MW in 2030, 40 MW in 2040; new in service <= 1000 − existing
    np.testing.assert_allclose(data.column("generators", "existing_mw")[gi], [100.0, 40.0])
    np.testing.assert_allclose(data.column("generators", "max_new_mw")[gi], [900.0, 960.0])
    # the HVDC link: at most 1,000 MW new in service from 2030 (availability schedule; its last value holds)
    li = list(data.links["link"]).index("south_capital")
    np.testing.assert_allclose(data.column("links", "max_new_mw")[li], [1000.0, 1000.0])
    # build rate 100 MW/yr x factor 2
    lim = data.build_rate_limits
    assert list(lim["technologies"]) == ["pv"] and lim["max_mw_per_yr"].iloc[0] == pytest.approx(200.0)
    # targets: none in 2030, RE100 in 2040
    shares = data.targets.shares("renewable", 2)
    assert np.isnan(shares[0]) and shares[1] == 1.0


def test_pathway_without_build_rate_factor(tiny):
    data = _assemble(tiny, PATHWAY.replace("build_rate_factor: {pv: 2.0}", "build_rate_factor: {battery: 3.0}"))
    assert data.build_rate_limits["max_mw_per_yr"].iloc[0] == pytest.approx(100.0)  # no factor for pv: x 1


def test_crf_matches_the_closed_form():
    assert capital_recovery_factor(0.05, 25) == pytest.approx(crf(0.05, 25), rel=1e-14)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)
    with pytest.raises(ValueError):
        capital_recovery_factor(0.05, 0)


def test_export_headroom_value_and_adequacy(tiny):
    """The capital region takes at most demand − must-run − its own solar; what it takes is worth the displaced fuel
    plus carbon; the adequacy rule gets the full-year Honam peak and the reserve margin."""
    inputs = tiny / "inputs"
    _write(inputs / "export_regions.csv", "region,parameter,value,unit,source,status", [
        f"capital,must_run,100,MW,{SRC},estimate", f"capital,solar_capacity,50,MW,{SRC},estimate",
        f"capital,displaced_emission_factor,0.4,tCO2/MWh,{SRC},estimate"])
    with open(inputs / "constants.csv", "a", encoding="utf-8") as f:
        f.write(f"reserve_margin,0.2,fraction,{SRC},estimate\nadequacy_storage_hours,4,h,{SRC},estimate\n")
    sc = load_scenario(write_scenario(tiny, "", deliverability=True))
    snap = snapshots()
    snap.demand["capital"] = [500.0, 500.0, 500.0, 100.0]
    snap.cf[("pv", "capital")] = [0.0, 0.2, 0.5, 1.0]
    snap.info["honam_peak_mw"] = 1600.0
    data = assemble_model_data(sc, load_tables(sc.inputs_dir), snap)
    # 500 − 100 − 50 x (0, 0.2, 0.5, 1.0) = 400, 390, 375; the last hour 100 − 100 − 50 < 0 -> 0
    np.testing.assert_allclose(data.export_headroom_mw["capital"], [400.0, 390.0, 375.0, 0.0])
    # fuel 120,000 KRW/MWh (nonrenewable_price) + carbon 20,000 KRW/t x 0.4 t/MWh = 128,000 KRW/MWh
    assert data.export_value_krw_per_mwh == {"capital": pytest.approx(128_000.0)}
    assert data.adequacy.reserve_margin == 0.2 and data.adequacy.storage_hours == 4.0
    np.testing.assert_allclose(data.adequacy.peak_demand_mw, [1600.0])
    assert data.targets.renewable_only_exports and data.targets.sales_count_as_export
    # the capital's demand bounds what it takes; it is not served by the LP
    np.testing.assert_allclose(data.demand_mw["capital"], 0.0)


def test_limited_absorption_needs_the_must_run_row(tiny):
    sc = load_scenario(write_scenario(tiny, "adequacy: {enabled: false}\n", deliverability=True))
    snap = snapshots()
    snap.demand["capital"] = 500.0
    with pytest.raises(InputError, match="export_regions.csv.*export region capital has no must_run row"):
        assemble_model_data(sc, load_tables(sc.inputs_dir), snap)


def test_unlimited_absorption_is_a_scenario_lever(tiny):
    data = _assemble(tiny, "")  # write_scenario's default: exports: {absorption: unlimited}
    assert data.export_headroom_mw is None and data.adequacy is None


def test_bound_statuses_name_their_source(tiny):
    data = _assemble(tiny, "technologies: {potential_factor: {pv: 0.5}}\nlinks: {max_new_mw: {south_capital: 8000}}\n")
    g = data.generators.set_index(["technology", "region"])
    assert g.loc[("pv", "north"), "max_new_status"] == "scenario lever: technologies.potential_factor.pv"
    assert g.loc[("grid", "north"), "max_new_status"] == "none"
    links = data.links.set_index("link")
    assert links.loc["south_capital", "max_new_status"] == "scenario lever: links.max_new_mw.south_capital"
    assert links.loc["north_south", "max_new_status"] == "estimate" and links.loc["north_south", "existing_status"] == "estimate"
