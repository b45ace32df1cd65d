"""Notebook access to a run's `results.nc`: `open_results` and helpers for the questions analysts ask most.

    import re300
    ds = re300.open_results("re300_2050")          # outputs/re300_2050/results.nc (or a folder / .nc path)
    re300.report.energy_balance(ds)                  # MWh per region and quantity, weighted to the year
    re300.report.capacity_table(ds)                  # MW / MWh per region and technology
    re300.report.price_duration(ds)                  # weighted price duration curves per region
    re300.report.curtailment_by_month(ds)            # MWh per calendar month and region
    re300.report.flows_to_capital(ds)                # per corridor link: capacity, energy sent and delivered
    cal = re300.calendar(ds)                         # the run on the 8,760 hours of the year (re300.results.calendar)

Every frame carries `attrs["units"]` (and `attrs["note"]` where the time weighting matters); `label(ds, name)`
gives "description [units]" from the variable's attrs for axis labels.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from re300.results import tables as T

from . import series
from .runcsv import ResultsError

WEIGHT_NOTE = ("energy = Σ MW × weight_h over the modelled snapshots (each standing for weight_h hours of the year: a "
               "segment of a typical day, an hour of a selected week or of the full year)")
CALENDAR_NOTE = ("energy = Σ MW × weight_h over the calendar hours of each month, each hour taking the values of the snapshot "
                 "standing for it (re300.calendar)")


def calendar(ds: xr.Dataset, period: int | None = None) -> xr.Dataset:
    """The run on the calendar hours of the year, whatever its horizon: see re300.results.calendar.calendar."""
    from re300.results.calendar import calendar as _calendar

    return _calendar(ds, period=period)


def outputs_root() -> Path:
    """`$RE300_OUTPUTS` if set, else `outputs/` of the checkout (of the working folder for an installed wheel)."""
    from re300 import paths

    return paths.outputs_root()


def open_results(scenario_or_path, root=None) -> xr.Dataset:
    """The results Dataset of a run, loaded into memory (the file is closed again).

    Accepts a scenario name ("re300_2050" → `<root>/re300_2050/results.nc`, root = `outputs_root()` by default),
    a results folder, or a `.nc` file.
    """
    p = Path(scenario_or_path)
    candidates = [p] if p.suffix == ".nc" else [p / "results.nc", Path(root or outputs_root()) / str(scenario_or_path) / "results.nc"]
    for c in candidates:
        if c.is_file():
            try:
                with xr.open_dataset(c, engine="h5netcdf") as ds:
                    return ds.load()
            except (OSError, ValueError) as e:
                raise ResultsError(f"{c}: not a readable results file ({' '.join(str(e).split())})") from None
    raise ResultsError(f"{candidates[-1]}: results not found for {str(scenario_or_path)!r} (expected a scenario name "
                       f"under {Path(root or outputs_root())}, a results folder or a .nc file; run `re300 solve "
                       f"models/<scenario>.yaml` first)")


def label(ds: xr.Dataset, name: str) -> str:
    a = ds[name].attrs
    return f"{a.get('description', name)} [{a.get('units', '?')}]"


def _frame(df: pd.DataFrame, units: str, note: str = "") -> pd.DataFrame:
    df.attrs["units"] = units
    if note:
        df.attrs["note"] = note
    return df


def _per_region(da: xr.DataArray, ds: xr.Dataset) -> pd.Series:
    return T.annual(da, ds).to_series()


def energy_balance(ds: xr.Dataset, by: str = "year") -> pd.DataFrame:
    """Energy per region [MWh] by quantity: generation by technology, storage charge/discharge, net import, exports
    received, unserved, demand and curtailment. by="year": index region; by="month": index (month, region), from the
    calendar (re300.calendar): representative days give all 12 months; selected weeks only the months they fall in
    (the rest of the year is not modelled). A pathway: pass one period (re300.results.rebuild.period_view)."""
    if by not in ("year", "month"):
        raise ValueError(f"by={by!r}; expected 'year' or 'month'")
    hourly = {f"generation:{t}": ds["dispatch_mw"].sel(technology=t, drop=True) for t in ds.technology.values
              if bool(ds["dispatch_mw"].sel(technology=t).notnull().any())}
    hourly.update({
        "storage_discharge": ds["storage_discharge_mw"].sum("technology"),
        "storage_charge": ds["storage_charge_mw"].sum("technology"),
        "net_import": T.net_import_mw(ds),
        "unserved": ds["unserved_mw"],
        "exports_received": ds["exports_received_mw"],
        "demand": ds["demand_mw"],
        "curtailment": ds["curtailment_mw"].where(ds["input_generator_renewable"] > 0).sum("technology"),
    })
    if by == "year":
        df = pd.DataFrame({k: _per_region(da.fillna(0.0), ds) for k, da in hourly.items()})
        return _frame(df, "MWh/yr", WEIGHT_NOTE)
    cal, index = _on_calendar(ds, hourly)
    parts = {k: series.calendar_monthly(wide, index["weight_h"]).stack() for k, wide in cal.items()}
    df = pd.DataFrame(parts)
    df.index.names = ["month", "region"]
    return _frame(df, "MWh", CALENDAR_NOTE + "; months without a modelled hour (selected weeks) are absent")


def _on_calendar(ds: xr.Dataset, hourly: dict[str, xr.DataArray]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Snapshot series (time × region) on the calendar hours: ({name: frame}, frame of snapshot and weight_h)."""
    from re300.results.calendar import calendar_index

    index = calendar_index(ds)
    snap = index.snapshot.clip(min=0)
    out = {}
    for k, da in hourly.items():
        wide = da.fillna(0.0).transpose("time", "region").to_pandas()
        frame = pd.DataFrame(wide.to_numpy()[snap], index=index.time, columns=wide.columns)
        frame[~index.modelled] = np.nan
        out[k] = frame
    return out, pd.DataFrame({"weight_h": index.weight_h}, index=index.time)


