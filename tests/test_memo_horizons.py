"""The memo on every horizon, checked with numbers: the flagship's representative days with segments, selected weeks
(`quick`), a full year (in 24-hour steps) and a pathway. Each memo is built from a copy of the run without results.nc
(the memo needs the CSVs only); the numbers are re-read from the CSVs here with plain pandas.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from re300.report import figures as F
from re300.report import series
from re300.report.memo import build_memo
from re300.report.runcsv import load_run

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
RUNS = ("flagship_run", "quick_run_dir", "full_year_daily_run")


@pytest.fixture(scope="module")
def memos(request, tmp_path_factory):
    """{fixture name: (run copy, MemoResult)}: one memo per single-year horizon, built once for the module."""
    import shutil

    out = {}
    for name in RUNS:
        run_dir = request.getfixturevalue(name)
        copy = tmp_path_factory.mktemp(f"memo_{name}") / run_dir.name
        shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("results.nc", "highs*.log", "memo"))
        out[name] = (copy, build_memo(copy, langs=("ko", "en") if name == "flagship_run" else ("en",)))
    return out


@pytest.fixture(scope="module")
def pathway_memo(pathway_reduced_run, tmp_path_factory):
    import shutil

    copy = tmp_path_factory.mktemp("memo_pathway") / pathway_reduced_run.name
    shutil.copytree(pathway_reduced_run, copy, ignore=shutil.ignore_patterns("results.nc", "highs*.log", "memo"))
    return copy, build_memo(copy)


def summary(run_dir: Path, period=None) -> pd.Series:
    s = pd.read_csv(run_dir / "summary.csv")
    if period is not None:
        s = s[s["period"].astype(str) == str(period)]
    return s.set_index("metric")["value"].astype(float)


def honam_energy(run_dir: Path, period=None) -> pd.DataFrame:
    e = pd.read_csv(run_dir / "energy.csv")
    if period is not None:
        e = e[e["period"] == period]
    regions = pd.read_csv(REPO / "inputs" / "regions.csv")
    honam = set(regions.loc[regions["kind"] == "honam", "region"])
    return e[e["region"].isin(honam)]


def check_monthly_balance(run, run_dir: Path, period=None, months=None):
    """The memo's monthly balance (figures.monthly_balance) adds up to energy.csv's annual Honam totals."""
    supply, uses, curtail = F.monthly_balance(run)
    e = honam_energy(run_dir, period)
    q = lambda name: e[e["quantity"] == name].groupby("technology")["value"].sum()  # noqa: E731
    for tech, value in q("generation").items():
        if abs(value) > 1:
            assert supply[tech].sum() == pytest.approx(value, rel=1e-8), tech
    assert uses["demand"].sum() == pytest.approx(q("demand").sum(), rel=1e-9)
    assert uses["charge"].sum() == pytest.approx(q("storage_charge").sum(), rel=1e-8, abs=1.0)
    assert supply.get("discharge", pd.Series(0.0)).sum() == pytest.approx(q("storage_discharge").sum(), rel=1e-8, abs=1.0)
    assert curtail.sum() == pytest.approx(e[(e["quantity"] == "curtailment")
                                           & e["technology"].map(run.is_renewable)]["value"].sum(), rel=1e-8, abs=1.0)
    # only Honam's own generation is supply (not the export region's national-grid supply), and every month closes:
    # generation + discharge + net import + unserved = demand + charge + net export
    own = set(q("generation").index) | {"discharge", "net_import", "unserved"}
    assert set(supply.columns) <= own, set(supply.columns) - own
    np.testing.assert_allclose(supply.sum(axis=1), uses.sum(axis=1), rtol=1e-7, atol=1.0)
    h = pd.read_csv(run_dir / "hourly.csv")
    h = h[(h["quantity"] == "net_import") & h["region"].isin(set(e["region"]))]
    if period is not None:
        h = h[h["period"] == period]
    net_export = -(h["value"] * h["weight_h"]).sum()  # MWh/yr: Σ weight_h x MW over Honam's snapshots
    assert (uses["net_export"] - supply.get("net_import", 0.0)).sum() == pytest.approx(net_export, rel=1e-7, abs=1.0)
    if months is not None:
        assert list(uses.index) == months
        assert (uses["demand"] > 0).all()


def check_dispatch_weeks(run, seasons: set[str]):
    """Each dispatch figure's week: 168 calendar hours, every one with data, all in the season's months; spring is the
    week with the most curtailment among the whole weeks of March-May (worked out here with pandas)."""
    h, weeks = F.season_weeks(run)
    assert {s for s, w in weeks.items() if w is not None} == seasons
    for season in seasons:
        block = weeks[season]
        assert len(block) == 168 and block[0].hour == 0
        assert (pd.Series(block).diff().dropna() == pd.Timedelta(hours=1)).all()
        assert h.loc[block].notna().all().all() and (h.loc[block, "demand"] > 0).all()
        assert set(block.month) <= set(series.SEASON_MONTHS[season])
    if "spring" in seasons:
        curt = h[[c for c in h.columns if c.startswith("curtailment:")]].sum(axis=1, min_count=1)
        spring = curt[curt.index.month.isin([3, 4, 5])]
        daily = spring.groupby(spring.index.normalize()).sum()
        days = pd.DatetimeIndex(daily.index)
        weekly = {d: daily.loc[d:d + pd.Timedelta(days=6)].sum() for d in days
                  if d + pd.Timedelta(days=6) in days}
        most = max(weekly.values())
        best = {d for d, v in weekly.items() if v >= most * (1 - 1e-9)}  # ties (e.g. daily steps) within rounding
        assert weeks["spring"][0] in best


def delivered(s) -> float:
    """MWh the plan delivers: Honam demand, net exports and the electricity that made the hydrogen sold."""
    return s["honam_consumption"] + s["exports_delivered"] + s.get("hydrogen_sold_electricity", 0.0)


def check_cost_headline(result, run_dir: Path, lang_files=("en",)):
    """Headline cost per MWh = total cost / (Honam demand + exports delivered + the electricity behind hydrogen sold),
    from summary.csv; the split into Honam supply and the export service adds up to the total; the rendered memo
    shows the number."""
    s = summary(run_dir)
    hl = result.headline
    expected = s["total_system_cost"] / delivered(s)
    assert s["average_cost_per_mwh_delivered"] == pytest.approx(expected, rel=1e-9)
    assert hl["average_cost_per_mwh_delivered"].value == s["average_cost_per_mwh_delivered"]
    assert hl["cost_honam_supply"].value + hl["cost_export_service"].value == pytest.approx(s["total_system_cost"], rel=1e-12)
    for lang in lang_files:
        md = (result.memo_dir / f"memo.{lang}.md").read_text(encoding="utf-8").split("\n## ")[0]
        assert f"{expected:,.0f}" in md
    md = (result.memo_dir / "memo.en.md").read_text(encoding="utf-8")
    assert f"{expected:,.0f} KRW/MWh delivered (Honam demand" in md
    assert f"{s['average_cost_per_mwh_demand']:,.0f} KRW/MWh of Honam demand" in md


def check_no_machine_paths(result, run_dir: Path):
    for path in result.files:
        if path.suffix in (".md", ".html"):
            text = path.read_text(encoding="utf-8")
            for bad in (str(run_dir), str(run_dir.parent), str(REPO), str(Path.home()), "/tmp/", "/work/", "/home/"):
                assert bad not in text, (path.name, bad)


# ---- representative days with segments: the flagship ---------------------------------------------------------------
def test_flagship_memo_is_on_the_calendar(memos):
    run_dir, result = memos["flagship_run"]
    run = load_run(run_dir)
    check_monthly_balance(run, run_dir, months=list(range(1, 13)))
    check_dispatch_weeks(run, {"spring", "summer", "winter"})
    check_cost_headline(result, run_dir, ("en", "ko"))
    check_no_machine_paths(result, run_dir)
    en = (result.memo_dir / "memo.en.md").read_text(encoding="utf-8")
    # the days modelled, counted from calendar.csv: distinct days holding snapshots = 24 typical days + the extreme
    # days tsam kept apart (peak demand, least wind: one day or two, depending on the weather year)
    cal = pd.read_csv(run_dir / "calendar.csv", parse_dates=["time", "snapshot"])
    days = cal["snapshot"].dt.normalize().nunique()
    extreme = days - 24
    assert extreme in (1, 2)
    word = "extreme day" if extreme == 1 else "extreme days"
    assert f"24 typical days + {extreme} {word}, 12 segments per day, mapped onto the 365 days of the calendar" in en
    assert "modelled weeks" not in en and f"대표일 24일 + 극한일 {extreme}일, 하루 12개 구간" in \
        (result.memo_dir / "memo.ko.md").read_text(encoding="utf-8")
    names = {p.name.split(".")[0] for p in (result.memo_dir / "figures").glob("*.en.png")}
    assert names == {"capacity", "map", "dispatch_spring", "dispatch_summer", "dispatch_winter", "monthly_balance",
                     "storage_level", "price_duration", "costs"}


def test_flagship_storage_levels_stay_within_capacity_and_close_the_year(memos):
    run_dir, _ = memos["flagship_run"]
    run = load_run(run_dir)
    cap = pd.read_csv(run_dir / "capacity.csv")
    cap = cap[cap["kind"] == "energy"].set_index(["technology", "region"])["total"]
    levels = run.storage_levels
    assert len(levels) == 8760 and levels.notna().all().all()
    for (tech, region), v in levels.items():
        assert v.min() >= -1e-6 and v.max() <= cap[(tech, region)] * (1 + 1e-9) + 1e-6, (tech, region)
    by_tech, capacity = F.storage_by_technology(run)
    assert set(by_tech.columns) == set(capacity.index) and "battery" in capacity.index


def test_flagship_monthly_balance_is_not_booked_to_medoid_months(memos):
    """The bug of issue 13: each typical day's weight booked to the month of its label. On the calendar no month holds
    more than a fifth of the year's demand."""
    run_dir, _ = memos["flagship_run"]
    _, uses, _ = F.monthly_balance(load_run(run_dir))
    share = uses["demand"] / uses["demand"].sum()
    assert share.max() < 0.2 and share.min() > 0.05


