"""Scenario files: shipped models load; extends merging; one-line errors naming file, key, value, expectation."""
from __future__ import annotations

import json

import numpy as np
import pytest

from re300.config import HOURS_PER_YEAR, Scenario, load_scenario, validate_names
from re300.errors import ConfigError, Re300Error

SHIPPED = ["base", "re300_2050", "re100_2034", "no_hvdc", "quick"]


def _error(path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert "\n" not in msg, msg
    assert "pydantic" not in msg.lower() and "validation error" not in msg.lower(), msg
    return info.value


# ---------------------------------------------------------------- shipped files


@pytest.mark.parametrize("stem", SHIPPED)
def test_shipped_models_load(models_dir, stem):
    sc = load_scenario(models_dir / f"{stem}.yaml")
    assert isinstance(sc, Scenario)
    assert sc.name == stem
    assert sc.inputs_dir.is_absolute() and sc.inputs_dir == (models_dir.parent / "inputs").resolve()
    assert sc.output_dir == (models_dir.parent / "outputs").resolve()
    assert sc.run_dir == sc.output_dir / stem
    assert sc.cost_year == sc.year
    assert sc.time.hour_weights().sum() == pytest.approx(HOURS_PER_YEAR)
    json.dumps(sc.resolved_dict())  # plain JSON-able


def test_flagship_settings(models_dir):
    sc = load_scenario(models_dir / "re300_2050.yaml")
    assert sc.year == 2050
    assert sc.demand.growth_factor == 1.0
    assert (sc.targets.renewable_share, sc.targets.export_share) == (3.0, 2.0)
    assert sc.time.mode == "representative" and sc.time.typical_days == 24 and sc.time.segments == 12 and sc.time.extremes
    assert sc.solver.method == "ipm" and sc.solver.crossover is True
    assert sc.source_files == [models_dir / "re300_2050.yaml", models_dir / "base.yaml"]


def test_variants(models_dir):
    re100 = load_scenario(models_dir / "re100_2034.yaml")
    assert (re100.year, re100.cost_year, re100.demand.growth_factor) == (2034, 2034, 1.1)
    assert re100.targets.renewable_share == 1.0 and re100.targets.export_share is None

    no_hvdc = load_scenario(models_dir / "no_hvdc.yaml")
    assert no_hvdc.links.no_expansion == ["jeonnam_capital", "jeonbuk_capital"]
    assert no_hvdc.demand.growth_factor == 1.0  # inherited from re300_2050

    growth = load_scenario(models_dir / "re300_2050_growth.yaml")
    assert growth.demand.growth_factor == 1.25 and growth.targets.renewable_share == 3.0

    quick = load_scenario(models_dir / "quick.yaml")
    assert quick.time.weeks == [2, 28] and quick.time.weights is None
    assert quick.time.week_weights() == pytest.approx([HOURS_PER_YEAR / 336] * 2)
    assert quick.time.n_hours == 336


def _table_names(inputs_dir) -> dict[str, set[str]]:
    """The names the shipped input tables define, as re300.run hands them to validate_names."""
    import pandas as pd

    regions = pd.read_csv(inputs_dir / "regions.csv")
    return {"regions": set(regions["region"]), "technologies": set(pd.read_csv(inputs_dir / "technologies.csv")["technology"]),
            "links": set(pd.read_csv(inputs_dir / "links.csv")["link"]),
            "honam_regions": set(regions.loc[regions["kind"] == "honam", "region"])}


def _names_used(sc: Scenario) -> list[tuple[str, str, str]]:
    """(kind of name, name, argument of validate_names that must know it) for every name a scenario uses."""
    techs = [*sc.technologies.exclude, *sc.technologies.no_expansion, *sc.technologies.capex_factor,
             *sc.technologies.potential_factor, *sc.time.storage_within_day,
             *(sc.pathway.build_rate_factor if sc.pathway is not None else [])]
    return ([("technology", t, "technologies") for t in techs]
            + [("link", n, "links") for n in [*sc.links.no_expansion, *sc.links.max_new_mw, *sc.links.capex_factor]]
            + [("region", r, "regions") for r in sc.demand.region_factors]
            + [("Honam region", load.region, "honam_regions") for load in sc.re100_loads])


def test_shipped_names_are_known(models_dir, inputs_dir):
    """Every name a shipped scenario uses is in the shipped input tables; taking it out of the tables is reported."""
    known = _table_names(inputs_dir)
    assert {"battery", "pumped_hydro", "hydrogen"} <= known["technologies"]
    used = []
    for path in sorted(models_dir.glob("*.yaml")):
        sc = load_scenario(path)
        validate_names(sc, **known)  # raises ConfigError on an unknown name
        for what, name, arg in _names_used(sc):
            assert name in known[arg], (path.name, what, name)
            with pytest.raises(ConfigError, match=f"unknown {what} '{name}'"):
                validate_names(sc, **{**known, arg: known[arg] - {name}})
            used.append((path.stem, name))
    # no_hvdc's corridors, the pathway's build-rate factor and the RE100 loads' regions at least
    assert {("no_hvdc", "jeonnam_capital"), ("pathway", "utility_pv"), ("hourly_re100", "jeonbuk")} <= set(used)


# ---------------------------------------------------------------- extends


def test_extends_deep_merge(write_yaml, tmp_path):
    write_yaml("base.yaml", """
        year: 2040
        description: base
        demand: {base_year: 2020, growth_factor: 1.5, region_factors: {gwangju: 1.2, jeonnam: 0.9}}
        technologies: {exclude: [battery], capex_factor: {utility_pv: 0.8}}
        time: {mode: weeks, weeks: [1, 2, 3]}
        solver: {options: {presolve: "on"}}
    """)
    write_yaml("mid.yaml", """
        extends: base.yaml
        name: mid
        demand: {region_factors: {jeonnam: 1.1}}
        technologies: {exclude: [pumped_hydro]}
    """)
    child = write_yaml("sub/child.yaml", """
        extends: ../mid.yaml
        demand: {growth_factor: 2.0}
        time: {weeks: [5]}
        solver: {options: {threads: 2}}
    """)
    sc = load_scenario(child)
    # worked by hand: dicts merge key by key at every depth, lists and scalars are replaced
    assert sc.name == "child"  # never inherited
    assert sc.description == "base"
    assert sc.year == 2040 and sc.cost_year == 2040
    assert sc.demand.base_year == 2020
    assert sc.demand.growth_factor == 2.0
    assert sc.demand.region_factors == {"gwangju": 1.2, "jeonnam": 1.1}
    assert sc.technologies.exclude == ["pumped_hydro"]
    assert sc.technologies.capex_factor == {"utility_pv": 0.8}
    assert sc.time.mode == "weeks" and sc.time.weeks == [5]
    assert sc.solver.options == {"presolve": "on", "threads": 2}
    assert sc.source_files == [child.resolve(), (tmp_path / "mid.yaml").resolve(), (tmp_path / "base.yaml").resolve()]
    assert sc.origin("demand", "growth_factor") == child.resolve()
    assert sc.origin("demand", "region_factors", "gwangju") == (tmp_path / "base.yaml").resolve()
    # defaults for paths are relative to the requested file
    assert sc.inputs_dir == (tmp_path / "inputs").resolve()


def test_paths_relative_to_defining_file(write_yaml, tmp_path):
    write_yaml("a/base.yaml", "inputs_dir: data\noutput_dir: /tmp/re300-out\n")
    child = write_yaml("b/child.yaml", "extends: ../a/base.yaml\n")
    sc = load_scenario(child)
    assert sc.inputs_dir == (tmp_path / "a" / "data").resolve()
    assert str(sc.output_dir) == "/tmp/re300-out"
    assert sc.resolved_dict()["inputs_dir"] == str((tmp_path / "a" / "data").resolve())


def test_missing_extends_target_names_both_files(write_yaml):
    child = write_yaml("child.yaml", "extends: nowhere.yaml\n")
    err = _error(child)
    assert "child.yaml" in str(err) and "nowhere.yaml" in str(err)
    assert err.key == "extends"


def test_extends_cycle(write_yaml):
    a = write_yaml("a.yaml", "extends: b.yaml\n")
    write_yaml("b.yaml", "extends: c.yaml\n")
    write_yaml("c.yaml", "extends: a.yaml\n")
    err = _error(a)
    assert "cycle" in str(err)
    assert "a.yaml -> b.yaml -> c.yaml -> a.yaml" in str(err)


def test_extends_self(write_yaml):
    assert "cycle" in str(_error(write_yaml("a.yaml", "extends: a.yaml\n")))


# ---------------------------------------------------------------- errors


def test_unknown_key_suggests(write_yaml):
    p = write_yaml("bad_key.yaml", "time:\n  mode: weeks\n  wekes: [1, 2]\n")
    err = _error(p)
    msg = str(err)
    assert "bad_key.yaml" in msg
    assert "time.wekes" in msg
    assert "did you mean 'weeks'?" in msg
    assert err.key == "time.wekes"


def test_unknown_top_level_key_suggests(write_yaml):
    msg = str(_error(write_yaml("top.yaml", "yaer: 2050\n")))
    assert "top.yaml: yaer:" in msg and "did you mean 'year'?" in msg


def test_unknown_key_reported_in_file_that_has_it(write_yaml):
    write_yaml("parent.yaml", "solver: {metod: ipm}\n")
    child = write_yaml("child.yaml", "extends: parent.yaml\nyear: 2045\n")
    msg = str(_error(child))
    assert "parent.yaml: solver.metod" in msg and "did you mean 'method'?" in msg


def test_wrong_type(write_yaml):
    err = _error(write_yaml("t.yaml", 'year: "abc"\n'))
    msg = str(err)
    assert "t.yaml" in msg and err.key == "year" and "'abc'" in msg and "whole number" in msg


def test_negative_growth(write_yaml):
    err = _error(write_yaml("g.yaml", "demand: {growth_factor: -0.5}\n"))
    assert err.key == "demand.growth_factor"
    assert "-0.5" in str(err) and "> 0" in str(err)


def test_week_index_out_of_range(write_yaml):
    err = _error(write_yaml("w.yaml", "time: {weeks: [2, 60]}\n"))
    assert err.key == "time.weeks"
    assert "60" in str(err) and "0..51" in str(err)


def test_weights_not_summing(write_yaml):
    err = _error(write_yaml("s.yaml", "time: {weeks: [1, 2], weights: [10, 10]}\n"))
    assert err.key == "time.weights"
    assert "8760" in str(err)


def test_weights_wrong_length(write_yaml):
    err = _error(write_yaml("s.yaml", "time: {weeks: [1, 2], weights: [52.142857142857146]}\n"))
    assert err.key == "time.weights" and "one weight per week" in str(err)


def test_weights_summing_ok(write_yaml):
    sc = load_scenario(write_yaml("ok.yaml", "time: {weeks: [0, 26], weights: [20, 32.142857142857146]}\n"))
    w = sc.time.hour_weights()
    assert w.shape == (336,) and w.sum() == pytest.approx(8760)
    assert np.array_equal(sc.time.hours_of_year()[168:170], [26 * 168, 26 * 168 + 1])
    assert list(np.unique(sc.time.blocks())) == [0, 1]


def test_full_mode(write_yaml):
    sc = load_scenario(write_yaml("full.yaml", "time: {mode: full}\n"))
    assert sc.time.n_hours == 8760 and sc.time.hour_weights().sum() == 8760


def test_other_invalid_values(write_yaml):
    cases = {
        "solver: {method: barrier}\n": ("solver.method", "barrier"),
        "targets: {renewable_share: -1}\n": ("targets.renewable_share", "-1"),
        "technologies: {capex_factor: {utility_pv: 0}}\n": ("technologies.capex_factor.utility_pv", "> 0"),
        "solver: {options: {presolve: [1, 2]}}\n": ("solver.options", "presolve"),
        "time: {weeks: [3, 3]}\n": ("time.weeks", "repeated"),
        "time: 5\n": ("time", "mapping"),
        "name: 'a b'\n": ("name", "folder"),
        "extends: 5\n": ("extends", "scenario file"),
    }
    for i, (text, (key, fragment)) in enumerate(cases.items()):
        err = _error(write_yaml(f"case{i}.yaml", text))
        assert err.key == key, (text, str(err))
        assert fragment in str(err), (text, str(err))
        assert f"case{i}.yaml" in str(err)


def test_yaml_syntax_error_names_line(write_yaml):
    p = write_yaml("syntax.yaml", "year: 2050\ndemand:\n  growth_factor: [1.0\n")
    msg = str(_error(p))
    assert "syntax.yaml" in msg and "line" in msg


def test_duplicate_key(write_yaml):
    msg = str(_error(write_yaml("dup.yaml", "year: 2050\nyear: 2040\n")))
    assert "duplicate key 'year'" in msg and "line 2" in msg


def test_missing_file(tmp_path):
    err = _error(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(err) and "not found" in str(err)
    assert isinstance(err, Re300Error)


def test_not_a_mapping(write_yaml):
    assert "mapping" in str(_error(write_yaml("list.yaml", "- 1\n- 2\n")))


def test_empty_file_gives_defaults(write_yaml):
    sc = load_scenario(write_yaml("empty.yaml", ""))
    assert sc.name == "empty" and sc.year == 2050 and sc.time.weeks == [2, 11, 20, 28, 37, 46]


def test_scenario_is_frozen(models_dir):
    sc = load_scenario(models_dir / "quick.yaml")
    with pytest.raises(Exception):
        sc.year = 2000


# ---------------------------------------------------------------- validate_names


def test_validate_names(write_yaml):
    regions, techs, links = {"gwangju", "jeonnam"}, {"utility_pv", "battery"}, {"jeonnam_capital"}
    p = write_yaml("names.yaml", "technologies: {no_expansion: [battery, utlity_pv]}\n")
    with pytest.raises(ConfigError) as info:
        validate_names(load_scenario(p), regions, techs, links)
    msg = str(info.value)
    assert "names.yaml" in msg and "technologies.no_expansion[1]" in msg
    assert "'utlity_pv'" in msg and "did you mean 'utility_pv'?" in msg

    p = write_yaml("names2.yaml", "links: {max_new_mw: {jeonam_capital: 100}}\ndemand: {region_factors: {jeonnam: 1.1}}\n")
    with pytest.raises(ConfigError, match=r"links\.max_new_mw\.jeonam_capital.*did you mean 'jeonnam_capital'"):
        validate_names(load_scenario(p), regions, techs, links)

    p = write_yaml("names3.yaml", "demand: {region_factors: {seoul: 1.1}}\n")
    with pytest.raises(ConfigError, match=r"demand\.region_factors\.seoul: unknown region 'seoul'"):
        validate_names(load_scenario(p), regions, techs, links)


def test_hourly_re100_matching_refuses_merged_hours(write_yaml, models_dir):
    # typical days with segments merge hours, so "matched every hour" would silently become "matched per segment"
    err = _error(write_yaml("h.yaml", f"extends: {models_dir / 'hourly_re100.yaml'}\nname: h\ntime: {{segments: 12}}\n"))
    assert "h.yaml" in str(err) and "segments = 12" in str(err) and "segments: null" in str(err)
    assert "saemangeum_re100_complex" in str(err)
    # the shipped hourly scenario keeps hourly snapshots; annual matching may use segments
    assert load_scenario(models_dir / "hourly_re100.yaml").time.segments is None
    annual = write_yaml("a.yaml", f"extends: {models_dir / 're300_2050.yaml'}\nname: a\n"
                                  "re100_loads: [{name: x, region: jeonnam, mw: 10, matching: annual, source: test}]\n")
    assert load_scenario(annual).time.segments == 12


def test_old_time_keys_are_read_under_their_new_names(write_yaml, models_dir):
    """`time.periods` and `time.intra_period_storage` (before 2026-12) mean `typical_days` and `storage_within_day`; a
    file may use the old name even where its parent uses the new one, but not both in one file."""
    from re300.config import load_scenario
    from re300.errors import ConfigError

    path = write_yaml("old.yaml", f"extends: {models_dir / 're300_2050.yaml'}\ntime:\n  periods: 8\n"
                                  "  intra_period_storage: [battery]\n")
    sc = load_scenario(path)
    assert sc.time.typical_days == 8 and sc.time.storage_within_day == ["battery"]
    both = write_yaml("both.yaml", f"extends: {models_dir / 're300_2050.yaml'}\ntime:\n  periods: 8\n  typical_days: 9\n")
    with pytest.raises(ConfigError) as e:
        load_scenario(both)
    assert str(e.value).endswith("time.periods: given together with time.typical_days; expected time.typical_days only "
                                 "(periods is its old name)")
