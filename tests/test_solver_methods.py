"""Every HiGHS method re300 offers reaches the hand-derived optimum of the one-region PV case, with the same prices,
and asking for HiPO without its libraries is a clear error (not HiGHS's silent fall-back to another solver)."""
from __future__ import annotations

import pytest
from factories import solve_data
from test_model_constraints import NR_PRICE, pv_case

from re300.errors import SolveError
from re300.model.builder import build_model
from re300.solve import highs
from re300.solve.solver import SolverOptions, solve


@pytest.mark.parametrize("method", ["simplex", "ipm", "ipx", "hipo"])
def test_each_method_reaches_the_hand_derived_optimum_and_prices(method):
    # pv_case: optimum K* = 100 MW of PV, cost 35e6 KRW (derivation in test_model_constraints). Prices: the grid
    # (100,000 KRW/MWh) is marginal in hours 0, 1 and 3; at noon 150,000 - 100,000 = 50,000 KRW/MWh.
    ds, sol = solve_data(pv_case(), method=method)
    assert sol.optimal
    assert float(ds.capacity_new_mw.sel(technology="utility_pv", region="a")) == pytest.approx(100.0, abs=1e-6)
    assert sol.objective * 1e9 == pytest.approx(35e6, rel=1e-9)
    prices = ds.price_krw_per_mwh.sel(region="a").values
    assert prices == pytest.approx([NR_PRICE, NR_PRICE, 50_000.0, NR_PRICE], rel=1e-6)


def test_hipo_without_its_libraries_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(highs, "hipo_available", lambda: False)
    with pytest.raises(SolveError, match=r"hipo.*highspy-extras"):
        solve(build_model(pv_case()), SolverOptions(method="hipo"))


def test_hipo_available_in_this_environment():
    # pyproject asks for highspy[extras]; if this fails the installation lost the HiPO libraries.
    assert highs.hipo_available()
