"""The memo's figures, drawn from the result CSVs (`RunResults`) with matplotlib (Agg), in Korean or English.

Each `fig_*` function writes one PNG and returns its caption. Korean text uses NanumGothic (re300.report.fonts).
"""
from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import series  # noqa: E402
from .fonts import register_matplotlib_fonts  # noqa: E402
from .numbers import shown  # noqa: E402
from .runcsv import RunResults  # noqa: E402
from .text import TEXT, tr  # noqa: E402

DPI = 110
TECH_COLORS = {
    "utility_pv": "#f2b701",
    "rooftop_pv": "#ffd966",
    "floating_pv": "#e69500",
    "onshore_wind": "#6fa8dc",
    "offshore_wind": "#1f4e9c",
    "nonrenewable_supply": "#7f7f7f",
    "battery": "#8e44ad",
    "pumped_hydro": "#16a085",
    "hydrogen": "#2e86c1",
}
COMPONENT_COLORS = {
    "investment": "#1f4e9c",
    "fixed_om": "#6fa8dc",
    "variable_and_purchase": "#f2b701",
    "carbon": "#7f7f7f",
    "value_of_lost_load": "#c0392b",
    "shortfall_penalty": "#e74c3c",
    "displaced_generation": "#3a9d5d",
    "product_sales": "#8fd19e",
}
CREDIT_COMPONENTS = ("displaced_generation", "product_sales")  # value created (negative cost items in costs.csv)
CURTAIL_COLOR = "#bfbfbf"
CAPITAL_DISTANCE_SHOWN = 0.45  # the schematic map draws the Capital region closer than it is
PRICE_LINEAR_KRW_PER_MWH = 200_000.0
HONAM_SPREAD = 2.0  # ... and the Honam regions twice as far apart as their centres are
_FALLBACK = ["#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def tech_color(tech: str, i: int = 0) -> str:
    return TECH_COLORS.get(tech, _FALLBACK[i % len(_FALLBACK)])


@contextlib.contextmanager
def figure_style():
    """DejaVu Sans for Latin text and symbols, NanumGothic for Hangul (matplotlib falls back per glyph); ASCII minus
    (NanumGothic lacks U+2212, and its arrows render badly at small sizes)."""
    family = register_matplotlib_fonts()
    with plt.rc_context({
        "font.family": ["DejaVu Sans", family],
        "axes.unicode_minus": False,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
    }):
        yield


def save(fig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


# ---------------------------------------------------------------------------------------------------------------
# data from the CSVs
# ---------------------------------------------------------------------------------------------------------------
def honam_hourly(run: RunResults) -> pd.DataFrame:
    """hourly.csv summed over the Honam regions: index time, one column per quantity [MW]."""
    wide = run.hourly_wide
    regions = [r for r in run.honam_regions if r in wide.columns.get_level_values(0)]
    return wide[regions].T.groupby(level="quantity").sum().T


def by_prefix(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    cols = [c for c in frame.columns if c.startswith(prefix + ":")]
    out = frame[cols].copy()
    out.columns = [c.split(":", 1)[1] for c in cols]
    return out


def technology_order(run: RunResults, techs) -> list[str]:
    """Technologies in the order of inputs/technologies.csv (then any others)."""
    known = list(run.inputs.technologies.index)
    techs = list(dict.fromkeys(techs))
    return [t for t in known if t in techs] + [t for t in techs if t not in known]


def supply_and_uses(h: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """(supply by technology incl. discharge, uses (charge, net export) as positive MW, curtailment, demand)."""
    supply = by_prefix(h, "dispatch")
    discharge = by_prefix(h, "discharge").sum(axis=1)
    charge = by_prefix(h, "charge").sum(axis=1)
    net_export = -h["net_import"] if "net_import" in h else pd.Series(0.0, index=h.index)
    uses = pd.DataFrame({"charge": charge, "net_export": net_export.clip(lower=0)})
    supply = supply.assign(discharge=discharge, net_import=(-net_export).clip(lower=0))
    if "unserved" in h:
        supply["unserved"] = h["unserved"]
    supply = supply.loc[:, supply.abs().sum() > 0]
    curtailment = by_prefix(h, "curtailment").sum(axis=1)
    return supply, uses, curtailment, h["demand"]


def _supply_label(run, key, lang):
    return {"discharge": tr("lbl_discharge", lang), "net_import": tr("lbl_net_import", lang),
            "unserved": tr("lbl_unserved", lang)}.get(key) or run.technology_name(key, lang)


def _supply_color(key, i):
    return {"discharge": "#c39bd3", "net_import": "#a3d9a5", "unserved": "#c0392b"}.get(key) or tech_color(key, i)


# ---------------------------------------------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------------------------------------------
def existing_new_bars(ax, groups: list[str], frames: dict[str, pd.DataFrame], names: dict[str, str], lang: str):
    """Stacked bars per group (region or scenario): for each technology its existing GW (hatched) then its new GW
    (solid); `frames[tech]` has columns existing, new [MW] indexed by group. Totals on top, legend on the right."""
    x = np.arange(len(groups))
    bottom = np.zeros(len(groups))
    for i, (tech, rows) in enumerate(frames.items()):
        rows = rows.reindex(groups).fillna(0.0)
        existing, new = rows["existing"].to_numpy() / 1e3, rows["new"].clip(lower=0).to_numpy() / 1e3
        color = tech_color(tech, i)
        ax.bar(x, existing, bottom=bottom, color=color, alpha=0.55, hatch="//", edgecolor="white", linewidth=0.3)
        bottom += existing
        ax.bar(x, new, bottom=bottom, color=color, label=names[tech], edgecolor="white", linewidth=0.3)
        bottom += new
    for xi, total in zip(x, bottom):
        ax.annotate(f"{total:,.1f} GW", (xi, total), ha="center", va="bottom", fontsize=9, xytext=(0, 2),
                    textcoords="offset points")
    ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.12)
    ax.set_ylabel(tr("ax_gw", lang))
    handles, labels = ax.get_legend_handles_labels()
    handles += [Patch(facecolor="#999999", alpha=0.55, hatch="//", edgecolor="white"), Patch(facecolor="#999999")]
    labels += [tr("lbl_existing", lang), tr("lbl_new", lang)]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return x


def fig_capacity(run: RunResults, lang: str, path: Path) -> str:
    cap = run["capacity.csv"]
    cap = cap[(cap["kind"] == "power") & cap["region"].isin(run.honam_regions)]
    cap = cap[cap["technology"].map(lambda t: t != "nonrenewable_supply" and run.is_renewable(t))]
    techs = technology_order(run, cap["technology"])
    regions = run.honam_regions
    with figure_style():
        fig, ax = plt.subplots(figsize=(9, 5))
        frames = {t: cap[cap["technology"] == t].set_index("region")[["existing", "new"]] for t in techs}
        x = existing_new_bars(ax, regions, frames, {t: run.technology_name(t, lang) for t in techs}, lang)
        ax.set_xticks(x, [run.region_name(r, lang) for r in regions])
        ax.set_title(tr("fig_capacity", lang))
        save(fig, path)
    return tr("fig_capacity_cap", lang)


def _net_link_energy(run: RunResults, link: str) -> float:
    return run.link_value(link, "energy_forward") - run.link_value(link, "energy_backward")


def fig_map(run: RunResults, lang: str, path: Path) -> str:
    """Schematic map on approximate coordinates (x = lon·cos(lat0), y = lat, equal aspect); links drawn as arcs so
    that corridors sharing a direction stay apart."""
    regions = run.inputs.regions
    power = run["capacity.csv"]
    power = power[power["kind"] == "power"]
    t = run["transmission.csv"]
    nodes = [r for r in regions.index if r in set(run.honam_regions) | set(run.export_regions)]
    lat0 = float(regions.loc[nodes, "lat"].astype(float).mean())
    X = {r: float(regions.at[r, "lon"]) * np.cos(np.deg2rad(lat0)) for r in nodes}
    Y = {r: float(regions.at[r, "lat"]) for r in nodes}
    honam = [r for r in nodes if r not in run.export_regions]
    if honam:  # Gwangju lies inside Jeonnam: spread the Honam nodes about their centre so that they stay legible
        cx, cy = np.mean([X[r] for r in honam]), np.mean([Y[r] for r in honam])
        for r in honam:
            X[r], Y[r] = cx + HONAM_SPREAD * (X[r] - cx), cy + HONAM_SPREAD * (Y[r] - cy)
    north = max((Y[r] for r in honam), default=lat0)
    for r in nodes:  # the Capital region is drawn at 45 % of its distance north of Honam (not to scale)
        if r in run.export_regions and Y[r] > north:
            Y[r] = north + CAPITAL_DISTANCE_SHOWN * (Y[r] - north)
    links = [l for l in dict.fromkeys(t["link"])
             if t.loc[t["link"] == l, "from_region"].iat[0] in X and t.loc[t["link"] == l, "to_region"].iat[0] in X]
    cap_max = max((run.link_value(l, "capacity_total") for l in links), default=1.0) or 1.0
    re_max = max(float(power["total"].max()), 1.0)
    with figure_style():
        fig, ax = plt.subplots(figsize=(9, 9))
        ax.set_aspect("equal")
        ax.grid(False)
        n_export = 0
        for link in links:
            rows = t[t["link"] == link]
            a, b = str(rows["from_region"].iat[0]), str(rows["to_region"].iat[0])
            total = run.link_value(link, "capacity_total")
            net = _net_link_energy(run, link)
            src, dst = (a, b) if net >= 0 else (b, a)
            export = b in run.export_regions
            if export:  # the first corridor bends west (the West-Coast HVDC), the next ones east
                rad, n_export = (-0.35 if n_export == 0 else 0.15 * n_export), n_export + 1
            else:
                rad = 0.3 if net >= 0 else -0.3
            ax.annotate("", xy=(X[dst], Y[dst]), xytext=(X[src], Y[src]),
                        arrowprops=dict(arrowstyle="-|>,head_width=0.5,head_length=0.9", lw=1.0 + 8.0 * total / cap_max,
                                        color="#c0392b" if export else "#34495e", alpha=0.7, shrinkA=16, shrinkB=16,
                                        connectionstyle=f"arc3,rad={rad}"))
            dx, dy = X[dst] - X[src], Y[dst] - Y[src]
            norm = max(np.hypot(dx, dy), 1e-9)
            push = 0.5 * rad * norm + (np.sign(rad) * 0.12 if not export else 0.0)  # labels clear of the arc
            mx = (X[src] + X[dst]) / 2 + push * dy / norm
            my = (Y[src] + Y[dst]) / 2 - push * dx / norm
            ax.text(mx, my, tr("link_label", lang, gw=f"{total / 1e3:,.1f}", twh=f"{abs(net) / 1e6:,.1f}"),
                    fontsize=8, ha="center", va="center", zorder=5,
                    bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor="#cccccc", alpha=0.92))
        south = min(nodes, key=lambda r: Y[r])
        xs = sorted(X.values())
        x_mid = (xs[0] + xs[-1]) / 2
        for r in nodes:
            if r in run.export_regions:
                e = run["energy.csv"]
                received = float(e[(e["region"] == r) & (e["quantity"] == "exports_received")]["value"].sum())
                label = tr("capital_label", lang, name=run.region_name(r, lang), twh=f"{received / 1e6:,.1f}")
                size, color = 700, "#c0392b"
            else:
                rp = power[power["region"] == r]
                re_mw = rp[rp["technology"].map(lambda x: run.technology_family(x) == "variable_renewable")]["total"].sum()
                st_mw = rp[rp["technology"].map(lambda x: run.technology_family(x) == "storage")]["total"].sum()
                label = tr("node_label", lang, name=run.region_name(r, lang), re_gw=f"{re_mw / 1e3:,.1f}",
                           st_gw=f"{st_mw / 1e3:,.1f}")
                size, color = 120 + 900 * re_mw / re_max, "#1f4e9c"
            ax.scatter([X[r]], [Y[r]], s=size, color=color, alpha=0.9, zorder=3, edgecolor="white")
            left = X[r] <= x_mid
            ax.annotate(label, (X[r], Y[r]), xytext=(-28 if left else 28, -26 if r == south else 14),
                        textcoords="offset points", fontsize=9.5, ha="right" if left else "left",
                        va="top" if r == south else "bottom", zorder=6,
                        bbox=dict(boxstyle="round,pad=0.3", facecolor="#f7f9fc", edgecolor="#9fb3d1"))
        ax.set_xlim(xs[0] - 1.3, xs[-1] + 1.3)
        ax.set_ylim(min(Y.values()) - 0.6, max(Y.values()) + 0.5)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(tr("fig_map", lang))
        save(fig, path)
    return tr("fig_map_cap", lang, capital_pct=round(100 * CAPITAL_DISTANCE_SHOWN), spread=f"{HONAM_SPREAD:g}")


def calendar_honam(run: RunResults) -> pd.DataFrame:
    """honam_hourly on the calendar hours of the year (calendar.csv): every hour takes the values of the snapshot
    standing for it; NaN where not modelled."""
    return series.calendar_frame(honam_hourly(run), run.calendar["snapshot"])


def wind_available(run: RunResults, h: pd.DataFrame) -> pd.Series:
    """Wind output available (used + curtailed) [MW] of a frame of honam_hourly quantities."""
    wind = [t for t in run.inputs.technologies.index if "wind" in t]
    cols = [c for c in h.columns if c.split(":", 1)[-1] in wind and c.startswith(("dispatch:", "curtailment:"))]
    return h[cols].sum(axis=1, min_count=1) if cols else pd.Series(0.0, index=h.index)


def season_weeks(run: RunResults) -> tuple[pd.DataFrame, dict]:
    """(Honam on the calendar, {season: its 168 calendar hours or None}) by series.WEEK_RULES."""
    h = calendar_honam(run)
    _, _, curtailment, demand = supply_and_uses(h)
    modelled = run.calendar["weight_h"].to_numpy() > 0
    return h, series.pick_calendar_weeks(demand, curtailment, wind_available(run, h), modelled)


def _steps(x: pd.DatetimeIndex, values: np.ndarray) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """x and values extended by the end of the last hour, for step plots over whole hours."""
    return x.append(pd.DatetimeIndex([x[-1] + pd.Timedelta(hours=1)])), np.r_[values, values[-1:]]


def fig_dispatch(run: RunResults, lang: str, path: Path, season: str, h: pd.DataFrame, block, hz) -> str:
    """One calendar week of Honam dispatch; `block` (168 calendar hours) from `season_weeks`, `hz` the Horizon."""
    supply, uses, curtailment, demand = supply_and_uses(h.loc[block])
    x = supply.index
    with figure_style():
        fig, ax = plt.subplots(figsize=(11, 5))
        ordered = technology_order(run, [c for c in supply.columns if c not in ("discharge", "net_import", "unserved")])
        ordered += [c for c in ("discharge", "net_import", "unserved") if c in supply.columns]
        pos = [supply[c].clip(lower=0).to_numpy() / 1e3 for c in ordered]
        xs, _ = _steps(x, np.zeros(len(x)))
        ext = lambda v: _steps(x, np.asarray(v))[1]  # noqa: E731
        ax.stackplot(xs, *[ext(v) for v in pos], colors=[_supply_color(c, i) for i, c in enumerate(ordered)],
                     labels=[_supply_label(run, c, lang) for c in ordered], linewidth=0, step="post")
        top = np.sum(pos, axis=0)
        ax.fill_between(xs, ext(top), ext(top + curtailment.to_numpy() / 1e3), color=CURTAIL_COLOR, step="post",
                        label=tr("lbl_curtailed", lang), linewidth=0)
        ax.stackplot(xs, ext(-uses["charge"].to_numpy() / 1e3), ext(-uses["net_export"].to_numpy() / 1e3),
                     colors=["#8e44ad", "#c0392b"], labels=[tr("lbl_charge", lang), tr("lbl_net_export", lang)],
                     alpha=0.8, linewidth=0, step="post")
        ax.step(xs, ext(demand.to_numpy() / 1e3), where="post", color="black", lw=1.6, label=tr("lbl_demand", lang))
        ax.axhline(0, color="black", lw=0.6)
        for day in pd.date_range(x[0], periods=8, freq="D"):
            ax.axvline(day, color="#999999", lw=0.5, alpha=0.6)
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylabel(tr("ax_gw_power", lang))
        season_name = tr(f"season_{season}", lang)
        ax.set_title(tr("fig_dispatch", lang, season=season_name) + f" ({x[0]:%Y-%m-%d} – {x[-1]:%m-%d})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m-%d"))
        save(fig, path)
    key = "fig_dispatch_cap" if hz.whole_year else "fig_dispatch_cap_weeks"
    return tr(key, lang, start=f"{x[0]:%Y-%m-%d}", end=f"{x[-1]:%Y-%m-%d}", horizon=hz.text(lang),
              why=tr(f"why_{season}", lang))


def price_axis(ax, values) -> None:
    """Linear price axis; symmetric-log beyond ±PRICE_LINEAR_KRW_PER_MWH when prices are extreme (a missed target's
    penalty shows as prices of millions of KRW/MWh), so that ordinary hours stay readable."""
    values = np.asarray(values, float)
    if values.size and np.nanmax(np.abs(values)) > 10 * PRICE_LINEAR_KRW_PER_MWH:
        ax.set_yscale("symlog", linthresh=PRICE_LINEAR_KRW_PER_MWH, linscale=2.0)
    else:
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))