def capacity_table(ds: xr.Dataset, kind: str = "power") -> pd.DataFrame:
    """Existing, new and total capacity per (region, technology): kind "power" [MW] or "energy" [MWh] (storage)."""
    cap = T.capacity_table(ds)
    cap = cap[cap["kind"] == kind].set_index(["region", "technology"])[["existing", "new", "total"]]
    return _frame(cap, "MW" if kind == "power" else "MWh")


def price_duration(ds: xr.Dataset) -> pd.DataFrame:
    """Per region: the weighted price duration curve as columns `hours` (hours of the year at or above the price) and
    `price_krw_per_mwh`; index (region, rank)."""
    w = ds["weight_h"].to_series()
    frames = []
    for r in ds.region.values:
        if str(ds["region_kind"].sel(region=r).values) == "export":
            continue
        hours, prices = series.duration_curve(ds["price_krw_per_mwh"].sel(region=r).to_series(), w)
        frames.append(pd.DataFrame({"region": str(r), "rank": range(len(hours)), "hours": hours,
                                    "price_krw_per_mwh": prices}))
    df = pd.concat(frames).set_index(["region", "rank"])
    return _frame(df, ds["price_krw_per_mwh"].attrs.get("units", "KRW/MWh"),
                  "each modelled hour counts for its weight_h hours of the year")


def curtailment_by_month(ds: xr.Dataset) -> pd.DataFrame:
    """Curtailed renewable energy per calendar month (index) and region (columns) [MWh], on the calendar."""
    curt = ds["curtailment_mw"].where(ds["input_generator_renewable"] > 0).sum("technology")
    cal, index = _on_calendar(ds, {"curtailment": curt})
    df = series.calendar_monthly(cal["curtailment"], index["weight_h"])
    df.index.name = "month"
    return _frame(df, "MWh", CALENDAR_NOTE + "; months without a modelled hour (selected weeks) are absent")


def flows_to_capital(ds: xr.Dataset, hourly: bool = False) -> pd.DataFrame:
    """Links into an export region (the Capital region). Annual (default): per link capacity [MW], energy sent
    [MWh/yr] at the sending end, delivered after losses [MWh/yr], energy sent back into Honam over a two-way route
    [MWh/yr], net delivery (delivered − sent back: what the export commitment counts) [MWh/yr] and utilisation
    [fraction]. hourly=True: MW sent per snapshot (index time, one column per link)."""
    export = {str(r) for r, k in zip(ds.region.values, ds["region_kind"].values) if str(k) == "export"}
    links = [str(l) for l in ds.link.values
             if str(ds["link_to"].sel(link=l).values) in export or str(ds["link_from"].sel(link=l).values) in export]
    flow = ds["flow_forward_mw"].sel(link=links)
    if hourly:
        return _frame(flow.transpose("time", "link").to_pandas(), "MW")
    sent = T.annual(flow, ds).to_series()
    eff = ds["input_link_efficiency"].sel(link=links).to_series()
    cap = ds["link_capacity_total_mw"].sel(link=links).to_series()
    hours = float(ds["weight_h"].sum())
    back = T.annual(ds["flow_backward_mw"].sel(link=links), ds).to_series()
    df = pd.DataFrame({"capacity_total_mw": cap, "energy_sent_mwh": sent, "energy_delivered_mwh": sent * eff,
                       "energy_returned_mwh": back, "net_delivered_mwh": sent * eff - back,
                       "utilisation": (sent + back) / (cap * hours)})
    return _frame(df, "see column names", WEIGHT_NOTE)
