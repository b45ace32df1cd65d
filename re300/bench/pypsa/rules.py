"""What PyPSA has no component for, as linopy constraints on the PyPSA model (`extra_functionality`): capacity ties,
the renewable target, the export commitment, the renewable-only-exports rule and the adequacy rule. Each is written
from the network's own components (buses, links, generators) and the ModelData inputs, not from re300's model code.
Equations in the package docstring."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .network import COST_SCALE, NotExpressible, PypsaProblem


def per_name(values, names) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, float), coords={"name": list(names)}, dims="name")


def per_snapshot(m, values) -> xr.DataArray:
    """`values` (one per snapshot) on the model's snapshot coordinate (a plain index or the (period, timestep) index
    of several blocks)."""
    idx = m["Generator-p"].indexes["snapshot"]
    coords = xr.Coordinates.from_pandas_multiindex(idx, "snapshot") if isinstance(idx, pd.MultiIndex) else {"snapshot": idx}
    return xr.DataArray(np.asarray(values, float), coords=coords, dims="snapshot")


def capacity(m, n, component: str, attr: str, name: str, factor: float = 1.0):
    """factor × the capacity of one component: its linopy variable if extendable, else its constant. Returns
    (expression or None, constant)."""
    static = getattr(n, {"Generator": "generators", "Link": "links", "Store": "stores"}[component])
    if bool(static.at[name, f"{attr}_extendable"]):
        return factor * m[f"{component}-{attr}"].sel(name=name), 0.0
    return None, factor * float(static.at[name, attr])


def extra_functionality(problem: PypsaProblem):
    def extra(n, snapshots):
        m = n.model
        tie_capacities(problem, m, n)
        penalties = renewable_target(problem, m) + export_commitment(problem, m)
        renewable_only_exports(problem, m, n)
        absorbed_from_honam(problem, m, n)
        adequacy(problem, m, n)
        if penalties:
            expr = m.objective.expression
            for term in penalties:
                expr = expr + term
            m.add_objective(expr, overwrite=True)

    return extra


def tie_capacities(problem: PypsaProblem, m, n) -> None:
    """charger p_nom = P = η_dis × discharger p_nom (unless sized on its own); fixed duration: Store e_nom = duration ×
    P; a two-way link's backward p_nom = its forward p_nom."""
    ext = set(n.links.index[n.links.p_nom_extendable])
    st = problem.data.storage.reset_index(drop=True)
    for k, names in enumerate(problem.storage):
        x = st.iloc[k]
        if names.discharger not in ext:
            continue
        power = float(x.efficiency_discharge) * m["Link-p_nom"].sel(name=names.discharger)
        if not names.separate:
            m.add_constraints(m["Link-p_nom"].sel(name=names.charger) - power == 0, name=f"tie_power|{names.charger}")
        duration = float(np.nan_to_num(x.fixed_duration_h, nan=0.0))
        if duration > 0:
            m.add_constraints(m["Store-e_nom"].sel(name=names.store) - duration * power == 0,
                              name=f"tie_energy|{names.store}")
    for fwd, back in problem.links:
        if back is not None and fwd in ext:
            m.add_constraints(m["Link-p_nom"].sel(name=back) - m["Link-p_nom"].sel(name=fwd) == 0, name=f"tie_link|{fwd}")


def weighted_sum(problem: PypsaProblem, m, var: str, names, coefs=None):
    """Σ_t weight_h[t] Σ_names coef · var[name, t] (None when `names` is empty)."""
    if not len(names):
        return None
    w = per_snapshot(m, problem.data.weight_h)
    x = m[var].sel(name=list(names))
    if coefs is not None:
        x = x * per_name(coefs, names)
    return (x * w).sum()


def _add(lhs, term, sign=1.0):
    if term is None:
        return lhs
    term = term if sign > 0 else -1.0 * term
    return term if lhs is None else lhs + term


def sales_electricity(problem: PypsaProblem, m):
    """Σ_t weight_h Σ_sellers sold / η_ch: the electricity that made the medium sold (sold = −p of the sales sink)."""
    st = problem.data.storage.reset_index(drop=True)
    names = [x.sales for x in problem.storage if x.sales]
    eta = [float(st.iloc[k].efficiency_charge) for k, x in enumerate(problem.storage) if x.sales]
    return weighted_sum(problem, m, "Generator-p", names, -1.0 / np.asarray(eta, float)) if names else None