# ---- selected weeks: quick -------------------------------------------------------------------------------------------
def test_weeks_memo_shows_only_the_modelled_weeks(memos):
    run_dir, result = memos["quick_run_dir"]
    run = load_run(run_dir)
    check_monthly_balance(run, run_dir, months=[1, 7])
    check_dispatch_weeks(run, {"summer", "winter"})
    check_cost_headline(result, run_dir)
    check_no_machine_paths(result, run_dir)
    en = (result.memo_dir / "memo.en.md").read_text(encoding="utf-8")
    # the modelled weeks, from calendar.csv: the first day of each run of hours with a weight
    cal = pd.read_csv(run_dir / "calendar.csv", parse_dates=["time"])
    hours = cal.loc[cal["weight_h"] > 0, "time"]
    starts = hours[hours.diff() != pd.Timedelta(hours=1)].dt.date.astype(str).tolist()
    assert len(starts) == 2
    assert f"2 selected weeks (starting {starts[0]}, {starts[1]})" in en
    assert "No whole modelled week falls in spring" in en and "The rest of the year is not modelled" in en


# ---- the full year ------------------------------------------------------------------------------------------------
def test_full_year_memo(memos):
    run_dir, result = memos["full_year_daily_run"]
    run = load_run(run_dir)
    check_monthly_balance(run, run_dir, months=list(range(1, 13)))
    check_dispatch_weeks(run, {"spring", "summer", "winter"})
    check_cost_headline(result, run_dir)
    assert "all 8,760 hours of the year in 24-hour steps" in (result.memo_dir / "memo.en.md").read_text(encoding="utf-8")


