"""What a run modelled of the year, in words for captions (from the manifest's resolved `time` section and the run's
calendar.csv): "24 typical days + 2 extreme days, 12 segments, mapped onto the calendar", "2 modelled weeks ...",
"all 8,760 hours"."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import series
from .runcsv import RunResults
from .text import tr


@dataclass(frozen=True)
class Horizon:
    mode: str  # representative | weeks | full
    typical_days: int = 0
    extreme_days: int = 0
    segments: int | None = None
    week_starts: tuple[str, ...] = ()
    week_weights: tuple[float, ...] = ()
    resolution_hours: int = 1
    calendar_days: int = 365  # a multi-year plan's typical days map onto several weather years one after another

    def text(self, lang: str) -> str:
        """The horizon in a few words, e.g. '24 typical days + 2 extreme days, 12 segments per day, mapped onto the
        365 days of the calendar'."""
        if self.mode == "representative":
            key = "hz_extreme" if self.extreme_days == 1 else "hz_extremes"
            extreme = tr(key, lang, n=self.extreme_days) if self.extreme_days else ""
            steps = (tr("hz_segments", lang, n=self.segments) if self.segments else tr("hz_hourly", lang))
            return tr("hz_representative", lang, n=self.typical_days, extreme=extreme, steps=steps,
                      days=f"{self.calendar_days:,}")
        if self.mode == "weeks":
            return tr("hz_week" if len(self.week_starts) == 1 else "hz_weeks", lang, n=len(self.week_starts),
                      starts=", ".join(self.week_starts),
                      weights="/".join(f"{w:.2f}" for w in sorted(set(self.week_weights))))
        if self.resolution_hours > 1:
            return tr("hz_full_coarse", lang, k=self.resolution_hours)
        return tr("hz_full", lang)

    def note(self, lang: str) -> str:
        """A sentence on the hours not modelled ('' when every calendar hour has values)."""
        return "" if self.whole_year else tr("hz_not_modelled", lang)

    @property
    def whole_year(self) -> bool:
        """True when every calendar hour has values (representative days, full year)."""
        return self.mode != "weeks"


def horizon(run: RunResults) -> Horizon:
    """The horizon of a run (or of one period of a pathway)."""
    time = run.resolved.get("time", {}) or {}
    mode = str(time.get("mode", "weeks"))
    cal = run.calendar
    if mode == "representative":
        snaps = pd.DatetimeIndex(cal["snapshot"].dropna().unique())
        blocks = len(snaps.normalize().unique())  # the snapshots of a typical day lie on one (its first) day
        periods = int(time.get("typical_days") or time.get("periods") or blocks)  # (old runs: periods)
        extreme = max(blocks - periods, 0) if time.get("extremes") else 0
        return Horizon("representative", typical_days=blocks - extreme, extreme_days=extreme,
                       segments=time.get("segments") or None, calendar_days=len(cal) // 24)
    if mode == "weeks":
        modelled = cal["weight_h"] > 0
        blocks = series.modelled_blocks(cal.index[modelled.to_numpy()])
        weights = [float(cal.loc[b[0], "weight_h"]) for b in blocks]
        return Horizon("weeks", week_starts=tuple(str(b[0].date()) for b in blocks), week_weights=tuple(weights))
    return Horizon("full", resolution_hours=int(time.get("resolution_hours") or 1))
