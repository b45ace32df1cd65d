"""The pipeline behind `re300 solve` and `make solve`, phase by phase:

    scenario → input tables → profiles and demand → snapshots → ModelData (`re300.assemble`)
             → Pyomo LP (`re300.model`) → HiGHS (`re300.solve`; myopic pathways: `re300.workflows.myopic`)
             → results.nc, tidy CSVs, manifest.json (`re300.results`), written atomically to <output_dir>/<name>/.

A run with hourly-matched RE100 loads also solves its annual-matching variant (`re300.workflows.re100_premium`).
"""
from __future__ import annotations

import hashlib
import json
import sys
import time as _time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .assemble import assemble_model_data
from .config import load_scenario, validate_names
from .errors import Re300Error, SolveError

PACKAGES = ["re300", "pyomo", "highspy", "numpy", "scipy", "pandas", "xarray", "h5netcdf", "pvlib", "pydantic", "pyyaml"]
INFEASIBLE_STATUSES = ("Infeasible", "Primal infeasible or unbounded")


class Phases:
    """Times each phase (`with phases("build"): ...`) and prints progress lines when `echo`."""

    def __init__(self, echo: bool = True):
        self.seconds: dict[str, float] = {}
        self.echo = echo

    def __call__(self, name: str):
        return Phase(self, name)


class Phase:
    """One timed phase of a `Phases` record (a context manager)."""

    def __init__(self, owner: Phases, name: str):
        self.owner, self.name = owner, name

    def __enter__(self):
        if self.owner.echo:
            print(f"[re300] {self.name} ...", flush=True)
        self.t0 = _time.perf_counter()
        return self

    def __exit__(self, *exc):
        dt = _time.perf_counter() - self.t0
        self.owner.seconds[self.name] = dt
        if self.owner.echo and exc[0] is None:
            print(f"[re300] {self.name} done in {dt:.2f} s", flush=True)
        return False


def prepare(sc, phases: Phases, cache_dir: Path | None = None):
    """Scenario → (tables, ModelData, input files read): tables and names checked, capacity factors (cached) and
    hourly demand, snapshots chosen, ModelData assembled."""
    from .inputs.demand import export_region_demand, hourly_demand
    from .inputs.snapshots import select_snapshots, stack_years
    from .inputs.tables import load_tables
    from .weather import capacity_factors
    from .weather.tables import load_weather_tables

    with phases("inputs"):
        tables = load_tables(sc.inputs_dir)
        validate_names(sc, set(tables.regions.index), set(tables.technologies.index), set(tables.links.index),
                       honam_regions=set(tables.honam_regions), drivers=set(tables.range_drivers))
        tables = tables.with_cases(sc.input_cases)  # low/high values of inputs/ranges.csv, if the scenario asks
        weather_files = load_weather_tables(sc.inputs_dir).input_files() + [f.path for f in sc.weather.files.values()]
        weather_files += measured_inputs(sc)
    with phases("profiles"):
        caps = tables.capacities()
        fam = tables.technologies["family"]
        pairs = [(t, r) for r, t in caps.index if fam[t] == "variable_renewable" and t not in sc.technologies.exclude]
        # the export regions' own solar (their headroom): the profile_sites.csv rows of those regions
        pairs += [(t, r) for t, r in load_weather_tables(sc.inputs_dir).profile_sites if r in tables.export_regions]
        # one year (typical or sampled), or the sampled planning years of a multi-year plan, all on the calendar of
        # `weather.year` (the demand shape's)
        seeds = sc.weather.planning_seeds() or [sc.weather.seed]
        cfs = [capacity_factors(sc.inputs_dir, pairs, weather_year=sc.weather.year, seed=seed,
                                cache_dir=cache_dir or paths.profile_cache_dir(), weather_files=sc.weather.files,
                                source=sc.weather.source, sampled=sc.weather.variability == "sampled" or len(seeds) > 1)
               for seed in seeds]
        cf = cfs[0]
        factors = {r: sc.demand.factor(r) for r in tables.honam_regions}
        # measured shape: the KPX national demand of the weather year (same calendar days as the weather)
        demand = hourly_demand(tables, cf.index, factors, base_year=sc.demand.base_year, shape=sc.demand.shape)
        honam_peak_mw = float(demand.to_numpy(float).sum(axis=1).max())  # before any aggregation (adequacy rule)
        if sc.exports.absorption == "limited" and tables.export_regions:
            # the export regions' own demand (measured national shape) bounds what they can take
            # (the KPX national shape; on the sector shapes, Honam's own total shape, see export_region_demand)
            own = None if sc.demand.shape == "measured" else demand.to_numpy(float).sum(axis=1)
            demand = pd.concat([demand, export_region_demand(tables, cf.index, sc.demand.base_year, own)], axis=1)
        if len(cfs) > 1:  # the planning years one after another (each labelled as a year of its own)
            cf, demand = stack_years(cfs), stack_years([demand] * len(cfs))
    with phases("snapshots"):
        snap = select_snapshots(sc.time, cf, demand)
        snap.info["honam_peak_mw"] = honam_peak_mw
        data = assemble_model_data(sc, tables, snap)
    files = list(tables.files().values()) + list(weather_files)
    return tables, data, files


