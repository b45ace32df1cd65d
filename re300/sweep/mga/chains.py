"""Scheduling the near-optimal solves on a Dask cluster: the least-cost plan, then the min and max of every quantity
under the cost cap, either as warm-started chains of re-solves (`_WarmChains`: one `NearOptimalLP` actor per chain)
or each solve a task that rebuilds its LP (`_Rebuilds`, the reference).

Two chains (all minimisations on one worker, all maximisations on another; a chain that runs out takes jobs from the
other's end) were fastest on 2 cores, about 3x faster than rebuilding the LP per solve (README, "Speed").
"""
from __future__ import annotations

import time as _time

import numpy as np

from re300.errors import Re300Error, SolveError

from ..cluster import scheduler_info
from ..quantities import Quantity
from .lp import RESOLVE, NearOptimalLP, cost_cap, error_text, new_result, solve_plan
from .ranges import Ranges

CHAINS = 2  # warm-started chains of re-solves, one HiGHS instance per worker (chosen by measurement)


def near_optimal_ranges(data, slack: float, quantities: list[Quantity], client, solver_options: dict | None = None,
                        echo: bool = False, warm_start: bool = True, chains: int = CHAINS, resolve: str = RESOLVE) -> Ranges:
    """Least-cost plan, then min and max of each quantity within (1 + slack) x least cost; all solves on `client`.

    warm_start: build and compile the LP once per chain and re-solve it in place from the last basis
    (`NearOptimalLP`, `chains` Dask actors on distinct workers, `resolve` = primal | dual simplex or ipm); False
    rebuilds the LP for every solve, each a Dask task (`solve_plan`).
    """
    if not (0 <= slack < 10):
        raise Re300Error(f"--slack {slack}: expected a fraction of the least cost between 0 and 10, e.g. 0.05 for 5 %")
    opts = dict(solver_options or {})
    say = (lambda *a: print(*a, flush=True)) if echo else (lambda *a: None)
    # hash=False: a fresh key per call; a deterministic key can race with the release of an earlier identical
    # scatter on the same client ("lost dependencies")
    data_f = client.scatter(data, broadcast=False, hash=False)
    jobs = [(q, s) for q in quantities if q.members for s in ("min", "max")]
    runner = (_WarmChains(client, data_f, opts, quantities, jobs, chains, resolve) if warm_start
              else _Rebuilds(client, data_f, opts, quantities))
    optimum = runner.least_cost()
    if not optimum["ok"]:
        raise SolveError(f"the least-cost plan could not be solved: {optimum['error']}")
    cap = cost_cap(optimum, slack)
    penalty = optimum["penalty_bn_krw"]
    say(f"[mga] least cost {(optimum['objective_bn_krw'] - penalty) / 1e3:,.3f} trillion KRW/yr net of credits "
        f"(objective {optimum['objective_bn_krw'] / 1e3:,.3f} with a shortfall penalty of {penalty / 1e3:,.3f}) in "
        f"{optimum['seconds']:.1f} s; cost cap {(cap - penalty) / 1e3:,.3f} trillion KRW/yr (+{slack:.1%}) + the penalty")
    results = []
    width = len(str(len(jobs)))
    for i, (q, s, res) in enumerate(runner.alternatives(jobs, cap, dict(optimum["slacks"])), 1):
        results.append(res)
        shown = f"{res['values_mw'][q.key] / 1e3:,.2f} GW" if res["ok"] else f"FAILED: {res['error']}"
        say(f"[mga] [{i:>{width}}/{len(jobs)}] {s} {q.key}: {shown} ({res['seconds']:.1f} s)")
    for job in runner.fallbacks:
        say(f"[mga] {job}: the warm-started simplex re-solve ran past its time budget and was redone from scratch "
            "with interior point")
    order = {(q.key, s): i for i, (q, s) in enumerate(jobs)}
    results.sort(key=lambda r: order[(r["quantity"], r["sense"])])
    solves = ({"warm_start": True, "chains": len(runner.handles), "re_solve": f"{resolve} simplex" if resolve != "ipm" else "ipm",
               "fallbacks_to_interior_point": list(runner.fallbacks)} if warm_start else {"warm_start": False})
    return Ranges(slack, optimum, quantities, results, solves)


