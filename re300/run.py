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


def discount_rate(sc, tables) -> float:
    return sc.prices.discount_rate if sc.prices.discount_rate is not None else tables.constant("discount_rate")


def _storage_part(sc, row, tech: str, part: str, power_max_new: float) -> tuple[float, float]:
    """(existing, largest new) capacity of a storage part ('energy' [MWh] or 'charge' [MW]) from capacities.csv:
    a missing potential means no limit when the power may expand (no expansion otherwise)."""
    existing = float(np.nan_to_num(row.get(f"existing_{part}", np.nan), nan=0.0))
    potential = row.get(f"potential_{part}", np.nan) * sc.technologies.potential_factor.get(tech, 1.0)
    if tech in sc.technologies.no_expansion:
        return existing, 0.0
    if np.isnan(potential):
        return existing, np.inf if power_max_new > 0 else 0.0
    return existing, max(potential - existing, 0.0)


def _part_lifetime(p, key: str, default: float) -> float:
    """Lifetime of a storage part (tank, electrolyser) [yr]; the power part's when the table has none."""
    life = p.get(key, np.nan)
    return default if not np.isfinite(life) else life


def _asset_rows(sc, tables, year: int, rate: float, cf_columns) -> tuple[list, list, list, list]:
    """One row per generator, storage and link with the costs of `year` (annualised: capex × CRF(rate, lifetime) ×
    scenario capex factor), and the generators' capacity-factor keys. The row order does not depend on `year`."""
    inputs = Path(sc.inputs_dir)
    tp = tables.technology_parameters(year)
    caps = tables.capacities()
    families = tables.technologies["family"]
    renewable_flag = tables.technologies["renewable"]

    def crf(life):
        return capital_recovery_factor(rate, life) if np.isfinite(life) else 0.0

    gens, gen_keys, stores = [], [], []
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
        capex = np.nan_to_num(p.get("capex", 0.0)) * factor
        fom = np.nan_to_num(p.get("fom", 0.0))
        vom = np.nan_to_num(p.get("vom", 0.0))
        if family in ("variable_renewable", "dispatchable"):
            fuel = np.nan_to_num(p.get("fuel_price", 0.0))
            if family == "dispatchable" and not bool(renewable_flag[tech]) and sc.prices.nonrenewable_price_krw_per_mwh is not None:
                fuel = sc.prices.nonrenewable_price_krw_per_mwh
            gens.append(dict(
                technology=tech, region=region, renewable=bool(renewable_flag[tech]), existing_mw=existing,
                max_new_mw=max_new, capex_annual_krw_per_mw=capex * crf(life), fom_krw_per_mw=fom, vom_krw_per_mwh=vom + fuel,
                emission_t_per_mwh=np.nan_to_num(p.get("emission_factor", 0.0)), lifetime_yr=life,
            ))
            if family == "variable_renewable":
                if (tech, region) not in cf_columns:
                    raise InputError(inputs / "profile_sites.csv", f"no capacity-factor profile for ({tech}, {region})",
                                     expected="a row mapping this technology and region to a weather site")
                gen_keys.append((tech, region))
            else:
                gen_keys.append(None)
        elif family == "storage":
            duration = p.get("fixed_duration", np.nan)
            e_exist, e_new = _storage_part(sc, row, tech, "energy", max_new)
            separate = bool(np.isfinite(p.get("capex_charge", np.nan)))
            c_exist, c_new = _storage_part(sc, row, tech, "charge", max_new) if separate else (0.0, 0.0)
            life_e = _part_lifetime(p, "lifetime_energy", life)
            life_c = _part_lifetime(p, "lifetime_charge", life)
            stores.append(dict(
                technology=tech, region=region, existing_mw=existing, existing_mwh=e_exist, max_new_mw=max_new,
                max_new_mwh=e_new, capex_annual_krw_per_mw=capex * crf(life),
                capex_annual_krw_per_mwh=np.nan_to_num(p.get("capex_energy", 0.0)) * factor * crf(life_e),
                fom_krw_per_mw=fom, fom_krw_per_mwh=np.nan_to_num(p.get("fom_energy", 0.0)), vom_krw_per_mwh=vom,
                efficiency_charge=p["efficiency_charge"], efficiency_discharge=p["efficiency_discharge"],
                standing_loss_per_h=np.nan_to_num(p.get("standing_loss", 0.0)),
                fixed_duration_h=duration if np.isfinite(duration) and duration > 0 else np.nan,
                inter_period=tech not in sc.time.intra_period_storage,
                separate_charge_power=separate, charge_existing_mw=c_exist, charge_max_new_mw=c_new,
                charge_capex_annual_krw_per_mw=np.nan_to_num(p.get("capex_charge", 0.0)) * factor * crf(life_c) if separate else 0.0,
                charge_fom_krw_per_mw=np.nan_to_num(p.get("fom_charge", 0.0)) if separate else 0.0,
                lifetime_yr=life, energy_lifetime_yr=life_e, charge_lifetime_yr=life_c,
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
            fom_krw_per_mw=row["fom_share"] * capex, efficiency=row["efficiency"], lifetime_yr=row["lifetime"],
        ))
    return gens, gen_keys, stores, links


