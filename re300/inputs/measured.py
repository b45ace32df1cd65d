"""Measured hourly demand: the KPX national files of `inputs/measured/` -> the model's hourly demand shape.

    load = read_national_demand(inputs_dir, 2025)      # pandas.Series [MW], 8760 KST hour-beginning labels
    shape = national_shape(inputs_dir, time)           # numpy array over `time`, sums to 1
    record = check_daily_record(inputs_dir, 2025)      # the hourly file against KPX's daily supply-demand record

Files (`inputs/measured/`, provenance and sha256 in `sources.csv`, checked before a file is read):

- ``kpx_national_hourly_demand_<year>.csv`` (CP949): KPX "시간별 전국 전력수요량" (public-data portal dataset
  15065266). Header ``날짜,1시,...,24시``; one row per KST date (written 2024-01-01 or 2025.1.1); values in MW.
- ``kpx_daily_supply_demand_<year>.csv`` (CP949): KPX's daily supply-demand record (newest date first), used only to
  cross-check the hourly file.

Time convention. The column ``k시`` of date d is the hour ENDING at k:00 of d (KPX's daily record stamps a day's
peak ``(HH:00)`` with the same HH as the column that holds it, on all 365 days of 2025), i.e. the hour-beginning KST
label d + (k - 1) h: ``1시`` -> 00:00 and ``24시`` -> 23:00 of the same date. 29 February is dropped (365-day
model year); nothing else is filled: every date of the year must be there once, every cell a number.

What the shape is. KPX *market* demand of the whole country: it excludes the output of solar plants outside the
market (KEPCO power-purchase contracts and behind-the-meter), so its midday hours are lowered by that solar, and it is
the national mix of industry and buildings, not Honam's. Scaled to a province's annual consumption it assumes the
province's hourly load moves like the nation's market demand (see README "Demand": the published Gwangju+Jeonnam
peaks are lower than the scaled shape gives, because Jeonnam's petrochemical and steel load is flatter).

Every problem is one `re300.errors.InputError` line naming the file, the row (the line in the file), the column,
the value and what was expected.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from re300.csvtable import DataSource, read_data_rows, read_data_sources, suggest, verified_data_file
from re300.errors import InputError

MEASURED_DIR = "measured"
SOURCES_FILE = "sources.csv"
HOURLY_FILE = "kpx_national_hourly_demand_{year}.csv"
DAILY_FILE = "kpx_daily_supply_demand_{year}.csv"
HOURS = [f"{k}시" for k in range(1, 25)]
#: plausible national hourly demand [MW] (Korea 2024-25: 35,811 .. 97,115)
NATIONAL_MW = (10_000.0, 200_000.0)
_DATE = re.compile(r"^(\d{4})[-.](\d{1,2})[-.](\d{1,2})$")


def measured_dir(inputs_dir: Path) -> Path:
    return Path(inputs_dir) / MEASURED_DIR


def demand_years(inputs_dir: Path) -> list[int]:
    """Years with a KPX hourly national demand file listed in sources.csv."""
    head, tail = HOURLY_FILE.split("{year}")
    names = read_data_sources(measured_dir(inputs_dir) / SOURCES_FILE)
    return sorted(int(n[len(head):-len(tail)]) for n in names
                  if n.startswith(head) and n.endswith(tail) and n[len(head):-len(tail)].isdigit())


def _source(inputs_dir: Path, pattern: str, year: int, what: str) -> DataSource:
    table = measured_dir(inputs_dir) / SOURCES_FILE
    name = pattern.format(year=int(year))
    listed = read_data_sources(table)
    if name not in listed:
        years = demand_years(inputs_dir)
        raise InputError(table, f"no {what} for {year}: no row for {name}", column="file",
                         expected=f"a year with a KPX file here ({', '.join(map(str, years)) or 'none'}; "
                                  f"{suggest(name, listed)}), or demand shape 'sectors'")
    return verified_data_file(table, name)


def _rows(src: DataSource) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) of the file, decoded with the encoding its provenance row states."""
    return read_data_rows(src)


def _date(src: DataSource, line: int, column: str, text: str) -> dt.date:
    m = _DATE.match(text)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise InputError(src.path, "unreadable date", row=line, column=column, value=text,
                         expected="a date YYYY-MM-DD or YYYY.M.D") from None


def _mw(src: DataSource, line: int, column: str, text: str) -> float:
    try:
        x = float(text.replace(",", ""))
    except ValueError:
        raise InputError(src.path, "not a number", row=line, column=column, value=text,
                         expected="demand in MW") from None
    if not math.isfinite(x) or not NATIONAL_MW[0] <= x <= NATIONAL_MW[1]:
        hint = "; values 1,000x smaller look like GW, 1,000x larger like kW" if math.isfinite(x) else ""
        raise InputError(src.path, "national demand out of the plausible range", row=line, column=column, value=x,
                         expected=f"MW in [{NATIONAL_MW[0]:,.0f}, {NATIONAL_MW[1]:,.0f}]{hint}")
    return x


