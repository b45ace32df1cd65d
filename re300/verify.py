"""`re300 verify OUTPUT_DIR`: re-check a finished run from its files alone.

Checks (each PASS or FAIL with a one-line reason):

* input_hashes — every input and scenario file listed in manifest.json still has the recorded sha256 (files that
  changed or disappeared are named); the manifest's combined input hash and the one in results.nc agree.
* solver — the manifest says HiGHS finished Optimal and records the objective stored in results.nc; a myopic
  pathway also needs every period LP Optimal and the builds of the pathway LP equal to the ones handed over.
* discounting (pathway runs) — each period's objective weight W_p = Σ_{y = year_p}^{year_p + span_p − 1}
  (1 + r)^−(y − base year), recomputed from the period years, the final period's span, the base year and the
  discount rate, equals the weights in results.nc, manifest.json and summary.csv (spans and build intervals too).
* energy_balance — supply + discharge + net import + unserved − demand − charge − exports received is zero in every
  region and snapshot (`re300.results.tables.energy_balance_residual`).
* renewable_target — counted renewable energy recomputed from dispatch, storage flows and link flows (the accounting
  rule of README.md) + shortfall ≥ share × Honam consumption, and summary.csv states the same numbers.
* export_commitment — energy delivered to export regions recomputed from link flows × efficiency equals the exports
  received, + shortfall ≥ share × consumption, and summary.csv agrees.
* costs — every cost item recomputed from capacities, dispatch and the input costs stored in results.nc (incl.
  separately sized charging power, e.g. electrolysers, and the RE100 hourly-matching penalty) equals costs.csv;
  total capacity equals the input existing capacity + new; their sum equals the LP objective; summary.csv's total
  and penalty agree.
* csv_tables — every CSV the run wrote equals the table rebuilt from results.nc (summary.csv rows of the RE100
  annual-matching comparison come from a second LP that results.nc does not hold; they are left out and counted).

Pathway runs (a `period` dimension in results.nc) are checked per investment period on the period's view of the
dataset (`re300.results.dataset.period_view`, shaped like a single-year run) with the same functions; a failing
period is named. What only a pathway has is checked on the whole dataset: the investment of period p is
Σ over the builds b still in service in p (year_b ≤ year_p < year_b + lifetime) of capacity built in b × the
annuity of b's period — the new capacity in service must equal those builds — and Σ_p W_p × (cost items of p)
equals the LP objective (a present value) and summary.csv's discounted rows (period `all`).

Relative tolerance REL_TOL on recomputed quantities (the CSVs hold 10 significant digits); the balance closes within
BALANCE_TOL × the largest demand.
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import Re300Error

REL_TOL = 1e-6
ABS_TOL_KRW = 1.0  # costs
ABS_TOL_MWH = 1e-3  # energies
ABS_TOL_MW = 1e-3  # capacities [MW or MWh]
BALANCE_TOL = 1e-6  # of the largest demand [MW]
CSV_REL_TOL = 1e-9  # CSVs are written with %.10g
WEIGHT_REL_TOL = 1e-9  # objective weights W_p [discounted years]
# summary.csv rows written from the annual-matching variant of a run with hourly RE100 loads (re300.run); that LP's
# results are not stored, so these rows cannot be rebuilt from results.nc
NOT_IN_RESULTS_PREFIXES = ("re100_annual_matching_", "re100_hourly_matching_premium")


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def _close(a: float, b: float, abs_tol: float) -> bool:
    return bool(np.isclose(a, b, rtol=REL_TOL, atol=abs_tol)) or (np.isnan(a) and np.isnan(b))


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def is_pathway(ds: xr.Dataset) -> bool:
    """A multi-period (pathway) run: results.nc has a `period` dimension."""
    return "period" in ds.dims


def period_views(ds: xr.Dataset) -> list[tuple[int | None, xr.Dataset]]:
    """(year, view) per investment period of a pathway run; [(None, ds)] for a single-year run."""
    if not is_pathway(ds):
        return [(None, ds)]
    from .results.dataset import period_view

    return [(int(y), period_view(ds, int(y))) for y in ds["period"].values]


def _one_or_per_period(name: str, results: list[tuple[int | None, list[str], str]], lead: str = "",
                       pathway_problems: list[str] | None = None) -> Check:
    """One Check from per-period (year, problems, pass text): a single-year run gives its own text; a pathway names
    every failing period, or joins the short pass texts of all periods after `lead`."""
    pathway_problems = pathway_problems or []
    if len(results) == 1 and results[0][0] is None:
        _, problems, text = results[0]
        problems = problems + pathway_problems
        return Check(name, not problems, "; ".join(problems) if problems else text)
    failed = [(y, p) for y, p, _ in results if p]
    if failed or pathway_problems:
        parts = [f"period {y}: " + "; ".join(p) for y, p in failed] + pathway_problems
        head = f"{len(failed)} of {len(results)} periods fail — " if failed else ""
        return Check(name, False, head + "; ".join(parts))
    return Check(name, True, lead + "; ".join(f"{y}: {text}" for y, _, text in results))


# ---- the checks ---------------------------------------------------------------------------------------------------


def check_input_hashes(manifest: dict, ds: xr.Dataset, root: Path) -> Check:
    from .results.manifest import file_sha256

    recorded = manifest.get("input_hashes") or {}
    if not recorded:
        return Check("input_hashes", False, "manifest.json lists no input hashes")
    changed, missing = [], []
    for key, digest in sorted(recorded.items()):
        path = Path(key) if Path(key).is_absolute() else root / key
        if not path.is_file():
            missing.append(key)
        elif file_sha256(path) != digest:
            changed.append(key)
    combined = hashlib.sha256(json.dumps(recorded, sort_keys=True).encode()).hexdigest()
    problems = []
    if changed:
        problems.append(f"{len(changed)} changed since the run: {', '.join(changed)}")
    if missing:
        problems.append(f"{len(missing)} missing: {', '.join(missing)}")
    if manifest.get("input_hash") != combined:
        problems.append("manifest input_hash does not match its list of file hashes")
    if ds.attrs.get("input_hash") != manifest.get("input_hash"):
        problems.append("results.nc and manifest.json record different input hashes")
    if problems:
        return Check("input_hashes", False, "; ".join(problems) + f" (paths relative to {root})")
    return Check("input_hashes", True, f"{len(recorded)} input and scenario files unchanged (relative to {root})")


def check_solver(manifest: dict, ds: xr.Dataset) -> Check:
    solver = manifest.get("solver") or {}
    pathway = is_pathway(ds)
    key = "objective_bn_krw_present_value" if pathway else "objective_bn_krw_per_yr"
    unit = f"bn KRW (present value in {ds.attrs.get('pathway_base_year')})" if pathway else "bn KRW/yr"
    status, obj = solver.get("status"), solver.get(key)
    problems = []
    if status != "Optimal" or ds.attrs.get("solver_status") != "Optimal":
        problems.append(f"solver status {status!r} (manifest) / {ds.attrs.get('solver_status')!r} (results.nc); expected 'Optimal'")
    nc_obj = float(ds.attrs.get("objective_bn_krw_per_yr", np.nan))
    if obj is None or not _close(float(obj), nc_obj, 1e-9):
        problems.append(f"objective {obj} {unit} in manifest.json ({key}) but {nc_obj} in results.nc")
    text = f"HiGHS Optimal, objective {nc_obj:,.6f} {unit} in both files"
    if pathway and str(ds.attrs.get("pathway_foresight")) == "myopic":
        myopic_problems, myopic_text = _myopic_problems(manifest, ds)
        problems += myopic_problems
        text += "; " + myopic_text
    if problems:
        return Check("solver", False, "; ".join(problems))
    return Check("solver", True, text)


def _myopic_problems(manifest: dict, ds: xr.Dataset) -> tuple[list[str], str]:
    """A myopic pathway: every period LP Optimal (manifest) and the pathway LP's builds equal the hand-over
    (`input_fixed_build_*` in results.nc)."""
    years = [int(y) for y in ds["period"].values]
    steps = (manifest.get("pathway") or {}).get("myopic_steps") or []
    problems = []
    if [s.get("year") for s in steps] != years:
        problems.append(f"manifest.json lists myopic steps for {[s.get('year') for s in steps]}, expected {years}")
    for s in steps:
        if s.get("status") != "Optimal":
            problems.append(f"myopic period {s.get('year')} LP finished '{s.get('status')}'; expected 'Optimal'")
    flags = _flags(ds)
    compared = 0
    for family, built_name, mask in (("generators", "capacity_built_mw", flags["generator"]),
                                     ("storage_power", "capacity_built_mw", flags["storage"]),
                                     ("storage_energy", "energy_capacity_built_mwh", flags["storage"] & ~flags["fixed_duration"]),
                                     ("storage_charge", "charge_capacity_built_mw", flags["storage"] & flags["separate_charge"]),
                                     ("links", "link_capacity_built_mw", None)):
        name = f"input_fixed_build_{family}"
        if name not in ds or built_name not in ds:
            continue
        fixed, built = ds[name].values.astype(float), np.nan_to_num(ds[built_name].values.astype(float))
        on = np.isfinite(fixed) if mask is None else np.isfinite(fixed) & mask[..., None]
        bad = on & ~np.isclose(built, np.nan_to_num(fixed), rtol=REL_TOL, atol=ABS_TOL_MW)
        compared += int(on.sum())
        for idx in zip(*np.nonzero(bad)):
            problems.append(f"period {years[idx[-1]]}: {family} {_label(ds, idx[:-1])} built {built[idx]:,.6g} but "
                            f"{fixed[idx]:,.6g} was handed over")
            break
    return problems, (f"myopic: {len(steps)} period LPs Optimal, the pathway LP keeps the {compared} handed-over builds "
                      "(asset x period)")


def check_discounting(manifest: dict, ds: xr.Dataset, summary: pd.DataFrame | None) -> Check:
    """Pathway runs: the objective weights W_p recomputed from the periods (see the module docstring)."""
    years = ds["period"].values.astype(np.int64)
    span = ds["input_period_span_yr"].values.astype(float)
    interval = ds["input_period_build_interval_yr"].values.astype(float)
    base = int(ds.attrs["pathway_base_year"])
    rate = float(ds.attrs["pathway_discount_rate"])
    recorded = manifest.get("pathway") or {}
    problems = []
    if np.any(span[:-1] != np.diff(years)):
        problems.append(f"period spans {span.tolist()} do not run to the next period of {years.tolist()}")
    final = ((manifest.get("scenario") or {}).get("pathway") or {}).get("final_period_years")
    if final is not None and span[-1] != float(final):
        problems.append(f"the last period spans {span[-1]:g} years but the scenario's final_period_years is {final}")
    if np.any(interval != np.diff(np.r_[base, years])):
        problems.append(f"build intervals {interval.tolist()} are not the years since the previous period (base {base})")
    for key, value in (("periods", years.tolist()), ("base_year", base), ("discount_rate", rate), ("span_yr", span.tolist())):
        if key in recorded and not np.allclose(np.asarray(recorded[key], float), np.asarray(value, float), rtol=1e-12, atol=0):
            problems.append(f"manifest.json pathway.{key} = {recorded[key]} but results.nc gives {value}")
    scenario_rate = ((manifest.get("scenario") or {}).get("prices") or {}).get("discount_rate")
    if scenario_rate is not None and not np.isclose(float(scenario_rate), rate, rtol=1e-12, atol=0):
        problems.append(f"discount rate {rate} in results.nc but the scenario sets prices.discount_rate {scenario_rate}")
    W = discounted_years(years, span, base, rate)
    sources = {"results.nc input_period_objective_weight": ds["input_period_objective_weight"].values,
               "results.nc period_objective_weight": ds["period_objective_weight"].values}
    if "objective_weight" in recorded:
        sources["manifest.json pathway.objective_weight"] = recorded["objective_weight"]
    if summary is not None and "period" in summary:
        rows = summary[summary["metric"] == "period_objective_weight"]
        got = dict(zip(rows["period"].astype(str), pd.to_numeric(rows["value"], errors="coerce")))
        sources["summary.csv period_objective_weight"] = [got.get(str(y), np.nan) for y in years]
        r = summary.loc[(summary["period"].astype(str) == "all") & (summary["metric"] == "discount_rate"), "value"]
        if len(r) != 1 or not np.isclose(float(r.iloc[0]), rate, rtol=CSV_REL_TOL, atol=0):
            problems.append(f"summary.csv discount_rate = {r.tolist()} but results.nc gives {rate}")
    elif summary is None:
        problems.append("summary.csv missing")
    for source, values in sources.items():
        values = np.asarray(values, float)
        bad = ~np.isclose(values, W, rtol=WEIGHT_REL_TOL, atol=0)
        for p in np.flatnonzero(bad)[:2]:
            problems.append(f"period {years[p]}: {source} = {values[p]:.10g} but W_p recomputed = {W[p]:.10g}")
    if problems:
        return Check("discounting", False, "; ".join(problems))
    weights = ", ".join(f"{y} {w:.4f}" for y, w in zip(years, W))
    return Check("discounting", True, f"W_p at {rate:.2%}/yr to {base} ({weights} discounted years) equal in results.nc, "
                                      "manifest.json and summary.csv")


def discounted_years(years, span_yr, base_year: int, rate: float) -> np.ndarray:
    """W_p = Σ_{y = year_p}^{year_p + span_p − 1} (1 + rate)^−(y − base_year) [discounted years] (written out here
    on purpose instead of calling re300.model.data.period_weights, so the check does not trust the code it checks)."""
    out = []
    for y0, n in zip(np.asarray(years, int), np.asarray(span_yr, float).astype(int)):
        out.append(sum((1.0 + rate) ** -(y - base_year) for y in range(int(y0), int(y0) + n)))
    return np.array(out, float)


def _balance(view: xr.Dataset) -> tuple[list[str], dict]:
    """Energy balance of one period: (problems, facts: worst residual [MW], where, region-snapshots, tolerance)."""
    from .results.tables import energy_balance_residual

    resid = energy_balance_residual(view)
    scale = float(np.nanmax(np.abs(view["demand_mw"].values))) if view["demand_mw"].size else 1.0
    tol = BALANCE_TOL * max(scale, 1.0)
    a = np.abs(resid.values)
    if not np.all(np.isfinite(a)):
        return ["the balance residual is not a number in some region and snapshot"], {"worst": np.inf, "n": a.size}
    r, t = np.unravel_index(int(np.argmax(a)), a.shape)
    worst = float(a[r, t])
    where = f"{resid['region'].values[r]} at {pd.Timestamp(resid['time'].values[t])}"
    facts = {"worst": worst, "where": where, "n": a.size, "tol": tol}
    if worst > tol:
        return [f"off by {worst:,.6g} MW in {where} (tolerance {tol:.3g} MW)"], facts
    return [], facts


def check_energy_balance(ds: xr.Dataset) -> Check:
    results = [(y, *_balance(view)) for y, view in period_views(ds)]
    if not is_pathway(ds):
        problems, f = results[0][1], results[0][2]
        if problems:
            return Check("energy_balance", False, problems[0])
        return Check("energy_balance", True, f"closes in all {f['n']:,} region-snapshots (largest residual {f['worst']:.3g} MW, {f['where']})")
    failed = [(y, p) for y, p, _ in results if p]
    if failed:
        return _one_or_per_period("energy_balance", [(y, p, "") for y, p, _ in results])
    y, _, worst = max(results, key=lambda r: r[2]["worst"])
    n = sum(f["n"] for _, _, f in results)
    return Check("energy_balance", True, f"closes in all {n:,} region-snapshots of {len(results)} periods (largest residual "
                                         f"{worst['worst']:.3g} MW, {y} {worst['where']})")


def _weighted(da: xr.DataArray, w: np.ndarray) -> np.ndarray:
    """Annual MWh per leading index from a (..., time) MW array (NaN rows give 0)."""
    return np.nan_to_num(da.values, nan=0.0) @ w


def _accounting(ds: xr.Dataset) -> dict[str, float]:
    """The target accounting recomputed from the hourly results (independent of re300.results.tables.summary)."""
    w = ds["weight_h"].values.astype(float)
    honam = np.asarray(ds["region_kind"].values).astype(str) == "honam"
    export = np.asarray(ds["region_kind"].values).astype(str) == "export"
    consumption = float((np.nan_to_num(ds["demand_mw"].values)[honam] @ w).sum())
    renewable = np.nan_to_num(ds["input_generator_renewable"].values) > 0
    generation = _weighted(ds["dispatch_mw"], w)  # technology x region
    re_gen = float(generation[renewable].sum())
    storage_loss = float(_weighted(ds["storage_charge_mw"], w).sum() - _weighted(ds["storage_discharge_mw"], w).sum())
    eff = ds["input_link_efficiency"].values.astype(float)
    sent = _weighted(ds["flow_forward_mw"], w) + _weighted(ds["flow_backward_mw"], w)
    link_loss = float(((1 - eff) * sent).sum())
    counted = re_gen
    if float(ds["input_deduct_storage_losses"]) > 0:
        counted -= storage_loss
    if float(ds["input_deduct_transmission_losses"]) > 0:
        counted -= link_loss
    regions = [str(r) for r in ds["region"].values]
    to_export = np.array([export[regions.index(str(b))] for b in ds["link_to"].values], dtype=bool)
    from_export = np.array([export[regions.index(str(a))] for a in ds["link_from"].values], dtype=bool)
    fwd, bwd = _weighted(ds["flow_forward_mw"], w), _weighted(ds["flow_backward_mw"], w)
    delivered = float((eff * fwd)[to_export].sum() + (eff * bwd)[from_export].sum())
    received = float(_weighted(ds["exports_received_mw"], w).sum())
    return {"consumption": consumption, "renewable_generation": re_gen, "counted": counted, "delivered": delivered,
            "received": received}


def read_summary(run_dir: Path) -> pd.DataFrame | None:
    """summary.csv as written (None if missing)."""
    path = run_dir / "summary.csv"
    return pd.read_csv(path) if path.is_file() else None


def summary_of_period(summary: pd.DataFrame | None, year: int | None) -> pd.Series | None:
    """metric -> value of one period's rows of summary.csv (all rows for a single-year run)."""
    if summary is None:
        return None
    if year is not None:
        if "period" not in summary:
            return pd.Series(dtype=float)
        summary = summary[summary["period"].astype(str) == str(year)]
    return pd.Series(pd.to_numeric(summary["value"], errors="coerce").values, index=summary["metric"].astype(str))


