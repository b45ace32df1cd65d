"""Solve the PyPSA network and read the answer back on re300's basis: the total cost rebuilt from the solution (not
PyPSA's objective), new capacities per asset, the energy sold and absorbed, and the target shortfalls."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .network import COST_SCALE, PypsaProblem
from .rules import extra_functionality


@dataclass
class PypsaResult:
    status: str
    objective_krw: float  # comparable with re300's objective (PyPSA's total − constant) [KRW/yr]
    capacity_new: pd.DataFrame  # columns kind, name, region, new, unit
    renewable_shortfall_mwh: float
    export_shortfall_mwh: float
    sold_mwh: dict = field(default_factory=dict)  # (technology, region) -> medium sold per year [MWh/yr]
    absorbed_mwh: dict = field(default_factory=dict)  # export region -> energy it took per year [MWh/yr]


def solve_pypsa(problem: PypsaProblem, solver_options: dict | None = None) -> PypsaResult:
    """Optimise with HiGHS through PyPSA/linopy; objective in KRW/yr on re300's basis (constant removed)."""
    n = problem.network
    options = {"output_flag": False, **(solver_options or {})}
    status, condition = n.optimize(solver_name="highs", extra_functionality=extra_functionality(problem),
                                   solver_options=options, include_objective_constant=False,
                                   multi_investment_periods=isinstance(n.snapshots, pd.MultiIndex))
    m = n.model
    total = total_cost_scaled(problem, m) / COST_SCALE
    data = problem.data
    w = np.asarray(data.weight_h, float)
    gen_p = n.generators_t.p
    st = data.storage.reset_index(drop=True)
    sold = {(x.technology, x.region): float(-gen_p[names.sales].to_numpy() @ w)
            for names, (_, x) in zip(problem.storage, st.iterrows()) if names.sales}
    absorbed = {r: float(-gen_p[name].to_numpy() @ w) for r, name in problem.absorbers.items()}
    return PypsaResult(
        status=f"{status}: {condition}",
        objective_krw=total - problem.constant_krw,
        capacity_new=capacity_table(problem),
        renewable_shortfall_mwh=_value(m, "renewable_shortfall"),
        export_shortfall_mwh=_value(m, "export_shortfall"),
        sold_mwh=sold,
        absorbed_mwh=absorbed,
    )


def _value(m, name: str) -> float:
    return float(m.variables[name].solution.values) if name in m.variables else 0.0


def capacity_table(problem: PypsaProblem) -> pd.DataFrame:
    """New capacity per asset, as re300 reports it: generator MW, storage power P = η_dis × discharger p_nom, storage
    energy (Store e_nom), charging power sized on its own (charger p_nom), link MW (forward p_nom)."""
    n, data = problem.network, problem.data
    rows = []
    gens = data.generators.reset_index(drop=True)
    for name, (_, g) in zip(problem.generators, gens.iterrows()):
        rows.append(("generator", g.technology, g.region, float(n.generators.at[name, "p_nom_opt"]) - float(g.existing_mw), "MW"))
    st = data.storage.reset_index(drop=True)
    for names, (_, x) in zip(problem.storage, st.iterrows()):
        duration = float(np.nan_to_num(x.fixed_duration_h, nan=0.0))
        e_exist = duration * float(x.existing_mw) if duration > 0 else float(x.existing_mwh)
        power = float(n.links.at[names.discharger, "p_nom_opt"]) * float(x.efficiency_discharge)
        rows.append(("storage_power", x.technology, x.region, power - float(x.existing_mw), "MW"))
        rows.append(("storage_energy", x.technology, x.region, float(n.stores.at[names.store, "e_nom_opt"]) - e_exist, "MWh"))
        if names.separate:
            rows.append(("storage_charge", x.technology, x.region,
                         float(n.links.at[names.charger, "p_nom_opt"]) - float(x.charge_existing_mw), "MW"))
    for (fwd, _), (_, l) in zip(problem.links, data.links.reset_index(drop=True).iterrows()):
        rows.append(("link", l.link, l.from_region, float(n.links.at[fwd, "p_nom_opt"]) - float(l.existing_mw), "MW"))
    return pd.DataFrame(rows, columns=["kind", "name", "region", "new", "unit"])


def total_cost_scaled(problem: PypsaProblem, m) -> float:
    """Σ capital cost × optimal capacity over every component (extendable or not) + Σ_t weight_h × marginal cost ×
    output (sinks: p < 0, so the displaced generation and the sales are credits) + shortfall penalties, in PyPSA's
    (scaled) money. Rebuilt from the solution rather than read from PyPSA's objective, which leaves out the capital cost
    of non-extendable components (and, with several blocks, carries the period weightings)."""
    n = problem.network
    capital = float((n.generators.capital_cost * n.generators.p_nom_opt).sum()
                    + (n.links.capital_cost * n.links.p_nom_opt).sum()
                    + (n.stores.capital_cost * n.stores.e_nom_opt).sum())
    w = np.asarray(problem.data.weight_h, float)
    gen_p = n.generators_t.p.reindex(columns=n.generators.index, fill_value=0.0).to_numpy()
    link_p = n.links_t.p0.reindex(columns=n.links.index, fill_value=0.0).to_numpy()
    operating = float((gen_p * n.generators.marginal_cost.to_numpy()[None, :]).sum(axis=1) @ w)
    operating += float((link_p * n.links.marginal_cost.to_numpy()[None, :]).sum(axis=1) @ w)
    tg = problem.data.targets
    penalties = 0.0
    for name, price in (("renewable_shortfall", tg.renewable_slack_krw_per_mwh), ("export_shortfall", tg.export_slack_krw_per_mwh)):
        if name in m.variables and price is not None:
            penalties += _value(m, name) * price * COST_SCALE
    return capital + operating + penalties
