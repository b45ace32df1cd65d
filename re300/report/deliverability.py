"""The memo on deliverable exports (issue 14): headline rows for the cost (gross and net), exports (net, hydrogen),
whether the capital region can take them (absorption, renewable-only rule), firm capacity, the binding limits that
rest on estimates, and the deliverability frontier from the sweep `deliverability` when it has been run.

Every number comes from the run's CSVs (summary.csv, capacity.csv, binding_limits.csv) or the sweep's frontier.csv
and sweep_state.json; rows whose metric a run lacks (written before issue 14, or without the feature) are left out.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from re300.results.manifest import different_inputs

from .document import Figure, Heading, Paragraph, Table
from .headline import HeadlineValue
from .numbers import number, shown
from .runcsv import RunResults, sweep_beside
from .text import tr

Row = tuple[str, str, list[str]]
PLANNED_CORRIDOR_MW = 8000.0  # the 11th transmission plan's West-Coast HVDC: four 2 GW links (inputs/links.csv)
FRONTIER_SWEEP = "deliverability"


def _f(hl: dict[str, HeadlineValue], key: str, lang: str) -> str:
    v = hl[key]
    return shown(v.value, v.kind, lang)


def _setting(run: RunResults, section: str, key: str, default):
    return (run.resolved.get(section) or {}).get(key, default)


def row_cost(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> list[Row]:
    """Gross cost per MWh delivered, its split into Honam supply and the export service, and the net cost."""
    f = lambda key: _f(hl, key, lang)  # noqa: E731
    hydrogen = hl.get("hydrogen_sold_electricity")
    text = tr("hl_cost_gross_val", lang, cost=f("total_system_cost"), avg=f("average_cost_per_mwh_delivered"),
              demand=f("honam_consumption"), exports=f("exports_delivered"),
              hydrogen=shown(hydrogen.value if hydrogen else 0.0, "twh", lang))
    subs = []
    if "net_system_cost" in hl:
        subs.append(tr("hl_cost_net", lang, net=f("net_system_cost"), net_avg=f("net_cost_per_mwh_delivered"),
                       displaced=f("displaced_generation_value"), sales=f("product_sales_revenue")))
    if hl["energy_sent_to_capital"].value > 0:
        subs += [tr("hl_cost_split_honam", lang, cost=f("cost_honam_supply"), avg=f("average_cost_honam_supply")),
                 tr("hl_cost_split_export", lang, cost=f("cost_export_service"), avg=f("average_cost_export_service")),
                 tr("hl_cost_split_how", lang, demand=f("honam_consumption"), sent=f("energy_sent_to_capital"))]
    subs.append(tr("hl_cost_per_demand", lang, avg=f("average_cost_per_mwh_demand")))
    return [(tr("hl_cost", lang), text, subs)]


def row_exports(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> list[Row]:
    """Net exports, what came back, hydrogen sold and whether it counts."""
    f = lambda key: _f(hl, key, lang)  # noqa: E731
    if "exports_gross" not in hl:
        return [(tr("hl_exports", lang), tr("hl_exports_val", lang, twh=f("exports_delivered"),
                                            ratio=number(hl["export_ratio"].value, "ratio")), [])]
    hydrogen = ""
    if hl.get("hydrogen_sold") is not None and hl["hydrogen_sold"].value > 0:
        counts = _setting(run, "exports", "hydrogen_sales_count", True)
        hydrogen = tr("hl_hydrogen_part", lang, twh=f("hydrogen_sold_electricity"),
                      h2=shown(hl["hydrogen_sold"].value, "twh", lang),
                      counted=tr("hl_hydrogen_counted" if counts else "hl_hydrogen_not_counted", lang))
    text = tr("hl_exports_net_val", lang, twh=f("exports_delivered"), gross=f("exports_gross"),
              back=f("imports_from_export_regions"), hydrogen_part=hydrogen,
              ratio=number(hl["export_ratio"].value, "ratio"))
    return [(tr("hl_exports", lang), text, [])]


def row_deliverable(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> list[Row]:
    """The absorption rule and the renewable-only rule, with what they did."""
    if "exports_gross" not in hl:
        return []
    f = lambda key: _f(hl, key, lang)  # noqa: E731
    subs = []
    if _setting(run, "exports", "absorption", "limited") != "limited":
        subs.append(tr("hl_absorption_unlimited", lang))
    elif "absorption_limit_hours" in hl:
        subs.append(tr("hl_absorption_limited", lang, hours=f("absorption_limit_hours"), headroom=f("absorption_headroom")))
    else:  # a run written before summary.csv had the absorption rows
        subs.append(tr("hl_absorption_limited_rule", lang))
    if _setting(run, "exports", "renewable_only", True):
        subs.append(tr("hl_renewable_only", lang, beyond=f("nonrenewable_beyond_honam_load")))
    else:
        subs.append(tr("hl_renewable_only_off", lang))
    return [(tr("hl_deliver", lang), "", subs)]


def row_adequacy(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> list[Row]:
    if "firm_capacity_credited" not in hl:
        return []
    f = lambda key: _f(hl, key, lang)  # noqa: E731
    cap = run["capacity.csv"]
    gas = cap.loc[(cap["technology"] == "gas_turbine") & (cap["kind"] == "power"), "new"].sum()
    text = tr("hl_adequacy_val", lang, firm=f("firm_capacity_credited"), need=f("adequacy_requirement"),
              gen=f("firm_capacity_generators"), sto=f("firm_capacity_storage"), imp=f("firm_capacity_imports"),
              gas=shown(float(gas), "gw2", lang))
    return [(tr("hl_adequacy", lang), text, [tr("hl_adequacy_storage_note", lang)])]


def row_estimated_limits(run: RunResults, hl: dict[str, HeadlineValue], lang: str) -> list[Row]:
    """The binding limits whose bound is an estimate or a scenario lever (binding_limits.csv status)."""
    if "binding_limits.csv" not in run.tables:
        return []
    lim = run["binding_limits.csv"]
    if "status" not in lim:
        return []
    marked = lim[lim["status"].fillna("").astype(str) != "found"]
    if lim.empty or marked.empty:
        return [(tr("hl_limits", lang), tr("hl_limits_none", lang), [])]
    subs = [tr("hl_limit_item", lang, name=f"{r.name} | {run.region_name(r.region, lang)}",
               value=shown(float(r.limit), "gwh" if r.unit == "MWh" else "gw2", lang),
               kind=str(r.kind).replace("_", " "), status=r.status)
            for r in marked.itertuples()]
    return [(tr("hl_limits", lang), tr("hl_limits_val", lang, n=len(marked), total=len(lim)), subs)]


# ---- the deliverability frontier --------------------------------------------------------------------------------
@dataclass
class Frontier:
    folder: Path
    table: pd.DataFrame
    members: int
    stale_files: list[str]  # input files a member read with other contents than this run (empty = same inputs)


def find_frontier(run: RunResults, name: str = FRONTIER_SWEEP) -> Frontier | None:
    """The sweep `name` beside this run (outputs/sweeps/<name>/ next to outputs/<scenario>/) when its base scenario is
    this run's scenario; None otherwise."""
    folder = sweep_beside(run, name)
    if folder is None or not (folder / "frontier.csv").is_file():
        return None
    table_file = folder / "frontier.csv"
    state = json.loads((folder / "sweep_state.json").read_text(encoding="utf-8"))
    done = [m for m in state.get("members", {}).values() if m.get("status") in ("solved", "complete")]
    stale: set[str] = set()
    own = run.manifest.get("input_hashes", {})
    for m in done:
        manifest = Path(m.get("run_dir", "")) / "manifest.json"
        if manifest.is_file():
            stale.update(different_inputs(own, json.loads(manifest.read_text(encoding="utf-8")).get("input_hashes", {})))
    return Frontier(folder, pd.read_csv(table_file), len(done), sorted(stale))


