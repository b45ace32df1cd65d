"""The scenario schema: every section of a scenario file as a frozen pydantic model, and `Scenario` itself.

    sc.year, sc.targets.renewable_share, sc.time.weeks, sc.time.week_weights(), sc.solver.options

Reading a file (`extends`, path resolution) is `re300.config.loading`; turning a validation error into one line is
`re300.config.messages`; names checked against the input tables is `re300.config.names`.

Length (about 530 lines): one frozen model per scenario section, each with its field docs; splitting the sections
across files would scatter the one place a user reads to learn the scenario keys.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from re300.config.origins import lookup_origin

__all__ = [
    "HOURS_PER_YEAR",
    "HOURS_PER_WEEK",
    "N_WEEKS",
    "Scenario",
    "Demand",
    "Targets",
    "Prices",
    "Technologies",
    "Links",
    "Time",
    "Weather",
    "WeatherFile",
    "Solver",
    "Pathway",
    "PeriodTarget",
    "Re100Load",
]

HOURS_PER_YEAR = 8760
HOURS_PER_WEEK = 168
N_WEEKS = HOURS_PER_YEAR // HOURS_PER_WEEK  # 52 whole weeks (hours 8736..8759 belong to no week)
WEIGHT_TOLERANCE = 1e-6  # relative tolerance on sum(weights) x 168 == 8760

PosFloat = Annotated[float, Field(gt=0)]
NonNegFloat = Annotated[float, Field(ge=0)]
Year = Annotated[int, Field(ge=1900, le=2100)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Demand(_Section):
    """Annual demand: base-year table values x growth_factor (x region_factors[region] if given), spread over the
    hours by `shape`: 'measured' (default) = the KPX hourly national demand of the weather year (inputs/measured/),
    so weekdays, holidays and heat or cold spells fall on the same days as the weather; 'sectors' = the estimated
    sector shapes of inputs/demand_shapes.csv (any year)."""

    base_year: Year = 2021
    growth_factor: PosFloat = 1.0
    region_factors: dict[str, PosFloat] = Field(default_factory=dict)
    shape: Literal["measured", "sectors"] = "measured"

    def factor(self, region: str) -> float:
        """Total multiplier applied to the base-year demand of `region`."""
        return self.growth_factor * self.region_factors.get(region, 1.0)


class Targets(_Section):
    """RE targets; shares multiply the annual consumption of the honam regions (None = no target)."""

    renewable_share: NonNegFloat | None = 3.0
    export_share: NonNegFloat | None = 2.0
    deduct_storage_losses: bool = True
    deduct_transmission_losses: bool = False
    allow_shortfall: bool = True
    shortfall_penalty_krw_per_mwh: PosFloat = 5_000_000.0


class Prices(_Section):
    """Overrides of inputs/constants.csv (None = take the table value)."""

    discount_rate: Annotated[float, Field(ge=0, lt=1)] | None = None
    carbon_price_krw_per_t: NonNegFloat | None = None
    value_of_lost_load_krw_per_mwh: PosFloat | None = None
    # price of non-renewable energy bought rather than built (dispatchable non-renewable technologies without capex:
    # Honam's thermal fleet, the national grid); new gas turbines keep their fuel price
    nonrenewable_price_krw_per_mwh: NonNegFloat | None = None


class Technologies(_Section):
    """Technology switches; names are checked against inputs/technologies.csv by `validate_names`."""

    exclude: list[str] = Field(default_factory=list)
    no_expansion: list[str] = Field(default_factory=list)
    capex_factor: dict[str, PosFloat] = Field(default_factory=dict)
    potential_factor: dict[str, PosFloat] = Field(default_factory=dict)


class Links(_Section):
    """Link switches; names are checked against inputs/links.csv by `validate_names`."""

    no_expansion: list[str] = Field(default_factory=list)
    max_new_mw: dict[str, NonNegFloat] = Field(default_factory=dict)
    capex_factor: dict[str, PosFloat] = Field(default_factory=dict)


class Exports(_Section):
    """How exports leave Honam (issue 14; re300.model.exports): what the export regions can take and what counts.

    absorption: `limited` = an export region takes at most its demand minus the output it cannot turn down, hour by
    hour (inputs/export_regions.csv); `unlimited` = it takes anything (the earlier model, kept to show the difference).
    value_displaced_generation: credit what the export region takes at the fuel and carbon cost of the generation it
    displaces. renewable_only: non-renewable energy entering Honam serves only Honam's load, so exports are renewable.
    hydrogen_sales_count: the electricity that made hydrogen sold to industry counts towards the export commitment
    (the 2021 study's surplus "to the capital region, other regions or abroad"); false = only electricity counts.
    demand_growth: the export regions' demand relative to their base year (inputs/export_regions.csv).
    """

    absorption: Literal["limited", "unlimited"] = "limited"
    value_displaced_generation: bool = True
    renewable_only: bool = True
    hydrogen_sales_count: bool = True
    demand_growth: PosFloat = 1.0


class Adequacy(_Section):
    """Firm capacity covers Honam's peak demand plus a reserve margin (re300.model.adequacy). null values are taken
    from inputs/constants.csv (`reserve_margin` 22 % of the basic plans, `adequacy_storage_hours`)."""

    enabled: bool = True
    reserve_margin: Annotated[float, Field(ge=0, le=1)] | None = None
    storage_hours: PosFloat | None = None


class Time(_Section):
    """Time horizon.

    mode 'full': all 8760 h, weight 1 each. mode 'weeks': the 168-h blocks `weeks` (0-based, block k = hours
    168k .. 168k+167 from 1 Jan 00:00 KST), each hour standing for `weights[i]` hours of the year
    (default: equal weights 8760 / (168 x n)). Storage is cyclic within each block.
    mode 'representative': `typical_days` days chosen by tsam from the full year (plus, with `extremes`, the
    day of peak Honam demand and the day of least wind as days of their own, each standing for that one day),
    optionally with the hours of a day merged into `segments` (each the mean of its hours); each snapshot weighs
    the days its typical day stands for. Storage state of charge is linked across the chronological sequence of
    days (Kotzur et al. 2018), except for the technologies in `storage_within_day`, which cycle within each
    typical day.
    """

    mode: Literal["full", "weeks", "representative"] = "weeks"
    weeks: list[int] = Field(default_factory=lambda: [2, 11, 20, 28, 37, 46])
    weights: list[PosFloat] | None = None
    typical_days: Annotated[int, Field(ge=1, le=365)] = 16
    segments: Annotated[int, Field(ge=1, le=24)] | None = None
    # modes 'full' and 'weeks': average every `resolution_hours` hours into one snapshot (a divisor of 24)
    resolution_hours: Literal[1, 2, 3, 4, 6, 8, 12, 24] = 1
    extremes: bool = True
    storage_within_day: list[str] = Field(default_factory=list)

    @field_validator("weeks")
    @classmethod
    def _check_weeks(cls, weeks: list[int], info):
        for i, w in enumerate(weeks):
            if not 0 <= w < N_WEEKS:
                raise ValueError(
                    f"week index {w} (entry {i}) is out of range; expected 0..{N_WEEKS - 1} "
                    f"(0-based 168-h blocks from 1 Jan 00:00)"
                )
        dup = sorted({w for w in weeks if weeks.count(w) > 1})
        if dup:
            raise ValueError(f"week indices repeated: {dup}; expected each week at most once")
        if info.data.get("mode") == "weeks" and not weeks:
            raise ValueError("empty list; expected at least one week index when mode is 'weeks'")
        return weeks

    @field_validator("weights")
    @classmethod
    def _check_weights(cls, weights: list[float] | None, info):
        if weights is None:
            return None
        weeks = info.data.get("weeks")
        if weeks is None:  # weeks itself was invalid; that error is reported
            return weights
        if len(weights) != len(weeks):
            raise ValueError(
                f"{len(weights)} weights given for {len(weeks)} weeks; expected one weight per week"
            )
        total = sum(weights) * HOURS_PER_WEEK
        if abs(total - HOURS_PER_YEAR) > WEIGHT_TOLERANCE * HOURS_PER_YEAR:
            raise ValueError(
                f"weights sum to {sum(weights):.9g}, so the weeks stand for {total:.9g} h; expected "
                f"sum(weights) x {HOURS_PER_WEEK} = {HOURS_PER_YEAR} (e.g. equal weights "
                f"{HOURS_PER_YEAR / (HOURS_PER_WEEK * len(weeks)):.9g})"
            )
        return weights

    @property
    def n_hours(self) -> int:
        """Number of modelled snapshots (for 'representative': without the extreme days tsam may add)."""
        if self.mode == "representative":
            return self.typical_days * (self.segments or 24)
        return HOURS_PER_YEAR if self.mode == "full" else HOURS_PER_WEEK * len(self.weeks)

    def week_weights(self) -> list[float]:
        """Weight of each selected week's hours [h of year per modelled h] (mode 'weeks'); [] for 'full'."""
        if self.mode == "full":
            return []
        if self.weights is not None:
            return list(self.weights)
        return [HOURS_PER_YEAR / (HOURS_PER_WEEK * len(self.weeks))] * len(self.weeks)

    def hours_of_year(self) -> np.ndarray:
        """0-based hour-of-year index (0..8759) of every snapshot, in model order."""
        if self.mode == "full":
            return np.arange(HOURS_PER_YEAR)
        return np.concatenate([np.arange(HOURS_PER_WEEK) + HOURS_PER_WEEK * w for w in self.weeks])

    def hour_weights(self) -> np.ndarray:
        """Hours of the year each snapshot stands for (sums to 8760)."""
        if self.mode == "full":
            return np.ones(HOURS_PER_YEAR)
        return np.repeat(np.asarray(self.week_weights(), dtype=float), HOURS_PER_WEEK)

    def blocks(self) -> np.ndarray:
        """Block id per snapshot: 0 for the whole year ('full'), i for the i-th selected week ('weeks')."""
        if self.mode == "full":
            return np.zeros(HOURS_PER_YEAR, dtype=int)
        return np.repeat(np.arange(len(self.weeks)), HOURS_PER_WEEK)


WeatherYear = Annotated[int, Field(ge=1940, le=2100)]
#: planning year j of a multi-year plan uses seed + PLANNING_SEED_OFFSET + j (stress years use seed + 1 .. seed + N)
PLANNING_SEED_OFFSET = 1000


class WeatherFile(_Section):
    """One site's weather read from a file (formats and checks: re300/weather/readers.py).

    `path` is relative to the scenario file that sets it. `timezone` (csv only; the other formats state their own)
    and `wind_height_m` (m above ground; overrides the format's default) are optional.
    """

    path: Path
    format: Literal["epw", "pvgis", "psm3", "csv", "era5"]
    timezone: Annotated[str, Field(min_length=1)] | None = None
    wind_height_m: Annotated[float, Field(gt=0, le=300)] | None = None

    @model_validator(mode="after")
    def _timezone_only_for_csv(self):
        if self.timezone is not None and self.format != "csv":
            raise ValueError(f"timezone is only read for format csv; {self.format} files state their own time zone "
                             f"(got timezone {self.timezone!r}); expected no timezone key")
        return self


class Weather(_Section):
    """Weather behind the capacity factors (see re300.weather).

    `source: embedded`: every site uses the seeded synthetic weather of `year`. `source: measured`: the sites mapped
    in inputs/measured/site_stations.csv use the KMA station observations of `year` (a year with a KMA file in
    inputs/measured/, 2025), offshore wind stays synthetic with its daily anomaly driven by a coastal station, and
    `seed` seeds what stays synthetic. `files` names a weather file for a site (site names from inputs/sites.csv) and
    overrides both. The model solves `year`; `re300 profiles --report` covers `years` (default: `year` and the four
    years before it) to show inter-annual variability, synthetic for every year but a measured `year`.
    """

    source: Literal["embedded", "measured"] = "embedded"
    year: WeatherYear = 2025   # the calendar of the measured demand shape (KPX 2024 and 2025 are in inputs/measured/)
    seed: Annotated[int, Field(ge=0)] = 20210531
    years: list[WeatherYear] | None = None
    files: dict[str, WeatherFile] = Field(default_factory=dict)
    # typical: the year at its calibration targets (monthly GHI, mean wind); sampled: a year with its own anomalies of
    # monthly GHI and annual mean wind (re300.weather.synth), as the stress test's years
    variability: Literal["typical", "sampled"] = "typical"
    # multi-year planning: capacities chosen against this many sampled years at once (seeds seed + 1001 ..
    # seed + 1000 + planning_years; the stress test's years are seed + 1 .. seed + N, so they never overlap), their
    # typical days drawn from all of them (time.mode representative); null = the one year `year`
    planning_years: Annotated[int, Field(ge=2, le=50)] | None = None

    @model_validator(mode="after")
    def _planning_years_need_synthetic_weather(self):
        if self.planning_years is not None and (self.source != "embedded" or self.files):
            raise ValueError(f"planning_years = {self.planning_years} draws synthetic years; expected source: embedded "
                             "and no weather files (a measured or file year exists only once)")
        return self

    def planning_seeds(self) -> list[int]:
        """Seeds of the planning years (multi-year planning), or [] for one year."""
        return [self.seed + PLANNING_SEED_OFFSET + j for j in range(1, (self.planning_years or 0) + 1)]

    @field_validator("years")
    @classmethod
    def _check_years(cls, years: list[int] | None):
        if years is None:
            return None
        if not years:
            raise ValueError("empty list; expected at least one weather year, e.g. [2019, 2020, 2021, 2022, 2023]")
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise ValueError(f"years repeated: {dup}; expected each weather year once")
        return years

    def report_years(self) -> list[int]:
        """Weather years of the profile report: `years` plus `year` (sorted), default `year` - 4 .. `year`."""
        if self.years is None:
            return list(range(self.year - 4, self.year + 1))
        return sorted(set(self.years) | {self.year})


class Solver(_Section):
    """HiGHS settings; `options` are passed to HiGHS verbatim (name -> scalar)."""

    # ipm = HiGHS's default interior point (IPX); hipo = HiPO (needs highspy-extras); see README "Speed"
    method: Literal["choose", "simplex", "ipm", "ipx", "hipo", "pdlp", "cupdlpx"] = "ipm"
    crossover: bool = True
    # formulation lever for interior point: copy capacity columns and sum target rows per `split_hours` snapshots
    # (re300.model.builder.build_model); null = off. The optimum is unchanged.
    split_hours: Annotated[int, Field(ge=1)] | None = None
    time_limit_s: PosFloat = 3600.0
    threads: Annotated[int, Field(ge=1)] | None = None
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("options")
    @classmethod
    def _check_options(cls, options: dict[str, Any]):
        for k, v in options.items():
            if not isinstance(v, (str, int, float, bool)):
                raise ValueError(
                    f"HiGHS option '{k}' has value {v!r}; expected a single number, text or true/false"
                )
        return options


class PeriodTarget(_Section):
    """The targets of one investment period (None = no target in that period)."""

    renewable_share: NonNegFloat | None = None
    export_share: NonNegFloat | None = None


class Pathway(_Section):
    """Multi-period investment (re300.model.investment): `periods` are the first years of the investment periods.

    Every period repeats the scenario's snapshots with its own demand, costs (inputs/technology_parameters.csv
    interpolated to the period's year), existing capacity (inputs/existing_vintages.csv retirements) and targets.
    Costs are discounted to `base_year` at the scenario's discount rate; the last period stands for
    `final_period_years`. `foresight: myopic` solves the periods one after another (brownfield hand-over).
    Demand: `demand_growth` {year: factor} (linear between the years given, constant outside) or
    `demand_growth_rate_per_yr` ((1 + rate)^(year − demand.base_year)), on top of the `demand` section's factors.
    `targets`: {period year: {renewable_share, export_share}}; periods not listed have no target (the `targets`
    section still sets the accounting switches and the shortfall penalty).
    """

    periods: list[Year]
    base_year: Year = 2025
    final_period_years: Annotated[int, Field(ge=1, le=50)] = 5
    foresight: Literal["perfect", "myopic"] = "perfect"
    demand_growth: dict[Year, PosFloat] | None = None
    demand_growth_rate_per_yr: Annotated[float, Field(gt=-0.5, lt=0.5)] | None = None
    targets: dict[Year, PeriodTarget] = Field(default_factory=dict)
    retire_existing: bool = True
    build_limits: bool = True
    build_rate_factor: dict[str, PosFloat] = Field(default_factory=dict)
    availability_years: bool = True

    @field_validator("periods")
    @classmethod
    def _check_periods(cls, periods: list[int]):
        if not periods:
            raise ValueError("empty list; expected the first years of the investment periods, e.g. [2030, 2034, 2040, 2045, 2050]")
        if any(b <= a for a, b in zip(periods, periods[1:])):
            raise ValueError(f"periods {periods} are not strictly increasing; expected e.g. [2030, 2034, 2040, 2045, 2050]")
        return periods

    @model_validator(mode="after")
    def _check_consistency(self):
        if self.base_year >= self.periods[0]:
            raise ValueError(f"base_year {self.base_year} must come before the first period {self.periods[0]} "
                             "(existing capacity is counted in the base year and the first period's builds happen after it)")
        if self.demand_growth is not None and self.demand_growth_rate_per_yr is not None:
            raise ValueError("both demand_growth and demand_growth_rate_per_yr are set; expected at most one of them")
        unknown = sorted(set(self.targets) - set(self.periods))
        if unknown:
            raise ValueError(f"targets for year(s) {unknown} that are not periods; expected keys among {self.periods}")
        if not any(t.renewable_share is not None or t.export_share is not None for t in self.targets.values()):
            raise ValueError("no period target given; expected e.g. {2034: {renewable_share: 1.0}, "
                             "2050: {renewable_share: 3.0, export_share: 2.0}}")
        return self

    def growth(self, year: int, base_year: int) -> float:
        """Demand multiplier of `year` relative to the demand table's base year."""
        if self.demand_growth_rate_per_yr is not None:
            return float((1.0 + self.demand_growth_rate_per_yr) ** (year - base_year))
        if not self.demand_growth:
            return 1.0
        ys = sorted(self.demand_growth)
        return float(np.interp(year, ys, [self.demand_growth[y] for y in ys]))


class Re100Load(_Section):
    """A load that wants renewable supply (re300.model.re100): an RE100 industrial complex, a data centre.

    `mw` is its average power; `daily_profile` (24 relative values, hour-beginning KST, scaled to mean 1) shapes it
    (default flat). It draws power from `from_year` on (default: always). `matching: hourly` = met every hour by
    Honam renewable supply; `annual` = counted only in the volumetric target. `source` says where the figure
    comes from.
    """

    name: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    region: str
    mw: PosFloat
    daily_profile: list[NonNegFloat] | None = None
    from_year: Year | None = None
    matching: Literal["hourly", "annual"] = "hourly"
    source: str = ""

    @field_validator("daily_profile")
    @classmethod
    def _check_profile(cls, profile):
        if profile is None:
            return None
        if len(profile) != 24:
            raise ValueError(f"{len(profile)} values; expected 24 (one per hour, 00-23 KST)")
        if sum(profile) <= 0:
            raise ValueError("all values are zero; expected a relative shape with at least one positive value")
        return profile

    def profile(self) -> np.ndarray:
        """24 hourly factors with mean 1."""
        if self.daily_profile is None:
            return np.ones(24)
        p = np.asarray(self.daily_profile, float)
        return p / p.mean()


class Scenario(_Section):
    """A validated scenario. Sections are attributes: `sc.targets.export_share`, `sc.time.weeks`, ...

    `inputs_dir` and `output_dir` are absolute; `cost_year` is always set (defaults to `year`).
    `source_file` is the requested file, `source_files` the extends chain (requested file first).
    """

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    description: str = ""
    inputs_dir: Path
    output_dir: Path
    year: Year = 2050
    cost_year: Year | None = None
    demand: Demand = Field(default_factory=Demand)
    targets: Targets = Field(default_factory=Targets)
    exports: Exports = Field(default_factory=Exports)
    adequacy: Adequacy = Field(default_factory=Adequacy)
    prices: Prices = Field(default_factory=Prices)
    technologies: Technologies = Field(default_factory=Technologies)
    links: Links = Field(default_factory=Links)
    time: Time = Field(default_factory=Time)
    weather: Weather = Field(default_factory=Weather)
    solver: Solver = Field(default_factory=Solver)
    pathway: Pathway | None = None
    re100_loads: list[Re100Load] = Field(default_factory=list)
    # input cases: {driver of inputs/ranges.csv: low | central | high} (re300.inputs.ranges)
    input_cases: dict[str, Literal["low", "central", "high"]] = Field(default_factory=dict)
    # committed projects: {'technology|region' or link: MW} = new capacity that must be built (single year), or
    # {'technology|region' or link: {year: MW}} = new capacity that must be in service from each year (pathway)
    committed: dict[str, NonNegFloat | dict[Year, NonNegFloat]] = Field(default_factory=dict)

    @field_validator("re100_loads")
    @classmethod
    def _check_re100_names(cls, loads: list[Re100Load]):
        names = [l.name for l in loads]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"RE100 load names repeated: {dup}; expected each name once")
        return loads

    @model_validator(mode="after")
    def _committed_fits_the_run(self):
        for key, value in self.committed.items():
            if isinstance(value, dict) and self.pathway is not None:
                unknown = sorted(set(value) - set(self.pathway.periods))
                if unknown:
                    raise ValueError(f"committed {key}: year(s) {unknown} are not pathway periods; expected years "
                                     f"among {self.pathway.periods}")
            elif isinstance(value, dict):
                raise ValueError(f"committed {key}: a schedule {{year: MW}} needs a pathway section; a single-year run "
                                 "takes the MW to build, e.g. {offshore_wind|jeonnam: 8104}")
        return self

    @model_validator(mode="after")
    def _hourly_matching_needs_hours(self):
        hourly = [l.name for l in self.re100_loads if l.matching == "hourly"]
        if hourly and self.time.mode == "representative" and self.time.segments is not None:
            raise ValueError(f"RE100 loads {hourly} are matched hourly, but time.segments = {self.time.segments} merges "
                             "the hours of each typical day; expected time: {segments: null} (or matching: annual)")
        return self

    @model_validator(mode="after")
    def _planning_years_on_typical_days(self):
        n = self.weather.planning_years
        if n is not None and self.time.mode != "representative":
            raise ValueError(f"weather.planning_years = {n} draws typical days from {n} years; expected time.mode "
                             f"representative (got {self.time.mode!r})")
        if n is not None and self.pathway is not None:
            raise ValueError(f"weather.planning_years = {n} is for single-year plans; expected no pathway section")
        return self

    _source_files: tuple[Path, ...] = PrivateAttr(default=())
    _origin: dict = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        if self.cost_year is None:
            object.__setattr__(self, "cost_year", self.year)

    @property
    def source_file(self) -> Path | None:
        return self._source_files[0] if self._source_files else None

    @property
    def source_files(self) -> list[Path]:
        return list(self._source_files)

    @property
    def run_dir(self) -> Path:
        """Where a run writes: <output_dir>/<name>."""
        return self.output_dir / self.name

    def origin(self, *key: str | int) -> Path | None:
        """File that set `key` (e.g. origin('time', 'weeks')), following extends; None if a default."""
        return lookup_origin(self._origin, key)

    def resolved_dict(self) -> dict:
        """The fully merged and defaulted scenario as plain JSON-able data (paths as strings)."""
        return self.model_dump(mode="json")
