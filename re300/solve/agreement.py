"""How far a run's results are from a reference run of the same scenario (e.g. cuPDLPx against HiGHS IPX): the
figures that choose cuPDLPx's tolerance (re300.solve.cupdlpx.TOLERANCE) and that the GPU tests check.

Compared on the results datasets (`re300.results.dataset.to_dataset`): the objective (bn KRW), the new capacity per
technology and region (power, storage energy, links; MW / MWh), the hourly prices (KRW/MWh, weighted by the hours each
snapshot stands for) and the target shadow prices (KRW/MWh).
"""
from __future__ import annotations

import numpy as np

CAPACITY = ("capacity_new_mw", "energy_capacity_new_mwh", "link_capacity_new_mw")
SHADOW = ("renewable_target_shadow_price_krw_per_mwh", "export_target_shadow_price_krw_per_mwh")


def compare_runs(ref, other, objective_ref: float, objective_other: float) -> dict:
    """Differences of `other` from `ref` (xarray Datasets of the same LP); plain floats, JSON-ready.

    objective_rel: |Δ objective| / |reference|. capacity_max_abs_mw: the largest |Δ| over every technology x region
    (and link) of the new capacities, with where it is; capacity_max_rel_of_total: that largest |Δ| over the total new
    capacity of its variable. price_*: |Δ price| weighted by snapshot hours and demand-independent, relative to the
    reference's weighted mean price: mean and 99th percentile, and the largest absolute |Δ| (KRW/MWh).
    shadow_rel: per target, |Δ| / |reference| (NaN where the reference has no such target).
    """
    out = {"objective_ref": float(objective_ref), "objective": float(objective_other),
           "objective_rel": float(abs(objective_other - objective_ref) / max(abs(objective_ref), 1e-300))}
    worst, worst_at, worst_rel = 0.0, "", 0.0
    for var in CAPACITY:
        if var not in ref or var not in other:
            continue
        a, b = ref[var], other[var]
        d = np.abs(b.values - a.values)
        if not d.size or not np.isfinite(d).any():
            continue
        k = int(np.nanargmax(d))
        if d.flat[k] > worst:
            idx = np.unravel_index(k, d.shape)
            worst = float(d.flat[k])
            worst_at = f"{var}[" + ", ".join(str(a[dim].values[i]) for dim, i in zip(a.dims, idx)) + "]"
            worst_rel = float(worst / max(float(np.nansum(np.abs(a.values))), 1e-300))
    out.update(capacity_max_abs_mw=worst, capacity_max_at=worst_at, capacity_max_rel_of_total=worst_rel)
    if "price_krw_per_mwh" in ref and "price_krw_per_mwh" in other:
        p, q = ref["price_krw_per_mwh"], other["price_krw_per_mwh"]
        w = np.broadcast_to(np.asarray(ref["weight_h"].values, float), p.shape) if "weight_h" in ref else np.ones(p.shape)
        d = np.abs(q.values - p.values)
        ok = np.isfinite(d) & np.isfinite(p.values)
        scale = max(float(np.sum(w[ok] * np.abs(p.values[ok])) / max(np.sum(w[ok]), 1e-300)), 1e-300)
        out["price_mean_rel"] = float(np.sum(w[ok] * d[ok]) / max(np.sum(w[ok]), 1e-300) / scale)
        out["price_p99_rel"] = float(_weighted_quantile(d[ok], w[ok], 0.99) / scale) if ok.any() else float("nan")
        out["price_max_abs_krw_per_mwh"] = float(d[ok].max()) if ok.any() else float("nan")
    for var in SHADOW:
        if var in ref and var in other:
            a, b = float(np.nansum(ref[var].values)), float(np.nansum(other[var].values))
            out[f"{var.split('_target')[0]}_shadow_rel"] = float(abs(b - a) / abs(a)) if a else float("nan")
    return out


def agreement_line(d: dict) -> str:
    """One line of `compare_runs`'s figures."""
    parts = [f"objective {d['objective']:,.3f} vs {d['objective_ref']:,.3f} (rel {d['objective_rel']:.1e})",
             f"capacity max |diff| {d['capacity_max_abs_mw']:.3g} MW at {d['capacity_max_at'] or '-'} "
             f"({d['capacity_max_rel_of_total']:.1e} of its total)"]
    if "price_mean_rel" in d:
        parts.append(f"prices mean rel {d['price_mean_rel']:.1e}, p99 rel {d['price_p99_rel']:.1e}, "
                     f"max {d['price_max_abs_krw_per_mwh']:,.0f} KRW/MWh")
    for k, v in d.items():
        if k.endswith("_shadow_rel"):
            parts.append(f"{k.replace('_shadow_rel', '')} target shadow price rel {v:.1e}")
    return "; ".join(parts)


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    return float(x[order][min(int(np.searchsorted(cw, q * cw[-1])), x.size - 1)])
