"""The re300 LP rebuilt in PyPSA (an independent tool) from `ModelData`, e.g. the inputs stored in a run's results.nc:

    data = model_data_from_dataset(xr.load_dataset("outputs/quick/results.nc"))
    problem = to_pypsa(data)
    result = solve_pypsa(problem)          # HiGHS through PyPSA/linopy
    result.objective_krw                   # comparable with the re300 objective (KRW/yr)

Used by tests/test_pypsa.py (objective and capacities must agree) and by the benchmark (`pypsa:<case>` in
`python -m re300.bench`). re300 itself never imports this package; PyPSA is an optional test dependency.

An independent cross-check: the formulation is this package's own (PyPSA components and linopy constraints written
from the network's buses, links and generators), not the re300 model's, and the total cost is recomputed from the
PyPSA solution on purpose (like the audit's cost recomputation in re300.audit.costs), so the comparison does not trust
the code it checks. Modules: `network` (components, refusals), `rules` (linopy constraints), `solution` (solve, cost
rebuild, capacities).

Mapping (re300 → PyPSA; w = weight_h, the hours a snapshot stands for; η efficiencies):

| re300                                   | PyPSA                                                                        |
|-----------------------------------------|------------------------------------------------------------------------------|
| region                                  | Bus (carrier AC)                                                             |
| demand (any region with demand)         | Load                                                                         |
| unserved energy (Honam)                 | Generator at the value of lost load, p_nom = peak, p_max_pu = demand / peak  |
| export region's absorption ≤ headroom   | sink Generator `absorbed|r`: p_max_pu = 0, p_min_pu = −headroom / p_nom      |
|   (NaN headroom = `absorption: unlimited`) |   (p_nom = 1e7 MW, p_min_pu = −1 where unlimited)                          |
| value of the displaced generation       | its marginal cost = value; p < 0, so cost = −value × absorbed (a credit)     |
| generator (incl. gas_turbine, national_grid_supply at the capital node, nonrenewable_supply) | Generator: p_max_pu = capacity factor, marginal cost = vom + carbon price × emission factor; extendable with p_nom_min = existing, p_nom_max = existing + max_new, capital cost = annualised capex + fixed O&M |
| storage                                 | Store on its own bus (e_cyclic) + discharger Link (η_dis; carries the power capacity P = η_dis × p_nom and its cost; marginal cost vom × η_dis) + charger Link (η_ch) |
| charging power = P                      | charger p_nom = P (linopy tie)                                               |
| separate charging power (electrolysers) | charger Link with its own p_nom, bounds and capital cost                     |
| fixed-duration storage                  | Store e_nom = duration × P (linopy tie); P pays the energy                   |
| hydrogen sold (Var.SOLD), price         | sink Generator `…|sales` on the store bus, marginal cost = price (a credit)  |
| annual sales cap `sale_max_mwh_per_yr`  | that Generator's e_sum_min = −cap (Σ_t w · p ≥ −cap)                          |
| link                                    | Link from → to with η; a two-way link adds a Link to → from, p_nom tied      |
| storage cycling per block               | one block: e_cyclic; several: the blocks are PyPSA investment periods (e_cyclic_per_period; period weighting 1/B, snapshot objective weighting B × w, so capital counts once) |

Constraints PyPSA has no component for (linopy, `rules`):

    renewable target   Σ w·p(renewable gen) − [Σ w·(p_charger − η_dis·p_discharger) − Σ w·sold/η_ch]
                       − [Σ w·(1−η)·p(links)] + shortfall ≥ X · consumption            (brackets: deduction switches)
    export commitment  Σ_{routes into export regions} w·(η·p_forward − p_backward)
                       + [Σ w·sold/η_ch if sales_count_as_export] + shortfall ≥ Y · consumption
    renewable-only     every snapshot: Σ p(non-renewable gen at Honam buses) + Σ η·p(Links export bus → Honam bus)
      exports          + Σ p(unserved, Honam) ≤ Σ Honam demand
    absorbed from      every snapshot and export bus: −p(its sink) ≤ Σ η·p(Links arriving from a Honam bus)
      Honam
    adequacy           Σ credit·p_nom(gen at Honam buses) + Σ firm_s + Σ credit·p_nom(links that import into Honam:
                       export → Honam, or two-way Honam ↔ export) ≥ (1 + margin) · peak,
                       firm_s ≤ credit·P_s,  firm_s ≤ credit·E_s / storage_hours  (Honam storage)
    ties               above; shortfalls cost their penalty per MWh in the objective

sold = −p of the sales sink (MW of the medium); the weights of every sum are weight_h.

Not expressed, refused with `NotExpressible` (a ValueError naming the feature): pathway runs (investment periods with
lifetimes and discounting), storage linked across typical days (Kotzur; representative days), hourly-matched RE100
loads, fixed builds of a myopic hand-over.

Costs: every component carries capital cost = annualised capex + fixed O&M on its whole capacity; re300 charges capex
only on new capacity (existing assets pay fixed O&M, a constant). `PypsaProblem.constant_krw` holds the difference
(Σ annualised capex × existing capacity, incl. existing charging power), so re300's objective = total cost of the PyPSA
solution − constant. The total is rebuilt from the solution (`solution.total_cost_scaled`) because PyPSA's objective
omits non-extendable capital costs; the sinks' negative output makes the displaced generation and the hydrogen sales
credits in it, as they are in re300's objective.
"""
from __future__ import annotations

from .network import COST_SCALE, SINK_MW, NotExpressible, PypsaProblem, StorageNames, to_pypsa
from .solution import PypsaResult, solve_pypsa

__all__ = ["COST_SCALE", "SINK_MW", "NotExpressible", "PypsaProblem", "PypsaResult", "StorageNames", "solve_pypsa",
           "to_pypsa"]
