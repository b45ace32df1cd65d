"""Property-based tests (hypothesis): scenario files and input tables with random defects either load or raise a
`Re300Error` whose one-line message names the file — never any other exception (no raw traceback for a user).

Defects: wrong types, negative numbers, NaN/inf/blank, unknown names, missing or renamed columns, duplicated and
dropped rows, garbage text and bytes in place of a file, truncated files. Each example works on a fresh copy of
`inputs/` (the real folder is never touched).
"""
from __future__ import annotations

import csv
import io
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from re300.config import load_scenario, validate_names
from re300.errors import Re300Error
from re300.inputs.tables import FILES, load_tables
from re300.weather.tables import load_weather_tables

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "inputs"
WEATHER_FILES = ("sites.csv", "site_parameters.csv", "pv_systems.csv", "wind_farms.csv", "profile_sites.csv",
                 "weather_parameters.csv")
TABLE_FILES = tuple(FILES) + WEATHER_FILES
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_counter = itertools.count()


@pytest.fixture(scope="module")
def workdir():
    d = Path(tempfile.mkdtemp(prefix="re300-property-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def known_names():
    tables = load_tables(INPUTS)
    return set(tables.regions.index), set(tables.technologies.index), set(tables.links.index)


# ---- scenario files -------------------------------------------------------------------------------------------------

SECTION_KEYS = {
    "demand": ["base_year", "growth_factor", "region_factors"],
    "targets": ["renewable_share", "export_share", "deduct_storage_losses", "deduct_transmission_losses",
                "allow_shortfall", "shortfall_penalty_krw_per_mwh"],
    "prices": ["discount_rate", "carbon_price_krw_per_t", "value_of_lost_load_krw_per_mwh", "nonrenewable_price_krw_per_mwh"],
    "technologies": ["exclude", "no_expansion", "capex_factor", "potential_factor"],
    "links": ["no_expansion", "max_new_mw", "capex_factor"],
    "time": ["mode", "weeks", "weights"],
    "weather": ["source", "year", "seed"],
    "solver": ["method", "crossover", "time_limit_s", "threads", "options"],
}
TOP_KEYS = ["name", "description", "year", "cost_year", "inputs_dir", "output_dir", "extends", *SECTION_KEYS]
NAMES = ["jeonnam", "jeonbuk", "gwangju", "capital", "offshore_wind", "utility_pv", "battery", "jeonbuk_capital",
         "jeonam", "ofshore_wind", "mars", ""]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(NAMES + ["weeks", "full", "ipm", "simplex", "1e3", "-1", "nan", "three"]),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(NAMES + ["x", "y"]), inner, max_size=3)),
    max_leaves=6,
)


@st.composite
def scenario_documents(draw):
    doc = {}
    for key in draw(st.lists(st.sampled_from(TOP_KEYS + ["unknown_key", "targetz"]), max_size=5, unique=True)):
        if key in SECTION_KEYS and draw(st.booleans()):
            sub = draw(st.lists(st.sampled_from(SECTION_KEYS[key] + ["bogus"]), max_size=3, unique=True))
            doc[key] = {k: draw(values) for k in sub}
        elif key == "extends":
            doc[key] = draw(st.sampled_from([str(REPO / "models" / "base.yaml"), str(REPO / "models" / "quick.yaml"),
                                             "missing.yaml", "", 3]))
        else:
            doc[key] = draw(values)
    return doc


def _write_yaml(workdir: Path, text: str | bytes) -> Path:
    path = workdir / f"scenario_{next(_counter)}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _load_or_clear_error(path: Path, known=None):
    try:
        sc = load_scenario(path)
        if known is not None:
            validate_names(sc, *known)
    except Re300Error as e:
        event(f"{type(e).__name__}")
        msg = str(e)
        assert path.name in msg, msg
        assert "\n" not in msg.strip() and "Traceback" not in msg, msg
        return None
    event("loaded")
    return sc


@SETTINGS
@given(doc=scenario_documents(), extends_base=st.booleans())
def test_random_scenario_documents_load_or_fail_clearly(workdir, known_names, doc, extends_base):
    import yaml

    if extends_base and "extends" not in doc:
        doc["extends"] = str(REPO / "models" / "base.yaml")
    path = _write_yaml(workdir, yaml.safe_dump(doc, allow_unicode=True))
    _load_or_clear_error(path, known_names)


