"""Every cost item recomputed from capacities, dispatch and the input costs stored in results.nc, on purpose
independent of the code that wrote costs.csv and of the objective (re300.results.dataset.cost_table, re300.model): a
second derivation that does not trust the code it checks.

Investment of a period = Σ over the builds still in service in it (year_b ≤ year_p < year_b + lifetime) of capacity
built in b × the annuity of b's period (a single-year run: new capacity × annuity). Fixed O&M on total capacity
(existing + new), variable and purchase costs and carbon on the weighted dispatch, the value of lost load, and the
priced shortfalls of the targets (and of RE100 hourly matching). A pathway's Σ_p W_p × (cost items of p) is its LP
objective (a present value).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .checks import (
    ABS_TOL_KRW,
    ABS_TOL_MW,
    REL_TOL,
    Check,
    asset_flags,
    asset_label,
    is_pathway,
    one_or_per_period,
    period_views,
    summary_of_period,
    weighted_mwh,
)
from .discounting import discounted_years


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

    flags = asset_flags(ds)
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
            problems.append(f"{where}{fam.name} of {asset_label(ds, idx[:-1])} is {reported[idx]:,.6g} but the builds in service "
                            f"give {in_service[idx]:,.6g}")
    return out, problems


def _capacity_problems(view: xr.Dataset) -> list[str]:
    """Total capacity = existing (the input of the period) + new, for every capacity kind of one period."""
    flags = asset_flags(view)

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
            problems.append(f"{prefix}_total_{u} of {asset_label(view, idx)} is {total[idx]:,.6g} but existing (input) + new = "
                            f"{expected[idx]:,.6g}")
    total = val("link_capacity_total_mw")
    expected = val("input_link_existing_mw") + val("link_capacity_new_mw")
    for k in np.flatnonzero(~np.isclose(total, expected, rtol=REL_TOL, atol=ABS_TOL_MW))[:1]:
        problems.append(f"link_capacity_total_mw of {asset_label(view, (k,))} is {total[k]:,.6g} but existing (input) + new = "
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
    flags = asset_flags(ds)
    v = {k: np.nan_to_num(ds[k].values) for k in ("capacity_total_mw", "energy_capacity_total_mwh")}
    charge_total = np.nan_to_num(ds["charge_capacity_total_mw"].values) if "charge_capacity_total_mw" in ds else None
    energy = weighted_mwh(ds["dispatch_mw"], w)
    discharged = weighted_mwh(ds["storage_discharge_mw"], w)
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
    rows += product_sales(ds, w, techs, regions)
    for k, link in enumerate(str(x) for x in ds["link"].values):
        origin = str(ds["link_from"].values[k])
        rows += [
            ("link", link, origin, "investment", float(investment["link"][k])),
            ("link", link, origin, "fixed_om",
             float(ds["link_capacity_total_mw"].values[k]) * float(ds["input_link_fom_krw_per_mw"].values[k])),
        ]
    rows += displaced_generation(ds, w, regions)
    voll = float(ds["input_value_of_lost_load_krw_per_mwh"])
    unserved = weighted_mwh(ds["unserved_mw"], w)
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


def product_sales(ds: xr.Dataset, w: np.ndarray, techs: list[str], regions: list[str]) -> list[tuple]:
    """Revenue of what storage sells (hydrogen to industry), a negative cost: − price × Σ weight_h · sold, for every
    storage with a sale price."""
    if "input_storage_sale_price_krw_per_mwh" not in ds or "storage_sold_mw" not in ds:
        return []
    price = np.nan_to_num(ds["input_storage_sale_price_krw_per_mwh"].values)
    sold = weighted_mwh(ds["storage_sold_mw"], w)
    return [("storage", techs[ti], regions[ri], "product_sales", -float(price[ti, ri] * sold[ti, ri]))
            for ti, ri in zip(*np.nonzero(price > 0))]


def displaced_generation(ds: xr.Dataset, w: np.ndarray, regions: list[str]) -> list[tuple]:
    """Value of the generation export regions no longer run, a negative cost: − value × Σ weight_h · absorbed, for
    every export region with a value."""
    if "input_export_value_krw_per_mwh" not in ds:
        return []
    value = ds["input_export_value_krw_per_mwh"].values.astype(float)
    taken = weighted_mwh(ds["exports_received_mw"], w)
    return [("node", "export_absorption", regions[ri], "displaced_generation", -float(value[ri] * taken[ri]))
            for ri in range(len(regions)) if np.isfinite(value[ri]) and value[ri] != 0]


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
    credit = mine["component"].isin(["displaced_generation", "product_sales"])
    credits = -float(mine.loc[credit, "value"].sum())
    if summary is not None:
        for metric, value in (("objective", total), ("total_system_cost", total - penalty + credits),
                              ("net_system_cost", total - penalty), ("shortfall_penalty", penalty)):
            if metric not in summary or not np.isclose(float(summary[metric]), value, rtol=REL_TOL, atol=ABS_TOL_KRW):
                problems.append(f"summary.csv {metric} = {summary.get(metric)} but the recomputation gives {value:,.6g}")
    return problems, total, penalty, len(mine)


def check_costs(ds: xr.Dataset, run_dir: Path, summary: pd.DataFrame | pd.Series | None) -> Check:
    """costs.csv equals the recomputed cost items; total capacity = existing + new; the items sum to the LP objective
    and to summary.csv's totals (per period and discounted for a pathway)."""
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
    return one_or_per_period("costs", results, lead=lead, pathway_problems=pathway_problems)