def _absorption(case: str) -> str:
    return "unlimited" if "absorption unlimited" in str(case) else "limited"


def _hydrogen_counted(case: str) -> bool:
    """Whether hydrogen sold counts as export in a frontier case (the default, when the sweep does not vary it)."""
    return "hydrogen_sales_count false" not in str(case).lower()


def _frontier_sentences(limited: pd.DataFrame, lang: str) -> list[str]:
    """The planned corridor's share and cost, and the corridor from which RE300 is met (absorption limited)."""
    out = []
    planned = limited[(limited["corridor_allowed_mw"] - PLANNED_CORRIDOR_MW).abs() < 1.0]
    if len(planned):
        p = planned.iloc[0]
        out.append(tr("frontier_sentence", lang, planned=shown(PLANNED_CORRIDOR_MW, "gw", lang),
                      share=f"{round(p['delivered_share_at_top_target'] * 100):.0f}",
                      met=f"{round(p['highest_target_met'] * 100):.0f}",
                      avg=shown(p["average_cost_krw_per_mwh_delivered"], "krw_per_mwh", lang),
                      net=shown(p["net_cost_krw_per_mwh_delivered"], "krw_per_mwh", lang)))
    full = limited[limited["highest_target_met"] >= 3.0 - 1e-9]
    if len(full):
        r = full.iloc[0]
        out.append(tr("frontier_re300", lang, corridor=shown(r["corridor_allowed_mw"], "gw", lang),
                      storage=shown(r["storage_power_mw"], "gw", lang), energy=shown(r["storage_energy_mwh"], "gwh", lang),
                      electrolysis=shown(r["electrolysis_mw"], "gw", lang)))
    elif len(limited):
        out.append(tr("frontier_no_re300", lang, corridor=shown(limited["corridor_allowed_mw"].max(), "gw", lang),
                      share=f"{round(limited['delivered_share_at_top_target'].max() * 100):.0f}"))
    return out


