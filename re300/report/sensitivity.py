"""The memo's "What moves the answer" section (issue 15): the tornado of the one-at-a-time sweep over the ranges of
inputs/ranges.csv, the companion cases of the flagship (private financing, battery costs, committed projects,
electrified demand) and the electrification sweep — each read from its own results folder beside this run when it
has been computed, otherwise a line saying which command computes it.

    outputs/<scenario>/                 this run
    outputs/sweeps/sensitivity/         tornado.csv, tornado_ranking.csv, figures/tornado_*.png  (make sweep SWEEP=sensitivity)
    outputs/sweeps/electrification/     summary.csv                                          (make sweep SWEEP=electrification)
    outputs/<companion>/                summary.csv, manifest.json                           (re300 solve models/<companion>.yaml)

A companion or sweep whose input hash differs from this run's is shown with a warning (it was solved on other inputs).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from re300.results.manifest import different_inputs

from .document import Figure, Heading, Paragraph, Table
from .numbers import number
from .runcsv import RunResults, sweep_beside
from .text import tr

# companion cases of a scenario: (folder name, text key of its label); {s} is this run's scenario name
COMPANIONS = (("{s}_private", "case_private"), ("{s}_battery_atb", "case_battery_atb"),
              ("government_plan", "case_government_plan"), ("{s}_electrified", "case_electrified"))
SENSITIVITY_SWEEP, ELECTRIFICATION_SWEEP = "sensitivity", "electrification"
TORNADO_FIGURES = ("total_system_cost", "renewable_ratio")


@dataclass
class Companion:
    label: str
    summary: pd.Series
    stale_files: list[str]  # input files it read with other contents than this run
    base_scenario: str


def _summary(folder: Path) -> pd.Series | None:
    f = folder / "summary.csv"
    if not f.is_file():
        return None
    s = pd.read_csv(f)
    if "period" in s:  # a pathway: its pathway-wide rows
        s = s[s["period"].astype(str) == "all"]
    return s.set_index("metric")["value"]


def _manifest(folder: Path) -> dict:
    f = folder / "manifest.json"
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}


def companions(run: RunResults, lang: str) -> list[Companion]:
    out = []
    for pattern, key in COMPANIONS:
        folder = run.run_dir.resolve().parent / pattern.format(s=run.scenario)
        s = _summary(folder)
        if s is None or folder.resolve() == run.run_dir.resolve():
            continue
        m = _manifest(folder)
        stale = different_inputs(run.manifest.get("input_hashes", {}), m.get("input_hashes", {}))
        out.append(Companion(tr(key, lang), s, stale, pattern.format(s=run.scenario)))
    return out


def _case_row(label: str, s: pd.Series, lang: str) -> list[str]:
    shortfall = float(s.get("renewable_shortfall", 0.0)) + float(s.get("export_shortfall", 0.0))
    return [label, number(float(s.get("total_system_cost", float("nan"))), "trillion_krw"),
            number(float(s.get("net_system_cost", float("nan"))), "trillion_krw"),
            number(float(s.get("average_cost_per_mwh_delivered", float("nan"))), "krw_per_mwh"),
            number(float(s.get("renewable_ratio", float("nan"))), "ratio"),
            number(shortfall, "twh_small")]


def cases_table(run: RunResults, lang: str) -> list:
    found = companions(run, lang)
    if not found:
        return [Paragraph(tr("cases_none", lang, scenario=run.scenario))]
    rows = [_case_row(tr("case_this", lang, scenario=run.scenario), run.summary, lang)]
    stale = []
    for c in found:
        rows.append(_case_row(c.label, c.summary, lang))
        if c.stale_files:
            stale.append(f"{c.base_scenario} ({', '.join(c.stale_files)})")
    headers = [tr(k, lang) for k in ("cs_col_case", "cs_col_cost", "cs_col_net", "cs_col_avg", "cs_col_ratio", "cs_col_short")]
    blocks: list = [Table(headers, rows, tr("cases_caption", lang), numeric=[False, True, True, True, True, True])]
    if stale:
        blocks.append(Paragraph("▲ " + tr("cases_stale", lang, names=", ".join(stale)), css="warning"))
    return blocks


def tornado_blocks(run: RunResults, lang: str, fig_dir: Path) -> list:
    folder = sweep_beside(run, SENSITIVITY_SWEEP)
    if folder is None or not (folder / "tornado_ranking.csv").is_file():
        return [Paragraph(tr("tornado_none", lang))]
    rank = pd.read_csv(folder / "tornado_ranking.csv")
    blocks: list = [Paragraph(tr("tornado_intro", lang, sweep=SENSITIVITY_SWEEP, n=len(rank)))]
    rows = []
    for r in rank.head(10).itertuples():
        cost = lambda side: getattr(r, f"total_system_cost_{side}_change", float("nan"))  # noqa: E731
        share = lambda side: getattr(r, f"renewable_ratio_{side}_change", float("nan"))  # noqa: E731
        rows.append([str(r.rank), str(r.parameter).replace("input_cases.", ""),
                     f"{number(cost('low'), 'trillion_krw')} / {number(cost('high'), 'trillion_krw')}",
                     f"{number(share('low'), 'ratio')} / {number(share('high'), 'ratio')}"])
    headers = [tr(k, lang) for k in ("tn_col_rank", "tn_col_driver", "tn_col_cost", "tn_col_share")]
    blocks.append(Table(headers, rows, tr("tornado_caption", lang), numeric=[True, False, True, True]))
    for metric in TORNADO_FIGURES:
        png = folder / "figures" / f"tornado_{metric}.png"
        if png.is_file():
            fig_dir.mkdir(parents=True, exist_ok=True)
            target = fig_dir / f"tornado_{metric}.{lang}.png"
            shutil.copy2(png, target)
            blocks.append(Figure(target, tr(f"fig_tornado_{metric}", lang), tr("fig_tornado_cap", lang)))
    return blocks


def electrification_blocks(run: RunResults, lang: str) -> list:
    folder = sweep_beside(run, ELECTRIFICATION_SWEEP)
    if folder is None or not (folder / "summary.csv").is_file():
        return [Paragraph(tr("electrification_none", lang))]
    t = pd.read_csv(folder / "summary.csv")
    key = "demand.growth_factor"
    if key not in t:
        return []
    wide = t.pivot_table(index=key, columns="metric", values="value")
    rows = [[f"{g:g} ×", number(float(w["honam_consumption"]), "twh"), number(float(w["renewable_ratio"]), "ratio"),
             number(float(w.get("renewable_shortfall", 0.0)) + float(w.get("export_shortfall", 0.0)), "twh_small"),
             number(float(w["average_cost_per_mwh_delivered"]), "krw_per_mwh"),
             number(float(w.get("nonrenewable_supply", float("nan"))), "twh")]
            for g, w in wide.sort_index().iterrows()]
    headers = [tr(k, lang) for k in ("el_col_growth", "el_col_demand", "el_col_ratio", "el_col_short", "el_col_avg",
                                     "el_col_nonre")]
    return [Table(headers, rows, tr("electrification_caption", lang), numeric=[True] * 6)]


def sensitivity_blocks(run: RunResults, lang: str, fig_dir: Path) -> list:
    """The section: heading, tornado, companion cases, electrification."""
    return ([Heading(tr("h_sensitivity", lang))] + tornado_blocks(run, lang, fig_dir) + cases_table(run, lang)
            + electrification_blocks(run, lang))


__all__ = ["sensitivity_blocks", "companions", "COMPANIONS"]
