"""The benchmark cases: the scenario file of each case (variants of the flagship written to a temporary folder), one
case solved in a child process (phase timings, peak memory), and its PyPSA twin (the same LP from the run's
results.nc, `re300.bench.pypsa`)."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from re300.paths import outputs_root, source_checkout


def checkout() -> Path:
    """The source checkout whose models/ and inputs/ the cases solve."""
    root = source_checkout()
    if root is None:
        raise SystemExit("re300.bench solves the shipped scenarios (models/, inputs/); run it from a source checkout")
    return root


def bench_dir() -> Path:
    """Where the benchmark writes: outputs/bench/ (bench.json, bench.md, runs/<case>/)."""
    return outputs_root() / "bench"


CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from re300.run import run_scenario
out = run_scenario(sys.argv[1], output_dir=sys.argv[2], echo=True)
m = json.load(open(out / "manifest.json"))
m["_wall_s"] = time.perf_counter() - t0
m["_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
json.dump({k: m[k] for k in ("timings_s", "solver", "summary", "_wall_s", "_peak_rss_mb")}, open(sys.argv[3], "w"))
"""


PYPSA_CHILD = r"""
import json, resource, sys, time
import xarray as xr
from re300.bench.pypsa import solve_pypsa, to_pypsa
from re300.results.rebuild import model_data_from_dataset
t0 = time.perf_counter()
data = model_data_from_dataset(xr.load_dataset(sys.argv[1], engine="h5netcdf"))
t1 = time.perf_counter()
problem = to_pypsa(data)
res = solve_pypsa(problem, {"time_limit": float(sys.argv[3]), "solver": sys.argv[4], "run_crossover": sys.argv[5]})
t2 = time.perf_counter()
json.dump({"status": res.status, "objective_krw": res.objective_krw, "build_and_solve_s": t2 - t1, "load_s": t1 - t0,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "notes": problem.notes},
          open(sys.argv[2], "w"))
"""


def run_pypsa_case(case: str, time_limit: float) -> dict:
    """The same LP in PyPSA (built from the re300 run's results.nc inputs), solved by HiGHS with the same method."""
    run_dir = bench_dir() / "runs" / case
    man = json.loads((run_dir / "manifest.json").read_text())
    opts = man["solver"]["options"]
    with tempfile.TemporaryDirectory() as td:
        out = Path(td) / "pypsa.json"
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", PYPSA_CHILD, str(run_dir / "results.nc"), str(out), str(time_limit),
                 opts.get("solver", "ipm"), opts.get("run_crossover", "on")],
                cwd=checkout(), capture_output=True, text=True, timeout=time_limit + 600,
            )
        except subprocess.TimeoutExpired:
            return {"case": f"pypsa:{case}", "ok": False, "error": f"PyPSA did not finish in {time_limit + 600:.0f} s"}
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-2:]
            return {"case": f"pypsa:{case}", "ok": False, "wall_s": wall, "error": " | ".join(tail)}
        r = json.loads(out.read_text())
    re_obj = man["solver"]["objective_bn_krw_per_yr"] * 1e9
    re_time = man["timings_s"]["build"] + man["timings_s"]["solve"]
    finished = "optimal" in r["status"].lower()
    return {
        "case": f"pypsa:{case}", "ok": finished, "status": r["status"], "wall_s": round(wall, 2),
        "pypsa_build_and_solve_s": round(r["build_and_solve_s"], 2), "re300_build_and_solve_s": round(re_time, 2),
        "time_ratio_pypsa_over_re300": round(r["build_and_solve_s"] / re_time, 2),
        "objective_rel_diff": (r["objective_krw"] - re_obj) / abs(re_obj) if finished else None,
        "peak_rss_mb": round(r["peak_rss_mb"], 1), "notes": r["notes"],
        **({} if finished else {"error": f"PyPSA did not finish in {time_limit:.0f} s ({r['status']})"}),
    }


def _variant(tmpdir: Path, name: str, extends: Path, **sections) -> Path:
    """A scenario file `name` in tmpdir that extends `extends` and overrides `sections`."""
    path = tmpdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"extends": str(extends), "name": name, **sections}))
    return path


