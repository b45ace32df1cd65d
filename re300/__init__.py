"""re300: an open planning model for Honam RE300 (Pyomo LP solved by HiGHS).

`re300.open_results("re300_2050")` (or a results folder / .nc path) returns a run's xarray Dataset and
`re300.calendar(ds)` the same run on the 8,760 calendar hours of the year, whatever its horizon (representative days,
selected weeks, full year; a pathway per period); helpers for both are in `re300.report`.
"""


def open_results(scenario_or_path, root=None):
    """The results Dataset of a run: see `re300.report.access.open_results`."""
    from re300.report.access import open_results as _open

    return _open(scenario_or_path, root=root)


def calendar(ds, period=None):
    """The run in calendar time: see `re300.results.calendar.calendar`."""
    from re300.results.calendar import calendar as _calendar

    return _calendar(ds, period=period)


__all__ = ["open_results", "calendar"]
