"""`re300 mga MODEL.yaml`: the scenario's LP, near-optimal ranges of its key quantities on a Dask cluster, and the
files <output_dir>/mga/<scenario>/ (ranges.csv, alternatives.csv, ranges.png, ranges.md, manifest.json)."""
from __future__ import annotations

import hashlib
import json
import sys
import time as _time
from dataclasses import asdict
from pathlib import Path

from re300.paths import display_path

from ..quantities import DEFAULT_QUANTITIES, default_quantities
from .chains import near_optimal_ranges
from .lp import CAP_TOLERANCE
from .report import memo_text, plot_ranges, sentences


def run_mga(path, slack: float = 0.05, quantities=DEFAULT_QUANTITIES, scheduler: str | None = None,
            workers: int | None = None, output_dir=None, echo: bool = True) -> Path:
    """`re300 mga`: ranges of key quantities within `slack` of least cost; writes <output_dir>/mga/<scenario>/."""
    from re300.atomic import atomic_output_dir
    from re300.config import load_scenario
    from re300.paths import project_root
    from re300.results.manifest import git_info, hash_files, package_versions, runtime_info, write_manifest
    from re300.run import PACKAGES, Phases, prepare

    from ..cluster import dask_client, describe

    t0 = _time.perf_counter()
    sc = load_scenario(path)
    final = (Path(output_dir) if output_dir else sc.output_dir / "mga") / sc.name
    tables, data, files = prepare(sc, Phases(echo=False))
    profiles = tables.technologies.get("profile")
    pv = [t for t, p in profiles.items() if p == "pv"] if profiles is not None else None
    qs = default_quantities(data, tuple(dict.fromkeys(quantities)), pv_technologies=pv)
    opts = dict(method=sc.solver.method, crossover=sc.solver.crossover, time_limit_s=sc.solver.time_limit_s,
                threads=sc.solver.threads, options=dict(sc.solver.options))
    if echo:
        print(f"[mga] {sc.name}: slack {slack:.1%}; {len(qs)} quantities, {2 * sum(bool(q.members) for q in qs)} near-optimal solves", flush=True)
    with dask_client(scheduler, workers) as client:
        cluster = describe(client)
        if echo:
            print(f"[mga] cluster: {cluster}", flush=True)
        ranges = near_optimal_ranges(data, slack, qs, client, opts, echo=echo)
    table = ranges.table()
    text = sentences(table, slack, qs)
    input_hashes = hash_files(files + [Path(p) for p in sc.source_files], relative_to=project_root(sc.inputs_dir))
    input_hash = hashlib.sha256(json.dumps(input_hashes, sort_keys=True).encode()).hexdigest()
    note = f"re300 mga {display_path(sc.source_file)} --slack {slack:g}; input hash {input_hash[:12]}; installed capacity (ranges.csv in MW)"
    with atomic_output_dir(final) as tmp:
        table.to_csv(tmp / "ranges.csv", index=False, float_format="%.6f")
        ranges.alternatives_table().to_csv(tmp / "alternatives.csv", index=False, float_format="%.6f")
        plot_ranges(table, slack, f"{sc.name}: plans within {slack * 100:g} % of least cost", note, tmp / "ranges.png")
        (tmp / "ranges.md").write_text(memo_text(sc.name, slack, ranges, table, text, note), encoding="utf-8")
        write_manifest(
            tmp / "manifest.json", scenario=sc.resolved_dict(), scenario_files=[str(p) for p in sc.source_files],
            input_hashes=input_hashes, input_hash=input_hash, git=git_info(project_root(sc.inputs_dir)), packages=package_versions(PACKAGES),
            runtime=runtime_info(), mga={"slack": slack, "cluster": cluster, "cost_cap_tolerance": CAP_TOLERANCE,
                                         "solves": ranges.solves,
                                         "least_cost_objective_bn_krw_per_yr": ranges.optimum["objective_bn_krw"],
                                         "quantities": [asdict(q) for q in qs]},
            timings_s={"total": _time.perf_counter() - t0},
        )
    failed = [a for a in ranges.alternatives if not a["ok"]]
    if echo:
        for line in text:
            print(f"[mga] {line}")
        print(f"[mga] outputs written to {final} ({_time.perf_counter() - t0:.1f} s)")
    for a in failed:
        print(f"[mga] WARNING: {a['sense']} {a['quantity']} failed: {a['error']}", file=sys.stderr)
    return final
