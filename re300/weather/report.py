"""Validation report of the weather and capacity-factor profiles against Korean statistics.

    write_report(scenario, output_dir=None, cache_dir=None) -> Path      # <output_dir>/profiles/

writes, atomically (``re300.atomic.atomic_output_dir``):

- ``validation.csv``: one row per check of ``inputs/profile_checks.csv`` -- quantity, place, period, weather_years,
  value, low, high, unit, within_band, note (why a value lies outside its band), reference, source, status.
- ``monthly.csv``: the monthly numbers behind the figures (quantity, place, year, month, value, unit).
- ``report.json``: scenario, weather years, seed, weather files with their sha256, code version, counts.
- PNG figures: ``ghi_monthly.png``, ``cf_monthly.png``, ``cf_annual.png``, ``diurnal_by_season.png``,
  ``correlation.png``, ``interannual_wind.png``.
- measured vs synthetic, side by side, for the measured year (the scenario's weather year if inputs/measured/ has it,
  else the latest measured year), same seed: ``measured_vs_synthetic.csv`` (annual and monthly GHI per station,
  annual and monthly capacity factor per pair, mean temperature and wind at the sites' reference heights; the
  published reference where there is one), ``measured_sites.csv`` (site, quantity, station, distance),
  ``measured_fills.csv`` (the hours each filling rule filled) and ``measured_vs_synthetic.png``.
- tables the caller passes (``extras``): the command line adds the demand statistics and checks of
  ``re300.inputs.demand_checks`` (``demand_statistics.csv``, ``demand_checks.csv``).
- ``dynamics.csv``: the generator's dynamics (persistence, distributions by season, diurnal and seasonal shape,
  cross-site correlation of levels and changes, wind persistence and winter maximum) on the measured year against
  the ENSEMBLE_YEARS sampled years, each with its band (``re300.weather.dynamics``); ``fleet.csv``: the hourly ramps
  of each pair's main site and of its fleet (``re300.weather.ensemble``).

The checks (``inputs/profile_checks.csv``: check, place, period, reference, low, high, unit, source, status,
explanation) name a computation below (CHECK_KINDS); the table holds every band with its source, the code holds none.
Values are for the scenario's weather year, except ``monthly_cf`` (the mean of that month over the report's years)
and ``interannual_cf_sd`` (across the 20 sampled years of ``re300.weather.ensemble``, the stress test's
years; across the report's years when a site reads a weather file). With ``weather.source: measured`` the weather year is measured and the
other report years are synthetic.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import check_provenance, number, read_records, required_cell
from re300.errors import InputError, Re300Error

from . import api, dynamics, ensemble, measured
from .report_figures import (
    CHECKS_FILE,
    FIGURES,
    MEASURED_FIGURE,
    MONTHS,
    SEASONS,
    measured_figure,
    monthly_sum_kwh,
    pair_of,
    profile_figures,
)
from .tables import WeatherTables, load_weather_tables

#: check kind -> (unit, place kind, period kind, quantity text)
CHECK_KINDS = {
    "annual_ghi": ("kWh/m2/yr", "site", None, "annual GHI"),
    "monthly_ghi": ("kWh/m2", "site", "month", "monthly GHI"),
    "monthly_clearness": ("1", "site", "month", "monthly clearness index (GHI / extraterrestrial horizontal)"),
    "annual_temperature": ("degC", "site", None, "annual mean air temperature"),
    "monthly_temperature": ("degC", "site", "month", "monthly mean air temperature"),
    "mean_wind_speed": ("m/s", "site", None, "mean wind speed at the site's reference height"),
    "annual_cf": ("%", "pair", None, "annual capacity factor"),
    "monthly_cf": ("%", "pair", "month", "monthly capacity factor, mean of the weather years"),
    "winter_summer_cf_ratio": ("1", "pair", None, "capacity factor Dec-Feb / Jun-Aug"),
    "peak_month_cf": ("month", "pair", None, "month of the highest capacity factor"),
    "peak_hour_cf": ("h", "pair", "season", "hour (KST, hour beginning) of the highest mean capacity factor"),
    "daily_clearness_correlation": ("1", "site_pair", None, "correlation of the daily clear-sky index"),
    "hourly_cf_correlation": ("1", "pair_pair", None, "correlation of hourly capacity factors"),
    "interannual_cf_sd": ("% of mean", "pair", None, "inter-annual standard deviation of the annual capacity factor"),
}
COMPARISON_COLUMNS = ("quantity", "place", "period", "year", "measured", "synthetic", "unit", "difference_pct",
                      "reference", "reference_source")
OUTPUT_COLUMNS = ("quantity", "place", "period", "weather_years", "value", "low", "high", "unit", "within_band", "note",
                  "reference", "source", "status")


@dataclass
class CheckDef:
    check: str
    place: str
    period: str
    reference: float
    low: float
    high: float
    unit: str
    source: str
    status: str
    explanation: str


@dataclass
class ProfileData:
    """Everything the checks and figures need, computed once."""

    tables: WeatherTables
    year: int
    years: list[int]
    seed: int
    files: dict
    wx: object                       # SiteWeather of the scenario year (all sites)
    cf: dict[int, pd.DataFrame]      # year -> hourly CF of every mapped pair
    source: str = "embedded"
    comparison: object = None        # MeasuredComparison of the measured year, when inputs/measured/ has one
    ensemble: dict = field(default_factory=dict)   # seed -> hourly CF of the sampled years (re300.weather.ensemble)

    @property
    def sites(self) -> list[str]:
        return [s.site for s in self.wx.sites]

    def site_index(self, site: str) -> int:
        return self.sites.index(site)

    @property
    def cf_year(self) -> pd.DataFrame:
        return self.cf[self.year]


# ------------------------------------------------------------------------------------------------- the table
def load_checks(inputs_dir: Path, tables: WeatherTables) -> list[CheckDef]:
    """Read and validate ``inputs/profile_checks.csv`` (InputError naming file, row, column, value, expected)."""
    path = Path(inputs_dir) / CHECKS_FILE
    rows = read_records(path, ("check", "place", "period", "reference", "low", "high", "unit", "source", "status",
                            "explanation"))
    out = []
    for row, rec in rows:
        kind = required_cell(path, row, rec, "check")
        if kind not in CHECK_KINDS:
            raise InputError(path, "unknown check", row=row, column="check", value=kind,
                             expected="one of " + ", ".join(CHECK_KINDS))
        unit, place_kind, period_kind, _ = CHECK_KINDS[kind]
        if rec.get("unit", "") != unit:
            raise InputError(path, f"wrong unit for check '{kind}'", row=row, column="unit", value=rec.get("unit"),
                             expected=unit)
        place = required_cell(path, row, rec, "place")
        names = place.split("|") if place_kind.endswith("_pair") else [place]
        if place_kind.endswith("_pair") and len(names) != 2:
            raise InputError(path, "a correlation needs two places separated by '|'", row=row, column="place",
                             value=place, expected="a|b")
        for name in names:
            if place_kind.startswith("site") and name not in tables.sites:
                raise InputError(path, "site not in sites.csv", row=row, column="place", value=name,
                                 expected="one of " + ", ".join(tables.sites))
            if place_kind.startswith("pair") and pair_of(name) not in tables.profile_sites:
                raise InputError(path, "technology/region not in profile_sites.csv", row=row, column="place",
                                 value=name, expected="one of " + ", ".join(f"{t}/{r}" for t, r in tables.profile_sites))
        period = rec.get("period", "")
        if period_kind == "month" and period not in {str(m) for m in range(1, 13)}:
            raise InputError(path, f"check '{kind}' needs a month", row=row, column="period", value=period,
                             expected="1..12")
        if period_kind == "season" and period not in SEASONS:
            raise InputError(path, f"check '{kind}' needs a season", row=row, column="period", value=period,
                             expected=" | ".join(SEASONS))
        if period_kind is None and period:
            raise InputError(path, f"check '{kind}' takes no period", row=row, column="period", value=period,
                             expected="an empty field")
        bounds = [(number(path, row, c, rec[c]) if rec.get(c, "") != "" else math.nan) for c in ("low", "high")]
        if all(math.isnan(b) for b in bounds):
            raise InputError(path, "a band needs at least one bound", row=row, column="low", expected="a number")
        if not any(math.isnan(b) for b in bounds) and bounds[0] > bounds[1]:
            raise InputError(path, "low above high", row=row, column="low", value=rec["low"],
                             expected=f"<= {rec['high']}")
        ref = number(path, row, "reference", rec["reference"]) if rec.get("reference", "") != "" else math.nan
        check_provenance(path, row, rec)
        out.append(CheckDef(kind, place, period, ref, bounds[0], bounds[1], unit, rec["source"], rec["status"],
                            rec.get("explanation", "")))
    return out


# ------------------------------------------------------------------------------------------------- data
@dataclass
class MeasuredComparison:
    """The measured weather of one year next to the synthetic weather of the same year and seed."""

    year: int
    measured_wx: object              # SiteWeather with the stations applied
    synthetic_wx: object
    measured_cf: pd.DataFrame
    synthetic_cf: pd.DataFrame
    info: object                     # re300.weather.measured.MeasuredYear


def measured_comparison(inputs_dir: Path, year: int, seed: int, cache_dir: Path | None = None
                        ) -> MeasuredComparison | None:
    """Measured vs synthetic weather of `year` if inputs/measured/ has that year, else of its latest measured year;
    None where there is no measured weather at all."""
    folder = measured.measured_dir(inputs_dir)
    if not (folder / measured.SOURCES_FILE).is_file():
        return None
    years = measured.measured_years(inputs_dir)
    if not years:
        return None
    y = year if year in years else years[-1]
    tables, mwx, _, info = api.site_weather_measured(inputs_dir, y, seed, source="measured")
    _, swx, _ = api.site_weather(inputs_dir, y, seed)
    pairs = list(tables.profile_sites)
    mcf = api.capacity_factors(inputs_dir, pairs, weather_year=y, seed=seed, cache_dir=cache_dir, source="measured")
    scf = api.capacity_factors(inputs_dir, pairs, weather_year=y, seed=seed, cache_dir=cache_dir)
    return MeasuredComparison(y, mwx, swx, mcf, scf, info)


def profile_data(inputs_dir: Path, year: int, years: list[int], seed: int, weather_files=None,
                 cache_dir: Path | None = None, source: str = "embedded") -> ProfileData:
    tables, wx, files = api.site_weather(inputs_dir, year, seed, weather_files=weather_files, source=source)
    pairs = list(tables.profile_sites)
    years = sorted(set(years) | {year})
    cf = {}
    for y in years:
        try:
            cf[y] = api.capacity_factors(inputs_dir, pairs, weather_year=y, seed=seed, cache_dir=cache_dir,
                                         weather_files=weather_files, source=source if y == year else "embedded",
                                         sampled=y != year and not files)
        except InputError as exc:
            if y == year or not files:
                raise
            raise Re300Error(f"{exc}; the report covers weather.years {_years_text(years)}: list only years that "
                             "every weather file covers (or a typical-year file)") from None
    return ProfileData(tables, year, years, seed, files, wx, cf, source)


def comparison_table(c: MeasuredComparison, tables: WeatherTables) -> pd.DataFrame:
    """measured_vs_synthetic.csv: GHI per station (annual, monthly), CF per pair (annual, monthly), mean
    temperature and wind at the mapped sites' reference heights."""
    rows = []
    idx = c.measured_wx.index
    names = [s.site for s in c.measured_wx.sites]
    info = c.info
    st_of = info.tables.stations_for("irradiance")

    def add(quantity, place, period, m, syn, unit, ref=math.nan, ref_source=""):
        diff = 100.0 * (m / syn - 1.0) if syn not in (0, 0.0) and not math.isnan(syn) else math.nan
        rows.append((quantity, place, period, c.year, m, syn, unit, diff, ref, ref_source))

    for station, g in info.stations.ghi.items():
        sites = [s for s, st in st_of.items() if st == station and tables.sites[s].params.get("annual_ghi")]
        if not sites:
            continue
        st = info.tables.stations[station]
        site = min(sites, key=lambda x: measured.distance_km(st.lat, st.lon, tables.sites[x].lat, tables.sites[x].lon))
        syn = c.synthetic_wx.ghi[:, names.index(site)]
        mm, sm = monthly_sum_kwh(g, idx), monthly_sum_kwh(syn, idx)
        add("annual GHI (station measured; synthetic at the site it stands for)", f"{station}|{site}", "year",
            float(mm.sum()), float(sm.sum()), "kWh/m2", tables.sites[site].params["annual_ghi"],
            "site_parameters.csv annual_ghi (the generator's calibration target)")
        for m in range(12):
            add("monthly GHI", f"{station}|{site}", MONTHS[m], float(mm[m]), float(sm[m]), "kWh/m2")
    for col in c.measured_cf.columns:
        place = f"{col[0]}/{col[1]}"
        m, syn = c.measured_cf[col], c.synthetic_cf[col]
        add("annual capacity factor", place, "year", 100.0 * float(m.mean()), 100.0 * float(syn.mean()), "%")
        mm, sm = m.groupby(m.index.month).mean(), syn.groupby(syn.index.month).mean()
        for k in range(1, 13):
            add("monthly capacity factor", place, MONTHS[k - 1], 100.0 * float(mm[k]), 100.0 * float(sm[k]), "%")
    for site, station in info.tables.stations_for("temperature").items():
        j = names.index(site)
        add("mean air temperature", f"{station}|{site}", "year", float(c.measured_wx.temp_air[:, j].mean()),
            float(c.synthetic_wx.temp_air[:, j].mean()), "degC")
    for site, station in info.tables.stations_for("wind").items():
        j = names.index(site)
        h = tables.sites[site].params["wind_height"]
        add(f"mean wind speed at the site's reference height ({h:g} m)", f"{station}|{site}", "year",
            float(c.measured_wx.wind_speed[:, j].mean()), float(c.synthetic_wx.wind_speed[:, j].mean()), "m/s",
            tables.sites[site].params["mean_wind_speed"], "site_parameters.csv mean_wind_speed")
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def _reference_height_wind(d: ProfileData, site: str) -> tuple[np.ndarray, float]:
    """The site's wind at its reference height of site_parameters.csv (a file's wind is moved there by the shear
    exponent of the site's wind farm, 1/7 where there is none)."""
    j = d.site_index(site)
    h_table = d.tables.sites[site].params["wind_height"]
    h_data = d.wx.sites[j].params["wind_height"]
    alpha = next((d.tables.wind_farms[system].params["shear_exponent"] for (s, system) in d.tables.profile_sites.values()
                  if s == site and system in d.tables.wind_farms), 1.0 / 7.0)
    return d.wx.wind_speed[:, j] * (h_table / h_data) ** alpha, h_table


