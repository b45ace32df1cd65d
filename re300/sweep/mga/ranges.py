"""The ranges of an MGA run as tables: `ranges.csv` (min, least cost and max of each quantity [MW]) and
`alternatives.csv` (every solve)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..quantities import Quantity


@dataclass
class Ranges:
    """The outcome of `near_optimal_ranges`: the cost slack (fraction of least cost), the least-cost solve and every
    min / max solve (result records of `re300.sweep.mga.lp`), and how they were solved."""

    slack: float
    optimum: dict
    quantities: list[Quantity]
    alternatives: list[dict]
    solves: dict = field(default_factory=dict)  # how the alternatives were solved (for the manifest)

    def table(self) -> pd.DataFrame:
        """quantity, region, min, optimum, max, unit (MW of installed capacity), existing."""
        rows = []
        by = {(a["quantity"], a["sense"]): a for a in self.alternatives}
        for q in self.quantities:
            lo, hi = by.get((q.key, "min")), by.get((q.key, "max"))
            opt = self.optimum["values_mw"][q.key]
            if not q.members:  # nothing can be built: the range is the existing capacity
                vmin = vmax = opt
            else:
                vmin = lo["values_mw"][q.key] if lo and lo["ok"] else np.nan
                vmax = hi["values_mw"][q.key] if hi and hi["ok"] else np.nan
            rows.append([q.name, q.region, vmin, opt, vmax, "MW", q.existing_mw])
        return pd.DataFrame(rows, columns=["quantity", "region", "min", "optimum", "max", "unit", "existing"])

    def alternatives_table(self) -> pd.DataFrame:
        """One row per solve (least cost first): status, error, objective [KRW/yr], seconds, every quantity [MW]."""
        keys = [q.key for q in self.quantities]
        rows = []
        for a in [self.optimum, *self.alternatives]:
            rows.append([a["quantity"] or "least cost", a["sense"], a["status"], a["error"],
                         a["objective_bn_krw"] * 1e9 if a["ok"] else np.nan, round(a["seconds"], 3),
                         *[a["values_mw"].get(k, np.nan) for k in keys]])
        return pd.DataFrame(rows, columns=["optimised", "sense", "status", "error", "objective_krw_per_yr", "seconds",
                                           *[f"{k} [MW]" for k in keys]])