def _target(problem: PypsaProblem, m, lhs, share, penalty, kind: str) -> list:
    """lhs + shortfall ≥ share × Honam consumption; the shortfall costs `penalty` per MWh (objective terms returned)."""
    need = share * problem.data.annual_consumption_mwh()
    out = []
    if penalty is not None:
        slack = m.add_variables(lower=0.0, name=f"{kind}_shortfall")
        lhs = _add(lhs, 1.0 * slack)
        out.append(penalty * COST_SCALE * slack)
    if lhs is None:
        raise NotExpressible(f"PyPSA rebuild: the {kind} target has no terms (nothing can count towards it)")
    m.add_constraints(lhs >= need, name=f"{kind}_target")
    return out


def renewable_target(problem: PypsaProblem, m) -> list:
    """Σ w·p(renewable generators) − [Σ w·(p_charger − η_dis·p_discharger) − Σ w·sold/η_ch] − [Σ w·(1−η)·p(links)]
    + shortfall ≥ X · consumption."""
    data, tg = problem.data, problem.data.targets
    if tg.renewable_share is None:
        return []
    gens = data.generators.reset_index(drop=True)
    lhs = weighted_sum(problem, m, "Generator-p", [g for g, r in zip(problem.generators, gens["renewable"]) if bool(r)])
    if tg.deduct_storage_losses and problem.storage:
        st = data.storage.reset_index(drop=True)
        lhs = _add(lhs, weighted_sum(problem, m, "Link-p", [x.charger for x in problem.storage]), -1.0)
        lhs = _add(lhs, weighted_sum(problem, m, "Link-p", [x.discharger for x in problem.storage], st["efficiency_discharge"]))
        lhs = _add(lhs, sales_electricity(problem, m))
    if tg.deduct_transmission_losses and problem.links:
        names, loss = [], []
        for (fwd, back), eff in zip(problem.links, data.links["efficiency"].to_numpy(float)):
            names += [x for x in (fwd, back) if x is not None]
            loss += [1.0 - eff] * (2 if back is not None else 1)
        lhs = _add(lhs, weighted_sum(problem, m, "Link-p", names, loss), -1.0)
    return _target(problem, m, lhs, tg.renewable_share, tg.renewable_slack_krw_per_mwh, "renewable")


def export_commitment(problem: PypsaProblem, m) -> list:
    """Net delivery over the routes into export regions, Σ w·(η·p_forward − p_backward), + the electricity behind the
    medium sold if `sales_count_as_export`, + shortfall ≥ Y · consumption."""
    data, tg = problem.data, problem.data.targets
    if tg.export_share is None:
        return []
    fwd, eff, back = [], [], []
    for (f, b), (_, l) in zip(problem.links, data.links.reset_index(drop=True).iterrows()):
        if data.region_kind[l.to_region] == "export":
            fwd.append(f)
            eff.append(float(l.efficiency))
            if b is not None:
                back.append(b)
    lhs = _add(weighted_sum(problem, m, "Link-p", fwd, eff), weighted_sum(problem, m, "Link-p", back), -1.0)
    if tg.sales_count_as_export:
        lhs = _add(lhs, sales_electricity(problem, m))
    return _target(problem, m, lhs, tg.export_share, tg.export_slack_krw_per_mwh, "export")


def renewable_only_exports(problem: PypsaProblem, m, n) -> None:
    """Every snapshot: Σ p(non-renewable generators at Honam buses) + Σ η·p(Links from an export bus to a Honam bus)
    + Σ p(unserved, Honam) ≤ Σ Honam demand."""
    data = problem.data
    if not data.targets.renewable_only_exports:
        return
    kind = data.region_kind
    gens = data.generators.reset_index(drop=True)
    nonre = [g for g, (_, x) in zip(problem.generators, gens.iterrows()) if not bool(x.renewable) and kind[x.region] == "honam"]
    links = n.links
    into = links.index[[kind.get(a) == "export" and kind.get(b) == "honam" for a, b in zip(links.bus0, links.bus1)]]
    if not nonre and not len(into):
        return
    gp, lp = m["Generator-p"], m["Link-p"]
    lhs = gp.sel(name=nonre + list(problem.unserved.values())).sum("name")
    if len(into):
        lhs = lhs + (lp.sel(name=list(into)) * per_name(links.loc[into, "efficiency"], into)).sum("name")
    demand = per_snapshot(m, data.demand_mw[data.honam_regions].to_numpy(float).sum(axis=1))
    m.add_constraints(lhs <= demand, name="renewable_only_exports")