# ---- the pathway -------------------------------------------------------------------------------------------------
def test_pathway_memo_numbers(pathway_memo):
    run_dir, result = pathway_memo
    run = load_run(run_dir)
    years = run.periods
    assert years == [2030, 2034, 2040, 2045, 2050]
    hl = result.headline
    s_all = summary(run_dir, "all")
    assert hl["discounted_total_system_cost"].value == s_all["discounted_total_system_cost"]
    for y in years:
        s = summary(run_dir, y)
        expected = s["total_system_cost"] / delivered(s)
        assert hl[f"average_cost_per_mwh_delivered@{y}"].value == pytest.approx(expected, rel=1e-9)
        assert hl[f"renewable_ratio@{y}"].value == s["renewable_ratio"]
    for lang, label in (("en", "KRW/MWh delivered"), ("ko", "공급 전력량")):
        md = (result.memo_dir / f"memo.{lang}.md").read_text(encoding="utf-8")
        rows = [line for line in md.splitlines() if re.match(r"\| 20\d\d \|", line)]
        assert [int(r.split("|")[1]) for r in rows] == years
        for y, row in zip(years, rows):
            s = summary(run_dir, y)
            cells = [c.strip() for c in row.split("|")[1:-1]]
            assert cells[4] == f"{s['total_system_cost'] / 1e12:,.2f}"
            assert cells[5] == f"{s['total_system_cost'] / delivered(s):,.0f}"
            assert cells[2].startswith(f"{s['renewable_ratio']:.2f}")
        assert label in md
        assert f"{s_all['discounted_total_system_cost'] / 1e12:,.2f}" in md.split("\n## ")[0]
    check_no_machine_paths(result, run_dir)
    # the final period on the calendar: its monthly balance adds up to that period's energy.csv
    check_monthly_balance(run.for_period(years[-1]), run_dir, period=years[-1], months=list(range(1, 13)))
    names = {p.name.split(".")[0] for p in (result.memo_dir / "figures").glob("*.ko.png")}
    assert names == {"trajectory", "targets", "period_costs", "build_retire", "hvdc", f"monthly_balance_{years[-1]}",
                     f"storage_level_{years[-1]}"}
    for png in (result.memo_dir / "figures").glob("*.png"):
        with Image.open(png) as im:
            px = np.asarray(im.convert("L"), dtype=float)
        assert px.std() > 20 and (px < 200).mean() > 0.02, png.name


