"""Where re300 reads and writes, in one place.

re300 runs from a source checkout (`make solve`) and from a plain wheel install (`pip install .` then
`re300 solve path/to/scenario.yaml`). Nothing here assumes the package sits next to `inputs/` or `outputs/`:

- a scenario names its inputs folder and output root (relative to the scenario file);
- the *project root* of a run is the folder that holds its inputs folder (the checkout for the shipped
  scenarios): the manifest records input files relative to it, and `re300 verify` looks them up there;
- the profile cache is `$RE300_CACHE_DIR` if set, else `<checkout>/.cache/profiles` when re300 runs from a
  source checkout, else the user cache folder (`$XDG_CACHE_HOME/re300/profiles`, default `~/.cache/re300/profiles`);
- results for notebooks are looked up under `$RE300_OUTPUTS`, else `outputs/` of the checkout or of the working
  folder.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def source_checkout() -> Path | None:
    """The repository re300 runs from, when it runs from a source checkout (editable install or PYTHONPATH); None
    for an installed wheel."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "re300").is_dir() else None


def display_path(path: str | os.PathLike) -> str:
    """A path as a user reads it in a message: relative to the working folder when it lies inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def project_root(inputs_dir: str | os.PathLike) -> Path:
    """The folder that input file paths in a manifest are relative to: the parent of the inputs folder."""
    return Path(inputs_dir).resolve().parent


def profile_cache_dir() -> Path:
    """Folder of the capacity-factor profile cache (see the module docstring for the order)."""
    env = os.environ.get("RE300_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "profiles"
    checkout = source_checkout()
    if checkout is not None:
        return checkout / ".cache" / "profiles"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "re300" / "profiles"


def outputs_root() -> Path:
    """Root folder of run results for notebooks and `re300.open_results`."""
    env = os.environ.get("RE300_OUTPUTS")
    if env:
        return Path(env)
    checkout = source_checkout()
    return (checkout if checkout is not None else Path.cwd()) / "outputs"
