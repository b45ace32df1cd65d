"""`re300 verify OUTPUT_DIR`: re-check a finished run from its files alone.

Checks (each PASS or FAIL with a one-line reason):

* input_hashes — every input and scenario file listed in manifest.json still has the recorded sha256 (files that
  changed or disappeared are named); the manifest's combined input hash and the one in results.nc agree.
* solver — the manifest says HiGHS finished Optimal and records the objective stored in results.nc.
* energy_balance — supply + discharge + net import + unserved − demand − charge − exports received is zero in every
  region and snapshot (`re300.results.tables.energy_balance_residual`).
* renewable_target — counted renewable energy recomputed from dispatch, storage flows and link flows (the accounting
  rule of README.md) + shortfall ≥ share × Honam consumption, and summary.csv states the same numbers.
* export_commitment — energy delivered to export regions recomputed from link flows × efficiency equals the exports
  received, + shortfall ≥ share × consumption, and summary.csv agrees.
* costs — every cost item recomputed from capacities, dispatch and the input costs stored in results.nc equals
  costs.csv; their sum equals the LP objective; summary.csv's total and penalty agree.
* csv_tables — every CSV the run wrote equals the table rebuilt from results.nc.

Relative tolerance REL_TOL on recomputed quantities (the CSVs hold 10 significant digits); the balance closes within
BALANCE_TOL × the largest demand.
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import Re300Error

REL_TOL = 1e-6
ABS_TOL_KRW = 1.0  # costs
ABS_TOL_MWH = 1e-3  # energies
BALANCE_TOL = 1e-6  # of the largest demand [MW]
CSV_REL_TOL = 1e-9  # CSVs are written with %.10g


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def _close(a: float, b: float, abs_tol: float) -> bool:
    return bool(np.isclose(a, b, rtol=REL_TOL, atol=abs_tol)) or (np.isnan(a) and np.isnan(b))


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


# ---- the checks ---------------------------------------------------------------------------------------------------


def check_input_hashes(manifest: dict, ds: xr.Dataset, root: Path) -> Check:
    from .results.manifest import file_sha256

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
    solver = manifest.get("solver") or {}
    status, obj = solver.get("status"), solver.get("objective_bn_krw_per_yr")
    problems = []
    if status != "Optimal" or ds.attrs.get("solver_status") != "Optimal":
        problems.append(f"solver status {status!r} (manifest) / {ds.attrs.get('solver_status')!r} (results.nc); expected 'Optimal'")
    nc_obj = float(ds.attrs.get("objective_bn_krw_per_yr", np.nan))
    if obj is None or not _close(float(obj), nc_obj, 1e-9):
        problems.append(f"objective {obj} bn KRW/yr in manifest.json but {nc_obj} in results.nc")
    if problems:
        return Check("solver", False, "; ".join(problems))
    return Check("solver", True, f"HiGHS Optimal, objective {nc_obj:,.6f} bn KRW/yr in both files")


def check_energy_balance(ds: xr.Dataset) -> Check:
    from .results.tables import energy_balance_residual

    resid = energy_balance_residual(ds)
    scale = float(np.nanmax(np.abs(ds["demand_mw"].values))) if ds["demand_mw"].size else 1.0
    tol = BALANCE_TOL * max(scale, 1.0)
    a = np.abs(resid.values)
    if not np.all(np.isfinite(a)):
        return Check("energy_balance", False, "the balance residual is not a number in some region and snapshot")
    r, t = np.unravel_index(int(np.argmax(a)), a.shape)
    worst = float(a[r, t])
    where = f"{resid['region'].values[r]} at {pd.Timestamp(resid['time'].values[t])}"
    if worst > tol:
        return Check("energy_balance", False, f"off by {worst:,.6g} MW in {where} (tolerance {tol:.3g} MW)")
    return Check("energy_balance", True, f"closes in all {a.size:,} region-snapshots (largest residual {worst:.3g} MW, {where})")


def _weighted(da: xr.DataArray, w: np.ndarray) -> np.ndarray:
    """Annual MWh per leading index from a (..., time) MW array (NaN rows give 0)."""
    return np.nan_to_num(da.values, nan=0.0) @ w


def _accounting(ds: xr.Dataset) -> dict[str, float]:
    """The target accounting recomputed from the hourly results (independent of re300.results.tables.summary)."""
    w = ds["weight_h"].values.astype(float)
    honam = np.asarray(ds["region_kind"].values).astype(str) == "honam"
    export = np.asarray(ds["region_kind"].values).astype(str) == "export"
    consumption = float((np.nan_to_num(ds["demand_mw"].values)[honam] @ w).sum())
    renewable = np.nan_to_num(ds["input_generator_renewable"].values) > 0
    generation = _weighted(ds["dispatch_mw"], w)  # technology x region
    re_gen = float(generation[renewable].sum())
    storage_loss = float(_weighted(ds["storage_charge_mw"], w).sum() - _weighted(ds["storage_discharge_mw"], w).sum())
    eff = ds["input_link_efficiency"].values.astype(float)
    sent = _weighted(ds["flow_forward_mw"], w) + _weighted(ds["flow_backward_mw"], w)
    link_loss = float(((1 - eff) * sent).sum())
    counted = re_gen
    if float(ds["input_deduct_storage_losses"]) > 0:
        counted -= storage_loss
    if float(ds["input_deduct_transmission_losses"]) > 0:
        counted -= link_loss
    regions = [str(r) for r in ds["region"].values]
    to_export = np.array([export[regions.index(str(b))] for b in ds["link_to"].values], dtype=bool)
    from_export = np.array([export[regions.index(str(a))] for a in ds["link_from"].values], dtype=bool)
    fwd, bwd = _weighted(ds["flow_forward_mw"], w), _weighted(ds["flow_backward_mw"], w)
    delivered = float((eff * fwd)[to_export].sum() + (eff * bwd)[from_export].sum())
    received = float(_weighted(ds["exports_received_mw"], w).sum())
    return {"consumption": consumption, "renewable_generation": re_gen, "counted": counted, "delivered": delivered,
            "received": received}


def _summary(run_dir: Path) -> pd.Series | None:
    path = run_dir / "summary.csv"
    if not path.is_file():
        return None
    s = pd.read_csv(path)
    return pd.Series(pd.to_numeric(s["value"], errors="coerce").values, index=s["metric"].astype(str))


def check_renewable_target(ds: xr.Dataset, summary: pd.Series | None) -> Check:
    acc = _accounting(ds)
    share = float(ds["input_renewable_share"])
    shortfall = float(ds["renewable_shortfall_mwh"])
    problems = []
    if np.isfinite(share):
        need = share * acc["consumption"]
        if acc["counted"] + shortfall < need * (1 - REL_TOL) - ABS_TOL_MWH:
            problems.append(f"counted renewable {acc['counted']:,.0f} MWh + shortfall {shortfall:,.0f} MWh is below "
                            f"{share:g} x consumption = {need:,.0f} MWh")
    if summary is None:
        problems.append("summary.csv missing")
    else:
        for metric, value in (("honam_consumption", acc["consumption"]), ("renewable_counted", acc["counted"]),
                              ("renewable_generation", acc["renewable_generation"]), ("renewable_shortfall", shortfall)):
            if metric not in summary or not _close(float(summary[metric]), value, ABS_TOL_MWH):
                problems.append(f"summary.csv {metric} = {summary.get(metric)} but the results give {value:,.6g}")
    if problems:
        return Check("renewable_target", False, "; ".join(problems))
    text = "no target" if not np.isfinite(share) else (
        f"counted {acc['counted'] / 1e6:,.3f} TWh + shortfall {shortfall / 1e6:,.3f} TWh >= {share:g} x "
        f"{acc['consumption'] / 1e6:,.3f} TWh")
    return Check("renewable_target", True, text)


def check_export_commitment(ds: xr.Dataset, summary: pd.Series | None) -> Check:
    acc = _accounting(ds)
    share = float(ds["input_export_share"])
    shortfall = float(ds["export_shortfall_mwh"])
    problems = []
    if not _close(acc["delivered"], acc["received"], ABS_TOL_MWH):
        problems.append(f"links deliver {acc['delivered']:,.0f} MWh to export regions but {acc['received']:,.0f} MWh "
                        "are recorded as received")
    if np.isfinite(share):
        need = share * acc["consumption"]
        if acc["delivered"] + shortfall < need * (1 - REL_TOL) - ABS_TOL_MWH:
            problems.append(f"exports {acc['delivered']:,.0f} MWh + shortfall {shortfall:,.0f} MWh is below {share:g} x "
                            f"consumption = {need:,.0f} MWh")
    if summary is not None:
        for metric, value in (("exports_delivered", acc["delivered"]), ("export_shortfall", shortfall)):
            if metric not in summary or not _close(float(summary[metric]), value, ABS_TOL_MWH):
                problems.append(f"summary.csv {metric} = {summary.get(metric)} but the results give {value:,.6g}")
    if problems:
        return Check("export_commitment", False, "; ".join(problems))
    text = f"{acc['delivered'] / 1e6:,.3f} TWh delivered" + ("" if not np.isfinite(share) else
                                                            f" + shortfall {shortfall / 1e6:,.3f} TWh >= {share:g} x consumption")
    return Check("export_commitment", True, text)


def recompute_costs(ds: xr.Dataset) -> pd.DataFrame:
    """Annual cost items [KRW/yr] from capacities, dispatch and the input costs in results.nc (columns as costs.csv)."""
    w = ds["weight_h"].values.astype(float)
    techs = [str(t) for t in ds["technology"].values]
    regions = [str(r) for r in ds["region"].values]
    carbon = float(ds["input_carbon_price_krw_per_t"])
    v = {k: np.nan_to_num(ds[k].values) for k in (
        "capacity_new_mw", "capacity_total_mw", "energy_capacity_new_mwh", "energy_capacity_total_mwh")}
    energy = _weighted(ds["dispatch_mw"], w)
    discharged = _weighted(ds["storage_discharge_mw"], w)
    rows = []

    def g(name, ti, ri):
        return float(np.nan_to_num(ds[name].values[ti, ri]))

    for ti, ri in zip(*np.nonzero(ds["input_generator"].values > 0)):
        t, r = techs[ti], regions[ri]
        e = energy[ti, ri]
        rows += [
            ("generator", t, r, "investment", v["capacity_new_mw"][ti, ri] * g("input_generator_capex_annual_krw_per_mw", ti, ri)),
            ("generator", t, r, "fixed_om", v["capacity_total_mw"][ti, ri] * g("input_generator_fom_krw_per_mw", ti, ri)),
            ("generator", t, r, "variable_and_purchase", e * g("input_generator_vom_krw_per_mwh", ti, ri)),
            ("generator", t, r, "carbon", e * g("input_generator_emission_t_per_mwh", ti, ri) * carbon),
        ]
    for ti, ri in zip(*np.nonzero(ds["input_storage"].values > 0)):
        t, r = techs[ti], regions[ri]
        rows += [
            ("storage", t, r, "investment", v["capacity_new_mw"][ti, ri] * g("input_storage_capex_annual_krw_per_mw", ti, ri)
             + v["energy_capacity_new_mwh"][ti, ri] * g("input_storage_capex_annual_krw_per_mwh", ti, ri)),
            ("storage", t, r, "fixed_om", v["capacity_total_mw"][ti, ri] * g("input_storage_fom_krw_per_mw", ti, ri)
             + v["energy_capacity_total_mwh"][ti, ri] * g("input_storage_fom_krw_per_mwh", ti, ri)),
            ("storage", t, r, "variable_and_purchase", discharged[ti, ri] * g("input_storage_vom_krw_per_mwh", ti, ri)),
        ]
    for k, link in enumerate(str(x) for x in ds["link"].values):
        origin = str(ds["link_from"].values[k])
        rows += [
            ("link", link, origin, "investment",
             float(ds["link_capacity_new_mw"].values[k]) * float(ds["input_link_capex_annual_krw_per_mw"].values[k])),
            ("link", link, origin, "fixed_om",
             float(ds["link_capacity_total_mw"].values[k]) * float(ds["input_link_fom_krw_per_mw"].values[k])),
        ]
    voll = float(ds["input_value_of_lost_load_krw_per_mwh"])
    unserved = _weighted(ds["unserved_mw"], w)
    for ri, r in enumerate(regions):
        if str(ds["region_kind"].values[ri]) != "export":
            rows.append(("node", "unserved_energy", r, "value_of_lost_load", unserved[ri] * voll))
    for name, share, pen in (("renewable_shortfall", "input_renewable_share", "input_renewable_slack_krw_per_mwh"),
                             ("export_shortfall", "input_export_share", "input_export_slack_krw_per_mwh")):
        if np.isfinite(float(ds[share])) and np.isfinite(float(ds[pen])):
            rows.append(("target", name, "honam", "shortfall_penalty", float(ds[f"{name}_mwh"]) * float(ds[pen])))
    return pd.DataFrame(rows, columns=["asset_kind", "asset", "region", "component", "value"])


def check_costs(ds: xr.Dataset, run_dir: Path, summary: pd.Series | None) -> Check:
    path = run_dir / "costs.csv"
    if not path.is_file():
        return Check("costs", False, "costs.csv missing")
    written = pd.read_csv(path)
    mine = recompute_costs(ds)
    key = ["asset_kind", "asset", "region", "component"]
    merged = mine.merge(written, on=key, how="outer", suffixes=("_recomputed", "_csv"), indicator=True)
    problems = []
    for r in merged[merged["_merge"] != "both"].head(3).to_dict("records"):
        side = "costs.csv" if r["_merge"] == "right_only" else "the recomputation"
        problems.append(f"item {'/'.join(str(r[k]) for k in key)} only in {side}")
    both = merged[merged["_merge"] == "both"].reset_index(drop=True)
    rec = both["value_recomputed"].to_numpy(float)
    csv = pd.to_numeric(both["value_csv"], errors="coerce").to_numpy(float)
    bad = ~np.isclose(rec, csv, rtol=REL_TOL, atol=ABS_TOL_KRW)
    for i in np.flatnonzero(bad)[:3]:
        item = "/".join(str(both.at[i, k]) for k in key)
        problems.append(f"{item}: costs.csv {csv[i]:,.6g} KRW/yr, recomputed {rec[i]:,.6g}")
    if bad.sum() > 3:
        problems.append(f"and {int(bad.sum()) - 3} more items differ")
    total = float(mine["value"].sum())
    objective = float(ds.attrs.get("objective_bn_krw_per_yr", np.nan)) * 1e9
    if not np.isclose(total, objective, rtol=REL_TOL, atol=ABS_TOL_KRW):
        problems.append(f"recomputed costs sum to {total:,.6g} KRW/yr but the LP objective is {objective:,.6g}")
    if summary is not None:
        penalty = float(mine.loc[mine["asset_kind"] == "target", "value"].sum())
        for metric, value in (("objective", total), ("total_system_cost", total - penalty), ("shortfall_penalty", penalty)):
            if metric not in summary or not np.isclose(float(summary[metric]), value, rtol=REL_TOL, atol=ABS_TOL_KRW):
                problems.append(f"summary.csv {metric} = {summary.get(metric)} but the recomputation gives {value:,.6g}")
    if problems:
        return Check("costs", False, "; ".join(problems))
    return Check("costs", True, f"{len(mine)} cost items recomputed; total {total / 1e12:,.6f} trillion KRW/yr = LP objective")


def _roundtrip(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as it reads back from the CSV the run writes (same float format)."""
    return pd.read_csv(io.StringIO(frame.to_csv(index=False, float_format="%.10g")))


