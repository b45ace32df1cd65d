"""Labelled cost terms: every term of the objective says whose cost it is and what for, so cost tables are read from
the objective itself (`CostLedger.annual`) instead of a second cost formula.

A cost item is (asset_kind, asset, region, component, period), e.g. (generator, offshore_wind, jeonbuk, investment,
period of 2050). The objective is built from terms `coef · x` (coef in bn KRW per LP unit of x) and constants (bn KRW);
each term's coefficient is the present value of one or more *annual parts*, each belonging to one item:

    coef[x] = Σ_{parts of x} W_p · annual_part[x]                  [bn KRW per LP unit; W_p: objective weight of p]

A dispatch column has two parts (variable_and_purchase and carbon) in its snapshot's period; a build column has an
investment part and a fixed O&M part in every period the build serves. The annual cost of an item is

    Σ_{parts of the item} annual_part · x*  +  Σ its annual constants                               [bn KRW/yr]

which is what costs.csv reports (converted to KRW/yr), undiscounted, per period. The components keep computing the
LP coefficients exactly as before (so the LP does not change); the ledger checks that the parts of every term add up
to its coefficient (relative 1e-9), so labels and objective cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

# relative tolerance of the check Σ W_p · annual parts = objective coefficient (parts are rounded differently)
PARTS_RTOL = 1e-9


@dataclass(frozen=True)
class CostLabels:
    """One annual part of a block of cost terms, and whose cost it is.

    asset_kind: generator, storage, link, node or target; asset, region: one per row of the block (its first axis)
    or one for all; component: investment, fixed_om, variable_and_purchase, carbon, value_of_lost_load or
    shortfall_penalty.
    annual: bn KRW/yr per LP unit of the term's variable (bn KRW/yr for a constant), either shaped like the block
    with `period` (investment period index per element, broadcast) saying where it belongs, or, with period None,
    with one more trailing axis over the investment periods (a build that is paid in every period it serves).
    """

    asset_kind: str
    asset: str | Sequence[str]
    region: str | Sequence[str]
    component: str
    annual: np.ndarray
    period: int | np.ndarray | None = None


@dataclass(frozen=True)
class CostOwners:
    """The assets of one frame as cost items name them: kind, and one asset name and region per row."""

    kind: str
    assets: Sequence[str]
    regions: Sequence[str]

    def labels(self, component: str, annual, period=None) -> CostLabels:
        """The part `component` of a block whose rows are these assets (see `CostLabels`)."""
        return CostLabels(self.kind, list(self.assets), list(self.regions), component, annual, period)


@dataclass
class _Part:
    family: str  # variable family of the LP ("" for a constant)
    position: np.ndarray  # flat positions in the family (int64; empty for a constant)
    item: np.ndarray  # item index of each element
    annual: np.ndarray  # bn KRW/yr per LP unit (per element), or bn KRW/yr for a constant


@dataclass
class CostLedger:
    """The cost items of a model, in table order, and the labelled annual parts of its objective terms.

    weight: W_p per investment period (objective weight, discounted years; [1] for a single year).
    """

    weight: np.ndarray
    items: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # (kind, asset, region, component, p)
    parts: list[_Part] = field(default_factory=list)
    _index: dict = field(default_factory=dict)

    @property
    def n_periods(self) -> int:
        return len(self.weight)

    def declare(self, kind: str, assets, regions, components, periods=None) -> None:
        """Declare cost items in the order tables list them: for each period (all by default), each asset with its
        region, each component. Declared items are reported even when no term reaches them (value 0)."""
        periods = range(self.n_periods) if periods is None else [int(p) for p in periods]
        for p in periods:
            for asset, region in zip(assets, regions):
                for component in components:
                    key = (kind, str(asset), str(region), component, p)
                    if key in self._index:
                        raise ValueError(f"cost item {key} declared twice")
                    self._index[key] = len(self.items)
                    self.items.append(key)

    def add_terms(self, coefs, family: str, position, shape, labels: Sequence[CostLabels]) -> None:
        """Record the labelled parts of the terms `coefs · x` (x: the variables at flat `position` of `family`, a
        block of `shape`); checks Σ_parts W_p · annual = coefs element by element."""
        coefs = np.broadcast_to(np.asarray(coefs, float), shape)
        position = np.asarray(position, np.int64).reshape(shape)
        total = np.zeros(shape)
        for lab in _require(labels):
            annual, item = self._resolve(lab, shape)
            total += _present_value(annual, lab.period, self.weight)
            if lab.period is None:
                pos = np.broadcast_to(position[..., None], annual.shape)
            else:
                pos = position
            self.parts.append(_Part(family, pos.ravel(), item.ravel(), annual.ravel()))
        _check_sum(total, coefs, f"cost terms of {family}")

    def add_constant(self, value_bn_krw: float, labels: Sequence[CostLabels]) -> None:
        """Record the labelled annual parts of a constant of the objective; checks Σ_parts W_p · annual = value."""
        total = 0.0
        for lab in _require(labels):
            shape = np.shape(lab.annual)[:-1] if lab.period is None else np.shape(lab.annual)
            annual, item = self._resolve(lab, shape)
            total += float(np.sum(_present_value(annual, lab.period, self.weight)))
            self.parts.append(_Part("", np.zeros(0, np.int64), item.ravel(), annual.ravel()))
        _check_sum(np.array([total]), np.array([float(value_bn_krw)]), "constant cost")

    def annual(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """Annual cost of each item [bn KRW/yr], in `items` order: Σ annual parts × solution values + constants.

        values: solution values per variable family (LP units, shaped like the family)."""
        out = np.zeros(len(self.items))
        for part in self.parts:
            if not len(part.item):
                continue
            amount = part.annual
            if part.family:
                amount = amount * np.asarray(values[part.family], float).ravel()[part.position]
            out += np.bincount(part.item, weights=amount, minlength=len(self.items))
        return out

    def present_value(self, values: dict[str, np.ndarray]) -> float:
        """Σ_p W_p · annual cost of the items of p [bn KRW]: the objective value of the solution."""
        period = np.array([it[4] for it in self.items], dtype=np.int64)
        return float(np.sum(self.annual(values) * self.weight[period]))

    def present_value_of(self, values: dict[str, np.ndarray], families) -> float:
        """Σ_p W_p · the annual parts on the variable families `families` [bn KRW], e.g. the objective's price on
        the target shortfalls."""
        period = np.array([it[4] for it in self.items], dtype=np.int64)
        total = 0.0
        for part in self.parts:
            if part.family in families and len(part.item):
                amount = part.annual * np.asarray(values[part.family], float).ravel()[part.position]
                total += float(np.sum(amount * self.weight[period[part.item]]))
        return total

    def _resolve(self, lab: CostLabels, shape) -> tuple[np.ndarray, np.ndarray]:
        """(annual, item index) arrays of a label over a block of `shape` (with a trailing period axis if period is
        None)."""
        P = self.n_periods
        full = tuple(shape) + ((P,) if lab.period is None else ())
        annual = np.broadcast_to(np.asarray(lab.annual, float), full)
        period = np.broadcast_to(np.arange(P) if lab.period is None else np.asarray(lab.period, np.int64), full)
        assets = [lab.asset] if isinstance(lab.asset, str) else list(lab.asset)
        regions = [lab.region] if isinstance(lab.region, str) else list(lab.region)
        if len(assets) != len(regions) or (len(assets) != 1 and (not shape or len(assets) != shape[0])):
            raise ValueError(f"cost labels of {lab.component}: {len(assets)} assets and {len(regions)} regions "
                             f"for a block of shape {tuple(shape)}; expected one, or one per row")
        table = np.empty((len(assets), P), dtype=np.int64)
        for r, (asset, region) in enumerate(zip(assets, regions)):
            for p in range(P):
                key = (lab.asset_kind, str(asset), str(region), lab.component, p)
                table[r, p] = self._index.get(key, -1)
        row = np.zeros(full, dtype=np.int64)
        if len(assets) > 1:
            row = np.broadcast_to(np.arange(len(assets)).reshape((-1,) + (1,) * (len(full) - 1)), full)
        item = table[row, period]
        if (item < 0).any():
            at = tuple(np.argwhere(item < 0)[0])
            r, p = int(row[at]), int(period[at])
            key = (lab.asset_kind, str(assets[r]), str(regions[r]), lab.component, p)
            raise KeyError(f"cost item {key} was not declared (CostLedger.declare)")
        return annual, item


def _require(labels):
    if not labels:
        raise ValueError("every cost term needs at least one label (CostLabels): whose cost it is and what for")
    return labels


def _present_value(annual: np.ndarray, period, weight: np.ndarray) -> np.ndarray:
    """Σ over the period axis of W_p · annual (period None: trailing axis), else W_{period} · annual, per element."""
    if period is None:
        return (annual * weight).sum(axis=-1)
    return annual * weight[np.broadcast_to(np.asarray(period, np.int64), annual.shape)]


def _check_sum(total: np.ndarray, coefs: np.ndarray, what: str) -> None:
    bad = np.abs(total - coefs) > PARTS_RTOL * np.abs(coefs) + 1e-300
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(f"{what}: labelled annual parts give {total.ravel()[i]!r} but the objective coefficient is "
                         f"{coefs.ravel()[i]!r} (element {i}); the labels must add up to the cost")
