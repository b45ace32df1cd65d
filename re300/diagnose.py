"""Why a run cannot do better: binding limits, infeasible subsets and the numerical health of the LP.

* `binding_limits(ds)` — with priced slacks (default) an unreachable target shows up as a shortfall; this table
  says where the limit is: the potentials, storage build limits and corridors whose new capacity sits at its upper
  bound (`max_new`), and the corridors that cannot expand but run at their capacity. Written as
  `binding_limits.csv` (kind, name, region, value, limit, unit) and summarised in `summary.csv` and on the console.
* `infeasible_subset(built, sol)` / `explain_infeasibility(...)` — with slacks off (`targets.allow_shortfall:
  false`) an infeasible LP is explained by an irreducible infeasible subset (dropping any one member makes it
  feasible), found from a vertex of the LP's alternative system (notes at "infeasible subset" below) or, on request,
  by HiGHS (`Highs.getIis`), translated back from row/column numbers to constraint families and their coordinates
  (technology|region, link, snapshot) and grouped over the hours.
* `numerical_warnings(ranges)` — warns when LP coefficient ranges are wide enough to threaten HiGHS's accuracy.
* `output_tables(ds)` — every CSV a run writes, from the results Dataset alone (so `re300 verify` can rebuild
  them and compare).
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

import highspy
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
#
# A subset of the LP's constraints (rows, and the lower or upper bounds of columns) is an *infeasible subset* when no
# point satisfies it; it is *irreducible* (an IIS) when dropping any single member makes it feasible. re300 finds one
# from the alternative (Farkas) system of the LP. Write every member c as  m_c · x >= b_c  (a row's lower side
# a_i x >= L_i, its upper side -a_i x >= -U_i, a column's bounds x_j >= l_j and -x_j >= -u_j). Multipliers y >= 0 with
#
#       Σ_c y_c m_c = 0   and   Σ_c y_c b_c = R > 0
#
# prove the members with y_c > 0 infeasible together (summing y_c · (m_c x >= b_c) gives 0 >= R). Gleeson and Ryan
# (1990, ORSA Journal on Computing 2(1):61-67, "Identifying minimally infeasible subsystems of inequalities") showed
# that the supports of the *vertices* of this polyhedron are exactly the irreducible infeasible subsets. A simplex
# solve of  min Σ_c w_c y_c  over it ends on a vertex, so its support is an IIS; the weights w_c steer which one (an LP
# usually has many): members that explain a target (the target rows, hourly availability, potentials, storage energy
# balance) cost 1, members that merely re-route the same shortage (power balance rows, slack bounds, storage power and
# energy build limits, non-negativity of flows and output) cost DISFAVOURED_WEIGHT. Then, as in a deletion filter over
# groups, each disfavoured group (one family and one technology|region or link, over all hours) still in the subset is
# dropped if the LP without it stays infeasible (a cold primal solve with presolve answers that; the new vertex is then
# a warm-started re-solve with the group's multipliers fixed at 0). Finally the multipliers outside the support are
# fixed at 0 and the alternative LP re-solved: the subset is irreducible when this solve is optimal, ends with the same
# support and every member is in the simplex basis (independent columns m_c: a vertex). As a check of the arithmetic,
# the original LP is re-solved with only the subset's bounds (must be infeasible) and without each of its groups in
# turn (must be feasible); a disagreement reports the subset as reducible. On `quick` with the target at 10x
# consumption all this takes about 5 s (README); HiGHS's own deletion filter (iis_strategy 6) did not finish in 120 s.
# If the budget runs out before the first solve, HiGHS's elasticity filter (iis_strategy 2) is reported instead, with
# HiGHS's own verdict (reducible).

IIS_STATUS = {-1: "feasible", 0: "unknown", 1: "time limit reached", 2: "reducible", 3: "irreducible"}
BOUND_TEXT = {-1: "dropped", 0: "null", 1: "free", 2: "lower", 3: "upper", 4: "both"}
CAPACITY_FAMILIES = ("capacity_new", "power_new", "energy_new", "charge_power_new", "link_new")
TARGET_FAMILIES = ("renewable_target", "export_target")
# seconds for re300's reduction when solver.options has no `iis_time_limit`; `iis_strategy` in solver.options asks
# for HiGHS's own getIis instead (2: elasticity filter, reducible; 6: plus its deletion filter, irreducible but slow)
IIS_TIME_BUDGET_S = 120.0
ELASTIC_IIS_STRATEGY = 2  # the fallback when re300's reduction runs out of time
# a multiplier counts as zero below this fraction of the largest one
SUPPORT_TOLERANCE = 1e-9
DISFAVOURED_WEIGHT = 1000.0
DISFAVOURED_ROWS = frozenset({"power_balance", "charge_limit", "discharge_limit", "energy_limit"})
DISFAVOURED_COLUMNS = frozenset({"unserved", "absorbed", "power_new", "energy_new", "charge_power_new"})
FAVOURED_LOWER_BOUNDS = frozenset({"charge", "soc"})  # storage cannot create energy; other x >= 0 are disfavoured
FAMILY_TEXT = {
    "availability": "output <= capacity factor x capacity",
    "soc_balance": "storage energy balance",
    "power_balance": "power balance",
    "flow_limit_forward": "flow <= corridor capacity",
    "flow_limit_backward": "backward flow <= corridor capacity",
    "charge_limit": "charging <= charging power",
    "discharge_limit": "discharge <= storage power",
    "energy_limit": "stored energy <= energy capacity",
    "soc_intra_max": "level <= the typical day's highest",
    "soc_intra_min": "level >= the typical day's lowest",
    "soc_inter_balance": "storage level carried from day to day",
    "soc_inter_upper": "stored energy <= energy capacity across days",
    "soc_inter_lower": "stored energy >= 0 across days",
    "build_rate": "build-rate limit",
    "re100_hourly_match": "hourly RE100 matching",
}
CAPACITY_TEXT = {"capacity_new": "potential", "power_new": "power build limit", "energy_new": "energy build limit",
                 "charge_power_new": "charging power build limit", "link_new": "expansion limit"}
COLUMN_BOUND_TEXT = {
    ("dispatch", "upper"): "output <= capacity factor x existing capacity",
    ("discharge", "upper"): "discharge <= existing power",
    ("charge", "upper"): "charging <= existing charging power",
    ("soc", "upper"): "stored energy <= existing energy capacity",
    ("flow_forward", "upper"): "flow <= existing corridor capacity",
    ("flow_backward", "upper"): "backward flow <= existing corridor capacity",
    ("unserved", "upper"): "unserved <= demand",
}
TARGET_TEXT = {"renewable_target": "renewable target", "export_target": "export commitment"}


@dataclass
class SubsetGroup:
    """Subset members of one family, one side and one non-time coordinate (e.g. availability[offshore_wind|jeonnam]
    in every snapshot)."""

    kind: str  # "row" or "column"
    family: str
    label: str  # family[coords without time]
    bound: str  # lower / upper / both: the side of the row or column bound in the subset
    lower: float  # the bounds (first member), in output units (MW, MWh)
    upper: float
    unit: str
    snapshots: list[int] = field(default_factory=list)
    coords: str = ""  # the label's coordinates, e.g. "offshore_wind|jeonnam"
    n_time: int = 0  # length of the time-like dimension (0: none)
    time_word: str = "snapshots"


@dataclass
class InfeasibleSubset:
    status: str  # irreducible / reducible / time limit reached / unknown
    n_rows: int
    n_columns: int  # column bounds in the subset (a column's lower and upper bound count as two)
    groups: list[SubsetGroup]
    text: str
    # ("row" | "column", LP index in HiGHS order, "lower" | "upper") of every member (bounds only for columns)
    members: list[tuple[str, int, str]] = field(default_factory=list)
    method: str = ""
    seconds: float = 0.0

    def describe(self, year: int | None = None) -> str:
        """`text`, with a single-year run's targets named by their planning year."""
        return _subset_text(self.groups, self.status, self.n_rows, self.n_columns, self.method, year)


