"""RE100 loads (data centres, industrial complexes buying renewable power) added to demand and recorded for the hourly
matching of `re300.model.re100`."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from re300.model.data import ModelData


def re100_load_series(load, time: pd.DatetimeIndex, duration_h: np.ndarray) -> np.ndarray:
    """A RE100 load per snapshot [MW]: mw × its daily profile averaged over the hours the snapshot lasts."""
    prof = load.profile()
    hours = np.asarray(time.hour, dtype=np.int64)
    dur = np.maximum(np.rint(np.asarray(duration_h, float)).astype(np.int64), 1)
    return np.array([load.mw * prof[(h + np.arange(d)) % 24].mean() for h, d in zip(hours, dur)])


def with_re100_loads(data: ModelData, loads, snapshots_by_period, years) -> ModelData:
    """Add the scenario's RE100 loads to demand (each from its from_year on) and record them for the matching.

    snapshots_by_period: the snapshot indices of each investment period; years: the period's year (None = always)."""
    if not loads:
        return data
    series = np.zeros((len(loads), data.n_time))
    for k, load in enumerate(loads):
        for idx, year in zip(snapshots_by_period, years):
            if load.from_year is None or year is None or year >= load.from_year:
                idx = np.asarray(idx)
                series[k, idx] = re100_load_series(load, data.time[idx], np.asarray(data.duration_h)[idx])
    demand = data.demand_mw.copy()
    for k, load in enumerate(loads):
        demand[load.region] = demand[load.region].to_numpy(float) + series[k]
    frame = pd.DataFrame({"name": [l.name for l in loads], "region": [l.region for l in loads],
                          "matching": [l.matching for l in loads]})
    return replace(data, demand_mw=demand, re100_loads=frame, re100_load_mw=series)


def re100_peak_mw(loads) -> float:
    """The highest total draw of `loads` [MW] (each at the top of its daily profile), added to the adequacy peak."""
    return float(sum(load.mw * load.profile().max() for load in loads))
