"""Scenario + validated input tables + snapshots → ModelData for one planning year (or, with a `pathway` section, the
base from which `re300.assemble.pathway` repeats the snapshots for every investment period)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from re300.model.data import ModelData, TargetSettings

from .committed import capacities_in_service, committed_builds
from .costs import asset_rows, discount_rate
from .profiles import floor_capacity_factors
from .re100 import with_re100_loads


def _demand_frame(regions, snap) -> pd.DataFrame:
    """Demand per snapshot [MW] for every region (zero where the snapshots carry none, e.g. export regions)."""
    demand = pd.DataFrame(0.0, index=range(len(snap.time)), columns=regions)
    for r in snap.demand.columns:
        demand[r] = snap.demand[r].to_numpy(float)
    return demand


def target_settings(sc) -> TargetSettings:
    """The scenario's annual targets; a priced shortfall when `targets.allow_shortfall` (default)."""
    t = sc.targets
    penalty = t.shortfall_penalty_krw_per_mwh if t.allow_shortfall else None
    return TargetSettings(
        renewable_share=t.renewable_share, export_share=t.export_share,
        deduct_storage_losses=t.deduct_storage_losses, deduct_transmission_losses=t.deduct_transmission_losses,
        renewable_slack_krw_per_mwh=penalty if t.renewable_share is not None else None,
        export_slack_krw_per_mwh=penalty if t.export_share is not None else None,
    )


def _price(scenario_value, tables, constant: str) -> float:
    """A scenario price, else the constant of inputs/constants.csv."""
    return scenario_value if scenario_value is not None else tables.constant(constant)


def assemble_model_data(sc, tables, snap) -> ModelData:
    """Combine scenario, validated tables and the snapshots (capacity factors and demand) into ModelData.

    Costs are annualised here (`re300.assemble.costs`); capacity factors below CAPACITY_FACTOR_FLOOR are zeroed.
    A single year counts the existing renewables and storage still in service in `sc.year` (existing_vintages.csv);
    the scenario's committed projects become lower bounds on new capacity (`re300.assemble.committed`).
    With a `pathway` section the snapshots are repeated for every investment period (`pathway_model_data`).
    """
    from .pathway import pathway_model_data

    rate = discount_rate(sc, tables)
    cf = snap.cf
    T = len(snap.time)
    # a single year counts only the existing renewables and storage still in service then (the pathway does this per
    # period from the base-year capacities)
    caps = capacities_in_service(tables, sc.year) if sc.pathway is None else None
    gens, gen_keys, stores, links = asset_rows(sc, tables, sc.cost_year, rate, set(cf.columns), caps)
    gen_cf = [cf[k].to_numpy(float) if k is not None else np.ones(T) for k in gen_keys]
    regions = list(tables.regions.index)
    data = ModelData(
        regions=regions,
        region_kind={r: str(k) for r, k in tables.regions["kind"].items()},
        time=snap.time,
        weight_h=snap.weight_h,
        duration_h=snap.duration_h,
        block=snap.block,
        period_order=snap.period_order,
        demand_mw=_demand_frame(regions, snap),
        generators=pd.DataFrame(gens),
        availability=floor_capacity_factors(np.clip(np.vstack(gen_cf), 0.0, 1.0)) if gen_cf else np.zeros((0, T)),
        storage=pd.DataFrame(stores),
        links=pd.DataFrame(links),
        carbon_price_krw_per_t=_price(sc.prices.carbon_price_krw_per_t, tables, "carbon_price"),
        value_of_lost_load_krw_per_mwh=_price(sc.prices.value_of_lost_load_krw_per_mwh, tables, "value_of_lost_load"),
        targets=target_settings(sc),
        name=sc.name,
    )
    if sc.pathway is not None:
        data = pathway_model_data(sc, tables, data, rate, set(cf.columns))
        return replace(data, committed_builds=committed_builds(sc, data))
    if sc.re100_loads:
        loads = [l for l in sc.re100_loads if l.from_year is None or sc.year >= l.from_year]
        data = with_re100_loads(data, loads, [list(range(T))], [sc.year])
    return replace(data, committed_builds=committed_builds(sc, data))
