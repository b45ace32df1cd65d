"""`re300 verify OUTPUT_DIR`: every check on a finished run's folder (single-year or pathway)."""
from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from re300.errors import Re300Error
from re300.paths import project_root, source_checkout

from .accounting import check_energy_balance, check_export_commitment, check_renewable_target
from .checks import Check, first_order_tolerance_mw, is_pathway, read_summary
from .costs import check_costs
from .deliverability import check_deliverability
from .discounting import check_discounting
from .provenance import check_input_hashes, check_solver
from .tables import check_csv_tables


def default_root(manifest: dict) -> Path:
    """The folder the manifest's relative input paths refer to: the project root of the run's inputs folder (the
    scenario's `inputs_dir` recorded in manifest.json; the checkout for the shipped scenarios), else the source
    checkout re300 runs from, else the working folder."""
    inputs_dir = (manifest.get("scenario") or {}).get("inputs_dir")
    if isinstance(inputs_dir, str) and inputs_dir.strip():
        return project_root(inputs_dir)
    return source_checkout() or Path.cwd()


def verify_run(run_dir: str | Path, root: str | Path | None = None) -> list[Check]:
    """Run every check on an output folder (a single-year or a pathway run). `root`: the folder that the
    manifest's relative input paths refer to (default: `default_root` of the manifest). Raises Re300Error if the
    folder is not a run."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise Re300Error(f"{run_dir}: no such output folder; expected outputs/<scenario> of a finished run")
    for name in ("results.nc", "manifest.json"):
        if not (run_dir / name).is_file():
            raise Re300Error(f"{run_dir}: {name} missing; expected the output folder of a finished run")
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise Re300Error(f"{run_dir / 'manifest.json'}: unreadable ({' '.join(str(e).split())}); expected JSON") from None
    try:
        ds = xr.load_dataset(run_dir / "results.nc", engine="h5netcdf")
    except (OSError, ValueError) as e:
        raise Re300Error(f"{run_dir / 'results.nc'}: unreadable ({' '.join(str(e).split())}); expected NetCDF") from None
    root = Path(root) if root is not None else default_root(manifest)
    summary = read_summary(run_dir)
    checks = [check_input_hashes(manifest, ds, root), check_solver(manifest, ds)]
    if is_pathway(ds):
        checks.append(check_discounting(manifest, ds, summary))
    checks += [
        check_energy_balance(ds, first_order_tolerance_mw(manifest)),
        check_renewable_target(ds, summary),
        check_export_commitment(ds, summary),
        check_deliverability(ds, summary),
        check_costs(ds, run_dir, summary),
        check_csv_tables(ds, run_dir),
    ]
    return checks
