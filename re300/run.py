"""The pipeline behind `re300 solve` and `make solve`: scenario → input tables → profiles → ModelData →
Pyomo LP → HiGHS → results.nc, tidy CSVs and manifest.json, written atomically to outputs/<scenario>/.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time as _time
from pathlib import Path

import numpy as np
import pandas as pd

from .config import load_scenario, validate_names
from .diagnose import binding_limits_text, explain_infeasibility, floor_capacity_factors, numerical_warnings, output_tables
from .errors import InputError, Re300Error, SolveError
from .model.data import ModelData, TargetSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["re300", "pyomo", "highspy", "numpy", "scipy", "pandas", "xarray", "h5netcdf", "pvlib", "pydantic", "pyyaml"]


def capital_recovery_factor(rate: float, lifetime_yr: float) -> float:
    """Annuity factor: annual payment per KRW invested, rate r over n years: r / (1 − (1 + r)^−n) (1/n if r = 0)."""
    if lifetime_yr <= 0:
        raise ValueError("lifetime must be positive")
    if rate == 0:
        return 1.0 / lifetime_yr
    return rate / (1.0 - (1.0 + rate) ** (-lifetime_yr))


class Phases:
    """Times each phase and prints progress lines."""

    def __init__(self, echo: bool = True):
        self.seconds: dict[str, float] = {}
        self.echo = echo

    def __call__(self, name: str):
        return _Phase(self, name)


class _Phase:
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


def assemble_model_data(sc, tables, snap) -> ModelData:
    """Combine scenario, validated tables and the snapshots (capacity factors and demand) into ModelData.

    Costs are annualised here: capex_annual = capex × CRF(discount rate, lifetime) × scenario capex factor.
    """
    inputs = Path(sc.inputs_dir)
    rate = sc.prices.discount_rate if sc.prices.discount_rate is not None else tables.constant("discount_rate")
    tp = tables.technology_parameters(sc.cost_year)
    caps = tables.capacities()
    families = tables.technologies["family"]
    renewable_flag = tables.technologies["renewable"]
    cf = snap.cf
    T = len(snap.time)

    gens, gen_cf, stores = [], [], []
    for (region, tech), row in caps.iterrows():
        if tech in sc.technologies.exclude:
            continue
        p = tp.loc[tech]
        family = families[tech]
        existing = float(np.nan_to_num(row["existing"], nan=0.0))
        potential = row["potential"] * sc.technologies.potential_factor.get(tech, 1.0)
        max_new = 0.0 if (np.isnan(potential) or tech in sc.technologies.no_expansion) else max(potential - existing, 0.0)
        factor = sc.technologies.capex_factor.get(tech, 1.0)
        life = p.get("lifetime", np.nan)
        crf = capital_recovery_factor(rate, life) if np.isfinite(life) else 0.0
        capex = np.nan_to_num(p.get("capex", 0.0)) * factor
        fom = np.nan_to_num(p.get("fom", 0.0))
        vom = np.nan_to_num(p.get("vom", 0.0))
        if family in ("variable_renewable", "dispatchable"):
            fuel = np.nan_to_num(p.get("fuel_price", 0.0))
            if family == "dispatchable" and not bool(renewable_flag[tech]) and sc.prices.nonrenewable_price_krw_per_mwh is not None:
                fuel = sc.prices.nonrenewable_price_krw_per_mwh
            gens.append(dict(
                technology=tech, region=region, renewable=bool(renewable_flag[tech]), existing_mw=existing,
                max_new_mw=max_new, capex_annual_krw_per_mw=capex * crf, fom_krw_per_mw=fom, vom_krw_per_mwh=vom + fuel,
                emission_t_per_mwh=np.nan_to_num(p.get("emission_factor", 0.0)),
            ))
            if family == "variable_renewable":
                if (tech, region) not in cf.columns:
                    raise InputError(inputs / "profile_sites.csv", f"no capacity-factor profile for ({tech}, {region})",
                                     expected="a row mapping this technology and region to a weather site")
                gen_cf.append(cf[(tech, region)].to_numpy(float))
            else:
                gen_cf.append(np.ones(T))
        elif family == "storage":
            duration = p.get("fixed_duration", np.nan)
            e_exist = float(np.nan_to_num(row.get("existing_energy", np.nan), nan=0.0))
            e_pot = row.get("potential_energy", np.nan) * sc.technologies.potential_factor.get(tech, 1.0)
            if tech in sc.technologies.no_expansion:
                e_new = 0.0
            elif np.isnan(e_pot):
                e_new = np.inf if max_new > 0 else 0.0
            else:
                e_new = max(e_pot - e_exist, 0.0)
            stores.append(dict(
                technology=tech, region=region, existing_mw=existing, existing_mwh=e_exist, max_new_mw=max_new,
                max_new_mwh=e_new, capex_annual_krw_per_mw=capex * crf,
                capex_annual_krw_per_mwh=np.nan_to_num(p.get("capex_energy", 0.0)) * factor * crf,
                fom_krw_per_mw=fom, fom_krw_per_mwh=np.nan_to_num(p.get("fom_energy", 0.0)), vom_krw_per_mwh=vom,
                efficiency_charge=p["efficiency_charge"], efficiency_discharge=p["efficiency_discharge"],
                standing_loss_per_h=np.nan_to_num(p.get("standing_loss", 0.0)),
                fixed_duration_h=duration if np.isfinite(duration) and duration > 0 else np.nan,
                inter_period=tech not in sc.time.intra_period_storage,
            ))
        else:
            raise InputError(inputs / "technologies.csv", f"technology {tech!r} has an unknown family", column="family",
                             value=family, expected="variable_renewable, dispatchable or storage")

    lp = tables.link_parameters()
    links = []
    for name, row in lp.iterrows():
        capex = (row["capex_per_km"] * row["length"] + row["capex_terminal"]) * sc.links.capex_factor.get(name, 1.0)
        max_new = row["max_new"]
        if name in sc.links.max_new_mw:
            max_new = sc.links.max_new_mw[name]
        if name in sc.links.no_expansion:
            max_new = 0.0
        links.append(dict(
            link=name, from_region=row["from_region"], to_region=row["to_region"], bidirectional=bool(row["bidirectional"]),
            length_km=row["length"], existing_mw=row["existing"], max_new_mw=np.nan_to_num(max_new, nan=0.0),
            capex_annual_krw_per_mw=capex * capital_recovery_factor(rate, row["lifetime"]),
            fom_krw_per_mw=row["fom_share"] * capex, efficiency=row["efficiency"],
        ))

    regions = list(tables.regions.index)
    kinds = {r: str(k) for r, k in tables.regions["kind"].items()}
    demand = pd.DataFrame(0.0, index=range(T), columns=regions)
    for r in snap.demand.columns:
        demand[r] = snap.demand[r].to_numpy(float)
    t = sc.targets
    penalty = t.shortfall_penalty_krw_per_mwh if t.allow_shortfall else None
    prices = sc.prices
    gen_df = pd.DataFrame(gens)
    return ModelData(
        regions=regions,
        region_kind=kinds,
        time=snap.time,
        weight_h=snap.weight_h,
        duration_h=snap.duration_h,
        block=snap.block,
        period_order=snap.period_order,
        demand_mw=demand,
        generators=gen_df,
        availability=floor_capacity_factors(np.clip(np.vstack(gen_cf), 0.0, 1.0)) if gen_cf else np.zeros((0, T)),
        storage=pd.DataFrame(stores),
        links=pd.DataFrame(links),
        carbon_price_krw_per_t=prices.carbon_price_krw_per_t if prices.carbon_price_krw_per_t is not None else tables.constant("carbon_price"),
        value_of_lost_load_krw_per_mwh=(prices.value_of_lost_load_krw_per_mwh if prices.value_of_lost_load_krw_per_mwh is not None
                                        else tables.constant("value_of_lost_load")),
        targets=TargetSettings(
            renewable_share=t.renewable_share, export_share=t.export_share,
            deduct_storage_losses=t.deduct_storage_losses, deduct_transmission_losses=t.deduct_transmission_losses,
            renewable_slack_krw_per_mwh=penalty if t.renewable_share is not None else None,
            export_slack_krw_per_mwh=penalty if t.export_share is not None else None,
        ),
        name=sc.name,
    )


def prepare(sc, phases: Phases, cache_dir: Path | None = None):
    """Scenario → (tables, ModelData, input files read)."""
    from .inputs.demand import hourly_demand
    from .inputs.snapshots import select_snapshots
    from .inputs.tables import load_tables
    from .weather import capacity_factors
    from .weather.tables import load_weather_tables

    with phases("inputs"):
        tables = load_tables(sc.inputs_dir)
        validate_names(sc, set(tables.regions.index), set(tables.technologies.index), set(tables.links.index))
        weather_files = load_weather_tables(sc.inputs_dir).input_files() + [f.path for f in sc.weather.files.values()]
    with phases("profiles"):
        caps = tables.capacities()
        fam = tables.technologies["family"]
        pairs = [(t, r) for r, t in caps.index if fam[t] == "variable_renewable" and t not in sc.technologies.exclude]
        cf = capacity_factors(sc.inputs_dir, pairs, weather_year=sc.weather.year, seed=sc.weather.seed,
                              cache_dir=cache_dir or REPO_ROOT / ".cache" / "profiles",
                              weather_files=sc.weather.files)
        factors = {r: sc.demand.factor(r) for r in tables.honam_regions}
        demand = hourly_demand(tables, cf.index, factors, base_year=sc.demand.base_year)
    with phases("snapshots"):
        snap = select_snapshots(sc.time, cf, demand)
        data = assemble_model_data(sc, tables, snap)
    files = list(tables.files().values()) + list(weather_files)
    return tables, data, files


def run_scenario(path, output_dir=None, echo: bool = True) -> Path:
    """Run one scenario end to end; returns the output folder. Raises Re300Error subclasses on bad input."""
    from .model.builder import build_model
    from .results.atomic import atomic_output_dir
    from .results.dataset import to_dataset
    from .results.manifest import git_info, hash_files, package_versions, runtime_info, write_manifest
    from .solve.highs import SolverOptions, solve

    sc = load_scenario(path)
    out_root = Path(output_dir) if output_dir else Path(sc.output_dir)
    final = out_root / sc.name
    phases = Phases(echo)
    t_start = _time.perf_counter()
    if echo:
        horizon = (f"{sc.time.periods} representative days{' + extreme days' if sc.time.extremes else ''}"
                   if sc.time.mode == "representative" else f"{sc.time.n_hours} snapshots ({sc.time.mode})")
        print(f"[re300] scenario {sc.name}: year {sc.year}, {horizon}, "
              f"renewable target {sc.targets.renewable_share}, export {sc.targets.export_share}", flush=True)
    tables, data, files = prepare(sc, phases)

    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Re300Error(f"cannot create the output folder {out_root}: {e.strerror}") from None
    with atomic_output_dir(final) as tmp:
        with phases("build"):
            built = build_model(data, split_hours=sc.solver.split_hours)
        with phases("solve"):
            opts = SolverOptions(
                method=sc.solver.method, crossover=sc.solver.crossover, time_limit_s=sc.solver.time_limit_s,
                threads=sc.solver.threads, log_file=tmp / "highs.log", options=dict(sc.solver.options),
            )
            sol = solve(built, opts)
        if sol.status in INFEASIBLE_STATUSES:
            if echo:
                print(f"[re300] HiGHS: {sol.status}; computing an infeasible subset ...", flush=True)
            raise SolveError(f"scenario {sc.name} is infeasible: {explain_infeasibility(built, sol, opts.options)}. "
                             "Nothing was written; earlier outputs of this scenario are untouched.")
        if not sol.optimal:
            raise SolveError(f"HiGHS finished with status '{sol.status}' for scenario {sc.name}; see the HiGHS log. "
                             "Earlier outputs of this scenario are untouched.")
        warnings = numerical_warnings(sol.info.get("coefficient_ranges"))
        if echo:
            for w in warnings:
                print(f"[re300] WARNING: {w}", file=sys.stderr, flush=True)
        if echo:
            print(f"[re300] HiGHS: {sol.status}, objective {sol.objective:,.3f} bn KRW/yr, {sol.info['rows']:,} rows x "
                  f"{sol.info['columns']:,} columns; compile {sol.timings['compile_s']:.2f} s, HiGHS {sol.timings['highs_s']:.2f} s", flush=True)
        with phases("write"):
            input_hashes = hash_files(files + [Path(p) for p in sc.source_files], relative_to=REPO_ROOT)
            input_hash = hashlib.sha256(json.dumps(input_hashes, sort_keys=True).encode()).hexdigest()
            versions = package_versions(PACKAGES)
            attrs = {
                "input_hash": input_hash,
                "package_versions": json.dumps(versions, sort_keys=True),
                "phase_seconds": json.dumps({k: round(v, 3) for k, v in phases.seconds.items()}),
                "target_year": sc.year,
                "cost_year": sc.cost_year,
                "weather_year": sc.weather.year,
                "time_mode": sc.time.mode,
            }
            ds = to_dataset(built, sol, sc.name, attrs)
            ds.to_netcdf(tmp / "results.nc", engine="h5netcdf")
            frames = output_tables(ds)
            for name, frame in frames.items():
                frame.to_csv(tmp / name, index=False, float_format="%.10g")
            summary = dict(zip(frames["summary.csv"]["metric"], frames["summary.csv"]["value"]))
            limits = frames["binding_limits.csv"]
            warnings += _result_warnings(summary, limits)
        phases.seconds["total"] = _time.perf_counter() - t_start
        write_manifest(
            tmp / "manifest.json",
            scenario=sc.resolved_dict(),
            scenario_files=[str(p) for p in sc.source_files],
            input_hashes=input_hashes,
            input_hash=input_hash,
            git=git_info(REPO_ROOT),
            packages=versions,
            runtime=runtime_info(),
            solver={"status": sol.status, "objective_bn_krw_per_yr": sol.objective, **sol.info, "timings_s": sol.timings},
            timings_s=phases.seconds,
            snapshots={"count": data.n_time, "mode": sc.time.mode, "hours_represented": float(np.sum(data.weight_h)),
                       "blocks": int(len(np.unique(data.block))),
                       "calendar_periods": None if data.period_order is None else int(len(data.period_order))},
            summary=summary,
            warnings=warnings,
        )
    if echo:
        _print_headline(summary, final, limits)
    return final


INFEASIBLE_STATUSES = ("Infeasible", "Primal infeasible or unbounded")


def _result_warnings(summary: dict, limits) -> list[str]:
    """Warnings about the result itself: unserved energy, missed targets and the limits that bind."""
    out = []
    unserved = summary.get("unserved_energy", 0.0)
    re_short, ex_short = summary.get("renewable_shortfall", 0.0), summary.get("export_shortfall", 0.0)
    if unserved > 1e-6:
        out.append(f"{unserved / 1e3:,.1f} GWh/yr of demand is UNSERVED (priced at the value of lost load)")
    if re_short + ex_short > 1e-6:
        out.append(f"targets missed by {(re_short + ex_short) / 1e6:,.2f} TWh/yr (renewable {re_short / 1e6:,.2f} TWh, "
                   f"export {ex_short / 1e6:,.2f} TWh; priced shortfall); binding limits: {binding_limits_text(limits)}")
    return out


def _print_headline(summary: dict, final: Path, limits=None) -> None:
    unserved = summary.get("unserved_energy", 0.0)
    short = summary.get("renewable_shortfall", 0.0) + summary.get("export_shortfall", 0.0)
    print(f"[re300] total system cost {summary['total_system_cost'] / 1e12:,.3f} trillion KRW/yr; "
          f"renewable ratio {summary['renewable_ratio']:.3f}; exports {summary['exports_delivered'] / 1e6:,.1f} TWh; "
          f"curtailment share {summary['curtailment_share']:.3f}")
    if unserved > 1e-6:
        print(f"[re300] WARNING: {unserved / 1e3:,.1f} GWh/yr of demand is UNSERVED (priced at the value of lost load)", file=sys.stderr)
    if short > 1e-6:
        print(f"[re300] WARNING: targets missed by {short / 1e6:,.2f} TWh/yr (renewable "
              f"{summary.get('renewable_shortfall', 0.0) / 1e6:,.2f} TWh, export {summary.get('export_shortfall', 0.0) / 1e6:,.2f} "
              "TWh; priced shortfall); see summary.csv", file=sys.stderr)
    if limits is not None and len(limits):
        print(f"[re300] {'WARNING: binding limits' if short > 1e-6 else 'at their limits'}: {binding_limits_text(limits)}",
              file=sys.stderr if short > 1e-6 else sys.stdout)
    print(f"[re300] outputs written to {final}")
