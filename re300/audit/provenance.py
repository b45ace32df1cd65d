"""Where a run came from and how its LP ended: the input and scenario files still have the hashes recorded in
manifest.json, and HiGHS finished Optimal with the objective stored in results.nc (a myopic pathway: every period LP
and the hand-over of builds, `re300.audit.discounting.myopic_problems`)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import xarray as xr

from re300.results.manifest import file_sha256

from .checks import Check, is_close, is_pathway, plain
from .discounting import myopic_problems


def check_input_hashes(manifest: dict, ds: xr.Dataset, root: Path) -> Check:
    """Every file in manifest.json's input_hashes (relative paths under `root`) has its recorded sha256; the combined
    hash matches the list and the one in results.nc."""
    recorded = manifest.get("input_hashes") or {}
    if not recorded:
        return Check("input_hashes", False, "manifest.json lists no input hashes")
    changed, missing = [], []
    for key, digest in sorted(recorded.items()):
        path = Path(key) if Path(key).is_absolute() else root / key
        if not path.is_file():
            missing.append(key)
        elif file_sha256(path) != digest:
            changed.append(key)
    combined = hashlib.sha256(json.dumps(recorded, sort_keys=True).encode()).hexdigest()
    problems = []
    if changed:
        problems.append(f"{len(changed)} changed since the run: {', '.join(changed)}")
    if missing:
        problems.append(f"{len(missing)} missing: {', '.join(missing)}")
    if manifest.get("input_hash") != combined:
        problems.append("manifest input_hash does not match its list of file hashes")
    if ds.attrs.get("input_hash") != manifest.get("input_hash"):
        problems.append("results.nc and manifest.json record different input hashes")
    if problems:
        return Check("input_hashes", False, "; ".join(problems) + f" (paths relative to {root})")
    return Check("input_hashes", True, f"{len(recorded)} input and scenario files unchanged (relative to {root})")


def check_solver(manifest: dict, ds: xr.Dataset) -> Check:
    """HiGHS finished Optimal (manifest.json and results.nc) and both record the same objective [bn KRW/yr; a pathway:
    bn KRW present value]."""
    solver = manifest.get("solver") or {}
    pathway = is_pathway(ds)
    key = "objective_bn_krw_present_value" if pathway else "objective_bn_krw_per_yr"
    unit = f"bn KRW (present value in {ds.attrs.get('pathway_base_year')})" if pathway else "bn KRW/yr"
    status, obj = solver.get("status"), solver.get(key)
    problems = []
    if status != "Optimal" or ds.attrs.get("solver_status") != "Optimal":
        problems.append(f"solver status {plain(status)} (manifest) / {plain(ds.attrs.get('solver_status'))} (results.nc); expected 'Optimal'")
    nc_obj = float(ds.attrs.get("objective_bn_krw_per_yr", np.nan))
    if obj is None or not is_close(float(obj), nc_obj, 1e-9):
        problems.append(f"objective {obj} {unit} in manifest.json ({key}) but {nc_obj} in results.nc")
    method = "cuPDLPx first-order solution" if solver.get("first_order") else "Optimal"
    text = f"{method}, objective {nc_obj:,.6f} {unit} in both files"
    q = solver.get("quality") or {}
    if solver.get("first_order") and q:
        text += (f" (relative gap {q.get('relative_gap', float('nan')):.2g}, largest row violation "
                 f"{q.get('max_row_infeasibility', float('nan')):.2g} in LP units; balances checked at 10 x that)")
    if pathway and str(ds.attrs.get("pathway_foresight")) == "myopic":
        handover_problems, myopic_text = myopic_problems(manifest, ds)
        problems += handover_problems
        text += "; " + myopic_text
    if problems:
        return Check("solver", False, "; ".join(problems))
    return Check("solver", True, text)
