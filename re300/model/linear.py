"""Fast construction of Pyomo variables and linear constraints from numpy index arrays.

Every constraint family in re300 is written the same way: it adds *terms* — (row index, coefficient,
variable) triples held in numpy arrays — to a `RowBlock`, and the block turns them into one indexed
Pyomo `Constraint` with every variable on the left and a constant on the right. This keeps Pyomo
construction to one expression object per row (no operator overloading, no filtering inside sums),
which is the fast path measured in shared/reference/solver-baseline.md, and it gives every row a
family name and labelled coordinates, so duals and infeasibilities map back to readable names.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression

SENSES = ("<=", ">=", "==")


@dataclass
class Family:
    """A named block of variables or rows with labelled dimensions.

    items: object ndarray of VarData / ConstraintData (None for rows that were skipped), shaped like coords.
    dims: dimension names; coords: one label list per dimension; unit: LP unit (e.g. "GW").
    """

    name: str
    items: np.ndarray
    dims: tuple[str, ...]
    coords: tuple[list, ...]
    unit: str = ""
    doc: str = ""

    @property
    def shape(self):
        return self.items.shape


class LinearModel:
    """A Pyomo ConcreteModel plus the bookkeeping that maps families to arrays."""

    def __init__(self, name: str = "re300"):
        self.model = pyo.ConcreteModel(name=name)
        self.variables: dict[str, Family] = {}
        self.constraints: dict[str, Family] = {}
        self.objective_terms: list[tuple[np.ndarray, np.ndarray]] = []
        self.objective_constant = 0.0  # costs that no decision changes (e.g. fixed O&M of existing assets)
        self._positions: dict[str, dict[int, int]] = {}  # family -> {id(VarData): flat position}, built by `locate`

    # -- variables --------------------------------------------------------------------------
    def add_variables(self, name, dims, coords, lb=0.0, ub=None, unit="", doc="") -> np.ndarray:
        """Add a non-negative (by default) variable family; returns an object array of VarData shaped by coords.

        lb, ub: scalars or arrays broadcastable to the shape (None/inf = unbounded).
        """
        shape = tuple(len(c) for c in coords)
        n = int(np.prod(shape)) if shape else 1
        var = pyo.Var(range(n), dense=True)
        self.model.add_component(name, var)
        items = np.empty(n, dtype=object)
        items[:] = list(var.values())
        lbs = np.broadcast_to(np.asarray(lb, dtype=float), shape).ravel()
        ubs = np.broadcast_to(np.asarray(np.inf if ub is None else ub, dtype=float), shape).ravel()
        if np.any(ubs < lbs - 1e-12):
            raise ValueError(f"variable family {name}: upper bound below lower bound")
        for v, lo, hi in zip(items, lbs.tolist(), ubs.tolist()):
            v.setlb(None if lo == -np.inf else lo)
            v.setub(None if hi == np.inf else hi)
        items = items.reshape(shape)
        self.variables[name] = Family(name, items, tuple(dims), tuple(list(c) for c in coords), unit, doc)
        return items

    def locate(self, variables) -> tuple[str, np.ndarray]:
        """Family name and flat positions of `variables`, which all belong to one family (e.g. a slice of it)."""
        v = np.asarray(variables, dtype=object).ravel()
        if v.size == 0:
            return "", np.zeros(0, np.int64)
        name = v[0].parent_component().local_name
        if name not in self._positions:
            self._positions[name] = {id(x): i for i, x in enumerate(self.variables[name].items.ravel().tolist())}
        pos = self._positions[name]
        try:
            return name, np.fromiter((pos[id(x)] for x in v.tolist()), dtype=np.int64, count=v.size)
        except KeyError:
            raise ValueError(f"variables of one block must come from one family; expected all from {name}") from None

    # -- objective --------------------------------------------------------------------------
    def add_objective_terms(self, coefs, variables) -> None:
        """Register cost terms: sum(coefs * variables) is added to the objective (bn KRW/yr)."""
        c = np.asarray(coefs, dtype=float).ravel()
        v = np.asarray(variables, dtype=object).ravel()
        c = np.broadcast_to(c, v.shape) if c.size == 1 else c
        keep = c != 0.0
        self.objective_terms.append((c[keep], v[keep]))

    def build_objective(self) -> None:
        coefs = np.concatenate([c for c, _ in self.objective_terms]) if self.objective_terms else np.zeros(0)
        vars_ = np.concatenate([v for _, v in self.objective_terms]) if self.objective_terms else np.zeros(0, object)
        expr = LinearExpression([float(self.objective_constant)] + _monomials(coefs, vars_))
        self.model.total_cost = pyo.Objective(expr=expr, sense=pyo.minimize)
        self._positions.clear()


class RowBlock:
    """Collects terms for a family of rows `sum_k coef_k x_k  (sense)  rhs` and builds one Pyomo Constraint."""

    def __init__(self, lm: LinearModel, name: str, dims, coords, sense: str, unit: str = "", doc: str = ""):
        if sense not in SENSES:
            raise ValueError(f"sense must be one of {SENSES}")
        self.lm, self.name, self.sense, self.unit, self.doc = lm, name, sense, unit, doc
        self.dims = tuple(dims)
        self.coords = tuple(list(c) for c in coords)
        self.shape = tuple(len(c) for c in self.coords)
        self.n = int(np.prod(self.shape)) if self.shape else 1
        self.rhs = np.zeros(self.n)
        self._rows: list[np.ndarray] = []
        self._coefs: list[np.ndarray] = []
        self._vars: list[np.ndarray] = []

    def row_index(self, *idx) -> np.ndarray:
        """Flat row numbers from one integer array per dimension (broadcast)."""
        return np.ravel_multi_index(np.broadcast_arrays(*[np.asarray(i) for i in idx]), self.shape)

    def add(self, rows, coefs, variables) -> None:
        """Add terms: rows, coefs and variables are broadcast against each other."""
        r, c, v = np.broadcast_arrays(np.asarray(rows), np.asarray(coefs, dtype=float), np.asarray(variables, dtype=object))
        r, c, v = r.ravel(), c.ravel(), v.ravel()
        keep = c != 0.0
        self._rows.append(r[keep].astype(np.int64))
        self._coefs.append(c[keep])
        self._vars.append(v[keep])

    def add_rhs(self, rows, values) -> None:
        """Add constants to the right-hand side (np.add.at, so repeated rows accumulate)."""
        r, val = np.broadcast_arrays(np.asarray(rows), np.asarray(values, dtype=float))
        np.add.at(self.rhs, r.ravel(), val.ravel())

    def build(self) -> np.ndarray:
        """Create the Pyomo Constraint; returns the object array of ConstraintData (None where a row is empty)."""
        rows = np.concatenate(self._rows) if self._rows else np.zeros(0, np.int64)
        coefs = np.concatenate(self._coefs) if self._coefs else np.zeros(0)
        vars_ = np.concatenate(self._vars) if self._vars else np.zeros(0, object)
        order = np.argsort(rows, kind="stable")
        rows, coefs, vars_ = rows[order], coefs[order], vars_[order]
        bounds = np.searchsorted(rows, np.arange(self.n + 1))
        exprs: list = [None] * self.n
        rhs = self.rhs.tolist()
        coef_list = coefs.tolist()
        var_list = vars_.tolist()
        for i in range(self.n):
            a, b = bounds[i], bounds[i + 1]
            if a == b:
                if not _trivially_satisfied(self.sense, rhs[i]):
                    raise ValueError(
                        f"constraint {self.name}{_label(self, i)} has no variables and cannot hold: 0 {self.sense} {rhs[i]:g}"
                    )
                continue
            body = LinearExpression(_monomials(coef_list[a:b], var_list[a:b]))
            if self.sense == "<=":
                exprs[i] = InequalityExpression((body, rhs[i]), False)
            elif self.sense == ">=":
                exprs[i] = InequalityExpression((rhs[i], body), False)
            else:
                exprs[i] = EqualityExpression((body, rhs[i]))
        live = [i for i in range(self.n) if exprs[i] is not None]
        con = pyo.Constraint(live, rule=lambda m, i: exprs[i])
        self.lm.model.add_component(self.name, con)
        items = np.full(self.n, None, dtype=object)
        if live:
            items[live] = [con[i] for i in live]
        items = items.reshape(self.shape)
        self.lm.constraints[self.name] = Family(self.name, items, self.dims, self.coords, self.unit, self.doc)
        return items


def _monomials(coefs, variables) -> list:
    """Terms for LinearExpression: bare VarData for coefficient 1, MonomialTermExpression otherwise."""
    out = []
    for c, v in zip(coefs, variables):
        out.append(v if c == 1.0 else MonomialTermExpression((c, v)))
    return out


def _trivially_satisfied(sense: str, rhs: float, tol: float = 1e-12) -> bool:
    if sense == "<=":
        return 0.0 <= rhs + tol
    if sense == ">=":
        return 0.0 >= rhs - tol
    return abs(rhs) <= tol


def _label(block: RowBlock, flat: int) -> str:
    idx = np.unravel_index(flat, block.shape)
    return "[" + ", ".join(f"{d}={c[i]}" for d, c, i in zip(block.dims, block.coords, idx)) + "]"
