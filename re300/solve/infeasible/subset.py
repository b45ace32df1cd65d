"""Infeasible-subset members named by re300's constraint families and coordinates, grouped over the hours, and the
one-line text a user reads."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from re300.model import units as U
from re300.model.names import CAPACITY_KINDS, CAPACITY_VARIABLES, TARGET_ROWS, Row, Var

IIS_STATUS = {-1: "feasible", 0: "unknown", 1: "time limit reached", 2: "reducible", 3: "irreducible"}
BOUND_TEXT = {-1: "dropped", 0: "null", 1: "free", 2: "lower", 3: "upper", 4: "both"}
CAPACITY_FAMILIES = CAPACITY_VARIABLES
TARGET_FAMILIES = TARGET_ROWS
FAMILY_TEXT = {
    Row.AVAILABILITY: "output <= capacity factor x capacity",
    Row.SOC_BALANCE: "storage energy balance",
    Row.POWER_BALANCE: "power balance",
    Row.FLOW_LIMIT_FORWARD: "flow <= corridor capacity",
    Row.FLOW_LIMIT_BACKWARD: "backward flow <= corridor capacity",
    Row.CHARGE_LIMIT: "charging <= charging power",
    Row.DISCHARGE_LIMIT: "discharge <= storage power",
    Row.ENERGY_LIMIT: "stored energy <= energy capacity",
    Row.SOC_INTRA_MAX: "level <= the typical day's highest",
    Row.SOC_INTRA_MIN: "level >= the typical day's lowest",
    Row.SOC_INTER_BALANCE: "storage level carried from day to day",
    Row.SOC_INTER_UPPER: "stored energy <= energy capacity across days",
    Row.SOC_INTER_LOWER: "stored energy >= 0 across days",
    Row.BUILD_RATE: "build-rate limit",
    Row.RE100_HOURLY_MATCH: "hourly RE100 matching",
}
CAPACITY_TEXT = {k.variable: k.limit_text for k in CAPACITY_KINDS}
COLUMN_BOUND_TEXT = {
    (Var.DISPATCH, "upper"): "output <= capacity factor x existing capacity",
    (Var.DISCHARGE, "upper"): "discharge <= existing power",
    (Var.CHARGE, "upper"): "charging <= existing charging power",
    (Var.SOC, "upper"): "stored energy <= existing energy capacity",
    (Var.FLOW_FORWARD, "upper"): "flow <= existing corridor capacity",
    (Var.FLOW_BACKWARD, "upper"): "backward flow <= existing corridor capacity",
    (Var.UNSERVED, "upper"): "unserved <= demand",
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
        return subset_text(self.groups, self.status, self.n_rows, self.n_columns, self.method, year)


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


def time_axis(fam) -> int | None:
    """The family's time-like axis: snapshots, or calendar periods for the linked storage levels (soc_inter_*)."""
    dims = list(fam.dims)
    if "time" in dims:
        return dims.index("time")
    if fam.name.startswith(Var.SOC_INTER) and "period" in dims:
        return dims.index("period")
    return None


def _coords(fam, flat: int) -> tuple[str, str, int | None]:
    """(label without the time coordinate, those coordinates alone, time coordinate or None)."""
    idx = np.unravel_index(flat, fam.shape) if fam.shape else ()
    axis = time_axis(fam)
    parts, t = [], None
    for k, (c, i) in enumerate(zip(fam.coords, idx)):
        if k == axis:
            t = int(c[i])
        else:
            parts.append(str(c[i]))
    coords = ", ".join(parts)
    return (f"{fam.name}[{coords}]" if parts else fam.name), coords, t


class Grouper:
    """Collects subset members into SubsetGroups (family x side x non-time coordinates)."""

    def __init__(self, built, sol):
        from re300.solve.highs import lp_labels

        self.built, self.lp = built, sol.lp
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
            axis = time_axis(fam)
            g = self.groups[key] = SubsetGroup(
                kind, fam.name, label, bound, float(lo[index]) * factor, float(hi[index]) * factor, unit, coords=coords,
                n_time=0 if axis is None else len(fam.coords[axis]),
                time_word="calendar periods" if fam.name.startswith(Var.SOC_INTER) else "snapshots")
        if t is not None:
            g.snapshots.append(t)



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


def subset_text(groups: list[SubsetGroup], status: str, n_rows: int, n_cols: int, method: str = "",
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