def case_file(name: str, tmpdir: Path, full_time_limit: float) -> Path:
    """The scenario file of case `name`: a shipped scenario (models/<name>.yaml) or a variant of the flagship written
    to `tmpdir` (see the package docstring for the names)."""
    repo = checkout()
    flagship = {"tmpdir": tmpdir, "name": name, "extends": repo / "models" / "re300_2050.yaml",
                "inputs_dir": str(repo / "inputs")}
    if "-" in name:  # e.g. re300_2050_full-hipo: the same case with another HiGHS method
        base, method = name.rsplit("-", 1)
        return _variant(tmpdir, name, case_file(base, tmpdir, full_time_limit), solver={"method": method})
    if name.startswith("re300_2050_full"):  # re300_2050_full: the hourly year; re300_2050_full3h: 3-hourly
        hours = name.removeprefix("re300_2050_full").removesuffix("h")
        time_cfg = {"mode": "full", "weights": None}
        if hours:
            time_cfg["resolution_hours"] = int(hours)
        return _variant(**flagship, time=time_cfg, solver={"time_limit_s": full_time_limit})
    if name.startswith("re300_2050_week"):  # one week (one storage block), comparable with PyPSA
        return _variant(**flagship, time={"mode": "weeks", "weeks": [int(name.removeprefix("re300_2050_week"))],
                                          "weights": None})
    if name.startswith("re300_2050_rep"):  # re300_2050_rep16: 16 typical days (+ extreme day) in the default's
        # segments; re300_2050_rep16h: the same with hourly days
        n = name.removeprefix("re300_2050_rep")
        time_cfg = {"mode": "representative", "typical_days": int(n.removesuffix("h")), "weights": None}
        if n.endswith("h"):
            time_cfg["segments"] = None
        return _variant(**flagship, time=time_cfg)
    return repo / "models" / f"{name}.yaml"


def run_case(name: str, tmpdir: Path, full_time_limit: float, reuse: bool = False) -> dict:
    """Solve case `name` in a child process (or, with `reuse`, read its earlier outputs): phase timings [s], peak RSS
    [MB], LP size, status and objective [bn KRW/yr; a pathway: present value]."""
    out_dir = bench_dir()
    result_file = tmpdir / f"{name}.json"
    t0 = time.perf_counter()
    manifest = out_dir / "runs" / name / "manifest.json"
    if reuse and manifest.exists():
        m = json.loads(manifest.read_text())
        r = {k: m[k] for k in ("timings_s", "solver", "summary")}
        r.update(_wall_s=m["timings_s"].get("total", 0.0), _peak_rss_mb=float("nan"))
    else:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(case_file(name, tmpdir, full_time_limit)), str(out_dir / "runs"), str(result_file)],
            cwd=checkout(), capture_output=True, text=True,
        )
        if proc.returncode != 0 or not result_file.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"case": name, "ok": False, "wall_s": time.perf_counter() - t0, "error": " | ".join(tail)}
        r = json.loads(result_file.read_text())
    wall = time.perf_counter() - t0
    t, s = r["timings_s"], r["solver"]
    build_handover = t.get("build", 0) + s["timings_s"]["compile_s"] + s["timings_s"]["pass_s"]
    return {
        "case": name, "ok": True, "wall_s": round(wall, 2), "process_s": round(r["_wall_s"], 2),
        "peak_rss_mb": round(r["_peak_rss_mb"], 1),
        "phases_s": {k: round(v, 2) for k, v in t.items()},
        "compile_s": round(s["timings_s"]["compile_s"], 2), "highs_s": round(s["timings_s"]["highs_s"], 2),
        "build_plus_handover_share_of_highs": round(build_handover / max(s["timings_s"]["highs_s"], 1e-9), 3),
        "rows": s["rows"], "columns": s["columns"], "nonzeros": s["nonzeros"], "status": s["status"],
        # a pathway's objective is a present value over its periods, a single year's an annual cost
        "objective_bn_krw_per_yr": s.get("objective_bn_krw_per_yr", s.get("objective_bn_krw_present_value")),
        "method": s["options"].get("solver"),
        "ipm_iterations": s["ipm_iterations"], "simplex_iterations": s["simplex_iterations"],
    }
