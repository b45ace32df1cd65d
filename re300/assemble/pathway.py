"""Pathway ModelData: the scenario's snapshots repeated for every investment period, with per-period demand, costs,
existing capacity (vintage retirements), limits on new capacity in service, build-rate limits and targets."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from re300.errors import ConfigError
from re300.model.data import PERIOD_COLUMNS, ModelData, Pathway
from re300.paths import display_path

from .costs import asset_rows
from .re100 import re100_peak_mw, with_re100_loads


def pathway_model_data(sc, tables, base: ModelData, rate: float, cf_columns) -> ModelData:
    """The pathway LP data: the scenario's snapshots repeated for every investment period (time labels moved to the
    period's year; blocks and the calendar order of typical days numbered per period), demand × the period's growth
    (+ RE100 loads), costs of the period's year, existing capacity after the retirements of
    inputs/existing_vintages.csv, limits on new capacity in service (potential − existing, and the schedule of
    inputs/availability_years.csv), build-rate limits (inputs/build_limits.csv) and the targets of each period."""
    pw = sc.pathway
    years = list(pw.periods)
    P = len(years)
    T = base.n_time
    pathway = Pathway.from_years(years, pw.base_year, rate, pw.final_period_years, pw.foresight)
    # time axis
    times, blocks, orders = [], [], []
    nblocks = int(np.max(base.block)) + 1 if T else 0
    for p, y in enumerate(years):
        times.append(pd.DatetimeIndex([t.replace(year=y) for t in base.time]))
        blocks.append(np.asarray(base.block) + p * nblocks)
        if base.typical_day_order is not None:
            orders.append(np.asarray(base.typical_day_order) + p * nblocks)
    snapshot_period = np.repeat(np.arange(P), T)
    demand = pd.concat([base.demand_mw * pw.growth(y, sc.demand.base_year) for y in years], ignore_index=True)
    # per-period costs and capacities
    rows = {y: asset_rows(sc, tables, y, rate, cf_columns) for y in years}
    frames = {"generators": 0, "storage": 2, "links": 3}
    period_data = {}
    for frame, k in frames.items():
        n = len(getattr(base, frame))
        if n == 0:
            continue
        period_data[frame] = {col: np.array([[r[col] for r in rows[y][k]] for y in years], dtype=float).T
                              for col in PERIOD_COLUMNS[frame]}
    _pathway_capacities(sc, tables, base, period_data, years)
    targets = replace(
        base.targets,
        renewable_share_by_period=tuple(pw.targets[y].renewable_share if y in pw.targets else None for y in years),
        export_share_by_period=tuple(pw.targets[y].export_share if y in pw.targets else None for y in years),
    )
    penalty = sc.targets.shortfall_penalty_krw_per_mwh if sc.targets.allow_shortfall else None
    targets.renewable_slack_krw_per_mwh = penalty
    targets.export_slack_krw_per_mwh = penalty
    data = replace(
        base,
        time=pd.DatetimeIndex(np.concatenate([t.values for t in times])),
        weight_h=np.tile(np.asarray(base.weight_h, float), P),
        duration_h=np.tile(np.asarray(base.duration_h, float), P),
        block=np.concatenate(blocks),
        typical_day_order=np.concatenate(orders) if orders else None,
        demand_mw=demand,
        availability=np.tile(np.asarray(base.availability, float), (1, P)),
        pathway=pathway,
        snapshot_period=snapshot_period,
        period_data=period_data,
        targets=targets,
        build_rate_limits=_build_rate_limits(sc, tables, base) if pw.build_limits else None,
    )
    if sc.re100_loads:
        data = with_re100_loads(data, list(sc.re100_loads), [np.flatnonzero(snapshot_period == p) for p in range(P)], years)
    if base.export_headroom_mw is not None:
        data.export_headroom_mw = pd.concat([base.export_headroom_mw] * P, ignore_index=True)
    if base.adequacy is not None:  # Honam's peak x each period's growth, plus the RE100 loads active then
        growth = np.array([pw.growth(y, sc.demand.base_year) for y in years])
        re100 = np.array([re100_peak_mw([l for l in sc.re100_loads if l.from_year is None or y >= l.from_year])
                          for y in years])
        data.adequacy = replace(base.adequacy, peak_demand_mw=base.adequacy.peak_demand_mw[0] * growth + re100)
    return data


def _pathway_capacities(sc, tables, base: ModelData, period_data: dict, years) -> None:
    """Existing capacity per period (vintage retirements) and the limit on new capacity in service per period:
    min(total allowed − existing in the period, availability schedule), where total allowed = base-year existing +
    base-year max_new (potential after scenario factors); an asset that may not expand in the base year never does."""
    pw = sc.pathway
    vint = {y: tables.existing_in_service(y) for y in years}

    def existing(frame_df, param, base_col):
        """(rows x periods): the base-year value, or with retirements the vintages still in service."""
        out = np.repeat(frame_df[base_col].to_numpy(float)[:, None], len(years), axis=1)
        if not pw.retire_existing:
            return out
        for i, (t, r) in enumerate(zip(frame_df["technology"], frame_df["region"])):
            if _has_vintages(tables, r, t, param):
                out[i] = [float(np.nan_to_num(vint[y][param].get((r, t), 0.0), nan=0.0)) for y in years]
        return out

    def limit(ex_base, max_new_base, ex_p, schedule_keys=None):
        """(rows x periods) limit on new capacity in service; schedule_keys: (asset, region) per row for the
        availability schedule, or None."""
        allowed_total = ex_base + max_new_base  # inf stays inf
        out = np.where(max_new_base[:, None] > 0, np.maximum(allowed_total[:, None] - ex_p, 0.0), 0.0)
        if pw.availability_years and schedule_keys is not None:
            for i, (a, r) in enumerate(schedule_keys):
                out[i] = np.minimum(out[i], [tables.availability_limit(a, r, y) for y in years])
        return out

    g = base.generators
    if len(g):
        ex = existing(g, "existing", "existing_mw")
        period_data["generators"]["existing_mw"] = ex
        period_data["generators"]["max_new_mw"] = limit(g["existing_mw"].to_numpy(float), g["max_new_mw"].to_numpy(float), ex,
                                                        list(zip(g["technology"], g["region"])))
    s = base.storage
    if len(s):
        pdt = period_data["storage"]
        for param, ex_col, lim_col, scheduled in (("existing", "existing_mw", "max_new_mw", True),
                                                  ("existing_energy", "existing_mwh", "max_new_mwh", False),
                                                  ("existing_charge", "charge_existing_mw", "charge_max_new_mw", False)):
            ex = existing(s, param, ex_col)
            pdt[ex_col] = ex
            pdt[lim_col] = limit(s[ex_col].to_numpy(float), s[lim_col].to_numpy(float), ex,
                                 list(zip(s["technology"], s["region"])) if scheduled else None)
    links = base.links
    if len(links):
        ex = np.repeat(links["existing_mw"].to_numpy(float)[:, None], len(years), axis=1)
        period_data["links"]["existing_mw"] = ex
        period_data["links"]["max_new_mw"] = limit(ex[:, 0], links["max_new_mw"].to_numpy(float), ex,
                                                   [(name, "") for name in links["link"]])


def _has_vintages(tables, region, tech, param) -> bool:
    v = tables.raw["existing_vintages.csv"]
    return bool(((v["region"] == region) & (v["technology"] == tech) & (v["parameter"] == param)).any())


def _build_rate_limits(sc, tables, base: ModelData) -> pd.DataFrame:
    """inputs/build_limits.csv rows, scaled by pathway.build_rate_factor (a row takes the factor given for its
    technologies; rows mixing technologies with different factors are an error). `status`: the row's found /
    estimate, or 'scenario lever: pathway.build_rate_factor.<technology>' where a factor other than 1 scales it."""
    lim = tables.build_limits()
    families = tables.technologies["family"]
    factors, frames, status = [], [], []
    for techs, row_status in zip(lim["technologies"], lim["status"]):
        given = {sc.pathway.build_rate_factor[t] for t in techs.split("+") if t in sc.pathway.build_rate_factor}
        if len(given) > 1:
            raise ConfigError(display_path(sc.origin("pathway", "build_rate_factor") or sc.source_file or "<scenario>"),
                              "pathway.build_rate_factor",
                              f"the build limit on {techs} (inputs/build_limits.csv) gets different factors {sorted(given)}; "
                              "expected one factor for all technologies of a limit")
        factor = given.pop() if given else 1.0
        factors.append(factor)
        lever = next((t for t in techs.split("+") if t in sc.pathway.build_rate_factor), None)
        status.append(f"scenario lever: pathway.build_rate_factor.{lever}" if factor != 1.0 else str(row_status))
        frames.append("storage" if families[techs.split("+")[0]] == "storage" else "generators")
    out = lim[["name", "technologies", "regions"]].copy()
    out["frame"] = frames
    out["max_mw_per_yr"] = lim["max_mw_per_yr"].to_numpy(float) * np.asarray(factors)
    out["status"] = status
    return out
