"""Annual targets: the renewable ratio (RE100 / RE300) and the export commitment to the Capital region.

Accounting rule (also in README.md):
* counted renewable energy = Σ_t w_t · Σ_{renewable g} dispatch[g,t]  — output actually used, so **curtailed
  MWh never count**; energy is counted where it is generated, so **exported MWh count**;
* minus, if `deduct_storage_losses` (default), the energy lost in storage over the year,
  Σ_t w_t · Σ_s (charge[s,t] − discharge[s,t]) (with a cyclic state of charge this is exactly the
  round-trip and standing losses);
* minus, if `deduct_transmission_losses` (default off), the energy lost on links, Σ_t w_t Σ_l (1−η_l)·flow[l,t].
The consumption it is compared with is Honam's weighted annual demand D = Σ_t w_t Σ_{honam r} demand[r,t].

Variables
    renewable_shortfall   energy by which the renewable target is missed (only if a penalty is set)  [GWh]
    export_shortfall      energy by which the export commitment is missed (only if a penalty is set) [GWh]
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .linear import RowBlock


def add(ctx) -> None:
    tg = ctx.data.targets
    consumption = ctx.data.annual_consumption_mwh() * U.ENERGY  # GWh
    if tg.renewable_share is not None:
        renewable_target_constraint(ctx, tg, consumption)
    if tg.export_share is not None:
        export_target_constraint(ctx, tg, consumption)


def _partial_sums(ctx, name, terms):
    """With `ctx.split_hours`, replace a year-long sum by partial sums per group of snapshots (keeps rows sparse):

        part[b] − Σ_{t in group b} coef·x = 0,  and the target row uses Σ_b part[b]               [GWh]

    `terms` are (coefs, variables) with time as the last axis. Returns the terms for the target row.
    """
    if not ctx.split_hours or not terms:
        return terms
    seg = np.arange(ctx.T) // int(ctx.split_hours)
    nseg = int(seg.max()) + 1
    part = ctx.lm.add_variables(f"{name}_part", ("segment",), (list(range(nseg)),), lb=-np.inf, unit="GWh")
    rb = RowBlock(ctx.lm, f"{name}_part_sum", ("segment",), (list(range(nseg)),), "==", unit="GWh")
    rb.add(np.arange(nseg), 1.0, part)
    for coefs, var in terms:
        var = np.asarray(var, dtype=object)
        coefs = np.broadcast_to(np.asarray(coefs, float), var.shape)
        rows = np.broadcast_to(seg, var.shape)
        rb.add(rows, -coefs, var)
    rb.build()
    return [(np.ones(nseg), part)]


def _shortfall(ctx, name, penalty_krw_per_mwh):
    if penalty_krw_per_mwh is None:
        return None
    var = ctx.lm.add_variables(name, ("target",), ([name],), unit="GWh")
    ctx.add_cost(penalty_krw_per_mwh * U.COST_PER_ENERGY, var)
    return var


def renewable_target_constraint(ctx, tg, consumption_gwh) -> None:
    """Counted renewable energy reaches the share X of Honam's consumption (dual: the target's shadow price):

        Σ_t w_t Σ_{g renewable} dispatch[g,t] − [Σ_t w_t Σ_s (charge − discharge)] − [Σ_t w_t Σ_l (1−η_l) flow]
          + renewable_shortfall  ≥  X · D                                                           [GWh]
    """
    kinds = [k for k, on in (("storage", tg.deduct_storage_losses), ("transmission", tg.deduct_transmission_losses)) if on]
    terms = list(ctx.renewable_terms)
    for kind in kinds:
        terms += [(-np.asarray(coefs, float), var) for coefs, var in ctx.renewable_loss_terms.get(kind, [])]
    block = RowBlock(ctx.lm, "renewable_target", ("target",), (["renewable"],), ">=", unit="GWh")
    for coefs, var in _partial_sums(ctx, "renewable_target", terms):
        block.add(0, coefs, var)
    slack = _shortfall(ctx, "renewable_shortfall", tg.renewable_slack_krw_per_mwh)
    if slack is not None:
        block.add(0, 1.0, slack)
    block.add_rhs(0, tg.renewable_share * consumption_gwh)
    block.build()


def export_target_constraint(ctx, tg, consumption_gwh) -> None:
    """Energy delivered to export regions reaches the share Y of Honam's consumption:

        Σ_t w_t Σ_{l into export regions} η_l · flow[l,t] + export_shortfall  ≥  Y · D             [GWh]
    """
    block = RowBlock(ctx.lm, "export_target", ("target",), (["export"],), ">=", unit="GWh")
    for coefs, var in _partial_sums(ctx, "export_target", list(ctx.export_terms)):
        block.add(0, coefs, var)
    slack = _shortfall(ctx, "export_shortfall", tg.export_slack_krw_per_mwh)
    if slack is not None:
        block.add(0, 1.0, slack)
    block.add_rhs(0, tg.export_share * consumption_gwh)
    block.build()
