"""Figures of a sweep (matplotlib, Agg): the cost-versus-target curve and tornado-style sensitivities.

The numbers behind each figure are written next to it (`cost_vs_target.csv`, `tornado.csv`, and for a one-at-a-time
design the drivers ranked by influence, `tornado_ranking.csv`), so every bar and point in a memo can be traced to
member outputs.

Tornado bars come from
- a one-at-a-time design (`one_at_a_time:` in the sweep file): the change of a metric from the `base` member when
  one setting takes its low or high value;
- a Monte-Carlo sample (`sample:`): a least-squares linear fit of the metric on the sampled numeric settings; the bar
  spans the fitted change between the 5th and 95th percentile of each setting, all others at their mean.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from re300.atomic import atomic_output_dir, write_atomic
from re300.paths import display_path

TORNADO_METRICS = {  # metric: (label, scale to the plotted unit, plotted unit)
    "total_system_cost": ("total system cost", 1e-12, "trillion KRW/yr"),
    "average_cost_per_mwh_demand": ("average cost per MWh of Honam demand", 1e-3, "thousand KRW/MWh"),
    "renewable_target_shadow_price": ("shadow price of the renewable target", 1e-3, "thousand KRW/MWh"),
    "renewable_ratio": ("renewable share delivered", 100.0, "% of consumption"),
}
# the ranking of one-at-a-time drivers (tornado_ranking.csv): by the larger relative change of these two metrics
RANKING_METRICS = ("total_system_cost", "renewable_ratio")
TARGET_KEY = "targets.renewable_share"


def _keys(table: pd.DataFrame) -> list[str]:
    """The swept settings: the columns of summary.csv between `member` and `metric`."""
    cols = list(table.columns)
    return cols[cols.index("member") + 1:cols.index("metric")]


def _wide(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """member x metric values, with the parameters as columns."""
    wide = table.pivot(index="member", columns="metric", values="value")
    params = table.drop_duplicates("member").set_index("member")[keys]
    return params.join(wide)


def tornado_table(report, table: pd.DataFrame) -> pd.DataFrame:
    keys = _keys(table)
    wide = _wide(table, keys)
    rows = []
    by_name = {m.name: m for m in report.members}
    if report.spec.one_at_a_time and "base" in wide.index:
        for key in [k for k in report.spec.one_at_a_time if k in keys]:
            members = [n for n, m in by_name.items() if m.design == "one_at_a_time" and list(m.parameters) == [key] and n in wide.index]
            if not members:
                continue
            values = [by_name[n].parameters[key] for n in members]
            for metric, (_, _, _) in TORNADO_METRICS.items():
                base = float(wide.loc["base", metric])
                deltas = [float(wide.loc[n, metric]) - base for n in members]
                lo, hi = int(np.argmin(deltas)), int(np.argmax(deltas))
                rows.append(dict(metric=metric, parameter=key, method="one at a time", baseline=base,
                                 low_setting=str(values[lo]), low_change=deltas[lo],
                                 high_setting=str(values[hi]), high_change=deltas[hi], unit=_unit(table, metric)))
    if report.spec.sample is not None:
        sampled = [k for k in report.spec.sample.parameters if k in keys and pd.api.types.is_numeric_dtype(wide[k])]
        sample_members = [n for n, m in by_name.items() if m.design == "sample" and n in wide.index]
        if sampled and len(sample_members) > len(sampled) + 1:
            X = wide.loc[sample_members, sampled].to_numpy(float)
            mean, p5, p95 = X.mean(0), np.percentile(X, 5, axis=0), np.percentile(X, 95, axis=0)
            A = np.column_stack([np.ones(len(X)), X - mean])
            for metric in TORNADO_METRICS:
                y = wide.loc[sample_members, metric].to_numpy(float)
                coef, *_ = np.linalg.lstsq(A, y, rcond=None)
                for j, key in enumerate(sampled):
                    a, b = coef[j + 1] * (p5[j] - mean[j]), coef[j + 1] * (p95[j] - mean[j])
                    lo_first = a <= b
                    rows.append(dict(metric=metric, parameter=key, method="linear fit over the sample (5th-95th percentile)",
                                     baseline=float(coef[0]),
                                     low_setting=f"{(p5[j] if lo_first else p95[j]):.6g}", low_change=float(min(a, b)),
                                     high_setting=f"{(p95[j] if lo_first else p5[j]):.6g}", high_change=float(max(a, b)),
                                     unit=_unit(table, metric)))
    return pd.DataFrame(rows, columns=["metric", "parameter", "method", "baseline", "low_setting", "low_change",
                                       "high_setting", "high_change", "unit"])


def ranking_table(tornado: pd.DataFrame) -> pd.DataFrame:
    """The one-at-a-time drivers ranked by influence: for each, the largest change of the total system cost and of
    the renewable share delivered, each relative to its base value; score = the sum of the two shares; rank 1 = the
    highest score."""
    rows = tornado[tornado["method"] == "one at a time"]
    if rows.empty:
        return pd.DataFrame()
    out = []
    for param, grp in rows.groupby("parameter", sort=False):
        rec = {"parameter": param}
        score = 0.0
        for metric in RANKING_METRICS:
            r = grp[grp["metric"] == metric]
            if r.empty:
                continue
            r = r.iloc[0]
            change = max(abs(r["low_change"]), abs(r["high_change"]))
            rel = change / abs(r["baseline"]) if r["baseline"] else 0.0
            rec.update({f"{metric}_low_setting": r["low_setting"], f"{metric}_low_change": r["low_change"],
                        f"{metric}_high_setting": r["high_setting"], f"{metric}_high_change": r["high_change"],
                        f"{metric}_largest_relative_change": rel})
            score += rel
        rec["score"] = score
        out.append(rec)
    table = pd.DataFrame(out).sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def _unit(table: pd.DataFrame, metric: str) -> str:
    u = table.loc[table["metric"] == metric, "unit"]
    return str(u.iloc[0]) if len(u) else ""


def cost_vs_target_table(report, table: pd.DataFrame) -> pd.DataFrame:
    keys = _keys(table)
    if TARGET_KEY not in keys:
        return pd.DataFrame()
    wide = _wide(table, keys)
    # settings varied together with the target (the same grid axis, e.g. the export share) are part of the curve
    together = {k for axis in report.spec.grid if TARGET_KEY in axis for k in axis}
    others = [k for k in keys if k != TARGET_KEY and k not in together and wide[k].nunique(dropna=False) > 1]
    out = pd.DataFrame({
        "member": wide.index,
        "renewable_target_percent": wide[TARGET_KEY].astype(float) * 100.0,
        "case": wide[others].astype(str).agg(", ".join, axis=1) if others else "",
        "total_system_cost_krw_per_yr": wide["total_system_cost"],
        "average_cost_krw_per_mwh": wide["average_cost_per_mwh_demand"],
        "renewable_target_shadow_price_krw_per_mwh": wide["renewable_target_shadow_price"],
        "shortfall_mwh_per_yr": wide["renewable_shortfall"] + wide["export_shortfall"],
        "unserved_mwh_per_yr": wide["unserved_energy"],
    })
    if others:
        out["case"] = [", ".join(f"{k.split('.')[-1]} {v}" for k, v in zip(others, row)) for row in wide[others].itertuples(index=False)]
    return out.sort_values(["case", "renewable_target_percent"]).reset_index(drop=True)


def _plot_cost_vs_target(curve: pd.DataFrame, note: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    panels = (("total_system_cost_krw_per_yr", 1e-12, "trillion KRW/yr", "Total system cost"),
              ("average_cost_krw_per_mwh", 1e-3, "thousand KRW/MWh", "Average cost per MWh of Honam demand"))
    for ax, (col, scale, label, title) in zip(axes, panels):
        for case, g in curve.groupby("case", sort=False):
            line, = ax.plot(g["renewable_target_percent"], g[col] * scale, "-", label=case or None)
            missed = g["shortfall_mwh_per_yr"] > 1e-3
            ax.plot(g.loc[~missed, "renewable_target_percent"], g.loc[~missed, col] * scale, "o", color=line.get_color())
            ax.plot(g.loc[missed, "renewable_target_percent"], g.loc[missed, col] * scale, "o", mfc="white",
                    color=line.get_color(), label="target missed (priced shortfall)" if missed.any() else None)
        ax.set_xlabel("renewable generation target [% of Honam consumption]")
        ax.set_ylabel(label)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    if curve["case"].nunique() > 1 or (curve["shortfall_mwh_per_yr"] > 1e-3).any():
        axes[0].legend(fontsize=8)
    fig.suptitle("Cost of the Honam renewable target, 100 % to 300 % of consumption")
    fig.text(0.01, 0.01, note, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)


def _plot_tornado(rows: pd.DataFrame, metric: str, note: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    label, scale, unit = TORNADO_METRICS[metric]
    # bar length: from the most negative to the most positive change (0 included), so a one-sided driver ranks by its
    # one bar; a driver with one member (low = high) draws one bar, blue when it lowers the result
    span = np.maximum(rows["high_change"], 0.0) - np.minimum(rows["low_change"], 0.0)
    rows = rows.assign(span=span.abs()).sort_values("span", kind="stable")
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.55 * len(rows)))
    y = np.arange(len(rows))
    lo, hi = rows["low_change"].to_numpy() * scale, rows["high_change"].to_numpy() * scale
    single = lo == hi
    lo_bar = np.where(single & (lo > 0), 0.0, lo)
    hi_bar = np.where(single & (hi < 0), 0.0, hi)
    ax.barh(y, lo_bar, color="#4C72B0", label="lower result")
    ax.barh(y, hi_bar, color="#DD8452", label="higher result")
    for i, r in enumerate(rows.itertuples()):
        if not (single[i] and lo[i] > 0):
            ax.text(lo[i], i, f" {r.low_setting} ", va="center", ha="right" if lo[i] <= 0 else "left", fontsize=8)
        if not (single[i] and hi[i] <= 0):
            ax.text(hi[i], i, f" {r.high_setting} ", va="center", ha="left" if hi[i] >= 0 else "right", fontsize=8)
    names = [p.removeprefix("input_cases.") for p in rows["parameter"]]  # a driver of inputs/ranges.csv
    ax.set_yticks(y, [f"{p} ({m.split(' (')[0]})" if m != "one at a time" else p for p, m in zip(names, rows["method"])])
    ax.axvline(0, color="black", lw=0.8)
    base = rows["baseline"].iloc[0] * scale
    ax.set_xlabel(f"change in {label} [{unit}] from {base:,.3g} {unit}")
    ax.set_title(f"What moves the {label}")
    xmax = max(np.abs(np.r_[lo, hi]).max(), 1e-12) * 1.35
    ax.set_xlim(-xmax, xmax)
    ax.grid(axis="x", alpha=0.3)
    fig.text(0.01, 0.01, note, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)


def write_figures(report, merged, table: pd.DataFrame) -> dict[str, Path]:
    out: dict[str, Path] = {}
    sweep_dir = report.sweep_dir
    note = f"re300 sweep '{report.spec.name}' ({display_path(report.spec.source_file)}), base {display_path(report.spec.base)}; KRW of 2024"
    curve = cost_vs_target_table(report, table)
    tornado = tornado_table(report, table)
    if len(curve):
        out["cost_vs_target.csv"] = write_atomic(sweep_dir / "cost_vs_target.csv", lambda p: curve.to_csv(p, index=False, float_format="%.10g"))
    if len(tornado):
        out["tornado.csv"] = write_atomic(sweep_dir / "tornado.csv", lambda p: tornado.to_csv(p, index=False, float_format="%.10g"))
        ranking = ranking_table(tornado)
        if len(ranking):
            out["tornado_ranking.csv"] = write_atomic(sweep_dir / "tornado_ranking.csv",
                                                      lambda p: ranking.to_csv(p, index=False, float_format="%.10g"))
    with atomic_output_dir(sweep_dir / "figures") as tmp:
        if len(curve):
            _plot_cost_vs_target(curve, note, tmp / "cost_vs_target.png")
            out["figures/cost_vs_target.png"] = sweep_dir / "figures" / "cost_vs_target.png"
        for metric in TORNADO_METRICS:
            rows = tornado[tornado["metric"] == metric]
            if len(rows) and np.isfinite(rows[["low_change", "high_change"]].to_numpy(float)).all():
                _plot_tornado(rows, metric, note, tmp / f"tornado_{metric}.png")
                out[f"figures/tornado_{metric}.png"] = sweep_dir / "figures" / f"tornado_{metric}.png"
    return out
