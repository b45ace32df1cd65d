"""Transmission as a transport (NTC) model with losses: Honam AC links carry flow either way; the West-Coast
HVDC corridor links carry flow one way, to the export (Capital) region.

Variables
    link_new[k]              new transfer capacity of a link that may expand, by build period (re300.model.investment) [GW]
    flow_forward[l, t]       flow from `from_region` to `to_region`, measured at the sending end   [GW]
    flow_backward[l, t]      flow from `to_region` to `from_region` (bidirectional links only)     [GW]
The receiving end gets efficiency[l] × the flow sent; the rest is the link loss.
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .adequacy import register_firm
from .costs import CostOwners
from .investment import add_builds, capacity_terms, existing_fom_constant
from .linear import RowBlock
from .names import LINKS, Row, Var

# cost items of each link (costs.csv rows, in this order), in the region it leaves
COST_COMPONENTS = ("investment", "fixed_om")


def add(ctx) -> None:
    data = ctx.data
    links = data.links.reset_index(drop=True)
    L, T = len(links), ctx.T
    if L == 0:
        return
    labels = list(links["link"])
    times = list(range(T))
    exist_p = data.column("links", "existing_mw")  # L x P [MW]
    exist = ctx.by_snapshot(exist_p) * U.POWER  # L x T [GW]
    eff = links["efficiency"].to_numpy(float)
    bidir = links["bidirectional"].to_numpy(bool)
    back = np.flatnonzero(bidir)
    fom = data.column("links", "fom_krw_per_mw")
    owners = CostOwners("link", labels, list(links["from_region"]))
    ctx.costs.declare(owners.kind, owners.assets, owners.regions, COST_COMPONENTS)

    new = add_builds(ctx, LINKS, labels, data.column("links", "max_new_mw"), links["lifetime_yr"].to_numpy(float),
                     data.column("links", "capex_annual_krw_per_mw"), fom, owners, doc="new transfer capacity")
    expandable = new.assets
    ub = np.where(np.isin(np.arange(L), expandable)[:, None], np.inf, exist)
    fwd = ctx.lm.add_variables(Var.FLOW_FORWARD, ("link", "time"), (labels, times), ub=ub, unit="GW")
    bwd = ctx.lm.add_variables(Var.FLOW_BACKWARD, ("link", "time"), ([labels[i] for i in back], times), ub=ub[back], unit="GW")

    flow_limit_constraint(ctx, Row.FLOW_LIMIT_FORWARD, labels, expandable, np.arange(L), fwd, new, exist)
    flow_limit_constraint(ctx, Row.FLOW_LIMIT_BACKWARD, labels, expandable, back, bwd, new, exist)

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
        exports_delivered(ctx, labels, eff, export_kind, back, fwd, bwd)
        # what leaves Honam for an export region is not available to Honam's RE100 loads (re300.model.re100)
        from_honam = export_kind & np.array([data.region_kind[r] == "honam" for r in links["from_region"]])
        if from_honam.any():
            ctx.add_pool(src[from_honam], -np.ones((int(from_honam.sum()), T)), fwd[from_honam])

    imports_into_honam(ctx, links, eff, back, fwd, bwd, exist_p, new)
    existing_fom_constant(ctx, owners, exist_p, fom)
    ctx.meta["links"] = {"expandable": expandable, "backward": back, "labels": labels}


def imports_into_honam(ctx, links, eff, back, fwd, bwd, exist_p, new) -> None:
    """Flows from an export region (the national grid beyond Honam) into Honam are non-renewable energy entering
    Honam (re300.model.exports), and the import capacity counts towards firm capacity at the link's credit
    (re300.model.adequacy)."""
    kind = ctx.data.region_kind
    from_export = np.array([kind[a] == "export" and kind[b] == "honam" for a, b in zip(links["from_region"], links["to_region"])])
    to_export = np.array([kind[a] == "honam" and kind[b] == "export" for a, b in zip(links["from_region"], links["to_region"])])
    if from_export.any():
        ctx.add_nonrenewable_in(np.broadcast_to(eff[from_export, None], (int(from_export.sum()), ctx.T)), fwd[from_export])
    back_in = [k for k, i in enumerate(back) if to_export[i]]
    if back_in:
        rows = back[back_in]
        ctx.add_nonrenewable_in(np.broadcast_to(eff[rows, None], (len(rows), ctx.T)), bwd[back_in])
    importing = from_export | (to_export & links["bidirectional"].to_numpy(bool))
    register_firm(ctx, np.where(importing, links["capacity_credit"].to_numpy(float), 0.0), exist_p, new)


def flow_limit_constraint(ctx, name, labels, expandable, which, flow, new, exist) -> None:
    """Flow in each direction is bounded by the link's capacity in service, for links that may expand:

        flow[l,t] − Σ_{b alive in period(t)} link_new[l,b]  ≤  existing[l,period(t)]        [GW]

    (`which` lists the links that `flow` covers; links without expansion have the limit as a variable bound.)
    """
    T = ctx.T
    which = np.asarray(which, dtype=np.int64)
    rows_of = np.flatnonzero(np.isin(which, expandable))
    if not len(rows_of):
        return
    block = RowBlock(ctx.lm, name, ("link", "time"), ([labels[which[k]] for k in rows_of], list(range(T))), "<=", unit="GW")
    rows = block.row_index(np.arange(len(rows_of))[:, None], np.arange(T)[None, :])
    block.add(rows, 1.0, flow[rows_of])
    capacity_terms(ctx, block, rows, -1.0, new, which[rows_of])
    block.add_rhs(rows, exist[which[rows_of]])
    block.build()


def exports_delivered(ctx, labels, eff, export_kind, back, fwd, bwd) -> None:
    """Register what reaches export regions for the export commitment (re300.model.targets): the net delivery,

        Σ_t weight_h[t] · ( Σ_{l → export} η_l · flow[l,t]  −  Σ_{l two-way → export} flow_back[l,t] )          [GWh]

    energy delivered to export regions minus energy taken back from them over the two-way AC routes (imports from the
    national grid). Counting the net keeps a loop — sending and taking back in the same hour — from inflating the
    commitment, and nets imports at night against exports by day: Honam sends out 200 % of its consumption net."""
    w = ctx.weight[None, :]
    ctx.add_export((eff[:, None] * w)[export_kind], fwd[export_kind])
    two_way = [k for k, i in enumerate(back) if export_kind[i]]
    if two_way:
        ctx.add_export(-np.broadcast_to(w, (len(two_way), ctx.T)), bwd[two_way])