def measured_inputs(sc) -> list[Path]:
    """The files of inputs/measured/ a scenario reads (measured weather and/or demand shape), for the manifest."""
    from .inputs.measured import measured_files as demand_files
    from .weather.measured import measured_input_files

    files: list[Path] = []
    if sc.weather.source == "measured":
        files += measured_input_files(sc.inputs_dir, sc.weather.year)
    if sc.demand.shape == "measured":
        files += [p for p in demand_files(sc.inputs_dir, sc.weather.year) if p not in files]
    return [p for p in files if p.is_file()]


def _announce(sc) -> None:
    """The first console line: scenario, horizon and targets."""
    horizon = (f"{sc.time.typical_days} representative days{' + extreme days' if sc.time.extremes else ''}"
               if sc.time.mode == "representative" else f"{sc.time.n_hours} snapshots ({sc.time.mode})")
    if sc.pathway is None:
        print(f"[re300] scenario {sc.name}: year {sc.year}, {horizon}, "
              f"renewable target {sc.targets.renewable_share}, export {sc.targets.export_share}", flush=True)
    else:
        targets = ", ".join(f"{y}: RE {t.renewable_share}, export {t.export_share}"
                            for y, t in sorted(sc.pathway.targets.items()))
        print(f"[re300] scenario {sc.name}: pathway {sc.pathway.periods} ({sc.pathway.foresight} foresight), "
              f"{horizon} per period; targets {targets}", flush=True)


@dataclass
class Solved:
    """What the solve phase hands to the write phase."""

    built: object
    sol: object
    steps: list | None  # myopic pathway: one record per period LP
    warnings: list[str]
    comparison: dict | None  # annual-matching variant of a run with hourly RE100 loads


def solve_phase(sc, data, phases: Phases, opts, tmp: Path, echo: bool) -> Solved:
    """Build and solve the LP (period by period for a myopic pathway), stop with one line when HiGHS finds no optimum,
    and solve the annual-matching variant when RE100 loads are matched hourly."""
    from .model.builder import build_model
    from .solve.health import numerical_warnings
    from .solve.solver import solve
    from .workflows.myopic import solve_myopic_scenario
    from .workflows.re100_premium import annual_matching_variant, has_hourly_re100

    myopic = data.pathway is not None and data.pathway.foresight == "myopic"
    steps = None
    with phases("build"):
        built = None if myopic else build_model(data, split_hours=sc.solver.split_hours)
    with phases("solve"):
        if myopic:
            built, sol, steps = solve_myopic_scenario(data, sc, opts, echo)
        else:
            sol = solve(built, opts)
    check_solution(sc, built, sol, opts, echo)
    warnings = numerical_warnings(sol.info.get("coefficient_ranges"))
    if echo:
        for w in warnings:
            print(f"[re300] WARNING: {w}", file=sys.stderr, flush=True)
        unit = "bn KRW (present value)" if data.pathway is not None else "bn KRW/yr"
        name = sol.info.get("solver", "HiGHS")
        print(f"[re300] {name}: {sol.status}, objective {sol.objective:,.3f} {unit}, {sol.info['rows']:,} rows x "
              f"{sol.info['columns']:,} columns; compile {sol.timings['compile_s']:.2f} s, {name} {sol.timings['highs_s']:.2f} s",
              flush=True)
        print_quality(built, sol)
    comparison = None
    if has_hourly_re100(data):
        with phases("re100_annual_matching"):
            comparison = annual_matching_variant(data, sc, opts, tmp, echo)
    return Solved(built, sol, steps, warnings, comparison)


