"""Results for people: notebook access to `results.nc`, and memos (Korean and English) built from the result CSVs.

- `open_results`, `calendar` (the run on the 8,760 hours of the year), `energy_balance`, `capacity_table`, `price_duration`, `curtailment_by_month`, `flows_to_capital`,
  `label` (re300.report.access): xarray/pandas helpers for notebooks.
- `build_memo(run_dir, langs)` (re300.report.memo): `re300 memo`, `make memo`.
- `build_comparison(run_dirs, out_dir, langs)` (re300.report.compare): `re300 compare`, `make compare`.
"""
from .access import (
    calendar,
    capacity_table,
    curtailment_by_month,
    energy_balance,
    flows_to_capital,
    label,
    open_results,
    outputs_root,
    price_duration,
)

__all__ = ["open_results", "outputs_root", "calendar", "energy_balance", "capacity_table", "price_duration", "curtailment_by_month",
           "flows_to_capital", "label", "build_memo", "build_comparison"]


def __getattr__(name):  # the memo builders import matplotlib: load them only when asked for
    if name == "build_memo":
        from .memo import build_memo

        return build_memo
    if name == "build_comparison":
        from .compare import build_comparison

        return build_comparison
    raise AttributeError(name)
