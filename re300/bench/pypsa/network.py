"""The PyPSA network of a `ModelData`: buses, loads, generators, stores with their charger and discharger links,
links, the export regions' sinks and the sales sinks (the mapping table is in the package docstring). What PyPSA has no
component for is added as linopy constraints by `re300.bench.pypsa.rules`; what cannot be expressed is refused here
(`NotExpressible`), never dropped."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from re300.model.data import ModelData

SINK_MW = 1e7  # power limit of the sinks where re300 has none [MW]: far above any corridor or electrolyser fleet
COST_SCALE = 1e-6  # PyPSA works in million KRW: keeps costs (1e4..1e9 KRW per MW/MWh) near HiGHS's sweet spot


class NotExpressible(ValueError):
    """A feature of the ModelData that this rebuild does not express in PyPSA (the message names it)."""


@dataclass
class StorageNames:
    """The PyPSA components of one storage row: the Store on its own bus, the charger and discharger Links, the sales
    sink (a Generator on the store bus; None when nothing is sold) and whether the charger is sized on its own."""

    store: str
    charger: str
    discharger: str
    sales: str | None
    separate: bool


@dataclass
class PypsaProblem:
    network: object  # pypsa.Network
    data: ModelData
    constant_krw: float  # PyPSA total cost − re300 objective (annualised capex on existing capacity)
    notes: list[str] = field(default_factory=list)  # how the horizon was expressed (nothing is approximated)
    generators: list[str] = field(default_factory=list)  # one per generator row
    storage: list[StorageNames] = field(default_factory=list)  # one per storage row
    links: list[tuple[str, str | None]] = field(default_factory=list)  # (forward, backward or None) per link row
    absorbers: dict[str, str] = field(default_factory=dict)  # export region -> its sink Generator
    unserved: dict[str, str] = field(default_factory=dict)  # honam region -> its unserved-energy Generator


def refuse_what_is_not_expressed(data: ModelData) -> None:
    """Raise NotExpressible, naming the feature, for what this rebuild does not express."""
    if data.pathway is not None:
        raise NotExpressible(f"PyPSA rebuild: pathway runs ({data.pathway.n} investment periods) are not expressed; "
                             "compare a single-year run")
    st = data.storage
    if data.typical_day_order is not None and len(st) and st["linked_across_days"].astype(bool).any():
        linked = [f"{t}|{r}" for t, r, x in zip(st["technology"], st["region"], st["linked_across_days"].astype(bool)) if x]
        raise NotExpressible(f"PyPSA rebuild: storage linked across typical days ({', '.join(linked)}; typical_day_order "
                             "set) is not expressed: PyPSA cycles a store within a block; compare a weeks or full-year run")
    loads = data.re100_loads
    if loads is not None and len(loads) and (loads["matching"] == "hourly").any():
        names = ", ".join(loads.loc[loads["matching"] == "hourly", "name"])
        raise NotExpressible(f"PyPSA rebuild: hourly-matched RE100 loads ({names}) are not expressed")
    for fam, arr in (data.fixed_builds or {}).items():
        if np.isfinite(np.asarray(arr, float)).any():
            raise NotExpressible(f"PyPSA rebuild: fixed builds ({fam}, a myopic hand-over) are not expressed")


def block_runs(block) -> np.ndarray:
    """Position 0..B−1 of each snapshot's block (a contiguous run of equal block ids, as re300 cycles storage)."""
    block = np.asarray(block)
    return np.r_[0, np.cumsum(block[1:] != block[:-1])].astype(np.int64) if len(block) else np.zeros(0, np.int64)


def new_network(data: ModelData):
    """An empty network on the snapshots of `data`. One block: a plain snapshot index. Several blocks (storage cycles
    within each, e.g. two weeks): the blocks become PyPSA investment periods, whose stores cycle per period
    (e_cyclic_per_period); every asset is active in every period, and the weightings (period 1/B, snapshot
    objective B × weight_h) leave each capital cost counted once and each hour at its weight."""
    import pypsa

    T = data.n_time
    runs = block_runs(data.block)
    B = int(runs.max()) + 1 if T else 1
    n = pypsa.Network()
    w = np.asarray(data.weight_h, float)
    if B == 1:
        n.set_snapshots(pd.RangeIndex(T, name="snapshot"))
    else:
        n.set_snapshots(pd.MultiIndex.from_arrays([runs, np.arange(T)], names=["period", "timestep"]))
        n.investment_periods = list(range(B))
        n.investment_period_weightings["objective"] = 1.0 / B
        n.investment_period_weightings["years"] = 1.0
    n.snapshot_weightings["objective"] = w * B
    n.snapshot_weightings["generators"] = w
    n.snapshot_weightings["stores"] = np.asarray(data.duration_h, float)
    return n, B


