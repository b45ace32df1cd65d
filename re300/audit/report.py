"""The verdicts of `re300 verify` as the console shows them."""
from __future__ import annotations

from pathlib import Path

from .checks import Check


def print_report(checks: list[Check], run_dir: Path) -> bool:
    """Print PASS/FAIL per check and a last line; returns True if all passed."""
    for c in checks:
        print(f"{'PASS' if c.passed else 'FAIL'}  {c.name}: {c.detail}")
    failed = [c.name for c in checks if not c.passed]
    if failed:
        print(f"re300 verify {run_dir}: {len(failed)} of {len(checks)} checks FAILED ({', '.join(failed)})")
    else:
        print(f"re300 verify {run_dir}: all {len(checks)} checks passed")
    return not failed
