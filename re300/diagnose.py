"""Why a run cannot do better: binding limits, infeasible subsets and the numerical health of the LP.

* `binding_limits(ds)` — with priced slacks (default) an unreachable target shows up as a shortfall; this table
  says where the limit is: the potentials, storage build limits and corridors whose new capacity sits at its upper
  bound (`max_new`), and the corridors that cannot expand but run at their capacity. Written as
  `binding_limits.csv` (kind, name, region, value, limit, unit) and summarised in `summary.csv` and on the console.
* `infeasible_subset(built, sol)` / `explain_infeasibility(...)` — with slacks off (`targets.allow_shortfall:
  false`) an infeasible LP is explained by HiGHS's infeasible subset (`Highs.getIis`), translated back from
  row/column numbers to constraint families and their coordinates (technology|region, link, snapshot).
* `numerical_warnings(ranges)` — warns when LP coefficient ranges are wide enough to threaten HiGHS's accuracy.
* `output_tables(ds)` — every CSV a run writes, from the results Dataset alone (so `re300 verify` can rebuild
  them and compare).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from .model import units as U

# ---- numerical health: the thresholds, in one place ---------------------------------------------------------------
# HiGHS works to absolute feasibility/optimality tolerances of 1e-7 and drops matrix entries below 1e-9
# (`small_matrix_value`). Within one part of the LP (matrix, costs, right-hand sides, bounds) a ratio of largest to
# smallest absolute value above ~1e6, or values outside [1e-6, 1e7], leave too few significant digits between those
# tolerances and the data: results may be inaccurate or HiGHS may stall. re300's LP units (GW, GWh, bn KRW) are chosen
# to stay inside these limits; a warning means an input or a scenario pushed a number out of them. The span applies to
# the matrix and the costs (coefficients that are combined within one row or one objective); right-hand sides and bounds
# belong to rows and columns of different families (GW per hour, GWh per year) and are checked against the limits only.
COEFFICIENT_SMALLEST = 1e-6
COEFFICIENT_LARGEST = 1e7
COEFFICIENT_SPAN = 1e6
SPAN_CHECKED_PARTS = ("matrix", "cost")
# Capacity factors below this are set to zero when ModelData is assembled (re300.run): the synthetic weather gives
# values down to 3e-10 at sunrise and sunset, which would put 1e-10 coefficients in the LP. On `quick` the values
# removed are 1.3e-6 (0.00013 %) of the available renewable energy.
CAPACITY_FACTOR_FLOOR = 1e-4



def floor_capacity_factors(cf: np.ndarray) -> np.ndarray:
    """Capacity factors with values below CAPACITY_FACTOR_FLOOR set to zero (numerical noise, see above)."""
    cf = np.asarray(cf, float)
    return np.where(cf < CAPACITY_FACTOR_FLOOR, 0.0, cf)


# a capacity counts as "at its limit" within this relative tolerance (plus BINDING_ABS_TOL_MW)
BINDING_REL_TOL = 1e-6
BINDING_ABS_TOL_MW = 1e-3

BINDING_COLUMNS = ["kind", "name", "region", "value", "limit", "unit"]
BINDING_KIND_TEXT = {
    "generator_potential": "new capacity at its potential",
    "storage_power_limit": "new storage power at its build limit",
    "storage_energy_limit": "new storage energy at its build limit",
    "link_expansion_limit": "new corridor capacity at its expansion limit",
    "link_at_capacity": "corridor that cannot expand, at full capacity in some hours",
}


def numerical_warnings(ranges: dict) -> list[str]:
    """Warnings for LP coefficient ranges {part: [smallest, largest] absolute non-zero value} (see highs.py)."""
    out = []
    for part, rng in sorted((ranges or {}).items()):
        if not rng or len(rng) != 2:
            continue
        lo, hi = float(rng[0]), float(rng[1])
        if lo <= 0 or hi <= 0:
            continue
        problems = []
        if part in SPAN_CHECKED_PARTS and hi / lo > COEFFICIENT_SPAN:
            problems.append(f"spans {hi / lo:.1e} (more than {COEFFICIENT_SPAN:.0e})")
        if lo < COEFFICIENT_SMALLEST:
            problems.append(f"smallest {lo:.2e} is below {COEFFICIENT_SMALLEST:.0e}")
        if hi > COEFFICIENT_LARGEST:
            problems.append(f"largest {hi:.2e} is above {COEFFICIENT_LARGEST:.0e}")
        if problems:
            out.append(f"LP {part} coefficients [{lo:.3g}, {hi:.3g}] (LP units GW, GWh, bn KRW): " + "; ".join(problems)
                       + " - HiGHS's accuracy may suffer; check inputs and scenario factors")
    return out


# ---- binding limits (slacks on) -----------------------------------------------------------------------------------


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

    def scan(kind, present, value, limit, unit):
        hit = (present > 0) & _at_limit(value, limit)
        for ti, ri in zip(*np.nonzero(hit)):
            rows.append((kind, techs[ti], regions[ri], float(value[ti, ri]), float(limit[ti, ri]), unit))

    gen = ds["input_generator"].values
    scan("generator_potential", gen, ds["capacity_new_mw"].values, ds["input_generator_max_new_mw"].values, "MW")
    sto = ds["input_storage"].values
    scan("storage_power_limit", sto, ds["capacity_new_mw"].values, ds["input_storage_max_new_mw"].values, "MW")
    free = ~(np.nan_to_num(ds["input_storage_fixed_duration_h"].values, nan=0.0) > 0)
    scan("storage_energy_limit", sto * free, ds["energy_capacity_new_mwh"].values, ds["input_storage_max_new_mwh"].values,
         "MWh")
    new, max_new = ds["link_capacity_new_mw"].values, ds["input_link_max_new_mw"].values
    exist = ds["link_capacity_existing_mw"].values
    peak = np.maximum(ds["flow_forward_mw"].values, ds["flow_backward_mw"].values).max(axis=1, initial=0.0)
    for k, name in enumerate(str(n) for n in ds["link"].values):
        origin = str(ds["link_from"].values[k])
        if _at_limit(new[k:k + 1], max_new[k:k + 1])[0]:
            rows.append(("link_expansion_limit", name, origin, float(new[k]), float(max_new[k]), "MW"))
        elif not np.nan_to_num(max_new[k]) > 0 and _at_limit(peak[k:k + 1], exist[k:k + 1])[0]:
            rows.append(("link_at_capacity", name, origin, float(peak[k]), float(exist[k]), "MW"))
    return pd.DataFrame(rows, columns=BINDING_COLUMNS)


def binding_limits_text(limits: pd.DataFrame, most: int = 8) -> str:
    """One line: 'offshore_wind|jeonnam at 29,900 MW (new capacity at its potential), ...'."""
    if limits.empty:
        return "no capacity is at its limit"
    parts = [f"{r.name}|{r.region} {r.value:,.0f} of {r.limit:,.0f} {r.unit} ({BINDING_KIND_TEXT.get(r.kind, r.kind)})"
             if r.kind == "link_at_capacity" else
             f"{r.name}|{r.region} at {r.limit:,.0f} {r.unit} ({BINDING_KIND_TEXT.get(r.kind, r.kind)})"
             for r in limits.itertuples(index=False)]
    more = f"; and {len(parts) - most} more (binding_limits.csv)" if len(parts) > most else ""
    return "; ".join(parts[:most]) + more


def binding_summary_rows(limits: pd.DataFrame) -> pd.DataFrame:
    """Rows for summary.csv: metric 'binding_limit:<kind>:<name>|<region>', value = the limit, unit."""
    return pd.DataFrame(
        [(f"binding_limit:{r.kind}:{r.name}|{r.region}", r.limit, f"{r.unit} (limit reached; see binding_limits.csv)")
         for r in limits.itertuples(index=False)],
        columns=["metric", "value", "unit"],
    )


def output_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Every CSV a run writes, from its Dataset: re300.results.tables.TABLES, binding_limits.csv, and summary.csv
    extended with one row per binding limit."""
    from .results.tables import TABLES

    frames = {name: fn(ds) for name, fn in TABLES.items()}
    limits = binding_limits(ds)
    frames["binding_limits.csv"] = limits
    if "summary.csv" in frames and not limits.empty:
        frames["summary.csv"] = pd.concat([frames["summary.csv"], binding_summary_rows(limits)], ignore_index=True)
    return frames