def write_phase(sc, data, solved: Solved, files: list, tmp: Path, phases: Phases, echo: bool) -> tuple:
    """results.nc and every CSV into `tmp`; returns (frames, summaries by year, binding limits by year, input sha256
    by path) and adds the
    result warnings to `solved.warnings`. Input hashes are recorded relative to the run's project root."""
    from .results.console import result_warnings, summaries_by_year
    from .results.dataset import to_dataset
    from .results.manifest import hash_files, package_versions
    from .results.outputs import output_tables
    from .results.tables import by_period
    from .workflows.re100_premium import comparison_rows

    pathway = data.pathway is not None
    root = paths.project_root(sc.inputs_dir)
    input_hashes = hash_files(files + [Path(p) for p in sc.source_files], relative_to=root)
    attrs = {
        "input_hash": hashlib.sha256(json.dumps(input_hashes, sort_keys=True).encode()).hexdigest(),
        "package_versions": json.dumps(package_versions(PACKAGES), sort_keys=True),
        "phase_seconds": json.dumps({k: round(v, 3) for k, v in phases.seconds.items()}),
        "target_year": sc.year, "cost_year": sc.cost_year, "weather_year": sc.weather.year, "time_mode": sc.time.mode,
    }
    ds = to_dataset(solved.built, solved.sol, sc.name, attrs)
    ds.to_netcdf(tmp / "results.nc", engine="h5netcdf")
    frames = by_period(ds, output_tables) if pathway else output_tables(ds)
    if solved.comparison is not None:
        frames["summary.csv"] = pd.concat([frames["summary.csv"], comparison_rows(ds, solved.comparison)],
                                          ignore_index=True)
        solved.warnings += solved.comparison.get("warnings", [])
        if echo:
            for w in solved.comparison.get("warnings", []):
                print(f"[re300] WARNING: {w}", file=sys.stderr, flush=True)
    for name, frame in frames.items():
        frame.to_csv(tmp / name, index=False, float_format="%.10g")
    summaries, limits = summaries_by_year(frames, data)
    for year, summary in summaries.items():
        prefix = f"{year}: " if pathway else ""
        solved.warnings += [prefix + w for w in result_warnings(summary, limits[year])]
    return frames, summaries, limits, input_hashes


def manifest_phase(sc, data, solved: Solved, input_hashes: dict, summaries: dict, phases: Phases, tmp: Path) -> None:
    """manifest.json: resolved scenario, input sha256, git state of the project root, versions, solver, phase times."""
    from .results.manifest import git_info, package_versions, runtime_info, write_manifest

    pathway = data.pathway is not None
    sol = solved.sol
    extra = {}
    if pathway:
        pw = data.pathway
        extra["pathway"] = {"periods": [int(y) for y in pw.years], "span_yr": [int(x) for x in pw.span_yr],
                            "build_interval_yr": [int(x) for x in pw.build_interval_yr],
                            "objective_weight": [float(x) for x in pw.objective_weight], "base_year": int(pw.base_year),
                            "discount_rate": float(pw.discount_rate), "foresight": pw.foresight,
                            "myopic_steps": solved.steps}
    if solved.comparison is not None:
        c = solved.comparison
        extra["re100_annual_matching"] = {"status": c["status"], "objective_bn_krw": c["objective"], "seconds": c["seconds"]}
    write_manifest(
        tmp / "manifest.json",
        scenario=sc.resolved_dict(),
        scenario_files=[str(p) for p in sc.source_files],
        input_hashes=input_hashes,
        input_hash=hashlib.sha256(json.dumps(input_hashes, sort_keys=True).encode()).hexdigest(),
        git=git_info(paths.project_root(sc.inputs_dir)),
        packages=package_versions(PACKAGES),
        runtime=runtime_info(),
        solver={"status": sol.status, "objective_bn_krw_per_yr" if not pathway else "objective_bn_krw_present_value":
                sol.objective, **sol.info, "timings_s": sol.timings},
        timings_s=phases.seconds,
        snapshots={"count": data.n_time, "mode": sc.time.mode, "hours_represented": float(np.sum(data.weight_h)),
                   "blocks": int(len(np.unique(data.block))),
                   "calendar_periods": None if data.typical_day_order is None else int(len(data.typical_day_order))},
        summary=summaries[None] if not pathway else {str(y): v for y, v in summaries.items()},
        warnings=solved.warnings,
        **extra,
    )


