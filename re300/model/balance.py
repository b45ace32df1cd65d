"""The regional power balance, with the slacks that make every run solvable and every gap visible.

Variables
    unserved[r, t]   demand not served in a Honam region, priced at the value of lost load   [GW]
(what export regions take, `absorbed`, is created by re300.model.exports)
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .costs import CostOwners
from .names import Var


def add_node_slacks(ctx) -> None:
    data = ctx.data
    T = ctx.T
    times = list(range(T))
    demand = data.demand_mw.to_numpy(float).T * U.POWER  # region x time [GW]
    honam = [r for r in data.regions if data.region_kind[r] != "export"]
    h_idx = ctx.region_index(honam)

    unserved = ctx.lm.add_variables(
        Var.UNSERVED, ("region", "time"), (honam, times), ub=demand[h_idx], unit="GW", doc="unserved demand",
    )
    ctx.add_to_balance(h_idx, 1.0, unserved)
    owners = CostOwners("node", ["unserved_energy"] * len(honam), honam)
    ctx.costs.declare(owners.kind, owners.assets, owners.regions, ("value_of_lost_load",))
    voll = np.full(len(honam), float(data.value_of_lost_load_krw_per_mwh))  # KRW/MWh
    ctx.add_energy_cost(owners, unserved, {"value_of_lost_load": voll})


def power_balance(ctx) -> None:
    """Supply meets demand in every region and snapshot (its dual is the marginal price):

        Σ_g dispatch[g,t] + Σ_s (discharge[s,t] − charge[s,t])
          + Σ_{l into r} η_l·flow[l,t] − Σ_{l out of r} flow[l,t]
          + unserved[r,t] − absorbed[r,t]  =  demand[r,t]                         [GW]

    Curtailment needs no term: it is available output left undispatched.
    """
    data = ctx.data
    demand = data.demand_mw.to_numpy(float).T * U.POWER
    R, T = demand.shape
    rows = ctx.balance.row_index(np.arange(R)[:, None], np.arange(T)[None, :])
    ctx.balance.add_rhs(rows, demand)
    ctx.balance.build()
