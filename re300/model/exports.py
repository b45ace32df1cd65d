"""Export regions: what they can take, what it is worth, and which exported MWh count.

An export region (the Capital region) is not balanced by the LP — its own supply is outside the model — but it can
only take from Honam what it can use: in each snapshot its demand minus the output it cannot turn down (nuclear and
other must-run plants serving it, its own solar), the *headroom*. What it takes displaces generation there, valued
at that generation's fuel and carbon cost.

Variables
    absorbed[e, t]   energy taken by export region e, at most its headroom   [GW]

Rows (one family per rule, each with its equation below)
    absorbed_from_honam[e, t]   what an export region takes arrives from Honam (not its own grid supply)
    renewable_only_exports[t]   non-renewable energy entering Honam serves only Honam's own load
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .costs import CostOwners
from .linear import RowBlock
from .names import Row, Var

COST_COMPONENT = "displaced_generation"


def add(ctx) -> None:
    """Create `absorbed` for every export region, bounded by its headroom, and credit what it displaces."""
    data = ctx.data
    export = [r for r in data.regions if data.region_kind[r] == "export"]
    if not export:
        return
    e_idx = ctx.region_index(export)
    ub = absorption_limit_gw(data, export, ctx.T)
    absorbed = ctx.lm.add_variables(Var.ABSORBED, ("region", "time"), (export, list(range(ctx.T))), ub=ub, unit="GW",
                                    doc="energy taken by export regions (at most their headroom)")
    ctx.add_to_balance(e_idx, -1.0, absorbed)
    absorbed_from_honam_constraint(ctx, export, absorbed)
    value = np.array([float((data.export_value_krw_per_mwh or {}).get(r, 0.0)) for r in export])
    if not np.any(value != 0):
        return
    owners = CostOwners("node", ["export_absorption"] * len(export), export)
    ctx.costs.declare(owners.kind, owners.assets, owners.regions, (COST_COMPONENT,))
    ctx.add_energy_cost(owners, absorbed, {COST_COMPONENT: -value})


def absorbed_from_honam_constraint(ctx, export: list[str], absorbed) -> None:
    """What an export region takes is energy that arrives from Honam in that snapshot, never the region's own grid
    supply (the national grid at the capital node serves only imports into Honam):

        absorbed[e,t]  −  Σ_{l Honam→e} η_l · flow[l,t]  −  Σ_{l e→Honam, two-way} η_l · flow_back[l,t]  ≤  0   [GW]

    Without it the LP could buy grid power at the export node and book it as displaced generation there (a loop that
    pays whenever the displaced value exceeds the grid price)."""
    data = ctx.data
    links = data.links.reset_index(drop=True)
    kind = data.region_kind
    fwd, bwd = ctx.lm.variables.get(Var.FLOW_FORWARD), ctx.lm.variables.get(Var.FLOW_BACKWARD)
    T = ctx.T
    block = RowBlock(ctx.lm, Row.ABSORBED_FROM_HONAM, ("region", "time"), (export, list(range(T))), "<=", unit="GW",
                     doc="what an export region takes arrives from Honam")
    t = np.arange(T)
    block.add(block.row_index(np.arange(len(export))[:, None], t[None, :]), 1.0, absorbed)
    eff = links["efficiency"].to_numpy(float)
    back_rows = list(np.flatnonzero(links["bidirectional"].to_numpy(bool)))
    for l, (a, b) in enumerate(zip(links["from_region"], links["to_region"])):
        if kind[a] == "honam" and b in export and fwd is not None:
            block.add(block.row_index(np.full(T, export.index(b)), t), -eff[l], fwd.items[l])
        elif kind[b] == "honam" and a in export and l in back_rows and bwd is not None:
            block.add(block.row_index(np.full(T, export.index(a)), t), -eff[l], bwd.items[back_rows.index(l)])
    block.build()


def absorption_limit_gw(data, export: list[str], T: int) -> np.ndarray:
    """Upper bound of `absorbed` (export regions x time) [GW]:

        absorbed[e,t]  ≤  headroom[e,t] = max(0, demand[e,t] − must_run[e,t] − own_renewables[e,t])      [GW]

    as given in `ModelData.export_headroom_mw` (a missing column or NaN = no limit: `absorption: unlimited`)."""
    ub = np.full((len(export), T), np.inf)
    h = data.export_headroom_mw
    if h is not None:
        for k, r in enumerate(export):
            if r in h.columns:
                col = h[r].to_numpy(float)
                ub[k] = np.where(np.isfinite(col), np.maximum(col, 0.0) * U.POWER, np.inf)
    return ub


def renewable_only_exports_constraint(ctx) -> None:
    """Non-renewable energy entering Honam in a snapshot — its own non-renewable output plus what arrives from the
    national grid — serves only Honam's load in that snapshot, so every MWh exported or stored is renewable:

        Σ_{g non-renewable in Honam} dispatch[g,t] + Σ_{l export→Honam} η_l · flow[l,t]
          + Σ_{r in Honam} unserved[r,t]  ≤  Σ_{r in Honam} demand[r,t]                                   [GW]

    (Honam as one pool: the rule is about what leaves Honam, not about flows between its provinces.) Without the rule
    grid power could be "exported" or stored and count towards the export commitment. Its dual, divided by the
    snapshot's weight, is what one more MWh of non-renewable supply in Honam would be worth in that hour.
    """
    if not ctx.data.targets.renewable_only_exports or not ctx.nonrenewable_in_terms:
        return
    data = ctx.data
    honam = data.honam_regions
    demand = data.demand_mw[honam].to_numpy(float).sum(axis=1) * U.POWER  # GW per snapshot
    block = RowBlock(ctx.lm, Row.RENEWABLE_ONLY_EXPORTS, ("time",), (list(range(ctx.T)),), "<=", unit="GW",
                     doc="non-renewable energy entering Honam <= Honam's served load, every snapshot")
    t = np.arange(ctx.T)
    for coefs, var in ctx.nonrenewable_in_terms:
        var = np.asarray(var, dtype=object)
        block.add(np.broadcast_to(t, var.shape), np.broadcast_to(np.asarray(coefs, float), var.shape), var)
    unserved = ctx.lm.variables.get(Var.UNSERVED)
    if unserved is not None:
        rows = [i for i, r in enumerate(unserved.coords[0]) if r in honam]
        block.add(np.broadcast_to(t, (len(rows), ctx.T)), 1.0, unserved.items[rows])
    block.add_rhs(t, demand)
    block.build()
