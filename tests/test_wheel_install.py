"""re300 runs from a plain (non-editable) wheel install, outside the checkout: `pip install re300-*.whl` into a fresh
virtual environment, then `re300 solve` on a scenario file and an inputs folder given by path, with the profile cache
in the user cache folder (re300.paths).

The fresh environment borrows the dependencies of the test environment (a .pth line pointing at its site-packages;
.pth files inside that folder, such as the editable install of the checkout, are not processed), so only re300 itself
is installed from the wheel. The wheel is built once per test session.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

ONE_WEEK = """extends: re300_2050.yaml
name: wheel_week
description: "flagship on one summer week (wheel-install test)"
time: {mode: weeks, weeks: [28], weights: null}
"""


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{cmd[0]} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """re300's wheel, built from the checkout (no dependencies resolved: they are already installed)."""
    out = tmp_path_factory.mktemp("wheel")
    src = tmp_path_factory.mktemp("src")
    # build from a clean copy of the tracked sources (no .venv, outputs or caches; no build/ left in the checkout)
    files = _run(["git", "ls-files", "-z"], cwd=REPO).stdout.split("\0")
    for f in filter(None, files):
        if (REPO / f).is_file():
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / f, src / f)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)])
    (found,) = out.glob("re300-*.whl")
    return found


def test_solve_from_an_installed_wheel(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)])

    project = tmp_path / "project"  # a user's folder: scenarios and inputs, no re300 sources
    shutil.copytree(REPO / "inputs", project / "inputs")
    (project / "models").mkdir()
    for name in ("base.yaml", "re300_2050.yaml"):
        shutil.copy2(REPO / "models" / name, project / "models" / name)
    (project / "models" / "wheel_week.yaml").write_text(ONE_WEEK)

    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RE300_CACHE_DIR", "RE300_OUTPUTS")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    where = _run([str(py), "-c", "import re300, re300.paths as p; print(re300.__file__); print(p.source_checkout())"],
                 cwd=project, env=env).stdout.split()
    assert Path(where[0]).is_relative_to(site) and where[1] == "None"

    done = _run([str(env_dir / "bin" / "re300"), "solve", "models/wheel_week.yaml"], cwd=project, env=env)
    assert "outputs written to" in done.stdout
    run = project / "outputs" / "wheel_week"
    summary = pd.read_csv(run / "summary.csv").set_index("metric")["value"]
    assert summary["total_system_cost"] > 0
    assert list((home / ".cache" / "re300" / "profiles").glob("cf_*.nc")), "profiles not cached in the user cache"
    # the manifest names input files relative to the project folder (the parent of inputs/), and verify finds them
    verified = _run([str(py), "-m", "re300", "verify", str(run)], cwd=project, env=env)
    assert "FAIL" not in verified.stdout