def fig_price_duration(run: RunResults, lang: str, path: Path, hz) -> str:
    p = run["prices.csv"]
    w = run.weights
    with figure_style():
        fig, ax = plt.subplots(figsize=(9, 5))
        for i, r in enumerate(run.honam_regions):
            s = p[p["region"] == r].set_index("time")["value"]
            hours, values = series.duration_curve(s, w)
            ax.step(np.r_[0.0, hours], np.r_[values[:1], values], where="pre", lw=1.8, label=run.region_name(r, lang),
                    color=["#1f4e9c", "#e69500", "#16a085", "#8e44ad"][i % 4])
        ax.set_xlim(0, float(w.sum()))
        ax.set_xlabel(tr("ax_hours", lang))
        ax.set_ylabel(tr("ax_price", lang))
        price_axis(ax, p.loc[p["region"].isin(run.honam_regions), "value"])
        ax.set_title(tr("fig_price", lang))
        ax.legend()
        save(fig, path)
    return tr("fig_price_cap", lang, linear=f"{PRICE_LINEAR_KRW_PER_MWH:,.0f}", horizon=hz.text(lang))


def monthly_balance(run: RunResults) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(supply by technology incl. discharge, uses incl. demand, curtailment) per calendar month [MWh], Honam: Σ MW ×
    weight_h over the calendar hours of each month (calendar.csv), so the months add up to the annual totals."""
    supply, uses, curtailment, demand = supply_and_uses(calendar_honam(run))
    w = run.calendar["weight_h"]
    uses = uses.assign(demand=demand)[["demand", "charge", "net_export"]]
    return (series.calendar_monthly(supply, w), series.calendar_monthly(uses, w),
            series.calendar_monthly(curtailment, w))


def fig_monthly(run: RunResults, lang: str, path: Path, hz) -> str:
    supply, uses, curtail = monthly_balance(run)
    months = np.arange(1, 13)
    with figure_style():
        fig, ax = plt.subplots(figsize=(10, 5.5))
        ordered = technology_order(run, [c for c in supply.columns if c not in ("discharge", "net_import", "unserved")])
        ordered += [c for c in ("discharge", "net_import", "unserved") if c in supply.columns]
        bottom = np.zeros(12)
        for i, c in enumerate(ordered):
            v = supply[c].reindex(months).fillna(0.0).clip(lower=0).to_numpy() / 1e6
            ax.bar(months, v, bottom=bottom, color=_supply_color(c, i), label=_supply_label(run, c, lang), width=0.7)
            bottom += v
        cv = curtail.reindex(months).fillna(0.0).to_numpy() / 1e6
        ax.bar(months, cv, bottom=bottom, color=CURTAIL_COLOR, hatch="//", edgecolor="white", width=0.7,
               label=tr("lbl_curtailed", lang))
        below = np.zeros(12)
        for c, color, key in (("demand", "#34495e", "lbl_demand"), ("charge", "#8e44ad", "lbl_charge"),
                              ("net_export", "#c0392b", "lbl_net_export")):
            v = uses[c].reindex(months).fillna(0.0).clip(lower=0).to_numpy() / 1e6
            ax.bar(months, -v, bottom=-below, color=color, label=tr(key, lang), width=0.7, alpha=0.85)
            below += v
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xticks(months)
        ax.set_xlabel(tr("ax_month", lang))
        ax.set_ylabel(tr("ax_twh", lang))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):,.0f}"))
        ax.set_title(tr("fig_monthly", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        save(fig, path)
    return tr("fig_monthly_cap" if hz.whole_year else "fig_monthly_cap_weeks", lang, horizon=hz.text(lang))


def storage_by_technology(run: RunResults) -> tuple[pd.DataFrame, pd.Series]:
    """(stored energy in Honam per calendar hour and storage technology [MWh], energy capacity per technology [MWh])
    from storage_level.csv and capacity.csv; technologies without energy capacity are left out."""
    levels = run.storage_levels
    if levels.empty:
        return pd.DataFrame(index=run.calendar.index), pd.Series(dtype=float)
    honam = [c for c in levels.columns if c[1] in run.honam_regions]
    by_tech = levels[honam].T.groupby(level=0).sum(min_count=1).T
    cap = run["capacity.csv"]
    cap = cap[(cap["kind"] == "energy") & cap["region"].isin(run.honam_regions)].groupby("technology")["total"].sum()
    techs = [t for t in technology_order(run, by_tech.columns) if cap.get(t, 0.0) > 0]
    return by_tech[techs], cap[techs]


def fig_storage(run: RunResults, lang: str, path: Path, hz) -> str | None:
    """Stored energy over the calendar year, one panel per storage technology (None when no storage has energy)."""
    levels, cap = storage_by_technology(run)
    if levels.empty or not len(cap):
        return None
    with figure_style():
        fig, axes = plt.subplots(len(cap), 1, figsize=(11, 2.4 * len(cap) + 0.8), sharex=True, squeeze=False)
        for i, (ax, tech) in enumerate(zip(axes[:, 0], cap.index)):
            v = levels[tech].to_numpy() / 1e3
            color = tech_color(tech, i)
            ax.fill_between(levels.index, 0, v, color=color, alpha=0.3, linewidth=0)
            ax.plot(levels.index, v, color=color, lw=0.5, alpha=0.8)
            daily = levels[tech].resample("D").mean() / 1e3
            ax.plot(daily.index + pd.Timedelta(hours=12), daily.to_numpy(), color="black", lw=1.2,
                    label=tr("lbl_daily_mean", lang) if i == 0 else None)
            ax.axhline(cap[tech] / 1e3, color=color, ls="--", lw=1.0)
            ax.set_ylim(0, cap[tech] / 1e3 * 1.08)
            ax.set_ylabel(tr("ax_gwh", lang))
            ax.set_title(f"{run.technology_name(tech, lang)} ({tr('lbl_capacity', lang)} {cap[tech] / 1e3:,.1f} GWh)",
                         fontsize=10, loc="left")
        axes[0, 0].legend(loc="upper right", fontsize=9)
        axes[-1, 0].set_xlim(levels.index[0], levels.index[-1] + pd.Timedelta(hours=1))
        axes[-1, 0].xaxis.set_major_locator(matplotlib.dates.MonthLocator())
        axes[-1, 0].xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m"))
        axes[-1, 0].set_xlabel(tr("ax_month", lang))
        fig.suptitle(tr("fig_storage", lang))
        save(fig, path)
    return tr("fig_storage_cap" if hz.whole_year else "fig_storage_cap_weeks", lang, horizon=hz.text(lang))


def asset_label(run: RunResults, asset: str, lang: str) -> str:
    t = run["transmission.csv"]
    rows = t[t["link"] == asset]
    if not rows.empty:
        a, b = str(rows["from_region"].iat[0]), str(rows["to_region"].iat[0])
        arrow = "→" if b in run.export_regions else "–"
        links = run.inputs.links
        kind = str(links.loc[asset, "kind"]).upper() if asset in links.index and "kind" in links else ""
        # HVDC and AC routes to the same region differ by kind, two of one kind also by name
        twins = links[(links["from_region"] == a) & (links["to_region"] == b)] if "kind" in links else links.iloc[:0]
        twins = twins[twins["kind"].str.upper() == kind]
        suffix = "" if b not in run.export_regions or not kind else f" ({kind}, {asset})" if len(twins) > 1 else f" ({kind})"
        return f"{run.region_name(a, lang)} {arrow} {run.region_name(b, lang)}{suffix}"
    if asset == "unserved_energy":
        return tr("lbl_unserved", lang)
    if asset in run.export_regions:
        return run.region_name(asset, lang)
    return run.technology_name(asset, lang)


def cost_by_asset(run: RunResults) -> pd.DataFrame:
    """costs.csv without target penalties: index asset, one column per component [KRW/yr], largest first. The credits
    (value of the generation exports displace, hydrogen sold) are rows of their own, indexed by their component, so
    an asset's row shows what it costs."""
    c = run["costs.csv"]
    c = c[c["asset_kind"] != "target"].copy()
    credit = c["component"].isin(CREDIT_COMPONENTS)
    c.loc[credit, "asset"] = c.loc[credit, "component"]
    table = c.pivot_table(index="asset", columns="component", values="value", aggfunc="sum").fillna(0.0)
    table = table.loc[:, table.abs().sum() > 0]
    table = table.loc[table.sum(axis=1).abs() > 0]
    return table.loc[table.sum(axis=1).sort_values().index]


