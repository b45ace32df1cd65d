"""Hourly-matched RE100 loads (24/7 carbon-free supply for e.g. a Saemangeum RE100 industrial complex or new data
centres): scenario-defined loads that must be met **every hour** by renewable supply inside Honam.

The loads are part of the regional demand (`ModelData.demand_mw`) and so of the consumption that the volumetric
targets multiply. With `matching: hourly` they also have first claim, hour by hour, on Honam's renewable output
net of storage and of what is sent to the export region — the "Honam renewable pool":

    pool[t] = Σ_{g renewable in Honam} dispatch[g,t] + Σ_{s in Honam} (discharge[s,t] − charge[s,t])
              − Σ_{l from Honam to an export region} flow[l,t]                                          [GW]

Storage is allowed (what it discharges counts, what it charges is taken from the pool in the hour it charges,
so storage can only carry renewable energy to the load, never non-renewable supply); non-renewable supply never
counts; energy sent to the Capital region is not available to the loads. The pool is Honam-wide (the three
provinces share one pool; transmission limits and losses inside Honam are left out of the matching account,
as a regional 24/7 procurement would count them). `matching: annual` loads are counted only in the volumetric
target; comparing the two gives the cost premium of hourly over annual matching (re300.run).

Variables
    re100_shortfall[t]   RE100 load not matched by the pool in snapshot t (only if a shortfall penalty is set) [GW]
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .costs import CostOwners
from .linear import RowBlock
from .names import Row, Var


def hourly_loads_mw(data) -> np.ndarray:
    """Total hourly-matched RE100 load per snapshot [MW] (zeros without such loads)."""
    if data.re100_loads is None or len(data.re100_loads) == 0:
        return np.zeros(data.n_time)
    hourly = (data.re100_loads["matching"] == "hourly").to_numpy()
    return np.asarray(data.re100_load_mw, float)[hourly].sum(axis=0)


def add(ctx) -> None:
    load = hourly_loads_mw(ctx.data) * U.POWER
    if not np.any(load > 0):
        return
    hourly_matching_constraint(ctx, load)


def hourly_matching_constraint(ctx, load_gw) -> None:
    """RE100 loads are met by the Honam renewable pool in every snapshot where they draw power:

        Σ_{g ren, Honam} dispatch[g,t] + Σ_{s, Honam} (discharge[s,t] − charge[s,t]) − Σ_{l Honam→export} flow[l,t]
          + re100_shortfall[t]  ≥  Σ_{hourly loads} load[t]                                            [GW]

    The shortfall (if allowed) costs the target shortfall penalty × weight_h[t] × W_p, so the dual divided by
    that weight is the hourly matching price in KRW per MWh of RE100 load.
    """
    hours = np.flatnonzero(load_gw > 0)
    row = np.full(ctx.T, -1)
    row[hours] = np.arange(len(hours))
    block = RowBlock(ctx.lm, Row.RE100_HOURLY_MATCH, ("time",), (hours.tolist(),), ">=", unit="GW",
                     doc="Honam renewable pool net of storage and exports >= hourly-matched RE100 load")
    for _, coefs, var in ctx.pool_terms:
        var = np.asarray(var, dtype=object)
        coefs = np.broadcast_to(np.asarray(coefs, float), var.shape)
        rows = np.broadcast_to(row, var.shape)
        on = rows >= 0
        block.add(rows[on], coefs[on], var[on])
    penalty = ctx.data.targets.renewable_slack_krw_per_mwh
    if penalty is not None:
        slack = ctx.lm.add_variables(Var.RE100_SHORTFALL, ("time",), (hours.tolist(),), ub=load_gw[hours], unit="GW",
                                     doc="RE100 load not matched by Honam renewable supply in the hour")
        owners = CostOwners("target", [Var.RE100_SHORTFALL], ["honam"])
        ctx.costs.declare(owners.kind, owners.assets, owners.regions, ("shortfall_penalty",))
        annual = penalty * U.COST_PER_ENERGY * ctx.weight[hours]  # bn KRW/yr per GW short in the snapshot
        ctx.add_cost(penalty * U.COST_PER_ENERGY * ctx.cost_weight[hours], slack,
                     owners.labels("shortfall_penalty", annual, ctx.period[hours]))
        block.add(np.arange(len(hours)), 1.0, slack)
    block.add_rhs(np.arange(len(hours)), load_gw[hours])
    block.build()
    ctx.meta["re100"] = {"hours": hours}
