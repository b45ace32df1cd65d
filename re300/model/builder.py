"""Assemble the LP: each component family registers its variables, constraints, its terms in the shared
regional power balance, in the annual targets and in the cost expression (with labels saying whose cost each term
is, re300.model.costs).

Adding a technology family means writing one module with an `add(ctx)` function and listing it in
`COMPONENTS`; the balance, targets and objective pick its terms up from the context.
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

import numpy as np

from . import adequacy, balance, exports, generators, investment, re100, storage, targets, transmission
from . import units as U
from .costs import CostLabels, CostLedger, CostOwners
from .data import ModelData, Pathway
from .linear import LinearModel, RowBlock
from .names import Row

# Order matters only for readability of the LP: supply, storage, network, then the sinks/slacks at nodes.
COMPONENTS = (generators.add, storage.add, transmission.add, balance.add_node_slacks, exports.add)
# Rules that read what the components registered, applied after them (each writes its own rows).
RULES = (investment.build_rate_constraint, balance.power_balance, targets.add, re100.add,
         exports.renewable_only_exports_constraint, adequacy.add)


@dataclass
class BuildContext:
    """Shared state while building: the model, the data and the collectors that components add to."""

    data: ModelData
    lm: LinearModel
    balance: RowBlock
    costs: CostLedger  # cost items and the labelled annual parts of every objective term
    region_pos: dict[str, int]
    weight: np.ndarray  # hours of the year each snapshot stands for [h]
    duration: np.ndarray  # snapshot length [h]
    # terms of the annual renewable target, already multiplied by the weights (GWh per unit of variable)
    renewable_terms: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    renewable_loss_terms: dict[str, list[tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)
    export_terms: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    split_hours: int | None = None  # formulation lever, see `over_time`
    # hourly Honam renewable pool for the RE100 matching (re300.model.re100): (region_idx, coefs, variables) [GW]
    pool_terms: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    builds: dict = field(default_factory=dict)  # family -> investment.Builds
    # non-renewable energy entering Honam (its own non-renewable output, imports from export regions), per snapshot,
    # for the renewable-only-exports rule (re300.model.exports): (coefs, variables) shaped (n, T) [GW]
    nonrenewable_in_terms: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    # firm capacity for the adequacy rule (re300.model.adequacy): constant [GW] per period and (periods, coefs, vars)
    firm_constant_gw: np.ndarray = None
    firm_terms: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    _copies: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.firm_constant_gw is None:
            self.firm_constant_gw = np.zeros(self.data.n_periods)

    @property
    def T(self) -> int:
        return self.data.n_time

    @property
    def pathway(self) -> Pathway | None:
        return self.data.pathway

    @property
    def P(self) -> int:
        return self.data.n_periods

    @property
    def years(self) -> list:
        return self.data.period_years

    @property
    def W(self) -> np.ndarray:
        """Objective weight of each period (discounted years; [1] for a single year)."""
        return self.data.objective_weight

    @property
    def period(self) -> np.ndarray:
        """Investment period of each snapshot."""
        return self.data.period_of_snapshot

    @property
    def cost_weight(self) -> np.ndarray:
        """Objective weight of an hour of each snapshot: weight_h[t] · W[period(t)] (= weight_h for a single year)."""
        return self.weight * self.W[self.period]

    def by_snapshot(self, per_period) -> np.ndarray:
        """(rows x periods) -> (rows x snapshots): each snapshot takes its period's value."""
        return np.asarray(per_period, float)[:, self.period]

    def split_groups(self) -> np.ndarray:
        """Split group of each snapshot for the `split_hours` lever: consecutive groups of split_hours snapshots,
        never spanning two investment periods (not to be confused with the tsam segments of a typical day)."""
        H = int(self.split_hours)
        period = self.period
        starts = np.searchsorted(period, np.arange(self.P))
        local = np.arange(self.T) - starts[period]
        key = period * (self.T + 1) + local // H
        _, group = np.unique(key, return_inverse=True)
        return group

    def add_pool(self, region_idx, coefs, variables):
        """Register terms of the hourly renewable pool (GW; shapes (n, T)) that RE100 loads are matched against."""
        self.pool_terms.append((np.asarray(region_idx), np.asarray(coefs, float), np.asarray(variables, object)))

    def add_renewable(self, coefs, variables):
        self.renewable_terms.append((np.asarray(coefs, float), np.asarray(variables, object)))

    def add_renewable_loss(self, kind: str, coefs, variables):
        """Losses that the target accounting may deduct (kind: 'storage' or 'transmission'); coefs >= 0."""
        self.renewable_loss_terms.setdefault(kind, []).append((np.asarray(coefs, float), np.asarray(variables, object)))

    def add_nonrenewable_in(self, coefs, variables):
        """Register non-renewable energy entering Honam (GW; shapes (n, T)) for the renewable-only-exports rule."""
        self.nonrenewable_in_terms.append((np.asarray(coefs, float), np.asarray(variables, object)))

    def add_export(self, coefs, variables):
        self.export_terms.append((np.asarray(coefs, float), np.asarray(variables, object)))

    def add_cost(self, coefs_bn_krw, variables, *labels: CostLabels):
        """Add Σ coefs · variables to the objective [bn KRW]; `labels` split each coefficient into the annual parts
        of the cost items it belongs to (Σ_parts W_p · annual = coefficient; see re300.model.costs)."""
        v = np.asarray(variables, dtype=object)
        family, position = self.lm.locate(v)
        self.costs.add_terms(coefs_bn_krw, family, position, v.shape, labels)
        self.lm.add_objective_terms(coefs_bn_krw, variables)

    def add_energy_cost(self, owners: CostOwners, variables, prices_krw_per_mwh: dict):
        """Cost of the energy of `variables` (rows: `owners`; shape (rows, T), GW): each price component c [KRW/MWh,
        one per row] is paid on every weighted hour,

            objective coefficient = (Σ_c price_c) · weight_h[t] · W_p(t)     annual part c = price_c · weight_h[t]

        (in bn KRW per GW of the snapshot)."""
        prices = [np.asarray(p, float) for p in prices_krw_per_mwh.values()]
        marginal = prices[0]
        for p in prices[1:]:
            marginal = marginal + p
        period = self.period[None, :]
        labels = [owners.labels(c, p[:, None] * self.weight[None, :] * U.COST_PER_ENERGY, period)
                  for c, p in zip(prices_krw_per_mwh, prices)]
        self.add_cost(marginal[:, None] * self.cost_weight[None, :] * U.COST_PER_ENERGY, variables, *labels)

    def region_index(self, regions) -> np.ndarray:
        return np.array([self.region_pos[r] for r in regions], dtype=np.int64)

    def over_time(self, variables, name: str) -> np.ndarray:
        """A capacity variable as seen by the hourly rows, shape (K, T).

        By default every hourly row uses the capacity variable itself, so its column touches all T rows (a dense
        column, which slows interior-point solvers). With `split_hours = H` each group of H snapshots gets its
        own copy, tied to the original by a chain of equalities:

            copy[k,0] − capacity[k] = 0,   copy[k,b] − copy[k,b−1] = 0                       [GW or GWh]

        so each column touches at most H + 2 rows. The optimum is unchanged.
        """
        v = np.asarray(variables, dtype=object)
        K = len(v)
        if not self.split_hours or K == 0:
            return np.broadcast_to(v[:, None], (K, self.T))
        if name in self._copies:
            return self._copies[name]
        group = self.split_groups()
        ngroups = int(group.max()) + 1
        copies = self.lm.add_variables(f"{name}_copy", ("item", "split_group"), (list(range(K)), list(range(ngroups))), unit="")
        rb = RowBlock(self.lm, f"{name}_copy_chain", ("item", "split_group"), (list(range(K)), list(range(ngroups))), "==")
        k = np.arange(K)[:, None]
        rows = rb.row_index(k, np.arange(ngroups)[None, :])
        rb.add(rows, 1.0, copies)
        rb.add(rows[:, 0], -1.0, v)
        if ngroups > 1:
            rb.add(rows[:, 1:], -1.0, copies[:, :-1])
        rb.build()
        self._copies[name] = copies[:, group]
        return self._copies[name]

    def add_constant_cost(self, value_bn_krw: float, *labels: CostLabels):
        """A cost no decision changes (fixed O&M of existing assets) [bn KRW, present value]: part of the objective's
        value; `labels` give its annual parts per cost item [bn KRW/yr] (Σ_parts W_p · annual = value)."""
        self.costs.add_constant(value_bn_krw, labels)
        self.lm.objective_constant += float(value_bn_krw)

    def add_to_balance(self, region_idx, coefs, variables):
        """Add `coefs * variables` (GW) to the power balance of the given regions; shapes broadcast over (., time)."""
        t = np.arange(self.T)
        region_idx = np.asarray(region_idx)
        rows = self.balance.row_index(region_idx[:, None], t[None, :])
        self.balance.add(rows, np.broadcast_to(np.asarray(coefs, float), (len(region_idx), self.T)), variables)


