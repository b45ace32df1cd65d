"""The words and the figure of an MGA run: one sentence per quantity, ranges.png and ranges.md."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..quantities import LABELS, QUANTITY_NAMES, Quantity
from .ranges import Ranges


def _power_words(mw: float) -> str:
    """'21.3 GW', or '370 MW' below 1 GW."""
    return f"{mw / 1e3:,.1f} GW" if abs(mw) >= 1e3 else f"{mw:,.0f} MW"


def sentences(table: pd.DataFrame, slack: float, quantities: list[Quantity]) -> list[str]:
    """One sentence per quantity (a row of `Ranges.table()`): what every plan within the slack must build, or that
    it can do without, or that nothing can be added."""
    out = []
    for q, row in zip(quantities, table.itertuples(index=False)):
        label = LABELS.get(q.name, q.name.replace("_", " "))
        where = q.where or f"({q.region})"
        pct = f"{slack * 100:g} %"
        if not np.isfinite(row.min) or not np.isfinite(row.max):
            out.append(f"{label} {where}: the range could not be computed (a solve failed; see alternatives.csv).")
            continue
        gw = _power_words
        new_min, new_max = row.min - row.existing, row.max - row.existing
        if not q.members:
            out.append(f"No plan can add {label} {where} (no expansion allowed); {gw(row.optimum)} exist.")
        elif new_min <= 1.0:
            out.append(f"A plan within {pct} of least cost can do without new {label} {where}; plans range up to "
                       f"{gw(row.max)} installed (least-cost plan {gw(row.optimum)}).")
        else:
            out.append(f"Every plan within {pct} of least cost builds at least {gw(new_min)} of new {label} {where} "
                       f"({gw(row.min)} installed; least-cost plan {gw(row.optimum)}; at most {gw(row.max)}).")
        if q.members and new_max - new_min < 1.0:
            out[-1] += " The quantity is pinned: it cannot move within the slack."
    return out


def plot_ranges(table: pd.DataFrame, slack: float, title: str, note: str, path: Path) -> None:
    """ranges.png: one bar per quantity from min to max installed capacity [GW], a dot at the least-cost plan."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = table.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8.5, 1.2 + 0.42 * len(t)))
    y = np.arange(len(t))
    colors = {n: c for n, c in zip(QUANTITY_NAMES, ("#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"))}
    for i, r in t.iterrows():
        c = colors.get(r["quantity"], "0.4")
        ax.plot([r["min"] / 1e3, r["max"] / 1e3], [i, i], color=c, lw=7, alpha=0.45, solid_capstyle="butt")
        ax.plot(r["optimum"] / 1e3, i, "o", color="black", ms=5)
        ax.text(r["max"] / 1e3, i, f"  {r['min'] / 1e3:,.1f}-{r['max'] / 1e3:,.1f}", va="center", fontsize=7)
    ax.plot([], [], "o", color="black", ms=5, label="least-cost plan")
    ax.set_yticks(y, [f"{r.quantity.replace('_', ' ')} ({r.region})" for r in t.itertuples()])
    ax.set_xlabel("installed capacity [GW]")
    ax.set_xlim(left=min(0.0, ax.get_xlim()[0]), right=ax.get_xlim()[1] * 1.12)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.text(0.01, 0.01, note, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)


def _net(result: dict) -> float:
    """A solve's cost without its target-shortfall penalty [bn KRW/yr] (what the slack applies to)."""
    return result["objective_bn_krw"] - result.get("penalty_bn_krw", 0.0)


def memo_text(name: str, slack: float, ranges: Ranges, table: pd.DataFrame, text: list[str], note: str) -> str:
    """ranges.md: the least cost and the cap [trillion KRW/yr], one sentence per quantity, the table [GW]."""
    lines = [f"# Near-optimal plans: {name}, within {slack * 100:g} % of least cost", "",
             f"Least cost {_net(ranges.optimum) / 1e3:,.3f} trillion KRW/yr (net of the value of exports and "
             f"hydrogen; the LP objective adds a target-shortfall penalty of "
             f"{ranges.optimum.get('penalty_bn_krw', 0.0) / 1e3:,.3f}); every alternative below costs at most "
             f"{(1 + slack) * _net(ranges.optimum) / 1e3:,.3f} trillion KRW/yr, misses no target by more and serves "
             "demand at least as well as the least-cost plan.", ""]
    lines += [f"- {s}" for s in text]
    lines += ["", "| quantity | region | min [GW] | least cost [GW] | max [GW] | existing [GW] |", "|---|---|---:|---:|---:|---:|"]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.quantity} | {r.region} | {r.min / 1e3:,.2f} | {r.optimum / 1e3:,.2f} | {r.max / 1e3:,.2f} | {r.existing / 1e3:,.2f} |")
    lines += ["", f"Source: {note}. Numbers: ranges.csv (MW); every solve: alternatives.csv.", ""]
    return "\n".join(lines)
