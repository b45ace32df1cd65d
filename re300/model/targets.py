"""Annual targets: the renewable ratio (RE100 / RE300) and the export commitment to the Capital region.

Accounting rule (also in README.md):
* counted renewable energy = Σ_t w_t · Σ_{renewable g} dispatch[g,t]  — output actually used, so **curtailed
  MWh never count**; energy is counted where it is generated, so **exported MWh count**;
* minus, if `deduct_storage_losses` (default), the energy lost in storage over the year,
  Σ_t w_t · Σ_s (charge[s,t] − discharge[s,t]) (with a cyclic state of charge this is exactly the
  round-trip and standing losses);
* minus, if `deduct_transmission_losses` (default off), the energy lost on links, Σ_t w_t Σ_l (1−η_l)·flow[l,t].
The consumption it is compared with is Honam's weighted annual demand D = Σ_t w_t Σ_{honam r} demand[r,t].

In a pathway run each investment period may have its own target (RE100 in 2034, RE300 in 2050, ...): one row
per period with a target, summing that period's snapshots, compared with that period's consumption D_p.

Variables
    renewable_shortfall[p]  energy by which the renewable target is missed (only if a penalty is set)  [GWh]
    export_shortfall[p]     energy by which the export commitment is missed (only if a penalty is set) [GWh]
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .costs import CostOwners
from .linear import RowBlock
from .names import SHORTFALL_OF_TARGET, Row


def add(ctx) -> None:
    tg = ctx.data.targets
    consumption = ctx.data.period_consumption_mwh() * U.ENERGY  # GWh/yr per period
    renewable = tg.shares("renewable", ctx.P)
    export = tg.shares("export", ctx.P)
    if np.isfinite(renewable).any():
        renewable_target_constraint(ctx, tg, renewable * consumption)
    if np.isfinite(export).any():
        export_target_constraint(ctx, tg, export * consumption)


def _partial_sums(ctx, name, terms):
    """With `ctx.split_hours`, replace a year-long sum by partial sums per group of snapshots (keeps rows sparse):

        part[b] − Σ_{t in group b} coef·x = 0,  and the target row uses Σ_b part[b]               [GWh]

    `terms` are (coefs, variables) with time as the last axis. Returns terms for the target rows, time last
    (groups never span two periods; a part stands at the first snapshot of its group).
    """
    if not ctx.split_hours or not terms:
        return terms
    group = ctx.split_groups()
    ngroups = int(group.max()) + 1
    part = ctx.lm.add_variables(f"{name}_part", ("split_group",), (list(range(ngroups)),), lb=-np.inf, unit="GWh")
    rb = RowBlock(ctx.lm, f"{name}_part_sum", ("split_group",), (list(range(ngroups)),), "==", unit="GWh")
    rb.add(np.arange(ngroups), 1.0, part)
    for coefs, var in terms:
        var = np.asarray(var, dtype=object)
        coefs = np.broadcast_to(np.asarray(coefs, float), var.shape)
        rows = np.broadcast_to(group, var.shape)
        rb.add(rows, -coefs, var)
    rb.build()
    first = np.searchsorted(group, np.arange(ngroups))  # groups are contiguous and numbered in time order
    coefs = np.zeros(ctx.T)
    coefs[first] = 1.0
    var_t = np.full(ctx.T, None, dtype=object)
    var_t[first] = part
    keep = np.zeros(ctx.T, bool)
    keep[first] = True
    return [(coefs[keep][None, :], var_t[keep][None, :], np.flatnonzero(keep))]


def _target_rows(ctx, kind, name, rhs_gwh, terms, penalty_krw_per_mwh):
    """One row per period with a target: Σ (terms of the period's snapshots) + shortfall ≥ rhs, written in TWh
    (every coefficient and the rhs × U.TARGET_ROW; the variables stay in GW / GWh), so the row's coefficients — the
    hours each snapshot stands for — stay near the hourly rows'. Its dual is in bn KRW per TWh."""
    S = U.TARGET_ROW
    has = np.flatnonzero(np.isfinite(rhs_gwh))
    if ctx.pathway is None:
        block = RowBlock(ctx.lm, name, ("target",), ([kind],), ">=", unit=U.TARGET_ROW_UNIT)
    else:
        block = RowBlock(ctx.lm, name, ("period",), ([ctx.years[p] for p in has],), ">=", unit=U.TARGET_ROW_UNIT)
    row_of_period = np.full(ctx.P, -1)
    row_of_period[has] = np.arange(len(has))
    for term in _partial_sums(ctx, name, terms):
        coefs, var = term[0], np.asarray(term[1], dtype=object)
        t_idx = term[2] if len(term) > 2 else np.arange(ctx.T)
        coefs = np.broadcast_to(np.asarray(coefs, float), var.shape)
        rows = np.broadcast_to(row_of_period[ctx.period[t_idx]], var.shape)
        on = rows >= 0
        block.add(rows[on], S * coefs[on], var[on])
    slack_name = SHORTFALL_OF_TARGET[kind]
    if penalty_krw_per_mwh is not None:
        coords = [slack_name] if ctx.pathway is None else [ctx.years[p] for p in has]
        dim = "target" if ctx.pathway is None else "period"
        slack = ctx.lm.add_variables(slack_name, (dim,), (coords,), unit="GWh")
        owners = CostOwners("target", [slack_name], ["honam"])
        ctx.costs.declare(owners.kind, owners.assets, owners.regions, ("shortfall_penalty",), periods=has)
        annual = penalty_krw_per_mwh * U.COST_PER_ENERGY * np.ones(len(has))  # bn KRW/yr per GWh short
        ctx.add_cost(penalty_krw_per_mwh * U.COST_PER_ENERGY * ctx.W[has], slack,
                     owners.labels("shortfall_penalty", annual, has))
        block.add(np.arange(len(has)), S, slack)
    block.add_rhs(np.arange(len(has)), S * rhs_gwh[has])
    block.build()


def renewable_target_constraint(ctx, tg, target_gwh) -> None:
    """Counted renewable energy reaches the share X_p of Honam's consumption in each period with a target (dual:
    the target's shadow price; a single-year run has one such row):

        Σ_{t in p} w_t Σ_{g renewable} dispatch[g,t] − [Σ_{t in p} w_t Σ_s (charge − discharge)]
          − [Σ_{t in p} w_t Σ_l (1−η_l) flow] + renewable_shortfall[p]  ≥  X_p · D_p                    [GWh]

    The shortfall costs the penalty × W_p in the objective, so the dual / W_p is in KRW per MWh of the year.
    """
    kinds = [k for k, on in (("storage", tg.deduct_storage_losses), ("transmission", tg.deduct_transmission_losses)) if on]
    terms = list(ctx.renewable_terms)
    for kind in kinds:
        terms += [(-np.asarray(coefs, float), var) for coefs, var in ctx.renewable_loss_terms.get(kind, [])]
    _target_rows(ctx, "renewable", Row.RENEWABLE_TARGET, target_gwh, terms, tg.renewable_slack_krw_per_mwh)


def export_target_constraint(ctx, tg, target_gwh) -> None:
    """Energy delivered to export regions reaches the share Y_p of Honam's consumption in each period with a
    commitment:

        Σ_{t in p} w_t Σ_{l into export regions} η_l · flow[l,t] + export_shortfall[p]  ≥  Y_p · D_p      [GWh]
    """
    _target_rows(ctx, "export", Row.EXPORT_TARGET, target_gwh, list(ctx.export_terms), tg.export_slack_krw_per_mwh)
