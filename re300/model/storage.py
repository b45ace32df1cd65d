"""Storage: batteries (power and energy sized separately) and pumped hydro (energy tied to power by a
fixed duration), with charge/discharge efficiencies, standing losses and a cyclic state of charge.

Variables
    power_new[s]       new power capacity (storage that may expand)                    [GW]
    energy_new[s]      new energy capacity (freely sized storage that may expand)      [GWh]
    charge[s, t], discharge[s, t]                                                     [GW]
    soc[s, t]          energy stored at the end of snapshot t                          [GWh]
                       (for storage linked across typical periods: relative to the period's start, may be < 0)
    soc_inter[s, d]    energy stored at the start of original period d (linked storage only)    [GWh]
    soc_max[s, c], soc_min[s, c]   highest / lowest relative state of charge within typical period c [GWh]

Linking across typical periods follows Kotzur et al. (2018, Applied Energy 213): the typical period's state of
charge is relative to its start; the calendar sequence of original periods carries the absolute level.
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
    if data.period_order is not None and "inter_period" in st:
        linked = st["inter_period"].to_numpy(bool)
    else:
        linked = np.zeros(S, dtype=bool)

    power_new = ctx.lm.add_variables("power_new", ("storage",), ([labels[i] for i in p_exp],), ub=p_max_new[p_exp], unit="GW")
    energy_new = ctx.lm.add_variables("energy_new", ("storage",), ([labels[i] for i in e_exp],), ub=e_max_new[e_exp], unit="GWh")
    # Simple limits become bounds where capacity cannot expand.
    p_ub = np.where(np.isin(np.arange(S), p_exp), np.inf, p_exist)[:, None] * np.ones((1, T))
    e_fixed_cap = ~np.isin(np.arange(S), e_exp) & ~(fixed & np.isin(np.arange(S), p_exp))
    e_ub = np.where(e_fixed_cap & ~linked, e_exist, np.inf)[:, None] * np.ones((1, T))
    e_lb = np.where(linked, -np.inf, 0.0)[:, None] * np.ones((1, T))
    charge = ctx.lm.add_variables("charge", ("storage", "time"), (labels, times), ub=p_ub, unit="GW")
    discharge = ctx.lm.add_variables("discharge", ("storage", "time"), (labels, times), ub=p_ub, unit="GW")
    soc = ctx.lm.add_variables("soc", ("storage", "time"), (labels, times), lb=e_lb, ub=e_ub, unit="GWh")

    power_limit_constraints(ctx, labels, p_exp, power_new, charge, discharge, p_exist)
    energy_limit_constraint(ctx, labels, p_exp, e_exp, fixed & ~linked, duration, power_new, energy_new, soc, p_exist,
                            e_exist, skip=linked)
    soc_balance_constraint(ctx, st, labels, charge, discharge, soc, linked)
    if linked.any():
        inter_period_constraints(ctx, st, labels, linked, p_exp, e_exp, fixed, duration, power_new, energy_new, soc,
                                 p_exist, e_exist)

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
        block.add(rows, -1.0, ctx.over_time(power_new, "power_new"))
        block.add_rhs(rows, np.broadcast_to(p_exist[p_exp, None], (len(p_exp), T)))
        block.build()


def energy_limit_constraint(ctx, labels, p_exp, e_exp, fixed, duration, power_new, energy_new, soc, p_exist, e_exist,
                            skip=None) -> None:
    """The state of charge is bounded by the energy capacity, where that capacity can grow:

        freely sized:     soc[s,t] − energy_new[s]               ≤  existing_energy[s]              [GWh]
        fixed duration:   soc[s,t] − duration[s] · power_new[s]  ≤  duration[s] · existing_power[s]  [GWh]
    """
    T = ctx.T
    S = len(labels)
    p_pos = {s: k for k, s in enumerate(p_exp)}
    e_pos = {s: k for k, s in enumerate(e_exp)}
    skip = np.zeros(S, dtype=bool) if skip is None else skip
    units = [s for s in range(S) if not skip[s] and (s in e_pos or (fixed[s] and s in p_pos))]
    if not units:
        return
    block = RowBlock(ctx.lm, "energy_limit", ("storage", "time"), ([labels[s] for s in units], list(range(T))), "<=", unit="GWh")
    t = np.arange(T)
    e_time = ctx.over_time(energy_new, "energy_new")
    p_time = ctx.over_time(power_new, "power_new")
    for k, s in enumerate(units):
        rows = block.row_index(k, t)
        block.add(rows, 1.0, soc[s])
        if s in e_pos:
            block.add(rows, -1.0, e_time[e_pos[s]])
            block.add_rhs(rows, e_exist[s])
        else:
            block.add(rows, -duration[s], p_time[p_pos[s]])
            block.add_rhs(rows, duration[s] * p_exist[s])
    block.build()


def soc_balance_constraint(ctx, st, labels, charge, discharge, soc, linked=None) -> None:
    """Energy stored evolves with charging, discharging and standing losses, cyclically within each block:

        soc[s,t] − (1 − loss[s])^Δt · soc[s,prev(t)] − η_ch[s]·Δt·charge[s,t] + Δt/η_dis[s] · discharge[s,t] = 0   [GWh]

    where prev(t) is the previous snapshot of t's block and the first snapshot's predecessor is the block's last.
    For storage linked across typical periods the first snapshot of a block has no predecessor term (its state
    of charge is relative to the period's start, which `soc_inter` carries).
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
    prev_coef = np.broadcast_to(keep, (S, T)).copy()
    if linked is not None and linked.any():
        starts = np.r_[True, ctx.data.block[1:] != ctx.data.block[:-1]]
        prev_coef[np.ix_(linked, starts)] = 0.0
    block.add(rows, -prev_coef, soc[:, prev])
    block.add(rows, -eta_c * dt, charge)
    block.add(rows, dt / eta_d, discharge)
    block.build()


def inter_period_constraints(ctx, st, labels, linked, p_exp, e_exp, fixed, duration, power_new, energy_new, soc,
                             p_exist, e_exist) -> None:
    """Link the state of charge across the calendar sequence of typical periods (Kotzur et al. 2018):

        soc[s,t] ≤ soc_max[s,c(t)],   soc[s,t] ≥ soc_min[s,c(t)],   soc_max ≥ 0 ≥ soc_min             [GWh]
        soc_inter[s,d+1] = (1−loss)^{L_c} · soc_inter[s,d] + soc[s, last(c(d))]   (cyclic over the year)  [GWh]
        soc_inter[s,d] + soc_max[s,c(d)] ≤ energy capacity[s]                                             [GWh]
        (1−loss)^{L_c} · soc_inter[s,d] + soc_min[s,c(d)] ≥ 0                                             [GWh]

    where c(d) is the typical period standing for original period d and L_c its length in hours. The bounds
    use the period's extreme relative levels, so the absolute level stays within [0, capacity] in every hour.
    """
    data = ctx.data
    blocks, block = np.unique(np.asarray(data.block), return_inverse=True)  # block -> position 0..C-1
    order = np.searchsorted(blocks, np.asarray(data.period_order))
    D = len(order)
    last = np.array([np.flatnonzero(block == c)[-1] for c in range(len(blocks))])
    length = np.array([ctx.duration[block == c].sum() for c in range(len(blocks))])
    idx = np.flatnonzero(linked)
    K = len(idx)
    lab = [labels[s] for s in idx]
    keep = (1.0 - st["standing_loss_per_h"].to_numpy(float)[idx])[:, None] ** length[None, :]  # K x C
    soc_inter = ctx.lm.add_variables("soc_inter", ("storage", "period"), (lab, list(range(D))), unit="GWh")
    soc_max = ctx.lm.add_variables("soc_max", ("storage", "block"), (lab, list(blocks)), unit="GWh")
    soc_min = ctx.lm.add_variables("soc_min", ("storage", "block"), (lab, list(blocks)), lb=-np.inf, ub=0.0, unit="GWh")
    T = ctx.T
    t = np.arange(T)
    k = np.arange(K)[:, None]
    for name, bound, sense in (("soc_intra_max", soc_max, "<="), ("soc_intra_min", soc_min, ">=")):
        rb = RowBlock(ctx.lm, name, ("storage", "time"), (lab, list(range(T))), sense, unit="GWh")
        rows = rb.row_index(k, t[None, :])
        rb.add(rows, 1.0, soc[idx])
        rb.add(rows, -1.0, bound[:, block])
        rb.build()
    d = np.arange(D)[None, :]
    c_of_d = order[None, :]
    rb = RowBlock(ctx.lm, "soc_inter_balance", ("storage", "period"), (lab, list(range(D))), "==", unit="GWh")
    rows = rb.row_index(k, d)
    rb.add(rows, 1.0, soc_inter[:, (np.arange(D) + 1) % D])
    rb.add(rows, -keep[:, order], soc_inter)
    rb.add(rows, -1.0, soc[idx][:, last[order]])
    rb.build()

    p_pos = {s: j for j, s in enumerate(p_exp)}
    e_pos = {s: j for j, s in enumerate(e_exp)}
    rb = RowBlock(ctx.lm, "soc_inter_upper", ("storage", "period"), (lab, list(range(D))), "<=", unit="GWh")
    rows = rb.row_index(k, d)
    rb.add(rows, 1.0, soc_inter)
    rb.add(rows, 1.0, soc_max[:, order])
    for j, s in enumerate(idx):
        r = rows[j]
        if fixed[s]:
            if s in p_pos:
                rb.add(r, -duration[s], power_new[p_pos[s]])
            rb.add_rhs(r, duration[s] * p_exist[s])
        else:
            if s in e_pos:
                rb.add(r, -1.0, energy_new[e_pos[s]])
            rb.add_rhs(r, e_exist[s])
    rb.build()
    rb = RowBlock(ctx.lm, "soc_inter_lower", ("storage", "period"), (lab, list(range(D))), ">=", unit="GWh")
    rows = rb.row_index(k, d)
    rb.add(rows, keep[:, order], soc_inter)
    rb.add(rows, 1.0, soc_min[:, order])
    rb.build()