def test_pathway_trajectory_and_hvdc_figures_use_the_trajectory(pathway_memo):
    run_dir, _ = pathway_memo
    run = load_run(run_dir)
    from re300.report import pathway_memo as P

    t = pd.read_csv(run_dir / "capacity_trajectory.csv")
    links = pd.read_csv(run_dir / "transmission.csv")
    into_capital = set(links.loc[(links["to_region"] == "capital") | (links["from_region"] == "capital"), "link"])
    assert {"jeonnam_capital", "jeonbuk_capital", "honam_north_ac"} <= into_capital
    corridor = t[(t["kind"] == "transfer") & t["technology"].isin(into_capital)]
    assert P.corridor(run)["total"].sum() == pytest.approx(corridor["total"].sum())
    built = t[(t["kind"] == "power") & t["region"].isin(run.honam_regions) & (t["technology"] != "nonrenewable_supply")]
    assert P.built_total(run).sum() == pytest.approx(built["built"].sum())


# ---- the flagship memo in a browser: no figure blank --------------------------------------------------------------
PROBE = """<script>
window.addEventListener('load', () => {
  const rows = [...document.querySelectorAll('figure img')].map(img => {
    const r = img.getBoundingClientRect();
    return [img.alt, Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width),
            Math.round(r.height), img.naturalWidth].join('|');
  });
  const pre = document.createElement('pre');
  pre.id = 'figure-boxes';
  pre.textContent = rows.join('\\n') + '\\nPAGE|' + document.documentElement.scrollHeight;
  document.body.appendChild(pre);
});
</script>"""
# share of strongly coloured pixels a figure needs: area charts much, line charts (price curves, the map) some; an empty
# chart (axes, title and a legend only) measures about 0.005
# "price": three line curves that overlap for most hours (measured 0.009 on the flagship since the capital region
# left the Honam panels); the same chart with its three-entry legend and no data measures 0.0007 (test below)
MIN_COLOUR = {"default": 0.01, "price": 0.004, "capacity": 0.08, "dispatch": 0.08, "monthly": 0.08, "storage": 0.08, "costs": 0.03}


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--virtual-time-budget=10000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium missing: `.ci/run` installs the Debian package "
                                                  "chromium; without it the memo is not rendered in a browser")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_flagship_memo_figures_render_non_blank_in_chromium(memos, tmp_path, lang):
    _, result = memos["flagship_run"]
    page = (result.memo_dir / f"memo.{lang}.html").read_text(encoding="utf-8")
    probe = tmp_path / f"probe.{lang}.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(["--window-size=1200,3000", "--dump-dom", probe.as_uri()], tmp_path / "profile1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    boxes = re.search(r'<pre id="figure-boxes">(.*?)</pre>', dom.stdout, re.S).group(1).strip().splitlines()
    height = int(boxes.pop().split("|")[1])
    figures = [b.rsplit("|", 5) for b in boxes]
    assert len(figures) == 9
    shot = tmp_path / f"memo.{lang}.png"
    done = _chromium([f"--window-size=1200,{height + 200}", f"--screenshot={shot}", probe.as_uri()], tmp_path / "profile2")
    assert done.returncode == 0, done.stderr[-2000:]
    with Image.open(shot) as im:
        px = np.asarray(im.convert("RGB"), dtype=int)
    for title, x, y, w, h, natural in figures:
        x, y, w, h = int(x), int(y), int(w), int(h)
        assert int(natural) > 0 and w > 300 and h > 200, title  # the image loaded and is shown
        area = px[y:y + h, x:x + w]
        assert area.shape[0] == h, (title, "outside the screenshot")
        ink = (area.min(axis=2) < 235).mean()
        colour = (area.max(axis=2) - area.min(axis=2) > 40).mean()
        kind = result_name(title)
        assert ink > 0.04 and colour > MIN_COLOUR[kind], (title, round(ink, 3), round(colour, 4))


