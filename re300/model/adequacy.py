"""Firm capacity that costs money: the adequacy rule of each investment period.

Korea's basic plans size the system so that firm ("effective") capacity covers the peak demand plus a standard reserve
margin of 22 %. re300 applies the same rule to Honam:

    Σ_{g in Honam} credit_g · capacity_g(p) + Σ_{s in Honam} firm_storage[s,p]
      + Σ_{l export→Honam} credit_l · capacity_l(p)  ≥  (1 + reserve_margin) · peak_demand(p)              [GW]

capacity = existing in period p + the builds still in service; credit = the share of capacity that counts (thermal
1.0, solar and wind small, imports over the AC routes from the national grid a stated share). Storage counts its
credited power only as far as its energy lasts `storage_hours`:

    firm_storage[s,p] ≤ credit_s · power_s(p),     firm_storage[s,p] ≤ credit_s · energy_s(p) / storage_hours    [GW]

Without the rule the non-renewable supply that covers windless nights would be free capacity. The dual of a row,
divided by W_p, is the annual value of one more MW of firm capacity [KRW/MW/yr] — the capacity price the LP pays.

Components register their firm capacity with `register_firm` (constants per period and build variables); the rows are
written last, by `add`.
"""
from __future__ import annotations

import numpy as np

from . import units as U
from .investment import Builds
from .linear import RowBlock
from .names import Row


def register_firm(ctx, credit, existing_mw, builds: Builds | None, scale: float = U.POWER) -> None:
    """Register firm capacity of N assets: Σ_i credit_i · (existing_i(p) + Σ_{builds of i alive in p} build).

    credit (N,) [fraction]; existing_mw (N x P) [MW]; builds: the assets' build options (or None)."""
    credit = np.nan_to_num(np.asarray(credit, float), nan=0.0)
    if not np.any(credit > 0):
        return
    existing = np.asarray(existing_mw, float)
    ctx.firm_constant_gw += (credit[:, None] * existing).sum(axis=0) * scale
    if builds is None or not len(builds.asset):
        return
    for k, i in enumerate(builds.asset):
        if credit[i] <= 0:
            continue
        periods = np.flatnonzero(builds.alive[k])
        ctx.firm_terms.append((periods, np.full(len(periods), credit[i]), np.full(len(periods), builds.variables[k],
                                                                                  dtype=object)))


def add(ctx) -> None:
    """The adequacy rows, one per investment period (nothing when `ModelData.adequacy` is None)."""
    adequacy = ctx.data.adequacy
    if adequacy is None:
        return
    years = ctx.years
    labels = ["honam"] if ctx.pathway is None else [int(y) for y in years]
    block = RowBlock(ctx.lm, Row.ADEQUACY, ("period",), (labels,), ">=", unit="GW",
                     doc="credited firm capacity in Honam >= (1 + reserve margin) x peak demand")
    for periods, coefs, variables in ctx.firm_terms:
        block.add(np.asarray(periods), np.asarray(coefs, float), np.asarray(variables, dtype=object))
    need = (1.0 + adequacy.reserve_margin) * np.asarray(adequacy.peak_demand_mw, float) * U.POWER
    block.add_rhs(np.arange(ctx.P), need - ctx.firm_constant_gw)
    block.build()
