"""The deliverability frontier of a sweep: for each case (the swept settings other than the renewable target, e.g.
the HVDC corridor capacity allowed and the absorption rule), the highest renewable share Honam can deliver, what it
costs and what it builds (issue 14; `models/sweeps/deliverability.yaml`).

A member's *delivered share* is what the RE300 definition counts: Honam's counted renewable energy over its
consumption, but no more than 1 + the exports counted over consumption (100 % for Honam, the rest sent out):

    delivered share = min(renewable_ratio, 1 + export_ratio)                                       [fraction]

A target is *met* when its priced shortfall (renewable + export) is below SHORTFALL_TOL of Honam's consumption. Per
case the table gives the highest target met, the delivered share at the highest target tried (with a priced
shortfall far above any supply cost — 5 million KRW/MWh in models/base.yaml — this is the most the system can
deliver), and for the highest target met: cost per MWh delivered (gross and net), storage and electrolysis built,
corridor capacity built and curtailment. Written as `frontier.csv` and `figures/frontier.png` next to the sweep's
summary; every number is read from the members' own summary.csv and results.nc (merged in results.nc).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

TARGET_KEY = "targets.renewable_share"
LINK_KEY = "links.max_new_mw."
SHORTFALL_TOL = 1e-4  # a target counts as met when shortfall <= this x Honam consumption
FRONTIER_COLUMNS = [
    "case", "series", "corridor_allowed_mw", "targets_tried", "highest_target_met", "delivered_share_at_top_target",
    "member", "average_cost_krw_per_mwh_delivered", "net_cost_krw_per_mwh_delivered", "total_system_cost_krw_per_yr",
    "corridor_built_mw", "storage_power_mw", "storage_energy_mwh", "electrolysis_mw", "hydrogen_storage_mwh",
    "curtailment_share",
]


def _wide(merged: xr.Dataset) -> pd.DataFrame:
    """member x summary metric."""
    return pd.DataFrame(merged["summary_value"].values, index=[str(m) for m in merged["scenario"].values],
                        columns=[str(m) for m in merged["metric"].values])


def delivered_share(summary: pd.DataFrame) -> pd.Series:
    """min(renewable_ratio, 1 + export_ratio) per member [fraction]."""
    return np.minimum(summary["renewable_ratio"], 1.0 + summary["export_ratio"].fillna(0.0))


def builds(merged: xr.Dataset, member: str, links: list[str]) -> dict[str, float]:
    """What a member built in total (existing + new, Honam and the corridor): storage power and energy of stores
    charged at their own power (batteries, pumped hydro), electrolysers (storage with separate charge power) and
    their hydrogen storage, and the capacity of `links` [MW, MWh]."""
    m = merged.sel(scenario=member)
    energy = m["energy_capacity_total_mwh"].fillna(0.0)
    is_store = (energy > 0).any("region")
    charge = m["charge_capacity_total_mw"].fillna(0.0) if "charge_capacity_total_mw" in m else xr.zeros_like(energy)
    separate = (charge > 0).any("region")
    power = m["capacity_total_mw"].fillna(0.0)
    plain = is_store & ~separate
    return {
        "storage_power_mw": float(power.where(plain, 0.0).sum()),
        "storage_energy_mwh": float(energy.where(plain, 0.0).sum()),
        "electrolysis_mw": float(charge.where(separate, 0.0).sum()),
        "hydrogen_storage_mwh": float(energy.where(separate, 0.0).sum()),
        "corridor_built_mw": float(m["link_capacity_total_mw"].sel(link=links).sum()) if links else np.nan,
    }


def frontier_table(merged: xr.Dataset, keys: list[str], together: set[str]) -> pd.DataFrame:
    """One row per case; empty when the sweep does not vary the renewable target. `keys`: the swept settings;
    `together`: settings that vary with the target on one grid axis (the export share), not part of the case."""
    if TARGET_KEY not in keys:
        return pd.DataFrame(columns=FRONTIER_COLUMNS)
    s = _wide(merged)
    params = pd.DataFrame({k: merged[k].values for k in keys}, index=s.index)
    case_keys = [k for k in keys if k != TARGET_KEY and k not in together and params[k].nunique(dropna=False) > 1]
    link_keys = [k for k in keys if k.startswith(LINK_KEY)]
    links = [k[len(LINK_KEY):] for k in link_keys]
    existing = merged["link_capacity_existing_mw"].isel(scenario=0).sel(link=links).fillna(0.0) if links else None
    shortfall = s["renewable_shortfall"].fillna(0.0) + s["export_shortfall"].fillna(0.0)
    met = shortfall <= SHORTFALL_TOL * s["honam_consumption"]
    share = delivered_share(s)
    target = params[TARGET_KEY].astype(float)
    rows = []
    groups = params.groupby(case_keys, sort=False, dropna=False) if case_keys else [((), params)]
    for values, g in groups:
        values = values if isinstance(values, tuple) else (values,)
        words = {k: f"{k.split('.')[-1]} {v:g}" if isinstance(v, float) else f"{k.split('.')[-1]} {v}"
                 for k, v in zip(case_keys, values)}
        case = ", ".join(words.values())
        series = ", ".join(w for k, w in words.items() if not k.startswith(LINK_KEY))  # a line of the figure
        members = g.index
        top = target[members].idxmax()
        ok = [m for m in members if met[m]]
        best = max(ok, key=lambda m: target[m]) if ok else None
        allowed = (float(existing.sum()) + float(g[link_keys].iloc[0].astype(float).sum())) if links else np.nan
        row = {"case": case, "series": series, "corridor_allowed_mw": allowed, "targets_tried": len(members),
               "highest_target_met": float(target[best]) if best else np.nan,
               "delivered_share_at_top_target": float(share[top]), "member": best or ""}
        if best:
            row.update({"average_cost_krw_per_mwh_delivered": float(s.loc[best, "average_cost_per_mwh_delivered"]),
                        "net_cost_krw_per_mwh_delivered": float(s.loc[best, "net_cost_per_mwh_delivered"]),
                        "total_system_cost_krw_per_yr": float(s.loc[best, "total_system_cost"]),
                        "curtailment_share": float(s.loc[best, "curtailment_share"]),
                        **builds(merged, best, links)})
        rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=FRONTIER_COLUMNS)
    return out.sort_values(["series", "corridor_allowed_mw"], kind="stable").reset_index(drop=True)


def plot_frontier(table: pd.DataFrame, note: str, path: Path) -> None:
    """Left: the highest renewable share met and the share delivered at the top target against the corridor
    capacity allowed, one line per remaining case (e.g. absorption limited / unlimited); right: cost per MWh
    delivered at the highest share met."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = table.fillna({"series": ""})
    x_gw = t["corridor_allowed_mw"] / 1e3
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    for name, g in t.assign(x=x_gw).sort_values("corridor_allowed_mw").groupby("series", sort=False):
        label = name or "all"
        line, = axes[0].plot(g["x"], g["delivered_share_at_top_target"] * 100, "-o", label=f"{label}: delivered at top target")
        axes[0].plot(g["x"], g["highest_target_met"] * 100, "--s", color=line.get_color(), mfc="white",
                     label=f"{label}: highest target met")
        axes[1].plot(g["x"], g["average_cost_krw_per_mwh_delivered"] / 1e3, "-o", color=line.get_color(), label=f"{label}: gross")
        axes[1].plot(g["x"], g["net_cost_krw_per_mwh_delivered"] / 1e3, ":o", color=line.get_color(), label=f"{label}: net")
    axes[0].set_ylabel("renewable share of Honam consumption [%]")
    axes[0].set_ylim(min(90.0, float(t["delivered_share_at_top_target"].min()) * 100 - 10), 320.0)
    axes[0].set_title("Highest renewable share deliverable", fontsize=10)
    axes[1].set_ylabel("thousand KRW per MWh delivered (2024 KRW)")
    axes[1].set_title("Cost at the highest target met", fontsize=10)
    for ax in axes:
        ax.set_xlabel("West-Coast HVDC corridor capacity allowed [GW]")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.text(0.01, 0.01, note, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=130, format="png")  # (path may be a temporary name without .png)
    plt.close(fig)