def read_national_demand(inputs_dir: Path, year: int) -> pd.Series:
    """KPX hourly national demand of `year` [MW] on the model's 8760 hour-beginning KST labels (29 Feb dropped).
    `attrs`: file, dropped_days, source."""
    src = _source(inputs_dir, HOURLY_FILE, year, "measured demand")
    header, rows = _rows(src)
    if header[1:] != HOURS:
        bad = next((i for i, (h, w) in enumerate(zip(header[1:], HOURS), 1) if h != w), len(header))
        raise InputError(src.path, "unexpected header", row=1, column=header[bad] if bad < len(header) else None,
                         value=",".join(header[:4]) + ",...",
                         expected="a date column then 1시,2시,...,24시 (the hours ending at 01:00 .. 24:00 KST)")
    dcol = header[0]
    seen: dict[dt.date, int] = {}
    values = {}
    for line, cells in rows:
        day = _date(src, line, dcol, cells[0])
        if day.year != int(year):
            raise InputError(src.path, f"date outside {year}", row=line, column=dcol, value=cells[0],
                             expected=f"dates of {year} (the file's name says {year})")
        if day in seen:
            raise InputError(src.path, f"duplicate date (first given on row {seen[day]})", row=line, column=dcol,
                             value=cells[0])
        seen[day] = line
        values[day] = [_mw(src, line, h, c) for h, c in zip(HOURS, cells[1:])]
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D").date
    missing = [d for d in days if d not in values]
    if missing:
        raise InputError(src.path, f"{len(missing)} date(s) of {year} missing (first {missing[0]})", column=dcol,
                         expected=f"one row for every date of {year}")
    kept = [d for d in days if not (d.month == 2 and d.day == 29)]
    data = np.array([values[d] for d in kept], float).reshape(-1)       # day-major: 1시 .. 24시
    index = pd.DatetimeIndex([pd.Timestamp(d) + pd.Timedelta(hours=k) for d in kept for k in range(24)], name="time")
    out = pd.Series(data, index=index, name="national_demand_mw")
    out.attrs.update({"unit": "MW", "file": src.path.name, "dropped_days": len(days) - len(kept),
                      "timezone": "Asia/Seoul (UTC+9)", "publisher": src.publisher,
                      "time_convention": "hour-beginning labels (column k시 of date d = d + (k-1) h)"})
    return out


def national_shape(inputs_dir: Path, time: pd.DatetimeIndex) -> np.ndarray:
    """The KPX national demand of the year of `time` as a shape over `time` (8760 hour-beginning KST labels of one
    year): non-negative, sums to 1."""
    years = sorted(set(time.year))
    if len(years) != 1:
        raise ValueError(f"time must cover one calendar year, got {years}")
    load = read_national_demand(inputs_dir, years[0])
    if not load.index.equals(pd.DatetimeIndex(time)):
        raise ValueError("time must be the 8760 hour-beginning KST labels of one year (29 Feb dropped)")
    v = load.to_numpy(float)
    return v / v.sum()


def check_daily_record(inputs_dir: Path, year: int) -> pd.DataFrame:
    """The hourly file against KPX's daily supply-demand record of the same year: per date, the record's peak [MW]
    and its time, the hourly file's maximum and the column holding it. Raises InputError naming the first date where
    they disagree (a misread file or a wrong hour convention)."""
    src = _source(inputs_dir, DAILY_FILE, year, "daily supply-demand record")
    header, rows = _rows(src)
    need = ("년", "월", "일", "최대전력(MW)", "최대전력기준일시")
    for col in need:
        if col not in header:
            raise InputError(src.path, f"missing column '{col}'", row=1, expected="columns " + ", ".join(need))
    hourly = read_national_demand(inputs_dir, year)
    j = {c: header.index(c) for c in need}
    out = []
    for line, cells in rows:
        try:
            day = dt.date(int(cells[j["년"]]), int(cells[j["월"]]), int(cells[j["일"]]))
        except ValueError:
            raise InputError(src.path, "unreadable date", row=line, column="년",
                             value="-".join(cells[j[c]] for c in ("년", "월", "일")), expected="year, month, day") from None
        if day.month == 2 and day.day == 29:
            continue
        peak = _mw(src, line, "최대전력(MW)", cells[j["최대전력(MW)"]])
        m = re.search(r"\((\d{1,2}):00\)", cells[j["최대전력기준일시"]])
        if not m:
            raise InputError(src.path, "unreadable peak time", row=line, column="최대전력기준일시",
                             value=cells[j["최대전력기준일시"]], expected="YYYY/MM/DD(HH:00)")
        day_values = hourly.loc[str(day)].to_numpy()
        out.append((day, peak, int(m.group(1)), float(day_values.max()), int(day_values.argmax()) + 1, line))
    df = pd.DataFrame(out, columns=["date", "record_peak_mw", "record_peak_hour", "hourly_max_mw", "hourly_max_column",
                                    "line"]).sort_values("date", ignore_index=True)
    bad = df[(df["record_peak_mw"] != df["hourly_max_mw"]) | (df["record_peak_hour"] != df["hourly_max_column"])]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(src.path, f"the daily record disagrees with {HOURLY_FILE.format(year=year)} on {r['date']}: "
                                   f"peak {r['record_peak_mw']:,.0f} MW at {r['record_peak_hour']}:00 vs the hourly "
                                   f"maximum {r['hourly_max_mw']:,.0f} MW in column {r['hourly_max_column']}시",
                         row=int(r["line"]), column="최대전력(MW)")
    return df.drop(columns="line")


def measured_files(inputs_dir: Path, year: int) -> list[Path]:
    """The files a measured demand shape of `year` reads (for manifests)."""
    folder = measured_dir(inputs_dir)
    return [folder / SOURCES_FILE, folder / HOURLY_FILE.format(year=int(year))]