@SETTINGS
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(bytes)))
def test_garbage_scenario_files_fail_clearly(workdir, text):
    _load_or_clear_error(_write_yaml(workdir, text))


# ---- input tables ---------------------------------------------------------------------------------------------------


def _read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return [row for row in csv.reader(f)]


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


DEFECTS = ("wrong_type", "negative", "not_finite", "blank", "unknown_name", "drop_column", "rename_column",
           "duplicate_row", "drop_row", "extra_cell", "garbage_text", "garbage_bytes", "truncate", "empty")
CELL_TEXT = st.one_of(st.text(max_size=10), st.sampled_from(["abc", "1,000", "1e400", "--3", "0x10", "true", "MW"]))


@st.composite
def table_defects(draw):
    name = draw(st.sampled_from(TABLE_FILES))
    rows = _read_rows(INPUTS / name)
    header, body = rows[0], rows[1:]
    kind = draw(st.sampled_from(DEFECTS))
    r = draw(st.integers(0, max(len(body) - 1, 0)))
    c = draw(st.integers(0, len(header) - 1))
    if kind in ("wrong_type", "negative", "not_finite", "blank", "unknown_name") and body:
        row = list(body[r])
        if kind == "wrong_type":
            row[c] = draw(CELL_TEXT)
        elif kind == "negative":
            numeric = [i for i, v in enumerate(row) if _is_number(v)] or [c]
            i = draw(st.sampled_from(numeric))
            row[i] = "-" + row[i].lstrip("-") if _is_number(row[i]) else "-1"
        elif kind == "not_finite":
            row[c] = draw(st.sampled_from(["nan", "NaN", "inf", "-inf", "NA"]))
        elif kind == "blank":
            row[c] = ""
        else:
            row[c] = draw(st.sampled_from(["jeonam", "mars", "offshore", "utility-pv", "JEONNAM", " jeonnam"]))
        body = body[:r] + [row] + body[r + 1:]
        return name, [header] + body
    if kind == "drop_column":
        return name, [row[:c] + row[c + 1:] for row in rows]
    if kind == "rename_column":
        return name, [header[:c] + [header[c] + "_x"] + header[c + 1:]] + body
    if kind == "duplicate_row" and body:
        return name, [header] + body[: r + 1] + [body[r]] + body[r + 1:]
    if kind == "drop_row" and body:
        return name, [header] + body[:r] + body[r + 1:]
    if kind == "extra_cell" and body:
        return name, [header] + body[:r] + [body[r] + ["extra"]] + body[r + 1:]
    if kind == "garbage_text":
        return name, draw(st.text(max_size=300))
    if kind == "garbage_bytes":
        return name, draw(st.binary(max_size=300))
    if kind == "truncate":
        text = (INPUTS / name).read_bytes()
        return name, text[: draw(st.integers(0, len(text)))]
    return name, b""


def _is_number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _apply(folder: Path, name: str, content) -> None:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8", errors="surrogatepass") if _encodable(content) else path.write_bytes(
            content.encode("utf-8", errors="replace"))
    else:
        _write_rows(path, content)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.slow  # a weather year or a fresh process: 2-3 s; make test-fast stays under a minute
@SETTINGS
@given(defects=st.lists(table_defects(), min_size=1, max_size=2))
def test_input_tables_with_random_defects_load_or_fail_clearly(workdir, defects):
    folder = workdir / f"inputs_{next(_counter)}"
    shutil.copytree(INPUTS, folder)
    try:
        for name, content in defects:
            _apply(folder, name, content)
        try:
            load_tables(folder)
            load_weather_tables(folder)
            event("loaded")
        except Re300Error as e:
            event(f"{type(e).__name__}")
            msg = str(e)
            assert str(folder) in msg and ".csv" in msg, msg
            assert "Traceback" not in msg and "\n" not in msg.strip(), msg
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_known_defect_is_named_with_file_row_and_column(tmp_path):
    """The property above cannot check wording; one defect whose message is known exactly."""
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    rows = _read_rows(folder / "capacities.csv")
    col = rows[0].index("value")
    rows[3][col] = "-5"
    _write_rows(folder / "capacities.csv", rows)
    with pytest.raises(Re300Error) as e:
        load_tables(folder)
    msg = str(e.value)
    assert msg.startswith(f"{folder / 'capacities.csv'}, row 4, column 'value'") and "-5" in msg