def assemble_model_data(sc, tables, snap) -> ModelData:
    """Combine scenario, validated tables and the snapshots (capacity factors and demand) into ModelData.

    Costs are annualised here: capex_annual = capex × CRF(discount rate, lifetime) × scenario capex factor.
    With a `pathway` section the snapshots are repeated for every investment period (see `pathway_model_data`).
    """
    rate = discount_rate(sc, tables)
    cf = snap.cf
    T = len(snap.time)
    gens, gen_keys, stores, links = _asset_rows(sc, tables, sc.cost_year, rate, set(cf.columns))
    gen_cf = [cf[k].to_numpy(float) if k is not None else np.ones(T) for k in gen_keys]

    regions = list(tables.regions.index)
    kinds = {r: str(k) for r, k in tables.regions["kind"].items()}
    demand = pd.DataFrame(0.0, index=range(T), columns=regions)
    for r in snap.demand.columns:
        demand[r] = snap.demand[r].to_numpy(float)
    t = sc.targets
    penalty = t.shortfall_penalty_krw_per_mwh if t.allow_shortfall else None
    prices = sc.prices
    gen_df = pd.DataFrame(gens)
    data = ModelData(
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
    if sc.pathway is not None:
        return pathway_model_data(sc, tables, data, rate, set(cf.columns))
    if sc.re100_loads:
        loads = [l for l in sc.re100_loads if l.from_year is None or sc.year >= l.from_year]
        data = _with_re100_loads(data, loads, [list(range(T))], [sc.year])
    return data


def re100_load_series(load, time: pd.DatetimeIndex, duration_h: np.ndarray) -> np.ndarray:
    """A RE100 load per snapshot [MW]: mw × its daily profile averaged over the hours the snapshot lasts."""
    prof = load.profile()
    hours = np.asarray(time.hour, dtype=np.int64)
    dur = np.maximum(np.rint(np.asarray(duration_h, float)).astype(np.int64), 1)
    return np.array([load.mw * prof[(h + np.arange(d)) % 24].mean() for h, d in zip(hours, dur)])


def _with_re100_loads(data: ModelData, loads, snapshots_by_period, years) -> ModelData:
    """Add the scenario's RE100 loads to demand (each from its from_year on) and record them for the matching."""
    from dataclasses import replace

    if not loads:
        return data
    T = data.n_time
    series = np.zeros((len(loads), T))
    for k, load in enumerate(loads):
        for idx, year in zip(snapshots_by_period, years):
            if load.from_year is None or year is None or year >= load.from_year:
                idx = np.asarray(idx)
                series[k, idx] = re100_load_series(load, data.time[idx], np.asarray(data.duration_h)[idx])
    demand = data.demand_mw.copy()
    for k, load in enumerate(loads):
        demand[load.region] = demand[load.region].to_numpy(float) + series[k]
    frame = pd.DataFrame({"name": [l.name for l in loads], "region": [l.region for l in loads],
                          "matching": [l.matching for l in loads]})
    return replace(data, demand_mw=demand, re100_loads=frame, re100_load_mw=series)


def pathway_model_data(sc, tables, base: ModelData, rate: float, cf_columns) -> ModelData:
    """The pathway LP data: the scenario's snapshots repeated for every investment period (time labels moved to the
    period's year; blocks and the calendar order of typical days numbered per period), demand × the period's growth
    (+ RE100 loads), costs of the period's year, existing capacity after the retirements of
    inputs/existing_vintages.csv, limits on new capacity in service (potential − existing, and the schedule of
    inputs/availability_years.csv), build-rate limits (inputs/build_limits.csv) and the targets of each period."""
    from dataclasses import replace

    from .model.data import PERIOD_COLUMNS, Pathway

    pw = sc.pathway
    years = list(pw.periods)
    P = len(years)
    T = base.n_time
    pathway = Pathway.from_years(years, pw.base_year, rate, pw.final_period_years, pw.foresight)
    # time axis
    times, blocks, orders = [], [], []
    nblocks = int(np.max(base.block)) + 1 if T else 0
    for p, y in enumerate(years):
        times.append(pd.DatetimeIndex([t.replace(year=y) for t in base.time]))
        blocks.append(np.asarray(base.block) + p * nblocks)
        if base.period_order is not None:
            orders.append(np.asarray(base.period_order) + p * nblocks)
    snapshot_period = np.repeat(np.arange(P), T)
    demand = pd.concat([base.demand_mw * pw.growth(y, sc.demand.base_year) for y in years], ignore_index=True)
    # per-period costs and capacities
    rows = {y: _asset_rows(sc, tables, y, rate, cf_columns) for y in years}
    frames = {"generators": 0, "storage": 2, "links": 3}
    period_data = {}
    for frame, k in frames.items():
        n = len(getattr(base, frame))
        if n == 0:
            continue
        period_data[frame] = {col: np.array([[r[col] for r in rows[y][k]] for y in years], dtype=float).T
                              for col in PERIOD_COLUMNS[frame]}
    _pathway_capacities(sc, tables, base, period_data, years)
    targets = replace(
        base.targets,
        renewable_share_by_period=tuple(pw.targets[y].renewable_share if y in pw.targets else None for y in years),
        export_share_by_period=tuple(pw.targets[y].export_share if y in pw.targets else None for y in years),
    )
    penalty = sc.targets.shortfall_penalty_krw_per_mwh if sc.targets.allow_shortfall else None
    targets.renewable_slack_krw_per_mwh = penalty
    targets.export_slack_krw_per_mwh = penalty
    data = replace(
        base,
        time=pd.DatetimeIndex(np.concatenate([t.values for t in times])),
        weight_h=np.tile(np.asarray(base.weight_h, float), P),
        duration_h=np.tile(np.asarray(base.duration_h, float), P),
        block=np.concatenate(blocks),
        period_order=np.concatenate(orders) if orders else None,
        demand_mw=demand,
        availability=np.tile(np.asarray(base.availability, float), (1, P)),
        pathway=pathway,
        snapshot_period=snapshot_period,
        period_data=period_data,
        targets=targets,
        build_rate_limits=_build_rate_limits(sc, tables, base) if pw.build_limits else None,
    )
    if sc.re100_loads:
        data = _with_re100_loads(data, list(sc.re100_loads), [np.flatnonzero(snapshot_period == p) for p in range(P)], years)
    return data


def _pathway_capacities(sc, tables, base: ModelData, period_data: dict, years) -> None:
    """Existing capacity per period (vintage retirements) and the limit on new capacity in service per period:
    min(total allowed − existing in the period, availability schedule), where total allowed = base-year existing +
    base-year max_new (potential after scenario factors); an asset that may not expand in the base year never does."""
    pw = sc.pathway
    vint = {y: tables.existing_in_service(y) for y in years}

    def existing(frame_df, param, base_col):
        """(rows x periods): the base-year value, or with retirements the vintages still in service."""
        out = np.repeat(frame_df[base_col].to_numpy(float)[:, None], len(years), axis=1)
        if not pw.retire_existing:
            return out
        for i, (t, r) in enumerate(zip(frame_df["technology"], frame_df["region"])):
            if _has_vintages(tables, r, t, param):
                out[i] = [float(np.nan_to_num(vint[y][param].get((r, t), 0.0), nan=0.0)) for y in years]
        return out

    def limit(ex_base, max_new_base, ex_p, schedule_keys=None):
        """(rows x periods) limit on new capacity in service; schedule_keys: (asset, region) per row for the
        availability schedule, or None."""
        allowed_total = ex_base + max_new_base  # inf stays inf
        out = np.where(max_new_base[:, None] > 0, np.maximum(allowed_total[:, None] - ex_p, 0.0), 0.0)
        if pw.availability_years and schedule_keys is not None:
            for i, (a, r) in enumerate(schedule_keys):
                out[i] = np.minimum(out[i], [tables.availability_limit(a, r, y) for y in years])
        return out

    g = base.generators
    if len(g):
        ex = existing(g, "existing", "existing_mw")
        period_data["generators"]["existing_mw"] = ex
        period_data["generators"]["max_new_mw"] = limit(g["existing_mw"].to_numpy(float), g["max_new_mw"].to_numpy(float), ex,
                                                        list(zip(g["technology"], g["region"])))
    s = base.storage
    if len(s):
        pdt = period_data["storage"]
        for param, ex_col, lim_col, scheduled in (("existing", "existing_mw", "max_new_mw", True),
                                                  ("existing_energy", "existing_mwh", "max_new_mwh", False),
                                                  ("existing_charge", "charge_existing_mw", "charge_max_new_mw", False)):
            ex = existing(s, param, ex_col)
            pdt[ex_col] = ex
            pdt[lim_col] = limit(s[ex_col].to_numpy(float), s[lim_col].to_numpy(float), ex,
                                 list(zip(s["technology"], s["region"])) if scheduled else None)
    links = base.links
    if len(links):
        ex = np.repeat(links["existing_mw"].to_numpy(float)[:, None], len(years), axis=1)
        period_data["links"]["existing_mw"] = ex
        period_data["links"]["max_new_mw"] = limit(ex[:, 0], links["max_new_mw"].to_numpy(float), ex,
                                                   [(name, "") for name in links["link"]])


def _has_vintages(tables, region, tech, param) -> bool:
    v = tables.raw["existing_vintages.csv"]
    return bool(((v["region"] == region) & (v["technology"] == tech) & (v["parameter"] == param)).any())


def _build_rate_limits(sc, tables, base: ModelData) -> pd.DataFrame:
    """inputs/build_limits.csv rows, scaled by pathway.build_rate_factor (a row takes the factor given for its
    technologies; rows mixing technologies with different factors are an error)."""
    from .errors import ConfigError
    from .paths import display_path

    lim = tables.build_limits()
    families = tables.technologies["family"]
    factors, frames = [], []
    for techs in lim["technologies"]:
        given = {sc.pathway.build_rate_factor[t] for t in techs.split("+") if t in sc.pathway.build_rate_factor}
        if len(given) > 1:
            raise ConfigError(display_path(sc.origin("pathway", "build_rate_factor") or sc.source_file or "<scenario>"),
                              "pathway.build_rate_factor",
                              f"the build limit on {techs} (inputs/build_limits.csv) gets different factors {sorted(given)}; "
                              "expected one factor for all technologies of a limit")
        factors.append(given.pop() if given else 1.0)
        frames.append("storage" if families[techs.split("+")[0]] == "storage" else "generators")
    out = lim[["name", "technologies", "regions"]].copy()
    out["frame"] = frames
    out["max_mw_per_yr"] = lim["max_mw_per_yr"].to_numpy(float) * np.asarray(factors)
    return out


def prepare(sc, phases: Phases, cache_dir: Path | None = None):
    """Scenario → (tables, ModelData, input files read)."""
    from .inputs.demand import hourly_demand
    from .inputs.snapshots import select_snapshots
    from .inputs.tables import load_tables
    from .weather import capacity_factors
    from .weather.tables import load_weather_tables

    with phases("inputs"):
        tables = load_tables(sc.inputs_dir)
        validate_names(sc, set(tables.regions.index), set(tables.technologies.index), set(tables.links.index),
                       honam_regions=set(tables.honam_regions))
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
    """Run one scenario end to end; returns the output folder. Raises Re300Error subclasses on bad input.

    A scenario with a `pathway` section solves all its investment periods (perfect foresight: one LP; myopic: one
    LP per period, then the whole pathway with those builds fixed) and writes every table with a `period` column,
    plus capacity_trajectory.csv. With hourly-matched RE100 loads the same scenario is solved a second time with
    the loads matched annually, and summary.csv reports the premium of hourly matching."""
    from .model.builder import build_model
    from .results.atomic import atomic_output_dir
    from .results.dataset import to_dataset
    from .results.manifest import git_info, hash_files, package_versions, runtime_info, write_manifest
    from .results.tables import by_period
    from .solve.highs import SolverOptions, solve

    sc = load_scenario(path)
    out_root = Path(output_dir) if output_dir else Path(sc.output_dir)
    final = out_root / sc.name
    phases = Phases(echo)
    t_start = _time.perf_counter()
    if echo:
        horizon = (f"{sc.time.periods} representative days{' + extreme days' if sc.time.extremes else ''}"
                   if sc.time.mode == "representative" else f"{sc.time.n_hours} snapshots ({sc.time.mode})")
        if sc.pathway is None:
            print(f"[re300] scenario {sc.name}: year {sc.year}, {horizon}, "
                  f"renewable target {sc.targets.renewable_share}, export {sc.targets.export_share}", flush=True)
        else:
            targets = ", ".join(f"{y}: RE {t.renewable_share}, export {t.export_share}" for y, t in sorted(sc.pathway.targets.items()))
            print(f"[re300] scenario {sc.name}: pathway {sc.pathway.periods} ({sc.pathway.foresight} foresight), "
                  f"{horizon} per period; targets {targets}", flush=True)
    tables, data, files = prepare(sc, phases)
    pathway = data.pathway is not None
    myopic = pathway and data.pathway.foresight == "myopic"

    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Re300Error(f"cannot create the output folder {out_root}: {e.strerror}") from None
    with atomic_output_dir(final) as tmp:
        opts = SolverOptions(
            method=sc.solver.method, crossover=sc.solver.crossover, time_limit_s=sc.solver.time_limit_s,
            threads=sc.solver.threads, log_file=tmp / "highs.log", log_to_console=echo,
            options=dict(sc.solver.options),
        )
        steps = None
        with phases("build"):
            built = None if myopic else build_model(data, split_hours=sc.solver.split_hours)
        with phases("solve"):
            if myopic:
                built, sol, steps = _solve_myopic(data, sc, opts, echo)
            else:
                sol = solve(built, opts)
        _check_solution(sc, built, sol, opts, echo)
        warnings = numerical_warnings(sol.info.get("coefficient_ranges"))
        if echo:
            for w in warnings:
                print(f"[re300] WARNING: {w}", file=sys.stderr, flush=True)
        if echo:
            unit = "bn KRW (present value)" if pathway else "bn KRW/yr"
            print(f"[re300] HiGHS: {sol.status}, objective {sol.objective:,.3f} {unit}, {sol.info['rows']:,} rows x "
                  f"{sol.info['columns']:,} columns; compile {sol.timings['compile_s']:.2f} s, HiGHS {sol.timings['highs_s']:.2f} s", flush=True)
        comparison = None
        if _hourly_re100(data):
            with phases("re100_annual_matching"):
                comparison = _annual_matching_variant(data, sc, opts, tmp, echo)
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
            frames = by_period(ds, output_tables) if pathway else output_tables(ds)
            if comparison is not None:
                frames["summary.csv"] = pd.concat([frames["summary.csv"], _re100_comparison_rows(ds, comparison)],
                                                  ignore_index=True)
                warnings += comparison.get("warnings", [])
                if echo:
                    for w in comparison.get("warnings", []):
                        print(f"[re300] WARNING: {w}", file=sys.stderr, flush=True)
            for name, frame in frames.items():
                frame.to_csv(tmp / name, index=False, float_format="%.10g")
            summaries, limits = _summaries(frames, data)
            for year, summary in summaries.items():
                prefix = f"{year}: " if pathway else ""
                warnings += [prefix + w for w in _result_warnings(summary, limits[year])]
        phases.seconds["total"] = _time.perf_counter() - t_start
        extra = {}
        if pathway:
            pw = data.pathway
            extra["pathway"] = {"periods": [int(y) for y in pw.years], "span_yr": [int(x) for x in pw.span_yr],
                                "build_interval_yr": [int(x) for x in pw.build_interval_yr],
                                "objective_weight": [float(x) for x in pw.objective_weight], "base_year": int(pw.base_year),
                                "discount_rate": float(pw.discount_rate), "foresight": pw.foresight, "myopic_steps": steps}
        if comparison is not None:
            extra["re100_annual_matching"] = {"status": comparison["status"], "objective_bn_krw": comparison["objective"],
                                              "seconds": comparison["seconds"]}
        write_manifest(
            tmp / "manifest.json",
            scenario=sc.resolved_dict(),
            scenario_files=[str(p) for p in sc.source_files],
            input_hashes=input_hashes,
            input_hash=input_hash,
            git=git_info(REPO_ROOT),
            packages=versions,
            runtime=runtime_info(),
            solver={"status": sol.status, "objective_bn_krw_per_yr" if not pathway else "objective_bn_krw_present_value":
                    sol.objective, **sol.info, "timings_s": sol.timings},
            timings_s=phases.seconds,
            snapshots={"count": data.n_time, "mode": sc.time.mode, "hours_represented": float(np.sum(data.weight_h)),
                       "blocks": int(len(np.unique(data.block))),
                       "calendar_periods": None if data.period_order is None else int(len(data.period_order))},
            summary=summaries[None] if not pathway else {str(y): v for y, v in summaries.items()},
            warnings=warnings,
            **extra,
        )
    if echo:
        if pathway:
            _print_pathway_headline(frames["summary.csv"], summaries, final, limits)
        else:
            _print_headline(summaries[None], final, limits[None])
    return final


def _check_solution(sc, built, sol, opts, echo) -> None:
    """Stop with one line (nothing written) when HiGHS found no optimum."""
    if sol.status in INFEASIBLE_STATUSES:
        if echo:
            print(f"[re300] HiGHS: {sol.status}; computing an infeasible subset ...", flush=True)
        raise SolveError(f"scenario {sc.name} is infeasible: {explain_infeasibility(built, sol, opts.options, None if sc.pathway else sc.year)}. "
                         "Nothing was written; earlier outputs of this scenario are untouched.")
    if not sol.optimal:
        raise SolveError(f"HiGHS finished with status '{sol.status}' for scenario {sc.name}; see the HiGHS log. "
                         "Earlier outputs of this scenario are untouched.")


def _solve_myopic(data, sc, opts, echo):
    from .model.pathway import solve_myopic
    from .solve.highs import solve

    say = (lambda text: print(f"[re300] {text}", flush=True)) if echo else None
    return solve_myopic(data, lambda b: solve(b, opts), split_hours=sc.solver.split_hours, echo=say)


def _hourly_re100(data) -> bool:
    return data.re100_loads is not None and bool((data.re100_loads["matching"] == "hourly").any())


def _annual_matching_variant(data, sc, opts, tmp: Path, echo: bool) -> dict:
    """Solve the same scenario with every RE100 load matched annually (counted only in the volumetric target):
    the reference for the premium of hourly matching."""
    from dataclasses import replace

    from .model.builder import build_model
    from .results.dataset import to_dataset
    from .solve.highs import solve

    loads = data.re100_loads.copy()
    loads["matching"] = "annual"
    variant = replace(data, re100_loads=loads)
    opts = replace(opts, log_file=tmp / "highs_annual_matching.log", log_to_console=False)
    t0 = _time.perf_counter()
    if variant.pathway is not None and variant.pathway.foresight == "myopic":
        built, sol, _ = _solve_myopic(variant, sc, opts, False)
    else:
        built = build_model(variant, split_hours=sc.solver.split_hours)
        sol = solve(built, opts)
    if not sol.optimal:
        raise SolveError(f"the annual-matching variant of scenario {sc.name} finished with status '{sol.status}'; "
                         "see highs_annual_matching.log. Earlier outputs of this scenario are untouched.")
    seconds = _time.perf_counter() - t0
    if echo:
        print(f"[re300] annual-matching variant (for the hourly-matching premium): {sol.status}, objective "
              f"{sol.objective:,.3f} bn KRW, {seconds:.1f} s", flush=True)
    return {"ds": to_dataset(built, sol, sc.name + "_annual_matching"), "status": sol.status,
            "objective": float(sol.objective), "seconds": round(seconds, 3)}


def _re100_comparison_rows(ds, comparison) -> pd.DataFrame:
    """summary.csv rows: the annual-matching variant's cost and matching score, and the premium of hourly over
    annual matching (per period and, for a pathway, as present values)."""
    from .results.dataset import period_view
    from .results.tables import re100_summary, summary as summary_of

    other = comparison["ds"]
    pathway = "period" in ds.dims
    years = [int(y) for y in ds["period"].values] if pathway else [None]
    rows = []
    pv_premium = pv_energy = 0.0
    for y in years:
        a = summary_of(period_view(ds, y) if pathway else ds)
        b = summary_of(period_view(other, y) if pathway else other)
        # A premium is a clean comparison only when both variants meet every target and the hourly variant matches
        # every hour; with priced shortfalls the two plans trade penalties, not costs (then NaN and a warning).
        missed = sum(x.get(m, (0.0,))[0] for x in (a, b) for m in ("renewable_shortfall", "export_shortfall",
                                                                     "re100_unmatched_hourly_load"))
        premium = a["total_system_cost"][0] - b["total_system_cost"][0] if missed <= 1e-3 else np.nan
        if not np.isfinite(premium):
            comparison.setdefault("warnings", []).append(
                f"{f'{y}: ' if y else ''}hourly-matching premium not computed: a target or the hourly match is missed "
                "(priced shortfall) in one of the two variants")
        energy = re100_summary(period_view(ds, y) if pathway else ds)["re100_hourly_matched_load"][0]
        rows += [(y, "re100_annual_matching_total_system_cost", b["total_system_cost"][0], "KRW/yr"),
                 (y, "re100_annual_matching_score", b["re100_matching_score"][0],
                  "fraction of RE100 load met by Honam renewable supply in the same hour, when matched annually"),
                 (y, "re100_hourly_matching_premium", premium, "KRW/yr (hourly minus annual matching, system cost)"),
                 (y, "re100_hourly_matching_premium_per_mwh", premium / energy if energy else np.nan,
                  "KRW per MWh of hourly-matched RE100 load")]
        if pathway:
            w = float(ds["period_objective_weight"].sel(period=y))
            pv_premium += w * premium  # NaN as soon as one period is not comparable
            pv_energy += w * energy
    if pathway:
        base = int(ds.attrs.get("pathway_base_year", 0))
        rows += [("all", "re100_hourly_matching_premium_discounted", pv_premium, f"KRW (present value in {base})"),
                 ("all", "re100_hourly_matching_premium_per_mwh", pv_premium / pv_energy if pv_energy else np.nan,
                  "KRW per MWh of hourly-matched RE100 load (present values)")]
        return pd.DataFrame(rows, columns=["period", "metric", "value", "unit"])
    return pd.DataFrame([r[1:] for r in rows], columns=["metric", "value", "unit"])


def _summaries(frames, data) -> tuple[dict, dict]:
    """{year or None: {metric: value}} and {year or None: binding limits} from the written tables."""
    s, lim = frames["summary.csv"], frames["binding_limits.csv"]
    if data.pathway is None:
        return {None: dict(zip(s["metric"], s["value"]))}, {None: lim}
    out, limits = {}, {}
    for y in data.period_years:
        rows = s[s["period"].astype(str) == str(y)]
        out[y] = dict(zip(rows["metric"], rows["value"]))
        limits[y] = lim[lim["period"] == y].drop(columns="period")
    return out, limits


def _print_pathway_headline(summary_csv, summaries: dict, final: Path, limits: dict) -> None:
    for y, sm in summaries.items():
        short = sm.get("renewable_shortfall", 0.0) + sm.get("export_shortfall", 0.0)
        target = sm["renewable_target_ratio"]
        print(f"[re300] {y}: total system cost {sm['total_system_cost'] / 1e12:,.3f} trillion KRW/yr; renewable ratio "
              f"{sm['renewable_ratio']:.3f} (target {'none' if not np.isfinite(target) else f'{target:.3g}'}); exports "
              f"{sm['exports_delivered'] / 1e6:,.1f} TWh; curtailment share {sm['curtailment_share']:.3f}"
              + (f"; targets MISSED by {short / 1e6:,.2f} TWh" if short > 1e-6 else ""))
        if sm.get("unserved_energy", 0.0) > 1e-6:
            print(f"[re300] WARNING: {y}: {sm['unserved_energy'] / 1e3:,.1f} GWh/yr of demand is UNSERVED", file=sys.stderr)
        if short > 1e-6 and len(limits[y]):
            print(f"[re300] WARNING: {y}: binding limits: {binding_limits_text(limits[y])}", file=sys.stderr)
    total = summary_csv[(summary_csv["period"].astype(str) == "all")].set_index("metric")["value"]
    print(f"[re300] pathway: discounted total system cost {total['discounted_total_system_cost'] / 1e12:,.3f} trillion KRW "
          f"(present value), shortfall penalty {total['discounted_shortfall_penalty'] / 1e12:,.3f} trillion KRW")
    if "re100_hourly_matching_premium_discounted" in total:
        print(f"[re300] RE100 hourly matching premium {total['re100_hourly_matching_premium_discounted'] / 1e12:,.3f} "
              f"trillion KRW (present value), {total['re100_hourly_matching_premium_per_mwh']:,.0f} KRW/MWh")
    print(f"[re300] outputs written to {final}")


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
    if "re100_hourly_matching_premium" in summary:
        print(f"[re300] RE100 loads: hourly matching score {summary['re100_matching_score']:.3f} (annual matching "
              f"{summary['re100_annual_matching_score']:.3f}); premium of hourly over annual matching "
              f"{summary['re100_hourly_matching_premium'] / 1e9:,.1f} bn KRW/yr = "
              f"{summary['re100_hourly_matching_premium_per_mwh']:,.0f} KRW/MWh of RE100 load")
    print(f"[re300] outputs written to {final}")
