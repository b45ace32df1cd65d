"""The audit behind `re300 verify OUTPUT_DIR`: re-check a finished run from its files alone.

Checks (each PASS or FAIL with a one-line reason):

* input_hashes — every input and scenario file listed in manifest.json still has the recorded sha256 (files that
  changed or disappeared are named); the manifest's combined input hash and the one in results.nc agree.
* solver — the manifest says HiGHS finished Optimal and records the objective stored in results.nc; a myopic
  pathway also needs every period LP Optimal and the builds of the pathway LP equal to the ones handed over.
* discounting (pathway runs) — each period's objective weight W_p = Σ_{y = year_p}^{year_p + span_p − 1}
  (1 + r)^−(y − base year), recomputed from the period years, the final period's span, the base year and the
  discount rate, equals the weights in results.nc, manifest.json and summary.csv (spans and build intervals too).
* energy_balance — supply + discharge + net import + unserved − demand − charge − exports received is zero in every
  region and snapshot (`re300.results.tables.energy_balance_residual`).
* renewable_target — counted renewable energy recomputed from dispatch, storage flows and link flows (the accounting
  rule of README.md) + shortfall ≥ share × Honam consumption, and summary.csv states the same numbers.
* export_commitment — energy delivered to export regions recomputed from link flows × efficiency equals the exports
  received, + shortfall ≥ share × consumption, and summary.csv agrees.
* deliverability — from results.nc alone, per period: what an export region takes stays within its headroom every
  snapshot; every link's flow stays within its capacity in service each way (the new HVDC included), one-way links carry
  nothing back and new capacity stays within its limit; with renewable-only exports, non-renewable energy entering
  Honam never exceeds its served load (so none is counted as export); hydrogen sold stays within its cap; summary.csv's
  border flows (gross exports, imports, hydrogen sold, non-renewable beyond the load) equal their recomputation; and
  credited firm capacity ≥ (1 + reserve margin) × peak, the peak no lower than any snapshot's Honam demand.
* costs — every cost item recomputed from capacities, dispatch and the input costs stored in results.nc (incl.
  separately sized charging power, e.g. electrolysers, and the RE100 hourly-matching penalty) equals costs.csv;
  total capacity equals the input existing capacity + new; their sum equals the LP objective; summary.csv's total
  and penalty agree.
* csv_tables — every CSV the run wrote equals the table rebuilt from results.nc (summary.csv rows of the RE100
  annual-matching comparison come from a second LP that results.nc does not hold; they are left out and counted).

Pathway runs (a `period` dimension in results.nc) are checked per investment period on the period's view of the
dataset (`re300.results.rebuild.period_view`, shaped like a single-year run) with the same functions; a failing
period is named. What only a pathway has is checked on the whole dataset: the investment of period p is
Σ over the builds b still in service in p (year_b ≤ year_p < year_b + lifetime) of capacity built in b × the
annuity of b's period — the new capacity in service must equal those builds — and Σ_p W_p × (cost items of p)
equals the LP objective (a present value) and summary.csv's discounted rows (period `all`).

Relative tolerance REL_TOL on recomputed quantities (the CSVs hold 10 significant digits); the balance closes within
BALANCE_TOL × the largest demand.

Modules: `checks` (the Check verdict, tolerances, period views, summary.csv), `provenance` (input_hashes, solver),
`discounting` (the pathway weights, the myopic hand-over), `accounting` (energy_balance, renewable_target,
export_commitment), `deliverability`, `costs` (the independent cost recomputation), `tables` (csv_tables), `verify` (`verify_run`, the
driver) and `report` (`print_report`).
"""
from __future__ import annotations

from .accounting import check_energy_balance, check_export_commitment, check_renewable_target
from .checks import Check, is_pathway, period_views, read_summary, summary_of_period
from .costs import capacity_families, check_costs, investment_by_period, recompute_costs
from .deliverability import border_flows, check_deliverability
from .discounting import check_discounting, discounted_years
from .provenance import check_input_hashes, check_solver
from .report import print_report
from .tables import check_csv_tables, expected_tables
from .verify import default_root, verify_run

__all__ = ["Check", "border_flows", "capacity_families", "check_costs", "check_csv_tables", "check_deliverability",
           "check_discounting", "check_energy_balance",
           "check_export_commitment", "check_input_hashes", "check_renewable_target", "check_solver", "default_root",
           "discounted_years", "expected_tables", "investment_by_period", "is_pathway", "period_views", "print_report",
           "read_summary", "recompute_costs", "summary_of_period", "verify_run"]