def _summary_problems(summary: pd.Series | None, expected: tuple, abs_tol: float) -> list[str]:
    if summary is None:
        return ["summary.csv missing"]
    return [f"summary.csv {metric} = {summary.get(metric)} but the results give {value:,.6g}"
            for metric, value in expected if metric not in summary or not _close(float(summary[metric]), value, abs_tol)]


def _renewable(view: xr.Dataset, summary: pd.Series | None) -> tuple[list[str], dict]:
    acc = _accounting(view)
    share = float(view["input_renewable_share"])
    shortfall = float(view["renewable_shortfall_mwh"])
    problems = []
    if np.isfinite(share):
        need = share * acc["consumption"]
        if acc["counted"] + shortfall < need * (1 - REL_TOL) - ABS_TOL_MWH:
            problems.append(f"counted renewable {acc['counted']:,.0f} MWh + shortfall {shortfall:,.0f} MWh is below "
                            f"{share:g} x consumption = {need:,.0f} MWh")
    problems += _summary_problems(summary, (("honam_consumption", acc["consumption"]), ("renewable_counted", acc["counted"]),
                                            ("renewable_generation", acc["renewable_generation"]),
                                            ("renewable_shortfall", shortfall)), ABS_TOL_MWH)
    return problems, {**acc, "share": share, "shortfall": shortfall}