def series(n, values) -> pd.Series:
    return pd.Series(np.asarray(values, float), index=n.snapshots)


def to_pypsa(data: ModelData) -> PypsaProblem:
    """The re300 LP of `data` as a PyPSA network (single-year runs; see `refuse_what_is_not_expressed`)."""
    data.check()
    refuse_what_is_not_expressed(data)
    n, B = new_network(data)
    problem = PypsaProblem(n, data, 0.0)
    if B > 1:
        problem.notes.append(f"{B} storage blocks as PyPSA investment periods (stores cycle within each)")
    add_nodes(problem)
    add_generators(problem)
    add_storage(problem)
    add_links(problem)
    carriers = set(n.generators.carrier) | set(n.links.carrier) | set(n.stores.carrier) | set(n.buses.carrier)
    n.add("Carrier", sorted(c for c in carriers if c))
    return problem


def add_nodes(problem: PypsaProblem) -> None:
    """Buses, demand, unserved energy (Honam) and the sinks of export regions (their absorption and its value)."""
    n, data, s = problem.network, problem.data, COST_SCALE
    for r in data.regions:
        n.add("Bus", r, carrier="AC")
    for r in data.regions:
        d = data.demand_mw[r].to_numpy(float)
        if np.any(d != 0):
            n.add("Load", f"demand|{r}", bus=r, p_set=series(n, d))
        if data.region_kind[r] == "export":
            head = np.full(data.n_time, np.nan)
            if data.export_headroom_mw is not None and r in data.export_headroom_mw.columns:
                head = data.export_headroom_mw[r].to_numpy(float)
            head = np.where(np.isfinite(head), np.maximum(head, 0.0), np.nan)
            limited = np.isfinite(head)
            p_nom = max(float(np.max(head)), 1.0) if limited.all() else SINK_MW
            value = float((data.export_value_krw_per_mwh or {}).get(r, 0.0))
            name = f"absorbed|{r}"
            # a sink: p = −absorbed ≥ −headroom; cost marginal × p = −value × absorbed (the displaced generation)
            n.add("Generator", name, bus=r, carrier="absorbed", p_nom=p_nom, p_max_pu=0.0,
                  p_min_pu=series(n, np.where(limited, -np.nan_to_num(head) / p_nom, -1.0)), marginal_cost=value * s)
            problem.absorbers[r] = name
            continue
        peak = float(d.max(initial=0.0))
        if peak > 0:
            name = f"unserved|{r}"
            n.add("Generator", name, bus=r, carrier="unserved", p_nom=peak, p_max_pu=series(n, d / peak),
                  marginal_cost=data.value_of_lost_load_krw_per_mwh * s)
            problem.unserved[r] = name


def add_generators(problem: PypsaProblem) -> None:
    n, data, s = problem.network, problem.data, COST_SCALE
    gens = data.generators.reset_index(drop=True)
    for i, g in gens.iterrows():
        name = f"{g.technology}|{g.region}"
        max_new = float(np.nan_to_num(g.max_new_mw, nan=0.0, posinf=np.inf))
        existing = float(g.existing_mw)
        ext = max_new > 0
        problem.constant_krw += g.capex_annual_krw_per_mw * existing
        n.add("Generator", name, bus=g.region, carrier=g.technology, p_nom=existing, p_nom_extendable=ext,
              p_nom_min=existing, p_nom_max=existing + max_new if ext else existing,
              p_max_pu=series(n, data.availability[i]),
              marginal_cost=(g.vom_krw_per_mwh + data.carbon_price_krw_per_t * g.emission_t_per_mwh) * s,
              capital_cost=(g.capex_annual_krw_per_mw + g.fom_krw_per_mw) * s)
        problem.generators.append(name)


def _new(x) -> float:
    return float(np.nan_to_num(x, nan=0.0, posinf=np.inf))


