"""`re300 compare outputs/a outputs/b ...`: scenarios side by side (tables and figures), from each run's CSVs alone.

Writes `<out_dir>/memo.<lang>.md|html` and `<out_dir>/figures/*.<lang>.png` atomically (default out_dir: `compare/`
next to the first results folder, i.e. `outputs/compare/`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from re300.atomic import atomic_output_dir

from . import figures as F
from . import series
from .document import Document, Figure, Heading, Paragraph, Table
from .headline import HeadlineValue, export_links, headline
from .memo import check_langs, write_documents
from .numbers import number
from .runcsv import ResultsError, RunResults, load_run
from .sections import fmt, provenance, run_dir_text
from .text import LANGS, tr

SCENARIO_COLORS = ["#1f4e9c", "#e69500", "#16a085", "#c0392b", "#8e44ad", "#7f7f7f"]


@dataclass
class ComparisonResult:
    out_dir: Path
    runs: list[RunResults]
    headlines: dict[str, dict[str, HeadlineValue]]
    files: list[Path]


def comparison_rows(runs: list[RunResults], hls: dict[str, dict[str, HeadlineValue]], lang: str) -> list[list[str]]:
    """[label, value per scenario...] for the headline numbers (formatted with numbers.number)."""

    def row(label_key, key, kind=None):
        return [tr(label_key, lang)] + [number(hls[r.scenario][key].value, kind or hls[r.scenario][key].kind)
                                        for r in runs]

    rows = [
        row("row_renewable_ratio", "renewable_ratio"),
        row("row_export_ratio", "export_ratio"),
        row("row_exports", "exports_delivered"),
        row("row_consumption", "honam_consumption"),
        row("row_cost", "total_system_cost"),
        row("row_avg_cost", "average_cost_per_mwh_delivered"),
        row("row_avg_cost_demand", "average_cost_per_mwh_demand"),
        row("row_shadow_re", "renewable_target_shadow_price"),
        row("row_shadow_ex", "export_target_shadow_price"),
        row("row_curtail", "curtailment_share"),
        row("row_avoided", "emissions_avoided"),
    ]
    corridor = [tr("row_corridor", lang)]
    battery = [tr("row_battery", lang)]
    shortfall = [tr("row_shortfall", lang)]
    for r in runs:
        hl = hls[r.scenario]
        corridor.append(number(sum(hl[f"corridor_capacity_total:{l}"].value for l in export_links(r)), "gw"))
        p, e = hl.get("storage_power_total:battery"), hl.get("storage_energy_total:battery")
        battery.append(f"{number(p.value, 'gw2')} / {number(e.value, 'gwh')}" if p and e else "–")
        shortfall.append(number(hl["renewable_shortfall"].value + hl["export_shortfall"].value, "twh_small"))
    rows += [corridor, battery, shortfall, row("row_unserved", "unserved_energy")]
    return rows


def new_capacity_rows(runs: list[RunResults], lang: str) -> tuple[list[str], list[list[str]]]:
    frames = []
    for r in runs:
        c = r["capacity.csv"]
        c = c.groupby(["technology", "kind"])["new"].sum().rename(r.scenario)
        frames.append(c)
    table = pd.concat(frames, axis=1).fillna(0.0)
    table = table.loc[(table.abs() >= 0.5).any(axis=1)]
    order = F.technology_order(runs[0], table.index.get_level_values(0))
    rows = []
    for kind, unit in (("power", "MW"), ("energy", "MWh")):
        for tech in order:
            if (tech, kind) in table.index:
                rows.append([f"{runs[0].technology_name(tech, lang)} [{unit}]"] +
                            [f"{v:,.0f}" for v in table.loc[(tech, kind)]])
    return [tr("col_technology", lang)] + [r.scenario for r in runs], rows


# ---- figures ---------------------------------------------------------------------------------------------------
def _scenario_axis(ax, runs):
    ax.set_xticks(np.arange(len(runs)), [r.scenario for r in runs])


def cmp_capacity(runs, lang, path) -> str:
    ref = runs[0]
    frames = []
    for r in runs:
        c = r["capacity.csv"]
        c = c[(c["kind"] == "power") & c["region"].isin(r.honam_regions)]
        c = c[c["technology"].map(lambda t: t != "nonrenewable_supply" and r.is_renewable(t))]
        frames.append(c.groupby("technology")[["existing", "new"]].sum().assign(scenario=r.scenario))
    data = pd.concat(frames).reset_index()
    techs = F.technology_order(ref, data["technology"])
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(9, 5))
        scenarios = [r.scenario for r in runs]
        frames = {t: data[data["technology"] == t].set_index("scenario")[["existing", "new"]] for t in techs}
        x = F.existing_new_bars(ax, scenarios, frames, {t: ref.technology_name(t, lang) for t in techs}, lang)
        ax.set_xticks(x, scenarios)
        ax.set_title(tr("cmp_capacity", lang))
        F.save(fig, path)
    return tr("cmp_capacity_cap", lang)


def cmp_links(runs, lang, path) -> str:
    ref = runs[0]
    links = list(dict.fromkeys(l for r in runs for l in r["transmission.csv"]["link"]))
    labels = [F.asset_label(ref, l, lang) for l in links]
    width = 0.8 / len(runs)
    with F.figure_style():
        fig, axes = plt.subplots(1, 2, figsize=(12, 0.5 * len(links) + 2.5), sharey=True)
        y = np.arange(len(links))
        for k, r in enumerate(runs):
            t = r["transmission.csv"]
            cap = [float(t[(t["link"] == l) & (t["quantity"] == "capacity_total")]["value"].sum()) / 1e3 for l in links]
            sent = [float(t[(t["link"] == l) & t["quantity"].isin(["energy_forward", "energy_backward"])]["value"].sum())
                    / 1e6 for l in links]
            off = y - 0.4 + width * (k + 0.5)
            axes[0].barh(off, cap, height=width, color=SCENARIO_COLORS[k % 6], label=r.scenario)
            axes[1].barh(off, sent, height=width, color=SCENARIO_COLORS[k % 6], label=r.scenario)
        axes[0].set_yticks(y, labels)
        axes[0].set_xlabel(tr("ax_gw", lang))
        axes[1].set_xlabel(tr("ax_twh", lang))
        axes[0].legend(loc="upper center", bbox_to_anchor=(1.0, -0.12), ncol=len(runs))
        fig.suptitle(tr("cmp_links", lang))
        F.save(fig, path)
    return tr("cmp_links_cap", lang)


def honam_price(run: RunResults) -> pd.Series:
    """Demand-weighted average of the Honam regional prices per snapshot [KRW/MWh] (prices.csv, hourly.csv)."""
    p = run["prices.csv"]
    price = p[p["region"].isin(run.honam_regions)].pivot(index="time", columns="region", values="value")
    demand = run.hourly_wide.xs("demand", axis=1, level="quantity")[price.columns]
    return (price * demand).sum(axis=1) / demand.sum(axis=1)


def cmp_price(runs, lang, path) -> str:
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(9, 5))
        for k, r in enumerate(runs):
            hours, values = series.duration_curve(honam_price(r), r.weights)
            ax.step(np.r_[0.0, hours], np.r_[values[:1], values], where="pre", lw=1.8, label=r.scenario,
                    color=SCENARIO_COLORS[k % 6])
        ax.set_xlim(0, 8760)
        ax.set_xlabel(tr("ax_hours", lang))
        ax.set_ylabel(tr("ax_price", lang))
        F.price_axis(ax, np.concatenate([honam_price(r).to_numpy() for r in runs]))
        ax.set_title(tr("cmp_price", lang))
        ax.legend()
        F.save(fig, path)
    return tr("cmp_price_cap", lang, linear=f"{F.PRICE_LINEAR_KRW_PER_MWH:,.0f}")


def annual_balance(run: RunResults) -> tuple[pd.Series, pd.Series, float]:
    """(supply by technology + storage discharge, uses: demand, charge, net export) [MWh/yr], curtailment; Honam,
    from energy.csv."""
    e = run["energy.csv"]
    e = e[e["region"].isin(run.honam_regions)]
    q = lambda name: e[e["quantity"] == name].groupby("technology")["value"].sum()  # noqa: E731
    gen = q("generation")
    supply = gen[gen.abs() > 0].copy()
    supply["discharge"] = q("storage_discharge").sum()
    charge = q("storage_charge").sum()
    demand = q("demand").sum()
    unserved = q("unserved").sum()
    net_export = supply.sum() + unserved - demand - charge
    uses = pd.Series({"demand": demand, "charge": charge, "net_export": net_export})
    return supply, uses, float(q("curtailment").sum())


def cmp_energy(runs, lang, path) -> str:
    ref = runs[0]
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(9, 5.5))
        x = np.arange(len(runs))
        balances = [annual_balance(r) for r in runs]
        keys = F.technology_order(ref, [k for s, _, _ in balances for k in s.index if k != "discharge"]) + ["discharge"]
        bottom = np.zeros(len(runs))
        for i, key in enumerate(keys):
            v = np.array([float(s.get(key, 0.0)) for s, _, _ in balances]) / 1e6
            ax.bar(x, v, bottom=bottom, color=F._supply_color(key, i), label=F._supply_label(ref, key, lang), width=0.6)
            bottom += v
        cv = np.array([c for _, _, c in balances]) / 1e6
        ax.bar(x, cv, bottom=bottom, color=F.CURTAIL_COLOR, hatch="//", edgecolor="white", width=0.6,
               label=tr("lbl_curtailed", lang))
        below = np.zeros(len(runs))
        for key, color, label in (("demand", "#34495e", "lbl_demand"), ("charge", "#8e44ad", "lbl_charge"),
                                  ("net_export", "#c0392b", "lbl_net_export")):
            v = np.array([float(u[key]) for _, u, _ in balances]).clip(min=0) / 1e6
            ax.bar(x, -v, bottom=-below, color=color, label=tr(label, lang), width=0.6, alpha=0.85)
            below += v
        ax.axhline(0, color="black", lw=0.6)
        _scenario_axis(ax, runs)
        ax.set_ylabel(tr("ax_twh", lang))
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):,.0f}"))
        ax.set_title(tr("cmp_energy", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        F.save(fig, path)
    return tr("cmp_energy_cap", lang)


def cmp_monthly(runs, lang, path) -> str:
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(10, 5))
        for k, r in enumerate(runs):
            h = F.honam_hourly(r)
            gen = F.by_prefix(h, "dispatch")
            renewable = gen[[c for c in gen.columns if r.is_renewable(c)]].sum(axis=1)
            snapshots = pd.DataFrame({"re": renewable, "demand": h["demand"]})
            on_calendar = series.calendar_frame(snapshots, r.calendar["snapshot"])
            m = series.calendar_monthly(on_calendar, r.calendar["weight_h"]) / 1e6
            color = SCENARIO_COLORS[k % 6]
            ax.plot(m.index, m["re"], marker="o", color=color, label=r.scenario)
            ax.plot(m.index, m["demand"], marker="s", ls="--", color=color, alpha=0.7)
        ax.set_xticks(np.arange(1, 13))
        ax.set_xlim(0.5, 12.5)
        ax.set_xlabel(tr("ax_month", lang))
        ax.set_ylabel(tr("ax_twh", lang))
        ax.set_title(tr("cmp_monthly", lang))
        ax.legend()
        F.save(fig, path)
    return tr("cmp_monthly_cap", lang)


def cmp_costs(runs, lang, path) -> str:
    with F.figure_style():
        fig, ax = plt.subplots(figsize=(9, 5))
        x = np.arange(len(runs))
        tables = []
        for r in runs:
            c = r["costs.csv"]
            tables.append(c.groupby("component")["value"].sum())
        comps = [c for c in F.COMPONENT_COLORS if c != "shortfall_penalty" and any(t.get(c, 0) != 0 for t in tables)]
        bottom = np.zeros(len(runs))
        for comp in comps:
            v = np.array([float(t.get(comp, 0.0)) for t in tables]) / 1e12
            ax.bar(x, v, bottom=bottom, color=F.COMPONENT_COLORS[comp], label=F.component_label(comp, lang), width=0.6)
            bottom += v
        for xi, total in zip(x, bottom):
            ax.annotate(f"{total:,.2f}", (xi, total), ha="center", va="bottom", xytext=(0, 2), textcoords="offset points")
        pen = np.array([float(t.get("shortfall_penalty", 0.0)) for t in tables]) / 1e12
        if pen.any():
            ax2 = ax.twinx()
            ax2.bar(x + 0.35, pen, width=0.15, color=F.COMPONENT_COLORS["shortfall_penalty"], hatch="//",
                    label=F.component_label("shortfall_penalty", lang))
            ax2.set_ylabel(F.component_label("shortfall_penalty", lang) + " [" + tr("ax_cost", lang).split("[")[-1])
            ax2.legend(loc="upper left", bbox_to_anchor=(1.12, 0.55))
            ax2.grid(False)
        _scenario_axis(ax, runs)
        ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.15)
        ax.set_ylabel(tr("ax_cost", lang))
        ax.set_title(tr("cmp_costs", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.12 if pen.any() else 1.01, 1.0))
        F.save(fig, path)
    return tr("cmp_costs_cap", lang)


FIGURES = (
    ("capacity", cmp_capacity, "cmp_capacity"),
    ("transmission", cmp_links, "cmp_links"),
    ("price_duration", cmp_price, "cmp_price"),
    ("energy_balance", cmp_energy, "cmp_energy"),
    ("monthly", cmp_monthly, "cmp_monthly"),
    ("costs", cmp_costs, "cmp_costs"),
)


def comparison_document(runs, hls, lang: str, fig_dir: Path) -> Document:
    names = ", ".join(r.scenario for r in runs)
    doc = Document(tr("compare_title", lang, names=names), lang)
    doc.add(Paragraph(tr("compare_intro", lang, n=len(runs), dirs=", ".join(f"`{run_dir_text(r)}`" for r in runs))))
    doc.add(Paragraph(tr("lang_switch", lang), css="small"))
    header = [tr("col_metric", lang)] + [r.scenario for r in runs]
    numeric = [False] + [True] * len(runs)
    doc.add(Heading(tr("h_compare_table", lang)),
            Table(header, comparison_rows(runs, hls, lang), numeric=numeric))
    for r in runs:
        hl = hls[r.scenario]
        notes = [r.description]
        if hl["renewable_shortfall"].value + hl["export_shortfall"].value > 1e-6:
            notes.append(tr("hl_shortfall", lang, re=fmt(hl, "renewable_shortfall", lang),
                            ex=fmt(hl, "export_shortfall", lang), pen=fmt(hl, "shortfall_penalty", lang)))
        if hl["unserved_energy"].value > 1e-6:
            notes.append(tr("hl_unserved", lang, twh=fmt(hl, "unserved_energy", lang)))
        doc.add(Paragraph(f"**{r.scenario}:** " + " — ".join(n for n in notes if n), css="small"))
    headers, rows = new_capacity_rows(runs, lang)
    doc.add(Heading(tr("h_compare_build", lang)), Table(headers, rows, numeric=numeric))
    doc.add(Heading(tr("h_figures", lang)))
    for name, fn, key in FIGURES:
        path = fig_dir / f"{name}.{lang}.png"
        doc.add(Figure(path, tr(key, lang), fn(runs, lang, path)))
    doc.add(Heading(tr("h_provenance", lang)))
    for r in runs:
        doc.add(Paragraph(f"**{r.scenario}:** " + provenance(r, lang), css="small"))
    return doc


def build_comparison(run_dirs, out_dir=None, langs=LANGS) -> ComparisonResult:
    langs = check_langs(langs)
    run_dirs = [Path(d) for d in run_dirs]
    if len(run_dirs) < 2:
        raise ResultsError(f"compare: {len(run_dirs)} results folder(s) given (expected at least two "
                           "outputs/<scenario> folders)")
    runs = [load_run(d) for d in run_dirs]
    pathways = [str(r.run_dir) for r in runs if r.is_pathway]
    if pathways:
        raise ResultsError(f"compare: {pathways[0]} is a pathway run (periods in summary.csv); the comparison covers "
                           "single-year runs (`re300 memo` writes a pathway's memo, its periods side by side)")
    names = [r.scenario for r in runs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ResultsError(f"compare: scenario {dup[0]!r} given twice (expected distinct scenarios)")
    hls = {r.scenario: headline(r) for r in runs}
    out_dir = Path(out_dir) if out_dir else run_dirs[0].parent / "compare"
    with atomic_output_dir(out_dir) as tmp:
        docs = {lang: comparison_document(runs, hls, lang, tmp / "figures") for lang in langs}
        write_documents(docs, tmp)
    files = sorted(p for p in out_dir.rglob("*") if p.is_file())
    return ComparisonResult(out_dir, runs, hls, files)
