"""Check, from a run's results.nc alone, that every export region takes no more than its headroom in every snapshot.

    python scripts/check_absorption.py outputs/re300_2050 [outputs/pathway ...]

Prints per run the largest (received - headroom) [MW] over the export regions' snapshots (<= 0 up to solver
tolerance), how many snapshots and hours of the year sit at the limit (within 1 MW) and the peak received [MW].
An independent reading of the same numbers `re300 verify` checks (audit/deliverability.py); exit 1 if any excess is
above 1e-6 MW.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import xarray as xr


def main(runs: list[str]) -> int:
    worst = 0.0
    for run in runs:
        with xr.open_dataset(Path(run) / "results.nc") as ds:
            export = [str(r) for r, k in zip(ds["region"].values, ds["region_kind"].values) if str(k) == "export"]
            got = ds["exports_received_mw"].sel(region=export)
            head = ds["input_export_headroom_mw"].sel(region=export)
            excess = (got - head).values
            at_limit = excess > -1.0
            hours = float((at_limit * ds["weight_h"].values[None, :]).sum())
            periods = np.unique(ds["time_period"].values).size if "time_period" in ds.coords else 1
            worst = max(worst, float(excess.max()))
            print(f"{run}: export regions {', '.join(export)}: largest (received - headroom) {excess.max():.3e} MW over "
                  f"{excess.size:,} snapshots; at the limit in {int(at_limit.sum())} snapshots = {hours / periods:,.0f} h/yr"
                  f"{' (mean over the periods)' if periods > 1 else ''}; peak received {float(got.max()):,.0f} MW")
    return 1 if worst > 1e-6 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["outputs/re300_2050"]))
