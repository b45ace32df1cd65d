"""`ModelData`: every number the LP uses, in MW, MWh and KRW, with no Pyomo and no files.

The pipeline (`re300.run`) assembles it from the scenario, the input tables and the weather profiles;
tests build tiny instances by hand. `re300.results` stores all of it in `results.nc`, so a run can be
rebuilt in another tool from the dataset alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

GENERATOR_COLUMNS = {
    # column: meaning [unit]
    "technology": "technology name",
    "region": "region name",
    "renewable": "counts towards the renewable target [bool]",
    "existing_mw": "capacity already built [MW]",
    "max_new_mw": "upper bound on new capacity [MW] (inf = unbounded)",
    "capex_annual_krw_per_mw": "annualised investment cost of new capacity [KRW/MW/yr]",
    "fom_krw_per_mw": "fixed O&M on total capacity [KRW/MW/yr]",
    "vom_krw_per_mwh": "variable cost of dispatch incl. fuel/purchase price [KRW/MWh]",
    "emission_t_per_mwh": "emission factor [tCO2/MWh]",
}
STORAGE_COLUMNS = {
    "technology": "technology name",
    "region": "region name",
    "existing_mw": "existing power capacity [MW]",
    "existing_mwh": "existing energy capacity [MWh]",
    "max_new_mw": "upper bound on new power capacity [MW]",
    "max_new_mwh": "upper bound on new energy capacity [MWh]",
    "capex_annual_krw_per_mw": "annualised cost of new power capacity [KRW/MW/yr]",
    "capex_annual_krw_per_mwh": "annualised cost of new energy capacity [KRW/MWh/yr]",
    "fom_krw_per_mw": "fixed O&M on total power capacity [KRW/MW/yr]",
    "fom_krw_per_mwh": "fixed O&M on total energy capacity [KRW/MWh/yr]",
    "vom_krw_per_mwh": "variable cost per MWh discharged [KRW/MWh]",
    "efficiency_charge": "charge efficiency [fraction]",
    "efficiency_discharge": "discharge efficiency [fraction]",
    "standing_loss_per_h": "share of stored energy lost per hour [fraction/h]",
    "fixed_duration_h": "if > 0: energy capacity = duration x power capacity [h]; NaN/0 = sized freely",
    "inter_period": "state of charge linked across the calendar sequence of typical periods [bool] (used when period_order is set)",
}
LINK_COLUMNS = {
    "link": "link name",
    "from_region": "sending region",
    "to_region": "receiving region",
    "bidirectional": "flow allowed both ways [bool]",
    "length_km": "route length [km]",
    "existing_mw": "existing transfer capacity [MW]",
    "max_new_mw": "upper bound on new capacity [MW]",
    "capex_annual_krw_per_mw": "annualised cost of new capacity incl. terminals [KRW/MW/yr]",
    "fom_krw_per_mw": "fixed O&M on total capacity [KRW/MW/yr]",
    "efficiency": "share of sent energy that arrives [fraction]",
}


@dataclass
class TargetSettings:
    """Annual targets. Shares multiply the annual consumption of the `honam` regions.

    renewable_share: counted renewable energy >= share x consumption (3 = RE300, 1 = RE100; None = no target).
    export_share: energy delivered to export regions >= share x consumption (None = no commitment).
    deduct_storage_losses / deduct_transmission_losses: see `re300.model.targets`.
    renewable_slack_krw_per_mwh: if set, the target may be missed at this penalty (a priced slack).
    """

    renewable_share: float | None = None
    export_share: float | None = None
    deduct_storage_losses: bool = True
    deduct_transmission_losses: bool = False
    renewable_slack_krw_per_mwh: float | None = None
    export_slack_krw_per_mwh: float | None = None


@dataclass
class ModelData:
    """All numbers of one LP instance.

    regions: all nodes; region_kind: 'honam' or 'export' per region (export nodes absorb what arrives).
    time: snapshot labels (KST, hour-beginning); weight_h: hours of the year each snapshot stands for;
    duration_h: length of the snapshot [h]; block: id of the contiguous block a snapshot belongs to
    (storage state of charge is cyclic within each block).
    demand_mw: time x region (export regions 0).
    generators: one row per (technology, region), columns GENERATOR_COLUMNS;
    availability: generators x time, the capacity factor (1.0 for dispatchable supply) [fraction].
    storage: one row per (technology, region), columns STORAGE_COLUMNS.
    links: one row per link, columns LINK_COLUMNS.
    carbon_price_krw_per_t, value_of_lost_load_krw_per_mwh: prices applied in the objective.
    period_order: for representative periods, the block (typical period) standing for each original period in
    calendar order; storage with `inter_period` links its state of charge along this sequence. None otherwise.
    """

    regions: list[str]
    region_kind: dict[str, str]
    time: pd.DatetimeIndex
    weight_h: np.ndarray
    duration_h: np.ndarray
    block: np.ndarray
    demand_mw: pd.DataFrame
    generators: pd.DataFrame
    availability: np.ndarray
    storage: pd.DataFrame
    links: pd.DataFrame
    carbon_price_krw_per_t: float = 0.0
    value_of_lost_load_krw_per_mwh: float = 10_000_000.0
    targets: TargetSettings = field(default_factory=TargetSettings)
    name: str = "model"
    period_order: np.ndarray | None = None

    @property
    def honam_regions(self) -> list[str]:
        return [r for r in self.regions if self.region_kind[r] == "honam"]

    @property
    def n_time(self) -> int:
        return len(self.time)

    def annual_consumption_mwh(self) -> float:
        """Weighted annual consumption of the honam regions [MWh]."""
        d = self.demand_mw[self.honam_regions].to_numpy().sum(axis=1)
        return float(np.dot(d, self.weight_h))

    def check(self) -> None:
        """Shape and sign checks; raises ValueError naming the offending field."""
        T = self.n_time
        for name in ("weight_h", "duration_h", "block"):
            arr = np.asarray(getattr(self, name))
            if arr.shape != (T,):
                raise ValueError(f"ModelData.{name} has shape {arr.shape}, expected ({T},)")
        if self.availability.shape != (len(self.generators), T):
            raise ValueError(
                f"ModelData.availability has shape {self.availability.shape}, expected ({len(self.generators)}, {T})"
            )
        if list(self.demand_mw.columns) != list(self.regions):
            raise ValueError("ModelData.demand_mw columns must equal ModelData.regions, in order")
        if self.demand_mw.shape[0] != T:
            raise ValueError("ModelData.demand_mw must have one row per snapshot")
        for frame, cols, label in (
            (self.generators, GENERATOR_COLUMNS, "generators"),
            (self.storage, STORAGE_COLUMNS, "storage"),
            (self.links, LINK_COLUMNS, "links"),
        ):
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise ValueError(f"ModelData.{label} lacks columns {missing}")
        for frame, label in ((self.generators, "generators"), (self.storage, "storage")):
            bad = set(frame["region"]) - set(self.regions)
            if bad:
                raise ValueError(f"ModelData.{label} names unknown regions {sorted(bad)}")
        bad = (set(self.links["from_region"]) | set(self.links["to_region"])) - set(self.regions)
        if bad:
            raise ValueError(f"ModelData.links names unknown regions {sorted(bad)}")
        if self.period_order is not None:
            po = np.asarray(self.period_order)
            blocks = set(np.unique(self.block).tolist())
            if po.ndim != 1 or not set(np.unique(po).tolist()) <= blocks:
                raise ValueError("ModelData.period_order must be a 1-d array of block ids")
        if np.any(~np.isfinite(self.availability)) or self.availability.min(initial=0) < 0 or self.availability.max(initial=0) > 1:
            raise ValueError("ModelData.availability must be finite and within [0, 1]")
