"""The `re300` command line, run as a subprocess like a user would."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(repo_root, *args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo_root) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "re300.cli", *args],
        cwd=cwd or repo_root, env=env, capture_output=True, text=True, timeout=120,
    )


def test_show_quick(repo_root):
    r = _run(repo_root, "show", "models/quick.yaml")
    assert r.returncode == 0, r.stderr
    assert "name: quick" in r.stdout
    assert "weeks: [2, 28]" in r.stdout
    import yaml

    data = yaml.safe_load(r.stdout)
    assert data["name"] == "quick" and data["demand"]["growth_factor"] == 1.0


@pytest.mark.parametrize(
    "text",
    ["year: abc\n", "time:\n  wekes: [1]\n", "extends: missing.yaml\n", "year: [\n"],
)
def test_bad_file_one_line_error(repo_root, tmp_path, text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    r = _run(repo_root, "show", str(bad))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("re300: error:") and "bad.yaml" in lines[0]
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


def test_missing_file_and_solve_fail_fast(repo_root, tmp_path):
    r = _run(repo_root, "solve", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2 and r.stderr.startswith("re300: error:") and "Traceback" not in r.stderr


def test_debug_shows_traceback(repo_root, tmp_path):
    r = _run(repo_root, "--debug", "show", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2 and "Traceback" in r.stderr and "re300: error:" in r.stderr


def test_usage_error(repo_root):
    r = _run(repo_root)
    assert r.returncode == 2 and "usage: re300" in r.stderr


def test_main_in_process(repo_root, capsys, monkeypatch):
    from re300 import cli

    monkeypatch.chdir(repo_root)
    assert cli.main(["show", "models/re100_2034.yaml"]) == 0
    assert "name: re100_2034" in capsys.readouterr().out


def test_solve_calls_run_scenario(repo_root, tmp_path, capsys, monkeypatch):
    """`re300 solve` passes the file and --output-dir to re300.run.run_scenario and reports the folder."""
    import types

    from re300 import cli

    calls = []

    def fake_run_scenario(path, output_dir=None):
        calls.append((path, output_dir))
        return tmp_path / "quick"

    monkeypatch.setitem(sys.modules, "re300.run", types.SimpleNamespace(run_scenario=fake_run_scenario))
    monkeypatch.chdir(repo_root)
    assert cli.main(["solve", "models/quick.yaml", "--output-dir", str(tmp_path)]) == 0
    assert [(p.name, o) for p, o in calls] == [("quick.yaml", tmp_path)]
    assert str(tmp_path / "quick") in capsys.readouterr().out


def test_keyboard_interrupt(repo_root, capsys, monkeypatch):
    import types

    from re300 import cli

    def interrupted(path, output_dir=None):
        raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "re300.run", types.SimpleNamespace(run_scenario=interrupted))
    monkeypatch.chdir(repo_root)
    assert cli.main(["solve", "models/quick.yaml"]) == 130
    assert "interrupted" in capsys.readouterr().err
