"""Command line: `re300 solve MODEL.yaml`, `re300 show MODEL.yaml`, `re300 verify OUTPUT_DIR`,
`re300 profiles MODEL.yaml [--report]`, `re300 memo RUN_DIR [--lang ko|en]`, `re300 compare RUN_DIR...`,
`re300 stress RUN_DIR --years N`.

Errors that re300 anticipates (`re300.errors.Re300Error`) are printed as one line
`re300: error: <message>` with exit status 2; Ctrl-C exits with 130. `--debug` adds the traceback.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

import yaml

from re300.errors import Re300Error

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM
_received_signal: list[int] = []


def _on_sigterm(signum, frame):
    """SIGTERM (e.g. `kill`, a batch scheduler) stops a run like Ctrl-C: KeyboardInterrupt unwinds the pipeline, HiGHS is
    cancelled, the temporary output folder is deleted and earlier outputs stay untouched."""
    _received_signal.append(signum)
    raise KeyboardInterrupt


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("re300")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _cmd_show(args: argparse.Namespace) -> int:
    from re300.config import load_scenario

    sc = load_scenario(args.model)
    chain = " <- ".join(str(_shown(p)) for p in sc.source_files)
    sys.stdout.write(f"# resolved scenario: {chain}\n")
    sys.stdout.write(yaml.dump(sc.resolved_dict(), Dumper=_ShowDumper, sort_keys=False, allow_unicode=True,
                               default_flow_style=False, width=120))
    return 0


def _flow_list(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


class _ShowDumper(yaml.SafeDumper):
    """Block-style mappings, flow-style lists (`weeks: [2, 28]`)."""


_ShowDumper.add_representer(list, _flow_list)


def _shown(p: Path) -> Path:
    try:
        return p.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return p


def _cmd_solve(args: argparse.Namespace) -> int:
    from re300.config import load_scenario

    sc = load_scenario(args.model)  # fail fast on a bad file, before the heavy imports
    try:
        from re300.run import run_scenario
    except ModuleNotFoundError as e:
        if e.name in ("re300.run",):
            raise Re300Error("the solve pipeline (re300.run) is not available in this installation") from None
        raise
    output_dir = Path(args.output_dir) if args.output_dir else None
    result = run_scenario(Path(args.model), output_dir=output_dir)
    where = _run_dir_of(result)
    if where is None:
        where = (output_dir.absolute() if output_dir else sc.output_dir) / sc.name
    print(f"re300: scenario '{sc.name}' solved; outputs in {_shown(Path(where))}")
    return 0


def _cmd_memo(args: argparse.Namespace) -> int:
    from re300.report.memo import build_memo

    langs = [args.lang] if args.lang else ["ko", "en"]
    result = build_memo(Path(args.run_dir), langs=langs)
    for path in result.files:
        if path.suffix in (".md", ".html"):
            print(f"re300: memo written: {_shown(path)}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from re300.report.compare import build_comparison

    langs = [args.lang] if args.lang else ["ko", "en"]
    result = build_comparison([Path(d) for d in args.run_dirs], out_dir=args.output_dir, langs=langs)
    for path in result.files:
        if path.suffix in (".md", ".html"):
            print(f"re300: comparison written: {_shown(path)}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from re300.audit import print_report, verify_run

    checks = verify_run(Path(args.run_dir), root=Path(args.root) if args.root else None)
    return 0 if print_report(checks, Path(args.run_dir)) else 1


def _cmd_profiles(args: argparse.Namespace) -> int:
    from re300.config import load_scenario

    sc = load_scenario(args.model)
    from re300.weather.report import write_report

    w = sc.weather
    files = ", ".join(f"{site} ({f.format}: {_shown(f.path)})" for site, f in w.files.items()) or "none"
    print(f"re300 profiles: scenario '{sc.name}', weather year {w.year} ({w.source}), seed {w.seed}; "
          f"sites read from files: {files}")
    if not args.report:
        from re300.weather import capacity_factors
        from re300.weather.tables import load_weather_tables

        pairs = list(load_weather_tables(sc.inputs_dir).profile_sites)
        cf = capacity_factors(sc.inputs_dir, pairs, weather_year=w.year, seed=w.seed, weather_files=w.files,
                              source=w.source)
        print("annual capacity factor (MW AC per MW nameplate, %):")
        for (tech, region), v in (cf.mean() * 100).items():
            print(f"  {tech:<14} {region:<9} {v:5.1f}")
        print("(add --report to write the validation report against Korean statistics)")
        return 0
    from re300.inputs import load_tables
    from re300.inputs.demand_checks import demand_report

    stats, demand_checks = demand_report(load_tables(sc.inputs_dir), sc.demand)
    out = write_report(sc, output_dir=Path(args.output_dir) if args.output_dir else None,
                       extras={"demand_statistics.csv": stats, "demand_checks.csv": demand_checks})
    import pandas as pd

    res = pd.read_csv(out / "validation.csv", keep_default_na=False)
    within = res["within_band"].astype(str) == "True"
    print(f"re300: {len(res)} checks over weather years {', '.join(map(str, w.report_years()))}: {int(within.sum())} "
          f"within band, {int((~within).sum())} outside (see the note column); report in {_shown(out)}")
    for _, r in res[~within].iterrows():
        band = f"{r['low'] or '-inf'} to {r['high'] or 'inf'}"
        period = f" {r['period']}" if r["period"] else ""
        value = f"{float(r['value']):.3g}" if r["value"] != "" else "n/a"
        unit = "" if r["unit"] == "1" else f" {r['unit']}"
        print(f"  outside: {r['quantity']}, {r['place']}{period}: {value}{unit} (band {band}): {r['note'][:160]}")
    if (out / "measured_vs_synthetic.csv").is_file():
        comp = pd.read_csv(out / "measured_vs_synthetic.csv")
        for _, r in comp[comp["period"] == "year"].iterrows():
            print(f"  {r['quantity']}, {r['place']} ({r['year']}): measured {r['measured']:.4g}, synthetic "
                  f"{r['synthetic']:.4g} {r['unit']}")
    for _, r in demand_checks.iterrows():
        period = f" month {r['period']}" if r["period"] else ""
        print(f"  demand {r['check']}, {r['place']} {r['year']}{period}: {r['value']:,.0f} MW against "
              f"{r['reference']:,.0f} ({'within' if r['within_band'] else 'outside'} the band)")
    _print_dynamics(out, pd)
    return 0


def _print_dynamics(out: Path, pd) -> None:
    """The generator's dynamics against the measured year (dynamics.csv) and the fleets' ramps (fleet.csv)."""
    if (out / "dynamics.csv").is_file():
        dyn = pd.read_csv(out / "dynamics.csv", keep_default_na=False)
        inside = dyn["within_band"].astype(str) == "True"
        years = int(dyn["generated_years"].iloc[0]) if len(dyn) else 0
        print(f"re300: generator dynamics, measured year against {years} sampled years: {int(inside.sum())} of "
              f"{len(dyn)} statistics within band (band = generated mean +- 2 sd; dynamics.csv)")
        for _, r in dyn[~inside].iterrows():
            period = "" if r["period"] == "year" else f" {r['period']}"
            print(f"  outside: {r['statistic']}{period}, {r['place']}: measured {float(r['measured']):.3g}, generated "
                  f"{float(r['generated_mean']):.3g} (band {float(r['low']):.3g} to {float(r['high']):.3g})"
                  + (f": {r['note'][:120]}" if r["note"] else ""))
    if (out / "fleet.csv").is_file():
        fleet = pd.read_csv(out / "fleet.csv")
        for r in fleet.itertuples(index=False):
            print(f"  fleet {r.technology} {r.region}: {r.sites} sites, weather-made hourly ramps "
                  f"{r.weather_ramp_fleet_over_one_site:.2f} x one site's (sd {r.weather_ramp_sd_fleet:.3f} against "
                  f"{r.weather_ramp_sd_one_site:.3f}), capacity factor {100 * r.cf_fleet:.1f} % against "
                  f"{100 * r.cf_one_site:.1f} %")


def _cmd_stress(args: argparse.Namespace) -> int:
    from re300.report.stress import markdown_table
    from re300.stress import run_stress

    report = run_stress(Path(args.run_dir), years=args.years, resolution_hours=args.resolution_hours,
                        workers=args.workers, scheduler=args.scheduler)
    print(markdown_table(report.table))
    for line in report.lines:
        print(f"re300 stress: {line}")
    print(f"re300 stress: {len(report.table)} years in {report.wall_seconds:.0f} s on {report.cluster}; "
          f"table in {_shown(report.out_dir / 'stress.csv')}")
    if report.failed:
        print(f"re300 stress: not solved: {', '.join(report.failed)} (see the error column)", file=sys.stderr)
        return 1
    return 0


def _run_dir_of(result) -> Path | None:
    """Best effort: the output folder from whatever run_scenario returned."""
    if isinstance(result, (str, os.PathLike)):
        return Path(result)
    for attr in ("run_dir", "output_dir", "out_dir", "path"):
        v = getattr(result, attr, None)
        if isinstance(v, (str, os.PathLike)):
            return Path(v)
    if isinstance(result, dict):
        for key in ("run_dir", "output_dir"):
            if isinstance(result.get(key), (str, os.PathLike)):
                return Path(result[key])
    return None


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback on errors")

    parser = argparse.ArgumentParser(
        prog="re300",
        description="Honam RE300 planning model (Pyomo LP solved by HiGHS).",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"re300 {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("solve", parents=[common], help="build and solve a scenario, write outputs",
                       description="Build and solve a scenario; write outputs to <output_dir>/<name>/.")
    p.add_argument("model", metavar="MODEL.yaml", help="scenario file, e.g. models/re300_2050.yaml")
    p.add_argument("--output-dir", metavar="DIR", default=None,
                   help="output root instead of the scenario's output_dir (the run writes DIR/<name>/)")
    p.set_defaults(func=_cmd_solve)

    p = sub.add_parser("verify", parents=[common], help="re-check a finished run from its files alone",
                       description="Re-check a finished run from its files: input hashes, energy balance, target "
                                   "accounting, costs, CSVs against results.nc. Exit 0 if every check passes, 1 otherwise.")
    p.add_argument("run_dir", metavar="OUTPUT_DIR", help="a run's output folder, e.g. outputs/re300_2050")
    p.add_argument("--root", metavar="DIR", default=None,
                   help="folder that the manifest's relative input paths refer to (default: the folder holding the "
                        "run's inputs folder, as recorded in manifest.json)")
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("show", parents=[common], help="print the resolved scenario (extends merged, defaults filled)",
                       description="Print the fully merged and defaulted scenario as YAML.")
    p.add_argument("model", metavar="MODEL.yaml", help="scenario file")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("profiles", parents=[common], help="capacity-factor profiles; --report validates them",
                       description="Print the annual capacity factor of every profile of a scenario's weather; with "
                                   "--report write <output_dir>/profiles/ (validation.csv against Korean statistics, "
                                   "monthly.csv, report.json and PNG figures).")
    p.add_argument("model", metavar="MODEL.yaml", help="scenario file (its weather section is used)")
    p.add_argument("--report", action="store_true", help="write the validation report")
    p.add_argument("--output-dir", metavar="DIR", default=None,
                   help="output root instead of the scenario's output_dir (the report goes to DIR/profiles/)")
    p.set_defaults(func=_cmd_profiles)

    p = sub.add_parser("memo", parents=[common], help="policy memo (Korean and English) from a run's result CSVs",
                       description="Write RUN_DIR/memo/memo.<lang>.md and .html (figures embedded; PNGs in "
                                   "memo/figures/) from the result CSVs of a finished run alone.")
    p.add_argument("run_dir", metavar="RUN_DIR", help="results folder, e.g. outputs/re300_2050")
    p.add_argument("--lang", choices=["ko", "en"], default=None, help="one language only (default: both)")
    p.set_defaults(func=_cmd_memo)

    p = sub.add_parser("compare", parents=[common], help="comparison memo of several runs (tables and figures)",
                       description="Write a side-by-side comparison memo of finished runs, from their result CSVs, to "
                                   "DIR (default: compare/ next to the first RUN_DIR, e.g. outputs/compare/).")
    p.add_argument("run_dirs", metavar="RUN_DIR", nargs="+", help="results folders, e.g. outputs/re300_2050 outputs/no_hvdc")
    p.add_argument("--lang", choices=["ko", "en"], default=None, help="one language only (default: both)")
    p.add_argument("--output-dir", metavar="DIR", default=None, help="where to write the comparison memo")
    p.set_defaults(func=_cmd_compare)

    from re300.stress.years import DEFAULT_RESOLUTION_H

    p = sub.add_parser("stress", parents=[common], help="re-dispatch a plan on many weather years (stress test)",
                       description="Keep the capacities of a finished single-year run and re-dispatch them, hour by "
                                   "hour in chronological steps, on N sampled synthetic weather years and the measured "
                                   "year, on Dask; write RUN_DIR/stress/stress.csv (unserved energy, target shortfalls, "
                                   "curtailment, non-renewable supply and cost per year), stress.json and summary.md.")
    p.add_argument("run_dir", metavar="RUN_DIR", help="results folder of a single-year run, e.g. outputs/re300_2050")
    p.add_argument("--years", type=int, default=20, metavar="N", help="synthetic weather years (default 20)")
    p.add_argument("--resolution-hours", type=int, default=DEFAULT_RESOLUTION_H, metavar="K",
                   help=f"hours per chronological step (default {DEFAULT_RESOLUTION_H}; 1 = hourly, about 3 x slower; "
                        "README 'Stress test')")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="Dask workers (default: one per core)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="an existing Dask scheduler (default: a "
                   "LocalCluster, or $RE300_DASK_SCHEDULER)")
    p.set_defaults(func=_cmd_stress)

    from re300.sweep.cli import add_sweep_commands  # `sweep` and `mga`

    add_sweep_commands(sub, common)
    return parser


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "unknown error"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    _received_signal.clear()
    try:
        previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (e.g. called from a worker): keep the default handler
        previous_handler = None
    try:
        return int(args.func(args) or 0)
    except Re300Error as e:
        if debug:
            traceback.print_exc()
        print(f"re300: error: {_one_line(str(e))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        terminated = signal.SIGTERM in _received_signal
        print(f"re300: {'terminated (SIGTERM)' if terminated else 'interrupted'}; no outputs written "
              "(earlier outputs untouched)", file=sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `re300 show ... | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 -- silence the flush at exit
        except OSError:
            pass
        return 0
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)


if __name__ == "__main__":
    sys.exit(main())