def _first_difference(name: str, expected: pd.DataFrame, written: pd.DataFrame) -> str | None:
    if list(expected.columns) != list(written.columns):
        return f"{name}: columns {list(written.columns)}, expected {list(expected.columns)}"
    if len(expected) != len(written):
        return f"{name}: {len(written)} rows, results.nc gives {len(expected)}"
    for col in expected.columns:
        a, b = expected[col], written[col]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            x, y = a.to_numpy(float), b.to_numpy(float)
            same = np.isclose(x, y, rtol=CSV_REL_TOL, atol=0.0) | (np.isnan(x) & np.isnan(y))
        else:
            same = (a.astype(str) == b.astype(str)).to_numpy()
        if not same.all():
            i = int(np.flatnonzero(~same)[0])
            return f"{name} row {i + 2} column '{col}': file has {b.iloc[i]!r}, results.nc gives {a.iloc[i]!r}"
    return None


def check_csv_tables(ds: xr.Dataset, run_dir: Path) -> Check:
    from .diagnose import output_tables

    problems, n = [], 0
    for name, frame in output_tables(ds).items():
        path = run_dir / name
        if not path.is_file():
            problems.append(f"{name} missing")
            continue
        try:
            written = pd.read_csv(path)
        except (ValueError, pd.errors.ParserError) as e:
            problems.append(f"{name} unreadable: {' '.join(str(e).split())}")
            continue
        diff = _first_difference(name, _roundtrip(frame), written)
        if diff:
            problems.append(diff)
        n += 1
    if problems:
        return Check("csv_tables", False, "; ".join(problems))
    return Check("csv_tables", True, f"{n} CSV files equal the tables rebuilt from results.nc")


