"""Binding limits of a solved run, from its results Dataset alone.

With priced slacks (default) an unreachable target shows up as a shortfall; `binding_limits(ds)` says where the limit
is: the potentials, storage build limits and corridors whose new capacity sits at its upper bound (`max_new`), and the
corridors that cannot expand but run at their capacity. Written as `binding_limits.csv` (kind, name, region, value,
limit, unit) and summarised in `summary.csv` and on the console.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

# a capacity counts as "at its limit" within this relative tolerance (plus BINDING_ABS_TOL_MW)
BINDING_REL_TOL = 1e-6
BINDING_ABS_TOL_MW = 1e-3

BINDING_COLUMNS = ["kind", "name", "region", "value", "limit", "unit", "status"]
UNMARKED = ("found",)  # statuses a reader need not be warned about
BINDING_KIND_TEXT = {
    "generator_potential": "new capacity at its potential",
    "storage_power_limit": "new storage power at its build limit",
    "storage_energy_limit": "new storage energy at its build limit",
    "link_expansion_limit": "new corridor capacity at its expansion limit",
    "link_at_capacity": "corridor that cannot expand, at full capacity in some hours",
}


def _at_limit(value: np.ndarray, limit: np.ndarray) -> np.ndarray:
    return (np.isfinite(limit) & (limit > 0) & np.isfinite(value)
            & (value >= limit * (1 - BINDING_REL_TOL) - BINDING_ABS_TOL_MW))


def binding_limits(ds: xr.Dataset) -> pd.DataFrame:
    """Capacities at their upper bound in a solved run, from the Dataset alone (columns BINDING_COLUMNS).

    value: the model's choice; limit: the bound [MW or MWh]. For corridors that cannot expand (max_new = 0) the
    value is the highest flow sent in any snapshot and the limit the existing capacity.
    """
    rows = []
    techs = [str(t) for t in ds["technology"].values]
    regions = [str(r) for r in ds["region"].values]

    def status(name, shape):
        return ds[name].values.astype(str) if name in ds else np.full(shape, "", dtype=object)

    def scan(kind, present, value, limit, unit, stat):
        hit = (present > 0) & _at_limit(value, limit)
        for ti, ri in zip(*np.nonzero(hit)):
            rows.append((kind, techs[ti], regions[ri], float(value[ti, ri]), float(limit[ti, ri]), unit, stat[ti, ri]))

    gen = ds["input_generator"].values
    scan("generator_potential", gen, ds["capacity_new_mw"].values, ds["input_generator_max_new_mw"].values, "MW",
         status("input_generator_max_new_status", gen.shape))
    sto = ds["input_storage"].values
    scan("storage_power_limit", sto, ds["capacity_new_mw"].values, ds["input_storage_max_new_mw"].values, "MW",
         status("input_storage_max_new_status", sto.shape))
    free = ~(np.nan_to_num(ds["input_storage_fixed_duration_h"].values, nan=0.0) > 0)
    scan("storage_energy_limit", sto * free, ds["energy_capacity_new_mwh"].values, ds["input_storage_max_new_mwh"].values,
         "MWh", status("input_storage_max_new_energy_status", sto.shape))
    new, max_new = ds["link_capacity_new_mw"].values, ds["input_link_max_new_mw"].values
    exist = ds["link_capacity_existing_mw"].values
    peak = np.maximum(ds["flow_forward_mw"].values, ds["flow_backward_mw"].values).max(axis=1, initial=0.0)
    new_status = status("input_link_max_new_status", (len(new),))
    exist_status = status("input_link_existing_status", (len(new),))
    for k, name in enumerate(str(n) for n in ds["link"].values):
        origin = str(ds["link_from"].values[k])
        if _at_limit(new[k:k + 1], max_new[k:k + 1])[0]:
            rows.append(("link_expansion_limit", name, origin, float(new[k]), float(max_new[k]), "MW", new_status[k]))
        elif not np.nan_to_num(max_new[k]) > 0 and _at_limit(peak[k:k + 1], exist[k:k + 1])[0]:
            rows.append(("link_at_capacity", name, origin, float(peak[k]), float(exist[k]), "MW", exist_status[k]))
    return pd.DataFrame(rows, columns=BINDING_COLUMNS)


def binding_limits_text(limits: pd.DataFrame, most: int = 8) -> str:
    """One line: 'offshore_wind|jeonnam at 29,900 MW (new capacity at its potential), ...'."""
    if limits.empty:
        return "no capacity is at its limit"
    def mark(r):
        status = getattr(r, "status", "")
        return "" if not status or status in UNMARKED else f"; {status.upper() if status == 'estimate' else status}"

    parts = [f"{r.name}|{r.region} {r.value:,.0f} of {r.limit:,.0f} {r.unit} ({BINDING_KIND_TEXT.get(r.kind, r.kind)}{mark(r)})"
             if r.kind == "link_at_capacity" else
             f"{r.name}|{r.region} at {r.limit:,.0f} {r.unit} ({BINDING_KIND_TEXT.get(r.kind, r.kind)}{mark(r)})"
             for r in limits.itertuples(index=False)]
    more = f"; and {len(parts) - most} more (binding_limits.csv)" if len(parts) > most else ""
    return "; ".join(parts[:most]) + more


def estimated_limits(limits: pd.DataFrame) -> pd.DataFrame:
    """The binding limits whose bound is not a found figure (an estimate, or a scenario lever): what a reader must know
    rests on a judgement."""
    if limits.empty or "status" not in limits:
        return limits.iloc[0:0]
    return limits[~limits["status"].isin(UNMARKED)]


def binding_summary_rows(limits: pd.DataFrame) -> pd.DataFrame:
    """Rows for summary.csv: metric 'binding_limit:<kind>:<name>|<region>', value = the limit, unit."""
    return pd.DataFrame(
        [(f"binding_limit:{r.kind}:{r.name}|{r.region}", r.limit, f"{r.unit} (limit reached; see binding_limits.csv)")
         for r in limits.itertuples(index=False)],
        columns=["metric", "value", "unit"],
    )
