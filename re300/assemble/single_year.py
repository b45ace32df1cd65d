"""Scenario + validated input tables + snapshots → ModelData for one planning year (or, with a `pathway` section, the
base from which `re300.assemble.pathway` repeats the snapshots for every investment period)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from re300.model.data import ModelData, TargetSettings

from .committed import capacities_in_service, committed_builds
from .costs import asset_rows, discount_rate
from .deliverability import adequacy_settings, bound_status, export_headroom, export_values
from .profiles import floor_capacity_factors
from .re100 import re100_peak_mw, with_re100_loads


def _demand_frame(regions, kinds, snap) -> pd.DataFrame:
    """Demand per snapshot [MW] that the LP serves: the honam regions' (export regions 0: their own demand only bounds
    what they can take, `re300.assemble.deliverability.export_headroom`)."""
    demand = pd.DataFrame(0.0, index=range(len(snap.time)), columns=regions)
    for r in snap.demand.columns:
        if kinds.get(r) == "honam":
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
        renewable_only_exports=sc.exports.renewable_only, sales_count_as_export=sc.exports.hydrogen_sales_count,
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
    for frame, rows in (("generators", gens), ("storage", stores), ("links", links)):
        for col, statuses in bound_status(sc, tables, frame, rows).items():
            for row, status in zip(rows, statuses):
                row[col] = status
    regions = list(tables.regions.index)
    kinds = {r: str(k) for r, k in tables.regions["kind"].items()}
    data = ModelData(
        regions=regions,
        region_kind=kinds,
        time=snap.time,
        weight_h=snap.weight_h,
        duration_h=snap.duration_h,
        block=snap.block,
        typical_day_order=snap.typical_day_order,
        demand_mw=_demand_frame(regions, kinds, snap),
        generators=pd.DataFrame(gens),
        availability=floor_capacity_factors(np.clip(np.vstack(gen_cf), 0.0, 1.0)) if gen_cf else np.zeros((0, T)),
        storage=pd.DataFrame(stores),
        links=pd.DataFrame(links),
        carbon_price_krw_per_t=_price(sc.prices.carbon_price_krw_per_t, tables, "carbon_price"),
        value_of_lost_load_krw_per_mwh=_price(sc.prices.value_of_lost_load_krw_per_mwh, tables, "value_of_lost_load"),
        targets=target_settings(sc),
        name=sc.name,
        export_headroom_mw=export_headroom(sc, tables, snap),
        export_value_krw_per_mwh=export_values(sc, tables),
        adequacy=adequacy_settings(sc, tables, snap, [1.0]),  # Honam's peak; RE100 loads and growth added below
    )
    if sc.pathway is not None:
        data = pathway_model_data(sc, tables, data, rate, set(cf.columns))
        return replace(data, committed_builds=committed_builds(sc, data))
    loads = [l for l in sc.re100_loads if l.from_year is None or sc.year >= l.from_year]
    if loads:
        data = with_re100_loads(data, loads, [list(range(T))], [sc.year])
        if data.adequacy is not None:
            data.adequacy = replace(data.adequacy, peak_demand_mw=data.adequacy.peak_demand_mw + re100_peak_mw(loads))
    return replace(data, committed_builds=committed_builds(sc, data))