def compute(c: CheckDef, d: ProfileData) -> float:
    """The model's value for one check."""
    idx = d.wx.index
    month = int(c.period) if c.period.isdigit() else None
    if c.check in ("annual_ghi", "monthly_ghi", "monthly_clearness"):
        j = d.site_index(c.place)
        ghi = monthly_sum_kwh(d.wx.ghi[:, j], idx)
        if c.check == "annual_ghi":
            return float(ghi.sum())
        if c.check == "monthly_ghi":
            return float(ghi[month - 1])
        return float(ghi[month - 1] / monthly_sum_kwh(d.wx.geometry.g0h[:, j], idx)[month - 1])
    if c.check in ("annual_temperature", "monthly_temperature"):
        t = pd.Series(d.wx.temp_air[:, d.site_index(c.place)], idx)
        return float(t.mean() if month is None else t[idx.month == month].mean())
    if c.check == "mean_wind_speed":
        return float(_reference_height_wind(d, c.place)[0].mean())
    if c.check in ("daily_clearness_correlation", "hourly_cf_correlation"):
        a, b = c.place.split("|")
        if c.check == "daily_clearness_correlation":   # daily GHI / daily clear-sky GHI, as dynamics.csv measures it
            ia, ib = d.site_index(a), d.site_index(b)
            x = dynamics.daily_clearness(d.wx.ghi[:, ia], d.wx.geometry.ghi_clear[:, ia])
            y = dynamics.daily_clearness(d.wx.ghi[:, ib], d.wx.geometry.ghi_clear[:, ib])
        else:
            x, y = d.cf_year[pair_of(a)].to_numpy(), d.cf_year[pair_of(b)].to_numpy()
        return float(np.corrcoef(x, y)[0, 1])
    pair = pair_of(c.place)
    s = d.cf_year[pair]
    if c.check == "annual_cf":
        return 100.0 * float(s.mean())
    if c.check == "monthly_cf":
        return 100.0 * float(np.mean([cf[pair][cf.index.month == month].mean() for cf in d.cf.values()]))
    if c.check == "winter_summer_cf_ratio":
        return float(s[s.index.month.isin(SEASONS["DJF"])].mean() / s[s.index.month.isin(SEASONS["JJA"])].mean())
    if c.check == "peak_month_cf":
        return float(s.groupby(s.index.month).mean().idxmax())
    if c.check == "peak_hour_cf":
        sub = s[s.index.month.isin(SEASONS[c.period])]
        return float(sub.groupby(sub.index.hour).mean().idxmax())
    if c.check == "interannual_cf_sd":
        years = d.ensemble or d.cf   # the sampled years when there are (the stress test's), else the report's years
        if len(years) < 2:
            return math.nan
        annual = np.array([cf[pair].mean() for cf in years.values()])
        return 100.0 * float(annual.std(ddof=1) / annual.mean())
    raise AssertionError(c.check)  # pragma: no cover -- load_checks admits only CHECK_KINDS


