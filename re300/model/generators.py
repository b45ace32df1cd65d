"""Generators: variable renewables (PV, wind; output bounded by the hourly capacity factor) and dispatchable
supply (non-renewable electricity from the national grid / existing thermal and nuclear; availability 1).

Variables
    capacity_new[k]   new capacity of a generator that may expand, by build period (see re300.model.investment) [GW]
    dispatch[g, t]    output delivered to the regional balance                                                  [GW]
Curtailment is what was available but not dispatched: cf[g,t]·K[g,t] − dispatch[g,t] (reported, not a variable).
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .adequacy import register_firm
from .costs import CostOwners
from .investment import add_builds, capacity_terms, existing_fom_constant
from .linear import RowBlock
from .names import GENERATORS, Row, Var

# cost items of each generator (costs.csv rows, in this order)
COST_COMPONENTS = ("investment", "fixed_om", "variable_and_purchase", "carbon")


def add(ctx) -> None:
    data = ctx.data
    gens = data.generators.reset_index(drop=True)
    G, T = len(gens), ctx.T
    if G == 0:
        return
    existing_p = data.column("generators", "existing_mw")  # G x P [MW]
    existing = ctx.by_snapshot(existing_p) * U.POWER  # G x T [GW]
    cf = np.asarray(data.availability, float)
    labels = [f"{t}|{r}" for t, r in zip(gens["technology"], gens["region"])]
    fom = data.column("generators", "fom_krw_per_mw")
    owners = CostOwners("generator", list(gens["technology"]), list(gens["region"]))
    ctx.costs.declare(owners.kind, owners.assets, owners.regions, COST_COMPONENTS)

    new = add_builds(ctx, GENERATORS, labels, data.column("generators", "max_new_mw"), gens["lifetime_yr"].to_numpy(float),
                     data.column("generators", "capex_annual_krw_per_mw"), fom, owners, doc="new generating capacity")
    expandable = new.assets
    # Generators that cannot expand have dispatch <= cf * existing as a simple variable bound.
    ub = cf * existing
    ub[expandable, :] = np.inf
    dispatch = ctx.lm.add_variables(
        Var.DISPATCH, ("generator", "time"), (labels, list(range(T))), lb=0.0, ub=ub, unit="GW",
        doc="generator output",
    )
    availability_constraint(ctx, expandable, new, dispatch, cf, existing, labels)

    region_idx = ctx.region_index(gens["region"])
    ctx.add_to_balance(region_idx, 1.0, dispatch)

    renewable = gens["renewable"].to_numpy(bool)
    w = ctx.weight[None, :]
    if renewable.any():
        ctx.add_renewable(np.broadcast_to(w, (int(renewable.sum()), T)), dispatch[renewable])
        honam = np.array([data.region_kind[r] == "honam" for r in gens["region"]])
        pool = renewable & honam
        if pool.any():
            ctx.add_pool(region_idx[pool], np.ones((int(pool.sum()), T)), dispatch[pool])
    honam = np.array([data.region_kind[r] == "honam" for r in gens["region"]])
    nonrenewable_in_honam = ~renewable & honam
    if nonrenewable_in_honam.any():
        ctx.add_nonrenewable_in(np.ones((int(nonrenewable_in_honam.sum()), T)), dispatch[nonrenewable_in_honam])
    register_firm(ctx, np.where(honam, gens["capacity_credit"].to_numpy(float), 0.0), existing_p, new)

    # Costs [bn KRW]: investment and fixed O&M of new capacity are registered by add_builds; fixed O&M of existing
    # capacity is a constant; variable cost and carbon on energy, each hour weighted by W_p.
    existing_fom_constant(ctx, owners, existing_p, fom)
    ctx.add_energy_cost(owners, dispatch, {
        "variable_and_purchase": gens["vom_krw_per_mwh"].to_numpy(float),
        "carbon": data.carbon_price_krw_per_t * gens["emission_t_per_mwh"].to_numpy(float),
    })
    ctx.meta["generators"] = {"expandable": expandable, "labels": labels}


def availability_constraint(ctx, expandable, new, dispatch, cf, existing, labels) -> None:
    """Output is bounded by the available resource, for generators that may expand:

        dispatch[g,t] − cf[g,t] · Σ_{b alive in period(t)} capacity_new[g,b]  ≤  cf[g,t] · existing[g,period(t)]   [GW]

    (one build option per generator in a single-year run; for generators without expansion the same limit is a
    variable bound on dispatch.)
    """
    T = ctx.T
    if len(expandable) == 0:
        return
    block = RowBlock(
        ctx.lm, Row.AVAILABILITY, ("generator", "time"), ([labels[i] for i in expandable], list(range(T))), "<=",
        unit="GW", doc="dispatch <= capacity factor x total capacity",
    )
    k = np.arange(len(expandable))[:, None]
    t = np.arange(T)[None, :]
    rows = block.row_index(k, t)
    block.add(rows, 1.0, dispatch[expandable])
    capacity_terms(ctx, block, rows, -cf[expandable], new, expandable)
    block.add_rhs(rows, cf[expandable] * existing[expandable])
    block.build()
