"""From full-year hourly series to the snapshots the LP solves: the full year, selected weeks, or
representative (typical) days chosen by tsam, with the weights that scale every annual quantity.

All three return the same `Snapshots`: per-snapshot time label, weight (hours of the year it stands for),
duration (hours it lasts), block (storage cycles within a block), the capacity factors and demand on those
snapshots, and — for representative days — `typical_day_order`, the typical day standing for each of the 365 days
in calendar order, which the storage formulation uses to link state of charge across days.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

HOURS_PER_DAY = 24
DAYS = 365


@dataclass
class Snapshots:
    time: pd.DatetimeIndex
    weight_h: np.ndarray
    duration_h: np.ndarray
    block: np.ndarray
    cf: pd.DataFrame  # snapshots x (technology, region) columns
    demand: pd.DataFrame  # snapshots x region columns [MW]
    typical_day_order: np.ndarray | None = None
    info: dict = field(default_factory=dict)


def stack_years(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Weather years one after another (multi-year planning): frame j (8760 rows) relabelled to the 365-day year
    first_year + j, first_year the year of the first frame's labels (29 February dropped in leap years)."""
    y0 = int(frames[0].index[0].year)
    out = []
    for j, f in enumerate(frames):
        if len(f) != DAYS * HOURS_PER_DAY:
            raise ValueError(f"weather year {j} has {len(f)} hours, expected {DAYS * HOURS_PER_DAY}")
        hours = pd.date_range(f"{y0 + j}-01-01", f"{y0 + j}-12-31 23:00", freq="h")
        hours = hours[~((hours.month == 2) & (hours.day == 29))]
        out.append(f.set_axis(pd.DatetimeIndex(hours.to_numpy().astype("datetime64[ns]"), name=f.index.name)))
    return pd.concat(out)


def select_snapshots(time_cfg, cf_full: pd.DataFrame, demand_full: pd.DataFrame) -> Snapshots:
    """Snapshots for the scenario's `time` section from 8760-h capacity factors and demand (same index); several
    weather years one after another (`stack_years`, multi-year planning) only for representative days."""
    hours_per_year = DAYS * HOURS_PER_DAY
    years = len(cf_full) // hours_per_year
    if years < 1 or len(cf_full) != years * hours_per_year or not cf_full.index.equals(demand_full.index):
        raise ValueError("capacity factors and demand must share one 8760-h index (or whole years of 8760 h)")
    if time_cfg.mode == "representative":
        return representative_days(cf_full, demand_full, time_cfg.typical_days, time_cfg.segments, time_cfg.extremes,
                                   years=years)
    if years > 1:
        raise ValueError(f"{years} weather years need time.mode representative")
    hours = time_cfg.hours_of_year()
    k = int(getattr(time_cfg, "resolution_hours", 1))
    snap = Snapshots(
        time=pd.DatetimeIndex(cf_full.index[hours]),
        weight_h=time_cfg.hour_weights(),
        duration_h=np.ones(len(hours)),
        block=time_cfg.blocks(),
        cf=cf_full.iloc[hours].reset_index(drop=True),
        demand=demand_full.iloc[hours].reset_index(drop=True),
        info={"mode": time_cfg.mode, "snapshots": len(hours), "resolution_hours": k},
    )
    return coarsen(snap, k) if k > 1 else snap