def _out_unit(lp_unit: str) -> tuple[float, str]:
    """Factor and unit from LP units to output units: GW -> MW, GWh -> MWh."""
    if lp_unit == "GW":
        return 1.0 / U.POWER, "MW"
    if lp_unit == "GWh":
        return 1.0 / U.ENERGY, "MWh"
    if lp_unit == U.TARGET_ROW_UNIT:  # the annual target rows
        return 1.0 / (U.TARGET_ROW * U.ENERGY), "MWh"
    return 1.0, lp_unit


def _amount(value: float, unit: str) -> str:
    """'29,900 MW', '681.14 TWh' (MWh above 1e6 shown in TWh)."""
    if unit == "MWh" and abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} TWh"
    return f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:,.4g} {unit}"


def _time_axis(fam) -> int | None:
    """The family's time-like axis: snapshots, or calendar periods for the linked storage levels (soc_inter_*)."""
    dims = list(fam.dims)
    if "time" in dims:
        return dims.index("time")
    if fam.name.startswith("soc_inter") and "period" in dims:
        return dims.index("period")
    return None


def _coords(fam, flat: int) -> tuple[str, str, int | None]:
    """(label without the time coordinate, those coordinates alone, time coordinate or None)."""
    idx = np.unravel_index(flat, fam.shape) if fam.shape else ()
    axis = _time_axis(fam)
    parts, t = [], None
    for k, (c, i) in enumerate(zip(fam.coords, idx)):
        if k == axis:
            t = int(c[i])
        else:
            parts.append(str(c[i]))
    coords = ", ".join(parts)
    return (f"{fam.name}[{coords}]" if parts else fam.name), coords, t


