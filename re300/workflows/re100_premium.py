"""The premium of hourly over annual RE100 matching: the same scenario solved a second time with every RE100 load
matched annually (counted only in the volumetric target), and the summary.csv rows that compare the two."""
from __future__ import annotations

import time as _time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from re300.errors import SolveError
from re300.model.builder import build_model
from re300.results.dataset import to_dataset
from re300.results.rebuild import period_view
from re300.results.tables import re100_summary
from re300.results.tables import summary as summary_of
from re300.solve.solver import solve

from .myopic import solve_myopic_scenario


def has_hourly_re100(data) -> bool:
    """True when the run has RE100 loads matched hourly (then the annual-matching variant is solved too)."""
    return data.re100_loads is not None and bool((data.re100_loads["matching"] == "hourly").any())


def annual_matching_variant(data, sc, opts, tmp: Path, echo: bool) -> dict:
    """Solve the same scenario with every RE100 load matched annually (counted only in the volumetric target):
    the reference for the premium of hourly matching."""
    loads = data.re100_loads.copy()
    loads["matching"] = "annual"
    variant = replace(data, re100_loads=loads)
    opts = replace(opts, log_file=tmp / "highs_annual_matching.log", log_to_console=False)
    t0 = _time.perf_counter()
    if variant.pathway is not None and variant.pathway.foresight == "myopic":
        built, sol, _ = solve_myopic_scenario(variant, sc, opts, False)
    else:
        built = build_model(variant, split_hours=sc.solver.split_hours)
        sol = solve(built, opts)
    if not sol.optimal:
        raise SolveError(f"the annual-matching variant of scenario {sc.name} finished with status '{sol.status}'; "
                         "see highs_annual_matching.log. Earlier outputs of this scenario are untouched.")
    seconds = _time.perf_counter() - t0
    if echo:
        print(f"[re300] annual-matching variant (for the hourly-matching premium): {sol.status}, objective "
              f"{sol.objective:,.3f} bn KRW, {seconds:.1f} s", flush=True)
    return {"ds": to_dataset(built, sol, sc.name + "_annual_matching"), "status": sol.status,
            "objective": float(sol.objective), "seconds": round(seconds, 3)}


def comparison_rows(ds, comparison) -> pd.DataFrame:
    """summary.csv rows: the annual-matching variant's cost and matching score, and the premium of hourly over
    annual matching (per period and, for a pathway, as present values)."""
    other = comparison["ds"]
    pathway = "period" in ds.dims
    years = [int(y) for y in ds["period"].values] if pathway else [None]
    rows = []
    pv_premium = pv_energy = 0.0
    for y in years:
        a = summary_of(period_view(ds, y) if pathway else ds)
        b = summary_of(period_view(other, y) if pathway else other)
        # A premium is a clean comparison only when both variants meet every target and the hourly variant matches
        # every hour; with priced shortfalls the two plans trade penalties, not costs (then NaN and a warning).
        missed = sum(x.get(m, (0.0,))[0] for x in (a, b) for m in ("renewable_shortfall", "export_shortfall",
                                                                     "re100_unmatched_hourly_load"))
        premium = a["total_system_cost"][0] - b["total_system_cost"][0] if missed <= 1e-3 else np.nan
        if not np.isfinite(premium):
            comparison.setdefault("warnings", []).append(
                f"{f'{y}: ' if y else ''}hourly-matching premium not computed: a target or the hourly match is missed "
                "(priced shortfall) in one of the two variants")
        energy = re100_summary(period_view(ds, y) if pathway else ds)["re100_hourly_matched_load"][0]
        rows += [(y, "re100_annual_matching_total_system_cost", b["total_system_cost"][0], "KRW/yr"),
                 (y, "re100_annual_matching_score", b["re100_matching_score"][0],
                  "fraction of RE100 load met by Honam renewable supply in the same hour, when matched annually"),
                 (y, "re100_hourly_matching_premium", premium, "KRW/yr (hourly minus annual matching, system cost)"),
                 (y, "re100_hourly_matching_premium_per_mwh", premium / energy if energy else np.nan,
                  "KRW per MWh of hourly-matched RE100 load")]
        if pathway:
            w = float(ds["period_objective_weight"].sel(period=y))
            pv_premium += w * premium  # NaN as soon as one period is not comparable
            pv_energy += w * energy
    if pathway:
        base = int(ds.attrs.get("pathway_base_year", 0))
        rows += [("all", "re100_hourly_matching_premium_discounted", pv_premium, f"KRW (present value in {base})"),
                 ("all", "re100_hourly_matching_premium_per_mwh", pv_premium / pv_energy if pv_energy else np.nan,
                  "KRW per MWh of hourly-matched RE100 load (present values)")]
        return pd.DataFrame(rows, columns=["period", "metric", "value", "unit"])
    return pd.DataFrame([r[1:] for r in rows], columns=["metric", "value", "unit"])
