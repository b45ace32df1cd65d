"""Names a scenario uses (technologies, links, regions) checked against the input tables."""
from __future__ import annotations

from re300.config.messages import did_you_mean, format_key
from re300.config.schema import Scenario
from re300.errors import ConfigError
from re300.paths import display_path

__all__ = ["validate_names"]


def validate_names(scenario: Scenario, regions: set[str], technologies: set[str], links: set[str],
                   honam_regions: set[str] | None = None, drivers: set[str] | None = None) -> None:
    """Check that names used in the scenario exist in the input tables (drivers: those of inputs/ranges.csv, for
    `input_cases`; None = not checked). Raises ConfigError."""
    checks: list[tuple[tuple, list[str], set[str], str]] = [
        (("technologies", "exclude"), scenario.technologies.exclude, technologies, "technology"),
        (("technologies", "no_expansion"), scenario.technologies.no_expansion, technologies, "technology"),
        (("technologies", "capex_factor"), list(scenario.technologies.capex_factor), technologies, "technology"),
        (("technologies", "potential_factor"), list(scenario.technologies.potential_factor), technologies, "technology"),
        (("links", "no_expansion"), scenario.links.no_expansion, links, "link"),
        (("links", "max_new_mw"), list(scenario.links.max_new_mw), links, "link"),
        (("links", "capex_factor"), list(scenario.links.capex_factor), links, "link"),
        (("demand", "region_factors"), list(scenario.demand.region_factors), regions, "region"),
        (("time", "storage_within_day"), scenario.time.storage_within_day, technologies, "technology"),
    ]
    if scenario.pathway is not None:
        checks.append((("pathway", "build_rate_factor"), list(scenario.pathway.build_rate_factor), technologies, "technology"))
    if drivers is not None:
        checks.append((("input_cases",), list(scenario.input_cases), drivers, "input driver (inputs/ranges.csv)"))
    for loc, names, known, what in checks:
        is_list = loc[-1] in ("exclude", "no_expansion", "storage_within_day")
        for i, name in enumerate(names):
            if name in known:
                continue
            key_loc = loc + ((i,) if is_list else (name,))
            file = scenario.origin(*key_loc) or scenario.source_file or "<scenario>"
            raise ConfigError(
                display_path(file), format_key(key_loc),
                f"unknown {what} '{name}'{did_you_mean(name, known)} (known: {', '.join(sorted(known))})",
            )
    for name in scenario.committed:
        tech, _, region = name.partition("|")
        if name in links or (tech in technologies and region in regions):
            continue
        file = scenario.origin("committed", name) or scenario.source_file or "<scenario>"
        assets = links | {f"{t}|{r}" for t in technologies for r in regions}
        raise ConfigError(display_path(file), format_key(("committed", name)),
                          f"unknown asset '{name}'{did_you_mean(name, assets)}; expected 'technology|region' or a link "
                          f"({', '.join(sorted(links))})")
    known = honam_regions if honam_regions is not None else regions
    for i, load in enumerate(scenario.re100_loads):
        if load.region not in known:
            key_loc = ("re100_loads", i, "region")
            file = scenario.origin(*key_loc) or scenario.source_file or "<scenario>"
            raise ConfigError(
                display_path(file), format_key(key_loc),
                f"unknown Honam region '{load.region}'{did_you_mean(load.region, set(known))} "
                f"(RE100 loads sit in a Honam region: {', '.join(sorted(known))})",
            )