class _Grouper:
    """Collects subset members into SubsetGroups (family x side x non-time coordinates)."""

    def __init__(self, built, sol):
        from .solve.highs import lp_labels

        self.built, self.lp = built, sol._lp
        self.row_map, self.col_map = lp_labels(built, sol)
        self.groups: dict[tuple, SubsetGroup] = {}
        self.unlabelled = 0  # members outside re300's families (none expected)

    def add(self, kind: str, index: int, bound: str) -> None:
        where = (self.row_map if kind == "row" else self.col_map)[index]
        if where is None:
            self.unlabelled += 1
            return
        fam = (self.built.lm.constraints if kind == "row" else self.built.lm.variables)[where[0]]
        label, coords, t = _coords(fam, where[1])
        key = (kind, label, bound)
        g = self.groups.get(key)
        if g is None:
            factor, unit = _out_unit(fam.unit)
            lo, hi = (self.lp["row_lower"], self.lp["row_upper"]) if kind == "row" else (self.lp["col_lower"], self.lp["col_upper"])
            axis = _time_axis(fam)
            g = self.groups[key] = SubsetGroup(
                kind, fam.name, label, bound, float(lo[index]) * factor, float(hi[index]) * factor, unit, coords=coords,
                n_time=0 if axis is None else len(fam.coords[axis]),
                time_word="calendar periods" if fam.name.startswith("soc_inter") else "snapshots")
        if t is not None:
            g.snapshots.append(t)


# -- the alternative LP ------------------------------------------------------------------------------------------


def _highs_lp(A, cost, col_lower, col_upper, row_lower, row_upper):
    """A highspy HighsLp from a scipy sparse matrix and its bounds."""
    A = A.tocsc()
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = A.shape
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    return lp


@dataclass
class Candidates:
    """Every finite bound of the LP as a member of the alternative system: kind 0 = row, 1 = column; index = LP row
    or column number; upper = the upper side (else the lower); value = the bound."""

    kind: np.ndarray
    index: np.ndarray
    upper: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)

    def member(self, c: int) -> tuple[str, int, str]:
        return ("row" if self.kind[c] == 0 else "column", int(self.index[c]), "upper" if self.upper[c] else "lower")


def lp_arrays(lp) -> tuple:
    """(A as scipy CSC, row_lower, row_upper, col_lower, col_upper) of a highspy HighsLp."""
    import scipy.sparse as sp

    m = lp.a_matrix_
    if m.format_ != highspy.MatrixFormat.kColwise:
        raise ValueError("expected a column-wise HiGHS matrix")
    A = sp.csc_matrix((np.asarray(m.value_, float), np.asarray(m.index_), np.asarray(m.start_)),
                      shape=(lp.num_row_, lp.num_col_))
    return (A, np.asarray(lp.row_lower_, float), np.asarray(lp.row_upper_, float), np.asarray(lp.col_lower_, float),
            np.asarray(lp.col_upper_, float))