def coarsen(snap: Snapshots, k: int) -> Snapshots:
    """Average every k consecutive hours into one snapshot of duration k (blocks are multiples of 24 h, so no
    snapshot spans two blocks): capacity factors and demand are means, weights the sum of the hours' weights."""
    T = len(snap.time)
    if T % k or np.any(snap.block.reshape(-1, k) != snap.block.reshape(-1, k)[:, :1]):
        raise ValueError(f"cannot merge {k} hours: the horizon or a block is not a multiple of {k} h")

    def mean(frame):
        return pd.DataFrame(frame.to_numpy(float).reshape(T // k, k, -1).mean(axis=1), columns=frame.columns)

    return Snapshots(
        time=pd.DatetimeIndex(snap.time[::k]),
        weight_h=snap.weight_h.reshape(-1, k).sum(axis=1),
        duration_h=snap.duration_h.reshape(-1, k).sum(axis=1),
        block=snap.block[::k],
        cf=mean(snap.cf),
        demand=mean(snap.demand),
        typical_day_order=snap.typical_day_order,
        info={**snap.info, "snapshots": T // k},
    )


def representative_days(cf_full: pd.DataFrame, demand_full: pd.DataFrame, typical_days: int, segments: int | None,
                        extremes: bool, years: int = 1) -> Snapshots:
    """Typical days by tsam (hierarchical clustering, medoid days, column means preserved).

    With `extremes`, the day holding the hour of peak Honam demand and the day of least mean wind output become
    typical days of their own, each standing for that one day only, with its profile as it was (tsam `append`; one
    day if the same day holds both), so capacity adequacy is not averaged away. (tsam's `new_cluster` would also
    move every day nearer to the extreme profile than to its cluster's medoid into the extreme day, and those
    days would take its profile unrescaled.) tsam's own word for a typical day is "period". With `segments`, the
    hours of each typical day are merged into that many segments of varying length, each the mean of its hours.
    With `years` > 1 (multi-year planning) the input holds that many weather years one after another: the days are
    drawn from all of them, each day stands for 1/years of a day of the year (weights sum to 8760 h), and
    `typical_day_order` runs through all their days.
    """
    import tsam

    cf_cols = [f"cf|{t}|{r}" for t, r in cf_full.columns]
    dem_cols = [f"demand|{r}" for r in demand_full.columns]
    data = pd.DataFrame(np.hstack([cf_full.to_numpy(float), demand_full.to_numpy(float)]), index=cf_full.index,
                        columns=cf_cols + dem_cols)
    wind = [c for c, (t, _) in zip(cf_cols, cf_full.columns) if "wind" in t]
    data["_demand_total"] = demand_full.to_numpy(float).sum(axis=1)
    if wind:
        data["_wind_total"] = data[wind].sum(axis=1)
    kwargs = {}
    if extremes:
        kwargs["extremes"] = tsam.ExtremeConfig(
            method="append", max_value=["_demand_total"], min_period=["_wind_total"] if wind else [],
        )
    if segments:
        kwargs["segments"] = tsam.SegmentConfig(n_segments=int(segments))
    result = tsam.aggregate(data, int(typical_days), period_duration=HOURS_PER_DAY,
                            cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"), **kwargs)
    reps = result.cluster_representatives
    counts = dict(result.cluster_counts)
    assignment = np.asarray(result.cluster_assignments, dtype=int)
    clusters = sorted(counts)
    pos = {c: i for i, c in enumerate(clusters)}
    durations = result.segment_durations if segments else None

    time, weight, duration, block, rows = [], [], [], [], []
    for c in clusters:
        first_day = int(np.flatnonzero(assignment == c)[0])
        block_rows = reps.loc[c]
        steps = len(block_rows)
        seg = list(durations[c]) if durations is not None else [1] * steps
        offset = 0
        for k in range(steps):
            time.append(cf_full.index[first_day * HOURS_PER_DAY] + pd.Timedelta(hours=offset))
            duration.append(float(seg[k]))
            weight.append(float(counts[c]) * float(seg[k]) / years)
            block.append(pos[c])
            offset += int(seg[k])
        rows.append(block_rows.to_numpy(float))
    values = np.vstack(rows)
    frame = pd.DataFrame(values, columns=list(reps.columns))
    cf = pd.DataFrame(np.clip(frame[cf_cols].to_numpy(float), 0.0, 1.0), columns=cf_full.columns)
    demand = pd.DataFrame(np.maximum(frame[dem_cols].to_numpy(float), 0.0), columns=demand_full.columns)
    weight = np.asarray(weight)
    if abs(weight.sum() - DAYS * HOURS_PER_DAY) > 1e-6:
        raise RuntimeError(f"representative days stand for {weight.sum()} h, expected 8760")
    return Snapshots(
        time=pd.DatetimeIndex(time), weight_h=weight, duration_h=np.asarray(duration), block=np.asarray(block),
        cf=cf, demand=demand, typical_day_order=np.array([pos[c] for c in assignment]),
        info={"mode": "representative", "typical_days": len(clusters), "requested_typical_days": int(typical_days),
              "segments": segments, "extremes": bool(extremes), "snapshots": len(time), "weather_years": int(years)},
    )