def add_storage(problem: PypsaProblem) -> None:
    """Per storage row: a Store on its own bus; a discharger Link (store → region, efficiency η_dis) that carries the
    power capacity P = η_dis × its p_nom and its cost; a charger Link (region → store, efficiency η_ch), tied to P or,
    for `separate_charge_power` (electrolysers), a capacity of its own with its own cost; a sales sink on the store bus
    when the medium is sold (marginal cost = price, so cost = −revenue; e_sum_min = −annual cap)."""
    n, data, s = problem.network, problem.data, COST_SCALE
    st = data.storage.reset_index(drop=True)
    for _, x in st.iterrows():
        base = f"{x.technology}|{x.region}"
        bus = f"{base}|store"
        n.add("Bus", bus, carrier=x.technology)
        duration = float(np.nan_to_num(x.fixed_duration_h, nan=0.0))
        fixed = duration > 0
        separate = bool(x.separate_charge_power)
        p_exist, p_max_new = float(x.existing_mw), _new(x.max_new_mw)
        e_exist = duration * p_exist if fixed else float(x.existing_mwh)
        e_max_new = _new(x.max_new_mwh)
        p_ext = p_max_new > 0
        e_ext = (fixed and p_ext) or (not fixed and e_max_new > 0)
        cost_e = x.capex_annual_krw_per_mwh + x.fom_krw_per_mwh
        cost_p = x.capex_annual_krw_per_mw + x.fom_krw_per_mw + (duration * cost_e if fixed else 0.0)  # per MW of P
        problem.constant_krw += x.capex_annual_krw_per_mw * p_exist + x.capex_annual_krw_per_mwh * e_exist
        n.add("Store", bus, bus=bus, carrier=x.technology, e_cyclic=True, e_cyclic_per_period=True,
              e_nom=e_exist, e_nom_extendable=e_ext, e_nom_min=e_exist,
              e_nom_max=(np.inf if fixed else e_exist + e_max_new) if e_ext else e_exist,
              standing_loss=float(x.standing_loss_per_h), capital_cost=0.0 if fixed else cost_e * s)
        eta_d = float(x.efficiency_discharge)
        p_top = p_exist + p_max_new if p_ext else p_exist
        n.add("Link", f"{base}|discharger", bus0=bus, bus1=x.region, efficiency=eta_d, carrier=x.technology,
              p_nom=p_exist / eta_d, p_nom_extendable=p_ext, p_nom_min=p_exist / eta_d, p_nom_max=p_top / eta_d,
              marginal_cost=float(x.vom_krw_per_mwh) * eta_d * s, capital_cost=cost_p * eta_d * s)
        if separate:
            c_exist, c_max_new = float(x.charge_existing_mw), _new(x.charge_max_new_mw)
            c_ext = c_max_new > 0
            problem.constant_krw += x.charge_capex_annual_krw_per_mw * c_exist
            charger = dict(p_nom=c_exist, p_nom_extendable=c_ext, p_nom_min=c_exist,
                           p_nom_max=c_exist + c_max_new if c_ext else c_exist,
                           capital_cost=(x.charge_capex_annual_krw_per_mw + x.charge_fom_krw_per_mw) * s)
        else:
            charger = dict(p_nom=p_exist, p_nom_extendable=p_ext, p_nom_min=p_exist, p_nom_max=p_top, capital_cost=0.0)
        n.add("Link", f"{base}|charger", bus0=x.region, bus1=bus, efficiency=float(x.efficiency_charge),
              carrier=x.technology, **charger)
        sales = None
        price = float(np.nan_to_num(x.sale_price_krw_per_mwh, nan=0.0))
        if price > 0:
            sales = f"{base}|sales"
            cap = float(x.sale_max_mwh_per_yr)
            n.add("Generator", sales, bus=bus, carrier=f"{x.technology}_sales", p_nom=SINK_MW, p_max_pu=0.0,
                  p_min_pu=-1.0, marginal_cost=price * s, **({"e_sum_min": -cap} if np.isfinite(cap) else {}))
        problem.storage.append(StorageNames(bus, f"{base}|charger", f"{base}|discharger", sales, separate))


def add_links(problem: PypsaProblem) -> None:
    """A Link from → to per link row; a two-way link adds a second Link to → from (PyPSA's p_min_pu = −1 cannot carry
    losses in both directions) whose capacity is tied to the first (`rules.tie_capacities`)."""
    n, data, s = problem.network, problem.data, COST_SCALE
    for _, l in data.links.reset_index(drop=True).iterrows():
        max_new = _new(l.max_new_mw)
        ext = max_new > 0
        exist = float(l.existing_mw)
        problem.constant_krw += l.capex_annual_krw_per_mw * exist
        common = dict(efficiency=float(l.efficiency), carrier="link", p_nom=exist, p_nom_extendable=ext, p_nom_min=exist,
                      p_nom_max=exist + max_new if ext else exist)
        n.add("Link", l.link, bus0=l.from_region, bus1=l.to_region,
              capital_cost=(l.capex_annual_krw_per_mw + l.fom_krw_per_mw) * s, **common)
        back = None
        if bool(l.bidirectional):
            back = f"{l.link}|backward"
            n.add("Link", back, bus0=l.to_region, bus1=l.from_region, capital_cost=0.0, **common)
        problem.links.append((l.link, back))