def alternative_lp(A, row_lower, row_upper, col_lower, col_upper) -> tuple:
    """The alternative system of `row_lower <= A x <= row_upper, col_lower <= x <= col_upper` (module notes):
    (HighsLp with one column y_c per finite bound and one row per LP column plus the normalisation row, Candidates).
    Costs are left at zero."""
    import scipy.sparse as sp

    n = A.shape[1]
    inf = highspy.kHighsInf
    finite = [np.flatnonzero(row_lower > -inf), np.flatnonzero(row_upper < inf),
              np.flatnonzero(col_lower > -inf), np.flatnonzero(col_upper < inf)]
    AT = A.T.tocsc()
    eye = sp.identity(n, format="csc")
    M = sp.hstack([AT[:, finite[0]], -AT[:, finite[1]], eye[:, finite[2]], -eye[:, finite[3]]]).tocsc()
    b = np.r_[row_lower[finite[0]], -row_upper[finite[1]], col_lower[finite[2]], -col_upper[finite[3]]]
    scale = float(np.abs(b).max()) if b.size and np.abs(b).max() > 0 else 1.0  # keeps the multipliers near 1
    M = sp.vstack([M, sp.csr_matrix(b[None, :] / scale)]).tocsc()
    sizes = [len(f) for f in finite]
    cand = Candidates(
        kind=np.repeat([0, 0, 1, 1], sizes), index=np.concatenate(finite).astype(np.int64),
        upper=np.repeat([False, True, False, True], sizes),
        value=np.r_[row_lower[finite[0]], row_upper[finite[1]], col_lower[finite[2]], col_upper[finite[3]]])
    k = M.shape[1]
    rhs = np.r_[np.zeros(n), 1.0]
    return _highs_lp(M, np.zeros(k), np.zeros(k), np.full(k, inf), rhs, rhs), cand


@dataclass
class Reduction:
    members: np.ndarray  # candidate numbers of the subset
    status: str  # irreducible / reducible (not confirmed as a vertex) / feasible (no certificate)
    seconds: float
    solves: int
    groups_dropped: int  # disfavoured groups dropped by the steering pass


def _run_until(h, deadline: float):
    """Run HiGHS with the time left before `deadline`; its model status, or None when no time was left or the limit
    was hit."""
    left = deadline - _time.perf_counter()
    if left <= 0:
        return None
    h.setOptionValue("time_limit", h.getRunTime() + left)
    h.run()
    status = h.getModelStatus()
    return None if status == highspy.HighsModelStatus.kTimeLimit else status


class _AlternativeSolver:
    """One HiGHS instance on the alternative LP; bounds of the multipliers change, the basis carries over."""

    def __init__(self, lp, weights, deadline: float):
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("solver", "simplex")
        self.h.setOptionValue("simplex_strategy", 1)  # dual simplex: 3-4 s on quick, primal over 40 s
        lp.col_cost_ = np.asarray(weights, float)
        self.h.passModel(lp)
        self.k = lp.num_col_
        self.deadline = deadline
        self.solves = 0

    def run(self) -> str:
        """'optimal' (the members allowed are infeasible together), 'infeasible' (they are feasible) or 'stopped'.
        Call it only where 'optimal' is expected: proving the alternative LP infeasible from a warm start can take
        minutes (_PrimalCheck answers that question)."""
        status = _run_until(self.h, self.deadline)
        self.h.setOptionValue("presolve", "off")  # later solves start from the basis
        self.solves += 1
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal"
        return "infeasible" if status == highspy.HighsModelStatus.kInfeasible else "stopped"

    def support(self) -> np.ndarray:
        y = np.asarray(self.h.getSolution().col_value, float)
        top = float(y.max()) if y.size else 0.0
        return np.flatnonzero(y > SUPPORT_TOLERANCE * top) if top > 0 else np.zeros(0, np.int64)

    def allow(self, cands: np.ndarray, on: bool) -> None:
        cands = np.asarray(cands, np.int32)
        if cands.size:
            self.h.changeColsBounds(len(cands), cands, np.zeros(len(cands)),
                                    np.full(len(cands), highspy.kHighsInf if on else 0.0))

    def in_basis(self, cands: np.ndarray) -> bool:
        status = self.h.getBasis().col_status
        basic = highspy.HighsBasisStatus.kBasic
        return all(status[int(c)] == basic for c in cands)