@dataclass
class BuiltModel:
    lm: LinearModel
    data: ModelData
    meta: dict
    build_seconds: float
    costs: CostLedger  # labelled cost terms of the objective (re300.model.costs)

    @property
    def model(self):
        return self.lm.model


def build_model(data: ModelData, split_hours: int | None = None) -> BuiltModel:
    """Build the Pyomo LP for `data` (see the component modules for the equations).

    split_hours: optional formulation lever for interior-point solvers (see `BuildContext.over_time`): capacity
    columns are copied every `split_hours` snapshots and the annual target rows are summed per group of
    `split_hours` snapshots first, so no column or row spans the whole year. The optimum is unchanged.
    """
    t0 = _time.perf_counter()
    data.check()
    lm = LinearModel(name=data.name)
    T = data.n_time
    bal = RowBlock(
        lm, Row.POWER_BALANCE, ("region", "time"), (data.regions, list(range(T))), "==", unit="GW",
        doc="supply + discharge + imports - charge - exports + unserved - absorbed = demand, per region and snapshot",
    )
    ctx = BuildContext(
        data=data,
        lm=lm,
        balance=bal,
        costs=CostLedger(weight=np.asarray(data.objective_weight, float)),
        region_pos={r: i for i, r in enumerate(data.regions)},
        weight=np.asarray(data.weight_h, float),
        duration=np.asarray(data.duration_h, float),
        split_hours=split_hours,
    )
    for add in COMPONENTS:
        add(ctx)
    for rule in RULES:
        rule(ctx)
    lm.build_objective()
    return BuiltModel(lm=lm, data=data, meta=ctx.meta, build_seconds=_time.perf_counter() - t0, costs=ctx.costs)


__all__ = ["BuildContext", "BuiltModel", "build_model", "COMPONENTS", "RULES", "U"]