def run_scenario(path, output_dir=None, echo: bool = True) -> Path:
    """Run one scenario end to end; returns the output folder. Raises Re300Error subclasses on bad input.

    A scenario with a `pathway` section solves all its investment periods (perfect foresight: one LP; myopic: one
    LP per period, then the whole pathway with those builds fixed) and writes every table with a `period` column,
    plus capacity_trajectory.csv. With hourly-matched RE100 loads the same scenario is solved a second time with
    the loads matched annually, and summary.csv reports the premium of hourly matching."""
    from .atomic import atomic_output_dir
    from .results.console import print_headline, print_pathway_headline
    from .solve.highs import SolverOptions

    sc = load_scenario(path)
    if sc.solver.method == "cupdlpx":  # no GPU or no module: one line before any work, nothing written
        from .solve.cupdlpx import check_available

        check_available()
    out_root = Path(output_dir) if output_dir else Path(sc.output_dir)
    final = out_root / sc.name
    phases = Phases(echo)
    t_start = _time.perf_counter()
    if echo:
        _announce(sc)
    tables, data, files = prepare(sc, phases)
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Re300Error(f"cannot create the output folder {out_root}: {e.strerror}") from None
    with atomic_output_dir(final) as tmp:
        opts = SolverOptions(method=sc.solver.method, crossover=sc.solver.crossover, time_limit_s=sc.solver.time_limit_s,
                             threads=sc.solver.threads, log_file=tmp / "highs.log", log_to_console=echo,
                             options=dict(sc.solver.options))
        solved = solve_phase(sc, data, phases, opts, tmp, echo)
        with phases("write"):
            frames, summaries, limits, input_hashes = write_phase(sc, data, solved, files, tmp, phases, echo)
        phases.seconds["total"] = _time.perf_counter() - t_start
        manifest_phase(sc, data, solved, input_hashes, summaries, phases, tmp)
    if echo:
        if data.pathway is not None:
            print_pathway_headline(frames["summary.csv"], summaries, final, limits)
        else:
            print_headline(summaries[None], final, limits[None])
    return final


def print_quality(built, sol) -> None:
    """The console line of `sol.info["quality"]` (re300.solve.quality), naming the family of the worst row."""
    from .solve.quality import quality_line

    q = sol.info.get("quality")
    if not q:
        return
    where = None
    if q.get("worst_row", -1) >= 0 and sol.lp is not None and built is not None:
        label = sol.lp["row_labels"][q["worst_row"]]
        where = label[0] if label is not None else None
    tol = ""
    if sol.info.get("tolerance") is not None:  # cuPDLPx: the tolerance of the GPU solve, and whether crossover followed
        kind = "first-order solution" if sol.info.get("first_order") else "vertex by crossover from"
        tol = f" [{kind} relative tolerance {sol.info['tolerance']:g}]"
    print(f"[re300] {quality_line(q, where)}{tol}", flush=True)


def check_solution(sc, built, sol, opts, echo) -> None:
    """Stop with one line (nothing written) when HiGHS found no optimum; an infeasible LP is explained by an
    irreducible infeasible subset."""
    from .solve.infeasible import explain_infeasibility

    if sol.status in INFEASIBLE_STATUSES:
        if echo:
            print(f"[re300] HiGHS: {sol.status}; computing an infeasible subset ...", flush=True)
        year = None if sc.pathway else sc.year
        raise SolveError(f"scenario {sc.name} is infeasible: {explain_infeasibility(built, sol, opts.options, year)}. "
                         "Nothing was written; earlier outputs of this scenario are untouched.")
    if not sol.optimal:
        raise SolveError(f"{sol.info.get('solver', 'HiGHS')} finished with status '{sol.status}' for scenario {sc.name}; see the log. "
                         "Earlier outputs of this scenario are untouched.")