def _years_text(years: list[int]) -> str:
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def _note(c: CheckDef, value: float, d: ProfileData) -> str:
    if math.isnan(value):
        return (f"needs at least two weather years; weather.years gives {_years_text(d.years)} "
                "(set e.g. years: [2019, 2020, 2021, 2022, 2023])")
    side, bound = ("below", c.low) if not math.isnan(c.low) and value < c.low else ("above", c.high)
    unit = "" if c.unit == "1" else f" {c.unit}"
    parts = [f"{value:.4g}{unit} is {abs(value - bound):.3g} {side} the band"]
    if c.check == "annual_cf" and len(d.cf) > 1:
        mean = 100.0 * float(np.mean([cf[pair_of(c.place)].mean() for cf in d.cf.values()]))
        inside = (math.isnan(c.low) or mean >= c.low) and (math.isnan(c.high) or mean <= c.high)
        parts.append(f"the {_years_text(d.years)} mean is {mean:.1f} % ({'inside' if inside else 'also outside'} "
                     f"the band{': one weather year varies' if inside else ''})")
    site = c.place.split("|")[0]
    site = d.tables.profile_sites[pair_of(site)][0] if pair_of(site) in d.tables.profile_sites else site
    if site in d.files:
        parts.append(f"site '{site}' uses the weather file {d.files[site].path.name} (not calibrated to the "
                     "station totals)")
    if c.explanation:
        parts.append(c.explanation)
    return "; ".join(parts)


