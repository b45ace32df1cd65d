"""The memo's headline: every number with the CSV (and row) it comes from.

`headline(run)` returns {key: HeadlineValue}. Values are in the CSV's own unit (MWh, MW, KRW, fraction, tCO2), taken
from the CSVs or, for the few derived numbers (sums over regions, emissions avoided), computed from CSV values with the
arithmetic stated in `sources`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .runcsv import RunResults

MIN_SHOWN_MW = 0.5  # new capacity below this is LP noise and not listed


@dataclass(frozen=True)
class HeadlineValue:
    key: str
    value: float
    kind: str  # formatting kind (numbers.KINDS)
    unit: str  # the unit of `value` (as in the CSV)
    sources: tuple[str, ...]


def headline_value(key, value, kind, unit, *sources) -> HeadlineValue:
    """A HeadlineValue from its parts (value in the unit of its CSV; `sources` say where it comes from)."""
    return HeadlineValue(key, float(value), kind, unit, tuple(sources))


def grid_emission_factor(run: RunResults) -> tuple[float, str]:
    """(tCO2/MWh, where it came from) from the run's inputs/constants.csv: today's grid, the earliest (found) row — the
    emissions avoided are counted against supplying Honam from the grid as it is, not from the decarbonised grid of
    the target year (whose factor the later rows give)."""
    value = run.inputs.constant("grid_emission_factor")
    c = run.inputs.raw["constants.csv"]
    rows = c[c["parameter"] == "grid_emission_factor"]
    year = rows["year"].min() if "year" in rows and rows["year"].notna().any() else None
    path = run.inputs_dir / "constants.csv"
    return value, f"{path.name} (grid_emission_factor{f', {int(year)}' if year is not None else ''})"


def new_capacity(run: RunResults, kind: str = "power") -> pd.DataFrame:
    """capacity.csv rows of `kind` in Honam whose new capacity is at least MIN_SHOWN_MW (MW) / MIN_SHOWN_MW (MWh).
    An export region's rows (the capital region's national-grid supply) are not Honam builds."""
    c = run["capacity.csv"]
    c = c[(c["kind"] == kind) & (c["new"] >= MIN_SHOWN_MW) & ~c["region"].isin(run.export_regions)]
    return c.reset_index(drop=True)


def export_links(run: RunResults) -> list[str]:
    t = run["transmission.csv"]
    exp = set(run.export_regions)
    return list(dict.fromkeys(t.loc[t["to_region"].isin(exp) | t["from_region"].isin(exp), "link"]))


def storage_technologies(run: RunResults) -> list[str]:
    c = run["capacity.csv"]
    return list(dict.fromkeys(c.loc[c["kind"] == "energy", "technology"]))


def export_link_cost(run: RunResults) -> float:
    """Annual cost of the links into an export region (costs.csv, every component) [KRW/yr]."""
    c = run["costs.csv"]
    return float(c.loc[c["asset"].isin(export_links(run)) & (c["asset_kind"] != "target"), "value"].sum())


def energy_sent_to_export(run: RunResults) -> float:
    """Energy sent into the links towards an export region, at the sending end [MWh/yr] (transmission.csv)."""
    t = run["transmission.csv"]
    exp = set(run.export_regions)
    fwd = t["to_region"].isin(exp) & (t["quantity"] == "energy_forward")
    bwd = t["from_region"].isin(exp) & (t["quantity"] == "energy_backward")
    return float(t.loc[fwd | bwd, "value"].sum())


def optional_metric(run: RunResults, name: str, default: float = 0.0) -> float:
    """A summary.csv metric that runs written before it existed (or without its feature) lack: `default` then."""
    return float(run.summary[name]) if name in run.summary else default


# summary.csv metrics of issue 14 shown when present: key -> formatting kind
DELIVERABILITY_METRICS = (
    ("net_system_cost", "trillion_krw"), ("displaced_generation_value", "trillion_krw"),
    ("product_sales_revenue", "trillion_krw"), ("net_cost_per_mwh_delivered", "krw_per_mwh"),
    ("exports_gross", "twh"), ("imports_from_export_regions", "twh"), ("exports_counted", "twh"),
    ("hydrogen_sold", "twh"), ("hydrogen_sold_electricity", "twh"), ("nonrenewable_beyond_honam_load", "twh_small"),
    ("absorption_limit_hours", "hours"), ("absorption_headroom", "twh"), ("firm_capacity_credited", "gw"),
    ("firm_capacity_generators", "gw"), ("firm_capacity_storage", "gw"), ("firm_capacity_imports", "gw"),
    ("adequacy_requirement", "gw"),
)


def cost_split(run: RunResults, out: dict[str, HeadlineValue]) -> None:
    """Total cost per MWh delivered, and its attribution to Honam's own supply and the export service (added to
    `out`): the links into the Capital region go to exports; every other cost is shared in proportion to Honam
    demand D and the energy S sent out — into those links (sending end, so the corridor's losses fall on exports)
    plus the electricity H that made the hydrogen sold to industry (the other export by the study's reading):

        export service = corridor cost + (total - corridor cost) × S / (D + S)    per MWh delivered (net + H)
        Honam supply   = (total - corridor cost) × D / (D + S)                    per MWh of Honam demand
    """
    s = "summary.csv"
    total, demand = run.metric("total_system_cost"), run.metric("honam_consumption")
    hydrogen = optional_metric(run, "hydrogen_sold_electricity")
    exports = run.metric("exports_delivered") + hydrogen
    out["energy_delivered"] = headline_value("energy_delivered", demand + exports, "twh", "MWh/yr",
                                  f"{s}: honam_consumption + exports_delivered + hydrogen_sold_electricity")
    corridor = export_link_cost(run)
    sent = energy_sent_to_export(run) + hydrogen
    shared = total - corridor
    share = sent / (demand + sent) if demand + sent > 0 else 0.0
    export_cost, honam_cost = corridor + shared * share, shared * (1.0 - share)
    how = (f"costs.csv: links {'+'.join(export_links(run)) or 'none'} to exports; the rest × energy sent "
           f"(transmission.csv energy_forward of those links) / (Honam demand + energy sent)")
    out["energy_sent_to_capital"] = headline_value("energy_sent_to_capital", sent, "twh", "MWh/yr",
                                        "transmission.csv: energy_forward of the links into the Capital region + "
                                        f"{s}: hydrogen_sold_electricity")
    out["cost_export_service"] = headline_value("cost_export_service", export_cost, "trillion_krw", "KRW/yr", how)
    out["cost_honam_supply"] = headline_value("cost_honam_supply", honam_cost, "trillion_krw", "KRW/yr", how)
    out["average_cost_export_service"] = headline_value(
        "average_cost_export_service", export_cost / exports if exports > 0 else float("nan"), "krw_per_mwh",
        "KRW/MWh delivered to the Capital region or sold as hydrogen", how,
        f"{s}: exports_delivered + hydrogen_sold_electricity")
    out["average_cost_honam_supply"] = headline_value(
        "average_cost_honam_supply", honam_cost / demand if demand > 0 else float("nan"), "krw_per_mwh",
        "KRW/MWh of Honam demand", how, f"{s}: honam_consumption")


def headline(run: RunResults) -> dict[str, HeadlineValue]:
    s = "summary.csv"
    out: dict[str, HeadlineValue] = {}

    def metric(key, kind):
        out[key] = headline_value(key, run.metric(key), kind, run.summary_units.get(key, ""), f"{s}: {key}")

    for key, kind in (
        ("renewable_ratio", "ratio"), ("renewable_target_ratio", "ratio"), ("exports_delivered", "twh"),
        ("export_ratio", "ratio"), ("total_system_cost", "trillion_krw"),
        ("average_cost_per_mwh_delivered", "krw_per_mwh"), ("average_cost_per_mwh_demand", "krw_per_mwh"),
        ("renewable_target_shadow_price", "krw_per_mwh"), ("export_target_shadow_price", "krw_per_mwh"),
        ("curtailment", "twh"), ("curtailment_share", "share"), ("honam_consumption", "twh"), ("emissions", "mt"),
        ("nonrenewable_supply", "twh"), ("unserved_energy", "twh_small"), ("renewable_shortfall", "twh_small"),
        ("export_shortfall", "twh_small"), ("shortfall_penalty", "trillion_krw"),
    ):
        metric(key, kind)
    for key, kind in DELIVERABILITY_METRICS:
        if key in run.summary:
            metric(key, kind)

    ef, ef_source = grid_emission_factor(run)
    out["grid_emission_factor"] = headline_value("grid_emission_factor", ef, "t_per_mwh", "tCO2/MWh", ef_source)
    consumption, emissions = run.metric("honam_consumption"), run.metric("emissions")
    out["emissions_avoided"] = headline_value(
        "emissions_avoided", consumption * ef - emissions, "mt", "tCO2/yr",
        f"{s}: honam_consumption × {ef_source} − {s}: emissions",
    )

    cost_split(run, out)

    # capacities to build, by region and technology
    # (charge_power: the charging side of storage with its own capacity, e.g. electrolysers)
    for kind, unit_ in (("power", "MW"), ("charge_power", "MW"), ("energy", "MWh")):
        for _, row in new_capacity(run, kind).iterrows():
            key = f"new_{kind}:{row['region']}:{row['technology']}"
            out[key] = headline_value(key, row["new"], "mwh" if kind == "energy" else "mw", unit_,
                           f"capacity.csv: region={row['region']}, technology={row['technology']}, kind={kind}, new")

    # storage totals
    cap = run["capacity.csv"]
    for tech in storage_technologies(run):
        for kind, unit_, fmt in (("power", "MW", "gw2"), ("energy", "MWh", "gwh")):
            rows = cap[(cap["technology"] == tech) & (cap["kind"] == kind)]
            for col in ("new", "total"):
                key = f"storage_{kind}_{col}:{tech}"
                out[key] = headline_value(key, rows[col].sum(), fmt, unit_,
                               f"capacity.csv: technology={tech}, kind={kind}, sum of {col} over regions")

    # the corridor to the Capital region
    for link in export_links(run):
        for q in ("capacity_total", "capacity_new", "energy_forward", "utilisation"):
            key = f"corridor_{q}:{link}"
            kind = {"capacity_total": "gw", "capacity_new": "gw", "energy_forward": "twh", "utilisation": "share"}[q]
            unit_ = {"energy_forward": "MWh", "utilisation": "fraction"}.get(q, "MW")
            out[key] = headline_value(key, run.link_value(link, q), kind, unit_, f"transmission.csv: link={link}, quantity={q}")
    return out
