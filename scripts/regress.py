"""Behaviour check for refactors: solve scenarios with the code of a base revision and with the working tree, then
compare every CSV they wrote byte for byte (and the objective in manifest.json).

    python scripts/regress.py                      # base = the revision in scripts/regress_base.txt
    python scripts/regress.py --base cb51ead --scenarios quick,re300_2050,pathway
    make regress                                   # the same, from the virtual environment

The base revision is checked out into a temporary git worktree and run with the same interpreter (its package
directory first on PYTHONPATH), so both sides use the same installed dependencies. Outputs go to
outputs/regress/<side>/<scenario>/; the base side is reused when its manifest names the same revision.
Exit 0 when every CSV is identical, 1 otherwise (the differing files and their first differing line are printed).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "outputs" / "regress"
DEFAULT_SCENARIOS = ("quick", "re300_2050", "pathway")
SOLVE = "import sys; from re300.cli import main; sys.exit(main(sys.argv[1:]))"


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _solve(checkout: Path, scenario: str, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    cmd = [sys.executable, "-c", SOLVE, "solve", str(checkout / "models" / f"{scenario}.yaml"), "--output-dir", str(out)]
    print(f"[regress] {checkout.name}: re300 solve models/{scenario}.yaml", flush=True)
    done = subprocess.run(cmd, cwd=checkout, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"[regress] solve of {scenario} failed in {checkout}:\n{done.stderr[-2000:]}")


def _first_difference(a: Path, b: Path) -> str:
    la, lb = a.read_text().splitlines(), b.read_text().splitlines()
    for i, (x, y) in enumerate(zip(la, lb), start=1):
        if x != y:
            return f"line {i}: base {x!r} / current {y!r}"
    return f"{len(la)} lines in base, {len(lb)} in current"


def compare(base: Path, current: Path) -> list[str]:
    """Problems found comparing two run folders: CSVs present on one side only or with other bytes."""
    problems = []
    names = sorted({p.name for p in base.glob("*.csv")} | {p.name for p in current.glob("*.csv")})
    for name in names:
        a, b = base / name, current / name
        if not a.exists() or not b.exists():
            problems.append(f"{name}: only in {'current' if b.exists() else 'base'}")
        elif not filecmp.cmp(a, b, shallow=False):
            problems.append(f"{name}: differs ({_first_difference(a, b)})")
    oa = json.loads((base / "manifest.json").read_text())["solver"]
    ob = json.loads((current / "manifest.json").read_text())["solver"]
    key = next(k for k in oa if k.startswith("objective"))
    if oa[key] != ob.get(key):
        problems.append(f"objective differs: base {oa[key]!r}, current {ob.get(key)!r}")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default=None, help="git revision to compare against (default: scripts/regress_base.txt)")
    ap.add_argument("--scenarios", default=",".join(DEFAULT_SCENARIOS), help="comma-separated names in models/")
    args = ap.parse_args(argv)
    base_rev = args.base or (ROOT / "scripts" / "regress_base.txt").read_text().split()[0]
    base_sha = _git("rev-parse", base_rev)
    scenarios = [s for s in args.scenarios.split(",") if s]
    failed = False
    with tempfile.TemporaryDirectory(prefix="re300-regress-") as tmp:
        tree = Path(tmp) / f"base-{base_sha[:8]}"
        _git("worktree", "add", "--detach", str(tree), base_sha)
        try:
            for s in scenarios:
                b, c = OUT / "base" / s, OUT / "current" / s
                stamp = b / "regress_revision.txt"
                if not (stamp.exists() and stamp.read_text().strip() == base_sha):
                    _solve(tree, s, OUT / "base")
                    stamp.write_text(base_sha + "\n")
                _solve(ROOT, s, OUT / "current")
                problems = compare(b, c)
                n = len(list(c.glob("*.csv")))
                if problems:
                    failed = True
                    print(f"[regress] {s}: {len(problems)} difference(s) against {base_sha[:8]}:")
                    for p in problems:
                        print(f"  - {p}")
                else:
                    print(f"[regress] {s}: {n} CSVs byte-identical to {base_sha[:8]}, same objective")
        finally:
            _git("worktree", "remove", "--force", str(tree))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
