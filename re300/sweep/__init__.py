"""Scale-out on dask.distributed: scenario sweeps (`re300 sweep`) and near-optimal alternatives (`re300 mga`).

    from re300.sweep import run_sweep, run_mga
    run_sweep("models/sweeps/smoke.yaml")                  # -> outputs/sweeps/smoke/
    run_mga("models/re300_2050.yaml", slack=0.05)          # -> outputs/mga/re300_2050/

Modules: `spec` (sweep files), `runner` (members on Dask, resume), `merge` (one dataset with a `scenario`
dimension, tidy summary), `figures` (cost-versus-target curve, tornado), `quantities` (the key quantities MGA ranges),
`mga` (a package: min/max of key quantities within a cost slack), `cluster` (LocalCluster or an existing scheduler),
`cli` (the `sweep` and `mga` commands).
"""
__all__ = ["run_sweep", "run_mga"]


def __getattr__(name):  # lazy: `re300 show` and `re300 solve` should not pay for pandas/dask imports here
    if name == "run_sweep":
        from .runner import run_sweep

        return run_sweep
    if name == "run_mga":
        from .mga import run_mga

        return run_mga
    raise AttributeError(name)
