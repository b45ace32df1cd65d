"""Storage: batteries (power and energy sized separately) and pumped hydro (energy tied to power by a
fixed duration), with charge/discharge efficiencies, standing losses and a cyclic state of charge.

Variables
    power_new[s]       new power capacity (storage that may expand)                    [GW]
    energy_new[s]      new energy capacity (freely sized storage that may expand)      [GWh]
    charge[s, t], discharge[s, t]                                                     [GW]
    soc[s, t]          energy stored at the end of snapshot t                          [GWh]
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .linear import RowBlock


def previous_snapshot(block: np.ndarray) -> np.ndarray:
    """Index of the snapshot before t within its block, wrapping to the block's last snapshot (cyclic)."""
    block = np.asarray(block)
    T = len(block)
    idx = np.arange(T)
    prev = idx - 1
    starts = np.r_[True, block[1:] != block[:-1]]
    ends = np.r_[block[1:] != block[:-1], True]
    start_pos, end_pos = np.flatnonzero(starts), np.flatnonzero(ends)
    prev[start_pos] = end_pos
    return prev


def add(ctx) -> None:
    data = ctx.data
    st = data.storage.reset_index(drop=True)
    S, T = len(st), ctx.T
    if S == 0:
        return
    labels = [f"{t}|{r}" for t, r in zip(st["technology"], st["region"])]
    p_exist = st["existing_mw"].to_numpy(float) * U.POWER
    e_exist = st["existing_mwh"].to_numpy(float) * U.ENERGY
    p_max_new = np.nan_to_num(st["max_new_mw"].to_numpy(float) * U.POWER, nan=0.0, posinf=np.inf)
    e_max_new = np.nan_to_num(st["max_new_mwh"].to_numpy(float) * U.ENERGY, nan=0.0, posinf=np.inf)
    duration = np.nan_to_num(st["fixed_duration_h"].to_numpy(float), nan=0.0)
    fixed = duration > 0
    e_exist = np.where(fixed, duration * p_exist, e_exist)
    p_exp = np.flatnonzero(p_max_new > 0)
    e_exp = np.flatnonzero((e_max_new > 0) & ~fixed)
    times = list(range(T))

    power_new = ctx.lm.add_variables("power_new", ("storage",), ([labels[i] for i in p_exp],), ub=p_max_new[p_exp], unit="GW")
    energy_new = ctx.lm.add_variables("energy_new", ("storage",), ([labels[i] for i in e_exp],), ub=e_max_new[e_exp], unit="GWh")
    # Simple limits become bounds where capacity cannot expand.
    p_ub = np.where(np.isin(np.arange(S), p_exp), np.inf, p_exist)[:, None] * np.ones((1, T))
    e_fixed_cap = ~np.isin(np.arange(S), e_exp) & ~(fixed & np.isin(np.arange(S), p_exp))
    e_ub = np.where(e_fixed_cap, e_exist, np.inf)[:, None] * np.ones((1, T))
    charge = ctx.lm.add_variables("charge", ("storage", "time"), (labels, times), ub=p_ub, unit="GW")
    discharge = ctx.lm.add_variables("discharge", ("storage", "time"), (labels, times), ub=p_ub, unit="GW")
    soc = ctx.lm.add_variables("soc", ("storage", "time"), (labels, times), ub=e_ub, unit="GWh")

    power_limit_constraints(ctx, labels, p_exp, power_new, charge, discharge, p_exist)
    energy_limit_constraint(ctx, labels, p_exp, e_exp, fixed, duration, power_new, energy_new, soc, p_exist, e_exist)
    soc_balance_constraint(ctx, st, labels, charge, discharge, soc)

    region_idx = ctx.region_index(st["region"])
    ctx.add_to_balance(region_idx, 1.0, discharge)
    ctx.add_to_balance(region_idx, -1.0, charge)
    w = np.broadcast_to(ctx.weight[None, :], (S, T))
    # Energy lost in storage over the year = sum_t w_t (charge - discharge) (cyclic state of charge).
    ctx.add_renewable_loss("storage", w, charge)
    ctx.add_renewable_loss("storage", -w, discharge)

    cost_p = st["capex_annual_krw_per_mw"].to_numpy(float) + st["fom_krw_per_mw"].to_numpy(float)
    cost_e = st["capex_annual_krw_per_mwh"].to_numpy(float) + st["fom_krw_per_mwh"].to_numpy(float)
    # Fixed-duration storage pays for its energy through its power variable.
    ctx.add_cost((cost_p[p_exp] + np.where(fixed[p_exp], duration[p_exp] * cost_e[p_exp], 0.0)) * U.COST_PER_POWER, power_new)
    ctx.add_cost(cost_e[e_exp] * U.COST_PER_ENERGY, energy_new)
    ctx.add_constant_cost(
        float(p_exist @ st["fom_krw_per_mw"].to_numpy(float)) * U.COST_PER_POWER
        + float(e_exist @ st["fom_krw_per_mwh"].to_numpy(float)) * U.COST_PER_ENERGY
    )
    ctx.add_cost(st["vom_krw_per_mwh"].to_numpy(float)[:, None] * w * U.COST_PER_ENERGY, discharge)
    ctx.meta["storage"] = {"power_expandable": p_exp, "energy_expandable": e_exp, "labels": labels}


