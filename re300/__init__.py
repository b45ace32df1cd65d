"""re300: an open planning model for Honam RE300 (Pyomo LP solved by HiGHS).

`re300.open_results("re300_2050")` (or a results folder / .nc path) returns a run's xarray Dataset; helpers for it are
in `re300.report`.
"""


def open_results(scenario_or_path, root=None):
    """The results Dataset of a run: see `re300.report.access.open_results`."""
    from re300.report.access import open_results as _open

    return _open(scenario_or_path, root=root)


__all__ = ["open_results"]
