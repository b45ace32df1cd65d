"""Generators: variable renewables (PV, wind; output bounded by the hourly capacity factor) and dispatchable
supply (non-renewable electricity from the national grid / existing thermal and nuclear; availability 1).

Variables
    capacity_new[g]   new capacity of generator g (only for generators that may expand)   [GW]
    dispatch[g, t]    output delivered to the regional balance                            [GW]
Curtailment is what was available but not dispatched: cf[g,t]·K[g] − dispatch[g,t] (reported, not a variable).
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .linear import RowBlock


def add(ctx) -> None:
    data = ctx.data
    gens = data.generators.reset_index(drop=True)
    G, T = len(gens), ctx.T
    if G == 0:
        return
    existing = gens["existing_mw"].to_numpy(float) * U.POWER
    max_new = np.nan_to_num(gens["max_new_mw"].to_numpy(float) * U.POWER, nan=0.0, posinf=np.inf)
    cf = np.asarray(data.availability, float)
    expandable = np.flatnonzero(max_new > 0)
    labels = [f"{t}|{r}" for t, r in zip(gens["technology"], gens["region"])]

    new = ctx.lm.add_variables(
        "capacity_new", ("generator",), ([labels[i] for i in expandable],), lb=0.0, ub=max_new[expandable],
        unit="GW", doc="new generating capacity",
    )
    # Generators that cannot expand have dispatch <= cf * existing as a simple variable bound.
    ub = cf * existing[:, None]
    ub[expandable, :] = np.inf
    dispatch = ctx.lm.add_variables(
        "dispatch", ("generator", "time"), (labels, list(range(T))), lb=0.0, ub=ub, unit="GW",
        doc="generator output",
    )
    availability_constraint(ctx, expandable, new, dispatch, cf, existing, labels)

    region_idx = ctx.region_index(gens["region"])
    ctx.add_to_balance(region_idx, 1.0, dispatch)

    renewable = gens["renewable"].to_numpy(bool)
    w = ctx.weight[None, :]
    if renewable.any():
        ctx.add_renewable(np.broadcast_to(w, (int(renewable.sum()), T)), dispatch[renewable])

    # Costs [bn KRW/yr]: annualised capex + fixed O&M on new capacity; variable cost and carbon on energy.
    capex = gens["capex_annual_krw_per_mw"].to_numpy(float) + gens["fom_krw_per_mw"].to_numpy(float)
    ctx.add_cost(capex[expandable] * U.COST_PER_POWER, new)
    ctx.add_constant_cost(float(existing @ gens["fom_krw_per_mw"].to_numpy(float)) * U.COST_PER_POWER)
    marginal = gens["vom_krw_per_mwh"].to_numpy(float) + data.carbon_price_krw_per_t * gens["emission_t_per_mwh"].to_numpy(float)
    ctx.add_cost(marginal[:, None] * w * U.COST_PER_ENERGY, dispatch)  # GW x h = GWh
    ctx.meta["generators"] = {"expandable": expandable, "labels": labels}


def availability_constraint(ctx, expandable, new, dispatch, cf, existing, labels) -> None:
    """Output is bounded by the available resource, for generators that may expand:

        dispatch[g,t] − cf[g,t] · capacity_new[g]  ≤  cf[g,t] · existing[g]        [GW]

    (For generators without expansion the same limit is a variable bound on dispatch.)
    """
    T = ctx.T
    if len(expandable) == 0:
        return
    block = RowBlock(
        ctx.lm, "availability", ("generator", "time"), ([labels[i] for i in expandable], list(range(T))), "<=",
        unit="GW", doc="dispatch <= capacity factor x total capacity",
    )
    k = np.arange(len(expandable))[:, None]
    t = np.arange(T)[None, :]
    rows = block.row_index(k, t)
    block.add(rows, 1.0, dispatch[expandable])
    block.add(rows, -cf[expandable], ctx.over_time(new, "capacity_new"))
    block.add_rhs(rows, cf[expandable] * existing[expandable, None])
    block.build()
