"""The memo, the comparison memo and the notebook helpers, checked against the result CSVs of a real `quick` run.

Numbers are re-read from the CSVs here with plain pandas and formatted independently, then looked for in the memo.
"""
from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import re300
from re300.cli import main as cli_main
from re300.errors import Re300Error
from re300.report import access, series
from re300.report.compare import build_comparison
from re300.report.fonts import FONT_FAMILY, font_path
from re300.report.memo import build_memo
from re300.report.runcsv import ResultsError
from re300.results import tables as T

pytestmark = pytest.mark.slow  # solves scenarios end to end (make test-fast skips it)

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
QUICK_FIGURES = {"capacity", "map", "dispatch_summer", "dispatch_winter", "price_duration", "monthly_balance",
                 "storage_level", "costs"}


@pytest.fixture(scope="module")
def quick_dir(quick_run_dir) -> Path:
    """models/quick.yaml solved once per session (tests/conftest.py); tests copy it before writing into it."""
    return quick_run_dir


@pytest.fixture(scope="module")
def memo(quick_dir, tmp_path_factory):
    """The memo of a copy of the run without results.nc and the HiGHS log: it must need the CSVs only."""
    csv_only = tmp_path_factory.mktemp("csv_only") / "quick"
    shutil.copytree(quick_dir, csv_only, ignore=shutil.ignore_patterns("results.nc", "highs.log"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_memo(csv_only)
    assert not (csv_only / "results.nc").exists()
    return result, [str(w.message) for w in caught]


def csv(run_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(run_dir / name)


def summary(run_dir: Path) -> pd.Series:
    return csv(run_dir, "summary.csv").set_index("metric")["value"]


def grid_factor() -> float:
    """The grid emission factor of inputs/constants.csv; given by year, its first (earliest) row, as
    InputTables.constant reads it without a year."""
    c = pd.read_csv(REPO / "inputs" / "constants.csv")
    rows = c[c["parameter"] == "grid_emission_factor"].sort_values("year")
    return float(rows["value"].iloc[0])


# ---- headline numbers ----------------------------------------------------------------------------------------
def test_headline_values_equal_the_csvs(quick_dir, memo):
    hl = memo[0].headline
    s = summary(quick_dir)
    for key in ("renewable_ratio", "renewable_target_ratio", "exports_delivered", "export_ratio", "total_system_cost",
                "average_cost_per_mwh_demand", "renewable_target_shadow_price", "export_target_shadow_price",
                "curtailment", "curtailment_share", "honam_consumption", "emissions", "unserved_energy"):
        assert hl[key].value == s[key], key
        assert hl[key].sources == (f"summary.csv: {key}",)
    # emissions avoided: Honam consumption at the grid factor of inputs/constants.csv minus the plan's emissions
    assert hl["grid_emission_factor"].value == grid_factor() == 0.4173
    assert hl["emissions_avoided"].value == pytest.approx(s["honam_consumption"] * 0.4173 - s["emissions"], rel=1e-12)
    # capacities to build: exactly the capacity.csv rows in Honam with new >= 0.5 (MW or MWh), with their values (the
    # capital region's national-grid supply is not a Honam build)
    cap = csv(quick_dir, "capacity.csv")
    regions = pd.read_csv(REPO / "inputs" / "regions.csv")
    built = cap[(cap["new"] >= 0.5) & cap["region"].isin(regions.loc[regions["kind"] == "honam", "region"])]
    expected = {f"new_{r.kind}:{r.region}:{r.technology}": r.new for r in built.itertuples()}
    got = {k: v.value for k, v in hl.items() if k.startswith(("new_power:", "new_charge_power:", "new_energy:"))}
    assert got == expected
    assert len(expected) >= 8
    # storage and the corridor
    bat = cap[(cap["technology"] == "battery") & (cap["kind"] == "energy")]
    assert hl["storage_energy_total:battery"].value == pytest.approx(bat["total"].sum(), rel=1e-12)
    t = csv(quick_dir, "transmission.csv")
    for link in ("jeonnam_capital", "jeonbuk_capital"):
        for q in ("capacity_total", "capacity_new", "energy_forward", "utilisation"):
            row = t[(t["link"] == link) & (t["quantity"] == q)]
            expected = row["value"].iat[0]  # NaN utilisation where a corridor has no capacity
            assert hl[f"corridor_{q}:{link}"].value == pytest.approx(expected, rel=0, abs=0, nan_ok=True), (link, q)
    assert not any(k.startswith("corridor_") and "jeonnam_jeonbuk" in k for k in hl)


def test_rendered_memo_shows_the_csv_numbers(quick_dir, memo):
    s = summary(quick_dir)
    cap = csv(quick_dir, "capacity.csv")
    t = csv(quick_dir, "transmission.csv").set_index(["link", "quantity"])["value"]
    avoided = s["honam_consumption"] * grid_factor() - s["emissions"]
    numbers = [
        f"{s['renewable_ratio']:.2f}", f"{s['export_ratio']:.2f}",
        f"{s['total_system_cost'] / 1e12:,.2f}", f"{s['average_cost_per_mwh_demand']:,.0f}",
        f"{s['renewable_target_shadow_price']:,.0f}", f"{s['export_target_shadow_price']:,.0f}",
        f"{s['exports_delivered'] / 1e6:,.1f}", f"{s['curtailment'] / 1e6:,.1f}",
        f"{100 * s['curtailment_share']:.1f}", f"{avoided / 1e6:,.2f}", f"{s['emissions'] / 1e6:,.2f}",
        f"{t['jeonbuk_capital', 'capacity_total'] / 1e3:,.1f} GW", f"{t['jeonnam_capital', 'capacity_total'] / 1e3:,.1f} GW",
        f"{t['jeonbuk_capital', 'energy_forward'] / 1e6:,.1f}", "0.4173 tCO2/MWh",
    ]
    units = {"en": ["trillion KRW/yr", "KRW/MWh", "TWh/yr", "MtCO2/yr"], "ko": ["조 원/년", "원/MWh", "TWh/년", "백만 tCO2/년"]}
    memo_dir = memo[0].memo_dir
    for lang in ("ko", "en"):
        md = (memo_dir / f"memo.{lang}.md").read_text(encoding="utf-8")
        page = (memo_dir / f"memo.{lang}.html").read_text(encoding="utf-8")
        headline_md = md.split("\n## ")[0]
        for text in numbers + units[lang]:
            assert text in headline_md, (lang, text)
            assert text in page, (lang, text)
        assert f"{s['total_system_cost'] / 1e12:,.2f}" + ("조 원/년" if lang == "ko" else " trillion KRW/yr") in md
        # the capacity table: one row per built (region, technology) with existing, new and total as in capacity.csv
        for r in cap[cap["new"] >= 0.5].itertuples():
            assert re.search(rf"\| {r.existing:,.0f} \| {r.new:,.0f} \| {r.total:,.0f} \| {r.unit} \|", md), (lang, r)
    assert "재생에너지 비율" in (memo_dir / "memo.ko.md").read_text(encoding="utf-8")
    assert "Renewable ratio reached" in (memo_dir / "memo.en.md").read_text(encoding="utf-8")


# ---- figures ----------------------------------------------------------------------------------------------------
def _pixels(path: Path) -> np.ndarray:
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    with Image.open(path) as im:
        im.verify()
    with Image.open(path) as im:
        return np.asarray(im.convert("L"), dtype=float)


def test_each_figure_is_a_nonblank_png(memo):
    result, caught = memo
    figures = result.memo_dir / "figures"
    for lang in ("ko", "en"):
        names = {p.name.split(".")[0] for p in figures.glob(f"*.{lang}.png")}
        assert names == QUICK_FIGURES, lang
        for name in names:
            px = _pixels(figures / f"{name}.{lang}.png")
            assert px.shape[0] > 300 and px.shape[1] > 500
            assert px.std() > 20, name  # not a blank canvas
            # some ink (quick models two weeks: its storage-over-the-year figure is mostly axes and the two weeks)
            assert (px < 200).mean() > (0.012 if name == "storage_level" else 0.02), name
        md = (result.memo_dir / f"memo.{lang}.md").read_text(encoding="utf-8")
        for ref in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md):
            assert (result.memo_dir / ref).is_file(), ref
    # quick models a January and a July week: no spring week, and the memo says so instead of drawing one
    assert "No whole modelled week falls in spring" in (result.memo_dir / "memo.en.md").read_text(encoding="utf-8")
    assert not [m for m in caught if "missing from font" in m or "Glyph" in m], caught


def test_korean_font_is_the_bundled_nanumgothic():
    from matplotlib import font_manager

    from re300.report.fonts import register_matplotlib_fonts

    register_matplotlib_fonts()
    found = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    assert Path(found) == font_path()


def test_html_is_self_contained_and_its_font_covers_every_character(memo):
    from fontTools.ttLib import TTFont

    result, _ = memo
    for lang in ("ko", "en"):
        page = (result.memo_dir / f"memo.{lang}.html").read_text(encoding="utf-8")
        n_fig = len(list((result.memo_dir / "figures").glob(f"*.{lang}.png")))
        assert page.count('<img src="data:image/png;base64,') == n_fig
        assert not re.search(r'(src|href)="(https?:|file:|/)', page)
        fonts = re.findall(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", page)
        assert len(fonts) == 2 and f"font-family: '{FONT_FAMILY}'" in page
        text = re.sub(r"<[^>]+>", "", re.sub(r"<(style|head)>.*?</\1>", "", page, flags=re.S))
        hangul = {c for c in text if "\uac00" <= c <= "\ud7a3"}
        if lang == "ko":
            assert len(hangul) > 200
        cmap = TTFont(io.BytesIO(base64.b64decode(fonts[0]))).getBestCmap()
        missing = {c for c in text if not c.isspace() and ord(c) not in cmap}
        assert not missing, (lang, sorted(missing)[:20])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium missing: `.ci/run` installs the Debian package "
                                                  "chromium; without it the memo is not rendered in a browser")
def test_memo_renders_in_headless_chromium(memo, tmp_path):
    result, _ = memo
    for lang in ("ko", "en"):
        shot = tmp_path / f"memo.{lang}.png"
        cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / lang}",
               f"--screenshot={shot}", "--window-size=1200,3000", (result.memo_dir / f"memo.{lang}.html").as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, proc.stderr[-2000:]
        px = _pixels(shot)
        assert px.shape == (3000, 1200)
        assert px.std() > 20 and (px < 128).mean() > 0.01  # text and figures, not a blank page


def test_one_language_keeps_the_other(memo):
    result, _ = memo
    ko = (result.memo_dir / "memo.ko.html").read_bytes()
    again = build_memo(result.run_dir, langs=["en"])
    assert (again.memo_dir / "memo.ko.html").read_bytes() == ko
    assert all(".en." in p.name for p in again.files)
    assert (again.memo_dir / "figures" / "map.ko.png").is_file()


# ---- bad input: one line naming file, column / metric and value --------------------------------------------------
def test_missing_or_bad_result_files_are_one_line_errors(quick_dir, tmp_path, capsys):
    bad = tmp_path / "bad"
    shutil.copytree(quick_dir, bad, ignore=shutil.ignore_patterns("results.nc", "memo"))
    (bad / "transmission.csv").unlink()
    with pytest.raises(ResultsError, match=r"transmission\.csv: file missing"):
        build_memo(bad)
    shutil.copy(quick_dir / "transmission.csv", bad / "transmission.csv")
    s = pd.read_csv(bad / "summary.csv", dtype=str)
    s.loc[s["metric"] == "curtailment", "value"] = "lots"
    s.to_csv(bad / "summary.csv", index=False)
    row = int(np.flatnonzero(s["metric"] == "curtailment")[0]) + 2
    with pytest.raises(ResultsError, match=rf"summary\.csv, row {row}, column 'value': value 'lots' is not a number"):
        build_memo(bad)
    s[s["metric"] != "curtailment"].to_csv(bad / "summary.csv", index=False)
    with pytest.raises(ResultsError, match=r"summary\.csv: metric 'curtailment' not found"):
        build_memo(bad)
    pd.read_csv(quick_dir / "capacity.csv").drop(columns=["new"]).to_csv(bad / "capacity.csv", index=False)
    shutil.copy(quick_dir / "summary.csv", bad / "summary.csv")
    with pytest.raises(ResultsError, match=r"capacity\.csv: column 'new' missing"):
        build_memo(bad)
    assert issubclass(ResultsError, Re300Error)
    assert cli_main(["memo", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("re300: error: ") and "capacity.csv" in err[0]
    with pytest.raises(ResultsError, match="'fr' is not a memo language"):
        build_memo(quick_dir, langs=["fr"])
    assert not (bad / "memo").exists()  # nothing half-written


# ---- comparison ---------------------------------------------------------------------------------------------------
def _variant(src: Path, dest: Path, name: str, cost_factor: float) -> Path:
    """A copy of a run under another scenario name with its costs scaled (the comparison only reads CSVs)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("results.nc", "memo"))
    m = json.loads((dest / "manifest.json").read_text())
    m["scenario"]["name"] = name
    (dest / "manifest.json").write_text(json.dumps(m))
    s = pd.read_csv(dest / "summary.csv")
    s.loc[s["metric"] == "total_system_cost", "value"] *= cost_factor
    s.to_csv(dest / "summary.csv", index=False)
    return dest


def test_comparison_memo_puts_each_runs_numbers_side_by_side(quick_dir, tmp_path):
    other = _variant(quick_dir, tmp_path / "runs" / "dearer", "dearer", 1.5)
    first = tmp_path / "runs" / "quick"
    shutil.copytree(quick_dir, first, ignore=shutil.ignore_patterns("results.nc", "memo"))
    assert cli_main(["compare", str(first), str(other), "--lang", "ko"]) == 0
    out = tmp_path / "runs" / "compare"
    s = summary(quick_dir)
    md = (out / "memo.ko.md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| 총 시스템 비용"))
    assert row.split("|")[2:4] == [f" {s['total_system_cost'] / 1e12:,.2f} ", f" {1.5 * s['total_system_cost'] / 1e12:,.2f} "]
    row = next(line for line in md.splitlines() if line.startswith("| 재생에너지 비율"))
    assert row.split("|")[2:4] == [f" {s['renewable_ratio']:.2f} "] * 2
    assert "| 지표 | quick | dearer |" in md
    pngs = list((out / "figures").glob("*.ko.png"))
    assert len(pngs) == 6 and not list((out / "figures").glob("*.en.png"))
    for png in pngs:
        assert _pixels(png).std() > 20, png
    with pytest.raises(ResultsError, match="at least two"):
        build_comparison([first])


# ---- notebook helpers (results.nc) agree with the CSVs ------------------------------------------------------------
def test_open_results_and_helpers_agree_with_the_csvs(quick_dir, tmp_path):
    ds = re300.open_results("quick", root=quick_dir.parent)
    assert ds.attrs["scenario"] == "quick"
    assert re300.open_results(quick_dir).sizes == ds.sizes
    assert re300.open_results(quick_dir / "results.nc").sizes == ds.sizes
    with pytest.raises(ResultsError, match="results not found for 'nope'"):
        re300.open_results("nope", root=tmp_path)

    s = summary(quick_dir)
    e = csv(quick_dir, "energy.csv")
    bal = access.energy_balance(ds)
    gen = e[e["quantity"] == "generation"].set_index(["region", "technology"])["value"]
    for (region, tech), value in gen.items():
        assert bal.loc[region, f"generation:{tech}"] == pytest.approx(value, rel=1e-9, abs=1e-3)
    assert bal.attrs["units"] == "MWh/yr"
    monthly = access.energy_balance(ds, by="month")
    assert sorted(set(monthly.index.get_level_values("month"))) == [1, 7]  # the two modelled weeks
    assert monthly.groupby(level="region").sum().loc["jeonnam", "demand"] == pytest.approx(bal.loc["jeonnam", "demand"])
    assert access.curtailment_by_month(ds).to_numpy().sum() == pytest.approx(s["curtailment"], rel=1e-9)
    flows = access.flows_to_capital(ds)
    into_capital = {str(l) for l in ds.link.values if str(ds["link_to"].sel(link=l).values) == "capital"}
    assert set(flows.index) == into_capital >= {"jeonnam_capital", "jeonbuk_capital", "honam_north_ac"}
    # exports are counted net of what comes back over the two-way AC route (delivered forward − sent backward)
    back = float(T.annual(ds["flow_backward_mw"].sel(link=list(into_capital)), ds).sum())
    assert flows["energy_delivered_mwh"].sum() - back == pytest.approx(s["exports_delivered"], rel=1e-9)
    assert flows["net_delivered_mwh"].sum() == pytest.approx(s["exports_delivered"], rel=1e-9)
    cap = access.capacity_table(ds)
    c = csv(quick_dir, "capacity.csv")
    c = c[c["kind"] == "power"].set_index(["region", "technology"])
    assert cap["new"].to_dict() == pytest.approx(c["new"].to_dict(), rel=1e-9, abs=1e-6)  # CSV: 10 significant digits
    pdc = access.price_duration(ds)
    for region, curve in pdc.groupby(level="region"):
        assert curve["hours"].iat[-1] == pytest.approx(8760.0)
        assert np.all(np.diff(curve["price_krw_per_mwh"].to_numpy()) <= 0)
    assert access.label(ds, "price_krw_per_mwh").endswith("[KRW/MWh]")


# ---- time-series arithmetic, worked by hand -----------------------------------------------------------------------
def test_calendar_monthly_and_duration_curve_by_hand():
    t = pd.DatetimeIndex(["2023-01-31 23:00", "2023-02-01 00:00", "2023-02-01 01:00", "2023-03-01 00:00"])
    w = pd.Series([10.0, 20.0, 30.0, 0.0], index=t)  # March: not modelled (weight 0, value NaN)
    m = series.calendar_monthly(pd.Series([1.0, 2.0, 3.0, np.nan], index=t), w)
    assert m.to_dict() == {1: 10.0, 2: 20.0 * 2 + 30.0 * 3}
    hours, values = series.duration_curve(pd.Series([5.0, 9.0, 7.0], index=t[:3]), w[:3])
    assert values.tolist() == [9.0, 7.0, 5.0] and hours.tolist() == [20.0, 50.0, 60.0]
    snapshots = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2023-05-01", "2023-05-01 06:00"]))
    mapping = pd.Series(pd.DatetimeIndex(["2023-05-01", "2023-05-01", "2023-05-01 06:00", pd.NaT]),
                        index=pd.date_range("2023-06-01", periods=4, freq="h"))
    assert series.calendar_frame(snapshots, mapping).tolist()[:3] == [1.0, 1.0, 2.0]
    assert np.isnan(series.calendar_frame(snapshots, mapping).iloc[3])


def test_calendar_weeks_follow_the_stated_rules():
    """spring = most curtailed energy, summer = least wind, winter = highest demand peak; whole weeks only, every
    hour modelled and in the season's months."""
    t = pd.date_range("2023-01-01", periods=8760, freq="h")
    demand = pd.Series(100.0, index=t)
    curt = pd.Series(0.0, index=t)
    wind = pd.Series(50.0, index=t)
    curt["2023-05-10":"2023-05-16"] = 3.0  # the spring week with the most curtailment starts on 10 May
    wind["2023-07-03":"2023-07-09"] = 1.0  # the summer week with the least wind starts on 3 July
    demand[pd.Timestamp("2023-12-20 18:00")] = 180.0  # the winter peak: weeks from 14 to 20 December hold it
    demand["2023-12-14":"2023-12-20"] += 1.0  # ... and the one from 14 December holds the most energy
    modelled = np.ones(len(t), dtype=bool)
    picked = series.pick_calendar_weeks(demand, curt, wind, modelled)
    assert picked["spring"][0] == pd.Timestamp("2023-05-10") and len(picked["spring"]) == 168
    assert picked["summer"][0] == pd.Timestamp("2023-07-03")
    assert picked["winter"][0] == pd.Timestamp("2023-12-14")
    only_july = (t.month == 7) & (t.day <= 21)
    picked = series.pick_calendar_weeks(demand.where(only_july), curt.where(only_july), wind.where(only_july), only_july)
    assert picked["spring"] is None and picked["winter"] is None
    assert picked["summer"][0] == pd.Timestamp("2023-07-03")
    assert series.calendar_weeks(t, only_july, (6, 7, 8)) == [24 * d for d in range(181, 196)]