def evaluate(checks: list[CheckDef], d: ProfileData) -> pd.DataFrame:
    rows = []
    for c in checks:
        value = compute(c, d)
        within = (not math.isnan(value) and (math.isnan(c.low) or value >= c.low)
                  and (math.isnan(c.high) or value <= c.high))
        _, _, period_kind, text = CHECK_KINDS[c.check]
        if c.check == "interannual_cf_sd" and d.ensemble:
            seeds = sorted(d.ensemble)
            years = f"{len(seeds)} sampled years {d.year} (seeds {seeds[0]}-{seeds[-1]})"
        elif c.check in ("monthly_cf", "interannual_cf_sd"):
            years = _years_text(d.years)
        else:
            years = str(d.year)
        if c.check in ("annual_cf", "monthly_cf", "winter_summer_cf_ratio", "peak_month_cf", "peak_hour_cf",
                       "interannual_cf_sd"):
            text = f"{text}, {c.place.split('/')[0]}"
            place = c.place.split("/")[1]
        else:
            place = c.place
        if c.check == "mean_wind_speed":
            text = f"mean wind speed at {d.tables.sites[c.place].params['wind_height']:g} m"
        period = MONTHS[int(c.period) - 1] if period_kind == "month" else c.period
        rows.append(dict(quantity=text, place=place, period=period, weather_years=years, value=value, low=c.low,
                         high=c.high, unit=c.unit, within_band=bool(within), note="" if within else _note(c, value, d),
                         reference=c.reference, source=c.source, status=c.status))
    return pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))