class _PrimalCheck:
    """The original LP with a zero objective, to ask whether the members in force minus some are still infeasible (a
    cold solve with presolve each time: 0.3-0.8 s on quick, where a warm-started simplex may stall for minutes)."""

    def __init__(self, A, bounds, cand: Candidates, deadline: float):
        self.bounds = [np.array(b, float) for b in bounds]  # row_lower, row_upper, col_lower, col_upper in force
        self.cand, self.deadline = cand, deadline
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("solver", "simplex")
        row_lower, row_upper, col_lower, col_upper = self.bounds
        self.h.passModel(_highs_lp(A, np.zeros(A.shape[1]), col_lower, col_upper, row_lower, row_upper))
        self.solves = 0

    def drop(self, cands: np.ndarray, restore: bool = False) -> None:
        """Take the bounds of `cands` out of force (or put them back)."""
        c = self.cand
        cands = np.asarray(cands, np.int64)
        for kind in (0, 1):
            sel = cands[c.kind[cands] == kind]
            if not sel.size:
                continue
            lo, hi = self.bounds[2 * kind], self.bounds[2 * kind + 1]
            for upper, arr in ((False, lo), (True, hi)):
                part = sel[c.upper[sel] == upper]
                arr[c.index[part]] = c.value[part] if restore else (np.inf if upper else -np.inf)
            idx = np.unique(c.index[sel]).astype(np.int32)
            change = self.h.changeRowsBounds if kind == 0 else self.h.changeColsBounds
            change(len(idx), idx, lo[idx], hi[idx])

    def infeasible_without(self, cands: np.ndarray) -> bool | None:
        """Are the members in force, minus `cands`, still infeasible? None: no time left. `cands` stay out of force
        when the answer is True (the deletion filter drops them) and are put back otherwise."""
        self.drop(cands)
        self.h.clearSolver()
        status = _run_until(self.h, self.deadline)
        self.solves += 1
        if status == highspy.HighsModelStatus.kInfeasible:
            return True
        self.drop(cands, restore=True)
        return None if status is None else False


def reduce_alternative(A, bounds, alt, cand: Candidates, weights, group, steer_groups,
                       time_limit_s: float) -> Reduction | None:
    """Irreducible infeasible subset of the LP (A, bounds = row_lower, row_upper, col_lower, col_upper) from its
    alternative LP `alt` (see `alternative_lp`): the weighted vertex; then each group of `steer_groups` (arrays of
    candidate numbers, in order) that the subset uses is dropped if the LP without it stays infeasible (a deletion
    filter over groups), followed by a warm-started re-solve for the new vertex; then the vertex check, and a check
    by re-solving the original LP that the subset is infeasible and that it becomes feasible without any one of its
    groups (`group`: group number of each candidate). None when the first solve does not finish within
    `time_limit_s`; status 'feasible' when there is no certificate (HiGHS's infeasibility was numerical)."""
    t0 = _time.perf_counter()
    deadline = t0 + float(time_limit_s)
    s = _AlternativeSolver(alt, weights, deadline)
    first = s.run()
    if first != "optimal":
        return None if first == "stopped" else Reduction(np.zeros(0, np.int64), "feasible", _time.perf_counter() - t0,
                                                         s.solves, 0)
    support = s.support()
    dropped, out, primal = 0, [], None
    steer_until = t0 + 0.8 * float(time_limit_s)  # keep time for the vertex check
    for members in steer_groups:
        if not np.isin(members, support).any():
            s.allow(members, False)  # not used by the current subset: the solution stays optimal without it
            out.append(members)
            continue
        if primal is None:
            primal = _PrimalCheck(A, bounds, cand, steer_until)
        if out:
            primal.drop(np.concatenate(out))
            out = []
        answer = primal.infeasible_without(members)
        if answer is None:
            break
        if answer:
            s.allow(members, False)
            if s.run() != "optimal":  # not in exact arithmetic: the members left are infeasible
                s.allow(members, True)
                break
            support, dropped = s.support(), dropped + 1
    # the vertex check: only the support allowed; the same support, all of it basic
    status = "reducible"
    s.deadline = max(deadline, _time.perf_counter() + 0.2 * float(time_limit_s))
    for _ in range(3):
        s.allow(np.setdiff1d(np.arange(s.k), support, assume_unique=True), False)
        if s.run() != "optimal":
            break
        again = s.support()
        if np.array_equal(again, support) and s.in_basis(support):
            status = "irreducible"
            break
        support = again
    solves = s.solves + (primal.solves if primal is not None else 0)
    if status == "irreducible":
        check = _PrimalCheck(A, _bounds_in_force(cand, support, A.shape), cand, s.deadline)
        # True: as the vertex argument says; None: no time left for that check
        verdicts = [check.infeasible_without(np.zeros(0, np.int64))]
        for g in np.unique(group[support]):
            answer = check.infeasible_without(support[group[support] == g])
            verdicts.append(None if answer is None else not answer)
        if False in verdicts:  # a numerical slip: the vertex argument and the re-solves disagree
            status = "reducible"
        solves += check.solves
    return Reduction(support, status, _time.perf_counter() - t0, solves, dropped)