# ---- infeasible subset (slacks off) -------------------------------------------------------------------------------

IIS_STATUS = {-1: "feasible", 0: "unknown", 1: "time limit reached", 2: "reducible", 3: "irreducible"}
BOUND_TEXT = {-1: "dropped", 0: "null", 1: "free", 2: "lower", 3: "upper", 4: "both"}
CAPACITY_FAMILIES = ("capacity_new", "power_new", "energy_new", "link_new")
TARGET_FAMILIES = ("renewable_target", "export_target")
# default IIS strategy: HiGHS's elasticity filter on the LP (kIisStrategyFromLp = 2; 6 adds the deletion filter that
# makes the subset irreducible, which took > 120 s on `quick`; set solver.options.iis_strategy: 6 to ask for it)
DEFAULT_IIS_STRATEGY = 2


@dataclass
class SubsetGroup:
    """IIS entries of one family and one non-time coordinate (e.g. availability[offshore_wind|jeonnam])."""

    kind: str  # "row" or "column"
    family: str
    label: str  # family[coords without time]
    bound: str  # lower / upper / both / free
    lower: float  # the bounds (first entry), in output units (MW, MWh)
    upper: float
    unit: str
    snapshots: list[int] = field(default_factory=list)


@dataclass
class InfeasibleSubset:
    status: str  # irreducible / reducible / time limit reached / unknown
    n_rows: int
    n_columns: int
    groups: list[SubsetGroup]
    text: str


