"""`re300 stress outputs/<run> --years N`: re-dispatch a plan on N synthetic weather years and the measured year, on
Dask, and write `<run>/stress/` atomically:

- `stress.csv`: one row per weather year (re300.report.stress.COLUMNS): its wind and solar capacity factors, unserved
  energy, renewable-target and export shortfalls, curtailment, non-renewable supply and costs (MWh/yr, KRW/yr), and
  the checks that must close (largest energy-balance residual, largest difference of capacity from the plan's);
- `stress.json`: the settings (years, seeds, horizon), the cluster, the time of each year and of the whole run;
- `summary.md`: the printed summary and table.

The years run as independent tasks on a Dask cluster (re300.sweep.cluster: a LocalCluster of one-thread workers, or
`--scheduler`), each loading the plan once per worker process.
"""
from __future__ import annotations

import functools
import json
import time as _time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from re300.atomic import atomic_output_dir
from re300.report.stress import COLUMNS, STRESS_DIR, STRESS_FILE, markdown_table, stress_summary, summary_lines
from re300.sweep.cluster import dask_client, describe
from re300.weather.measured import measured_years

from .dispatch import redispatch
from .plan import load_plan
from .years import DEFAULT_RESOLUTION_H, WeatherYear, stress_years

#: figures of re300.results.tables.summary -> stress.csv columns
FIGURE_COLUMNS = {"unserved_energy": "unserved_energy_mwh", "renewable_shortfall": "renewable_shortfall_mwh",
                  "export_shortfall": "export_shortfall_mwh", "curtailment": "curtailment_mwh",
                  "nonrenewable_supply": "nonrenewable_supply_mwh", "total_system_cost": "total_system_cost_krw",
                  "net_system_cost": "net_system_cost_krw", "shortfall_penalty": "shortfall_penalty_krw",
                  "objective": "objective_krw", "renewable_available": "renewable_available_mwh",
                  "storage_losses": "storage_losses_mwh"}


@dataclass
class StressReport:
    run_dir: Path
    out_dir: Path
    table: pd.DataFrame
    lines: list[str]
    cluster: str
    wall_seconds: float

    @property
    def failed(self) -> list[str]:
        return list(self.table.loc[self.table["status"] != "Optimal", "name"])


@functools.lru_cache(maxsize=2)
def _plan(run_dir: str):
    return load_plan(run_dir)


def solve_one(run_dir: str, year: WeatherYear, resolution_hours: int) -> dict:
    """One weather year on a worker (the plan is read once per worker process)."""
    return redispatch(_plan(run_dir), year, resolution_hours, threads=1)


def as_row(result: dict) -> dict:
    return {FIGURE_COLUMNS.get(k, k): v for k, v in result.items()}


def run_stress(run_dir: str | Path, years: int = 20, resolution_hours: int = DEFAULT_RESOLUTION_H,
               workers: int | None = None, scheduler: str | None = None, echo: bool = True) -> StressReport:
    """Re-dispatch the plan of `run_dir` on `years` sampled synthetic years, its typical year and the measured year
    (re300.stress.years), write `<run_dir>/stress/` and return the report."""
    from re300.errors import Re300Error

    if years < 1:
        raise Re300Error(f"--years {years}: expected a whole number >= 1")
    if resolution_hours not in (1, 2, 3, 4, 6, 8, 12, 24):
        raise Re300Error(f"--resolution-hours {resolution_hours}: expected a divisor of 24 (1, 2, 3, 4, 6, 8, 12, 24)")
    run_dir = Path(run_dir).absolute()
    t0 = _time.perf_counter()
    plan = load_plan(run_dir)  # one clear line before any cluster starts
    todo = stress_years(plan.scenario, years, measured_years(plan.scenario.inputs_dir))
    say = (lambda text: print(f"[re300 stress] {text}", flush=True)) if echo else (lambda text: None)
    say(f"plan {plan.data.name}: {len(todo)} weather years ({years} synthetic"
        f"{', measured ' + str(plan.scenario.weather.year) if todo[-1].kind == 'measured' else ''}, the plan's own "
        f"snapshots and its typical year), chronological {resolution_hours}-h steps")
    results: dict[str, dict] = {}
    with dask_client(scheduler, workers) as client:
        cluster = describe(client)
        say(f"Dask cluster {cluster}")
        from dask.distributed import as_completed

        futures = {client.submit(solve_one, str(run_dir), y, resolution_hours, pure=False): y for y in todo}
        for fut in as_completed(futures):
            r = fut.result()
            results[r["name"]] = r
            cost = r.get("total_system_cost")
            say(f"{r['name']}: {r['status']} in {r['seconds']:.1f} s"
                + (f", cost {cost / 1e12:,.3f} trillion KRW/yr" if cost is not None else f" ({r.get('error', '')})"))
    table = pd.DataFrame([as_row(results[y.name]) for y in todo]).reindex(columns=list(COLUMNS))
    lines = summary_lines(stress_summary(table))
    wall = _time.perf_counter() - t0
    out = run_dir / STRESS_DIR
    with atomic_output_dir(out) as tmp:
        table.to_csv(tmp / STRESS_FILE, index=False, float_format="%.10g")
        meta = {"run": run_dir.name, "years": [asdict(y) for y in todo], "synthetic_years": years,
                "resolution_hours": resolution_hours, "cluster": cluster, "wall_seconds": round(wall, 1),
                "plan_objective_bn_krw_per_yr": plan.objective_bn_krw, "worst_year_rule": "most unserved energy + "
                "target shortfalls, else the highest total system cost (re300.report.stress)"}
        (tmp / "stress.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        (tmp / "summary.md").write_text("\n".join(["# " + f"Stress test of {run_dir.name}", ""] + lines
                                                  + ["", markdown_table(table), ""]), encoding="utf-8")
    return StressReport(run_dir, out, table, lines, cluster, wall)
