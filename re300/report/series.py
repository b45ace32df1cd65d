"""Time-series arithmetic shared by the memo (from CSVs) and the notebook helpers (from results.nc).

The time index is a set of modelled weeks, each snapshot standing for `weight_h` hours of the year: annual and
monthly energy is Σ MW × weight_h over the modelled snapshots only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SEASON_MONTHS = {"winter": (12, 1, 2), "spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11)}


def modelled_blocks(times) -> list[pd.DatetimeIndex]:
    """Split a sorted time index into runs of consecutive hours (the modelled weeks)."""
    t = pd.DatetimeIndex(times).sort_values()
    if len(t) == 0:
        return []
    gaps = np.flatnonzero(t[1:] - t[:-1] != pd.Timedelta(hours=1)) + 1
    return [t[a:b] for a, b in zip(np.r_[0, gaps], np.r_[gaps, len(t)])]


def season_of(timestamp) -> str:
    month = pd.Timestamp(timestamp).month
    return next(s for s, months in SEASON_MONTHS.items() if month in months)


def block_season(block: pd.DatetimeIndex) -> str:
    """The season of a modelled week: that of its middle hour."""
    return season_of(block[len(block) // 2])


def pick_weeks(demand_mw: pd.Series, curtailment_mw: pd.Series) -> dict[str, pd.DatetimeIndex | None]:
    """One modelled week per season shown in the memo: spring = the spring week with the most curtailment (the
    curtailment season), summer and winter = the week of that season with the highest demand peak; None where no
    modelled week falls in the season. Both series are indexed by time [MW]."""
    chosen: dict[str, pd.DatetimeIndex | None] = {"spring": None, "summer": None, "winter": None}
    best: dict[str, float] = {}
    for block in modelled_blocks(demand_mw.index):
        season = block_season(block)
        if season not in chosen:
            continue
        score = float(curtailment_mw.reindex(block).sum()) if season == "spring" else float(demand_mw.reindex(block).max())
        if season not in best or score > best[season]:
            best[season], chosen[season] = score, block
    return chosen


def weighted_monthly(frame: pd.DataFrame | pd.Series, weight_h: pd.Series) -> pd.DataFrame | pd.Series:
    """Σ value × weight_h per calendar month of the modelled snapshots (MW → MWh); index month 1..12, only months
    that hold a modelled snapshot."""
    w = weight_h.reindex(frame.index)
    if w.isna().any():
        raise ValueError("weight_h is missing for some snapshots")
    weighted = frame.mul(w, axis=0)
    return weighted.groupby(frame.index.month).sum()


def duration_curve(values: pd.Series, weight_h: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(hours of the year at or above each value, values sorted high → low): a weighted duration curve whose last
    x equals Σ weight_h (8,760 h for a full set of weights)."""
    w = weight_h.reindex(values.index).to_numpy(float)
    order = np.argsort(-values.to_numpy(float), kind="stable")
    return np.cumsum(w[order]), values.to_numpy(float)[order]
