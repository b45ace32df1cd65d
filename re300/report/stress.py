"""The weather stress test of a plan as the memo and the console show it: `<run>/stress/stress.csv` (written by
`re300 stress`, re300.stress), its summary (range over the stress years, the worst year) and the memo's headline row.

    table = read_stress("outputs/re300_2050")   # DataFrame of stress.csv, or None when the plan is not stress-tested
    s = stress_summary(table)                   # StressSummary: years, cost range, worst year, ...
    lines = summary_lines(s, "en")

The stress years are the synthetic sampled years and the measured year (kind `synthetic` / `measured`); the rows
`plan` (the plan's own snapshots re-dispatched: must give back its cost) and `typical` (its weather year on the
stress test's chronological horizon) are references. The **worst year** is the one with the most energy the plan fails
to deliver: unserved energy + renewable-target shortfall + export shortfall; where no year falls short, the costliest
(total system cost).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .text import tr

STRESS_DIR = "stress"
STRESS_FILE = "stress.csv"
STRESS_KINDS = ("synthetic", "measured")
#: stress.csv columns: the year, its settings, its figures [units in the names], the checks, the time
COLUMNS = ("name", "kind", "weather_year", "seed", "source", "variability", "resolution_hours", "status", "snapshots",
           "wind_cf", "solar_cf", "unserved_energy_mwh", "renewable_shortfall_mwh", "export_shortfall_mwh",
           "curtailment_mwh", "curtailment_share", "nonrenewable_supply_mwh", "total_system_cost_krw",
           "net_system_cost_krw", "shortfall_penalty_krw", "objective_krw", "renewable_ratio", "export_ratio",
           "renewable_available_mwh", "storage_losses_mwh", "balance_residual_max_mw", "capacity_difference_max",
           "seconds", "error")
SHORT_MWH = 1.0   # a year "falls short" when unserved + shortfalls exceed this [MWh]


def stress_path(run_dir: str | Path) -> Path:
    return Path(run_dir) / STRESS_DIR / STRESS_FILE


def read_stress(run_dir: str | Path) -> pd.DataFrame | None:
    """stress.csv of a run, or None where the run has none (not stress-tested)."""
    path = stress_path(run_dir)
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=True)


@dataclass
class StressSummary:
    years: int                 # stress years solved
    failed: list[str]          # stress years whose LP did not solve
    synthetic: int
    measured: list[str]
    resolution_hours: int | None
    cost_min: float            # total system cost [KRW/yr] over the stress years
    cost_max: float
    cost_mean: float
    plan_cost: float           # the plan's own cost re-dispatched (= its summary.csv)
    typical_cost: float        # the plan's weather year on the chronological horizon
    short_years: int           # stress years with unserved energy or a missed target
    worst: pd.Series           # the worst year's row
    shortfall_max_mwh: float   # largest renewable-target shortfall of a stress year
    unserved_max_mwh: float
    nonrenewable_min: float
    nonrenewable_max: float
    curtailment_min: float
    curtailment_max: float


def shortfall_mwh(table: pd.DataFrame) -> pd.Series:
    """Energy the plan fails to deliver in each year: unserved + renewable-target shortfall + export shortfall [MWh]."""
    return (table["unserved_energy_mwh"].fillna(0.0) + table["renewable_shortfall_mwh"].fillna(0.0)
            + table["export_shortfall_mwh"].fillna(0.0))


def stress_summary(table: pd.DataFrame) -> StressSummary:
    """Range and worst year over the stress years of `table` (module docstring)."""
    stress = table[table["kind"].isin(STRESS_KINDS)]
    ok = stress[stress["status"] == "Optimal"]
    failed = list(stress.loc[stress["status"] != "Optimal", "name"])
    if ok.empty:
        raise ValueError("no stress year was solved")
    short = shortfall_mwh(ok)
    worst = ok.loc[short.idxmax()] if short.max() > SHORT_MWH else ok.loc[ok["total_system_cost_krw"].idxmax()]

    def ref(kind: str) -> float:
        rows = table[(table["kind"] == kind) & (table["status"] == "Optimal")]
        return float(rows["total_system_cost_krw"].iloc[0]) if len(rows) else np.nan

    res = ok["resolution_hours"].dropna()
    return StressSummary(
        years=len(ok), failed=failed, synthetic=int((ok["kind"] == "synthetic").sum()),
        measured=list(ok.loc[ok["kind"] == "measured", "name"]),
        resolution_hours=int(res.iloc[0]) if len(res) else None,
        cost_min=float(ok["total_system_cost_krw"].min()), cost_max=float(ok["total_system_cost_krw"].max()),
        cost_mean=float(ok["total_system_cost_krw"].mean()), plan_cost=ref("plan"), typical_cost=ref("typical"),
        short_years=int((short > SHORT_MWH).sum()), worst=worst,
        shortfall_max_mwh=float(ok["renewable_shortfall_mwh"].max()), unserved_max_mwh=float(ok["unserved_energy_mwh"].max()),
        nonrenewable_min=float(ok["nonrenewable_supply_mwh"].min()), nonrenewable_max=float(ok["nonrenewable_supply_mwh"].max()),
        curtailment_min=float(ok["curtailment_mwh"].min()), curtailment_max=float(ok["curtailment_mwh"].max()))



def _twh(mwh: float, lang: str) -> str:
    return f"{mwh / 1e6:,.2f} TWh"


def _unit(lang: str) -> str:
    return "조 원/년" if lang == "ko" else "trillion KRW/yr"


def _tn(krw: float, lang: str) -> str:
    return f"{krw / 1e12:,.2f} {_unit(lang)}"


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{100 * x:.1f} %"


def summary_lines(s: StressSummary, lang: str = "en") -> list[str]:
    """The summary as sentences: the range, the worst year, the ranges of supply and curtailment."""
    meas = tr("st_meas", lang, years=", ".join(m.split("-")[-1] for m in s.measured)) if s.measured else ""
    w = s.worst
    lines = [
        tr("st_range", lang, n=s.years, what=tr("st_what", lang, syn=s.synthetic, meas=meas), k=s.resolution_hours,
             lo=f"{s.cost_min / 1e12:,.2f}", hi=f"{s.cost_max / 1e12:,.2f}", unit=_unit(lang),
             plan=_tn(s.plan_cost, lang), short=s.short_years),
        tr("st_worst", lang, name=w["name"], wind=_pct(w["wind_cf"]), solar=_pct(w["solar_cf"]),
             re=_twh(w["renewable_shortfall_mwh"], lang), ex=_twh(w["export_shortfall_mwh"], lang),
             un=_twh(w["unserved_energy_mwh"], lang), nonre=_twh(w["nonrenewable_supply_mwh"], lang),
             cost=_tn(w["total_system_cost_krw"], lang)),
        tr("st_ranges", lang, nlo=f"{s.nonrenewable_min / 1e6:,.2f}", nhi=f"{s.nonrenewable_max / 1e6:,.2f}",
             clo=f"{s.curtailment_min / 1e6:,.2f}", chi=f"{s.curtailment_max / 1e6:,.2f}"),
    ]
    if s.failed:
        lines.append(tr("st_failed", lang, names=", ".join(s.failed)))
    return lines


def memo_row(run_dir: str | Path, lang: str) -> tuple[str, str, list[str]]:
    """The memo's headline row: the range and the worst year, or 'not stress-tested'."""
    table = read_stress(run_dir)
    label = tr("st_label", lang)
    if table is None:
        return label, tr("st_not_tested", lang, run=Path(run_dir).resolve().name), []
    lines = summary_lines(stress_summary(table), lang)
    return label, lines[0], lines[1:]


def markdown_table(table: pd.DataFrame) -> str:
    """stress.csv as the Markdown table `re300 stress` prints (and the README shows): one row per year."""
    head = ("| year | kind | wind CF | solar CF | total cost (trillion KRW/yr) | unserved (GWh) | RE shortfall (TWh) "
            "| export shortfall (TWh) | curtailment (TWh) | non-renewable (TWh) |")
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in table.itertuples(index=False):
        if r.status != "Optimal":
            lines.append(f"| {r.name} | {r.kind} | {r.status}: {r.error} |||||||| |")
            continue
        lines.append(f"| {r.name} | {r.kind} | {_pct(r.wind_cf)} | {_pct(r.solar_cf)} | {r.total_system_cost_krw / 1e12:,.3f} "
                     f"| {r.unserved_energy_mwh / 1e3:,.1f} | {r.renewable_shortfall_mwh / 1e6:,.2f} "
                     f"| {r.export_shortfall_mwh / 1e6:,.2f} | {r.curtailment_mwh / 1e6:,.2f} "
                     f"| {r.nonrenewable_supply_mwh / 1e6:,.2f} |")
    return "\n".join(lines)
