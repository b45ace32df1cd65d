"""Tiny hand-made `ModelData` instances for per-constraint tests (numbers chosen so optima can be worked by hand)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from re300.model.data import GENERATOR_COLUMNS, LINK_COLUMNS, STORAGE_COLUMNS, ModelData, Pathway, TargetSettings


def gen(technology, region, *, renewable=True, existing_mw=0.0, max_new_mw=0.0, capex=0.0, fom=0.0, vom=0.0, ef=0.0,
        lifetime=np.nan):
    return dict(
        technology=technology, region=region, renewable=renewable, existing_mw=existing_mw, max_new_mw=max_new_mw,
        capex_annual_krw_per_mw=capex, fom_krw_per_mw=fom, vom_krw_per_mwh=vom, emission_t_per_mwh=ef,
        lifetime_yr=lifetime,
    )


def store(technology, region, *, existing_mw=0.0, existing_mwh=0.0, max_new_mw=0.0, max_new_mwh=0.0, capex_mw=0.0,
          capex_mwh=0.0, fom_mw=0.0, fom_mwh=0.0, vom=0.0, eta_c=1.0, eta_d=1.0, loss=0.0, duration=np.nan,
          linked_across_days=True, charge_max_new_mw=None, charge_capex_mw=0.0, charge_existing_mw=0.0, lifetime=np.nan):
    """Storage row; `charge_max_new_mw` set = charging power sized on its own (e.g. electrolysers)."""
    return dict(
        technology=technology, region=region, existing_mw=existing_mw, existing_mwh=existing_mwh, max_new_mw=max_new_mw,
        max_new_mwh=max_new_mwh, capex_annual_krw_per_mw=capex_mw, capex_annual_krw_per_mwh=capex_mwh,
        fom_krw_per_mw=fom_mw, fom_krw_per_mwh=fom_mwh, vom_krw_per_mwh=vom, efficiency_charge=eta_c,
        efficiency_discharge=eta_d, standing_loss_per_h=loss, fixed_duration_h=duration, linked_across_days=linked_across_days,
        separate_charge_power=charge_max_new_mw is not None, charge_existing_mw=charge_existing_mw,
        charge_max_new_mw=0.0 if charge_max_new_mw is None else charge_max_new_mw,
        charge_capex_annual_krw_per_mw=charge_capex_mw, charge_fom_krw_per_mw=0.0, lifetime_yr=lifetime,
        energy_lifetime_yr=lifetime, charge_lifetime_yr=lifetime,
    )


def link(name, a, b, *, bidirectional=True, existing_mw=0.0, max_new_mw=0.0, capex=0.0, fom=0.0, efficiency=1.0, length_km=100.0):
    return dict(
        link=name, from_region=a, to_region=b, bidirectional=bidirectional, length_km=length_km, existing_mw=existing_mw,
        max_new_mw=max_new_mw, capex_annual_krw_per_mw=capex, fom_krw_per_mw=fom, efficiency=efficiency,
    )


def model_data(regions, demand, generators, availability, storage=(), links=(), weights=None, block=None,
               kinds=None, targets=None, voll=10_000_000.0, carbon=0.0, typical_day_order=None, **pathway_fields):
    """regions: names; demand: {region: [MW per snapshot]} (missing regions get 0). `pathway_fields`: the pathway
    fields of ModelData (pathway, snapshot_period, period_data, build_rate_limits, re100_loads, re100_load_mw,
    fixed_builds)."""
    T = len(next(iter(demand.values())))
    kinds = kinds or {r: "honam" for r in regions}
    dem = pd.DataFrame({r: np.asarray(demand.get(r, np.zeros(T)), float) for r in regions})
    return ModelData(
        regions=list(regions),
        region_kind=kinds,
        time=pd.date_range("2023-01-01", periods=T, freq="h"),
        weight_h=np.ones(T) if weights is None else np.asarray(weights, float),
        duration_h=np.ones(T),
        block=np.zeros(T, dtype=int) if block is None else np.asarray(block),
        demand_mw=dem,
        generators=pd.DataFrame(list(generators), columns=list(GENERATOR_COLUMNS)),
        availability=np.asarray(availability, float).reshape(len(generators), T),
        storage=pd.DataFrame(list(storage), columns=list(STORAGE_COLUMNS)),
        links=pd.DataFrame(list(links), columns=list(LINK_COLUMNS)),
        carbon_price_krw_per_t=carbon,
        value_of_lost_load_krw_per_mwh=voll,
        targets=targets or TargetSettings(),
        name="test",
        typical_day_order=None if typical_day_order is None else np.asarray(typical_day_order),
        **pathway_fields,
    )


def periods(years, *, base_year, rate=0.0, final_span=10):
    """Investment periods; with rate 0 each period's objective weight is the years it stands for."""
    return Pathway.from_years(years, base_year, rate, final_span)


def solve_data(data, method="simplex"):
    """Build, solve and return (dataset, solution)."""
    from re300.model.builder import build_model
    from re300.results.dataset import to_dataset
    from re300.solve.solver import SolverOptions, solve

    built = build_model(data)
    sol = solve(built, SolverOptions(method=method))
    assert sol.optimal, sol.status
    return to_dataset(built, sol), sol
