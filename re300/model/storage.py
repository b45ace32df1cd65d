"""Storage: batteries (power and energy sized separately), pumped hydro (energy tied to power by a fixed
duration) and chains whose charging power is a capacity of its own (a hydrogen chain: electrolysers → tank →
fuel cells, each sized separately: MW electric in, MWh of hydrogen stored, MW electric out), with charge and
discharge efficiencies, standing losses and a cyclic state of charge.

Variables
    power_new[k]        new (discharge) power capacity, by build period (see re300.model.investment)   [GW]
    energy_new[k]       new energy capacity of freely sized storage, by build period                   [GWh]
    charge_power_new[k] new charging power capacity of storage with `separate_charge_power`           [GW]
    charge[s, t], discharge[s, t]                                                                      [GW]
    soc[s, t]          energy stored at the end of snapshot t                          [GWh]
                       (for storage linked across typical days: relative to the typical day's start, may be < 0)
    soc_inter[s, d]    energy stored at the start of calendar day d (linked storage only)    [GWh]
    soc_max[s, c], soc_min[s, c]   highest / lowest relative state of charge within typical day c [GWh]
    sold[s, t]         stored medium sold out of storage with a sale price (hydrogen to industry)  [GW of the medium]
    firm_storage[s, p] power credited as firm capacity in the adequacy rule (re300.model.adequacy) [GW]

Energy is counted in the stored medium: MWh of electricity for batteries and pumped hydro, MWh of hydrogen
(lower heating value) for a hydrogen chain, whose efficiency_charge is the electrolyser's (MWh_H2 per MWh
electric) and efficiency_discharge the fuel cell's (MWh electric per MWh_H2).

Linking across typical days follows Kotzur et al. (2018, Applied Energy 213): the typical day's state of
charge is relative to its start; the sequence of calendar days carries the absolute level.
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .costs import CostOwners
from .investment import add_builds, capacity_terms, existing_fom_constant
from .linear import RowBlock
from .names import STORAGE_CHARGE, STORAGE_ENERGY, STORAGE_POWER, Row, Var

# cost items of each storage unit (costs.csv rows, in this order); power, energy and charging power add up in each
COST_COMPONENTS = ("investment", "fixed_om", "variable_and_purchase")
SALES_COMPONENT = "product_sales"


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
    col = lambda c: data.column("storage", c)  # noqa: E731  (storage x periods)
    duration = np.nan_to_num(st["fixed_duration_h"].to_numpy(float), nan=0.0)
    fixed = duration > 0
    separate = st["separate_charge_power"].to_numpy(bool)
    p_exist_p = col("existing_mw")  # S x P [MW]
    e_exist_p = np.where(fixed[:, None], duration[:, None] * p_exist_p, col("existing_mwh"))  # [MWh]
    c_exist_p = np.where(separate[:, None], col("charge_existing_mw"), 0.0)
    times = list(range(T))
    if data.typical_day_order is not None and "linked_across_days" in st:
        linked = st["linked_across_days"].to_numpy(bool)
    else:
        linked = np.zeros(S, dtype=bool)

    owners = CostOwners("storage", list(st["technology"]), list(st["region"]))
    ctx.costs.declare(owners.kind, owners.assets, owners.regions, COST_COMPONENTS)
    cost_e, fom_e = col("capex_annual_krw_per_mwh"), col("fom_krw_per_mwh")
    # Fixed-duration storage pays for its energy through its power variable.
    cost_p = col("capex_annual_krw_per_mw") + np.where(fixed[:, None], duration[:, None] * cost_e, 0.0)
    fom_p = col("fom_krw_per_mw") + np.where(fixed[:, None], duration[:, None] * fom_e, 0.0)
    power = add_builds(ctx, STORAGE_POWER, labels, col("max_new_mw"), st["lifetime_yr"].to_numpy(float), cost_p, fom_p,
                       owners, doc="new (discharge) power capacity")
    energy = add_builds(ctx, STORAGE_ENERGY, labels, np.where(fixed[:, None], 0.0, col("max_new_mwh")),
                        st["energy_lifetime_yr"].to_numpy(float), cost_e, fom_e, owners, doc="new energy capacity")
    charge_builds = add_builds(ctx, STORAGE_CHARGE, labels, np.where(separate[:, None], col("charge_max_new_mw"), 0.0),
                               st["charge_lifetime_yr"].to_numpy(float), col("charge_capex_annual_krw_per_mw"),
                               col("charge_fom_krw_per_mw"), owners, doc="new charging power capacity")
    p_exp, e_exp, c_exp = power.assets, energy.assets, charge_builds.assets

    p_exist = ctx.by_snapshot(p_exist_p) * U.POWER  # S x T [GW]
    e_exist = ctx.by_snapshot(e_exist_p) * U.ENERGY  # [GWh]
    c_exist = ctx.by_snapshot(c_exist_p) * U.POWER
    # Simple limits become bounds where capacity cannot expand.
    d_ub = np.where(np.isin(np.arange(S), p_exp)[:, None], np.inf, p_exist)
    c_own = np.where(np.isin(np.arange(S), c_exp)[:, None], np.inf, c_exist)
    c_ub = np.where(separate[:, None], c_own, d_ub)
    e_fixed_cap = ~np.isin(np.arange(S), e_exp) & ~(fixed & np.isin(np.arange(S), p_exp))
    e_ub = np.where((e_fixed_cap & ~linked)[:, None], e_exist, np.inf)
    e_lb = np.where(linked, -np.inf, 0.0)[:, None] * np.ones((1, T))
    charge = ctx.lm.add_variables(Var.CHARGE, ("storage", "time"), (labels, times), ub=c_ub, unit="GW")
    discharge = ctx.lm.add_variables(Var.DISCHARGE, ("storage", "time"), (labels, times), ub=d_ub, unit="GW")
    soc = ctx.lm.add_variables(Var.SOC, ("storage", "time"), (labels, times), lb=e_lb, ub=e_ub, unit="GWh")

    sellers, sold = add_sales(ctx, st, labels)
    power_limit_constraints(ctx, labels, separate, power, charge_builds, charge, discharge, p_exist, c_exist)
    energy_limit_constraint(ctx, labels, fixed & ~linked, duration, power, energy, soc, p_exist, e_exist, skip=linked)
    soc_balance_constraint(ctx, st, labels, charge, discharge, soc, linked, sales=(sellers, sold))
    if linked.any():
        linked_days_constraints(ctx, st, labels, linked, fixed, duration, power, energy, soc, p_exist_p, e_exist_p)

    region_idx = ctx.region_index(st["region"])
    ctx.add_to_balance(region_idx, 1.0, discharge)
    ctx.add_to_balance(region_idx, -1.0, charge)
    honam = np.array([data.region_kind[r] == "honam" for r in st["region"]])
    if honam.any():
        ones = np.ones((int(honam.sum()), T))
        ctx.add_pool(region_idx[honam], ones, discharge[honam])
        ctx.add_pool(region_idx[honam], -ones, charge[honam])
    w = np.broadcast_to(ctx.weight[None, :], (S, T))
    # Energy lost in storage over the year = sum_t w_t (charge - discharge) (cyclic state of charge).
    ctx.add_renewable_loss("storage", w, charge)
    ctx.add_renewable_loss("storage", -w, discharge)

    if len(sellers):
        sales_accounting(ctx, st, sellers, sold)
    firm_storage_constraints(ctx, st, labels, fixed, duration, power, energy, p_exist_p, e_exist_p)
    existing_fom_constant(ctx, owners, p_exist_p, col("fom_krw_per_mw"))
    existing_fom_constant(ctx, owners, e_exist_p, fom_e)
    existing_fom_constant(ctx, owners, c_exist_p, col("charge_fom_krw_per_mw"))
    ctx.add_energy_cost(owners, discharge, {"variable_and_purchase": st["vom_krw_per_mwh"].to_numpy(float)})
    ctx.meta["storage"] = {"power_expandable": p_exp, "energy_expandable": e_exp, "charge_expandable": c_exp,
                           "labels": labels}


def power_limit_constraints(ctx, labels, separate, power, charge_builds, charge, discharge, p_exist, c_exist) -> None:
    """Charge and discharge are bounded by the power capacity in service, for storage that may expand:

        charge[s,t]    − Σ_{b alive} power_new[s,b]         ≤  existing_power[s,period(t)]     [GW]
        discharge[s,t] − Σ_{b alive} power_new[s,b]         ≤  existing_power[s,period(t)]     [GW]

    and, for storage whose charging power is sized on its own (`separate_charge_power`, e.g. electrolysers):

        charge[s,t]    − Σ_{b alive} charge_power_new[s,b]  ≤  existing_charge_power[s,period(t)]   [GW]
    """
    T = ctx.T
    t = np.arange(T)[None, :]
    p_exp, c_exp = power.assets, charge_builds.assets
    shared = np.array([s for s in p_exp if not separate[s]], dtype=np.int64)
    charge_rows = np.union1d(shared, c_exp).astype(np.int64)
    for name, var, units, own in ((Row.CHARGE_LIMIT, charge, charge_rows, c_exist), (Row.DISCHARGE_LIMIT, discharge, p_exp, p_exist)):
        if len(units) == 0:
            continue
        block = RowBlock(ctx.lm, name, ("storage", "time"), ([labels[i] for i in units], list(range(T))), "<=", unit="GW")
        rows = block.row_index(np.arange(len(units))[:, None], t)
        block.add(rows, 1.0, var[units])
        if name == Row.CHARGE_LIMIT:
            via_power = np.array([not separate[s] for s in units])
            capacity_terms(ctx, block, rows[via_power], -1.0, power, units[via_power])
            capacity_terms(ctx, block, rows[~via_power], -1.0, charge_builds, units[~via_power])
            block.add_rhs(rows, np.where(separate[units][:, None], own[units], p_exist[units]))
        else:
            capacity_terms(ctx, block, rows, -1.0, power, units)
            block.add_rhs(rows, p_exist[units])
        block.build()


def energy_limit_constraint(ctx, labels, fixed, duration, power, energy, soc, p_exist, e_exist, skip=None) -> None:
    """The state of charge is bounded by the energy capacity in service, where that capacity can grow:

        freely sized:     soc[s,t] − Σ_{b alive} energy_new[s,b]              ≤  existing_energy[s,period(t)]   [GWh]
        fixed duration:   soc[s,t] − duration[s] · Σ_{b alive} power_new[s,b]  ≤  duration[s] · existing_power  [GWh]
    """
    T = ctx.T
    S = len(labels)
    e_set, p_set = set(energy.assets.tolist()), set(power.assets.tolist())
    skip = np.zeros(S, dtype=bool) if skip is None else skip
    units = np.array([s for s in range(S) if not skip[s] and (s in e_set or (fixed[s] and s in p_set))], dtype=np.int64)
    if len(units) == 0:
        return
    block = RowBlock(ctx.lm, Row.ENERGY_LIMIT, ("storage", "time"), ([labels[s] for s in units], list(range(T))), "<=", unit="GWh")
    rows = block.row_index(np.arange(len(units))[:, None], np.arange(T)[None, :])
    block.add(rows, 1.0, soc[units])
    free = np.array([s in e_set for s in units])
    capacity_terms(ctx, block, rows[free], -1.0, energy, units[free])
    capacity_terms(ctx, block, rows[~free], -duration[units[~free]][:, None], power, units[~free])
    block.add_rhs(rows, np.where(free[:, None], e_exist[units], duration[units][:, None] * p_exist[units]))
    block.build()


def soc_balance_constraint(ctx, st, labels, charge, discharge, soc, linked=None, sales=None) -> None:
    """Energy stored evolves with charging, discharging, sales and standing losses, cyclically within each block:

        soc[s,t] − (1 − loss[s])^Δt · soc[s,prev(t)] − η_ch[s]·Δt·charge[s,t] + Δt/η_dis[s] · discharge[s,t]
          + Δt · sold[s,t] = 0                                                                          [GWh]

    where prev(t) is the previous snapshot of t's block and the first snapshot's predecessor is the block's last.
    For storage linked across typical days the first snapshot of a block has no predecessor term (its state
    of charge is relative to the typical day's start, which `soc_inter` carries).
    """
    T, S = ctx.T, len(labels)
    prev = previous_snapshot(ctx.data.block)
    dt = ctx.duration[None, :]
    keep = (1.0 - st["standing_loss_per_h"].to_numpy(float))[:, None] ** dt
    eta_c = st["efficiency_charge"].to_numpy(float)[:, None]
    eta_d = st["efficiency_discharge"].to_numpy(float)[:, None]
    block = RowBlock(ctx.lm, Row.SOC_BALANCE, ("storage", "time"), (labels, list(range(T))), "==", unit="GWh")
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
    if sales is not None and len(sales[0]):
        sellers, sold = sales
        block.add(rows[sellers], np.broadcast_to(dt, (len(sellers), T)), sold)
    block.build()


def calendar_successor(ctx, order: np.ndarray, block_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the sequence of calendar days (typical day `order[d]` standing for calendar day d):
    the next calendar day, cyclic within each investment period, and the investment period of each d."""
    first_snapshot = np.array([np.flatnonzero(block_pos == c)[0] for c in range(block_pos.max() + 1)])
    group = ctx.period[first_snapshot[order]]
    D = len(order)
    nxt = np.arange(D) + 1
    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        nxt[members[-1]] = members[0]
    return nxt, group


def linked_days_constraints(ctx, st, labels, linked, fixed, duration, power, energy, soc, p_exist_p, e_exist_p) -> None:
    """Link the state of charge across the calendar sequence of typical days (Kotzur et al. 2018):

        soc[s,t] ≤ soc_max[s,c(t)],   soc[s,t] ≥ soc_min[s,c(t)],   soc_max ≥ 0 ≥ soc_min             [GWh]
        soc_inter[s,d+1] = (1−loss)^{L_c} · soc_inter[s,d] + soc[s, last(c(d))]   (cyclic over the year)  [GWh]
        soc_inter[s,d] + soc_max[s,c(d)] ≤ energy capacity in service[s]                                  [GWh]
        (1−loss)^{L_c} · soc_inter[s,d] + soc_min[s,c(d)] ≥ 0                                             [GWh]

    where c(d) is the typical day standing for calendar day d and L_c its length in hours. The bounds
    use the typical day's extreme relative levels, so the absolute level stays within [0, capacity] in every hour.
    In a pathway the sequence holds one year per investment period and is cyclic within each of them.
    """
    data = ctx.data
    blocks, block = np.unique(np.asarray(data.block), return_inverse=True)  # block -> position 0..C-1
    order = np.searchsorted(blocks, np.asarray(data.typical_day_order))
    D = len(order)
    nxt, group = calendar_successor(ctx, order, block)
    last = np.array([np.flatnonzero(block == c)[-1] for c in range(len(blocks))])
    length = np.array([ctx.duration[block == c].sum() for c in range(len(blocks))])
    idx = np.flatnonzero(linked)
    K = len(idx)
    lab = [labels[s] for s in idx]
    keep = (1.0 - st["standing_loss_per_h"].to_numpy(float)[idx])[:, None] ** length[None, :]  # K x C
    soc_inter = ctx.lm.add_variables(Var.SOC_INTER, ("storage", "calendar_day"), (lab, list(range(D))), unit="GWh")
    soc_max = ctx.lm.add_variables(Var.SOC_MAX, ("storage", "block"), (lab, list(blocks)), unit="GWh")
    soc_min = ctx.lm.add_variables(Var.SOC_MIN, ("storage", "block"), (lab, list(blocks)), lb=-np.inf, ub=0.0, unit="GWh")
    T = ctx.T
    t = np.arange(T)
    k = np.arange(K)[:, None]
    for name, bound, sense in ((Row.SOC_INTRA_MAX, soc_max, "<="), (Row.SOC_INTRA_MIN, soc_min, ">=")):
        rb = RowBlock(ctx.lm, name, ("storage", "time"), (lab, list(range(T))), sense, unit="GWh")
        rows = rb.row_index(k, t[None, :])
        rb.add(rows, 1.0, soc[idx])
        rb.add(rows, -1.0, bound[:, block])
        rb.build()
    d = np.arange(D)[None, :]
    rb = RowBlock(ctx.lm, Row.SOC_INTER_BALANCE, ("storage", "calendar_day"), (lab, list(range(D))), "==", unit="GWh")
    rows = rb.row_index(k, d)
    rb.add(rows, 1.0, soc_inter[:, nxt])
    rb.add(rows, -keep[:, order], soc_inter)
    rb.add(rows, -1.0, soc[idx][:, last[order]])
    rb.build()

    rb = RowBlock(ctx.lm, Row.SOC_INTER_UPPER, ("storage", "calendar_day"), (lab, list(range(D))), "<=", unit="GWh")
    rows = rb.row_index(k, d)
    rb.add(rows, 1.0, soc_inter)
    rb.add(rows, 1.0, soc_max[:, order])
    fx = fixed[idx]
    capacity_terms(ctx, rb, rows[fx], -duration[idx][fx][:, None], power, idx[fx], period=group)
    capacity_terms(ctx, rb, rows[~fx], -1.0, energy, idx[~fx], period=group)
    cap = np.where(fx[:, None], duration[idx][:, None] * p_exist_p[idx], e_exist_p[idx]) * U.ENERGY  # K x P [GWh]
    rb.add_rhs(rows, cap[:, group])
    rb.build()
    rb = RowBlock(ctx.lm, Row.SOC_INTER_LOWER, ("storage", "calendar_day"), (lab, list(range(D))), ">=", unit="GWh")
    rows = rb.row_index(k, d)
    rb.add(rows, keep[:, order], soc_inter)
    rb.add(rows, 1.0, soc_min[:, order])
    rb.build()


def add_sales(ctx, st, labels) -> tuple[np.ndarray, np.ndarray]:
    """Sales of the stored medium out of storage (Power-to-X: hydrogen from electrolysers sold to industry), for storage
    with a sale price. Variables sold[s,t] [GW of the medium]; the revenue price × weight_h × sold is credited in the
    objective (cost item `product_sales`), and the quantity is capped per year (`sales_limit_constraint`)."""
    price = np.nan_to_num(st["sale_price_krw_per_mwh"].to_numpy(float), nan=0.0)
    sellers = np.flatnonzero(price > 0)
    if not len(sellers):
        return sellers, np.zeros((0, ctx.T), dtype=object)
    sold = ctx.lm.add_variables(Var.SOLD, ("storage", "time"), ([labels[i] for i in sellers], list(range(ctx.T))), unit="GW",
                                doc="stored medium sold out of storage (e.g. hydrogen to industry)")
    owners = CostOwners("storage", [st["technology"].iat[i] for i in sellers], [st["region"].iat[i] for i in sellers])
    ctx.costs.declare(owners.kind, owners.assets, owners.regions, (SALES_COMPONENT,))
    ctx.add_energy_cost(owners, sold, {SALES_COMPONENT: -price[sellers]})
    sales_limit_constraint(ctx, st, labels, sellers, sold)
    return sellers, sold


def sales_limit_constraint(ctx, st, labels, sellers, sold) -> None:
    """What is sold in a year stays within the buyers' demand (per storage and investment period):

        Σ_{t in p} weight_h[t] · sold[s,t]  ≤  sale_max[s]                                [TWh of the medium/yr]

    written in TWh like the annual target rows (coefficients: the hours a snapshot stands for x 1e-3)."""
    cap = np.asarray(st["sale_max_mwh_per_yr"].to_numpy(float)[sellers], float) * U.ENERGY * U.TARGET_ROW
    finite = np.isfinite(cap)
    if not finite.any():
        return
    rows_of = np.flatnonzero(finite)
    P = ctx.P
    block = RowBlock(ctx.lm, Row.SALES_LIMIT, ("storage", "period"), ([labels[sellers[k]] for k in rows_of], list(range(P))),
                     "<=", unit=U.TARGET_ROW_UNIT)
    rows = block.row_index(np.arange(len(rows_of))[:, None], ctx.period[None, :])
    block.add(rows, np.broadcast_to(ctx.weight[None, :] * U.TARGET_ROW, rows.shape), sold[rows_of])
    block.add_rhs(block.row_index(np.arange(len(rows_of))[:, None], np.arange(P)[None, :]),
                  np.broadcast_to(cap[rows_of][:, None], (len(rows_of), P)))
    block.build()


def sales_accounting(ctx, st, sellers, sold) -> None:
    """What sales mean for the targets: the electricity that made the sold medium, Σ weight_h · sold / η_ch, is not a
    storage loss (it left as a product), and — when `TargetSettings.sales_count_as_export` (the 2021 study's surplus
    "to other regions or abroad") — it counts towards the export commitment."""
    w = ctx.weight[None, :] / st["efficiency_charge"].to_numpy(float)[sellers][:, None]
    ctx.add_renewable_loss("storage", -np.broadcast_to(w, sold.shape), sold)
    if ctx.data.targets.sales_count_as_export:
        ctx.add_export(np.broadcast_to(w, sold.shape), sold)


def firm_storage_constraints(ctx, st, labels, fixed, duration, power, energy, p_exist_p, e_exist_p) -> None:
    """Storage in Honam counts towards firm capacity (re300.model.adequacy) at its credit, as far as its energy lasts:

        firm_storage[s,p] − credit_s · Σ_{b alive in p} power_new[s,b]  ≤  credit_s · existing_power[s,p]          [GW]
        firm_storage[s,p] − credit_s / H · Σ_{b alive in p} energy_new[s,b]  ≤  credit_s / H · existing_energy[s,p] [GW]

    (fixed-duration storage: energy_new = duration · power_new); H = `Adequacy.storage_hours`.
    """
    data = ctx.data
    if data.adequacy is None:
        return
    honam = np.array([data.region_kind[r] == "honam" for r in st["region"]])
    credit = np.where(honam, np.nan_to_num(st["capacity_credit"].to_numpy(float), nan=0.0), 0.0)
    units = np.flatnonzero(credit > 0)
    if not len(units):
        return
    P, H = ctx.P, float(data.adequacy.storage_hours)
    periods = np.arange(P)
    lab = [labels[i] for i in units]
    firm = ctx.lm.add_variables(Var.FIRM_STORAGE, ("storage", "period"), (lab, list(periods)), unit="GW",
                                doc="storage power credited as firm capacity")
    c = credit[units][:, None]
    k = np.arange(len(units))[:, None]
    rb = RowBlock(ctx.lm, Row.FIRM_STORAGE_POWER, ("storage", "period"), (lab, list(periods)), "<=", unit="GW")
    rows = rb.row_index(k, periods[None, :])
    rb.add(rows, 1.0, firm)
    capacity_terms(ctx, rb, rows, -np.broadcast_to(c, rows.shape), power, units, period=periods)
    rb.add_rhs(rows, c * p_exist_p[units] * U.POWER)
    rb.build()
    rb = RowBlock(ctx.lm, Row.FIRM_STORAGE_ENERGY, ("storage", "period"), (lab, list(periods)), "<=", unit="GW")
    rows = rb.row_index(k, periods[None, :])
    rb.add(rows, 1.0, firm)
    fx = fixed[units]
    capacity_terms(ctx, rb, rows[fx], -np.broadcast_to(c[fx] * duration[units][fx][:, None] / H, (int(fx.sum()), P)),
                   power, units[fx], period=periods)
    capacity_terms(ctx, rb, rows[~fx], -np.broadcast_to(c[~fx] / H, (int((~fx).sum()), P)), energy, units[~fx],
                   period=periods)
    rb.add_rhs(rows, c * e_exist_p[units] * U.ENERGY / H)
    rb.build()
    for j in range(len(units)):
        ctx.firm_terms.append((periods, np.ones(P), firm[j]))
