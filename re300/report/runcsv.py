"""A run's result CSVs (and its manifest), read and checked: the only results the memo uses.

`load_run(run_dir)` never opens `results.nc` and never calls the solver, so a memo always agrees with the CSVs an
analyst opens. Names (regions, technologies, coordinates) and assumptions come from the run's input tables, found
through the manifest (`scenario.inputs_dir`); `input_changes` lists input files whose sha256 differs from the one the
run recorded.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from re300 import paths
from re300.errors import Re300Error

COLUMNS = {
    "summary.csv": ["metric", "value", "unit"],
    "capacity.csv": ["region", "technology", "kind", "existing", "new", "total", "unit"],
    "energy.csv": ["region", "technology", "quantity", "value", "unit"],
    "costs.csv": ["asset_kind", "asset", "region", "component", "value", "unit"],
    "transmission.csv": ["link", "from_region", "to_region", "quantity", "value", "unit"],
    "prices.csv": ["time", "region", "value", "weight_h", "unit"],
    "hourly.csv": ["time", "region", "quantity", "value", "unit"],
    "calendar.csv": ["time", "snapshot", "weight_h"],
    "storage_level.csv": ["time", "region", "technology", "value", "unit"],
}
# pathway runs also write these (besides a leading `period` column in the tables above)
PATHWAY_COLUMNS = {
    "capacity_trajectory.csv": ["period", "region", "technology", "kind", "existing", "new", "built", "retired", "total",
                                "unit"],
}
PATHWAY_NUMERIC = {"capacity_trajectory.csv": ["existing", "new", "built", "retired", "total"]}
# written by `re300 solve` since the calendar view (issue 13): a run solved before needs solving again
CALENDAR_FILES = ("calendar.csv", "storage_level.csv")
NUMERIC = {
    "summary.csv": ["value"],
    "capacity.csv": ["existing", "new", "total"],
    "energy.csv": ["value"],
    "costs.csv": ["value"],
    "transmission.csv": ["value"],
    "prices.csv": ["value", "weight_h"],
    "hourly.csv": ["value"],
    "calendar.csv": ["weight_h"],
    "storage_level.csv": ["value"],
}
SUMMARY_METRICS = (
    "total_system_cost", "shortfall_penalty", "average_cost_per_mwh_delivered", "average_cost_per_mwh_demand", "honam_consumption", "renewable_ratio",
    "renewable_target_ratio", "renewable_available", "curtailment", "curtailment_share", "exports_delivered",
    "export_ratio", "nonrenewable_supply", "emissions", "unserved_energy", "renewable_shortfall", "export_shortfall",
    "renewable_target_shadow_price", "export_target_shadow_price", "average_price_honam",
)


class ResultsError(Re300Error):
    """A results folder is missing a file, a column or a metric, or holds a value that is not a number."""


def _strip_parenthetical(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name)


def _display_name(table: pd.DataFrame, key: str, lang: str) -> str:
    """name_ko (Korean) or name_en without its parenthetical (English) of a row of regions/technologies.csv."""
    if key not in table.index:
        return key
    if lang == "ko" and str(table.at[key, "name_ko"]).strip() not in ("", "nan"):
        return str(table.at[key, "name_ko"])
    return _strip_parenthetical(table.at[key, "name_en"])


@dataclass
class RunResults:
    """The CSV tables of one run (values exactly as written by `re300 solve`).

    A pathway run holds every investment period (`periods`; its CSVs start with a `period` column, summary metrics are
    the pathway-wide rows of period `all`); `for_period(year)` gives one period shaped like a single-year run."""

    run_dir: Path
    tables: dict[str, pd.DataFrame]
    manifest: dict
    summary_units: dict[str, str] = field(default_factory=dict)
    period: int | None = None  # set on the view of one period of a pathway

    # ---- identity -----------------------------------------------------------------------------------
    @property
    def scenario(self) -> str:
        return str(self.manifest.get("scenario", {}).get("name") or self.run_dir.name)

    @property
    def description(self) -> str:
        return str(self.manifest.get("scenario", {}).get("description") or "")

    @property
    def resolved(self) -> dict:
        return self.manifest.get("scenario", {})

    # ---- tables -------------------------------------------------------------------------------------
    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    # ---- pathways -----------------------------------------------------------------------------------
    @cached_property
    def periods(self) -> list[int]:
        """The investment periods of a pathway run (years, in order); [] for a single-year run or a period's view."""
        s = self.tables["summary.csv"]
        if self.period is not None or "period" not in s:
            return []
        return sorted({int(p) for p in s["period"].astype(str) if p != "all"})

    @property
    def is_pathway(self) -> bool:
        return bool(self.periods)

    def for_period(self, year: int) -> "RunResults":
        """One period of a pathway: every table's rows of that period without the `period` column (tables without
        one, e.g. capacity_trajectory.csv, are left out)."""
        if int(year) not in self.periods:
            raise ResultsError(f"{self.run_dir / 'summary.csv'}: no period {year} (periods "
                               f"{', '.join(map(str, self.periods)) or 'none: not a pathway run'})")
        tables = {}
        for name, frame in self.tables.items():
            if "period" not in frame:
                continue
            keep = frame["period"].astype(str) == str(int(year))
            tables[name] = frame[keep].drop(columns="period").reset_index(drop=True)
        s = tables["summary.csv"]
        view = RunResults(self.run_dir, tables, self.manifest, dict(zip(s["metric"], s["unit"])), period=int(year))
        view.__dict__["inputs"] = self.inputs  # the same input tables: read them once
        return view

    @cached_property
    def summary(self) -> dict[str, float]:
        """metric -> value (a pathway run: its pathway-wide rows, period `all`)."""
        s = self.tables["summary.csv"]
        if self.is_pathway:
            s = s[s["period"].astype(str) == "all"]
        return dict(zip(s["metric"], s["value"].astype(float)))

    def metric(self, name: str) -> float:
        if name not in self.summary:
            where = f" in period {self.period}" if self.period is not None else ""
            raise ResultsError(f"{self.run_dir / 'summary.csv'}: metric '{name}' not found{where} "
                               f"(expected a row with metric = {name}, as `re300 solve` writes)")
        return float(self.summary[name])

    @cached_property
    def weights(self) -> pd.Series:
        """Hours of the year each modelled snapshot stands for [h], index time (from prices.csv)."""
        p = self.tables["prices.csv"]
        w = p.groupby("time", sort=True)["weight_h"].first()
        return w.astype(float)

    @cached_property
    def calendar(self) -> pd.DataFrame:
        """calendar.csv: index the calendar hours of the year, columns `snapshot` (the hourly.csv time whose values the
        hour takes; NaT where not modelled, `not_modelled` in the file) and `weight_h` (hours of the year the calendar hour stands for)."""
        c = self.tables["calendar.csv"]
        return c.set_index("time")[["snapshot", "weight_h"]]

    @cached_property
    def storage_levels(self) -> pd.DataFrame:
        """storage_level.csv as a frame: index calendar hours, columns (technology, region) [MWh]."""
        s = self.tables["storage_level.csv"]
        if s.empty:
            return pd.DataFrame(index=self.calendar.index)
        wide = s.pivot_table(index="time", columns=["technology", "region"], values="value", aggfunc="first")
        return wide.reindex(self.calendar.index)

    @cached_property
    def hourly_wide(self) -> pd.DataFrame:
        """hourly.csv as a frame: index time, columns (region, quantity) [MW]."""
        h = self.tables["hourly.csv"]
        wide = h.pivot_table(index="time", columns=["region", "quantity"], values="value", aggfunc="first")
        return wide.sort_index().fillna(0.0)

    def link_value(self, link: str, quantity: str) -> float:
        t = self.tables["transmission.csv"]
        hit = t[(t["link"] == link) & (t["quantity"] == quantity)]
        if hit.empty:
            raise ResultsError(f"{self.run_dir / 'transmission.csv'}: no row for link '{link}', quantity '{quantity}'")
        return float(hit["value"].iat[0])

    # ---- names from the run's input tables ------------------------------------------------------------
    @cached_property
    def inputs_dir(self) -> Path:
        d = self.resolved.get("inputs_dir")
        checkout = paths.source_checkout()
        fallback = checkout / "inputs" if checkout is not None else None
        cand = Path(d) if d else fallback
        if cand is None or not cand.is_dir():
            if fallback is not None and fallback.is_dir():
                return fallback
            raise ResultsError(f"{self.run_dir / 'manifest.json'}: scenario.inputs_dir {str(cand)!r} not found "
                               "(expected the input folder the run read)")
        return cand

    @cached_property
    def inputs(self):
        """The input tables the run read, with the low/high values of the scenario's `input_cases` (inputs/ranges.csv)."""
        from re300.inputs.tables import load_tables

        return load_tables(self.inputs_dir).with_cases(self.manifest.get("scenario", {}).get("input_cases") or {})

    @cached_property
    def input_changes(self) -> list[str]:
        """Input files whose sha256 differs from the manifest's (or that are gone) since the run."""
        changed = []
        for key, digest in sorted(self.manifest.get("input_hashes", {}).items()):
            p = Path(key) if Path(key).is_absolute() else paths.project_root(self.inputs_dir) / key
            if not p.is_file():
                changed.append(key)
                continue
            if hashlib.sha256(p.read_bytes()).hexdigest() != digest:
                changed.append(key)
        return changed

    def region_kind(self, region: str) -> str:
        regions = self.inputs.regions
        return str(regions["kind"].get(region, "honam"))

    @cached_property
    def honam_regions(self) -> list[str]:
        present = list(dict.fromkeys(self.tables["capacity.csv"]["region"]))
        known = [r for r in self.inputs.regions.index if self.region_kind(r) == "honam"]
        # an export region (the capital region, whose national-grid supply is a row of capacity.csv) is not Honam
        return [r for r in known if r in present] + [r for r in present if r not in known
                                                     and self.region_kind(r) != "export"]

    @cached_property
    def export_regions(self) -> list[str]:
        return [r for r in self.inputs.regions.index if self.region_kind(r) == "export"]

    def region_name(self, region: str, lang: str) -> str:
        return _display_name(self.inputs.regions, region, lang)

    def technology_name(self, tech: str, lang: str) -> str:
        return _display_name(self.inputs.technologies, tech, lang)

    def technology_family(self, tech: str) -> str:
        t = self.inputs.technologies
        return str(t.at[tech, "family"]) if tech in t.index else ""

    def is_renewable(self, tech: str) -> bool:
        t = self.inputs.technologies
        return bool(t.at[tech, "renewable"]) if tech in t.index else True