def check_renewable_target(ds: xr.Dataset, summary: pd.DataFrame | pd.Series | None) -> Check:
    """`summary`: summary.csv as read (a Series metric -> value is accepted for a single-year run)."""
    results = []
    for y, view in period_views(ds):
        problems, f = _renewable(view, summary if isinstance(summary, pd.Series) else summary_of_period(summary, y))
        twh = lambda x: x / 1e6  # noqa: E731
        if not np.isfinite(f["share"]):
            text = "no target"
        elif y is None:
            text = (f"counted {twh(f['counted']):,.3f} TWh + shortfall {twh(f['shortfall']):,.3f} TWh >= {f['share']:g} x "
                    f"{twh(f['consumption']):,.3f} TWh")
        else:
            text = (f"{twh(f['counted']):,.3f} + shortfall {twh(f['shortfall']):,.3f} >= {f['share']:g} x "
                    f"{twh(f['consumption']):,.3f} TWh")
        results.append((y, problems, text))
    return _one_or_per_period("renewable_target", results, lead="counted renewable energy per period: ")


def _export(view: xr.Dataset, summary: pd.Series | None) -> tuple[list[str], dict]:
    acc = _accounting(view)
    share = float(view["input_export_share"])
    shortfall = float(view["export_shortfall_mwh"])
    problems = []
    if not _close(acc["delivered"], acc["received"], ABS_TOL_MWH):
        problems.append(f"links deliver {acc['delivered']:,.0f} MWh to export regions but {acc['received']:,.0f} MWh "
                        "are recorded as received")
    if np.isfinite(share):
        need = share * acc["consumption"]
        if acc["delivered"] + shortfall < need * (1 - REL_TOL) - ABS_TOL_MWH:
            problems.append(f"exports {acc['delivered']:,.0f} MWh + shortfall {shortfall:,.0f} MWh is below {share:g} x "
                            f"consumption = {need:,.0f} MWh")
    if summary is not None:
        problems += _summary_problems(summary, (("exports_delivered", acc["delivered"]), ("export_shortfall", shortfall)),
                                      ABS_TOL_MWH)
    return problems, {**acc, "share": share, "shortfall": shortfall}


