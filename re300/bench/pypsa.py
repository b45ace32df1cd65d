"""The re300 LP rebuilt in PyPSA (an independent tool) from `ModelData`, e.g. the inputs stored in a run's results.nc:

    data = model_data_from_dataset(xr.load_dataset("outputs/quick/results.nc"))
    problem = to_pypsa(data)
    result = solve_pypsa(problem)          # HiGHS through PyPSA/linopy
    result.objective_krw                   # comparable with the re300 objective (KRW/yr)

Used by tests/test_pypsa.py (objective and capacities must agree) and by the benchmark (`pypsa:<case>` in
`python -m re300.bench`). re300 itself never imports this module; PyPSA is an optional test dependency.

An independent cross-check: the formulation below is this module's own (PyPSA components and linopy constraints),
not the re300 model's, and its total cost is recomputed from the PyPSA solution on purpose (like the audit's cost
recomputation in re300.audit.costs), so the comparison does not trust the code it checks.

Mapping (re300 → PyPSA):
* region → Bus; Honam demand → Load; unserved energy → Generator at the value of lost load with p_max_pu = demand
  share of its peak (so unserved ≤ demand, as in re300); an export region → a Generator with p_min_pu = −1 that
  absorbs what arrives at zero cost.
* generator → Generator, p_max_pu = capacity factor, marginal cost = variable cost + carbon price × emission factor;
  expandable ones are extendable with p_nom_min = existing, p_nom_max = existing + max_new and capital cost =
  annualised capex + fixed O&M.
* storage → a Store on its own bus (e_cyclic) + a charger Link (efficiency η_ch, carries the power capacity and its
  cost) + a discharger Link (efficiency η_dis, marginal cost vom × η_dis per MWh taken from the store). re300 limits
  the discharge delivered to the grid by the power capacity, so the discharger's p_nom (store side) is tied to the
  charger's by p_nom_dis × η_dis = p_nom_ch; fixed-duration storage adds e_nom = duration × p_nom_ch and pays its
  energy through the charger.
* link → Link from→to with efficiency; a bidirectional link adds a second Link to→from (PyPSA's p_min_pu = −1 cannot
  carry losses in both directions) whose capacity is tied to the first.
* renewable target and export commitment → extra linopy constraints (a PyPSA GlobalConstraint cannot express
  "weighted renewable output minus storage losses ≥ X × consumption"), each with its priced shortfall variable.
* snapshot weightings: objective and generators = weight_h, stores = duration_h.

Not expressible (the caller must switch them off or accept the difference): storage cycling per block — PyPSA's
e_cyclic closes the cycle over the whole horizon (per-period cycling exists only with multi-investment periods), so
`to_pypsa` refuses ModelData with more than one block unless `allow_blocks=True`.

Costs: every component carries capital cost = annualised capex + fixed O&M on its whole capacity; re300 charges capex
only on new capacity (existing assets pay fixed O&M, a constant). `PypsaProblem.constant_krw` holds the difference
(Σ annualised capex × existing capacity), so re300's objective = total cost of the PyPSA solution − constant. The
total is rebuilt from the solution (`_total_cost_scaled`) because PyPSA's objective omits non-extendable capital costs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from re300.model.data import ModelData

ABSORB_MW = 1e7  # export regions absorb at most this [MW] (re300: unbounded); far above any corridor
COST_SCALE = 1e-6  # PyPSA works in million KRW: keeps costs (1e4..1e9 KRW per MW/MWh) near HiGHS's sweet spot


@dataclass
class PypsaProblem:
    network: object  # pypsa.Network
    data: ModelData
    constant_krw: float  # PyPSA total cost − re300 objective (annualised capex on existing capacity)
    notes: list[str] = field(default_factory=list)  # features switched off or approximated
    generators: list[str] = field(default_factory=list)
    storage: list[tuple[str, str, str]] = field(default_factory=list)  # (store, charger, discharger) per storage row
    links: list[tuple[str, str | None]] = field(default_factory=list)  # (forward, backward or None) per link row


@dataclass
class PypsaResult:
    status: str
    objective_krw: float  # comparable with re300's objective (PyPSA's total − constant)
    capacity_new: pd.DataFrame  # columns kind, name, region, new, unit
    renewable_shortfall_mwh: float
    export_shortfall_mwh: float


def to_pypsa(data: ModelData, allow_blocks: bool = False) -> PypsaProblem:
    import pypsa

    data.check()
    notes: list[str] = []
    if len(np.unique(data.block)) > 1:
        if not allow_blocks:
            raise ValueError("PyPSA cannot cycle storage per block: pass one block (e.g. one week) or allow_blocks=True")
        notes.append("storage cycles over the whole horizon instead of per block")
    T = data.n_time
    snapshots = pd.RangeIndex(T, name="snapshot")
    n = pypsa.Network()
    n.set_snapshots(snapshots)
    w = np.asarray(data.weight_h, float)
    n.snapshot_weightings["objective"] = w
    n.snapshot_weightings["generators"] = w
    n.snapshot_weightings["stores"] = np.asarray(data.duration_h, float)
    s = COST_SCALE
    constant = 0.0

    for r in data.regions:
        n.add("Bus", r, carrier="AC")
    demand = data.demand_mw
    for r in data.regions:
        if data.region_kind[r] == "export":
            n.add("Generator", f"absorbed|{r}", bus=r, p_nom=ABSORB_MW, p_max_pu=0.0, p_min_pu=-1.0, marginal_cost=0.0,
                  carrier="absorbed")
            continue
        d = demand[r].to_numpy(float)
        n.add("Load", f"demand|{r}", bus=r, p_set=pd.Series(d, index=snapshots))
        peak = float(d.max(initial=0.0))
        if peak > 0:
            n.add("Generator", f"unserved|{r}", bus=r, p_nom=peak, p_max_pu=pd.Series(d / peak, index=snapshots),
                  marginal_cost=data.value_of_lost_load_krw_per_mwh * s, carrier="unserved")

    gens = data.generators.reset_index(drop=True)
    names = []
    for i, g in gens.iterrows():
        name = f"{g.technology}|{g.region}"
        names.append(name)
        max_new = float(np.nan_to_num(g.max_new_mw, nan=0.0, posinf=np.inf))
        existing = float(g.existing_mw)
        ext = max_new > 0
        constant += g.capex_annual_krw_per_mw * existing
        n.add("Generator", name, bus=g.region, carrier=g.technology,
              p_nom=existing, p_nom_extendable=ext, p_nom_min=existing, p_nom_max=existing + max_new if ext else existing,
              p_max_pu=pd.Series(np.asarray(data.availability[i], float), index=snapshots),
              marginal_cost=(g.vom_krw_per_mwh + data.carbon_price_krw_per_t * g.emission_t_per_mwh) * s,
              capital_cost=(g.capex_annual_krw_per_mw + g.fom_krw_per_mw) * s)

    st = data.storage.reset_index(drop=True)
    storage_names = []
    for _, x in st.iterrows():
        base = f"{x.technology}|{x.region}"
        bus = f"{base}|store"
        n.add("Bus", bus, carrier=x.technology)
        duration = float(np.nan_to_num(x.fixed_duration_h, nan=0.0))
        fixed = duration > 0
        p_exist, p_max_new = float(x.existing_mw), float(np.nan_to_num(x.max_new_mw, nan=0.0, posinf=np.inf))
        e_exist = duration * p_exist if fixed else float(x.existing_mwh)
        e_max_new = float(np.nan_to_num(x.max_new_mwh, nan=0.0, posinf=np.inf))
        p_ext = p_max_new > 0
        e_ext = (fixed and p_ext) or (not fixed and e_max_new > 0)
        cost_p = x.capex_annual_krw_per_mw + x.fom_krw_per_mw
        cost_e = x.capex_annual_krw_per_mwh + x.fom_krw_per_mwh
        constant += x.capex_annual_krw_per_mw * p_exist + x.capex_annual_krw_per_mwh * e_exist
        charger_cost = cost_p + (duration * cost_e if fixed else 0.0)
        n.add("Store", bus, bus=bus, carrier=x.technology, e_cyclic=True,
              e_nom=e_exist, e_nom_extendable=e_ext, e_nom_min=e_exist,
              e_nom_max=(np.inf if fixed else e_exist + e_max_new) if e_ext else e_exist,
              standing_loss=float(x.standing_loss_per_h), capital_cost=0.0 if fixed else cost_e * s)
        n.add("Link", f"{base}|charger", bus0=x.region, bus1=bus, efficiency=float(x.efficiency_charge),
              carrier=x.technology, p_nom=p_exist, p_nom_extendable=p_ext, p_nom_min=p_exist,
              p_nom_max=p_exist + p_max_new if p_ext else p_exist, capital_cost=charger_cost * s)
        eta_d = float(x.efficiency_discharge)
        n.add("Link", f"{base}|discharger", bus0=bus, bus1=x.region, efficiency=eta_d, carrier=x.technology,
              p_nom=p_exist / eta_d, p_nom_extendable=p_ext, p_nom_min=p_exist / eta_d,
              p_nom_max=(p_exist + p_max_new) / eta_d if p_ext else p_exist / eta_d,
              marginal_cost=float(x.vom_krw_per_mwh) * eta_d * s, capital_cost=0.0)
        storage_names.append((bus, f"{base}|charger", f"{base}|discharger"))

    links = data.links.reset_index(drop=True)
    link_names = []
    for _, l in links.iterrows():
        max_new = float(np.nan_to_num(l.max_new_mw, nan=0.0, posinf=np.inf))
        ext = max_new > 0
        exist = float(l.existing_mw)
        constant += l.capex_annual_krw_per_mw * exist
        common = dict(efficiency=float(l.efficiency), carrier="link", p_nom=exist, p_nom_extendable=ext, p_nom_min=exist,
                      p_nom_max=exist + max_new if ext else exist)
        n.add("Link", l.link, bus0=l.from_region, bus1=l.to_region,
              capital_cost=(l.capex_annual_krw_per_mw + l.fom_krw_per_mw) * s, **common)
        back = None
        if bool(l.bidirectional):
            back = f"{l.link}|backward"
            n.add("Link", back, bus0=l.to_region, bus1=l.from_region, capital_cost=0.0, **common)
        link_names.append((l.link, back))

    return PypsaProblem(n, data, constant, notes, names, storage_names, link_names)


def _extra_functionality(problem: PypsaProblem):
    """Ties of storage and link capacities, the renewable target and the export commitment (see module doc)."""

    def extra(n, snapshots):
        m = n.model
        data = problem.data
        s = COST_SCALE
        w = pd.Series(np.asarray(data.weight_h, float), index=pd.Index(snapshots, name="snapshot"))
        p_nom = m["Link-p_nom"] if "Link-p_nom" in m.variables else None
        link_ext = set(n.links.index[n.links.p_nom_extendable])
        st = data.storage.reset_index(drop=True)
        for k, (store, ch, dis) in enumerate(problem.storage):
            x = st.iloc[k]
            if ch in link_ext:
                eta_d = float(x.efficiency_discharge)
                m.add_constraints(p_nom.sel(name=dis) * eta_d - p_nom.sel(name=ch) == 0, name=f"tie_power|{ch}")
                duration = float(np.nan_to_num(x.fixed_duration_h, nan=0.0))
                if duration > 0:
                    m.add_constraints(m["Store-e_nom"].sel(name=store) - duration * p_nom.sel(name=ch) == 0,
                                      name=f"tie_energy|{store}")
        for fwd, back in problem.links:
            if back is not None and fwd in link_ext:
                m.add_constraints(p_nom.sel(name=back) - p_nom.sel(name=fwd) == 0, name=f"tie_link|{fwd}")

        tg = data.targets
        consumption = data.annual_consumption_mwh()
        gp = m["Generator-p"]
        lp = m["Link-p"]
        gens = data.generators.reset_index(drop=True)
        renewable = [name for name, r in zip(problem.generators, gens["renewable"]) if bool(r)]
        objective_terms = []
        if tg.renewable_share is not None:
            lhs = (gp.sel(name=renewable) * w).sum()
            if tg.deduct_storage_losses and problem.storage:
                chargers = [ch for _, ch, _ in problem.storage]
                dischargers = [dis for _, _, dis in problem.storage]
                eta_d = xr_series(st["efficiency_discharge"].to_numpy(float), dischargers)
                lhs = lhs - (lp.sel(name=chargers) * w).sum() + (lp.sel(name=dischargers) * eta_d * w).sum()
            if tg.deduct_transmission_losses and problem.links:
                names, loss = _link_loss_coefficients(problem)
                lhs = lhs - (lp.sel(name=names) * xr_series(loss, names) * w).sum()
            if tg.renewable_slack_krw_per_mwh is not None:
                slack = m.add_variables(lower=0.0, name="renewable_shortfall")
                lhs = lhs + slack
                objective_terms.append(tg.renewable_slack_krw_per_mwh * s * slack)
            m.add_constraints(lhs >= tg.renewable_share * consumption, name="renewable_target")
        if tg.export_share is not None:
            names, eff = _export_coefficients(problem)
            lhs = (lp.sel(name=names) * xr_series(eff, names) * w).sum() if names else 0.0
            if tg.export_slack_krw_per_mwh is not None:
                slack = m.add_variables(lower=0.0, name="export_shortfall")
                lhs = lhs + slack
                objective_terms.append(tg.export_slack_krw_per_mwh * s * slack)
            m.add_constraints(lhs >= tg.export_share * consumption, name="export_target")
        if objective_terms:
            expr = m.objective.expression
            for term in objective_terms:
                expr = expr + term
            m.add_objective(expr, overwrite=True)

    return extra


def xr_series(values, names):
    import xarray as xr

    return xr.DataArray(np.asarray(values, float), coords={"name": list(names)}, dims="name")


def _link_loss_coefficients(problem: PypsaProblem):
    links = problem.data.links.reset_index(drop=True)
    names, loss = [], []
    for (fwd, back), eff in zip(problem.links, links["efficiency"].to_numpy(float)):
        for name in (fwd, back):
            if name is not None:
                names.append(name)
                loss.append(1.0 - eff)
    return names, loss


def _export_coefficients(problem: PypsaProblem):
    data = problem.data
    links = data.links.reset_index(drop=True)
    names, eff = [], []
    for (fwd, back), (_, l) in zip(problem.links, links.iterrows()):
        if data.region_kind[l.to_region] == "export":
            names.append(fwd)
            eff.append(float(l.efficiency))
        if back is not None and data.region_kind[l.from_region] == "export":
            names.append(back)
            eff.append(float(l.efficiency))
    return names, eff


def solve_pypsa(problem: PypsaProblem, solver_options: dict | None = None) -> PypsaResult:
    """Optimise with HiGHS through PyPSA/linopy; objective in KRW/yr on re300's basis (constant removed)."""
    n = problem.network
    options = {"output_flag": False, **(solver_options or {})}
    status, condition = n.optimize(solver_name="highs", extra_functionality=_extra_functionality(problem),
                                   solver_options=options, include_objective_constant=False)
    m = n.model
    total = _total_cost_scaled(problem, m) / COST_SCALE
    data = problem.data
    rows = []
    gens = data.generators.reset_index(drop=True)
    for name, (_, g) in zip(problem.generators, gens.iterrows()):
        rows.append(("generator", g.technology, g.region, float(n.generators.at[name, "p_nom_opt"]) - float(g.existing_mw), "MW"))
    st = data.storage.reset_index(drop=True)
    for (store, ch, _), (_, x) in zip(problem.storage, st.iterrows()):
        duration = float(np.nan_to_num(x.fixed_duration_h, nan=0.0))
        e_exist = duration * float(x.existing_mw) if duration > 0 else float(x.existing_mwh)
        rows.append(("storage_power", x.technology, x.region, float(n.links.at[ch, "p_nom_opt"]) - float(x.existing_mw), "MW"))
        rows.append(("storage_energy", x.technology, x.region, float(n.stores.at[store, "e_nom_opt"]) - e_exist, "MWh"))
    links = data.links.reset_index(drop=True)
    for (fwd, _), (_, l) in zip(problem.links, links.iterrows()):
        rows.append(("link", l.link, l.from_region, float(n.links.at[fwd, "p_nom_opt"]) - float(l.existing_mw), "MW"))

    def slack(name):
        return float(m.variables[name].solution.values) if name in m.variables else 0.0

    return PypsaResult(
        status=f"{status}: {condition}",
        objective_krw=total - problem.constant_krw,
        capacity_new=pd.DataFrame(rows, columns=["kind", "name", "region", "new", "unit"]),
        renewable_shortfall_mwh=slack("renewable_shortfall"),
        export_shortfall_mwh=slack("export_shortfall"),
    )


