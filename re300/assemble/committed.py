"""Committed projects and the existing capacity still in service in a single planning year.

- `committed_builds`: the scenario's `committed` section → ModelData.committed_builds, the least new capacity of
  each asset (a single year: built; a pathway: in service from each year given), checked against what the asset may
  build so that a plan that cannot fit stops here with one line instead of an infeasible LP.
- `capacities_in_service`: capacities.csv with the existing capacity of renewables and storage cut to the vintages
  of existing_vintages.csv still in service in the planning year (single-year runs; the pathway does this per
  period). What has retired is replaced at cost within the same potential.

Units: MW (storage power, links, generators).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from re300.errors import ConfigError
from re300.model.data import ModelData
from re300.model.names import GENERATORS, LINKS, STORAGE_POWER
from re300.paths import display_path

# frame of ModelData -> (capacity kind, how its assets are named in the scenario)
COMMITTED_FRAMES = ((GENERATORS, "generators"), (STORAGE_POWER, "storage"), (LINKS, "links"))


def _labels(data: ModelData, frame: str) -> list[str]:
    df = getattr(data, frame)
    if frame == "links":
        return [str(x) for x in df["link"]]
    return [f"{t}|{r}" for t, r in zip(df["technology"], df["region"])]


def _schedule(value, years) -> np.ndarray:
    """MW in service in each period: a number (single year) or {year: MW}, the latest year <= the period's."""
    if not isinstance(value, dict):
        return np.full(len(years), float(value))
    out = np.zeros(len(years))
    for p, y in enumerate(years):
        past = [k for k in sorted(value) if y is None or k <= y]
        out[p] = float(value[past[-1]]) if past else 0.0
    return out


def committed_builds(sc, data: ModelData) -> dict | None:
    """ModelData.committed_builds from `sc.committed` ({'technology|region' or link: MW or {year: MW}}), or None.

    Raises ConfigError when an asset is not in the run (absent from capacities.csv in that region, or excluded) or
    its commitment exceeds the new capacity it may have (potential − existing, and the availability schedule)."""
    if not sc.committed:
        return None
    years = data.period_years
    where = display_path(sc.origin("committed") or sc.source_file or "<scenario>")
    out: dict[str, np.ndarray] = {}
    found: set[str] = set()
    for kind, frame in COMMITTED_FRAMES:
        labels = _labels(data, frame)
        arr = np.zeros((len(labels), len(years)))
        limit = data.column(frame, kind.max_new)
        for i, label in enumerate(labels):
            if label not in sc.committed:
                continue
            found.add(label)
            arr[i] = _schedule(sc.committed[label], years)
            for p, y in enumerate(years):
                if arr[i, p] > limit[i, p] * (1 + 1e-9) + 1e-9:
                    when = "" if y is None else f" in {y}"
                    raise ConfigError(where, f"committed.{label}",
                                      f"{arr[i, p]:,.0f} MW committed{when} but at most {limit[i, p]:,.0f} MW of new "
                                      f"capacity is allowed there (potential - existing, and the availability schedule); "
                                      "expected a commitment within the potential")
        if arr.any():
            out[kind.family] = arr
    missing = sorted(set(sc.committed) - found)
    if missing:
        raise ConfigError(where, f"committed.{missing[0]}",
                          f"'{missing[0]}' is not an asset of this run (no capacities.csv row for it, or excluded); "
                          "expected a technology|region with a potential, or a link")
    return out or None


def capacities_in_service(tables, year: int) -> pd.DataFrame:
    """capacities.csv with `existing`, `existing_energy` and `existing_charge` of renewable technologies (storage
    included) that have vintage rows replaced by what is still in service in `year` (existing_vintages.csv:
    first_year <= year < retire_year). Potentials stay the total allowed, so retired capacity can be rebuilt at cost."""
    caps = tables.capacities().copy()
    vint = tables.existing_in_service(year)
    v = tables.raw["existing_vintages.csv"]
    renewable = tables.technologies["renewable"]
    for (region, tech, param), _ in v.groupby(["region", "technology", "parameter"], sort=False):
        if not bool(renewable.get(tech, False)) or (region, tech) not in caps.index:
            continue
        value = vint[param].get((region, tech), 0.0) if param in vint.columns else 0.0
        caps.loc[(region, tech), param] = float(np.nan_to_num(value, nan=0.0))
    return caps