def frontier_blocks(run: RunResults, lang: str, fig_dir: Path) -> list:
    """The memo's frontier section: sentence, table and figure, or a line saying how to compute it."""
    blocks: list = [Heading(tr("h_frontier", lang))]
    fr = find_frontier(run)
    if fr is None:
        return blocks + [Paragraph(tr("frontier_none", lang))]
    t = fr.table.assign(absorption=[_absorption(c) for c in fr.table["case"]],
                        hydrogen=[_hydrogen_counted(c) for c in fr.table["case"]])
    blocks.append(Paragraph(tr("frontier_intro", lang, sweep=FRONTIER_SWEEP, members=fr.members)))
    if fr.stale_files:
        blocks.append(Paragraph("▲ " + tr("frontier_stale", lang, files=", ".join(fr.stale_files)), css="warning"))
    for counted in (True, False):
        limited = t[(t["absorption"] == "limited") & (t["hydrogen"] == counted)].sort_values("corridor_allowed_mw")
        if limited.empty:
            continue
        lead = tr("frontier_h2_counted" if counted else "frontier_h2_not_counted", lang) if t["hydrogen"].nunique() > 1 else ""
        blocks.append(Paragraph(lead + " ".join(_frontier_sentences(limited, lang))))
    rows = [[shown(r.corridor_allowed_mw, "gw", lang), r.absorption, tr("yes" if r.hydrogen else "no", lang),
             "–" if pd.isna(r.highest_target_met) else f"RE{r.highest_target_met * 100:.0f}",
             f"RE{r.delivered_share_at_top_target * 100:.0f}",
             f"{number(r.average_cost_krw_per_mwh_delivered, 'krw_per_mwh')} / {number(r.net_cost_krw_per_mwh_delivered, 'krw_per_mwh')}",
             f"{number(r.storage_power_mw, 'gw')} / {number(r.storage_energy_mwh, 'gwh')}",
             number(r.electrolysis_mw, "gw"), number(r.corridor_built_mw, "gw")]
            for r in t.sort_values(["hydrogen", "absorption", "corridor_allowed_mw"], ascending=[False, True, True]).itertuples()]
    headers = [tr(k, lang) for k in ("fr_col_corridor", "fr_col_absorption", "fr_col_counted", "fr_col_met", "fr_col_share",
                                     "fr_col_cost", "fr_col_storage", "fr_col_h2", "fr_col_built")]
    blocks.append(Table(headers, rows, tr("frontier_caption", lang),
                        numeric=[True, False, False, True, True, True, True, True, True]))
    png = fr.folder / "figures" / "frontier.png"
    if png.is_file():
        fig_dir.mkdir(parents=True, exist_ok=True)
        target = fig_dir / f"frontier.{lang}.png"
        shutil.copy2(png, target)
        blocks.append(Figure(target, tr("fig_frontier", lang), tr("fig_frontier_cap", lang)))
    return blocks
