"""`re300 memo outputs/<scenario>`: a policy memo in Korean and English, from the result CSVs alone.

    result = build_memo("outputs/re300_2050", langs=("ko", "en"))
    result.headline["renewable_ratio"].value   # == summary.csv renewable_ratio (a pathway: "renewable_ratio@2050")
    result.files                               # memo/memo.ko.md, memo.ko.html, memo.en.md, memo.en.html, figures/*.png

A pathway run (summary.csv with a `period` column) gets the pathway memo (re300.report.pathway_memo). Everything is
written atomically into `<run_dir>/memo/`; building one language keeps the other's files.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from re300.atomic import atomic_output_dir

from . import deliverability as D
from . import figures as F
from . import sensitivity as S
from .document import Box, Document, Figure, Heading, Paragraph, Table, to_html, to_markdown
from .headline import MIN_SHOWN_MW, HeadlineValue, export_links, headline, storage_technologies
from .horizon import Horizon, horizon
from .numbers import number, shown
from .pathway_memo import pathway_document, pathway_headline
from .runcsv import RunResults, load_run
from .sections import add_closing_sections, fmt
from .text import LANGS, tr


@dataclass
class MemoResult:
    run_dir: Path
    memo_dir: Path
    headline: dict[str, HeadlineValue]
    files: list[Path]


def check_langs(langs) -> tuple[str, ...]:
    from .runcsv import ResultsError

    langs = tuple(dict.fromkeys(langs))
    for lang in langs:
        if lang not in LANGS:
            raise ResultsError(f"--lang: {lang!r} is not a memo language (expected one of {', '.join(LANGS)})")
    return langs


# ---- the scenario line ------------------------------------------------------------------------------------------
def scenario_line(run: RunResults, lang: str) -> str:
    sc = run.resolved
    targets = sc.get("targets", {})
    re_t, ex_t = targets.get("renewable_share"), targets.get("export_share")
    export_part = tr("export_part", lang, export_target=f"{ex_t:g}") if ex_t else ""
    money_year = run.inputs.constant("money_year")
    return tr("scenario_line", lang, year=sc.get("year", "?"), cost_year=sc.get("cost_year", sc.get("year", "?")),
              re_target=f"{re_t:g}" if re_t is not None else tr("no_target", lang), export_part=export_part,
              consumption=shown(run.metric("honam_consumption"), "twh", lang), money_year=f"{money_year:.0f}")


# ---- the headline box -----------------------------------------------------------------------------------------
# Each row is a function (run, hl, lang) -> [(label, text, sub-items)] (none, one or several rows); HEADLINE_ROWS lists
# them in order, so a new headline number is one function and one entry.
Row = tuple[str, str, list[str]]


def row_ratio(run, hl, lang) -> list[Row]:
    return [(tr("hl_ratio", lang), tr("hl_ratio_val", lang, ratio=number(hl["renewable_ratio"].value, "ratio"),
                                      target=number(hl["renewable_target_ratio"].value, "ratio")), [])]


def row_shadow(run, hl, lang) -> list[Row]:
    f = lambda key: fmt(hl, key, lang)  # noqa: E731
    if run.resolved.get("targets", {}).get("export_share"):
        text = tr("hl_shadow_val", lang, re=f("renewable_target_shadow_price"), ex=f("export_target_shadow_price"))
    else:
        text = tr("hl_shadow_val_noexport", lang, re=f("renewable_target_shadow_price"))
    return [(tr("hl_shadow", lang), text, [])]


def row_build(run, hl, lang) -> list[Row]:
    new_power = [v for k, v in hl.items() if k.startswith("new_power:")]
    by_tech: dict[str, float] = {}
    for v in new_power:
        tech = v.key.split(":")[2]
        by_tech[tech] = by_tech.get(tech, 0.0) + v.value
    subs = [f"{run.technology_name(t, lang)}: {shown(mw, 'gw2', lang)}"
            for t, mw in sorted(by_tech.items(), key=lambda kv: -kv[1])]
    charge: dict[str, float] = {}
    for k, v in hl.items():
        if k.startswith("new_charge_power:"):
            charge[k.split(":")[2]] = charge.get(k.split(":")[2], 0.0) + v.value
    subs += [tr("hl_charge_item", lang, name=run.technology_name(t, lang), gw=shown(mw, "gw2", lang))
             for t, mw in charge.items()]
    return [(tr("hl_build", lang), tr("hl_build_val", lang, total_gw=shown(sum(v.value for v in new_power), "gw", lang)),
             subs)]


def row_corridor(run, hl, lang) -> list[Row]:
    f = lambda key: fmt(hl, key, lang)  # noqa: E731
    subs = [tr("hl_corridor_item", lang, name=F.asset_label(run, link, lang), total=f(f"corridor_capacity_total:{link}"),
               new=f(f"corridor_capacity_new:{link}"), twh=f(f"corridor_energy_forward:{link}"),
               util=f(f"corridor_utilisation:{link}")) for link in export_links(run)
            if hl[f"corridor_capacity_total:{link}"].value > 0]  # a route closed in this run is not listed
    return [(tr("hl_corridor", lang), "", subs)]


def row_curtailment(run, hl, lang) -> list[Row]:
    return [(tr("hl_curtail", lang), tr("hl_curtail_val", lang, twh=fmt(hl, "curtailment", lang),
                                        share=fmt(hl, "curtailment_share", lang)), [])]


def row_storage(run, hl, lang) -> list[Row]:
    f = lambda key: fmt(hl, key, lang)  # noqa: E731
    cap = run["capacity.csv"]
    subs = []
    for t in storage_technologies(run):
        text = tr("hl_storage_item", lang, name=run.technology_name(t, lang), p_total=f(f"storage_power_total:{t}"),
                  e_total=f(f"storage_energy_total:{t}"), p_new=f(f"storage_power_new:{t}"), e_new=f(f"storage_energy_new:{t}"))
        charge = cap[(cap["technology"] == t) & (cap["kind"] == "charge_power")]
        if len(charge) and charge["total"].sum() >= MIN_SHOWN_MW:
            text += "; " + tr("hl_storage_charge", lang, total=shown(charge["total"].sum(), "gw2", lang),
                              new=shown(charge["new"].sum(), "gw2", lang))
        subs.append(text)
    return [(tr("hl_storage", lang), "", subs)]


def row_emissions(run, hl, lang) -> list[Row]:
    f = lambda key: fmt(hl, key, lang)  # noqa: E731
    hash_note = tr("hash_changed" if any(k.endswith("constants.csv") for k in run.input_changes) else "hash_ok", lang)
    grid = hl["honam_consumption"].value * hl["grid_emission_factor"].value
    return [(tr("hl_emissions", lang), tr(
        "hl_emissions_val", lang, avoided=f("emissions_avoided"), consumption=f("honam_consumption"),
        ef=f("grid_emission_factor"), hash_note=hash_note, grid=shown(grid, "mt", lang), emitted=f("emissions"),
        nonre=f("nonrenewable_supply")), [])]


def row_stress(run, hl, lang) -> list[Row]:
    """The weather stress test (`re300 stress`, <run>/stress/stress.csv): the range over the stress years and the
    worst year, or 'not stress-tested'."""
    from .stress import memo_row

    return [memo_row(run.run_dir, lang)]


HEADLINE_ROWS = (row_ratio, D.row_cost, row_shadow, row_build, row_corridor, D.row_exports, D.row_deliverable,
                 D.row_adequacy, D.row_estimated_limits, row_curtailment, row_storage, row_emissions, row_stress)


def headline_warnings(hl: dict[str, HeadlineValue], lang: str) -> list[str]:
    f = lambda key: fmt(hl, key, lang)  # noqa: E731
    warnings = []
    if hl["unserved_energy"].value > 1e-6:
        warnings.append(tr("hl_unserved", lang, twh=f("unserved_energy")))
    if hl["renewable_shortfall"].value + hl["export_shortfall"].value > 1e-6:
        warnings.append(tr("hl_shortfall", lang, re=f("renewable_shortfall"), ex=f("export_shortfall"),
                           pen=f("shortfall_penalty")))
    return warnings


def headline_box(run: RunResults, hl: dict[str, HeadlineValue], lang: str, rows=HEADLINE_ROWS) -> Box:
    items: list[tuple[str, str]] = []
    subs: dict[str, list[str]] = {}
    for row in rows:
        for label, text, sub in row(run, hl, lang):
            items.append((label, text))
            if sub:
                subs[label] = sub
    return Box(tr("h_headline", lang), items, subs, headline_warnings(hl, lang))


def capacity_table(run: RunResults, lang: str) -> Table | None:
    cap = run["capacity.csv"]
    cap = cap[cap["new"] >= MIN_SHOWN_MW]
    if cap.empty:
        return None
    order = {t: i for i, t in enumerate(F.technology_order(run, cap["technology"]))}
    regions = {r: i for i, r in enumerate(run.honam_regions)}
    cap = cap.assign(_r=cap["region"].map(regions).fillna(99), _t=cap["technology"].map(order), _k=cap["kind"] == "energy")
    cap = cap.sort_values(["_k", "_r", "_t"])
    rows = [[run.region_name(r.region, lang), run.technology_name(r.technology, lang), f"{r.existing:,.0f}",
             f"{r.new:,.0f}", f"{r.total:,.0f}", r.unit] for r in cap.itertuples()]
    headers = [tr(k, lang) for k in ("col_region", "col_technology", "col_existing", "col_new", "col_total", "col_unit")]
    return Table(headers, rows, tr("build_caption", lang, min_mw=f"{MIN_SHOWN_MW:g}"),
                 numeric=[False, False, True, True, True, False])


# ---- figures ----------------------------------------------------------------------------------------------------
# FIGURES lists the memo's figures in order: each entry (run, lang, fig_dir, hz) -> blocks (Figure, or a Paragraph
# where a figure cannot be drawn), so a new figure is one function and one entry (`single` wraps the usual
# fig_*(run, lang, path, hz) -> caption | None).
def single(name: str, title_key: str, draw):
    def blocks(run: RunResults, lang: str, fig_dir: Path, hz: Horizon) -> list:
        path = fig_dir / f"{name}.{lang}.png"
        caption = draw(run, lang, path, hz)
        return [] if caption is None else [Figure(path, tr(title_key, lang), caption)]

    return blocks


def dispatch_weeks(run: RunResults, lang: str, fig_dir: Path, hz: Horizon) -> list:
    """The spring, summer and winter weeks on the calendar (series.WEEK_RULES), or a sentence where none is modelled."""
    out: list[Figure | Paragraph] = []
    h, weeks = F.season_weeks(run)
    for season in ("spring", "summer", "winter"):
        title = tr("fig_dispatch", lang, season=tr(f"season_{season}", lang))
        if weeks[season] is None:
            out.append(Paragraph(f"**{title}:** " + tr("no_season_week", lang, season=tr(f"season_{season}", lang),
                                                        months=tr(f"months_{season}", lang), horizon=hz.text(lang))))
            continue
        path = fig_dir / f"dispatch_{season}.{lang}.png"
        out.append(Figure(path, title, F.fig_dispatch(run, lang, path, season, h, weeks[season], hz)))
    return out


def _no_horizon(fn):
    return lambda run, lang, path, hz: fn(run, lang, path)


FIGURES = (
    single("capacity", "fig_capacity", _no_horizon(F.fig_capacity)),
    single("map", "fig_map", _no_horizon(F.fig_map)),
    dispatch_weeks,
    single("monthly_balance", "fig_monthly", F.fig_monthly),
    single("storage_level", "fig_storage", F.fig_storage),
    single("price_duration", "fig_price", F.fig_price_duration),
    single("costs", "fig_costs", _no_horizon(F.fig_costs)),
)


def draw_figures(run: RunResults, lang: str, fig_dir: Path, figures=FIGURES, hz: Horizon | None = None) -> list:
    hz = hz or horizon(run)
    return [block for figure in figures for block in figure(run, lang, fig_dir, hz)]


# ---- the memo ---------------------------------------------------------------------------------------------------
def memo_document(run: RunResults, hl: dict[str, HeadlineValue], lang: str, fig_dir: Path) -> Document:
    doc = Document(tr("title", lang, scenario=run.scenario), lang)
    hz = horizon(run)
    doc.add(Paragraph(scenario_line(run, lang)))
    doc.add(Paragraph(tr("horizon_line", lang, horizon=hz.text(lang), note=hz.note(lang)), css="small"))
    if lang == "en" and run.description:
        doc.add(Paragraph(run.description, css="small"))
    doc.add(Paragraph(tr("lang_switch", lang), css="small"))
    doc.add(headline_box(run, hl, lang))

    doc.add(Heading(tr("h_build", lang)))
    table = capacity_table(run, lang)
    doc.add(table if table is not None else Paragraph(tr("nothing_built", lang)))

    doc.add(Heading(tr("h_figures", lang)))
    doc.add(*draw_figures(run, lang, fig_dir, hz=hz))
    doc.add(*D.frontier_blocks(run, lang, fig_dir))
    doc.add(*S.sensitivity_blocks(run, lang, fig_dir))
    add_closing_sections(doc, run, lang, hz)
    return doc


def _keep_other_languages(old: Path, new: Path, langs: tuple[str, ...]) -> None:
    """Copy the files of languages not being rebuilt from the previous memo folder into the new one."""
    if not old.is_dir():
        return
    for path in old.rglob("*"):
        if path.is_file() and not any(f".{lang}." in path.name for lang in langs):
            target = new / path.relative_to(old)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def write_documents(docs: dict[str, Document], out_dir: Path, stem: str = "memo") -> list[Path]:
    files = []
    for lang, doc in docs.items():
        md = out_dir / f"{stem}.{lang}.md"
        md.write_text(to_markdown(doc, out_dir), encoding="utf-8")
        page = out_dir / f"{stem}.{lang}.html"
        page.write_text(to_html(doc), encoding="utf-8")
        files += [md, page]
    return files


def build_memo(run_dir, langs=LANGS) -> MemoResult:
    """Write `<run_dir>/memo/memo.<lang>.md|html` and `memo/figures/*.<lang>.png` from the run's CSVs."""
    langs = check_langs(langs)
    run = load_run(run_dir)
    if run.is_pathway:
        hl = pathway_headline(run)
    else:
        hl = headline(run)
    memo_dir = Path(run_dir) / "memo"
    with atomic_output_dir(memo_dir) as tmp:
        _keep_other_languages(memo_dir, tmp, langs)
        if run.is_pathway:
            docs = {lang: pathway_document(run, hl, lang, tmp / "figures") for lang in langs}
        else:
            docs = {lang: memo_document(run, hl, lang, tmp / "figures") for lang in langs}
        write_documents(docs, tmp)
    files = sorted(p for p in memo_dir.rglob("*") if p.is_file() and any(f".{lang}." in p.name for lang in langs))
    return MemoResult(Path(run_dir), memo_dir, hl, files)
