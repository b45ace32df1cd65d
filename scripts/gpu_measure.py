"""Measurements behind cuPDLPx's default tolerance (issue 17), for scripts/gpu_check.sh on a machine with a GPU.

    python scripts/gpu_measure.py [--tolerances 1e-4,1e-5,1e-6,1e-7] [--full-crossover-s 120] [--budget-s 300]
                                  [--json measure.json]

1. Flagship (representative days): HiGHS IPX + crossover as the reference, then cuPDLPx at each tolerance:
   objective, capacities per technology and region, prices and target shadow prices against IPX
   (re300.solve.agreement), the quality on the compiled LP, GPU seconds and iterations.
2. Full hourly year: built and compiled once, then cuPDLPx at each tolerance: objective against the HiGHS IPX
   reference 20,013.109 bn KRW/yr (2,032 s on 2 CPU cores, issue 17), quality, seconds.
3. Full year with crossover (when --full-crossover-s > 0): HiGHS crossover from the 1e-6 point with that time limit,
   to say whether crossover on the full year is minutes or hours.
Stages stop being started once --budget-s seconds have passed. Prints one line per result; --json keeps them all.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FULL_YEAR_IPX_OBJECTIVE = 20_013.109  # bn KRW/yr, HiGHS IPX + crossover, issue 17 (measured 2026-12-04)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tolerances", default="1e-4,1e-5,1e-6,1e-7")
    ap.add_argument("--full-crossover-s", type=float, default=120.0)
    ap.add_argument("--budget-s", type=float, default=300.0)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    tols = [float(t) for t in args.tolerances.split(",")]
    t_start = time.perf_counter()
    left = lambda: args.budget_s - (time.perf_counter() - t_start)  # noqa: E731
    records: list[dict] = []

    def say(rec: dict, line: str) -> None:
        records.append(rec)
        print(f"[measure] {line}", flush=True)

    from re300.config import load_scenario
    from re300.model.builder import build_model
    from re300.results.dataset import to_dataset
    from re300.run import Phases, prepare
    from re300.solve import cupdlpx as gpu
    from re300.solve.agreement import agreement_line, compare_runs
    from re300.solve.highs import compile_arrays, scatter_solution
    from re300.solve.quality import lp_quality
    from re300.solve.solver import SolverOptions, solve

    mod = gpu.check_available()
    n, name = gpu.gpu_devices()
    print(f"[measure] GPU: {name} ({n}); cupdlpx {getattr(mod, '__version__', '?')}", flush=True)

    # 1. flagship against IPX
    sc = load_scenario(REPO / "models" / "re300_2050.yaml")
    _, data, _ = prepare(sc, Phases(echo=False))
    built = build_model(data)
    ref = solve(built, SolverOptions(method="ipm", crossover=True))
    ds_ref = to_dataset(built, ref)
    say({"case": "flagship", "solver": "ipx", "objective": ref.objective, "seconds": ref.timings["highs_s"]},
        f"flagship IPX + crossover: {ref.objective:,.6f} bn KRW/yr in {ref.timings['highs_s']:.2f} s (reference)")
    for tol in tols:
        if left() < 0:
            break
        sol = solve(built, SolverOptions(method="cupdlpx", crossover=False, options={"tolerance": tol}))
        d = compare_runs(ds_ref, to_dataset(built, sol), ref.objective, sol.objective)
        q = sol.info["quality"]
        say({"case": "flagship", "tolerance": tol, "status": sol.status, "seconds": sol.timings["cupdlpx_s"],
             "iterations": sol.info["cupdlpx_iterations"], "agreement": d, "quality": q},
            f"flagship cuPDLPx tol {tol:g}: {sol.status}, {sol.timings['cupdlpx_s']:.2f} s, "
            f"{sol.info['cupdlpx_iterations']} it.; {agreement_line(d)}; gap {q['relative_gap']:.1e}, max primal "
            f"infeasibility {q['max_primal_infeasibility']:.1e}, max dual infeasibility {q['max_dual_infeasibility']:.1e}")

    # 2. full year: build and compile once, solve at each tolerance
    if left() > 0:
        sc_full = load_scenario(REPO / "models" / "re300_2050_full.yaml")
        t0 = time.perf_counter()
        _, data_full, _ = prepare(sc_full, Phases(echo=False))
        t_prep = time.perf_counter() - t0
        t0 = time.perf_counter()
        built_full = build_model(data_full)
        t_build = time.perf_counter() - t0
        lp = compile_arrays(built_full)
        say({"case": "full", "prepare_s": t_prep, "build_s": t_build, "compile_s": lp.compile_s, "arrays_s": lp.pass_s,
             "rows": lp.n_rows, "columns": lp.n_cols, "nonzeros": int(lp.A.nnz)},
            f"full year: {lp.n_rows:,} x {lp.n_cols:,} ({lp.A.nnz:,} nnz); prepare {t_prep:.2f} s, build "
            f"{t_build:.2f} s, compile {lp.compile_s:.2f} s, arrays {lp.pass_s:.2f} s")
        point = None
        for tol in tols:
            if left() < 0:
                break
            params = gpu.cupdlpx_params(SolverOptions(method="cupdlpx", time_limit_s=max(left(), 30.0),
                                                      options={"tolerance": tol}))
            out = gpu.run_cupdlpx(mod, lp, params)
            q = lp_quality(lp, out["X"], out["Pi"])
            rel = abs(q["primal_objective"] - FULL_YEAR_IPX_OBJECTIVE) / FULL_YEAR_IPX_OBJECTIVE
            say({"case": "full", "tolerance": tol, "status": out["status"], "seconds": out["seconds"],
                 "model_s": out["model_s"], "iterations": out["iterations"], "objective": q["primal_objective"],
                 "objective_rel_to_ipx": rel, "quality": q, "reported": out["reported"]},
                f"full year cuPDLPx tol {tol:g}: {out['status']}, {out['seconds']:.2f} s (+ {out['model_s']:.2f} s "
                f"hand-over), {out['iterations']} it.; objective {q['primal_objective']:,.3f} vs IPX "
                f"{FULL_YEAR_IPX_OBJECTIVE:,.3f} (rel {rel:.1e}); gap {q['relative_gap']:.1e}, max primal "
                f"infeasibility {q['max_primal_infeasibility']:.1e} (relative {q['relative_primal_infeasibility']:.1e}),"
                f" max dual infeasibility {q['max_dual_infeasibility']:.1e}")
            if tol == 1e-6:
                point = out
        # 3. crossover on the full year from the 1e-6 point, with a time limit
        if point is not None and args.full_crossover_s > 0 and left() > 0:
            t0 = time.perf_counter()
            opts = SolverOptions(method="cupdlpx", time_limit_s=args.full_crossover_s, log_to_console=True)
            try:
                h, rec = gpu.crossover(lp, point["X"], point["Pi"], opts)
                status = h.modelStatusToString(h.getModelStatus())
                s = h.getSolution()
                import numpy as np

                q = lp_quality(lp, np.asarray(s.col_value), np.asarray(s.row_dual))
                scatter_solution(built_full, lp, np.asarray(s.col_value), np.asarray(s.row_dual))
            except Exception as e:  # noqa: BLE001 - reported
                status, rec, q = f"error: {e}", {}, {}
            secs = time.perf_counter() - t0
            say({"case": "full", "crossover_limit_s": args.full_crossover_s, "status": status, "seconds": secs,
                 "record": rec, "quality": q},
                f"full year crossover from the 1e-6 point (limit {args.full_crossover_s:g} s): {status} after "
                f"{secs:.1f} s; {rec}; objective {q.get('primal_objective', float('nan')):,.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
