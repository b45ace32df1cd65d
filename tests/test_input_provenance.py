"""Every input row is traceable (issue 15): unit, source and status on every row of every table in inputs/, every KRW
number in its money year, and every `estimate` among the ten most influential drivers with a low/high range."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from re300.inputs.ranges import matching_rows
from re300.inputs.tables import load_tables
from re300.sweep.spec import load_sweep

REPO = Path(__file__).resolve().parents[1]
TOP = 10


def input_csvs(inputs_dir: Path) -> list[Path]:
    """The CSV tables of inputs/ (measured data files and power curves have no per-row provenance)."""
    return sorted(p for p in inputs_dir.glob("*.csv"))


@pytest.fixture(scope="module")
def tables(inputs_dir):
    return load_tables(inputs_dir)


def test_every_row_has_unit_source_and_status(inputs_dir):
    problems = []
    for path in input_csvs(inputs_dir):
        with open(path, encoding="utf-8-sig") as fh:
            rows = [r for r in csv.DictReader(fh) if r and not next(iter(r.values()), "").startswith("#")]
        head = set(rows[0]) if rows else set()
        for i, r in enumerate(rows, start=2):
            for col in ("unit", "source", "status"):
                if col in head and not (r.get(col) or "").strip():
                    if col == "status" and path.name in ("technologies.csv", "links.csv", "profile_sites.csv"):
                        continue
                    problems.append(f"{path.name} row {i}: empty {col}")
            if "status" in head and (r.get("status") or "found") not in ("found", "estimate"):
                problems.append(f"{path.name} row {i}: status {r['status']!r}")
        if path.name not in ("regions.csv", "technologies.csv", "links.csv", "profile_sites.csv", "sites.csv",
                             "demand_shapes.csv", "price_indices.csv") and "unit" not in head and "value" in head:
            problems.append(f"{path.name}: numbers without a unit column")
    assert not problems, problems[:10]


def test_every_krw_number_of_the_ranges_states_its_money_year(tables):
    r = tables.ranges
    krw = r[r["unit"].str.startswith("KRW")]
    assert len(krw)
    lacking = [f"{d} {k} {p} {y}" for d, k, p, y, s in zip(krw["driver"], krw["key"], krw["parameter"], krw["year"],
                                                             krw["source"]) if "2024 KRW" not in s]
    assert not lacking, lacking


def test_the_ten_ranked_drivers_have_ranges(tables):
    r = tables.ranges
    ranks = r.drop_duplicates("driver").dropna(subset=["rank"]).set_index("driver")["rank"]
    assert sorted(int(x) for x in ranks) == list(range(1, len(ranks) + 1)) and len(ranks) >= TOP
    top = [d for d, k in ranks.items() if k <= TOP]
    for driver in top:
        rows = r[r["driver"] == driver]
        assert (rows["low"] < rows["high"]).all(), f"{driver}: low/high must differ"
        assert rows["source"].str.contains("http").any() or (rows["status"] == "estimate").all()
    # each estimate the top drivers address is covered by a ranges row with a low and a high (the table value lies
    # inside [low, high], checked on load); list them for the record
    covered = 0
    for _, row in r[r["driver"].isin(top)].iterrows():
        frame = tables.raw[row["table"]]
        hit = matching_rows(frame, row["table"], row["key"], row["parameter"], None if row["year"] is None or
                            str(row["year"]) == "<NA>" else int(row["year"]))
        covered += int((frame[hit]["status"] == "estimate").sum())
    assert covered > 0


def test_the_sensitivity_sweep_runs_every_ranked_driver(tables):
    spec = load_sweep(REPO / "models" / "sweeps" / "sensitivity.yaml")
    swept = {k.removeprefix("input_cases.") for k in spec.one_at_a_time}
    ranked = set(tables.ranges.dropna(subset=["rank"])["driver"])
    assert ranked <= swept
    assert set(tables.range_drivers) <= swept  # every driver of ranges.csv is in the ranking sweep
