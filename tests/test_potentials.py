"""The potentials of inputs/capacities.csv follow their own cited arithmetic (issue 15): each is recomputed here from
the cited inputs (land areas, land share, density, the approved pipeline, the county targets), not copied."""
from __future__ import annotations

import pytest

from re300.inputs.tables import load_tables

# cited inputs (honam-facts §5, §12; research notes E15, E16)
LAND_KM2 = {"jeonnam": 12_300, "jeonbuk": 8_070}  # honam-facts §12
LAND_SHARE = (0.01, 0.02)  # share of land for PV: assumption of honam-facts §12
DENSITY_MW_PER_KM2 = (70, 100)  # honam-facts §12
PIPELINE_JEONNAM_MW, SITES_JEONNAM, SITES_JEONBUK = 16_495, 23_754, 18_288  # pvtime.org (approved, unfinished)
UTILITY_SHARE = 0.8  # 80/20 utility/rooftop split (assumption, as for existing)
JEONNAM_OFFSHORE_TARGET_GW = {"Yeosu": 9, "Goheung": 4, "Yeonggwang": 5, "Haenam": 0.3, "Jindo": 2.3, "Wando": 1.2,
                              "Shinan": 8.2}  # kukinews 2025-07-01
JEONNAM_OFFSHORE_POTENTIAL_2019_GW = 12.4  # hankyung 2019
JEONNAM_WIND_POTENTIAL_2019_GW = 19  # j-europe (same 2019 estimate set)


@pytest.fixture(scope="module")
def tables(inputs_dir):
    return load_tables(inputs_dir)


@pytest.fixture(scope="module")
def cap(tables):
    return tables.capacities()


def pv_potential(region: str, share: float, density: float) -> float:
    """Land share x land area x density + the approved-but-unbuilt pipeline [MW]; Jeonbuk's pipeline in MW is its
    unfinished sites x Jeonnam's MW per unfinished site."""
    pipeline = PIPELINE_JEONNAM_MW if region == "jeonnam" else SITES_JEONBUK * PIPELINE_JEONNAM_MW / SITES_JEONNAM
    return share * LAND_KM2[region] * density + pipeline


def test_jeonnam_pv_range_is_25_to_41_gw():
    assert pv_potential("jeonnam", LAND_SHARE[0], DENSITY_MW_PER_KM2[0]) == pytest.approx(25_105)
    assert pv_potential("jeonnam", LAND_SHARE[1], DENSITY_MW_PER_KM2[1]) == pytest.approx(41_095)


@pytest.mark.parametrize("region", ["jeonnam", "jeonbuk"])
def test_pv_potentials_are_the_central_arithmetic(cap, region):
    central = pv_potential(region, sum(LAND_SHARE) / 2, sum(DENSITY_MW_PER_KM2) / 2)
    assert cap.loc[(region, "utility_pv"), "potential"] == pytest.approx(UTILITY_SHARE * central, rel=1e-5)
    assert cap.loc[(region, "rooftop_pv"), "potential"] == pytest.approx((1 - UTILITY_SHARE) * central, rel=1e-5)


def test_pv_ranges_are_the_arithmetic_ends(tables):
    r = tables.ranges
    for region in ("jeonnam", "jeonbuk"):
        lo = pv_potential(region, LAND_SHARE[0], DENSITY_MW_PER_KM2[0])
        hi = pv_potential(region, LAND_SHARE[1], DENSITY_MW_PER_KM2[1])
        for tech, share in (("utility_pv", UTILITY_SHARE), ("rooftop_pv", 1 - UTILITY_SHARE)):
            row = r[(r["driver"] == f"{region}_pv_potential") & (r["key"] == f"{region}|{tech}")].iloc[0]
            assert row["low"] == pytest.approx(share * lo, rel=1e-5)
            assert row["high"] == pytest.approx(share * hi, rel=1e-5)