def _out_unit(lp_unit: str) -> tuple[float, str]:
    """Factor and unit from LP units to output units: GW -> MW, GWh -> MWh."""
    if lp_unit == "GW":
        return 1.0 / U.POWER, "MW"
    if lp_unit == "GWh":
        return 1.0 / U.ENERGY, "MWh"
    return 1.0, lp_unit


def _amount(value: float, unit: str) -> str:
    """'29,900 MW', '681.14 TWh' (MWh above 1e6 shown in TWh)."""
    if unit == "MWh" and abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} TWh"
    return f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:,.4g} {unit}"


def _coords(fam, flat: int) -> tuple[str, int | None]:
    idx = np.unravel_index(flat, fam.shape) if fam.shape else ()
    parts, t = [], None
    for d, c, i in zip(fam.dims, fam.coords, idx):
        if d == "time":
            t = int(c[i])
        else:
            parts.append(str(c[i]))
    return f"{fam.name}[{', '.join(parts)}]" if parts else fam.name, t


def infeasible_subset(built, sol, strategy: int | None = None, time_limit_s: float | None = None) -> InfeasibleSubset:
    """Ask HiGHS for an infeasible subset of the LP behind `sol` (an infeasible solve) and name its parts."""
    import highspy

    from .errors import SolveError
    from .solve.highs import lp_labels

    h = getattr(sol, "_highs", None)
    if h is None:
        raise SolveError("no HiGHS instance kept with this solution; cannot compute an infeasible subset")
    if strategy is not None:
        h.setOptionValue("iis_strategy", int(strategy))
    if time_limit_s is not None:
        h.setOptionValue("iis_time_limit", float(time_limit_s))
    h.setOptionValue("solver", "simplex")  # the elasticity filter's LPs: 6 s with simplex vs 16 s with IPM on quick
    h.setOptionValue("log_to_console", False)
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        raise SolveError("HiGHS could not compute an infeasible subset (getIis failed)")
    row_map, col_map = lp_labels(built, sol)
    lp = sol._lp
    groups: dict[tuple, SubsetGroup] = {}

    def add(kind, fam, flat, bound_code, lower, upper):
        label, t = _coords(fam, flat)
        bound = BOUND_TEXT.get(int(bound_code), str(bound_code))
        factor, unit = _out_unit(fam.unit)
        key = (kind, label, bound)
        g = groups.get(key)
        if g is None:
            g = groups[key] = SubsetGroup(kind, fam.name, label, bound, float(lower) * factor, float(upper) * factor, unit)
        if t is not None:
            g.snapshots.append(t)

    for i, b in zip(iis.row_index_, iis.row_bound_):
        where = row_map[i]
        if where is not None:
            fam = built.lm.constraints[where[0]]
            add("row", fam, where[1], b, lp["row_lower"][i], lp["row_upper"][i])
    for j, b in zip(iis.col_index_, iis.col_bound_):
        where = col_map[j]
        if where is not None:
            fam = built.lm.variables[where[0]]
            add("column", fam, where[1], b, lp["col_lower"][j], lp["col_upper"][j])
    status_text = IIS_STATUS.get(int(iis.status_), str(iis.status_))
    glist = list(groups.values())
    return InfeasibleSubset(status_text, len(iis.row_index_), len(iis.col_index_), glist,
                            _subset_text(glist, status_text, len(iis.row_index_), len(iis.col_index_), built.data.n_time))


