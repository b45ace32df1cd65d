"""Figures of the weather validation report (``re300.weather.report.write_report``): monthly GHI and capacity
factors against their bands, diurnal shapes by season, cross-site correlation, inter-annual wind, and measured
against synthetic weather. Split from report.py (issue 12: one job per module, none over about 500 lines).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

CHECKS_FILE = "profile_checks.csv"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEASONS = {"DJF": (12, 1, 2), "MAM": (3, 4, 5), "JJA": (6, 7, 8), "SON": (9, 10, 11)}
FIGURES = ("ghi_monthly.png", "cf_monthly.png", "cf_annual.png", "diurnal_by_season.png", "correlation.png",
           "interannual_wind.png")
MEASURED_FIGURE = "measured_vs_synthetic.png"


def pair_of(text: str) -> tuple[str, str] | None:
    """'site/tech' of a check's place -> (site, tech), or None for a place that is not a pair."""
    parts = text.split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def monthly_sum_kwh(values: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly W/m2 -> the 12 monthly sums in kWh/m2."""
    return pd.Series(values, index).groupby(index.month).sum().reindex(range(1, 13)).to_numpy() / 1000.0


def profile_figures(folder: Path, d, checks: list, results: pd.DataFrame) -> None:
    """Write FIGURES into ``folder`` from the report's ProfileData ``d``, its checks and their results."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 8, "axes.titlesize": 9, "figure.dpi": 110})
    idx = d.wx.index
    x = np.arange(1, 13)

    # 1. monthly GHI per station vs the published annual totals and the monthly estimates
    ghi_checks = [c for c in checks if c.check in ("annual_ghi", "monthly_ghi")]
    stations = list(dict.fromkeys(c.place for c in ghi_checks))
    if stations:
        fig, axes = plt.subplots(1, len(stations), figsize=(4.0 * len(stations), 3.2), sharey=True, squeeze=False)
        for ax, site in zip(axes[0], stations):
            model = monthly_sum_kwh(d.wx.ghi[:, d.site_index(site)], idx)
            ax.bar(x, model, color="#f2a900", label=f"model {d.year}")
            est = {int(c.period): c for c in ghi_checks if c.place == site and c.check == "monthly_ghi"}
            if est:
                m = sorted(est)
                ax.errorbar(m, [est[k].reference for k in m],
                            yerr=[[est[k].reference - est[k].low for k in m], [est[k].high - est[k].reference for k in m]],
                            fmt="o", color="k", ms=3, capsize=2, label="honam-facts §7 estimate ±15 %")
            annual = next((c for c in ghi_checks if c.place == site and c.check == "annual_ghi"), None)
            title = f"{site}: {model.sum():,.0f} kWh/m² in {d.year}"
            if annual is not None:
                title += f"\n(published {annual.reference:,.0f}, band {annual.low:,.0f}–{annual.high:,.0f})"
            ax.set_title(title)
            ax.set_xticks(x, [mm[0] for mm in MONTHS])
            ax.set_ylabel("GHI (kWh/m² per month)")
        axes[0][0].legend(loc="lower center")
        fig.tight_layout()
        fig.savefig(folder / "ghi_monthly.png")
        plt.close(fig)

    cf = d.cf_year
    pv = [p for p in cf.columns if p in {k for k, (_, s) in d.tables.profile_sites.items() if s in d.tables.pv_systems}]
    wind = [p for p in cf.columns if p not in pv]

    # 2. monthly CF per technology and region
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=False)
    for ax, group, title in ((axes[0], pv, "PV"), (axes[1], wind, "wind")):
        monthly = cf[group].groupby(cf.index.month).mean() * 100
        for col in group:
            ax.plot(x, monthly[col], marker="o", ms=2.5, lw=1.2, label=f"{col[0]} / {col[1]}")
        ax.set_title(f"monthly capacity factor, {title}, weather year {d.year}")
        ax.set_xticks(x, [mm[0] for mm in MONTHS])
        ax.set_ylabel("%")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6.5, ncol=2)
    jun = [c for c in checks if c.check == "monthly_cf" and c.period == "6"]
    if jun:
        axes[1].axhspan(jun[0].low, jun[0].high, color="grey", alpha=0.15,
                        label="national June 2020 13.7 % ±4 (mean of years)")
        axes[1].legend(fontsize=6.5, ncol=2)
    fig.tight_layout()
    fig.savefig(folder / "cf_monthly.png")
    plt.close(fig)

    # 3. annual CF per pair against the observation bands
    fig, ax = plt.subplots(figsize=(8, 4.2))
    labels = [f"{t} / {r}" for t, r in cf.columns]
    values = cf.mean().to_numpy() * 100
    ax.barh(range(len(labels)), values, color=["#f2a900" if p in pv else "#3b7dd8" for p in cf.columns])
    for i, p in enumerate(cf.columns):
        right = values[i]
        for c in (c for c in checks if c.check == "annual_cf" and pair_of(c.place) == p):
            lo = c.low if not math.isnan(c.low) else 0.0
            hi = c.high if not math.isnan(c.high) else lo
            ax.plot([lo, hi], [i, i], color="k", lw=3, alpha=0.45, solid_capstyle="butt")
            right = max(right, hi)
        ax.text(right + 0.4, i, f"{values[i]:.1f} %", va="center", fontsize=7)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"annual capacity factor in {d.year} (%); grey bars: bands of inputs/{CHECKS_FILE}")
    ax.set_title("annual capacity factor vs Korean observations")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(folder / "cf_annual.png")
    plt.close(fig)

    # 4. diurnal shapes by season (KST, hour beginning)
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.3), sharey=True)
    for ax, (season, months) in zip(axes, SEASONS.items()):
        sub = cf[cf.index.month.isin(months)]
        prof = sub.groupby(sub.index.hour).mean() * 100
        for col in cf.columns:
            ax.plot(prof.index, prof[col], lw=1.2, ls="-" if col in pv else "--", label=f"{col[0]} / {col[1]}")
        ax.set_title(f"{season} {d.year}")
        ax.set_xticks(range(0, 24, 3))
        ax.set_xlabel("hour (KST, hour beginning)")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("mean capacity factor (%)")
    handles, names = axes[0].get_legend_handles_labels()
    fig.tight_layout()
    fig.legend(handles, names, fontsize=6.5, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.savefig(folder / "diurnal_by_season.png", bbox_inches="tight")
    plt.close(fig)

    # 5. cross-site correlation: daily clear-sky index (PV sites) and hourly CF (all pairs)
    pv_sites = sorted({site for site, system in d.tables.profile_sites.values() if system in d.tables.pv_systems},
                      key=d.sites.index)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
    daily = np.corrcoef(d.wx.csi_daily[:, [d.site_index(s) for s in pv_sites]].T)
    hourly = cf.corr().to_numpy()
    for ax, mat, names, title in ((axes[0], daily, pv_sites, f"daily clear-sky index, PV sites, {d.year}"),
                                  (axes[1], hourly, labels, f"hourly capacity factor, {d.year}")):
        im = ax.imshow(mat, vmin=-0.2, vmax=1.0, cmap="viridis")
        ax.set_xticks(range(len(names)), names, rotation=60, ha="right", fontsize=6.5)
        ax.set_yticks(range(len(names)), names, fontsize=6.5)
        for i in range(len(names)):
            for k in range(len(names)):
                ax.text(k, i, f"{mat[i, k]:.2f}", ha="center", va="center", fontsize=5.5,
                        color="w" if mat[i, k] < 0.6 else "k")
        ax.set_title(title)
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    fig.savefig(folder / "correlation.png")
    plt.close(fig)

    # 6. inter-annual variability of annual CF
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    years = list(d.cf)
    for col in cf.columns:
        series = [d.cf[y][col].mean() * 100 for y in years]
        ax.plot(years, series, marker="o", ms=3, ls="-" if col in wind else ":", label=f"{col[0]} / {col[1]}")
    ax.set_xticks(years)
    ax.set_ylabel("annual capacity factor (%)")
    sd = results[results["quantity"].str.startswith("inter-annual")]
    sub = "; ".join(f"{q.split(', ')[-1]} {p}: sd {v:.1f} % of mean (band {lo:g}–{hi:g})"
                    for q, p, v, lo, hi in zip(sd["quantity"], sd["place"], sd["value"], sd["low"], sd["high"]))
    ax.set_title(f"annual capacity factor by weather year (seed {d.seed})\n{sub}", fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6.5, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(folder / "interannual_wind.png", bbox_inches="tight")
    plt.close(fig)


def measured_figure(folder: Path, table: pd.DataFrame, year: int) -> None:
    """Write MEASURED_FIGURE: measured against synthetic monthly GHI per station and annual capacity factors."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    ghi = table[table["quantity"] == "monthly GHI"]
    stations = list(dict.fromkeys(ghi["place"]))
    cf = table[table["quantity"] == "annual capacity factor"]
    fig, axes = plt.subplots(1, len(stations) + 1, figsize=(4.0 * len(stations) + 6.0, 3.6), squeeze=False,
                             gridspec_kw={"width_ratios": [1] * len(stations) + [1.6]})
    x = np.arange(12)
    for ax, place in zip(axes[0], stations):
        sub = ghi[ghi["place"] == place]
        ax.bar(x - 0.2, sub["measured"], 0.4, color="#d9480f", label=f"measured {year}")
        ax.bar(x + 0.2, sub["synthetic"], 0.4, color="#f2a900", label=f"synthetic {year}")
        ann = table[(table["quantity"].str.startswith("annual GHI")) & (table["place"] == place)].iloc[0]
        ax.set_title(f"{place.split('|')[0]}: {ann['measured']:,.0f} measured vs {ann['synthetic']:,.0f} "
                     f"synthetic kWh/m²", fontsize=8)
        ax.set_xticks(x, [m[0] for m in MONTHS])
        ax.set_ylabel("GHI (kWh/m² per month)")
    axes[0][0].legend(fontsize=7)
    ax = axes[0][-1]
    y = np.arange(len(cf))
    ax.barh(y - 0.2, cf["measured"], 0.4, color="#d9480f", label=f"measured weather {year}")
    ax.barh(y + 0.2, cf["synthetic"], 0.4, color="#3b7dd8", label=f"synthetic weather {year}")
    ax.set_yticks(y, cf["place"], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("annual capacity factor (%)")
    ax.legend(fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(folder / MEASURED_FIGURE)
    plt.close(fig)