def monthly_table(d: ProfileData) -> pd.DataFrame:
    """Monthly GHI per PV station (scenario year) and monthly CF per pair (every year), tidy."""
    rows = []
    idx = d.wx.index
    stations = sorted({site for site, system in d.tables.profile_sites.values() if system in d.tables.pv_systems},
                      key=d.sites.index)
    for site in stations:
        for m, v in enumerate(monthly_sum_kwh(d.wx.ghi[:, d.site_index(site)], idx), 1):
            rows.append(("ghi", site, d.year, m, v, "kWh/m2"))
    for y, cf in d.cf.items():
        monthly = cf.groupby(cf.index.month).mean() * 100.0
        for (tech, region) in cf.columns:
            for m, v in monthly[(tech, region)].items():
                rows.append((f"capacity_factor_{tech}", region, y, int(m), float(v), "%"))
    return pd.DataFrame(rows, columns=["quantity", "place", "year", "month", "value", "unit"])




# ------------------------------------------------------------------------------------------------- entry point
def write_report(sc, output_dir: Path | None = None, cache_dir: Path | None = None,
                 extras: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the validation report of scenario ``sc`` to ``<output_dir or sc.output_dir>/profiles/``; return it.
    ``extras``: further tables (file name -> frame) written into the same folder (the demand statistics)."""
    from re300.atomic import atomic_output_dir

    inputs_dir = Path(sc.inputs_dir)
    tables = load_weather_tables(inputs_dir)
    checks = load_checks(inputs_dir, tables)
    source = getattr(sc.weather, "source", "embedded")
    d = profile_data(inputs_dir, sc.weather.year, sc.weather.report_years(), sc.weather.seed,
                     weather_files=sc.weather.files, cache_dir=cache_dir, source=source)
    d.comparison = measured_comparison(inputs_dir, sc.weather.year, sc.weather.seed, cache_dir=cache_dir)
    seeds = ensemble.sampled_seeds(sc.weather.seed)
    if not d.files:
        d.ensemble = ensemble.ensemble_cf(inputs_dir, list(tables.profile_sites), sc.weather.year, seeds, cache_dir)
    results = evaluate(checks, d)
    extras = dict(extras or {})
    if d.comparison is not None:   # the generator's dynamics against the measured year (re300.weather.dynamics)
        extras["dynamics.csv"] = ensemble.dynamics_report(tables, d.comparison.info, d.comparison.year,
                                                          ensemble.sampled_seeds(sc.weather.seed))
    if tables.fleets:
        extras["fleet.csv"] = ensemble.fleet_report(tables, sc.weather.year, sc.weather.seed)
    final = Path(output_dir if output_dir is not None else sc.output_dir) / "profiles"
    with atomic_output_dir(final) as tmp:
        results.to_csv(tmp / "validation.csv", index=False, float_format="%.6g")
        monthly_table(d).to_csv(tmp / "monthly.csv", index=False, float_format="%.6g")
        profile_figures(tmp, d, checks, results)
        figures = list(FIGURES)
        if d.comparison is not None:
            comp = comparison_table(d.comparison, tables)
            comp.to_csv(tmp / "measured_vs_synthetic.csv", index=False, float_format="%.6g")
            d.comparison.info.mapping.to_csv(tmp / "measured_sites.csv", index=False)
            d.comparison.info.stations.fills.to_csv(tmp / "measured_fills.csv", index=False)
            measured_figure(tmp, comp, d.comparison.year)
            figures.append(MEASURED_FIGURE)
        for name, frame in (extras or {}).items():
            frame.to_csv(tmp / name, index=False, float_format="%.6g")
        meta = {
            "scenario": sc.name,
            "scenario_files": [str(p) for p in sc.source_files],
            "weather_year": d.year,
            "weather_years": d.years,
            "seed": d.seed,
            "weather_files": {site: {"path": str(spec.path), "format": spec.format,
                                     "sha256": api.file_sha256(spec.path)} for site, spec in d.files.items()},
            "code_version": api.CODE_VERSION,
            "weather_source": source,
            "measured_year": None if d.comparison is None else d.comparison.year,
            "measured_files": ({} if d.comparison is None else
                               {d.comparison.info.stations.path.name: d.comparison.info.stations.source.sha256}),
            "checks": int(len(results)),
            "within_band": int(results["within_band"].sum()),
            "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "figures": figures,
            "tables": sorted(extras or {}),
        }
        (tmp / "report.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return final
