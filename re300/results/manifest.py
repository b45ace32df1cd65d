"""Provenance for a run: file hashes, package versions, git revision, and `manifest.json` writing.

    write_manifest(run_dir / "manifest.json",
                   scenario=sc.resolved_dict(),
                   inputs=hash_files(sorted(sc.inputs_dir.glob("*.csv")), relative_to=sc.inputs_dir),
                   software={"packages": package_versions(["re300", "pyomo", "highspy"]),
                             "git": git_info(repo_dir), **runtime_info()},
                   timings=...)
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from re300.csvtable import file_sha256

__all__ = [
    "different_inputs",
    "file_sha256",
    "hash_files",
    "package_versions",
    "git_revision",
    "git_dirty",
    "git_info",
    "runtime_info",
    "write_manifest",
]



def _expand(paths: Iterable[str | os.PathLike]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out


def hash_files(paths: Iterable[str | os.PathLike], relative_to: str | os.PathLike | None = None) -> dict[str, str]:
    """{path: sha256} for each file; folders are expanded recursively (hidden files and caches skipped).

    Keys are the paths as given (POSIX separators), or relative to `relative_to` when they lie inside it.
    Raises FileNotFoundError for a missing file.
    """
    base = Path(relative_to).resolve() if relative_to is not None else None
    out: dict[str, str] = {}
    for f in _expand(paths):
        key = f
        if base is not None:
            try:
                key = f.resolve().relative_to(base)
            except ValueError:
                pass
        out[key.as_posix()] = file_sha256(f)
    return dict(sorted(out.items()))


def package_versions(names: Iterable[str]) -> dict[str, str | None]:
    """{distribution name: installed version or None}."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _git(repo_dir: str | os.PathLike, *args: str) -> str | None:
    try:
        r = subprocess.run(
            ["git", "-C", str(repo_dir), *args],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout if r.returncode == 0 else None


def git_revision(repo_dir: str | os.PathLike) -> str | None:
    """Full commit hash of HEAD, or None (not a git checkout, git missing, no commits)."""
    out = _git(repo_dir, "rev-parse", "--verify", "HEAD")
    if out is None:
        return None
    return out.strip() or None


def git_dirty(repo_dir: str | os.PathLike) -> bool | None:
    """True if tracked files differ from HEAD or untracked (non-ignored) files exist; None if unknown."""
    out = _git(repo_dir, "status", "--porcelain")
    return None if out is None else bool(out.strip())


def git_info(repo_dir: str | os.PathLike) -> dict[str, Any]:
    """{"revision": str | None, "dirty": bool | None}."""
    return {"revision": git_revision(repo_dir), "dirty": git_dirty(repo_dir)}


def runtime_info() -> dict[str, Any]:
    """Python version, platform and the time the manifest was made (UTC, ISO 8601)."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "created_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
    }


def _jsonable(obj: Any) -> Any:
    """Plain JSON data: paths -> str, numpy scalars/arrays -> numbers/lists, NaN/inf -> None, sets sorted."""
    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return [_jsonable(v) for v in sorted(obj, key=str)]
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    if isinstance(obj, (_dt.datetime, _dt.date, _dt.time)):
        return obj.isoformat()
    if hasattr(obj, "model_dump"):  # pydantic
        return _jsonable(obj.model_dump(mode="json"))
    if hasattr(obj, "tolist"):  # numpy scalars and arrays
        return _jsonable(obj.tolist())
    if hasattr(obj, "item"):
        return _jsonable(obj.item())
    raise TypeError(f"manifest value of type {type(obj).__name__} is not JSON-serialisable: {obj!r}")


def write_manifest(path: str | os.PathLike, **sections: Any) -> Path:
    """Write `sections` as sorted, indented JSON (UTF-8, trailing newline); replaces `path` atomically."""
    path = Path(path)
    text = json.dumps(_jsonable(sections), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def different_inputs(run_hashes: Mapping[str, str], other_hashes: Mapping[str, str]) -> list[str]:
    """The files two runs read with different contents: every path both `input_hashes` maps name with another sha256,
    and every input table (under inputs/) only one of them read. A companion case or a sweep member adds its own
    scenario file on top of the run's; that file alone does not make them differ."""
    shared = sorted(k for k in set(run_hashes) & set(other_hashes) if run_hashes[k] != other_hashes[k])
    tables = sorted(k for k in set(run_hashes) ^ set(other_hashes) if k.startswith("inputs/"))
    return shared + tables