def _bounds_in_force(cand: Candidates, members: np.ndarray, shape) -> list[np.ndarray]:
    """(row_lower, row_upper, col_lower, col_upper) with only the bounds of `members` finite."""
    m, n = shape
    out = [np.full(m, -np.inf), np.full(m, np.inf), np.full(n, -np.inf), np.full(n, np.inf)]
    for c in members:
        out[2 * int(cand.kind[c]) + int(cand.upper[c])][cand.index[c]] = cand.value[c]
    return out


# -- re300's families on top ---------------------------------------------------------------------------------------


def _label_keys(labels, families) -> tuple[np.ndarray, np.ndarray, list]:
    """Per LP row (or column): family number (-1 unlabelled) and its flat index with the time-like coordinate set to 0
    (so one technology|region over all hours shares a key); and the family names."""
    names = list(families)
    pos = {n: i for i, n in enumerate(names)}
    fam = np.array([-1 if w is None else pos[w[0]] for w in labels], np.int64)
    key = np.array([-1 if w is None else w[1] for w in labels], np.int64)
    for i, name in enumerate(names):
        f, sel = families[name], fam == i
        axis = _time_axis(f)
        if axis is not None and sel.any():
            idx = list(np.unravel_index(key[sel], f.shape))
            idx[axis] = np.zeros_like(idx[axis])
            key[sel] = np.ravel_multi_index(idx, f.shape)
    return fam, key, names


