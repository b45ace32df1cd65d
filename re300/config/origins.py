"""Which scenario file set which key: the origins map of an `extends` chain (key path -> file)."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def origins_of(data: Any, file: Path, prefix: tuple = ()) -> dict:
    """Map every key path in `data` to `file` (lists are leaves)."""
    out = {prefix: file} if prefix else {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(origins_of(v, file, prefix + (k,)))
    return out


def lookup_origin(origin: dict, key: tuple) -> Path | None:
    """The file that set `key` or the closest enclosing key that a file set; None if no file set it (a default)."""
    key = tuple(key)
    while key:
        if key in origin:
            return origin[key]
        key = key[:-1]
    return None
