"""Time-series arithmetic shared by the memo (from CSVs) and the notebook helpers (from results.nc).

Two time axes: the LP's snapshots (hourly.csv, prices.csv; each standing for `weight_h` hours of the year) and the
calendar hours of the year (calendar.csv, re300.results.calendar; each taking the values of the snapshot standing for
it, with the hours of the year it stands for as its weight). Annual and monthly energy is Σ MW × weight_h on either.
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


WEEK_HOURS = 168

# The rule that picks the memo's week of each season among the calendar weeks (7 whole days from midnight, every hour
# modelled, every day in the season's months): (quantity, "max" | "min"). Winter ties on the peak go to the week with
# more demand energy.
WEEK_RULES = {"spring": ("curtailment", "max"), "summer": ("wind", "min"), "winter": ("demand", "max")}


def calendar_weeks(times: pd.DatetimeIndex, modelled: np.ndarray, months) -> list[int]:
    """Start positions (hours from the first calendar hour, at midnight) of every 168-hour window whose hours are all
    modelled and whose days all fall in `months`."""
    times = pd.DatetimeIndex(times)
    modelled = np.asarray(modelled, bool)
    ok_hour = modelled & np.isin(times.month, list(months))
    bad = np.r_[0, np.cumsum(~ok_hour)]
    starts = np.flatnonzero(times.hour == 0)
    starts = starts[starts + WEEK_HOURS <= len(times)]
    return [int(s) for s in starts if bad[s + WEEK_HOURS] - bad[s] == 0]


def pick_calendar_weeks(demand_mw: pd.Series, curtailment_mw: pd.Series, wind_mw: pd.Series,
                        modelled) -> dict[str, pd.DatetimeIndex | None]:
    """The memo's week per season (WEEK_RULES) on the calendar: spring = the week with the most curtailed energy,
    summer = the week with the least wind energy available, winter = the week with the highest demand peak (then
    the most demand energy). All series are indexed by calendar hour [MW]; `modelled` marks the hours with data.
    None where no whole modelled week lies in the season."""
    times = pd.DatetimeIndex(demand_mw.index)
    cum = {k: np.r_[0.0, np.cumsum(np.nan_to_num(np.asarray(v, float)))] for k, v in
           (("curtailment", curtailment_mw), ("wind", wind_mw), ("demand", demand_mw))}
    demand = np.nan_to_num(np.asarray(demand_mw, float))
    chosen: dict[str, pd.DatetimeIndex | None] = {}
    for season, (quantity, sense) in WEEK_RULES.items():
        best, pick = None, None
        for s in calendar_weeks(times, modelled, SEASON_MONTHS[season]):
            energy = cum[quantity][s + WEEK_HOURS] - cum[quantity][s]
            if quantity == "demand":
                score = (float(demand[s:s + WEEK_HOURS].max()), energy)
            else:
                score = (energy if sense == "max" else -energy,)
            if best is None or score > best:
                best, pick = score, s
        chosen[season] = None if pick is None else times[pick:pick + WEEK_HOURS]
    return chosen


def calendar_frame(frame: pd.DataFrame | pd.Series, snapshot: pd.Series) -> pd.DataFrame | pd.Series:
    """Snapshot values (index: snapshot time) on the calendar: `snapshot` maps each calendar hour (its index) to the
    snapshot time it takes its values from (NaT where not modelled: NaN values)."""
    out = frame.reindex(pd.DatetimeIndex(snapshot.to_numpy()))
    out.index = snapshot.index
    return out


def calendar_monthly(frame: pd.DataFrame | pd.Series, weight_h: pd.Series) -> pd.DataFrame | pd.Series:
    """Σ value × weight_h per calendar month (MW → MWh) of a frame on calendar hours; index month 1..12, only months
    with a modelled hour (weight > 0)."""
    w = weight_h.reindex(frame.index).fillna(0.0)
    weighted = frame.fillna(0.0).mul(w, axis=0)
    months = frame.index.month
    out = weighted.groupby(months).sum()
    present = w.groupby(months).sum() > 0
    return out[present.reindex(out.index).fillna(False).to_numpy()]


def duration_curve(values: pd.Series, weight_h: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(hours of the year at or above each value, values sorted high → low): a weighted duration curve whose last
    x equals Σ weight_h (8,760 h for a full set of weights)."""
    w = weight_h.reindex(values.index).to_numpy(float)
    order = np.argsort(-values.to_numpy(float), kind="stable")
    return np.cumsum(w[order]), values.to_numpy(float)[order]
