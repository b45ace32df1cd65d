"""Results in calendar time: every hour of the weather year (8,760 h), whatever the horizon the LP solved (a
multi-year plan, `weather.planning_years`: every hour of its weather years one after another, each hour standing for
1/years of an hour of the year).

    cal = re300.calendar(ds)            # ds = re300.open_results("re300_2050"); a pathway: one period (period=2050)
    cal.dispatch_mw.sel(time="2023-07") # the hours of July, each taking the values of the snapshot standing for it
    cal.soc_mwh                          # stored energy at the end of each hour (absolute, linked storage included)

The calendar is computed from `results.nc` on load (a gather along the time axis: about 0.1 s for the flagship), not
stored in it: see README "Outputs" for the measurement that decided this. Per horizon:

- **representative days** (`input_typical_day_order`): calendar day d takes the values of the typical day standing for it;
  a segment of k hours spreads its (mean) power over its k hours. The state of charge of storage linked across days
  (Kotzur et al. 2018) is the inter-day level of that calendar day (`soc_inter_mwh`), decayed by the standing loss over
  the hours elapsed, plus the typical day's level relative to its start; within a segment the relative level is
  interpolated linearly between the segment's ends. Storage cycling within each typical day (`storage_within_day`)
  takes the typical day's level.
- **selected weeks**: the modelled weeks in place; every other hour is *not modelled*: NaN values, weight 0,
  `modelled` False. Nothing is invented for them.
- **full year**: the identity (with `resolution_hours: k`, each k-hour snapshot spread over its k hours).
- **pathway**: per investment period (`period=year`, or all periods stacked along `period`).

The calendar Dataset keeps every variable of the run; those on `time` are on the calendar hours, `weight_h` becomes
the hours of the year each calendar hour stands for (1 for representative days and the full year, the week's weight
for selected weeks, 0 where not modelled), so Σ value × weight_h over the calendar equals the run's annual totals
(`energy.csv`) and the table functions of re300.results.tables work on it unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

HOURS_PER_DAY = 24
DAYS = 365
HOURS = DAYS * HOURS_PER_DAY
NOT_MODELLED = "not_modelled"  # calendar.csv `snapshot` of an hour outside the selected weeks


@dataclass(frozen=True)
class CalendarIndex:
    """For each hour of the calendar year: the snapshot it takes its values from (-1 = not modelled), the hours of the
    year it stands for, its position in that snapshot (0 .. duration-1) and, for representative days, its calendar day.
    """

    time: pd.DatetimeIndex  # the 8,760 calendar hours (KST, hour-beginning)
    snapshot: np.ndarray  # int, -1 where not modelled
    weight_h: np.ndarray
    offset: np.ndarray  # hour within the snapshot
    mode: str  # "representative" | "weeks" | "full"

    @property
    def modelled(self) -> np.ndarray:
        return self.snapshot >= 0


def is_pathway(ds: xr.Dataset) -> bool:
    return "time_period" in ds.coords


def calendar_year(ds: xr.Dataset) -> int:
    """The weather year the snapshots are labelled in."""
    return int(pd.DatetimeIndex(ds["time"].values).min().year)


def calendar_hours(year: int) -> pd.DatetimeIndex:
    """The 8,760 hours of `year` (KST, hour-beginning), 29 February dropped in leap years (the model's 365-day year;
    pathway periods relabel the weather year's snapshots to their own year)."""
    hours = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    return hours[~((hours.month == 2) & (hours.day == 29))]


def calendar_index(ds: xr.Dataset) -> CalendarIndex:
    """The calendar mapping of a single-year run (or one period of a pathway, re300.results.rebuild.period_view)."""
    if is_pathway(ds):
        raise ValueError("a pathway Dataset has one calendar per investment period: pass period_view(ds, year)")
    time = pd.DatetimeIndex(ds["time"].values)
    duration = np.asarray(ds["input_duration_h"].values, float) if "input_duration_h" in ds else np.ones(len(time))
    hours = calendar_hours(calendar_year(ds))
    years = 1
    if "input_typical_day_order" in ds:  # a multi-year plan's days run through its weather years one after another
        years = max(1, len(ds["input_typical_day_order"]) // DAYS)
        hours = hours.append([calendar_hours(calendar_year(ds) + j) for j in range(1, years)])
    snapshot = np.full(len(hours), -1, dtype=np.int64)
    offset = np.zeros(len(hours), dtype=np.int64)
    weight = np.zeros(len(hours))
    if "input_typical_day_order" in ds:
        order = np.asarray(ds["input_typical_day_order"].values, np.int64)
        if len(order) != years * DAYS:
            raise ValueError(f"input_typical_day_order has {len(order)} days, expected {DAYS} (or whole years of {DAYS})")
        block = np.asarray(ds["input_block"].values, np.int64)
        day_map = {}
        for b in np.unique(block):
            idx = np.flatnonzero(block == b)
            dur = np.rint(duration[idx]).astype(np.int64)
            if dur.sum() != HOURS_PER_DAY:
                raise ValueError(f"typical day {b} lasts {dur.sum()} h, expected {HOURS_PER_DAY}")
            day_map[int(b)] = (np.repeat(idx, dur), np.concatenate([np.arange(k) for k in dur]))
        for d, b in enumerate(order):
            snaps, offs = day_map[int(b)]
            snapshot[d * HOURS_PER_DAY:(d + 1) * HOURS_PER_DAY] = snaps
            offset[d * HOURS_PER_DAY:(d + 1) * HOURS_PER_DAY] = offs
        weight[:] = 1.0 / years  # each weather year stands for 1/years of the year
        mode = "representative"
        w = np.asarray(ds["weight_h"].values, float)
        if not np.allclose(np.bincount(snapshot, minlength=len(time)) / years, w, rtol=1e-9, atol=1e-6):
            raise ValueError("the calendar days do not reproduce the snapshot weights (weight_h)")
    else:
        start = hours.get_indexer(time)
        if (start < 0).any():
            raise ValueError(f"snapshot {time[np.flatnonzero(start < 0)[0]]} is not an hour of {hours[0].year}")
        dur = np.rint(duration).astype(np.int64)
        w = np.asarray(ds["weight_h"].values, float)
        for t, (s, k) in enumerate(zip(start, dur)):
            lo, hi = max(s, 0), min(s + k, len(hours))
            snapshot[lo:hi] = t
            offset[lo:hi] = np.arange(lo - s, hi - s)
            weight[lo:hi] = w[t] / k
        mode = "full" if (snapshot >= 0).all() and np.allclose(weight, 1.0) else "weeks"
    return CalendarIndex(hours, snapshot, weight, offset, mode)


def _previous_in_block(block: np.ndarray) -> np.ndarray:
    """Index of the snapshot before t in its block (-1 for the first snapshot of a block)."""
    prev = np.arange(len(block)) - 1
    starts = np.r_[True, block[1:] != block[:-1]]
    prev[starts] = -1
    return prev


def _cyclic_previous(block: np.ndarray) -> np.ndarray:
    """Index of the snapshot before t in its block, wrapping to the block's last snapshot (the LP's cyclic rule,
    re300.model.storage.previous_snapshot; repeated here so that reading results does not import the model layer)."""
    prev = np.arange(len(block)) - 1
    starts = np.r_[True, block[1:] != block[:-1]]
    ends = np.r_[block[1:] != block[:-1], True]
    prev[np.flatnonzero(starts)] = np.flatnonzero(ends)
    return prev


def storage_level(ds: xr.Dataset, index: CalendarIndex | None = None) -> xr.DataArray:
    """Stored energy at the end of every calendar hour [MWh] (technology, region, time): absolute levels, linked
    storage reconstructed from its inter-day level (see the module docstring). NaN where not modelled or where a
    technology has no storage in a region."""
    index = index or calendar_index(ds)
    soc = np.asarray(ds["soc_mwh"].transpose("technology", "region", "time").values, float)
    block = np.asarray(ds["input_block"].values, np.int64) if "input_block" in ds else np.zeros(soc.shape[-1], np.int64)
    duration = np.asarray(ds["input_duration_h"].values, float) if "input_duration_h" in ds else np.ones(soc.shape[-1])
    snap = index.snapshot.clip(min=0)
    frac = (index.offset + 1) / duration[snap]  # share of the snapshot elapsed at the end of the hour
    linked = np.zeros(soc.shape[:2], dtype=bool)
    if "soc_inter_mwh" in ds and "input_storage_linked_across_days" in ds and index.mode == "representative":
        flag = ds["input_storage_linked_across_days"].transpose("technology", "region").values
        linked = np.nan_to_num(flag) > 0
    n_hours = len(index.time)
    out = np.full(soc.shape[:2] + (n_hours,), np.nan)
    # levels at the start of each snapshot: the previous snapshot's end (cyclic within a block), or 0 at the start of
    # a typical day for linked storage (its level there is relative to the day's start)
    start_cyclic = soc[..., _cyclic_previous(block)]
    prev_in_block = _previous_in_block(block)
    start_rel = np.where(prev_in_block >= 0, soc[..., prev_in_block.clip(min=0)], 0.0)
    for ti in range(soc.shape[0]):
        for ri in range(soc.shape[1]):
            if np.isnan(soc[ti, ri]).all():
                continue
            if linked[ti, ri]:
                rel = start_rel[ti, ri, snap] + frac * (soc[ti, ri, snap] - start_rel[ti, ri, snap])
                inter = ds["soc_inter_mwh"].sel(technology=ds.technology.values[ti], region=ds.region.values[ri]).values
                loss = float(ds["input_storage_standing_loss_per_h"].values[ti, ri]) \
                    if "input_storage_standing_loss_per_h" in ds else 0.0
                hour_of_day = np.arange(n_hours) % HOURS_PER_DAY + 1  # hours elapsed at the end of the hour
                out[ti, ri] = np.repeat(inter, HOURS_PER_DAY) * (1.0 - loss) ** hour_of_day + rel
            else:
                start = start_cyclic[ti, ri, snap]
                out[ti, ri] = start + frac * (soc[ti, ri, snap] - start)
    out[..., ~index.modelled] = np.nan
    return xr.DataArray(out, dims=("technology", "region", "time"),
                        coords={"technology": ds["technology"].values, "region": ds["region"].values,
                                "time": index.time},
                        attrs={"units": "MWh", "description": "stored energy at the end of each calendar hour "
                               "(absolute; linked storage: inter-day level + level within the typical day)"})


def _gather(ds: xr.Dataset, index: CalendarIndex, level: xr.DataArray | None) -> xr.Dataset:
    """Every variable of `ds` with the snapshots' time axis replaced by the calendar hours of `index` (whose snapshot
    numbers index ds's time axis); `level` (the calendar state of charge) replaces soc_mwh."""
    snap = index.snapshot.clip(min=0)
    modelled = xr.DataArray(index.modelled, dims="time")
    timed = [v for v in ds.data_vars if "time" in ds[v].dims]
    timed_coords = [c for c in ds.coords if c != "time" and "time" in ds[c].dims]
    rest = ds.drop_vars(timed + timed_coords + ["time"])
    gathered = ds[timed].isel(time=snap).drop_vars("time").where(modelled)
    for v in timed:
        gathered[v].attrs = dict(ds[v].attrs)
    out = rest.merge(gathered.assign_coords(time=("time", index.time)))
    out["time"].attrs = dict(ds["time"].attrs)
    for c in timed_coords:  # e.g. time_period of a pathway: that of the snapshot, which is that of the calendar hour
        out = out.assign_coords({c: ("time", ds[c].values[snap])})
        out[c].attrs = dict(ds[c].attrs)
    snapshot_time = np.where(index.modelled, pd.DatetimeIndex(ds["time"].values)[snap].values,
                             np.datetime64("NaT", "ns"))
    out = out.assign_coords(snapshot=("time", snapshot_time), modelled=("time", index.modelled))
    out["snapshot"].attrs = {"description": "time label of the snapshot (results.nc, hourly.csv) this hour takes its "
                                            "values from; NaT where not modelled"}
    out["modelled"].attrs = {"description": "False for hours outside the modelled weeks (values NaN, weight 0)"}
    out["weight_h"] = xr.DataArray(index.weight_h, dims="time", attrs={
        "units": "h", "description": "hours of the year each calendar hour stands for (1 for representative days and "
                                     "the full year; the week's weight for selected weeks; 0 where not modelled)"})
    if "input_duration_h" in out:
        out["input_duration_h"] = xr.DataArray(np.where(index.modelled, 1.0, np.nan), dims="time",
                                               attrs={"units": "h", "description": "calendar hour length"})
    if level is not None:
        out["soc_mwh"] = level.assign_coords(time=index.time)
    out.attrs = {**ds.attrs, "calendar": index.mode,
                 "calendar_note": "values of each calendar hour taken from the snapshot standing for it "
                                  "(re300.results.calendar)"}
    return out


def _single(ds: xr.Dataset) -> xr.Dataset:
    index = calendar_index(ds)
    return _gather(ds, index, storage_level(ds, index) if "soc_mwh" in ds else None)


def pathway_index(ds: xr.Dataset) -> tuple[CalendarIndex, list[xr.DataArray]]:
    """A pathway's calendars, one year per investment period one after another (each in the period's own year, as
    its snapshots are labelled), with snapshot numbers on the pathway's time axis; and each period's storage level."""
    from .rebuild import period_view

    parts, levels = [], []
    for y in (int(v) for v in ds["period"].values):
        view = period_view(ds, y)
        index = calendar_index(view)
        where = np.flatnonzero(ds["time_period"].values == y)
        parts.append(CalendarIndex(index.time, np.where(index.modelled, where[index.snapshot.clip(min=0)], -1),
                                   index.weight_h, index.offset, index.mode))
        if "soc_mwh" in ds:
            levels.append(storage_level(view, index))
    index = CalendarIndex(parts[0].time.append([p.time for p in parts[1:]]), np.concatenate([p.snapshot for p in parts]),
                          np.concatenate([p.weight_h for p in parts]), np.concatenate([p.offset for p in parts]),
                          parts[0].mode)
    return index, levels


def calendar(ds: xr.Dataset, period: int | None = None) -> xr.Dataset:
    """The run in calendar time (module docstring). A pathway gives one period (`period=year`, shaped like a
    single-year run) or, by default, every period's year one after another on the time axis with a `time_period`
    coordinate, as in results.nc (re300.results.rebuild.period_view selects one)."""
    if not is_pathway(ds):
        if period is not None:
            raise ValueError("period= is for pathway runs; this run has one year")
        return _single(ds)
    if period is not None:
        from .rebuild import period_view

        years = [int(y) for y in ds["period"].values]
        if int(period) not in years:
            raise ValueError(f"period {period} not in this pathway (periods {', '.join(map(str, years))})")
        return _single(period_view(ds, int(period)))
    index, levels = pathway_index(ds)
    level = xr.concat(levels, dim="time") if levels else None
    return _gather(ds, index, level)


# ---- tables (calendar.csv, storage_level.csv) -------------------------------------------------------------------
def calendar_table(ds: xr.Dataset) -> pd.DataFrame:
    """calendar.csv: one row per calendar hour: `time`, `snapshot` (the time label in hourly.csv / prices.csv whose
    values it takes; `not_modelled` outside selected weeks) and `weight_h` (hours of the year the calendar hour
    stands for, 0 where not modelled)."""
    index = calendar_index(ds)
    labels = pd.DatetimeIndex(ds["time"].values)[index.snapshot.clip(min=0)]
    snapshot = pd.Series(labels.strftime("%Y-%m-%d %H:%M:%S"), dtype=object)
    snapshot[~index.modelled] = NOT_MODELLED
    return pd.DataFrame({"time": index.time.strftime("%Y-%m-%d %H:%M:%S"), "snapshot": snapshot.to_numpy(),
                         "weight_h": index.weight_h})


def storage_level_table(ds: xr.Dataset) -> pd.DataFrame:
    """storage_level.csv: stored energy at the end of every modelled calendar hour [MWh] per region and technology,
    for storage with energy capacity in service (absolute levels; hours outside selected weeks are left out)."""
    cols = ["time", "region", "technology", "value", "unit"]
    if "soc_mwh" not in ds:
        return pd.DataFrame(columns=cols)
    index = calendar_index(ds)
    level = storage_level(ds, index)
    cap = ds["energy_capacity_total_mwh"]
    keep = index.modelled
    times = index.time[keep].strftime("%Y-%m-%d %H:%M:%S")
    frames = []
    for r in ds.region.values:
        for t in ds.technology.values:
            c = float(cap.sel(technology=t, region=r))
            if not np.isfinite(c) or c <= 0:
                continue
            v = level.sel(technology=t, region=r).values[keep]
            frames.append(pd.DataFrame({"time": times, "region": str(r), "technology": str(t), "value": v}))
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["unit"] = "MWh"
    return out