def _candidate_groups(built, sol, cand: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: its family name and its group number (family x non-time coordinates, and the side for column
    bounds); unlabelled members are groups of their own."""
    from .solve.highs import lp_labels

    row_map, col_map = lp_labels(built, sol)
    rf, rk, rnames = _label_keys(row_map, built.lm.constraints)
    cf, ck, cnames = _label_keys(col_map, built.lm.variables)
    is_row = cand.kind == 0
    fam = np.where(is_row, rf[np.where(is_row, cand.index, 0)], cf[np.where(is_row, 0, cand.index)])
    key = np.where(is_row, rk[np.where(is_row, cand.index, 0)], ck[np.where(is_row, 0, cand.index)])
    key = np.where(fam < 0, cand.index, key)
    side = np.where(is_row, 0, cand.upper.astype(np.int64) + 1)
    _, group = np.unique(np.stack([cand.kind, fam, key, side], axis=1), axis=0, return_inverse=True)
    names = np.array([""] + rnames + cnames, dtype=object)
    family = names[np.where(fam < 0, 0, 1 + fam + np.where(is_row, 0, len(rnames)))]
    return family, group.ravel()


def _disfavoured(kind: int, family: str, upper: bool) -> bool:
    if kind == 0:
        return family in DISFAVOURED_ROWS
    return family in DISFAVOURED_COLUMNS or (not upper and family not in FAVOURED_LOWER_BOUNDS)


def irreducible_subset(built, sol, time_limit_s: float = IIS_TIME_BUDGET_S) -> InfeasibleSubset | None:
    """re300's irreducible infeasible subset of the LP behind `sol` (an infeasible solve), in readable groups; None
    when the budget ran out before the first solve of the alternative LP (see the notes above)."""
    from .errors import SolveError

    h = getattr(sol, "_highs", None)
    if h is None or getattr(sol, "_lp", None) is None:
        raise SolveError("no HiGHS instance kept with this solution; cannot compute an infeasible subset")
    t0 = _time.perf_counter()
    A, *bounds = lp_arrays(h.getLp())
    alt, cand = alternative_lp(A, *bounds)
    family, group = _candidate_groups(built, sol, cand)
    bad = np.array([_disfavoured(int(k), f, bool(u)) for k, f, u in zip(cand.kind, family, cand.upper)], bool)
    weights = np.where(bad, DISFAVOURED_WEIGHT, 1.0)
    # steering: the disfavoured groups (a whole family x asset over all hours at once), largest first
    sizes = np.bincount(group)
    members_of = np.split(np.argsort(group, kind="stable"), np.cumsum(sizes)[:-1])
    steer = [members_of[g] for g in np.argsort(-sizes, kind="stable") if bad[members_of[g][0]]]
    left = float(time_limit_s) - (_time.perf_counter() - t0)
    red = reduce_alternative(A, bounds, alt, cand, weights, group, steer, left)
    if red is None:
        return None
    if red.status == "feasible":
        raise SolveError("HiGHS reported the LP infeasible, but no certificate of infeasibility exists within its "
                         "tolerances (numerically borderline); set targets.allow_shortfall: true to see the gap")
    members = [cand.member(int(c)) for c in red.members]
    seconds = _time.perf_counter() - t0
    return _named_subset(built, sol, members, red.status, f"found in {seconds:.1f} s, {red.solves} LP solves", seconds)


def _named_subset(built, sol, members, status: str, method: str, seconds: float) -> InfeasibleSubset:
    grouper = _Grouper(built, sol)
    sides: dict[tuple, set] = {}
    for kind, index, side in members:
        sides.setdefault((kind, index), set()).add(side)
    for (kind, index), s in sides.items():
        grouper.add(kind, index, "both" if len(s) == 2 else next(iter(s)))
    n_rows = sum(1 for kind, _ in sides if kind == "row")
    n_cols = sum(1 for kind, _, _ in members if kind == "column")
    glist = list(grouper.groups.values())
    if grouper.unlabelled:
        method += f"; {grouper.unlabelled} members outside re300's constraint families"
    return InfeasibleSubset(status, n_rows, n_cols, glist, _subset_text(glist, status, n_rows, n_cols, method),
                            members=sorted(members), method=method, seconds=seconds)


def highs_subset(built, sol, strategy: int | None = None, time_limit_s: float | None = None) -> InfeasibleSubset:
    """HiGHS's own infeasible subset (`Highs.getIis`; strategy None = the option already set on the instance)."""
    from .errors import SolveError

    h = getattr(sol, "_highs", None)
    if h is None or getattr(sol, "_lp", None) is None:
        raise SolveError("no HiGHS instance kept with this solution; cannot compute an infeasible subset")
    t0 = _time.perf_counter()
    if strategy is not None:
        h.setOptionValue("iis_strategy", int(strategy))
    if time_limit_s is not None:
        h.setOptionValue("iis_time_limit", float(time_limit_s))
    h.setOptionValue("solver", "simplex")  # the elasticity filter's LPs: 6 s with simplex vs 16 s with IPM on quick
    h.setOptionValue("log_to_console", False)
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        raise SolveError("HiGHS could not compute an infeasible subset (getIis failed)")
    members = []
    for kind, indices, bounds in (("row", iis.row_index_, iis.row_bound_), ("column", iis.col_index_, iis.col_bound_)):
        for i, b in zip(indices, bounds):
            text = BOUND_TEXT.get(int(b), str(b))
            if text in ("lower", "upper"):
                members.append((kind, int(i), text))
            elif text == "both":
                members += [(kind, int(i), "lower"), (kind, int(i), "upper")]
            # 'free': a column that takes part in the subset's rows without its bounds (not a member)
    used = strategy
    if used is None:
        used = h.getOptionValue("iis_strategy")
        used = used[1] if isinstance(used, tuple) else used  # highspy returns (status, value)
    seconds = _time.perf_counter() - t0
    return _named_subset(built, sol, members, IIS_STATUS.get(int(iis.status_), str(iis.status_)),
                         f"HiGHS getIis, iis_strategy {used}, {seconds:.1f} s", seconds)


def infeasible_subset(built, sol, strategy: int | None = None, time_limit_s: float | None = None) -> InfeasibleSubset:
    """The infeasible subset of the LP behind `sol` (an infeasible solve), named by family, coordinates and hours.

    strategy None: re300's irreducible subset (`irreducible_subset`) within `time_limit_s` (default
    IIS_TIME_BUDGET_S), falling back to HiGHS's elasticity filter (reducible) when that runs out; an integer: HiGHS's
    `getIis` with that `iis_strategy`.
    """
    if strategy is not None:
        return highs_subset(built, sol, strategy, time_limit_s)
    budget = IIS_TIME_BUDGET_S if time_limit_s is None else float(time_limit_s)
    out = irreducible_subset(built, sol, budget)
    if out is not None:
        return out
    return highs_subset(built, sol, ELASTIC_IIS_STRATEGY, max(budget, 10.0))


def _snap_text(snaps: list[int], n_time: int, word: str = "snapshots") -> str:
    if not snaps:
        return ""
    s = sorted(set(snaps))
    if len(s) == n_time:
        return f" in all {n_time} {word}"
    span = f"{s[0]}" if len(s) == 1 else f"{s[0]}-{s[-1]}"
    return f" in {len(s)} of {n_time} {word} ({span})"


def _readable(coords: str) -> str:
    """'offshore_wind|jeonnam' -> 'Jeonnam offshore wind'; 'utility_pv|jeonbuk|2040' -> 'Jeonbuk utility PV (2040)'."""
    parts = coords.split("|")
    if len(parts) < 2:
        return f"corridor {coords}"
    tech = " ".join("PV" if w == "pv" else w for w in parts[0].split("_"))
    text = f"{parts[1].replace('_', ' ').title()} {tech}"
    return text + (f" ({parts[2]})" if len(parts) > 2 else "")


def _target_text(g: SubsetGroup, year: int | None = None) -> str:
    """A pathway's target rows carry their period as coordinate; a single-year run's are named by `year`."""
    name = TARGET_TEXT.get(g.family, g.family)
    single = g.coords in ("renewable", "export", "")
    when = (f" {year}" if year is not None else "") if single else f" {g.coords}"
    return f"{name}{when} (>= {_amount(g.lower, g.unit)})"


def _subset_text(groups: list[SubsetGroup], status: str, n_rows: int, n_cols: int, method: str = "",
                 year: int | None = None) -> str:
    """'renewable target (>= 681.14 TWh) cannot be met: Jeonnam offshore wind potential 29,900 MW, ... are all at
    their bounds; irreducible infeasible subset of ...: availability (...) of offshore_wind|jeonnam, ... in all 336
    snapshots; ...'. Members of one family, side and hours are listed together."""
    targets = [g for g in groups if g.kind == "row" and g.family in TARGET_FAMILIES]
    caps = [g for g in groups if g.kind == "column" and g.family in CAPACITY_FAMILIES and g.bound in ("upper", "both")]
    rest = [g for g in groups if g not in targets and g not in caps]
    head = ", ".join(_target_text(g, year) for g in targets) or "the constraints below"
    text = f"{head} cannot be met"
    if caps:
        limits = [f"{_readable(g.coords)} {CAPACITY_TEXT.get(g.family, 'limit')} {_amount(g.upper, g.unit)}"
                  if g.lower != g.upper else f"{_readable(g.coords)} build fixed at {_amount(g.upper, g.unit)}"
                  for g in caps]
        text += ": " + ", ".join(limits) + (" is at its bound" if len(caps) == 1 else " are all at their bounds")
    merged: dict[tuple, list[str]] = {}
    for g in rest:
        if g.kind == "row":
            notes = [FAMILY_TEXT[g.family]] if g.family in FAMILY_TEXT else []
            if g.lower == g.upper and g.bound in ("lower", "upper"):  # one side of an equality row
                notes.append(">= side" if g.bound == "lower" else "<= side")
            what = g.family + (f" ({', '.join(notes)})" if notes else "")
        elif (g.family, g.bound) in COLUMN_BOUND_TEXT:
            what = f"{g.family} ({COLUMN_BOUND_TEXT[g.family, g.bound]})"
        elif g.bound == "lower" and g.lower == 0:
            what = f"{g.family} >= 0"
        elif g.bound == "lower":
            what = f"{g.family} at its lower bound"
        else:
            what = f"{g.family} at its upper bound" + ("" if g.snapshots else f" {_amount(g.upper, g.unit)}")
        merged.setdefault((what, _snap_text(g.snapshots, g.n_time, g.time_word)), []).append(g.coords or g.label)
    kind = "irreducible infeasible subset" if status == "irreducible" else f"infeasible subset ({status})"
    detail = [f"{what} of {', '.join(c)}{hours}" for (what, hours), c in merged.items()]
    return (f"{text}; {kind} of {n_rows:,} row{'s' if n_rows != 1 else ''} and {n_cols:,} column "
            f"bound{'s' if n_cols != 1 else ''}"
            + (f" ({method})" if method else "") + (": " + "; ".join(detail) if detail else ""))


def explain_infeasibility(built, sol, options: dict | None = None, year: int | None = None) -> str:
    """The readable infeasible-subset text for an infeasible solve: re300's irreducible subset, or HiGHS's getIis
    when the scenario's solver.options set `iis_strategy`; `iis_time_limit` there sets the time budget. `year`: the
    planning year of a single-year run, named with its targets ("renewable target 2050 (>= ...)"); pathway targets
    carry their period already."""
    options = options or {}
    strategy = options.get("iis_strategy")
    budget = options.get("iis_time_limit")
    subset = infeasible_subset(built, sol, strategy=None if strategy is None else int(strategy),
                               time_limit_s=None if budget is None else float(budget))
    return subset.describe(year)