def power_limit_constraints(ctx, labels, p_exp, power_new, charge, discharge, p_exist) -> None:
    """Charge and discharge are bounded by the power capacity, for storage that may expand:

        charge[s,t]    − power_new[s]  ≤  existing_power[s]        [GW]
        discharge[s,t] − power_new[s]  ≤  existing_power[s]        [GW]
    """
    if len(p_exp) == 0:
        return
    T = ctx.T
    for name, var in (("charge_limit", charge), ("discharge_limit", discharge)):
        block = RowBlock(ctx.lm, name, ("storage", "time"), ([labels[i] for i in p_exp], list(range(T))), "<=", unit="GW")
        rows = block.row_index(np.arange(len(p_exp))[:, None], np.arange(T)[None, :])
        block.add(rows, 1.0, var[p_exp])
        block.add(rows, -1.0, np.broadcast_to(power_new[:, None], (len(p_exp), T)))
        block.add_rhs(rows, np.broadcast_to(p_exist[p_exp, None], (len(p_exp), T)))
        block.build()


def energy_limit_constraint(ctx, labels, p_exp, e_exp, fixed, duration, power_new, energy_new, soc, p_exist, e_exist) -> None:
    """The state of charge is bounded by the energy capacity, where that capacity can grow:

        freely sized:     soc[s,t] − energy_new[s]               ≤  existing_energy[s]              [GWh]
        fixed duration:   soc[s,t] − duration[s] · power_new[s]  ≤  duration[s] · existing_power[s]  [GWh]
    """
    T = ctx.T
    S = len(labels)
    p_pos = {s: k for k, s in enumerate(p_exp)}
    e_pos = {s: k for k, s in enumerate(e_exp)}
    units = [s for s in range(S) if s in e_pos or (fixed[s] and s in p_pos)]
    if not units:
        return
    block = RowBlock(ctx.lm, "energy_limit", ("storage", "time"), ([labels[s] for s in units], list(range(T))), "<=", unit="GWh")
    t = np.arange(T)
    for k, s in enumerate(units):
        rows = block.row_index(k, t)
        block.add(rows, 1.0, soc[s])
        if s in e_pos:
            block.add(rows, -1.0, energy_new[e_pos[s]])
            block.add_rhs(rows, e_exist[s])
        else:
            block.add(rows, -duration[s], power_new[p_pos[s]])
            block.add_rhs(rows, duration[s] * p_exist[s])
    block.build()


def soc_balance_constraint(ctx, st, labels, charge, discharge, soc) -> None:
    """Energy stored evolves with charging, discharging and standing losses, cyclically within each block:

        soc[s,t] − (1 − loss[s])^Δt · soc[s,prev(t)] − η_ch[s]·Δt·charge[s,t] + Δt/η_dis[s] · discharge[s,t] = 0   [GWh]

    where prev(t) is the previous snapshot of t's block and the first snapshot's predecessor is the block's last.
    """
    T, S = ctx.T, len(labels)
    prev = previous_snapshot(ctx.data.block)
    dt = ctx.duration[None, :]
    keep = (1.0 - st["standing_loss_per_h"].to_numpy(float))[:, None] ** dt
    eta_c = st["efficiency_charge"].to_numpy(float)[:, None]
    eta_d = st["efficiency_discharge"].to_numpy(float)[:, None]
    block = RowBlock(ctx.lm, "soc_balance", ("storage", "time"), (labels, list(range(T))), "==", unit="GWh")
    s_idx = np.arange(S)[:, None]
    rows = block.row_index(s_idx, np.arange(T)[None, :])
    block.add(rows, 1.0, soc)
    block.add(rows, -np.broadcast_to(keep, (S, T)), soc[:, prev])
    block.add(rows, -eta_c * dt, charge)
    block.add(rows, dt / eta_d, discharge)
    block.build()