def _read(run_dir: Path, name: str) -> pd.DataFrame:
    """One result CSV, its columns (COLUMNS, PATHWAY_COLUMNS), numbers and times checked."""
    columns = COLUMNS.get(name) or PATHWAY_COLUMNS[name]
    numeric = NUMERIC.get(name) or PATHWAY_NUMERIC[name]
    path = run_dir / name
    if not path.is_file():
        again = (" (runs solved before the calendar view was added lack it: solve the scenario again)"
                 if name in CALENDAR_FILES else "")
        raise ResultsError(f"{path}: file missing (expected the {name} that `re300 solve` writes into "
                           f"{run_dir}){again}")
    try:
        df = pd.read_csv(path, keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ResultsError(f"{path}: not a readable CSV ({' '.join(str(e).split())})") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ResultsError(f"{path}: column '{missing[0]}' missing (expected columns {', '.join(columns)})")
    for col in numeric:
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna() & df[col].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ResultsError(f"{path}, row {i + 2}, column '{col}': value {df[col].iat[i]!r} is not a number "
                               "(expected a number)")
        df[col] = values.astype(float) + 0.0  # + 0.0 turns -0 into 0
    for col in ("time", "snapshot"):
        if col in df.columns:
            t = pd.to_datetime(df[col], errors="coerce", format="ISO8601")
            blank = (df[col].astype(str) == "not_modelled") if col == "snapshot" else pd.Series(False, index=df.index)
            if (t.isna() & ~blank).any():
                i = int(np.flatnonzero((t.isna() & ~blank).to_numpy())[0])
                raise ResultsError(f"{path}, row {i + 2}, column '{col}': value {df[col].iat[i]!r} is not a time "
                                   "(expected YYYY-MM-DD HH:MM:SS, KST)")
            df[col] = t
    return df


def load_run(run_dir) -> RunResults:
    """Read and check the CSVs and manifest of one results folder (`outputs/<scenario>/`)."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ResultsError(f"{run_dir}: results folder not found (expected outputs/<scenario>/ written by "
                           "`re300 solve models/<scenario>.yaml`)")
    tables = {name: _read(run_dir, name) for name in COLUMNS}
    pathway = "period" in tables["summary.csv"]
    if pathway:
        tables.update({name: _read(run_dir, name) for name in PATHWAY_COLUMNS})
    mpath = run_dir / "manifest.json"
    if not mpath.is_file():
        raise ResultsError(f"{mpath}: file missing (expected the manifest.json that `re300 solve` writes)")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ResultsError(f"{mpath}: not valid JSON ({e})") from None
    run = RunResults(run_dir=run_dir, tables=tables, manifest=manifest,
                     summary_units=dict(zip(tables["summary.csv"]["metric"], tables["summary.csv"]["unit"])))
    for view in [run.for_period(y) for y in run.periods] if pathway else [run]:
        for m in SUMMARY_METRICS:
            view.metric(m)
    return run


def sweep_beside(run: RunResults, name: str) -> Path | None:
    """outputs/sweeps/<name>/ beside the run's folder when its base scenario is this run's scenario, else None."""
    folder = run.run_dir.resolve().parent / "sweeps" / name
    state = folder / "sweep_state.json"
    if not state.is_file():
        return None
    base = Path(str(json.loads(state.read_text(encoding="utf-8")).get("base", ""))).stem
    return folder if base == run.scenario else None