def absorbed_from_honam(problem: PypsaProblem, m, n) -> None:
    """Every snapshot and export bus: what its sink takes (−p) ≤ Σ η·p of the Links arriving from a Honam bus."""
    kind = problem.data.region_kind
    gp, lp = m["Generator-p"], m["Link-p"]
    links = n.links
    for r, sink in problem.absorbers.items():
        into = links.index[[b == r and kind.get(a) == "honam" for a, b in zip(links.bus0, links.bus1)]]
        lhs = -gp.sel(name=sink)
        if len(into):
            lhs = lhs - (lp.sel(name=list(into)) * per_name(links.loc[into, "efficiency"], into)).sum("name")
        m.add_constraints(lhs <= 0, name=f"absorbed_from_honam|{r}")


def adequacy(problem: PypsaProblem, m, n) -> None:
    """Σ credit·p_nom(generators at Honam buses) + Σ firm_storage + Σ credit·p_nom(Links that bring power into Honam
    from an export region) ≥ (1 + margin) · peak, with firm_storage ≤ credit·P and ≤ credit·E / H per Honam store."""
    data = problem.data
    a = data.adequacy
    if a is None:
        return
    kind = data.region_kind
    lhs, const = None, 0.0

    def add(term):
        nonlocal lhs, const
        expr, c = term
        const += c
        lhs = _add(lhs, expr)

    gens = data.generators.reset_index(drop=True)
    for name, (_, g) in zip(problem.generators, gens.iterrows()):
        credit = float(np.nan_to_num(g.capacity_credit, nan=0.0))
        if credit > 0 and kind[g.region] == "honam":
            add(capacity(m, n, "Generator", "p_nom", name, credit))
    st = data.storage.reset_index(drop=True)
    for names, (_, x) in zip(problem.storage, st.iterrows()):
        credit = float(np.nan_to_num(x.capacity_credit, nan=0.0))
        if credit > 0 and kind[x.region] == "honam":
            add((firm_storage(m, n, names, credit, float(x.efficiency_discharge), a.storage_hours), 0.0))
    for (fwd, back), (_, l) in zip(problem.links, data.links.reset_index(drop=True).iterrows()):
        credit = float(np.nan_to_num(l.capacity_credit, nan=0.0))
        importing = (kind[l.from_region] == "export" and kind[l.to_region] == "honam") or (
            back is not None and kind[l.from_region] == "honam" and kind[l.to_region] == "export")
        if credit > 0 and importing:
            add(capacity(m, n, "Link", "p_nom", fwd, credit))
    need = (1.0 + a.reserve_margin) * float(np.asarray(a.peak_demand_mw, float)[0])
    if lhs is None:
        if const < need:
            raise NotExpressible(f"PyPSA rebuild: firm capacity {const:g} MW is fixed below the adequacy requirement "
                                 f"{need:g} MW (the re300 LP is infeasible too)")
        return
    m.add_constraints(lhs >= need - const, name="adequacy")


def firm_storage(m, n, names, credit: float, eta_d: float, hours: float):
    """A variable firm ≥ 0 with firm ≤ credit·P (P = η_dis × discharger p_nom) and firm ≤ credit·E / hours."""
    firm = m.add_variables(lower=0.0, name=f"firm_storage|{names.store}")
    for label, (expr, c) in (("power", capacity(m, n, "Link", "p_nom", names.discharger, credit * eta_d)),
                             ("energy", capacity(m, n, "Store", "e_nom", names.store, credit / hours))):
        m.add_constraints(1.0 * firm - expr <= c if expr is not None else 1.0 * firm <= c,
                          name=f"firm_storage_{label}|{names.store}")
    return 1.0 * firm