def fig_costs(run: RunResults, lang: str, path: Path) -> str:
    table = cost_by_asset(run)
    with figure_style():
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(table) + 1.8))
        y = np.arange(len(table))
        left = np.zeros(len(table))
        for comp in [c for c in COMPONENT_COLORS if c in table.columns] + [c for c in table.columns if c not in COMPONENT_COLORS]:
            v = table[comp].to_numpy() / 1e12
            ax.barh(y, v, left=left, color=COMPONENT_COLORS.get(comp, "#999999"), label=component_label(comp, lang),
                    height=0.7)
            left += v
        for yi, total in zip(y, left):
            ax.text(total, yi, f" {total:,.2f}", va="center", fontsize=8.5)
        ax.set_yticks(y, [component_label(a, lang) if a in CREDIT_COMPONENTS else asset_label(run, a, lang)
                          for a in table.index])
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(tr("ax_cost", lang))
        title = f"{tr('fig_costs', lang)}: {shown(run.metric('total_system_cost'), 'trillion_krw', lang)}"
        if table.index.isin(CREDIT_COMPONENTS).any():
            title += tr("fig_costs_net", lang, net=shown(run.metric("net_system_cost"), "trillion_krw", lang))
        ax.set_title(title)
        # credits leave the upper left empty (costs are positive, the largest on top); without them the lower right
        ax.legend(loc="upper left" if table.index.isin(CREDIT_COMPONENTS).any() else "lower right")
        save(fig, path)
    return tr("fig_costs_cap", lang)


def component_label(component: str, lang: str) -> str:
    return tr(f"comp_{component}", lang) if f"comp_{component}" in TEXT else component
