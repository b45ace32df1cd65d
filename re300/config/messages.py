"""Scenario validation errors as one line: a pydantic `ValidationError` -> `ConfigError` naming the file that set the
key, the dotted key, the value and what was expected (with a "did you mean" for an unknown key)."""
from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from re300.config.origins import lookup_origin
from re300.config.schema import Scenario
from re300.errors import ConfigError
from re300.paths import display_path

__all__ = ["config_error", "describe_error", "format_key", "did_you_mean"]

_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list, e.g. [a, b]",
    "dict_type": "a mapping of 'key: value'",
    "model_type": "a mapping of 'key: value'",
    "model_attributes_type": "a mapping of 'key: value'",
    "path_type": "a folder path",
    "none_required": "null",
}


def format_key(loc: tuple) -> str:
    """A pydantic location as a dotted key: ('time', 'weeks', 0) -> 'time.weeks[0]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _fmt_value(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 80 else s[:77] + "..."


def did_you_mean(name: str, known: set[str] | list[str], cutoff: float = 0.5) -> str:
    """"; did you mean 'x'?" for the closest of `known`, or ''."""
    hint = difflib.get_close_matches(name, sorted(known), n=1, cutoff=cutoff)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def _allowed_keys(loc: tuple) -> list[str] | None:
    """Field names of the model at `loc` (None if `loc` is not a model)."""
    model: Any = Scenario
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        field = model.model_fields.get(part) if isinstance(part, str) else None
        ann = field.annotation if field is not None else None
        args = typing.get_args(ann)
        if typing.get_origin(ann) is dict and len(args) == 2 and isinstance(args[1], type) \
                and issubclass(args[1], BaseModel) and parts:   # dict[name, Model] (weather.files.<site>)
            parts.pop(0)
            ann = args[1]
        elif typing.get_origin(ann) is list and len(args) == 1 and isinstance(args[0], type) \
                and issubclass(args[0], BaseModel) and parts and isinstance(parts[0], int):   # list[Model] (re100_loads)
            parts.pop(0)
            ann = args[0]
        elif typing.get_origin(ann) in (typing.Union, getattr(types, "UnionType", typing.Union)):
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]   # Model | None (pathway)
            ann = models[0] if len(models) == 1 else ann
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return None
        model = ann
    keys = list(model.model_fields)
    if model is Scenario:
        keys.append("extends")
    return keys


def describe_error(err: dict) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) in words: 'got X; expected Y', or 'unknown key'
    with a "did you mean" and the keys allowed at that place of the scenario schema."""
    typ, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    loc = tuple(err["loc"])
    if typ == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc[:-1]) or []
        hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        msg = f"unknown key '{key}'"
        if hint:
            msg += f"; did you mean '{hint[0]}'?"
        return msg + f" (allowed: {', '.join(allowed)})"
    if typ == "value_error":
        return str(ctx.get("error", err["msg"]))
    if typ == "missing":
        return "required key is missing"
    if typ == "literal_error":
        expected = f"one of {ctx.get('expected')}"
    elif typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[typ]
        bound = next(iter(ctx.values()))
        expected = f"a number {op} {bound}"
    elif typ == "string_pattern_mismatch":
        expected = "letters, digits, '_', '-' or '.' (usable as a folder name)"
    elif typ in ("string_too_short", "too_short"):
        expected = "a non-empty value"
    elif typ in ("string_too_long",):
        expected = f"at most {ctx.get('max_length')} characters"
    else:
        expected = _EXPECTED.get(typ)
    if expected is None:
        return f"{err['msg']} (got {_fmt_value(value)})"
    return f"got {_fmt_value(value)}; expected {expected}"


def config_error(e: ValidationError, origin: dict, default_file: Path) -> ConfigError:
    """The first problem of `e` as a ConfigError in the file that set the key (`origin`, else `default_file`), with
    a count of the other problems."""
    errors = e.errors(include_url=False)
    # parent-level errors first would hide the precise ones; pydantic already orders by field
    err = errors[0]
    loc = tuple(err["loc"])
    file = lookup_origin(origin, loc) or default_file
    msg = describe_error(err)
    if len(errors) > 1:
        msg += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ConfigError(display_path(file), format_key(loc) or None, msg)