# ---- driver -------------------------------------------------------------------------------------------------------


def verify_run(run_dir: str | Path, root: str | Path | None = None) -> list[Check]:
    """Run every check on an output folder. `root`: the checkout that the manifest's relative input paths refer to
    (default: the repository this re300 is installed from). Raises Re300Error if the folder is not a run."""
    run_dir = Path(run_dir)
    root = Path(root) if root is not None else _repo_root()
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
    if "period" in ds.dims and ds.sizes["period"] > 1:
        raise Re300Error(f"{run_dir}: a multi-period (pathway) run with {ds.sizes['period']} periods; re300 verify checks "
                         "single-year runs only (per-period checks are not implemented yet)")
    summary = _summary(run_dir)
    checks = [
        check_input_hashes(manifest, ds, root),
        check_solver(manifest, ds),
        check_energy_balance(ds),
        check_renewable_target(ds, summary),
        check_export_commitment(ds, summary),
        check_costs(ds, run_dir, summary),
        check_csv_tables(ds, run_dir),
    ]
    return checks


def print_report(checks: list[Check], run_dir: Path) -> bool:
    """Print PASS/FAIL per check and a last line; returns True if all passed."""
    for c in checks:
        print(f"{'PASS' if c.passed else 'FAIL'}  {c.name}: {c.detail}")
    failed = [c.name for c in checks if not c.passed]
    if failed:
        print(f"re300 verify {run_dir}: {len(failed)} of {len(checks)} checks FAILED ({', '.join(failed)})")
    else:
        print(f"re300 verify {run_dir}: all {len(checks)} checks passed")
    return not failed
