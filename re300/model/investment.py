"""New capacity by build period: the variables, what they cost, how long they serve, and the limits on building.

A single-year run is the one-period special case: one build option per expandable asset, in service in the only
period, costing annuity + fixed O&M per year — the LP of the core model, unchanged.

In a pathway run (`ModelData.pathway`) an asset i may be built in each period b where the data allow it
(`max_new[i, b] > 0`); build (i, b) is *alive* in period p when

    year_p ≥ year_b   and   year_p < year_b + lifetime_i

and every hourly row of period p sees the sum of the builds alive in p (`capacity_terms`). Existing capacity per
period (after retirements) is data. Costs, with W_p the period's objective weight (discounted years):

    investment of build (i, b)  = annuity_i(capex of period b) · Σ_{p alive} W_p      (paid only inside the horizon)
    fixed O&M of build (i, b)   = Σ_{p alive} W_p · fom_i(p)
    fixed O&M of existing i     = Σ_p W_p · fom_i(p) · existing_i(p)                    (a constant)

Variables (one family per capacity kind, 1-d over build options; labels 'technology|region' for a single year,
'technology|region|year' in a pathway)
    capacity_new[k], power_new[k], energy_new[k], charge_power_new[k], link_new[k]      [GW or GWh]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import units as U
from .costs import CostOwners
from .linear import RowBlock
from .names import CapacityKind, Row


@dataclass
class Builds:
    """Build options of one capacity family: option k builds asset `asset[k]` in period `period[k]`."""

    family: str  # generators, storage_power, storage_energy, storage_charge, links
    name: str  # variable family name in the LP
    asset: np.ndarray  # (K,) row of the asset in its frame
    period: np.ndarray  # (K,) index of the build period
    variables: np.ndarray  # (K,) VarData
    alive: np.ndarray  # (K, P) bool: option k is in service in period p
    n_assets: int

    @property
    def assets(self) -> np.ndarray:
        """Assets with at least one build option (sorted)."""
        return np.unique(self.asset)

    def meta(self) -> dict:
        """Plain arrays for results and myopic hand-over (no Pyomo objects)."""
        return {"family": self.family, "name": self.name, "asset": self.asset, "period": self.period,
                "alive": self.alive, "n_assets": self.n_assets}


def alive_matrix(years, build_period, lifetime_yr) -> np.ndarray:
    """(K, P) bool: build k (made in period build_period[k], lifetime lifetime_yr[k], NaN = forever) serves period p."""
    years = np.asarray(years, float)
    b = np.asarray(build_period, dtype=np.int64)
    life = np.nan_to_num(np.asarray(lifetime_yr, float), nan=np.inf)
    start = years[b][:, None]
    return (years[None, :] >= start) & (years[None, :] < start + life[:, None])


def add_builds(ctx, kind: CapacityKind, labels, max_new, lifetime_yr, capex_annual, fom, owners: CostOwners,
               doc: str = "") -> Builds:
    """Create the build variables of one capacity family and register their cost.

    kind: the capacity kind (re300.model.names: its LP variable, unit and scale); max_new (N x P): limit on the new
    capacity in service in each period (data units, inf = none; building in period b needs max_new[i, b] > 0);
    lifetime_yr (N,); capex_annual, fom (N x P) per data unit and year; owners: the N assets as cost items name them. Costs enter as
    explained in the module docstring, labelled `investment` (annuity of the build period) and `fixed_om` in each
    period the build serves.
    """
    data = ctx.data
    P = ctx.P
    family, name, scale, unit = kind.family, kind.variable, kind.scale, U.LP_UNIT[kind.unit]
    max_new = np.nan_to_num(np.asarray(max_new, float), nan=0.0, posinf=np.inf)
    N = max_new.shape[0]
    fixed = (data.fixed_builds or {}).get(family)
    committed = (data.committed_builds or {}).get(family)
    allowed = max_new > 0
    if fixed is not None:
        allowed |= np.nan_to_num(np.asarray(fixed, float), nan=0.0) > 0
    if committed is not None and ctx.pathway is None:
        allowed |= np.asarray(committed, float) > 0
    asset, period = np.nonzero(allowed)
    if ctx.pathway is None:
        alive = np.ones((len(asset), P), dtype=bool)  # a single year: every build serves it
    else:
        alive = alive_matrix(ctx.years, period, np.asarray(lifetime_yr, float)[asset])
    if ctx.pathway is None:
        opt_labels = [labels[i] for i in asset]
    else:
        opt_labels = [f"{labels[i]}|{ctx.years[b]}" for i, b in zip(asset, period)]
    ub = max_new[asset, period] * scale
    lb = np.zeros(len(asset))
    if committed is not None and ctx.pathway is None:  # a single year: the committed projects are built
        lb = np.asarray(committed, float)[asset, period] * scale
        ub = np.maximum(ub, lb)
    if fixed is not None:
        fx = np.asarray(fixed, float)[asset, period]
        hit = np.isfinite(fx)
        ub = np.where(hit, fx * scale, ub)
        lb = np.where(hit, fx * scale, lb)
    variables = ctx.lm.add_variables(name, (family_dim(family),), (opt_labels,), lb=lb, ub=ub, unit=unit, doc=doc)
    builds = Builds(family, name, asset.astype(np.int64), period.astype(np.int64), variables, alive, N)

    W = ctx.W
    capex_annual = np.asarray(capex_annual, float)
    fom = np.asarray(fom, float)
    if len(asset):
        paid_years = alive @ W  # Σ_{p alive} W_p per option
        fom_years = (alive * W[None, :] * fom[asset]).sum(axis=1)
        cost = capex_annual[asset, period] * paid_years + fom_years  # per data unit
        option_owners = CostOwners(owners.kind, [owners.assets[i] for i in asset], [owners.regions[i] for i in asset])
        ctx.add_cost(cost * U.MONEY / scale, variables,
                     option_owners.labels("investment", alive * capex_annual[asset, period][:, None] * U.MONEY / scale),
                     option_owners.labels("fixed_om", alive * fom[asset] * U.MONEY / scale))
    if ctx.pathway is not None and len(asset):
        new_capacity_limit_constraint(ctx, builds, labels, max_new * scale, unit)
        if committed is not None:
            committed_capacity_constraint(ctx, builds, labels, np.asarray(committed, float) * scale, unit)
    ctx.meta.setdefault("builds", {})[family] = builds.meta()
    ctx.builds[family] = builds
    return builds


def family_dim(family: str) -> str:
    return {"generators": "generator", "links": "link"}.get(family, "storage")


def existing_fom_constant(ctx, owners: CostOwners, existing, fom) -> None:
    """Fixed O&M of existing capacity, a constant: Σ_p W_p · fom[i,p] · existing[i,p]  [bn KRW], labelled `fixed_om`
    of each asset (owners) and period. existing, fom: (N x P) in data units (MW or MWh, KRW per unit and year)."""
    existing = np.asarray(existing, float)
    if existing.size == 0:
        return
    annual = np.asarray(fom, float) * existing  # N x P [KRW/yr]
    ctx.add_constant_cost(float(np.sum(annual * ctx.W[None, :])) * U.MONEY, owners.labels("fixed_om", annual * U.MONEY))


def new_capacity_limit_constraint(ctx, builds: Builds, labels, limit, unit: str = "GW") -> None:
    """New capacity in service stays within its limit in every period (pathway runs):

        Σ_{b alive in p} build[i, b]  ≤  max_new[i, p]                                  [GW or GWh]

    where max_new[i, p] = min(potential − existing in p, the availability schedule of year p). Rows that a
    single option's own bound already implies are left out.
    """
    P = ctx.P
    rows = []
    for i in np.unique(builds.asset):
        ks = np.flatnonzero(builds.asset == i)
        for p in range(P):
            lim = limit[i, p]
            on = ks[builds.alive[ks, p]]
            if not np.isfinite(lim) or len(on) == 0:
                continue
            if len(on) == 1 and builds.period[on[0]] == p:
                continue  # its variable bound is this limit
            rows.append((i, p, on, lim))
    _in_service_rows(ctx, builds, labels, rows, "limit", "<=", unit,
                     "new capacity in service <= potential - existing, and the availability schedule")


def committed_capacity_constraint(ctx, builds: Builds, labels, committed, unit: str = "GW") -> None:
    """Committed projects are in service on schedule (pathway runs):

        Σ_{b alive in p} build[i, b]  ≥  committed[i, p]                                  [GW or GWh]

    for every asset i and period p with committed[i, p] > 0 (e.g. the Shinan cluster from 2030). An asset that
    cannot be built by then (no build option alive in p) makes the row infeasible, which the assembly prevents.
    """
    rows = []
    for i in np.flatnonzero(np.asarray(committed).max(axis=1, initial=0.0) > 0):
        ks = np.flatnonzero(builds.asset == i)
        for p in range(ctx.P):
            if committed[i, p] > 0:
                rows.append((i, p, ks[builds.alive[ks, p]], committed[i, p]))
    _in_service_rows(ctx, builds, labels, rows, "committed", ">=", unit,
                     "new capacity in service >= the committed projects of the period", axis="commitment")


def _in_service_rows(ctx, builds: Builds, labels, rows, suffix: str, sense: str, unit: str, doc: str,
                     axis: str = "limit") -> None:
    """One row per (asset i, period p, builds alive in p, right-hand side) of `rows`:
    Σ_{b alive in p} build[i, b] (sense) rhs; a row without a build alive keeps only its right-hand side."""
    if not rows:
        return
    block = RowBlock(ctx.lm, f"{builds.name}_{suffix}", (axis,),
                     ([f"{labels[i]}|{ctx.years[p]}" for i, p, _, _ in rows],), sense, unit=unit, doc=doc)
    for r, (_, _, on, rhs) in enumerate(rows):
        if len(on):
            block.add(np.full(len(on), r), 1.0, builds.variables[on])
        block.add_rhs(r, rhs)
    block.build()


def capacity_terms(ctx, block: RowBlock, rows, coefs, builds: Builds, assets, period=None) -> None:
    """Add Σ_{b alive in the row's period} coefs[j, m] · build[assets[j], b] to `block` rows[j, m].

    rows, coefs: (len(assets), M). By default the M columns are the snapshots (each hourly row sees the builds
    alive in its own period, through `ctx.over_time`); otherwise `period` gives the investment period of each
    column.
    """
    assets = np.asarray(assets, dtype=np.int64)
    if len(builds.asset) == 0 or len(assets) == 0:
        return
    pos = {int(a): j for j, a in enumerate(assets)}
    rows = np.asarray(rows)
    coefs = np.broadcast_to(np.asarray(coefs, float), rows.shape)
    if period is None:
        period = ctx.period
        var_t = ctx.over_time(builds.variables, builds.name)
    else:
        period = np.asarray(period, dtype=np.int64)
        var_t = np.broadcast_to(np.asarray(builds.variables, dtype=object)[:, None], (len(builds.asset), len(period)))
    for k, i in enumerate(builds.asset):
        j = pos.get(int(i))
        if j is None:
            continue
        on = builds.alive[k, period]
        if not on.any():
            continue
        block.add(rows[j, on], coefs[j, on], var_t[k, on])


def build_rate_constraint(ctx) -> None:
    """Capacity built per period stays within a rate (pathway runs; rows of `ModelData.build_rate_limits`):

        Σ_{i in group} build[i, b]  ≤  max_mw_per_yr · build_interval_yr[b]                    [GW]

    A group is a set of technologies in a set of regions (generators, or the discharge power of storage); the
    build interval is the years since the previous period (the first period: since the base year).
    """
    limits = ctx.data.build_rate_limits
    if ctx.pathway is None or limits is None or len(limits) == 0:
        return
    interval = np.asarray(ctx.pathway.build_interval_yr, float)
    rows = []
    for lim in limits.itertuples(index=False):
        family = "generators" if lim.frame == "generators" else "storage_power"
        builds = ctx.builds.get(family)
        if builds is None:
            continue
        frame = getattr(ctx.data, lim.frame).reset_index(drop=True)
        techs, regions = set(str(lim.technologies).split("+")), set(str(lim.regions).split("+"))
        members = np.flatnonzero(frame["technology"].isin(techs).to_numpy() & frame["region"].isin(regions).to_numpy())
        for b in range(ctx.P):
            ks = np.flatnonzero(np.isin(builds.asset, members) & (builds.period == b))
            if len(ks):
                rows.append((f"{lim.name}|{ctx.years[b]}", builds.variables[ks], float(lim.max_mw_per_yr) * interval[b] * U.POWER))
    if not rows:
        return
    block = RowBlock(ctx.lm, Row.BUILD_RATE, ("limit",), ([r[0] for r in rows],), "<=", unit="GW",
                     doc="new capacity built per period <= rate x years of the build interval")
    for r, (_, variables, rhs) in enumerate(rows):
        block.add(np.full(len(variables), r), 1.0, variables)
        block.add_rhs(r, rhs)
    block.build()