def check_export_commitment(ds: xr.Dataset, summary: pd.DataFrame | pd.Series | None) -> Check:
    results = []
    for y, view in period_views(ds):
        problems, f = _export(view, summary if isinstance(summary, pd.Series) else summary_of_period(summary, y))
        text = f"{f['delivered'] / 1e6:,.3f} TWh delivered"
        if np.isfinite(f["share"]):
            text += f" + shortfall {f['shortfall'] / 1e6:,.3f} TWh >= {f['share']:g} x consumption"
        elif y is not None:
            text += " (no commitment)"
        results.append((y, problems, text))
    return _one_or_per_period("export_commitment", results, lead="exports per period: ")


# ---- costs --------------------------------------------------------------------------------------------------------


def _flags(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """(technology x region) bool masks: generator rows, storage rows, fixed-duration storage, separate charging power."""
    st = ds["input_storage"].values > 0

    def opt(name):
        return np.nan_to_num(ds[name].values.astype(float)) > 0 if name in ds else np.zeros_like(st)

    return {"generator": ds["input_generator"].values > 0, "storage": st,
            "fixed_duration": st & opt("input_storage_fixed_duration_h"),
            "separate_charge": st & opt("input_storage_separate_charge_power")}


def _label(ds: xr.Dataset, idx: tuple) -> str:
    if len(idx) == 1:
        return str(ds["link"].values[idx[0]])
    return f"{ds['technology'].values[idx[0]]}|{ds['region'].values[idx[1]]}"


@dataclass
class CapacityFamily:
    """One kind of capacity that can be built: built per build period, annuity per build period, lifetime, and the
    new capacity in service per period that results.nc reports (trailing axis: periods; one for a single year)."""

    kind: str  # asset kind of the cost items: generator, storage or link
    name: str  # results.nc name of the new capacity in service
    rows: np.ndarray  # bool mask of the rows that have this capacity (technology x region, or links)
    built: np.ndarray  # (..., B) capacity built in each period [MW or MWh]
    annuity: np.ndarray  # (..., B) annualised investment cost of the build period [KRW/MW/yr or KRW/MWh/yr]
    lifetime_yr: np.ndarray  # (...) years a build stays in service (inf = beyond the horizon)
    new_in_service: np.ndarray  # (..., P) as reported


def capacity_families(ds: xr.Dataset) -> list[CapacityFamily]:
    """The capacity families of a run from results.nc (a single-year run is one period whose builds are its new
    capacity). Fixed-duration storage (pumped hydro) buys its energy with its power builds, so its energy builds
    share the power lifetime."""
    pathway = is_pathway(ds)

    def arr(name):
        if name not in ds:
            return None
        a = np.nan_to_num(ds[name].values.astype(float))
        return a if pathway else a[..., None]

    def life(name, default):
        return np.nan_to_num(ds[name].values.astype(float), nan=np.inf) if name in ds else default

    flags = _flags(ds)
    built = (lambda b, n: arr(b) if pathway else arr(n))  # noqa: E731
    g_life = life("input_generator_lifetime_yr", np.full(flags["generator"].shape, np.inf))
    s_life = life("input_storage_lifetime_yr", np.full(flags["storage"].shape, np.inf))
    e_life = np.where(flags["fixed_duration"], s_life, life("input_storage_energy_lifetime_yr", s_life))
    c_life = life("input_storage_charge_lifetime_yr", s_life)
    l_life = life("input_link_lifetime_yr", np.full(ds.sizes["link"], np.inf))
    power_built = built("capacity_built_mw", "capacity_new_mw")
    out = [
        CapacityFamily("generator", "capacity_new_mw", flags["generator"], power_built,
                       arr("input_generator_capex_annual_krw_per_mw"), g_life, arr("capacity_new_mw")),
        CapacityFamily("storage", "capacity_new_mw", flags["storage"], power_built,
                       arr("input_storage_capex_annual_krw_per_mw"), s_life, arr("capacity_new_mw")),
        CapacityFamily("storage", "energy_capacity_new_mwh", flags["storage"],
                       built("energy_capacity_built_mwh", "energy_capacity_new_mwh"),
                       arr("input_storage_capex_annual_krw_per_mwh"), e_life, arr("energy_capacity_new_mwh")),
    ]
    if "charge_capacity_new_mw" in ds:
        out.append(CapacityFamily("storage", "charge_capacity_new_mw", flags["separate_charge"],
                                  built("charge_capacity_built_mw", "charge_capacity_new_mw"),
                                  arr("input_storage_charge_capex_annual_krw_per_mw"), c_life, arr("charge_capacity_new_mw")))
    out.append(CapacityFamily("link", "link_capacity_new_mw", np.ones(ds.sizes["link"], bool),
                              built("link_capacity_built_mw", "link_capacity_new_mw"),
                              arr("input_link_capex_annual_krw_per_mw"), l_life, arr("link_capacity_new_mw")))
    return out


def _alive(years: np.ndarray, lifetime_yr: np.ndarray) -> np.ndarray:
    """(..., B, P) bool: a build of period b is in service in period p: year_b ≤ year_p < year_b + lifetime."""
    y = np.asarray(years, float)
    life = np.asarray(lifetime_yr, float)[..., None, None]
    return (y[None, :] >= y[:, None]) & (y[None, :] < y[:, None] + life)


def investment_by_period(ds: xr.Dataset) -> tuple[dict[str, np.ndarray], list[str]]:
    """Annual investment payments [KRW/yr] per period, recomputed from the builds: {'generator': (technology, region,
    P), 'storage': (technology, region, P), 'link': (link, P)}; payment in p = Σ_{builds b in service in p} built_b
    × annuity of period b. Also the problems found when the new capacity in service that results.nc reports differs
    from the builds in service."""
    pathway = is_pathway(ds)
    years = ds["period"].values.astype(float) if pathway else np.zeros(1)
    out: dict[str, np.ndarray] = {}
    problems: list[str] = []
    for fam in capacity_families(ds):
        rows = fam.rows[..., None]
        alive = _alive(years, fam.lifetime_yr)
        built = np.where(rows, fam.built, 0.0)
        pay = np.einsum("...b,...bp->...p", built * np.where(rows, fam.annuity, 0.0), alive)
        out[fam.kind] = out.get(fam.kind, 0.0) + pay
        in_service = np.einsum("...b,...bp->...p", built, alive)
        reported = np.where(rows, fam.new_in_service, 0.0)
        bad = ~np.isclose(in_service, reported, rtol=REL_TOL, atol=ABS_TOL_MW)
        for idx in list(zip(*np.nonzero(bad)))[:2]:
            where = f"period {int(years[idx[-1]])}: " if pathway else ""
            problems.append(f"{where}{fam.name} of {_label(ds, idx[:-1])} is {reported[idx]:,.6g} but the builds in service "
                            f"give {in_service[idx]:,.6g}")
    return out, problems


def _capacity_problems(view: xr.Dataset) -> list[str]:
    """Total capacity = existing (the input of the period) + new, for every capacity kind of one period."""
    flags = _flags(view)

    def val(name):
        return view[name].values.astype(float)

    p_exist = np.where(flags["generator"], val("input_generator_existing_mw"), val("input_storage_existing_mw"))
    e_exist = np.where(flags["fixed_duration"], np.nan_to_num(val("input_storage_fixed_duration_h")) * val("input_storage_existing_mw"),
                       val("input_storage_existing_mwh"))
    kinds = [("capacity", "mw", flags["generator"] | flags["storage"], p_exist),
             ("energy_capacity", "mwh", flags["storage"], e_exist)]
    if "charge_capacity_total_mw" in view:
        kinds.append(("charge_capacity", "mw", flags["separate_charge"], val("input_storage_charge_existing_mw")))
    problems = []
    for prefix, u, rows, existing in kinds:
        total, new = val(f"{prefix}_total_{u}"), val(f"{prefix}_new_{u}")
        expected = np.nan_to_num(existing) + np.nan_to_num(new)
        bad = rows & ~np.isclose(np.nan_to_num(total), expected, rtol=REL_TOL, atol=ABS_TOL_MW)
        for idx in list(zip(*np.nonzero(bad)))[:1]:
            problems.append(f"{prefix}_total_{u} of {_label(view, idx)} is {total[idx]:,.6g} but existing (input) + new = "
                            f"{expected[idx]:,.6g}")
    total = val("link_capacity_total_mw")
    expected = val("input_link_existing_mw") + val("link_capacity_new_mw")
    for k in np.flatnonzero(~np.isclose(total, expected, rtol=REL_TOL, atol=ABS_TOL_MW))[:1]:
        problems.append(f"link_capacity_total_mw of {_label(view, (k,))} is {total[k]:,.6g} but existing (input) + new = "
                        f"{expected[k]:,.6g}")
    return problems


def _has_re100_penalty(ds: xr.Dataset) -> bool:
    """Hourly-matched RE100 loads with a priced shortfall: a penalty item in every period (re300.model.re100)."""
    if "re100_load_mw" not in ds or "re100_shortfall_mw" not in ds:
        return False
    hourly = np.asarray(ds["re100_load_matching"].values).astype(str) == "hourly"
    load = ds["re100_load_mw"].values[hourly].sum(axis=0) if hourly.any() else np.zeros(1)
    return bool(np.any(load > 0)) and np.isfinite(float(ds["input_renewable_slack_krw_per_mwh"]))


def recompute_costs(ds: xr.Dataset, investment: dict[str, np.ndarray] | None = None,
                    re100_penalty: bool | None = None) -> pd.DataFrame:
    """Annual cost items [KRW/yr] of one year (a single-year run, or one period's view of a pathway) from capacities,
    dispatch and the input costs in results.nc (columns as costs.csv).

    investment: annual investment payments {'generator'/'storage': (technology, region), 'link': (link,)} of the
    period (a pathway's come from `investment_by_period` on the whole dataset, since builds of earlier periods pay
    the annuity of their own period); default: new capacity × annuity (a single year). re100_penalty: whether the
    run prices RE100 hourly-matching shortfalls (default: judged from `ds`)."""
    if investment is None:
        investment = {k: v[..., 0] for k, v in investment_by_period(ds)[0].items()}
    if re100_penalty is None:
        re100_penalty = _has_re100_penalty(ds)
    w = ds["weight_h"].values.astype(float)
    techs = [str(t) for t in ds["technology"].values]
    regions = [str(r) for r in ds["region"].values]
    carbon = float(ds["input_carbon_price_krw_per_t"])
    flags = _flags(ds)
    v = {k: np.nan_to_num(ds[k].values) for k in ("capacity_total_mw", "energy_capacity_total_mwh")}
    charge_total = np.nan_to_num(ds["charge_capacity_total_mw"].values) if "charge_capacity_total_mw" in ds else None
    energy = _weighted(ds["dispatch_mw"], w)
    discharged = _weighted(ds["storage_discharge_mw"], w)
    rows = []

    def g(name, ti, ri):
        return float(np.nan_to_num(ds[name].values[ti, ri]))

    for ti, ri in zip(*np.nonzero(flags["generator"])):
        t, r = techs[ti], regions[ri]
        e = energy[ti, ri]
        rows += [
            ("generator", t, r, "investment", float(investment["generator"][ti, ri])),
            ("generator", t, r, "fixed_om", v["capacity_total_mw"][ti, ri] * g("input_generator_fom_krw_per_mw", ti, ri)),
            ("generator", t, r, "variable_and_purchase", e * g("input_generator_vom_krw_per_mwh", ti, ri)),
            ("generator", t, r, "carbon", e * g("input_generator_emission_t_per_mwh", ti, ri) * carbon),
        ]
    for ti, ri in zip(*np.nonzero(flags["storage"])):
        t, r = techs[ti], regions[ri]
        fom = (v["capacity_total_mw"][ti, ri] * g("input_storage_fom_krw_per_mw", ti, ri)
               + v["energy_capacity_total_mwh"][ti, ri] * g("input_storage_fom_krw_per_mwh", ti, ri))
        if charge_total is not None and flags["separate_charge"][ti, ri]:  # electrolysers of a hydrogen chain
            fom += charge_total[ti, ri] * g("input_storage_charge_fom_krw_per_mw", ti, ri)
        rows += [
            ("storage", t, r, "investment", float(investment["storage"][ti, ri])),
            ("storage", t, r, "fixed_om", fom),
            ("storage", t, r, "variable_and_purchase", discharged[ti, ri] * g("input_storage_vom_krw_per_mwh", ti, ri)),
        ]
    for k, link in enumerate(str(x) for x in ds["link"].values):
        origin = str(ds["link_from"].values[k])
        rows += [
            ("link", link, origin, "investment", float(investment["link"][k])),
            ("link", link, origin, "fixed_om",
             float(ds["link_capacity_total_mw"].values[k]) * float(ds["input_link_fom_krw_per_mw"].values[k])),
        ]
    voll = float(ds["input_value_of_lost_load_krw_per_mwh"])
    unserved = _weighted(ds["unserved_mw"], w)
    for ri, r in enumerate(regions):
        if str(ds["region_kind"].values[ri]) != "export":
            rows.append(("node", "unserved_energy", r, "value_of_lost_load", unserved[ri] * voll))
    for name, share, pen in (("renewable_shortfall", "input_renewable_share", "input_renewable_slack_krw_per_mwh"),
                             ("export_shortfall", "input_export_share", "input_export_slack_krw_per_mwh")):
        if np.isfinite(float(ds[share])) and np.isfinite(float(ds[pen])):
            rows.append(("target", name, "honam", "shortfall_penalty", float(ds[f"{name}_mwh"]) * float(ds[pen])))
    if re100_penalty:
        unmatched = float(np.nan_to_num(ds["re100_shortfall_mw"].values) @ w)
        rows.append(("target", "re100_shortfall", "honam", "shortfall_penalty",
                     unmatched * float(ds["input_renewable_slack_krw_per_mwh"])))
    return pd.DataFrame(rows, columns=["asset_kind", "asset", "region", "component", "value"])


COST_KEY = ["asset_kind", "asset", "region", "component"]


def _cost_items_problems(mine: pd.DataFrame, written: pd.DataFrame) -> list[str]:
    """Recomputed cost items against costs.csv rows of the same year."""
    merged = mine.merge(written, on=COST_KEY, how="outer", suffixes=("_recomputed", "_csv"), indicator=True)
    problems = []
    for r in merged[merged["_merge"] != "both"].head(3).to_dict("records"):
        side = "costs.csv" if r["_merge"] == "right_only" else "the recomputation"
        problems.append(f"item {'/'.join(str(r[k]) for k in COST_KEY)} only in {side}")
    both = merged[merged["_merge"] == "both"].reset_index(drop=True)
    rec = both["value_recomputed"].to_numpy(float)
    csv = pd.to_numeric(both["value_csv"], errors="coerce").to_numpy(float)
    bad = ~np.isclose(rec, csv, rtol=REL_TOL, atol=ABS_TOL_KRW)
    for i in np.flatnonzero(bad)[:3]:
        item = "/".join(str(both.at[i, k]) for k in COST_KEY)
        problems.append(f"{item}: costs.csv {csv[i]:,.6g} KRW/yr, recomputed {rec[i]:,.6g}")
    if bad.sum() > 3:
        problems.append(f"and {int(bad.sum()) - 3} more items differ")
    return problems


def _year_costs(view: xr.Dataset, written: pd.DataFrame, summary: pd.Series | None, investment, re100_penalty: bool,
                ) -> tuple[list[str], float, float, int]:
    """Costs of one year: (problems, total incl. penalties, penalties [KRW/yr], number of items)."""
    mine = recompute_costs(view, investment, re100_penalty)
    problems = _capacity_problems(view) + _cost_items_problems(mine, written)
    total = float(mine["value"].sum())
    penalty = float(mine.loc[mine["asset_kind"] == "target", "value"].sum())
    if summary is not None:
        for metric, value in (("objective", total), ("total_system_cost", total - penalty), ("shortfall_penalty", penalty)):
            if metric not in summary or not np.isclose(float(summary[metric]), value, rtol=REL_TOL, atol=ABS_TOL_KRW):
                problems.append(f"summary.csv {metric} = {summary.get(metric)} but the recomputation gives {value:,.6g}")
    return problems, total, penalty, len(mine)


def check_costs(ds: xr.Dataset, run_dir: Path, summary: pd.DataFrame | pd.Series | None) -> Check:
    path = run_dir / "costs.csv"
    if not path.is_file():
        return Check("costs", False, "costs.csv missing")
    written = pd.read_csv(path)
    objective = float(ds.attrs.get("objective_bn_krw_per_yr", np.nan)) * 1e9
    if not is_pathway(ds):
        series = summary if isinstance(summary, pd.Series) or summary is None else summary_of_period(summary, None)
        problems, total, _, n = _year_costs(ds, written, series, None, _has_re100_penalty(ds))
        if not np.isclose(total, objective, rtol=REL_TOL, atol=ABS_TOL_KRW):
            problems.append(f"recomputed costs sum to {total:,.6g} KRW/yr but the LP objective is {objective:,.6g}")
        if problems:
            return Check("costs", False, "; ".join(problems))
        return Check("costs", True, f"{n} cost items recomputed; total {total / 1e12:,.6f} trillion KRW/yr = LP objective")
    return _check_pathway_costs(ds, written, summary, objective)


def _check_pathway_costs(ds: xr.Dataset, written: pd.DataFrame, summary: pd.DataFrame | None, objective: float) -> Check:
    if "period" not in written:
        return Check("costs", False, "costs.csv has no period column; expected one block of cost items per period")
    years = ds["period"].values.astype(np.int64)
    W = discounted_years(years, ds["input_period_span_yr"].values, int(ds.attrs["pathway_base_year"]),
                         float(ds.attrs["pathway_discount_rate"]))
    investment, service_problems = investment_by_period(ds)
    re100_penalty = _has_re100_penalty(ds)
    results, totals, penalties, n = [], [], [], 0
    for p, (y, view) in enumerate(period_views(ds)):
        rows = written[written["period"].astype(str) == str(y)].drop(columns="period")
        problems, total, penalty, k = _year_costs(view, rows, summary_of_period(summary, y),
                                                  {kind: a[..., p] for kind, a in investment.items()}, re100_penalty)
        problems += [s.split(": ", 1)[1] for s in service_problems if s.startswith(f"period {y}: ")]
        results.append((y, problems, f"{(total - penalty) / 1e12:,.3f}"))
        totals.append(total)
        penalties.append(penalty)
        n += k
    pv, pv_penalty = float(W @ np.array(totals)), float(W @ np.array(penalties))
    pathway_problems = []
    if not np.isclose(pv, objective, rtol=REL_TOL, atol=ABS_TOL_KRW):
        pathway_problems.append(f"Σ W_p x recomputed annual costs = {pv:,.6g} KRW but the LP objective is {objective:,.6g} "
                                "(present value)")
    base = ds.attrs.get("pathway_base_year")
    pv_summary = summary_of_period(summary, "all")
    if pv_summary is None:
        pathway_problems.append("summary.csv missing")
    else:
        for metric, value in (("discounted_total_system_cost", pv - pv_penalty), ("discounted_shortfall_penalty", pv_penalty),
                              ("discounted_objective", pv)):
            if metric not in pv_summary or not np.isclose(float(pv_summary[metric]), value, rtol=REL_TOL, atol=ABS_TOL_KRW):
                pathway_problems.append(f"summary.csv (period all) {metric} = {pv_summary.get(metric)} but Σ W_p x "
                                        f"recomputed costs gives {value:,.6g}")
    lead = (f"{n} cost items recomputed (investment from the builds in service at the annuity of their build period); "
            f"Σ W_p x annual cost = {pv / 1e12:,.6f} trillion KRW (present value in {base}) = LP objective; "
            "system cost per period (trillion KRW/yr) ")
    return _one_or_per_period("costs", results, lead=lead, pathway_problems=pathway_problems)


# ---- CSV tables ---------------------------------------------------------------------------------------------------


def _roundtrip(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as it reads back from the CSV the run writes (same float format)."""
    return pd.read_csv(io.StringIO(frame.to_csv(index=False, float_format="%.10g")))


def _first_difference(name: str, expected: pd.DataFrame, written: pd.DataFrame) -> str | None:
    if list(expected.columns) != list(written.columns):
        return f"{name}: columns {list(written.columns)}, expected {list(expected.columns)}"
    if len(expected) != len(written):
        text = f"{name}: {len(written)} rows, results.nc gives {len(expected)}"
        if "period" in expected:
            a, b = expected["period"].astype(str).value_counts(), written["period"].astype(str).value_counts()
            off = [f"{p}: {b.get(p, 0)} vs {a.get(p, 0)}" for p in dict.fromkeys([*a.index, *b.index]) if a.get(p, 0) != b.get(p, 0)]
            text += f" (rows per period, file vs results.nc: {', '.join(off)})"
        return text
    for col in expected.columns:
        a, b = expected[col], written[col]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            x, y = a.to_numpy(float), b.to_numpy(float)
            same = np.isclose(x, y, rtol=CSV_REL_TOL, atol=0.0) | (np.isnan(x) & np.isnan(y))
        else:
            same = (a.astype(str) == b.astype(str)).to_numpy()
        if not same.all():
            i = int(np.flatnonzero(~same)[0])
            where = f" (period {written['period'].iloc[i]})" if "period" in written and col != "period" else ""
            return f"{name} row {i + 2}{where} column '{col}': file has {b.iloc[i]!r}, results.nc gives {a.iloc[i]!r}"
    return None


def expected_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Every CSV a run writes, rebuilt from results.nc the way re300.run writes them (per period for a pathway)."""
    from .results.outputs import output_tables

    if is_pathway(ds):
        from .results.tables import by_period

        return by_period(ds, output_tables)
    return output_tables(ds)


def check_csv_tables(ds: xr.Dataset, run_dir: Path) -> Check:
    problems, n, left_out = [], 0, 0
    for name, frame in expected_tables(ds).items():
        path = run_dir / name
        if not path.is_file():
            problems.append(f"{name} missing")
            continue
        try:
            written = pd.read_csv(path)
        except (ValueError, pd.errors.ParserError) as e:
            problems.append(f"{name} unreadable: {' '.join(str(e).split())}")
            continue
        if name == "summary.csv" and "metric" in written:
            other = written["metric"].astype(str).str.startswith(NOT_IN_RESULTS_PREFIXES)
            left_out = int(other.sum())
            written = written[~other].reset_index(drop=True)
        diff = _first_difference(name, _roundtrip(frame), written)
        if diff:
            problems.append(diff)
        n += 1
    if problems:
        return Check("csv_tables", False, "; ".join(problems))
    note = (f" ({left_out} summary.csv rows of the RE100 annual-matching comparison come from a second LP not stored "
            "in results.nc and are not checked)") if left_out else ""
    return Check("csv_tables", True, f"{n} CSV files equal the tables rebuilt from results.nc{note}")


# ---- driver -------------------------------------------------------------------------------------------------------


def verify_run(run_dir: str | Path, root: str | Path | None = None) -> list[Check]:
    """Run every check on an output folder (a single-year or a pathway run). `root`: the checkout that the
    manifest's relative input paths refer to (default: the repository this re300 is installed from). Raises
    Re300Error if the folder is not a run."""
    run_dir = Path(run_dir)
    root = Path(root) if root is not None else _repo_root()
    if not run_dir.is_dir():
        raise Re300Error(f"{run_dir}: no such output folder; expected outputs/<scenario> of a finished run")
    for name in ("results.nc", "manifest.json"):
        if not (run_dir / name).is_file():
            raise Re300Error(f"{run_dir}: {name} missing; expected the output folder of a finished run")
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise Re300Error(f"{run_dir / 'manifest.json'}: unreadable ({' '.join(str(e).split())}); expected JSON") from None
    try:
        ds = xr.load_dataset(run_dir / "results.nc", engine="h5netcdf")
    except (OSError, ValueError) as e:
        raise Re300Error(f"{run_dir / 'results.nc'}: unreadable ({' '.join(str(e).split())}); expected NetCDF") from None
    summary = read_summary(run_dir)
    checks = [check_input_hashes(manifest, ds, root), check_solver(manifest, ds)]
    if is_pathway(ds):
        checks.append(check_discounting(manifest, ds, summary))
    checks += [
        check_energy_balance(ds),
        check_renewable_target(ds, summary),
        check_export_commitment(ds, summary),
        check_costs(ds, run_dir, summary),
        check_csv_tables(ds, run_dir),
    ]
    return checks


def print_report(checks: list[Check], run_dir: Path) -> bool:
    """Print PASS/FAIL per check and a last line; returns True if all passed."""
    for c in checks:
        print(f"{'PASS' if c.passed else 'FAIL'}  {c.name}: {c.detail}")
    failed = [c.name for c in checks if not c.passed]
    if failed:
        print(f"re300 verify {run_dir}: {len(failed)} of {len(checks)} checks FAILED ({', '.join(failed)})")
    else:
        print(f"re300 verify {run_dir}: all {len(checks)} checks passed")
    return not failed