def _not_run(q: Quantity, s: str, error: str) -> dict:
    """The result record of a solve that never ran (its worker or its chain's LP failed)."""
    return {**new_result(q, s), "status": "not run", "error": error}


class _Rebuilds:
    """Every solve a Dask task that builds its own LP (`solve_plan`)."""

    def __init__(self, client, data_f, opts, quantities):
        self.client, self.data_f, self.opts, self.quantities = client, data_f, opts, quantities
        self.fallbacks: list[str] = []

    def least_cost(self) -> dict:
        return self.client.submit(solve_plan, self.data_f, self.opts, self.quantities, pure=False).result()

    def alternatives(self, jobs, cap, caps):
        from dask.distributed import as_completed

        futures = {self.client.submit(solve_plan, self.data_f, self.opts, self.quantities, q, s, cap, caps, pure=False): (q, s)
                   for q, s in jobs}
        for fut in as_completed(futures):
            q, s = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died
                res = _not_run(q, s, error_text(e))
            yield q, s, res


class _WarmChains:
    """`chains` NearOptimalLP actors on distinct workers: the first solves the least-cost plan; after `restrict`,
    every actor starts from its basis and works through its share of the jobs in order, each re-solve from the last
    basis, then takes jobs from the end of the longest other share. The other actors build their LP while the first
    one solves."""

    def __init__(self, client, data_f, opts, quantities, jobs, chains, resolve):
        workers = sorted(scheduler_info(client).get("workers", {}))
        n = max(1, min(int(chains), len(workers), len(jobs)))
        self.client, self.fallbacks = client, []
        self.handles = [client.submit(NearOptimalLP, data_f, opts, quantities, resolve, actor=True, pure=False,
                                      workers=[workers[k]] if workers else None) for k in range(n)]

    def least_cost(self) -> dict:
        self.lead = self.handles[0].result()
        return self.lead.least_cost().result()

    def alternatives(self, jobs, cap, caps):
        lead = self.lead
        error = lead.restrict(cap, caps).result()
        if error:
            for q, s in jobs:
                yield q, s, _not_run(q, s, error)
            return
        basis = lead.basis().result() if len(self.handles) > 1 else None
        # all minimisations, then all maximisations, cut into contiguous chains: consecutive objectives in the same
        # direction keep the last basis close to the next optimum (measured: alternating min/max re-solves took 2x)
        ordered = [j for j in jobs if j[1] == "min"] + [j for j in jobs if j[1] != "min"]
        cuts = np.linspace(0, len(ordered), len(self.handles) + 1).round().astype(int)
        chains = [ordered[a:b] for a, b in zip(cuts[:-1], cuts[1:])]
        running = {}  # chain -> (actor, future of its current re-solve, quantity, sense)
        for k, handle in enumerate(self.handles):
            try:
                actor = lead if k == 0 else handle.result()
                if k > 0:
                    err = actor.restrict(cap, caps).result() or actor.set_basis(basis).result()
                    if err:
                        raise SolveError(err)
            except Exception as e:  # noqa: BLE001 - a worker that died or an LP that could not be restricted
                for q, s in chains[k]:
                    yield q, s, _not_run(q, s, error_text(e))
                chains[k] = []
                continue
            if chains[k]:
                q, s = chains[k].pop(0)
                running[k] = (actor, actor.extreme(q, s), q, s)
        while running:
            done = [k for k, (_, fut, _, _) in running.items() if fut.done()]
            if not done:
                _time.sleep(0.05)
            for k in done:
                actor, fut, q, s = running.pop(k)
                try:
                    res = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker that died: the rest of its chain is not run
                    yield q, s, _not_run(q, s, error_text(e))
                    for q2, s2 in chains[k]:
                        yield q2, s2, _not_run(q2, s2, "the worker holding this chain's LP failed")
                    continue
                yield q, s, res
                # the next job of this chain; when it has none left, the last one of the longest other chain
                longest = max(range(len(chains)), key=lambda i: len(chains[i]))
                if chains[k] or chains[longest]:
                    q, s = chains[k].pop(0) if chains[k] else chains[longest].pop()
                    running[k] = (actor, actor.extreme(q, s), q, s)
                else:
                    self.fallbacks += actor.fallback_jobs().result()
