"""`make bench`: time each phase and the peak memory of scenario runs; write outputs/bench/bench.json and bench.md.

Each case runs in a fresh process (so peak RSS is that run's own) with outputs under outputs/bench/runs/.
Default cases: `quick` (2 weeks), the flagship `re300_2050` (16 representative days + 2 extreme days), the same with
HiPO (`re300_2050-hipo`; `<case>-<method>` runs any case with another HiGHS method), on one week
(`re300_2050_week28`), the five-period `pathway` on representative days, and on the full year (`re300_2050_full`,
HiGHS time limit `--full-time-limit`, with IPX and with HiPO), and the same LP through PyPSA (`pypsa:<case>`, built
from that run's results.nc inputs).
`--error-table` runs the full year, the default (24 typical days in 12 segments), 16 and 32 segmented days, 8/16/24/32
hourly typical days (`re300_2050_rep<N>h`) and the 3-hourly year, and tabulates their error against the full year.
`--reuse` takes a case's finished outputs from an earlier bench instead of solving again.

    python -m re300.bench [--cases quick,re300_2050,...] [--full-time-limit 1800] [--error-table] [--reuse]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "outputs" / "bench"

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
from re300.bench_pypsa import solve_pypsa, to_pypsa
from re300.results.dataset import model_data_from_dataset
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
    run_dir = OUT / "runs" / case
    man = json.loads((run_dir / "manifest.json").read_text())
    opts = man["solver"]["options"]
    with tempfile.TemporaryDirectory() as td:
        out = Path(td) / "pypsa.json"
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", PYPSA_CHILD, str(run_dir / "results.nc"), str(out), str(time_limit),
                 opts.get("solver", "ipm"), opts.get("run_crossover", "on")],
                cwd=REPO, capture_output=True, text=True, timeout=time_limit + 600,
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


def _case_file(name: str, tmpdir: Path, full_time_limit: float) -> Path:
    flagship = {"tmpdir": tmpdir, "name": name, "extends": REPO / "models" / "re300_2050.yaml",
                "inputs_dir": str(REPO / "inputs")}
    if "-" in name:  # e.g. re300_2050_full-hipo: the same case with another HiGHS method
        base, method = name.rsplit("-", 1)
        return _variant(tmpdir, name, _case_file(base, tmpdir, full_time_limit), solver={"method": method})
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
        time_cfg = {"mode": "representative", "periods": int(n.removesuffix("h")), "weights": None}
        if n.endswith("h"):
            time_cfg["segments"] = None
        return _variant(**flagship, time=time_cfg)
    return REPO / "models" / f"{name}.yaml"


def run_case(name: str, tmpdir: Path, full_time_limit: float, reuse: bool = False) -> dict:
    result_file = tmpdir / f"{name}.json"
    t0 = time.perf_counter()
    manifest = OUT / "runs" / name / "manifest.json"
    if reuse and manifest.exists():
        m = json.loads(manifest.read_text())
        r = {k: m[k] for k in ("timings_s", "solver", "summary")}
        r.update(_wall_s=m["timings_s"].get("total", 0.0), _peak_rss_mb=float("nan"))
    else:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(_case_file(name, tmpdir, full_time_limit)), str(OUT / "runs"), str(result_file)],
            cwd=REPO, capture_output=True, text=True,
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


def error_table(reference: Path, runs: dict[str, Path]) -> str:
    """Markdown table: each reduced run against the full-year reference (objective, capacity per technology,
    curtailment, storage discharge, time)."""
    import pandas as pd

    def load(d: Path):
        summ = pd.read_csv(d / "summary.csv").set_index("metric")["value"]
        cap = pd.read_csv(d / "capacity.csv")
        cap = cap[cap["kind"] == "power"].groupby("technology")["total"].sum()
        energy = pd.read_csv(d / "energy.csv")
        dis = energy[energy["quantity"] == "storage_discharge"]["value"].sum()
        man = json.loads((d / "manifest.json").read_text())
        return summ, cap, dis, man

    ref_s, ref_cap, ref_dis, ref_m = load(reference)
    major = [t for t, v in ref_cap.items() if v > 1000.0 and t != "nonrenewable_supply"]
    head = ["run", "snapshots", "objective error"] + [f"{t} error" for t in major] + ["curtailment (TWh) ref " + f"{ref_s['curtailment'] / 1e6:.2f}", "storage discharge (TWh) ref " + f"{ref_dis / 1e6:.2f}", "solve s", "total s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, d in runs.items():
        s, cap, dis, m = load(d)
        row = [name, str(m["snapshots"]["count"]), f"{(s['objective'] / ref_s['objective'] - 1) * 100:+.2f} %"]
        row += [f"{(cap.get(t, 0.0) / ref_cap[t] - 1) * 100:+.1f} %" for t in major]
        row += [f"{s['curtailment'] / 1e6:.2f}", f"{dis / 1e6:.2f}", f"{m['timings_s'].get('solve', 0):.1f}", f"{m['timings_s'].get('total', 0):.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", default="quick,re300_2050,re300_2050-hipo,re300_2050_week28,pypsa:re300_2050_week28,"
                                       "pathway,re300_2050_full,re300_2050_full-hipo,pypsa:re300_2050_full")
    ap.add_argument("--full-time-limit", type=float, default=1800.0, help="HiGHS time limit for the full-year cases [s]")
    ap.add_argument("--reuse", action="store_true", help="reuse finished case outputs in outputs/bench/runs/")
    ap.add_argument("--error-table", action="store_true",
                    help="compare representative-day runs (segmented and hourly, re300_2050_rep<N>[h]) with the full-year run")
    args = ap.parse_args(argv)
    if args.error_table:
        args.cases = ("re300_2050_full,re300_2050,re300_2050_rep16,re300_2050_rep32,re300_2050_rep8h,re300_2050_rep16h,"
                      "re300_2050_rep24h,re300_2050_rep32h,re300_2050_full3h")
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as td:
        for name in args.cases.split(","):
            print(f"[bench] {name} ...", flush=True)
            name = name.strip()
            if name.startswith("pypsa:"):
                r = run_pypsa_case(name.removeprefix("pypsa:"), args.full_time_limit)
            else:
                r = run_case(name, Path(td), args.full_time_limit, args.reuse)
            print(f"[bench] {name}: {json.dumps(r)}", flush=True)
            results.append(r)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
               "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1)}
    (OUT / "bench.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    lines = ["| case | status | rows x cols | build s | compile s | HiGHS s | write s | total s | peak RSS MB | objective bn KRW/yr (pathway: present value) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if r["case"].startswith("pypsa:"):
            continue
        if not r["ok"]:
            lines.append(f"| {r['case']} | failed: {r['error']} | | | | | | {r['wall_s']:.1f} | | |")
            continue
        p = r["phases_s"]
        lines.append(f"| {r['case']} | {r['status']} | {r['rows']:,} x {r['columns']:,} | {p.get('build', 0):.2f} | {r['compile_s']:.2f} | "
                     f"{r['highs_s']:.2f} | {p.get('write', 0):.2f} | {p.get('total', 0):.1f} | {r['peak_rss_mb']:.0f} | {r['objective_bn_krw_per_yr']:,.2f} |")
    md = f"Machine: {machine}\n\n" + "\n".join(lines) + "\n"
    pyp = [r for r in results if r["case"].startswith("pypsa:")]
    if pyp:
        md += "\nSame LP through PyPSA/linopy (built from the run's results.nc inputs, same HiGHS method):\n\n"
        md += "| case | status | PyPSA build+solve s | re300 build+solve s | ratio | objective rel. diff |\n|---|---|---:|---:|---:|---:|\n"
        for r in pyp:
            if "pypsa_build_and_solve_s" in r:
                diff = "n/a" if r["objective_rel_diff"] is None else f"{r['objective_rel_diff']:.1e}"
                md += (f"| {r['case']} | {r['status']} | {r['pypsa_build_and_solve_s']:.1f} | {r['re300_build_and_solve_s']:.1f} | "
                       f"{r['time_ratio_pypsa_over_re300']:.2f} | {diff} |\n")
            else:
                md += f"| {r['case']} | {r.get('error', 'failed')} | | | | |\n"
    ref = OUT / "runs" / "re300_2050_full"
    reduced = {r["case"]: OUT / "runs" / r["case"] for r in results if r["ok"] and r["case"] != "re300_2050_full"}
    if args.error_table and (ref / "summary.csv").exists() and reduced:
        md += "\nError against the full year (re300_2050_full):\n\n" + error_table(ref, reduced)
    (OUT / "bench.md").write_text(md)
    print(md)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
