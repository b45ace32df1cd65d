"""Shared fixtures. The repository root is put on sys.path so tests run from a plain checkout too."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def models_dir() -> Path:
    return REPO_ROOT / "models"


@pytest.fixture(scope="session")
def inputs_dir() -> Path:
    return REPO_ROOT / "inputs"


@pytest.fixture
def write_yaml(tmp_path):
    """write_yaml("name.yaml", '''yaml text''') -> Path in tmp_path (text is dedented)."""

    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    return _write


# ---- solved runs shared by several test modules (each solved once per session; tests must not write into them:
# copy a run folder first, e.g. with `copy_run`) ---------------------------------------------------------------------
# a short pathway: 2 typical days + the peak-demand and least-wind days, each in 4 segments, five periods
PATHWAY_REDUCED = {"time": {"mode": "representative", "typical_days": 2, "segments": 4, "extremes": True}}


def scenario_file(folder: Path, name: str, parent: str, **override) -> Path:
    """A scenario file in `folder` that extends models/<parent> with `override` (inputs from the checkout)."""
    import yaml

    p = folder / f"{name}.yaml"
    p.write_text(yaml.safe_dump({"extends": str(REPO_ROOT / "models" / parent), "name": name,
                                 "inputs_dir": str(REPO_ROOT / "inputs"), **override}))
    return p


def _solve(tmp_path_factory, name: str, parent: str, **override) -> Path:
    """Solve models/<parent> (as shipped when there is no override) into a fresh folder; the results folder."""
    from re300.run import run_scenario

    d = tmp_path_factory.mktemp(name)
    path = scenario_file(d, name, parent, **override) if override else REPO_ROOT / "models" / parent
    return run_scenario(path, output_dir=d / "out", echo=False)


@pytest.fixture(scope="session")
def quick_run_dir(tmp_path_factory) -> Path:
    """models/quick.yaml as shipped (two selected weeks): a few seconds."""
    return _solve(tmp_path_factory, "quick", "quick.yaml")


@pytest.fixture(scope="session")
def flagship_run(tmp_path_factory) -> Path:
    """models/re300_2050.yaml as shipped (24 typical days + 2 extreme days, 12 segments): about 15 s."""
    return _solve(tmp_path_factory, "re300_2050", "re300_2050.yaml")


@pytest.fixture(scope="session")
def pathway_reduced_run(tmp_path_factory) -> Path:
    """models/pathway.yaml on PATHWAY_REDUCED (five periods): about 15 s."""
    return _solve(tmp_path_factory, "pathway_reduced", "pathway.yaml", **PATHWAY_REDUCED)


@pytest.fixture(scope="session")
def full_year_daily_run(tmp_path_factory) -> Path:
    """The flagship on the full year in 24-hour steps (mode full, 365 snapshots): the full-year horizon on a short
    LP (the hourly full year takes half an hour)."""
    return _solve(tmp_path_factory, "full_daily", "re300_2050.yaml", time={"mode": "full", "resolution_hours": 24})


@pytest.fixture
def copy_run(tmp_path):
    """copy_run(run_dir, keep_nc=False) -> a copy of a results folder in tmp_path (without results.nc and the HiGHS log
    unless keep_nc), so a test can write a memo into it and prove the memo needs the CSVs only."""
    import shutil

    def _copy(run_dir: Path, keep_nc: bool = False) -> Path:
        dest = tmp_path / Path(run_dir).name
        ignore = shutil.ignore_patterns("memo") if keep_nc else shutil.ignore_patterns("results.nc", "highs*.log", "memo")
        shutil.copytree(run_dir, dest, ignore=ignore)
        return dest

    return _copy
