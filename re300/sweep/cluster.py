"""The Dask cluster a sweep or an MGA run uses.

By default a `LocalCluster` on this machine (worker processes, one thread each, as many workers as cores unless
`workers` says otherwise). With a scheduler address (argument, or the environment variable RE300_DASK_SCHEDULER)
the same work goes to that cluster unchanged; its workers need re300 importable and the repository (inputs,
models, the sweep's output folder) at the same path, e.g. on a shared file system.
"""
from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

from re300.errors import Re300Error

SCHEDULER_ENV = "RE300_DASK_SCHEDULER"


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """Yield a `dask.distributed.Client`: to `scheduler` (or $RE300_DASK_SCHEDULER), else to a new LocalCluster."""
    try:
        from dask.distributed import Client, LocalCluster
    except ModuleNotFoundError:  # pragma: no cover - a core dependency
        raise Re300Error("dask.distributed is not installed; run `pip install 'dask[distributed]'`") from None
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if workers is not None and workers < 1:
        raise Re300Error(f"--workers {workers}: expected a whole number >= 1")
    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as e:
            raise Re300Error(f"cannot reach the Dask scheduler at {address} ({' '.join(str(e).split()) or type(e).__name__}); "
                             f"check the address or unset {SCHEDULER_ENV} to run on this machine") from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or default_workers()
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def scheduler_info(client) -> dict:
    """The scheduler's description of the cluster with every worker listed (`workers`: address -> details); newer
    dask.distributed versions list only a few workers unless asked for all."""
    import inspect

    if "n_workers" in inspect.signature(client.scheduler_info).parameters:
        return client.scheduler_info(n_workers=-1)
    return client.scheduler_info()


def describe(client) -> str:
    """'LocalCluster, 2 workers x 1 thread' or 'tcp://host:8786, 8 workers'."""
    ws = scheduler_info(client).get("workers", {})
    threads = sorted({w.get("nthreads", 0) for w in ws.values()})
    t = f" x {threads[0]} thread{'s' if threads[0] != 1 else ''}" if len(threads) == 1 else ""
    return f"{client.scheduler.address}, {len(ws)} worker{'s' if len(ws) != 1 else ''}{t}"
