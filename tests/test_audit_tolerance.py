"""`re300 verify` on a first-order (cuPDLPx) solution: the balances are still checked, within a tolerance the check
states, 10 x the largest row violation measured on the compiled LP."""
from __future__ import annotations

import pytest

from re300.audit.checks import first_order_tolerance_mw


def test_first_order_runs_get_a_stated_tolerance():
    manifest = {"solver": {"first_order": True, "quality": {"max_row_infeasibility": 2e-4}}}  # GW, LP units
    assert first_order_tolerance_mw(manifest) == pytest.approx(2.0)  # 10 x 2e-4 GW = 2 MW


def test_vertices_keep_the_strict_tolerance():
    assert first_order_tolerance_mw({"solver": {"first_order": False, "quality": {"max_row_infeasibility": 1.0}}}) is None
    assert first_order_tolerance_mw({"solver": {"status": "Optimal"}}) is None