def _total_cost_scaled(problem: PypsaProblem, m) -> float:
    """Σ capital cost × optimal capacity over every component (extendable or not) + Σ_t weight × marginal cost × output
    + shortfall penalties, in PyPSA's (scaled) money. Rebuilt from the solution rather than read from PyPSA's objective,
    which leaves out the capital cost of non-extendable components."""
    n = problem.network
    capital = float((n.generators.capital_cost * n.generators.p_nom_opt).sum()
                    + (n.links.capital_cost * n.links.p_nom_opt).sum()
                    + (n.stores.capital_cost * n.stores.e_nom_opt).sum())
    w = n.snapshot_weightings["objective"].to_numpy(float)
    gen_p = n.generators_t.p.reindex(columns=n.generators.index, fill_value=0.0).to_numpy()
    link_p = n.links_t.p0.reindex(columns=n.links.index, fill_value=0.0).to_numpy()
    operating = float((gen_p * n.generators.marginal_cost.to_numpy()[None, :]).sum(axis=1) @ w)
    operating += float((link_p * n.links.marginal_cost.to_numpy()[None, :]).sum(axis=1) @ w)
    tg = problem.data.targets
    penalties = 0.0
    for name, price in (("renewable_shortfall", tg.renewable_slack_krw_per_mwh), ("export_shortfall", tg.export_slack_krw_per_mwh)):
        if name in m.variables and price is not None:
            penalties += float(m.variables[name].solution.values) * price * COST_SCALE
    return capital + operating + penalties
