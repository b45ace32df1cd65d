"""Transmission as a transport (NTC) model with losses: Honam AC links carry flow either way; the West-Coast
HVDC corridor links carry flow one way, to the export (Capital) region.

Variables
    link_new[l]              new transfer capacity (links that may expand)               [GW]
    flow_forward[l, t]       flow from `from_region` to `to_region`, measured at the sending end   [GW]
    flow_backward[l, t]      flow from `to_region` to `from_region` (bidirectional links only)     [GW]
The receiving end gets efficiency[l] × the flow sent; the rest is the link loss.
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .linear import RowBlock


def add(ctx) -> None:
    data = ctx.data
    links = data.links.reset_index(drop=True)
    L, T = len(links), ctx.T
    if L == 0:
        return
    labels = list(links["link"])
    times = list(range(T))
    exist = links["existing_mw"].to_numpy(float) * U.POWER
    max_new = np.nan_to_num(links["max_new_mw"].to_numpy(float) * U.POWER, nan=0.0, posinf=np.inf)
    eff = links["efficiency"].to_numpy(float)
    bidir = links["bidirectional"].to_numpy(bool)
    expandable = np.flatnonzero(max_new > 0)
    back = np.flatnonzero(bidir)

    new = ctx.lm.add_variables("link_new", ("link",), ([labels[i] for i in expandable],), ub=max_new[expandable], unit="GW")
    ub = np.where(np.isin(np.arange(L), expandable), np.inf, exist)[:, None] * np.ones((1, T))
    fwd = ctx.lm.add_variables("flow_forward", ("link", "time"), (labels, times), ub=ub, unit="GW")
    bwd = ctx.lm.add_variables("flow_backward", ("link", "time"), ([labels[i] for i in back], times), ub=ub[back], unit="GW")

    flow_limit_constraint(ctx, "flow_limit_forward", labels, expandable, np.arange(L), fwd, new, exist)
    flow_limit_constraint(ctx, "flow_limit_backward", labels, expandable, back, bwd, new, exist)

    src = ctx.region_index(links["from_region"])
    dst = ctx.region_index(links["to_region"])
    ctx.add_to_balance(src, -1.0, fwd)
    ctx.add_to_balance(dst, eff[:, None], fwd)
    if len(back):
        ctx.add_to_balance(dst[back], -1.0, bwd)
        ctx.add_to_balance(src[back], eff[back, None], bwd)

    w = ctx.weight[None, :]
    loss = (1.0 - eff)[:, None] * w
    ctx.add_renewable_loss("transmission", loss, fwd)
    if len(back):
        ctx.add_renewable_loss("transmission", loss[back], bwd)
    export_kind = np.array([data.region_kind[r] == "export" for r in links["to_region"]])
    if export_kind.any():
        ctx.add_export((eff[:, None] * w)[export_kind], fwd[export_kind])

    cost = links["capex_annual_krw_per_mw"].to_numpy(float) + links["fom_krw_per_mw"].to_numpy(float)
    ctx.add_cost(cost[expandable] * U.COST_PER_POWER, new)
    ctx.add_constant_cost(float(exist @ links["fom_krw_per_mw"].to_numpy(float)) * U.COST_PER_POWER)
    ctx.meta["links"] = {"expandable": expandable, "backward": back, "labels": labels}


def flow_limit_constraint(ctx, name, labels, expandable, which, flow, new, exist) -> None:
    """Flow in each direction is bounded by the link's capacity, for links that may expand:

        flow[l,t] − link_new[l]  ≤  existing[l]        [GW]

    (`which` lists the links that `flow` covers; links without expansion have the limit as a variable bound.)
    """
    T = ctx.T
    pos_new = {l: k for k, l in enumerate(expandable)}
    rows_of = [k for k, l in enumerate(which) if l in pos_new]
    if not rows_of:
        return
    block = RowBlock(ctx.lm, name, ("link", "time"), ([labels[which[k]] for k in rows_of], list(range(T))), "<=", unit="GW")
    t = np.arange(T)
    new_t = ctx.over_time(new, "link_new")
    for j, k in enumerate(rows_of):
        l = which[k]
        rows = block.row_index(j, t)
        block.add(rows, 1.0, flow[k])
        block.add(rows, -1.0, new_t[pos_new[l]])
        block.add_rhs(rows, exist[l])
    block.build()