def test_offshore_areas_add_up_to_the_jeonnam_target(cap):
    t = JEONNAM_OFFSHORE_TARGET_GW
    assert sum(t.values()) == pytest.approx(30.0)
    shinan = (t["Shinan"] + t["Jindo"] + t["Haenam"]) * 1000
    south = (t["Yeosu"] + t["Goheung"] + t["Wando"]) * 1000
    assert cap.loc[("jeonnam", "offshore_wind"), "potential"] == pytest.approx(shinan)
    assert cap.loc[("jeonnam", "offshore_wind_south"), "potential"] == pytest.approx(south)
    assert cap.loc[("jeonnam", "offshore_wind_yeonggwang"), "potential"] == pytest.approx(t["Yeonggwang"] * 1000)
    jeonnam = sum(cap.loc[("jeonnam", k), "potential"] for k in ("offshore_wind", "offshore_wind_south",
                                                                 "offshore_wind_yeonggwang"))
    assert jeonnam == pytest.approx(30_000)


def test_jeonnam_offshore_low_case_is_the_2019_potential(tables):
    """12.4 GW vs 30 GW are the two ends: the low case scales every Jeonnam area by 12.4/30."""
    low = tables.with_cases({"jeonnam_offshore_potential": "low"}).capacities()
    total = sum(low.loc[("jeonnam", k), "potential"] for k in ("offshore_wind", "offshore_wind_south",
                                                               "offshore_wind_yeonggwang"))
    assert total == pytest.approx(JEONNAM_OFFSHORE_POTENTIAL_2019_GW * 1000, rel=1e-4)
    high = tables.with_cases({"jeonnam_offshore_potential": "high"}).capacities()
    assert high.loc[("jeonnam", "offshore_wind_south"), "potential"] == pytest.approx(14_200)


def test_jeonnam_onshore_is_the_land_part_of_the_2019_set(cap):
    assert cap.loc[("jeonnam", "onshore_wind"), "potential"] == pytest.approx(
        (JEONNAM_WIND_POTENTIAL_2019_GW - JEONNAM_OFFSHORE_POTENTIAL_2019_GW) * 1000)


def test_jeonbuk_and_saemangeum(cap, tables):
    assert cap.loc[("jeonbuk", "onshore_wind"), "potential"] == 500  # estimate (no source for the old 4.3 GW)
    assert cap.loc[("jeonbuk", "floating_pv"), "potential"] == 2800  # firm plan; licence 2.1 GW is the low end
    r = tables.ranges.set_index("driver")
    assert r.loc["saemangeum_floating_pv", "low"] == 2100
    assert r.loc["saemangeum_floating_pv", "high"] == 12_000 - 4_000  # '>=12 GW' minus 4 GW offshore wind
    # Jeonbuk offshore: Southwest 2.46 GW (found) + Gunsan/Saemangeum, the midpoint of the public-led 1.6-2.0 GW
    assert cap.loc[("jeonbuk", "offshore_wind"), "potential"] == 2460
    assert cap.loc[("jeonbuk", "offshore_wind_gunsan"), "potential"] == pytest.approx((1600 + 2000) / 2)


def test_offshore_areas_share_the_offshore_costs(tables):
    for year in (2025, 2030, 2040, 2050):
        tp = tables.technology_parameters(year)
        for tech in ("offshore_wind_south", "offshore_wind_yeonggwang", "offshore_wind_gunsan"):
            assert tp.loc[tech].equals(tp.loc["offshore_wind"])


def test_offshore_areas_have_their_own_profile_sites(inputs_dir):
    import csv

    with open(inputs_dir / "profile_sites.csv", encoding="utf-8") as fh:
        sites = {(row["technology"], row["region"]): row["site"] for row in csv.DictReader(fh)}
    areas = [("offshore_wind", "jeonnam"), ("offshore_wind_south", "jeonnam"), ("offshore_wind_yeonggwang", "jeonnam"),
             ("offshore_wind", "jeonbuk"), ("offshore_wind_gunsan", "jeonbuk")]
    assert len({sites[a] for a in areas}) == len(areas)
