"""The memo of a pathway run (`re300 memo outputs/pathway`): investment periods side by side, from the run's CSVs.

Headline (present value of the pathway's cost, the targets and costs per period, what is built, the corridor), a
table of periods, figures (capacity trajectory by technology and region, renewable ratio and exports against the
targets, annual and present-value costs, builds and retirements, the HVDC timeline, and the final period's monthly
balance and storage on the calendar), assumptions, limitations and provenance. Every number comes from summary.csv
(rows per period and the pathway-wide rows of period `all`), capacity_trajectory.csv, costs.csv and
transmission.csv; `run.for_period(year)` gives one period shaped like a single-year run.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from . import figures as F
from .document import Box, Document, Figure, Heading, Paragraph, Table
from .headline import HeadlineValue, export_links, headline, headline_value, optional_metric
from .horizon import horizon
from .numbers import number, shown
from .runcsv import RunResults
from .sections import add_closing_sections, fmt
from .text import tr

PERIOD_SEP = "@"  # headline keys of a period: "<key>@<year>"
LINK_COLORS = ["#c0392b", "#e67e22", "#8e44ad", "#16a085"]


def period_key(key: str, year: int) -> str:
    return f"{key}{PERIOD_SEP}{year}"


def pathway_headline(run: RunResults) -> dict[str, HeadlineValue]:
    """Every single-year headline value of each period (key "<key>@<year>", sources marked with the period), plus the
    pathway-wide present values of summary.csv (period `all`)."""
    out: dict[str, HeadlineValue] = {}
    for y in run.periods:
        for key, v in headline(run.for_period(y)).items():
            k = period_key(key, y)
            out[k] = HeadlineValue(k, v.value, v.kind, v.unit, tuple(f"{src} [period {y}]" for src in v.sources))
    for key, kind in (("discounted_total_system_cost", "trillion_krw_pv"), ("discounted_shortfall_penalty", "trillion_krw_pv"),
                      ("discount_rate", "share")):
        out[key] = headline_value(key, run.metric(key), kind, run.summary_units.get(key, ""), f"summary.csv: period all, {key}")
    return out


def trajectory(run: RunResults) -> pd.DataFrame:
    return run["capacity_trajectory.csv"]


def honam_power(run: RunResults) -> pd.DataFrame:
    """capacity_trajectory.csv rows of generation and storage power in the Honam regions: renewables, storage and new
    firm capacity (gas turbines); the existing thermal and nuclear fleet (nonrenewable_supply) and links left out."""
    t = trajectory(run)
    t = t[(t["kind"] == "power") & t["region"].isin(run.honam_regions)]
    return t[t["technology"] != "nonrenewable_supply"]


def corridor(run: RunResults) -> pd.DataFrame:
    """capacity_trajectory.csv rows of the links into the Capital region."""
    t = trajectory(run)
    return t[(t["kind"] == "transfer") & t["technology"].isin(export_links(run))]


def target(view: RunResults, kind: str) -> float:
    key = "renewable_target_ratio" if kind == "renewable" else "export_target_ratio"
    return float(view.summary.get(key, np.nan))


# ---- figures --------------------------------------------------------------------------------------------------
def fig_trajectory(run: RunResults, lang: str, path: Path) -> str:
    """Capacity in service per period by technology, one panel per Honam region (stacked bars, GW)."""
    t = honam_power(run)
    regions = [r for r in run.honam_regions if r in set(t["region"])]
    in_service = t.groupby("technology")["total"].max()
    techs = F.technology_order(run, in_service.index[in_service >= 0.5])  # none in service in any period: left out
    years = run.periods
    x = np.arange(len(years))
    with F.figure_style():
        fig, axes = plt.subplots(1, len(regions), figsize=(3.0 * len(regions) + 1.0, 4.8), sharey=True, squeeze=False)
        for ax, region in zip(axes[0], regions):
            rows = t[t["region"] == region].pivot_table(index="period", columns="technology", values="total",
                                                         aggfunc="sum").reindex(years).fillna(0.0)
            bottom = np.zeros(len(years))
            for i, tech in enumerate(techs):
                v = rows.get(tech, pd.Series(0.0, index=years)).to_numpy() / 1e3
                ax.bar(x, v, bottom=bottom, color=F.tech_color(tech, i), width=0.7,
                       label=run.technology_name(tech, lang) if region == regions[0] else None)
                bottom += v
            for xi, total in zip(x, bottom):
                ax.annotate(f"{total:,.1f}" if total < 10 else f"{total:,.0f}", (xi, total), ha="center", va="bottom",
                            fontsize=8.5, xytext=(0, 2), textcoords="offset points")
            ax.set_xticks(x, [str(y) for y in years])
            ax.set_title(run.region_name(region, lang), fontsize=10, pad=14)
        axes[0, 0].set_ylabel(tr("ax_gw", lang))
        handles, labels = axes[0, 0].get_legend_handles_labels()
        axes[0, -1].legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9)
        fig.suptitle(tr("pw_fig_trajectory", lang))
        F.save(fig, path)
    return tr("pw_fig_trajectory_cap", lang)


def fig_targets(run: RunResults, lang: str, path: Path) -> str:
    """Renewable ratio and exports per period (bars) against the targets (markers)."""
    years = run.periods
    x = np.arange(len(years))
    views = [run.for_period(y) for y in years]
    with F.figure_style():
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
        for ax, (kind, metric, color, title) in zip(axes, (
                ("renewable", "renewable_ratio", "#2e8b57", "pw_ratio_title"),
                ("export", "export_ratio", "#c0392b", "pw_export_title"))):
            achieved = np.array([v.metric(metric) for v in views])
            goal = np.array([target(v, kind) for v in views])
            if kind == "export":
                # what the commitment counts = net deliveries + (where counted) the electricity sold as hydrogen
                wires = np.array([optional_metric(v, "exports_delivered") / v.metric("honam_consumption")
                                  for v in views])
                wires = np.minimum(wires, achieved)
                ax.bar(x, wires, color=color, width=0.6, alpha=0.85, label=tr("pw_achieved_wires", lang))
                ax.bar(x, achieved - wires, bottom=wires, color="#7fb3d5", width=0.6, alpha=0.85,
                       label=tr("pw_achieved_hydrogen", lang))
            else:
                ax.bar(x, achieved, color=color, width=0.6, alpha=0.85, label=tr("pw_achieved", lang))
            has = ~np.isnan(goal)
            ax.scatter(x[has], goal[has], marker="_", s=900, linewidths=3, color="black", zorder=4,
                       label=tr("pw_target", lang))
            for xi, a in zip(x, achieved):
                ax.annotate(f"{a:.2f}", (xi, a), ha="center", va="bottom", fontsize=9, xytext=(0, 3),
                            textcoords="offset points")
            ax.set_xticks(x, [str(y) for y in years])
            ax.set_ylabel(tr("pw_ax_ratio", lang))
            ax.set_title(tr(title, lang), fontsize=10)
            ax.set_ylim(0, max(np.nanmax(np.r_[achieved, goal, 0.1]), 0.1) * 1.18)
            ax.legend(loc="upper left")
        fig.suptitle(tr("pw_fig_targets", lang))
        F.save(fig, path)
    return tr("pw_fig_targets_cap", lang)


def period_costs(run: RunResults) -> pd.DataFrame:
    """Annual cost per period and component [KRW/yr] (costs.csv, target penalties left out)."""
    c = run["costs.csv"]
    c = c[c["asset_kind"] != "target"]
    table = c.pivot_table(index="period", columns="component", values="value", aggfunc="sum").reindex(run.periods)
    return table.fillna(0.0).loc[:, lambda f: f.abs().sum() > 0]


def period_weights(run: RunResults) -> pd.Series:
    """W_p of each period (summary.csv metric period_objective_weight)."""
    s = run["summary.csv"]
    s = s[s["metric"] == "period_objective_weight"]
    return pd.Series(s["value"].astype(float).to_numpy(), index=s["period"].astype(int)).reindex(run.periods)


def fig_costs(run: RunResults, lang: str, path: Path) -> str:
    """Left: annual system cost per period by component; right: its present value (W_p × annual cost)."""
    table = period_costs(run)
    w = period_weights(run)
    years = run.periods
    x = np.arange(len(years))
    comps = [c for c in F.COMPONENT_COLORS if c in table.columns] + [c for c in table.columns if c not in F.COMPONENT_COLORS]
    with F.figure_style():
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
        for ax, scale, key in ((axes[0], pd.Series(1.0, index=years), "pw_costs_annual"), (axes[1], w, "pw_costs_pv")):
            bottom = np.zeros(len(years))
            for comp in comps:
                v = table[comp].to_numpy() * scale.to_numpy() / 1e12
                ax.bar(x, v, bottom=bottom, color=F.COMPONENT_COLORS.get(comp, "#999999"), width=0.65,
                       label=F.component_label(comp, lang))
                bottom += v
            for xi, total in zip(x, bottom):
                ax.annotate(f"{total:,.1f}", (xi, total), ha="center", va="bottom", fontsize=9, xytext=(0, 2),
                            textcoords="offset points")
            ax.set_xticks(x, [str(y) for y in years])
            ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.15)
            ax.set_title(tr(key, lang), fontsize=10)
        axes[0].set_ylabel(tr("ax_cost", lang))
        axes[1].set_ylabel(tr("pw_ax_cost_pv", lang))
        axes[1].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        fig.suptitle(tr("pw_fig_costs", lang))
        F.save(fig, path)
    base = run.manifest.get("pathway", {}).get("base_year", "")
    return tr("pw_fig_costs_cap", lang, base=base, rate=shown(run.metric("discount_rate"), "share", lang))


def fig_build_retire(run: RunResults, lang: str, path: Path) -> str:
    """Honam power capacity built (above zero) and retired (below) in each period, by technology [GW]."""
    t = honam_power(run)
    years = run.periods
    x = np.arange(len(years))
    techs = F.technology_order(run, t["technology"])
    built = t.pivot_table(index="period", columns="technology", values="built", aggfunc="sum").reindex(years).fillna(0.0)
    retired = t.pivot_table(index="period", columns="technology", values="retired", aggfunc="sum").reindex(years).fillna(0.0)
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(10, 5))
        up, down = np.zeros(len(years)), np.zeros(len(years))
        for i, tech in enumerate(techs):
            b = built.get(tech, pd.Series(0.0, index=years)).clip(lower=0).to_numpy() / 1e3
            r = retired.get(tech, pd.Series(0.0, index=years)).clip(lower=0).to_numpy() / 1e3
            if not (b.any() or r.any()):
                continue
            color = F.tech_color(tech, i)
            ax.bar(x, b, bottom=up, color=color, width=0.65, label=run.technology_name(tech, lang))
            ax.bar(x, -r, bottom=-down, color=color, width=0.65, alpha=0.55, hatch="//", edgecolor="white")
            up += b
            down += r
        for xi, u, d in zip(x, up, down):
            ax.annotate(f"+{u:,.1f}", (xi, u), ha="center", va="bottom", fontsize=9, xytext=(0, 2), textcoords="offset points")
            if d > 0:
                ax.annotate(f"-{d:,.1f}", (xi, -d), ha="center", va="top", fontsize=9, xytext=(0, -2),
                            textcoords="offset points")
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xticks(x, [str(y) for y in years])
        ax.set_ylabel(tr("pw_ax_gw_change", lang))
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):,.0f}"))
        ax.set_title(tr("pw_fig_build", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        F.save(fig, path)
    return tr("pw_fig_build_cap", lang)


def fig_hvdc(run: RunResults, lang: str, path: Path) -> str:
    """Capacity of each corridor link into the Capital region per period (existing hatched, new solid) and the
    energy delivered (line, right axis)."""
    c = corridor(run)
    years = run.periods
    x = np.arange(len(years))
    links = list(dict.fromkeys(c["technology"]))
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(13, 5))
        bottom = np.zeros(len(years))
        for i, link in enumerate(links):
            rows = c[c["technology"] == link].set_index("period").reindex(years).fillna(0.0)
            color = LINK_COLORS[i % len(LINK_COLORS)]
            ex, new = rows["existing"].to_numpy() / 1e3, rows["new"].to_numpy() / 1e3
            ax.bar(x, ex, bottom=bottom, color=color, alpha=0.5, hatch="//", edgecolor="white", width=0.6)
            bottom += ex
            ax.bar(x, new, bottom=bottom, color=color, width=0.6, label=F.asset_label(run, link, lang))
            bottom += new
        for xi, total in zip(x, bottom):
            ax.annotate(f"{total:,.1f} GW", (xi, total), ha="center", va="bottom", fontsize=9, xytext=(0, 2),
                        textcoords="offset points")
        ax.set_xticks(x, [str(y) for y in years])
        ax.set_ylabel(tr("ax_gw", lang))
        ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.18)
        ax2 = ax.twinx()
        delivered = np.array([run.for_period(y).metric("exports_delivered") for y in years]) / 1e6
        ax2.plot(x, delivered, color="black", marker="o", lw=1.8, label=tr("pw_delivered", lang))
        ax2.set_ylabel(tr("ax_twh", lang))
        ax2.set_ylim(0, max(float(delivered.max()), 1e-9) * 1.18)
        ax2.grid(False)
        handles, labels = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        handles += [Patch(facecolor="#999999", alpha=0.5, hatch="//", edgecolor="white"), Patch(facecolor="#999999")]
        labels += [tr("lbl_existing", lang), tr("pw_lbl_built", lang)]
        ax.legend(handles + h2, labels + l2, loc="upper left", bbox_to_anchor=(1.09, 1.0), fontsize=9)
        ax.set_title(tr("pw_fig_hvdc", lang))
        F.save(fig, path)
    return tr("pw_fig_hvdc_cap", lang)


# ---- text blocks ----------------------------------------------------------------------------------------------
def pathway_line(run: RunResults, lang: str) -> str:
    pw = run.manifest.get("pathway", {})
    views = [run.for_period(y) for y in run.periods]
    money_year = run.inputs.constant("money_year")
    return tr("pw_scenario_line", lang, periods=", ".join(map(str, run.periods)),
              foresight=tr(f"foresight_{pw.get('foresight', 'perfect')}", lang),
              first=shown(views[0].metric("honam_consumption"), "twh", lang),
              last=shown(views[-1].metric("honam_consumption"), "twh", lang), base=pw.get("base_year", "?"),
              rate=shown(run.metric("discount_rate"), "share", lang), money_year=f"{money_year:.0f}")


def _ratio_text(value: float, goal: float, lang: str) -> str:
    if np.isnan(goal):
        return tr("pw_ratio_no_target", lang, ratio=number(value, "ratio"))
    return tr("pw_ratio_vs_target", lang, ratio=number(value, "ratio"), target=number(goal, "ratio"))


def built_total(run: RunResults) -> pd.Series:
    """Honam power capacity built over the whole pathway per technology [MW] (capacity_trajectory.csv built)."""
    return honam_power(run).groupby("technology")["built"].sum().sort_values(ascending=False)


def pathway_box(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> Box:
    years = run.periods
    views = {y: run.for_period(y) for y in years}
    items, subs, warnings = [], {}, []
    for y in years:
        h = lambda key: hl[period_key(key, y)]  # noqa: E731
        if h("unserved_energy").value > 1e-6:
            warnings.append(f"{y}: " + tr("hl_unserved", lang, twh=shown(h("unserved_energy").value, "twh_small", lang)))
        if h("renewable_shortfall").value + h("export_shortfall").value > 1e-6:
            warnings.append(f"{y}: " + tr("hl_shortfall", lang, re=shown(h("renewable_shortfall").value, "twh_small", lang),
                                          ex=shown(h("export_shortfall").value, "twh_small", lang),
                                          pen=shown(h("shortfall_penalty").value, "trillion_krw", lang)))
    label = tr("pw_hl_cost", lang)
    items.append((label, tr("pw_hl_cost_val", lang, pv=fmt(hl, "discounted_total_system_cost", lang),
                            base=run.manifest.get("pathway", {}).get("base_year", "?"),
                            rate=fmt(hl, "discount_rate", lang))))
    subs[label] = [tr("pw_hl_cost_item", lang, year=y, cost=shown(hl[period_key("total_system_cost", y)].value,
                                                                    "trillion_krw", lang),
                      avg=shown(hl[period_key("average_cost_per_mwh_delivered", y)].value, "krw_per_mwh", lang))
                   for y in years]
    if hl["discounted_shortfall_penalty"].value > 0:
        subs[label].append(tr("pw_hl_penalty", lang, pv=fmt(hl, "discounted_shortfall_penalty", lang)))
    label = tr("pw_hl_targets", lang)
    items.append((label, tr("pw_hl_targets_val", lang)))
    subs[label] = [tr("pw_hl_targets_item", lang, year=y,
                      re=_ratio_text(views[y].metric("renewable_ratio"), target(views[y], "renewable"), lang),
                      ex=_ratio_text(views[y].metric("export_ratio"), target(views[y], "export"), lang),
                      twh=shown(views[y].metric("exports_delivered"), "twh", lang)) for y in years]
    label = tr("pw_hl_built", lang)
    built = built_total(run)
    built = built[built >= 0.5]
    items.append((label, tr("pw_hl_built_val", lang, gw=shown(float(built.sum()), "gw", lang), first=years[0],
                            last=years[-1])))
    subs[label] = [f"{run.technology_name(t, lang)}: {shown(mw, 'gw2', lang)}" for t, mw in built.items()]
    label = tr("pw_hl_corridor", lang)
    c = corridor(run)
    items.append((label, ""))
    subs[label] = [tr("pw_hl_corridor_item", lang, year=y, gw=shown(float(c.loc[c["period"] == y, "total"].sum()), "gw", lang),
                      new=shown(float(c.loc[c["period"] == y, "built"].sum()), "gw", lang)) for y in years]
    return Box(tr("h_headline", lang), items, subs, warnings)


def periods_table(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> Table:
    w = period_weights(run)
    power = honam_power(run)
    rows = []
    for y in run.periods:
        v = run.for_period(y)
        h = lambda key: hl[period_key(key, y)].value  # noqa: E731
        rows.append([str(y), number(h("honam_consumption"), "twh"),
                     _ratio_text(v.metric("renewable_ratio"), target(v, "renewable"), lang),
                     _ratio_text(v.metric("export_ratio"), target(v, "export"), lang),
                     number(h("total_system_cost"), "trillion_krw"), number(h("average_cost_per_mwh_delivered"), "krw_per_mwh"),
                     f"{w[y]:.2f}", number(w[y] * h("total_system_cost"), "trillion_krw"),
                     number(float(power.loc[power["period"] == y, "built"].sum()), "gw"),
                     number(h("renewable_shortfall") + h("export_shortfall"), "twh_small")])
    headers = [tr(k, lang) for k in ("pw_col_period", "pw_col_consumption", "pw_col_ratio", "pw_col_exports", "pw_col_cost",
                                     "pw_col_avg", "pw_col_weight", "pw_col_pv", "pw_col_built", "pw_col_shortfall")]
    return Table(headers, rows, tr("pw_periods_caption", lang), numeric=[False] + [True] * 9)


def build_table(run: RunResults, lang: str) -> Table:
    """Built / retired GW per technology (rows) and period (columns), Honam."""
    t = honam_power(run)
    years = run.periods
    rows = []
    for tech in F.technology_order(run, t["technology"]):
        r = t[t["technology"] == tech].groupby("period")[["built", "retired"]].sum().reindex(years).fillna(0.0)
        if (r.abs() < 0.5).all().all():
            continue
        rows.append([run.technology_name(tech, lang)] +
                    [f"{number(b, 'gw')} / {number(x, 'gw')}" for b, x in zip(r["built"], r["retired"])])
    return Table([tr("col_technology", lang)] + [str(y) for y in years], rows, tr("pw_build_caption", lang),
                 numeric=[False] + [True] * len(years))


PATHWAY_FIGURES = (
    ("trajectory", "pw_fig_trajectory", fig_trajectory),
    ("targets", "pw_fig_targets", fig_targets),
    ("period_costs", "pw_fig_costs", fig_costs),
    ("build_retire", "pw_fig_build", fig_build_retire),
    ("hvdc", "pw_fig_hvdc", fig_hvdc),
)


def pathway_document(run: RunResults, hl: dict[str, HeadlineValue], lang: str, fig_dir: Path) -> Document:
    doc = Document(tr("pw_title", lang, scenario=run.scenario), lang)
    doc.add(Paragraph(pathway_line(run, lang)))
    last = run.for_period(run.periods[-1])
    hz = horizon(last)
    doc.add(Paragraph(tr("pw_horizon_line", lang, horizon=hz.text(lang)), css="small"))
    if lang == "en" and run.description:
        doc.add(Paragraph(run.description, css="small"))
    doc.add(Paragraph(tr("lang_switch", lang), css="small"))
    doc.add(pathway_box(run, hl, lang))
    doc.add(Heading(tr("pw_h_periods", lang)), periods_table(run, hl, lang))
    doc.add(Heading(tr("pw_h_build", lang)), build_table(run, lang))

    doc.add(Heading(tr("h_figures", lang)))
    for name, key, draw in PATHWAY_FIGURES:
        path = fig_dir / f"{name}.{lang}.png"
        doc.add(Figure(path, tr(key, lang), draw(run, lang, path)))
    # the final period on the calendar (each period has its own calendar: re300.calendar(ds, period=year))
    y = run.periods[-1]
    for name, key, draw in (("monthly_balance", "fig_monthly", F.fig_monthly), ("storage_level", "fig_storage", F.fig_storage)):
        path = fig_dir / f"{name}_{y}.{lang}.png"
        caption = draw(last, lang, path, hz)
        if caption is not None:
            doc.add(Figure(path, f"{tr(key, lang)} ({y})", caption))
    add_closing_sections(doc, run, lang, hz, extra_files=", capacity_trajectory.csv")
    return doc
