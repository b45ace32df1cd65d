"""The inputs that drive a result, with their sources: read from the run's input tables (`inputs/*.csv`, columns
value, unit, source, status), with the scenario's overrides from the manifest noted."""
from __future__ import annotations

import re

import pandas as pd

from .runcsv import RunResults
from .text import tr

SOURCE_CHARS = 230
COST_PARAMETERS = ("capex", "capex_energy")
LINK_PARAMETERS = ("length", "existing", "max_new", "capex_per_km", "capex_terminal", "efficiency")
CONSTANTS = ("grid_emission_factor", "carbon_price", "nonrenewable_price")


def short_source(text: str, limit: int = SOURCE_CHARS) -> str:
    """The source text, cut at `limit` characters (URLs kept whole where the cut falls inside one)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    m = re.search(r"https?://\S*$", cut)
    if m:
        rest = re.match(r"\S*", text[limit:]).group(0)
        cut += rest
    return cut.rstrip(" ,;") + " …"


def value_text(value: float) -> str:
    if pd.isna(value):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _statuses(frame: pd.DataFrame) -> str:
    return "/".join(sorted(set(frame["status"].astype(str))))


def assumption_rows(run: RunResults, lang: str) -> list[list[str]]:
    """Rows: [quantity, value, unit, status, source (file: text)]."""
    tables = run.inputs
    sc = run.resolved
    rows: list[list[str]] = []

    # demand
    demand_cfg = sc.get("demand", {})
    base_year = int(demand_cfg.get("base_year", 2021))
    growth = float(demand_cfg.get("growth_factor", 1.0))
    d = tables.demand[tables.demand["year"] == base_year]
    for region in run.honam_regions:
        rd = d[d["region"] == region]
        if rd.empty:
            continue
        factor = growth * float(demand_cfg.get("region_factors", {}).get(region, 1.0))
        label = (tr("a_demand_pathway", lang, year=base_year, region=run.region_name(region, lang)) if sc.get("pathway")
                 else tr("a_demand", lang, year=base_year, region=run.region_name(region, lang), growth=f"{factor:g}"))
        rows.append([
            label,
            value_text(rd["value"].sum()), str(rd["unit"].iat[0]), _statuses(rd),
            "demand.csv: " + short_source(" | ".join(dict.fromkeys(rd["source"].astype(str)))),
        ])

    # potentials
    techs = sc.get("technologies", {})
    cap = tables.raw["capacities.csv"]
    pot = cap[cap["parameter"].isin(["potential", "potential_energy"])]
    for _, r in pot.iterrows():
        if (r["technology"] in techs.get("exclude", []) or r["region"] not in run.honam_regions
                or not run.is_renewable(r["technology"])):
            continue
        label = tr("a_potential", lang, tech=run.technology_name(r["technology"], lang),
                   region=run.region_name(r["region"], lang))
        factor = techs.get("potential_factor", {}).get(r["technology"])
        if factor is not None:
            label += f" (× {factor:g}, " + tr("a_scenario_setting", lang, key="technologies.potential_factor") + ")"
        rows.append([label, value_text(r["value"]), str(r["unit"]), str(r["status"]),
                     "capacities.csv: " + short_source(r["source"])])

    # costs in the cost year
    cost_year = int(sc.get("cost_year") or sc.get("year") or 2050)
    src = tables.technology_parameter_sources(cost_year)
    src = src[src["parameter"].isin(COST_PARAMETERS)]
    for _, r in src.iterrows():
        if r["technology"] in techs.get("exclude", []) or r["value"] == 0:
            continue
        key = "a_capex" if r["parameter"] == "capex" else "a_capex_energy"
        label = tr(key, lang, year=cost_year, tech=run.technology_name(r["technology"], lang))
        factor = techs.get("capex_factor", {}).get(r["technology"])
        if factor is not None:
            label += f" (× {factor:g}, " + tr("a_scenario_setting", lang, key="technologies.capex_factor") + ")"
        rows.append([label, value_text(r["value"]), str(r["unit"]), str(r["status"]),
                     "technology_parameters.csv: " + short_source(r["source"])])

    # the corridor to the Capital region
    links_cfg = sc.get("links", {})
    lp = tables.raw["link_parameters.csv"]
    export = set(run.export_regions)
    corridor = [l for l, row in tables.links.iterrows() if row["to_region"] in export or row["from_region"] in export]
    for link in corridor:
        name = f"{run.region_name(tables.links.at[link, 'from_region'], lang)} → " \
               f"{run.region_name(tables.links.at[link, 'to_region'], lang)}"
        for param in LINK_PARAMETERS:
            hit = lp[(lp["link"] == link) & (lp["parameter"] == param)]
            if hit.empty:
                continue
            r = hit.iloc[0]
            rows.append([tr("a_link", lang, link=name, param=tr(f"lp_{param}", lang)), value_text(r["value"]), str(r["unit"]),
                         str(r["status"]), "link_parameters.csv: " + short_source(r["source"])])
        if link in links_cfg.get("no_expansion", []):
            rows.append([tr("a_no_expansion", lang, link=name), "0", "MW", "scenario",
                         tr("a_scenario_setting", lang, key="links.no_expansion")])
        if link in links_cfg.get("max_new_mw", {}):
            rows.append([tr("a_link", lang, link=name, param=tr("lp_max_new", lang)), value_text(links_cfg["max_new_mw"][link]),
                         "MW", "scenario", tr("a_scenario_setting", lang, key="links.max_new_mw")])

    # discount rate and constants
    consts = tables.raw["constants.csv"].set_index("parameter")
    override = sc.get("prices", {}).get("discount_rate")
    if override is not None:
        rows.append([tr("a_discount_override", lang), value_text(override), "fraction", "scenario",
                     tr("a_scenario_setting", lang, key="prices.discount_rate")])
    else:
        r = consts.loc["discount_rate"]
        rows.append([tr("a_discount", lang), value_text(float(r["value"])), str(r["unit"]), str(r["status"]),
                     "constants.csv: " + short_source(r["source"])])
    price_overrides = {"carbon_price": "carbon_price_krw_per_t", "nonrenewable_price": "nonrenewable_price_krw_per_mwh"}
    for name in CONSTANTS:
        key = price_overrides.get(name)
        if key and sc.get("prices", {}).get(key) is not None:
            rows.append([tr("a_constant", lang, name=name), value_text(sc["prices"][key]),
                         str(consts.loc[name, "unit"]) if name in consts.index else "", "scenario",
                         tr("a_scenario_setting", lang, key=f"prices.{key}")])
        elif name in consts.index:
            for _, r in consts.loc[[name]].iterrows():  # a constant given by year has one row per year
                year = r.get("year")
                label = name if year is None or pd.isna(year) else f"{name} ({int(year)})"
                rows.append([tr("a_constant", lang, name=label), value_text(float(r["value"])), str(r["unit"]),
                             str(r["status"]), "constants.csv: " + short_source(r["source"])])
    return rows
