"""`python -m re300.bench` (`make bench`): every case, then outputs/bench/bench.json and bench.md (see the package
docstring for the cases and options)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path

from re300.bench import __doc__ as bench_doc
from re300.bench.cases import bench_dir, run_case, run_pypsa_case
from re300.bench.error_table import error_table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m re300.bench", description=bench_doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="quick,pypsa:quick,re300_2050,re300_2050-hipo,re300_2050_week28,pypsa:re300_2050_week28,"
                                       "pathway,re300_2050_full,re300_2050_full-hipo,pypsa:re300_2050_full")
    ap.add_argument("--full-time-limit", type=float, default=1800.0, help="HiGHS time limit for the full-year cases [s]")
    ap.add_argument("--reuse", action="store_true", help="reuse finished case outputs in outputs/bench/runs/")
    ap.add_argument("--error-table", action="store_true",
                    help="compare representative-day runs (segmented and hourly, re300_2050_rep<N>[h]) with the full-year run")
    args = ap.parse_args(argv)
    out = bench_dir()
    if args.error_table:
        args.cases = ("re300_2050_full,re300_2050,re300_2050_rep16,re300_2050_rep32,re300_2050_rep8h,re300_2050_rep16h,"
                      "re300_2050_rep24h,re300_2050_rep32h,re300_2050_full3h")
    out.mkdir(parents=True, exist_ok=True)
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
    (out / "bench.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2))
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
    ref = out / "runs" / "re300_2050_full"
    reduced = {r["case"]: out / "runs" / r["case"] for r in results if r["ok"] and r["case"] != "re300_2050_full"}
    if args.error_table and (ref / "summary.csv").exists() and reduced:
        md += "\nError against the full year (re300_2050_full):\n\n" + error_table(ref, reduced)
    (out / "bench.md").write_text(md)
    print(md)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
