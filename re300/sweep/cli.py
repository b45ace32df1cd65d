"""`re300 sweep` and `re300 mga` (registered on the main parser by `re300.cli.build_parser`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from .cluster import SCHEDULER_ENV
from .quantities import DEFAULT_QUANTITIES, QUANTITY_NAMES


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}; expected a whole number >= 1") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"got {n}; expected a whole number >= 1")
    return n


def _slack(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}; expected a fraction such as 0.05 (5 %)") from None
    if not 0 <= x < 10:
        raise argparse.ArgumentTypeError(f"got {x}; expected a fraction of the least cost >= 0, e.g. 0.05 (5 %)")
    return x


def _cluster_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help=f"address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: ${SCHEDULER_ENV}, "
                        "else a LocalCluster on this machine)")
    p.add_argument("--workers", metavar="N", type=_positive_int, default=None,
                   help="workers of the LocalCluster (processes, 1 thread each; default: one per core)")


def _cmd_sweep(args: argparse.Namespace) -> int:
    from .runner import run_sweep

    report = run_sweep(Path(args.sweep), scheduler=args.scheduler, workers=args.workers)
    print(f"re300: sweep '{report.spec.name}': {report.count('solved')} solved, {report.count('complete')} already complete, "
          f"{report.count('failed')} failed; outputs in {report.sweep_dir}")
    return 0


def _cmd_mga(args: argparse.Namespace) -> int:
    from .mga import run_mga

    final = run_mga(Path(args.model), slack=args.slack, quantities=args.quantities, scheduler=args.scheduler,
                    workers=args.workers, output_dir=args.output_dir)
    print(f"re300: near-optimal ranges in {final}")
    return 0


def add_sweep_commands(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sweep", parents=[common], help="run every member of a sweep on Dask, merge the results",
                       description="Run the members of a sweep file (models/sweeps/*.yaml) on dask.distributed; "
                                   "members whose outputs are complete for the same inputs are skipped; results merge "
                                   "into <output_dir>/<sweep>/results.nc, summary.csv and figures/.")
    p.add_argument("sweep", metavar="SWEEP.yaml", help="sweep file, e.g. models/sweeps/smoke.yaml")
    _cluster_options(p)
    p.set_defaults(func=_cmd_sweep)

    p = sub.add_parser("mga", parents=[common], help="near-optimal ranges of key quantities (MGA) on Dask",
                       description="Solve the least-cost plan, then minimise and maximise each key quantity subject to "
                                   "cost <= (1 + slack) x least cost; writes <output_dir>/mga/<scenario>/ranges.csv, "
                                   "ranges.png and ranges.md.")
    p.add_argument("model", metavar="MODEL.yaml", help="scenario file, e.g. models/re300_2050.yaml")
    p.add_argument("--slack", type=_slack, default=0.05, help="cost slack as a fraction of least cost (default 0.05)")
    p.add_argument("--quantities", nargs="+", choices=QUANTITY_NAMES, default=list(DEFAULT_QUANTITIES), metavar="Q",
                   help=f"quantities to range (default: {' '.join(DEFAULT_QUANTITIES)}; choices: {', '.join(QUANTITY_NAMES)})")
    p.add_argument("--output-dir", metavar="DIR", default=None,
                   help="output root instead of <scenario output_dir>/mga (the run writes DIR/<name>/)")
    _cluster_options(p)
    p.set_defaults(func=_cmd_mga)