def _snap_text(snaps: list[int], T: int) -> str:
    if not snaps:
        return ""
    s = sorted(set(snaps))
    span = f"{s[0]}" if len(s) == 1 else f"{s[0]}-{s[-1]}"
    return f" in {len(s)} of {T} snapshots ({span})"


def _subset_text(groups: list[SubsetGroup], status: str, n_rows: int, n_cols: int, T: int, most: int = 12) -> str:
    targets = [g for g in groups if g.kind == "row" and g.family in TARGET_FAMILIES]
    caps = [g for g in groups if g.kind == "column" and g.family in CAPACITY_FAMILIES and g.bound in ("upper", "both")]
    rows = [g for g in groups if g.kind == "row" and g.family not in TARGET_FAMILIES]
    col_upper = [g for g in groups if g.kind == "column" and g.family not in CAPACITY_FAMILIES and g.bound in ("upper", "both")]
    n_lower = sum(max(len(g.snapshots), 1) for g in groups if g.kind == "column" and g.bound == "lower")
    head = ", ".join(f"{g.label} (>= {_amount(g.lower, g.unit)})" for g in targets) or "the constraints below"
    parts = [f"{g.label} at its upper bound {_amount(g.upper, g.unit)}" for g in caps]
    others = [f"{g.label}{_snap_text(g.snapshots, T)}" for g in rows]
    others += [f"{g.label} at its upper bound{_snap_text(g.snapshots, T)}" for g in col_upper]
    if len(others) > most:
        others = others[:most] + [f"and {len(others) - most} more groups"]
    if n_lower:
        others.append(f"{n_lower} variables at their lower bound (non-negativity)")
    kind = "irreducible infeasible subset" if status == "irreducible" else f"infeasible subset ({status})"
    return (f"{head} cannot be met: " + ("; ".join(parts) + "; " if parts else "")
            + f"HiGHS {kind} of {n_rows:,} rows and {n_cols:,} columns: " + "; ".join(others))


def explain_infeasibility(built, sol, options: dict | None = None) -> str:
    """The readable infeasible-subset text for an infeasible solve (strategy from `options['iis_strategy']` if the
    scenario set it, else DEFAULT_IIS_STRATEGY)."""
    options = options or {}
    strategy = None if "iis_strategy" in options else DEFAULT_IIS_STRATEGY
    return infeasible_subset(built, sol, strategy=strategy).text
