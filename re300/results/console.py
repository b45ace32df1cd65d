"""What a run prints on the console once its tables are written: the headline per planning year or investment period,
the result warnings (unserved energy, missed targets) and the limits that bind."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .binding import binding_limits_text, estimated_limits


def summaries_by_year(frames, data) -> tuple[dict, dict]:
    """{year or None: {metric: value}} and {year or None: binding limits} from the written tables."""
    s, lim = frames["summary.csv"], frames["binding_limits.csv"]
    if data.pathway is None:
        return {None: dict(zip(s["metric"], s["value"]))}, {None: lim}
    out, limits = {}, {}
    for y in data.period_years:
        rows = s[s["period"].astype(str) == str(y)]
        out[y] = dict(zip(rows["metric"], rows["value"]))
        limits[y] = lim[lim["period"] == y].drop(columns="period")
    return out, limits


def print_pathway_headline(summary_csv, summaries: dict, final: Path, limits: dict) -> None:
    for y, sm in summaries.items():
        short = sm.get("renewable_shortfall", 0.0) + sm.get("export_shortfall", 0.0)
        target = sm["renewable_target_ratio"]
        print(f"[re300] {y}: total system cost {sm['total_system_cost'] / 1e12:,.3f} trillion KRW/yr; renewable ratio "
              f"{sm['renewable_ratio']:.3f} (target {'none' if not np.isfinite(target) else f'{target:.3g}'}); exports "
              f"{sm['exports_delivered'] / 1e6:,.1f} TWh; curtailment share {sm['curtailment_share']:.3f}"
              + (f"; targets MISSED by {short / 1e6:,.2f} TWh" if short > 1e-6 else ""))
        if sm.get("unserved_energy", 0.0) > 1e-6:
            print(f"[re300] WARNING: {y}: {sm['unserved_energy'] / 1e3:,.1f} GWh/yr of demand is UNSERVED", file=sys.stderr)
        if short > 1e-6 and len(limits[y]):
            print(f"[re300] WARNING: {y}: binding limits: {binding_limits_text(limits[y])}", file=sys.stderr)
    total = summary_csv[(summary_csv["period"].astype(str) == "all")].set_index("metric")["value"]
    print(f"[re300] pathway: discounted total system cost {total['discounted_total_system_cost'] / 1e12:,.3f} trillion KRW "
          f"(present value), shortfall penalty {total['discounted_shortfall_penalty'] / 1e12:,.3f} trillion KRW")
    if "re100_hourly_matching_premium_discounted" in total:
        print(f"[re300] RE100 hourly matching premium {total['re100_hourly_matching_premium_discounted'] / 1e12:,.3f} "
              f"trillion KRW (present value), {total['re100_hourly_matching_premium_per_mwh']:,.0f} KRW/MWh")
    print(f"[re300] outputs written to {final}")


def result_warnings(summary: dict, limits) -> list[str]:
    """Warnings about the result itself: unserved energy, missed targets and the limits that bind."""
    out = []
    unserved = summary.get("unserved_energy", 0.0)
    re_short, ex_short = summary.get("renewable_shortfall", 0.0), summary.get("export_shortfall", 0.0)
    if unserved > 1e-6:
        out.append(f"{unserved / 1e3:,.1f} GWh/yr of demand is UNSERVED (priced at the value of lost load)")
    if re_short + ex_short > 1e-6:
        out.append(f"targets missed by {(re_short + ex_short) / 1e6:,.2f} TWh/yr (renewable {re_short / 1e6:,.2f} TWh, "
                   f"export {ex_short / 1e6:,.2f} TWh; priced shortfall); binding limits: {binding_limits_text(limits)}")
    return out


def print_headline(summary: dict, final: Path, limits=None) -> None:
    unserved = summary.get("unserved_energy", 0.0)
    short = summary.get("renewable_shortfall", 0.0) + summary.get("export_shortfall", 0.0)
    print(f"[re300] total system cost {summary['total_system_cost'] / 1e12:,.3f} trillion KRW/yr"
          + (f" (net {summary['net_system_cost'] / 1e12:,.3f} after the value of what exports and hydrogen displace)"
             if "net_system_cost" in summary and summary["net_system_cost"] != summary["total_system_cost"] else "")
          + f"; renewable ratio {summary['renewable_ratio']:.3f}; exports {summary['exports_delivered'] / 1e6:,.1f} TWh"
          + (f" + hydrogen {summary['hydrogen_sold_electricity'] / 1e6:,.1f} TWh" if summary.get("hydrogen_sold_electricity", 0) > 1e-6 else "")
          + (f" (export ratio {summary['export_ratio']:.3f})" if "export_ratio" in summary else "")
          + f"; curtailment share {summary['curtailment_share']:.3f}")
    if unserved > 1e-6:
        print(f"[re300] WARNING: {unserved / 1e3:,.1f} GWh/yr of demand is UNSERVED (priced at the value of lost load)", file=sys.stderr)
    if short > 1e-6:
        print(f"[re300] WARNING: targets missed by {short / 1e6:,.2f} TWh/yr (renewable "
              f"{summary.get('renewable_shortfall', 0.0) / 1e6:,.2f} TWh, export {summary.get('export_shortfall', 0.0) / 1e6:,.2f} "
              "TWh; priced shortfall); see summary.csv", file=sys.stderr)
    if limits is not None and len(limits):
        print(f"[re300] {'WARNING: binding limits' if short > 1e-6 else 'at their limits'}: {binding_limits_text(limits)}",
              file=sys.stderr if short > 1e-6 else sys.stdout)
        guessed = estimated_limits(limits)
        if len(guessed):
            print(f"[re300] NOTE: {len(guessed)} of {len(limits)} binding limits rest on estimates or scenario levers, "
                  f"not found figures: {', '.join(f'{r.name}|{r.region}' for r in guessed.itertuples(index=False))} "
                  "(status in binding_limits.csv)")
    if "re100_hourly_matching_premium" in summary:
        print(f"[re300] RE100 loads: hourly matching score {summary['re100_matching_score']:.3f} (annual matching "
              f"{summary['re100_annual_matching_score']:.3f}); premium of hourly over annual matching "
              f"{summary['re100_hourly_matching_premium'] / 1e9:,.1f} bn KRW/yr = "
              f"{summary['re100_hourly_matching_premium_per_mwh']:,.0f} KRW/MWh of RE100 load")
    print(f"[re300] outputs written to {final}")