def result_name(title: str) -> str:
    """The figure kind of a memo figure title (English or Korean)."""
    t = title.lower()
    for kind, words in (("default", ("map", "지도")), ("price", ("price", "가격")), ("dispatch", ("dispatch", "운전")), ("monthly", ("monthly", "월별")),
                        ("storage", ("stored", "저장 에너지")), ("capacity", ("capacity by", "설비용량")),
                        ("costs", ("cost", "비용"))):
        if any(w in t for w in words):
            return kind
    return "default"


def test_blank_detection_catches_an_empty_chart(tmp_path):
    """The thresholds above, on a chart with axes, a title and a legend but no data (what issue 13 saw)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    with F.figure_style():
        fig, ax = plt.subplots(figsize=(11, 5))
        ax.plot(pd.to_datetime(["2021-01-01", "2025-01-01"]), [np.nan, np.nan])
        colors = list(F.TECH_COLORS.values()) + ["#c39bd3", "#bfbfbf", "#c0392b"]
        ax.legend([Patch(facecolor=c) for c in colors], [f"item {i}" for i in range(len(colors))], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0))
        ax.set_title("Hourly dispatch in Honam: spring week")
        F.save(fig, tmp_path / "empty.png")
    with Image.open(tmp_path / "empty.png") as im:
        area = np.asarray(im.convert("RGB"), dtype=int)
    colour = (area.max(axis=2) - area.min(axis=2) > 40).mean()
    assert colour < MIN_COLOUR["default"] < MIN_COLOUR["dispatch"]
    with F.figure_style():  # a price duration chart without its curves
        fig, ax = plt.subplots(figsize=(9, 5))
        for c, label in zip(F.TECH_COLORS.values(), ("a", "b", "c")):
            ax.step([np.nan, np.nan], [np.nan, np.nan], lw=1.8, color=c, label=label)
        ax.legend()
        ax.set_title("Price duration curves")
        F.save(fig, tmp_path / "empty_price.png")
    with Image.open(tmp_path / "empty_price.png") as im:
        area = np.asarray(im.convert("RGB"), dtype=int)
    assert (area.max(axis=2) - area.min(axis=2) > 40).mean() < MIN_COLOUR["price"]
