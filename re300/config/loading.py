"""Reading scenario files: YAML with unique keys, the `extends` chain, and paths resolved against the file that sets
them.

A file may say `extends: base.yaml` (relative to the file). Parents are loaded recursively; dicts are
deep-merged, lists and scalars replaced. `name` is never inherited (it defaults to the file stem of the
scenario that was asked for), so two scenarios never write into the same output folder by accident.
`inputs_dir` / `output_dir` are resolved relative to the file that sets them (defaults: `../inputs`,
`../outputs` relative to the requested file).

Every problem is reported as one `ConfigError` line naming the file, the dotted key, the bad value and
what was expected (`re300.config.messages`).
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import ValidationError

from re300.config.messages import config_error
from re300.config.origins import origins_of
from re300.config.schema import Scenario
from re300.errors import ConfigError
from re300.paths import display_path

__all__ = ["load_scenario", "read_yaml", "deep_merge"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first at line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> dict:
    """The top-level mapping of a YAML file (duplicate keys rejected; an empty file gives {}). Raises ConfigError."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(shown, None, "scenario file not found") from None
    except IsADirectoryError:
        raise ConfigError(shown, None, "is a folder; expected a scenario YAML file") from None
    except UnicodeDecodeError as e:
        raise ConfigError(shown, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ConfigError(shown, None, f"cannot read: {e.strerror}") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = " ".join(str(getattr(e, "problem", None) or e).split())
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise ConfigError(shown, None, f"YAML syntax error at {where}{problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(shown, None, f"expected a mapping of 'key: value' lines at the top level, got a {type(data).__name__}")
    for k in data:
        if not isinstance(k, str):
            raise ConfigError(shown, str(k), f"key {k!r} is not text; expected a name such as 'year'")
    return data


def deep_merge(base: dict, override: dict) -> dict:
    """Dicts merged recursively; anything else (lists, scalars, None) in `override` replaces."""
    out = dict(base)
    for k, v in override.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


# keys renamed in 2026-12 ("period" = an investment period of a pathway, never a typical day): section -> {old: new};
# a file with an old key is read as if it had the new one (each file before the extends chain is merged)
RENAMED_KEYS = {"time": {"periods": "typical_days", "intra_period_storage": "storage_within_day"}}


def renamed_keys(data: dict, file: Path) -> dict:
    for section, names in RENAMED_KEYS.items():
        part = data.get(section)
        if not isinstance(part, dict):
            continue
        for old, new in names.items():
            if old in part:
                if new in part:
                    raise ConfigError(display_path(file), f"{section}.{old}",
                                      f"given together with {section}.{new}; expected {section}.{new} only "
                                      f"({old} is its old name)")
                part = {(new if k == old else k): v for k, v in part.items()}
        data = {**data, section: part}
    return data


def _resolve_paths(data: dict, file: Path) -> dict:
    """inputs_dir, output_dir and weather.files.<site>.path made absolute against the folder of `file`."""
    data = dict(data)
    for key in ("inputs_dir", "output_dir"):
        v = data.get(key)
        if isinstance(v, str) and v.strip():
            p = Path(os.path.expanduser(v.strip()))
            data[key] = str((file.parent / p).resolve() if not p.is_absolute() else p)
    weather = data.get("weather")
    if isinstance(weather, dict) and isinstance(weather.get("files"), dict):   # weather.files.<site>.path
        files = {}
        for site, entry in weather["files"].items():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) and entry["path"].strip():
                p = Path(os.path.expanduser(entry["path"].strip()))
                entry = {**entry, "path": str((file.parent / p).resolve() if not p.is_absolute() else p)}
            files[site] = entry
        data["weather"] = {**weather, "files": files}
    return data


def _load_chain(path: Path, chain: tuple[Path, ...]) -> tuple[dict, dict, tuple[Path, ...]]:
    """Load `path` and its parents; returns (merged data, origins, files top-first)."""
    data = read_yaml(path)
    data = _resolve_paths(data, path)
    data = renamed_keys(data, path)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return data, origins_of(data, path), (path,)
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise ConfigError(display_path(path), "extends",
                          f"got {parent_ref!r}; expected the path of one scenario file, e.g. base.yaml")
    parent = (path.parent / os.path.expanduser(parent_ref.strip())).resolve()
    if parent in chain or parent == path:
        files = (*chain, path)
        loop = " -> ".join(os.path.relpath(p, path.parent) for p in (*files[files.index(parent):], parent))
        raise ConfigError(display_path(path), "extends", f"cycle in extends chain: {loop}")
    if not parent.is_file():
        raise ConfigError(
            display_path(path), "extends",
            f"'{parent_ref}' not found (looked for {display_path(parent)}); expected an existing scenario file",
        )
    pdata, porigin, pfiles = _load_chain(parent, (*chain, path))
    pdata.pop("name", None)  # never inherit the name: each scenario writes its own output folder
    porigin = {k: v for k, v in porigin.items() if k[0] != "name"}
    origin = {**porigin, **origins_of(data, path)}
    return deep_merge(pdata, data), origin, (path, *pfiles)


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read, merge (extends), default and validate a scenario file. Raises ConfigError (one line)."""
    path = Path(os.path.expanduser(str(path)))
    if not path.exists():
        raise ConfigError(display_path(path), None, "scenario file not found")
    path = path.resolve()
    data, origin, files = _load_chain(path, ())
    data.setdefault("name", path.stem)
    data.setdefault("inputs_dir", str((path.parent / "../inputs").resolve()))
    data.setdefault("output_dir", str((path.parent / "../outputs").resolve()))
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as e:
        raise config_error(e, origin, path) from None
    sc._source_files = files
    sc._origin = origin
    return sc
