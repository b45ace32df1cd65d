"""The plan a stress test keeps: a finished single-year run's capacities, costs and settings, read from its folder.

    plan = load_plan("outputs/re300_2050")
    plan.data           # ModelData rebuilt from results.nc (re300.results.dataset.model_data_from_dataset)
    plan.fixed_builds   # {family: (rows, 1) new capacity of the plan [MW or MWh]}: every build option fixed
    plan.scenario       # the run's resolved scenario (manifest.json), to rebuild the hourly series of other years

The run must be a single-year run whose input files still have the sha256 recorded in its manifest (else the hourly
series of other weather years would not come from the inputs the plan was made with): a pathway, a changed input or a
missing file stops with one line naming it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from re300.config.schema import Scenario
from re300.errors import Re300Error
from re300.model.data import ModelData
from re300.model.names import CAPACITY_KINDS
from re300.paths import display_path, project_root
from re300.results.manifest import file_sha256
from re300.results.rebuild import model_data_from_dataset

#: results.nc variable holding the new capacity of each capacity family (by technology x region, or by link)
NEW_CAPACITY = {"generators": "capacity_new_mw", "storage_power": "capacity_new_mw",
                "storage_energy": "energy_capacity_new_mwh", "storage_charge": "charge_capacity_new_mw",
                "links": "link_capacity_new_mw"}
CAPACITY_TOTALS = ("capacity_total_mw", "energy_capacity_total_mwh", "charge_capacity_total_mw", "link_capacity_total_mw")


@dataclass
class Plan:
    run_dir: Path
    scenario: Scenario
    data: ModelData
    fixed_builds: dict[str, np.ndarray]
    summary: dict[str, float]          # summary.csv of the run (metric -> value)
    objective_bn_krw: float
    capacity: dict[str, np.ndarray]    # the run's capacity_total_mw, energy_capacity_total_mwh, ... (results.nc)


def load_plan(run_dir: str | Path) -> Plan:
    """The plan of a finished single-year run (module docstring); Re300Error with one line otherwise."""
    run_dir = Path(run_dir)
    shown = display_path(run_dir)
    for name in ("results.nc", "manifest.json", "summary.csv"):
        if not (run_dir / name).is_file():
            raise Re300Error(f"{shown}: {name} missing; expected the output folder of a finished run "
                             "(re300 solve models/<scenario>.yaml)")
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        ds = xr.load_dataset(run_dir / "results.nc", engine="h5netcdf")
    except (OSError, ValueError) as e:
        raise Re300Error(f"{shown}: unreadable run ({' '.join(str(e).split())}); expected manifest.json and "
                         "results.nc of a finished run") from None
    if "time_period" in ds.coords:
        raise Re300Error(f"{shown} is a pathway run; the stress test re-dispatches a single-year plan (expected a "
                         "run without a pathway section)")
    scenario = Scenario.model_validate(manifest["scenario"])
    check_inputs_unchanged(manifest, run_dir)
    data = model_data_from_dataset(ds)
    import pandas as pd

    summary_frame = pd.read_csv(run_dir / "summary.csv")
    summary = {m: float(v) for m, v in zip(summary_frame["metric"], summary_frame["value"])
               if not str(m).startswith("binding_limit:")}
    capacity = {name: np.asarray(ds[name].values, float) for name in CAPACITY_TOTALS if name in ds}
    return Plan(run_dir, scenario, data, plan_builds(ds, data), summary, float(ds.attrs["objective_bn_krw_per_yr"]),
                capacity)


def check_inputs_unchanged(manifest: dict, run_dir: Path) -> None:
    """Every input and scenario file of the run still has its recorded sha256 (paths relative to the project root of
    the run's inputs folder); one line naming the changed or missing files otherwise."""
    inputs_dir = (manifest.get("scenario") or {}).get("inputs_dir")
    root = project_root(inputs_dir) if inputs_dir else Path.cwd()
    changed, missing = [], []
    for key, digest in sorted((manifest.get("input_hashes") or {}).items()):
        path = Path(key) if Path(key).is_absolute() else root / key
        if not path.is_file():
            missing.append(key)
        elif file_sha256(path) != digest:
            changed.append(key)
    if changed or missing:
        what = "; ".join(part for part in (f"changed: {', '.join(changed)}" if changed else "",
                                           f"missing: {', '.join(missing)}" if missing else "") if part)
        raise Re300Error(f"{display_path(run_dir)}: input files differ from the run's manifest ({what}); re-solve "
                         "the scenario first so that the other weather years use the plan's inputs")


def plan_builds(ds: xr.Dataset, data: ModelData) -> dict[str, np.ndarray]:
    """{family: (rows, 1) array}: the plan's new capacity of every asset that can be built (0 where none was built),
    NaN where a family has no build option for the row (fixed-duration storage energy, charging power that is not a
    capacity of its own), in the order of `data`'s frames."""
    out = {}
    st = data.storage
    for kind in CAPACITY_KINDS:
        frame = getattr(data, kind.frame)
        if kind.family == "links":
            values = ds[NEW_CAPACITY["links"]].sel(link=list(frame["link"])).values.astype(float)
        else:
            var = NEW_CAPACITY[kind.family]
            if var not in ds:
                values = np.full(len(frame), np.nan)
            else:
                values = np.array([float(ds[var].sel(technology=t, region=r)) for t, r in
                                   zip(frame["technology"], frame["region"])])
        if kind.family == "storage_energy" and len(st):
            values[np.nan_to_num(st["fixed_duration_h"].to_numpy(float), nan=0.0) > 0] = np.nan
        if kind.family == "storage_charge" and len(st):
            values[~st["separate_charge_power"].to_numpy(bool)] = np.nan
        out[kind.family] = values[:, None]
    return out
