"""`ModelData`: every number the LP uses, in MW, MWh and KRW, with no Pyomo and no files.

The pipeline (`re300.run`) assembles it from the scenario, the input tables and the weather profiles;
tests build tiny instances by hand. `re300.results` stores all of it in `results.nc`, so a run can be
rebuilt in another tool from the dataset alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .names import CAPACITY_KINDS

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
    "lifetime_yr": "years new capacity stays in service (pathway runs; NaN = beyond the horizon) [yr]",
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
    "linked_across_days": "state of charge linked across the calendar sequence of typical days [bool] (used when typical_day_order is set)",
    "separate_charge_power": "charging power is a capacity of its own (e.g. electrolysers of a hydrogen chain) [bool]",
    "charge_existing_mw": "existing charging power capacity, if separate [MW]",
    "charge_max_new_mw": "upper bound on new charging power capacity, if separate [MW]",
    "charge_capex_annual_krw_per_mw": "annualised cost of new charging power capacity [KRW/MW/yr]",
    "charge_fom_krw_per_mw": "fixed O&M on total charging power capacity [KRW/MW/yr]",
    "lifetime_yr": "years new (discharge) power capacity stays in service (pathway runs; NaN = beyond the horizon) [yr]",
    "energy_lifetime_yr": "years new energy capacity stays in service (pathway runs) [yr]",
    "charge_lifetime_yr": "years new charging power capacity stays in service (pathway runs) [yr]",
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
    "lifetime_yr": "years new capacity stays in service (pathway runs; NaN = beyond the horizon) [yr]",
}
# Columns added after the core: optional in hand-built frames (filled with these defaults).
OPTIONAL_COLUMNS = {
    "generators": {"lifetime_yr": np.nan, "capacity_credit": 0.0, "max_new_status": ""},
    "storage": {"separate_charge_power": False, "charge_existing_mw": 0.0, "charge_max_new_mw": 0.0,
                "charge_capex_annual_krw_per_mw": 0.0, "charge_fom_krw_per_mw": 0.0, "lifetime_yr": np.nan,
                "energy_lifetime_yr": np.nan, "charge_lifetime_yr": np.nan, "capacity_credit": 0.0,
                "sale_price_krw_per_mwh": 0.0, "sale_max_mwh_per_yr": 0.0, "max_new_status": "",
                "max_new_energy_status": ""},
    "links": {"lifetime_yr": np.nan, "capacity_credit": 0.0, "max_new_status": "", "existing_status": ""},
}
# What the optional columns mean (units in brackets)
OPTIONAL_COLUMN_TEXT = {
    "capacity_credit": "share of capacity that counts as firm in the adequacy rule [fraction] (storage: of power, "
                       "when its energy lasts `Adequacy.storage_hours`; links: of import capacity into Honam)",
    "sale_price_krw_per_mwh": "price at which the stored medium is sold out of the storage (e.g. hydrogen to industry) "
                              "[KRW per MWh of stored medium]; 0 = nothing is sold",
    "sale_max_mwh_per_yr": "largest quantity sold per year [MWh of stored medium/yr]",
    "max_new_status": "where the upper bound on new capacity comes from: found / estimate (its input row), "
                      "'scenario lever: <key>', unlimited or none",
}
# Frame columns that may take one value per investment period (`ModelData.period_data`); the others are static.
PERIOD_COLUMNS = {
    "generators": ("existing_mw", "max_new_mw", "capex_annual_krw_per_mw", "fom_krw_per_mw"),
    "storage": ("existing_mw", "existing_mwh", "max_new_mw", "max_new_mwh", "capex_annual_krw_per_mw",
                "capex_annual_krw_per_mwh", "fom_krw_per_mw", "fom_krw_per_mwh", "charge_existing_mw",
                "charge_max_new_mw", "charge_capex_annual_krw_per_mw", "charge_fom_krw_per_mw"),
    "links": ("existing_mw", "max_new_mw", "capex_annual_krw_per_mw", "fom_krw_per_mw"),
}


@dataclass
class TargetSettings:
    """Annual targets. Shares multiply the annual consumption of the `honam` regions.

    renewable_share: counted renewable energy >= share x consumption (3 = RE300, 1 = RE100; None = no target).
    export_share: energy delivered to export regions >= share x consumption (None = no commitment).
    deduct_storage_losses / deduct_transmission_losses: see `re300.model.targets`.
    renewable_slack_krw_per_mwh: if set, the target may be missed at this penalty (a priced slack).
    renewable_only_exports: non-renewable energy entering Honam (its own non-renewable output and imports) may serve
    only Honam's load, hour by hour, so everything exported or stored is renewable (`re300.model.exports`).
    sales_count_as_export: the electricity that made a product sold out of storage (hydrogen for industry, the
    study's "other regions or abroad") counts towards the export commitment (`re300.model.storage`).
    renewable_share_by_period / export_share_by_period: pathway runs, one share per investment period (None or NaN
    = no target in that period); they replace the scalar shares when given.
    """

    renewable_share: float | None = None
    export_share: float | None = None
    deduct_storage_losses: bool = True
    deduct_transmission_losses: bool = False
    renewable_slack_krw_per_mwh: float | None = None
    export_slack_krw_per_mwh: float | None = None
    renewable_share_by_period: tuple | None = None
    export_share_by_period: tuple | None = None
    renewable_only_exports: bool = False
    sales_count_as_export: bool = False

    def shares(self, kind: str, n_periods: int) -> np.ndarray:
        """Target share of `kind` ('renewable' or 'export') in each of `n_periods` periods; NaN = no target."""
        by_period = getattr(self, f"{kind}_share_by_period")
        if by_period is not None:
            out = np.array([np.nan if v is None else float(v) for v in by_period], dtype=float)
            if len(out) != n_periods:
                raise ValueError(f"TargetSettings.{kind}_share_by_period has {len(out)} values for {n_periods} periods")
            return out
        scalar = getattr(self, f"{kind}_share")
        return np.full(n_periods, np.nan if scalar is None else float(scalar))


@dataclass
class Pathway:
    """The investment periods of a multi-period (pathway) run; see `re300.model.investment`.

    years: first calendar year of each period, increasing (e.g. 2030, 2034, 2040, 2045, 2050). Every snapshot
    belongs to one period (`ModelData.snapshot_period`); a period repeats the representative snapshots with its
    own demand and costs.
    span_yr: calendar years each period stands for (to the next period; the last one a stated number) [yr].
    build_interval_yr: years in which a period's new capacity is built (since the previous period, the first
    since `base_year`); build-rate limits allow rate x interval per period [yr].
    objective_weight: W_p = Σ_{y = year_p}^{year_p + span_p − 1} (1 + r)^−(y − base_year), the discounted years that
    multiply the period's annual costs in the objective [yr].
    base_year: the year costs are discounted to and existing capacity is counted in.
    """

    years: np.ndarray
    span_yr: np.ndarray
    build_interval_yr: np.ndarray
    objective_weight: np.ndarray
    base_year: int
    discount_rate: float
    foresight: str = "perfect"

    @classmethod
    def from_years(cls, years, base_year: int, discount_rate: float, final_span_yr: int,
                   foresight: str = "perfect") -> "Pathway":
        years = np.asarray(years, dtype=np.int64)
        if years.ndim != 1 or len(years) == 0 or np.any(np.diff(years) <= 0):
            raise ValueError("pathway years must be a non-empty increasing sequence")
        if base_year >= years[0]:
            raise ValueError(f"pathway base year {base_year} must come before the first period {years[0]}")
        span = np.r_[np.diff(years), int(final_span_yr)].astype(np.int64)
        interval = np.diff(np.r_[base_year, years]).astype(np.int64)
        return cls(years=years, span_yr=span, build_interval_yr=interval,
                   objective_weight=period_weights(years, span, base_year, discount_rate), base_year=int(base_year),
                   discount_rate=float(discount_rate), foresight=foresight)

    @property
    def n(self) -> int:
        return len(self.years)


def period_weights(years, span_yr, base_year: int, rate: float) -> np.ndarray:
    """W_p = Σ_{y = year_p}^{year_p + span_p − 1} (1 + rate)^−(y − base_year) for each period p [discounted years]."""
    out = []
    for y0, n in zip(np.asarray(years, int), np.asarray(span_yr, int)):
        ys = np.arange(y0, y0 + n) - base_year
        out.append(float(np.sum((1.0 + rate) ** (-ys.astype(float)))))
    return np.array(out)


BUILD_LIMIT_COLUMNS = {
    "name": "label of the limit",
    "frame": "generators or storage (storage: discharge power)",
    "technologies": "technologies the limit covers, joined by '+'",
    "regions": "regions the limit covers, joined by '+'",
    "max_mw_per_yr": "largest new capacity built per year of the period's build interval [MW/yr]",
    "status": "where the rate comes from: found / estimate (its input row) or 'scenario lever: <key>' (optional)",
}
RE100_LOAD_COLUMNS = {
    "name": "load name",
    "region": "honam region where the load sits",
    "matching": "hourly (met every hour by Honam renewable supply) or annual (counted in the volumetric target only)",
}
@dataclass
class Adequacy:
    """The adequacy rule (`re300.model.adequacy`): firm capacity in Honam covers its peak demand plus a reserve margin
    in every investment period.

    reserve_margin: required reserve above the peak [fraction] (Korea's basic plans: 0.22);
    peak_demand_mw: coincident peak of Honam demand in each period [MW] (from the full hourly year, not the
    aggregated snapshots);
    storage_hours: storage counts its full credit only when its energy lasts this long at full credited power [h].
    """

    reserve_margin: float
    peak_demand_mw: np.ndarray
    storage_hours: float = 4.0


# capacity kind -> the ModelData frame of its assets (re300.model.names)
BUILD_FAMILIES = {k.family: k.frame for k in CAPACITY_KINDS}


@dataclass
class ModelData:
    """All numbers of one LP instance.

    regions: all nodes; region_kind: 'honam' or 'export' per region (export nodes absorb what arrives).
    time: snapshot labels (KST, hour-beginning); weight_h: hours of the year each snapshot stands for;
    duration_h: length of the snapshot [h]; block: id of the contiguous block a snapshot belongs to
    (storage state of charge is cyclic within each block).
    demand_mw: time x region (export regions 0), including the RE100 loads below.
    generators: one row per (technology, region), columns GENERATOR_COLUMNS;
    availability: generators x time, the capacity factor (1.0 for dispatchable supply) [fraction].
    storage: one row per (technology, region), columns STORAGE_COLUMNS.
    links: one row per link, columns LINK_COLUMNS.
    carbon_price_krw_per_t, value_of_lost_load_krw_per_mwh: prices applied in the objective.
    typical_day_order: for representative periods, the block (typical day) standing for each calendar day in
    calendar order; storage with `linked_across_days` links its state of charge along this sequence (cyclically within
    each investment period). None otherwise.

    Pathway runs (all None for a single year, which is the one-period special case):
    pathway: the investment periods (`Pathway`); snapshot_period: index of the period of each snapshot.
    period_data: {frame: {column: (rows x periods) array}} for the PERIOD_COLUMNS that vary by period (existing
    capacity after retirements, the limit on new capacity in service, costs of the period); missing entries
    repeat the frame's column. In a pathway `max_new_mw[i, p]` bounds the new capacity *in service* in period p,
    and capacity may be built in period p only where it is > 0.
    build_rate_limits: rows BUILD_LIMIT_COLUMNS.
    re100_loads: rows RE100_LOAD_COLUMNS; re100_load_mw: loads x time [MW] (already part of demand_mw).
    fixed_builds: {family of BUILD_FAMILIES: (rows x periods) new capacity built in each period, NaN = free}
    [MW or MWh] (myopic runs fix their hand-over this way).
    committed_builds: {family of BUILD_FAMILIES: (rows x periods) the least new capacity [MW or MWh]}: committed
    projects (`re300.model.investment.add_builds`). A single year: new capacity built >= it; a pathway: new capacity
    in service in period p >= [i, p]. 0 = no commitment.

    Export regions (`re300.model.exports`): export_headroom_mw: time x export region, the most an export region can
    take in each snapshot [MW] (its demand minus the output it cannot turn down); a missing column or NaN = no limit.
    export_value_krw_per_mwh: {export region: value of the generation each MWh it takes displaces [KRW/MWh]},
    credited in the objective. adequacy: the firm-capacity rule (`Adequacy`), None = no rule.
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
    typical_day_order: np.ndarray | None = None
    pathway: Pathway | None = None
    snapshot_period: np.ndarray | None = None
    period_data: dict = field(default_factory=dict)
    build_rate_limits: pd.DataFrame | None = None
    re100_loads: pd.DataFrame | None = None
    re100_load_mw: np.ndarray | None = None
    fixed_builds: dict | None = None
    committed_builds: dict | None = None
    export_headroom_mw: pd.DataFrame | None = None
    export_value_krw_per_mwh: dict | None = None
    adequacy: Adequacy | None = None

    def __post_init__(self):
        self.fill_optional_columns()

    def fill_optional_columns(self) -> None:
        """Add the OPTIONAL_COLUMNS a hand-built frame lacks, and fill their blanks, with the defaults (also run by
        `check`)."""
        for frame, defaults in OPTIONAL_COLUMNS.items():
            df = getattr(self, frame)
            todo = {c: v for c, v in defaults.items()
                    if c not in df.columns or (not (isinstance(v, float) and np.isnan(v)) and df[c].isna().any())}
            if todo:
                df = df.copy()
                for c, v in todo.items():
                    df[c] = v if c not in df.columns else df[c].astype(object).where(df[c].notna(), v).astype(type(v))
                setattr(self, frame, df)

    @property
    def honam_regions(self) -> list[str]:
        return [r for r in self.regions if self.region_kind[r] == "honam"]

    @property
    def n_time(self) -> int:
        return len(self.time)

    @property
    def n_periods(self) -> int:
        return 1 if self.pathway is None else self.pathway.n

    @property
    def period_years(self) -> list:
        """Year of each period ([None] for a single-year run)."""
        return [None] if self.pathway is None else [int(y) for y in self.pathway.years]

    @property
    def period_of_snapshot(self) -> np.ndarray:
        """Index of the investment period of each snapshot (zeros for a single-year run)."""
        if self.snapshot_period is None:
            return np.zeros(self.n_time, dtype=np.int64)
        return np.asarray(self.snapshot_period, dtype=np.int64)

    @property
    def objective_weight(self) -> np.ndarray:
        """W_p per period (1 for a single-year run): multiplies the period's annual costs in the objective."""
        return np.ones(1) if self.pathway is None else np.asarray(self.pathway.objective_weight, float)

    def column(self, frame: str, col: str) -> np.ndarray:
        """(rows x periods) values of a frame column: `period_data` if given there, else the column repeated."""
        arr = (self.period_data.get(frame) or {}).get(col)
        if arr is not None:
            return np.asarray(arr, dtype=float)
        df = getattr(self, frame)
        return np.repeat(df[col].to_numpy(float)[:, None], self.n_periods, axis=1)

    def annual_consumption_mwh(self) -> float:
        """Weighted annual consumption of the honam regions [MWh] (single-year runs; see `period_consumption_mwh`)."""
        d = self.demand_mw[self.honam_regions].to_numpy().sum(axis=1)
        return float(np.dot(d, self.weight_h))

    def period_consumption_mwh(self) -> np.ndarray:
        """Weighted annual consumption of the honam regions in each period [MWh/yr]."""
        d = self.demand_mw[self.honam_regions].to_numpy().sum(axis=1) * np.asarray(self.weight_h, float)
        return np.bincount(self.period_of_snapshot, weights=d, minlength=self.n_periods)

    def check(self) -> None:
        """Shape and sign checks; raises ValueError naming the offending field."""
        self.fill_optional_columns()
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
        if self.typical_day_order is not None:
            po = np.asarray(self.typical_day_order)
            blocks = set(np.unique(self.block).tolist())
            if po.ndim != 1 or not set(np.unique(po).tolist()) <= blocks:
                raise ValueError("ModelData.typical_day_order must be a 1-d array of block ids")
        if np.any(~np.isfinite(self.availability)) or self.availability.min(initial=0) < 0 or self.availability.max(initial=0) > 1:
            raise ValueError("ModelData.availability must be finite and within [0, 1]")
        P = self.n_periods
        sp = self.period_of_snapshot
        if sp.shape != (T,) or (T and (sp.min() < 0 or sp.max() >= P)):
            raise ValueError(f"ModelData.snapshot_period must hold one period index in 0..{P - 1} per snapshot")
        if T and np.any(np.diff(sp) < 0):
            raise ValueError("ModelData.snapshot_period must be non-decreasing (the snapshots of a period are contiguous)")
        blk = np.asarray(self.block)
        if T and len(np.unique(np.c_[blk, sp], axis=0)) != len(np.unique(blk)):
            raise ValueError("ModelData.block: a block must not span two investment periods")
        for frame, cols in self.period_data.items():
            n = len(getattr(self, frame))
            for col, arr in cols.items():
                if col not in PERIOD_COLUMNS.get(frame, ()):
                    raise ValueError(f"ModelData.period_data[{frame!r}] has {col!r}, which does not vary by period")
                if np.shape(arr) != (n, P):
                    raise ValueError(f"ModelData.period_data[{frame!r}][{col!r}] has shape {np.shape(arr)}, expected ({n}, {P})")
        if self.re100_loads is not None and len(self.re100_loads):
            L = len(self.re100_loads)
            if self.re100_load_mw is None or np.shape(self.re100_load_mw) != (L, T):
                raise ValueError(f"ModelData.re100_load_mw must have shape ({L}, {T})")
            bad = set(self.re100_loads["region"]) - set(self.honam_regions)
            if bad:
                raise ValueError(f"ModelData.re100_loads names regions that are not honam: {sorted(bad)}")
        export = [r for r in self.regions if self.region_kind[r] == "export"]
        if self.export_headroom_mw is not None:
            h = self.export_headroom_mw
            if h.shape[0] != T or not set(h.columns) <= set(export):
                raise ValueError(f"ModelData.export_headroom_mw must have {T} rows and export-region columns ({export})")
            if (np.nan_to_num(h.to_numpy(float), nan=0.0) < 0).any():
                raise ValueError("ModelData.export_headroom_mw must be >= 0 (NaN = no limit)")
        if self.adequacy is not None:
            if np.shape(self.adequacy.peak_demand_mw) != (P,):
                raise ValueError(f"ModelData.adequacy.peak_demand_mw must hold one value per period ({P})")
            if self.adequacy.reserve_margin < 0 or self.adequacy.storage_hours <= 0:
                raise ValueError("ModelData.adequacy: reserve_margin must be >= 0 and storage_hours > 0")
        for field_name in ("fixed_builds", "committed_builds"):
            for fam, arr in (getattr(self, field_name) or {}).items():
                if fam not in BUILD_FAMILIES:
                    raise ValueError(f"ModelData.{field_name} has unknown family {fam!r}")
                n = len(getattr(self, BUILD_FAMILIES[fam]))
                if np.shape(arr) != (n, P):
                    raise ValueError(f"ModelData.{field_name}[{fam!r}] has shape {np.shape(arr)}, expected ({n}, {P})")
        for fam, arr in (self.committed_builds or {}).items():
            if np.any(~np.isfinite(np.asarray(arr, float))) or np.min(arr, initial=0.0) < 0:
                raise ValueError(f"ModelData.committed_builds[{fam!r}] must be finite and >= 0")
