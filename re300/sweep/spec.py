"""Sweep files (YAML in `models/sweeps/`) -> a validated `SweepSpec` and its list of members.

    name: smoke                      # optional; defaults to the file stem; outputs in <output_dir>/<name>/
    description: "..."
    base: ../quick.yaml              # the scenario every member extends (relative to this file)
    output_dir: ../../outputs/sweeps # optional; default <base scenario's output_dir>/sweeps
    set:                             # overrides shared by every member (dotted keys of the scenario schema)
      time.weeks: [28]
    grid:                            # Cartesian product; a key with a list is one axis ...
      targets.renewable_share: [1.0, 2.0, 3.0]
    # ... or a list of axes, each a mapping of keys whose equal-length lists vary together:
    # grid:
    #   - {targets.renewable_share: [1.0, 2.0, 3.0], targets.export_share: [0.0, 1.0, 2.0]}
    #   - {demand.growth_factor: [1.0, 1.25]}
    sample:                          # Monte-Carlo: n draws from a seeded numpy Generator
      n: 20
      seed: 7
      parameters:
        technologies.capex_factor.offshore_wind: {uniform: [0.7, 1.3]}
        weather.seed: {integers: [1, 100000]}
        demand.growth_factor: {normal: [1.1, 0.05]}
        links.no_expansion: {choice: [[], [jeonbuk_capital]]}
    one_at_a_time:                   # a `base` member plus one member per value of each key (tornado figures)
      technologies.capex_factor.offshore_wind: [0.7, 1.3]
    members:                         # explicit members
      - {name: no_corridor, set: {links.no_expansion: [jeonnam_capital, jeonbuk_capital]}}

Members = (grid x sample) + one_at_a_time + members. Keys are checked against the scenario schema
(`re300.config.Scenario`) when the sweep file is read, with a "did you mean"; values are checked when a
member's scenario file is loaded through the ordinary loader (a member with a bad value fails alone).
"""
from __future__ import annotations

import difflib
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from re300.config import Scenario, load_scenario
from re300.config.loading import read_yaml
from re300.config.messages import describe_error, format_key
from re300.errors import ConfigError
from re300.paths import display_path

__all__ = ["SweepSpec", "Member", "load_sweep", "check_key", "set_dotted", "get_dotted", "flow_text"]

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
MAX_MEMBERS = 10_000


# --------------------------------------------------------------------------------------------------
# dotted keys of the scenario schema


def _schema_children(annotation) -> tuple[str, Any]:
    """('model', cls) for a section, ('dict', value type) for a mapping, ('leaf', None) otherwise."""
    ann = annotation
    for _ in range(4):  # unwrap Annotated / Optional
        if get_origin(ann) is Annotated:
            ann = get_args(ann)[0]
        elif get_origin(ann) is Union or type(ann).__name__ == "UnionType":
            args = [a for a in get_args(ann) if a is not type(None)]
            ann = args[0] if len(args) == 1 else ann
            if len(args) != 1:
                break
        else:
            break
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "model", ann
    if get_origin(ann) is dict:
        return "dict", get_args(ann)[1]
    return "leaf", None


_NOT_SWEPT = {"name", "inputs_dir", "output_dir", "extends"}


def check_key(key: str) -> str | None:
    """None if `key` (e.g. 'technologies.capex_factor.offshore_wind') addresses a scenario setting, else why not."""
    parts = key.split(".")
    if any(not p for p in parts):
        return f"'{key}' is not a dotted key such as 'targets.renewable_share'"
    if parts[0] in _NOT_SWEPT:
        return f"'{parts[0]}' cannot be swept (each member has its own name and the sweep sets the folders)"
    model: Any = Scenario
    for i, part in enumerate(parts):
        fields = {k: f for k, f in model.model_fields.items() if k not in _NOT_SWEPT}
        if part not in fields:
            hint = difflib.get_close_matches(part, list(fields), n=1, cutoff=0.6)
            where = ".".join(parts[:i]) or "the scenario"
            msg = f"unknown key '{part}' in {where}"
            if hint:
                msg += f"; did you mean '{'.'.join(parts[:i] + [hint[0]])}'?"
            return msg + f" (allowed: {', '.join(fields)})"
        kind, child = _schema_children(fields[part].annotation)
        rest = parts[i + 1:]
        if kind == "model":
            if not rest:
                return f"'{key}' is a whole section; expected one of its keys ({', '.join(child.model_fields)})"
            model = child
            continue
        if kind == "dict":
            if len(rest) != 1:
                return (f"'{'.'.join(parts[:i + 1])}' is a mapping; expected exactly one name after it, "
                        f"e.g. '{'.'.join(parts[:i + 1])}.<name>'")
            return None
        if rest:
            return f"'{'.'.join(parts[:i + 1])}' is a single setting; nothing can follow it"
        return None
    return None  # pragma: no cover


def set_dotted(tree: dict, key: str, value: Any) -> None:
    """tree['a']['b']['c'] = value for key 'a.b.c' (creating mappings on the way)."""
    parts = key.split(".")
    node = tree
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def get_dotted(tree: dict, key: str, default: Any = None) -> Any:
    node: Any = tree
    for p in key.split("."):
        if not isinstance(node, dict) or p not in node:
            return default
        node = node[p]
    return node


# --------------------------------------------------------------------------------------------------
# the sweep file


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Distribution = dict[Literal["uniform", "normal", "integers", "choice"], Any]


class Sample(_Section):
    """Monte-Carlo sample: `n` members, parameters drawn independently from numpy's default_rng(seed)."""

    n: Annotated[int, Field(ge=1, le=MAX_MEMBERS)]
    seed: Annotated[int, Field(ge=0)]
    parameters: dict[str, Distribution]

    @field_validator("parameters")
    @classmethod
    def _check(cls, params: dict):
        if not params:
            raise ValueError("empty; expected at least one parameter with a distribution")
        for key, dist in params.items():
            if len(dist) != 1:
                raise ValueError(f"{key}: expected exactly one distribution (uniform, normal, integers or choice), got {sorted(dist)}")
            (kind, args), = dist.items()
            if kind == "choice":
                if not isinstance(args, list) or not args:
                    raise ValueError(f"{key}: choice needs a non-empty list of values")
                continue
            if not (isinstance(args, list) and len(args) == 2 and all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args)):
                raise ValueError(f"{key}: {kind} needs two numbers [{'low, high' if kind != 'normal' else 'mean, sd'}], got {args!r}")
            lo, hi = args
            if kind == "normal" and hi < 0:
                raise ValueError(f"{key}: normal standard deviation {hi} is negative; expected >= 0")
            if kind in ("uniform", "integers") and hi < lo:
                raise ValueError(f"{key}: {kind} range [{lo}, {hi}] is empty; expected low <= high")
            if kind == "integers" and not all(isinstance(a, int) for a in args):
                raise ValueError(f"{key}: integers needs whole numbers, got {args!r}")
        return params

    def draw(self) -> list[dict[str, Any]]:
        rng = np.random.default_rng(self.seed)
        columns: dict[str, list] = {}
        for key, dist in self.parameters.items():
            (kind, args), = dist.items()
            if kind == "uniform":
                vals = rng.uniform(args[0], args[1], self.n).tolist()
            elif kind == "normal":
                vals = rng.normal(args[0], args[1], self.n).tolist()
            elif kind == "integers":
                vals = rng.integers(args[0], args[1], self.n, endpoint=True).tolist()
            else:
                vals = [args[i] for i in rng.integers(0, len(args), self.n)]
            columns[key] = [round(v, 6) if isinstance(v, float) else v for v in vals]
        return [{k: columns[k][i] for k in columns} for i in range(self.n)]


class ExplicitMember(_Section):
    name: Annotated[str, Field(min_length=1, max_length=80, pattern=NAME_PATTERN)]
    description: str = ""
    set: dict[str, Any] = Field(default_factory=dict)


class SweepSpec(_Section):
    """A validated sweep file; `members()` lists what runs."""

    name: Annotated[str, Field(min_length=1, max_length=80, pattern=NAME_PATTERN)]
    description: str = ""
    base: Path
    output_dir: Path
    set: dict[str, Any] = Field(default_factory=dict)
    grid: list[dict[str, list]] = Field(default_factory=list)
    sample: Sample | None = None
    one_at_a_time: dict[str, list] = Field(default_factory=dict)
    members: list[ExplicitMember] = Field(default_factory=list)
    source_file: Path

    @field_validator("grid", mode="before")
    @classmethod
    def _grid_shorthand(cls, grid):
        if isinstance(grid, dict):  # shorthand: every key its own axis
            return [{k: v} for k, v in grid.items()]
        return grid

    @field_validator("grid")
    @classmethod
    def _check_grid(cls, grid: list[dict[str, list]]):
        for i, axis in enumerate(grid):
            if not axis:
                raise ValueError(f"axis {i} is empty; expected a mapping of key: [values]")
            lengths = {k: len(v) for k, v in axis.items()}
            if 0 in lengths.values():
                raise ValueError(f"axis {i}: {min(lengths, key=lengths.get)} has no values; expected a non-empty list")
            if len(set(lengths.values())) > 1:
                raise ValueError(f"axis {i}: keys varied together need lists of equal length, got {lengths}")
        return grid

    @model_validator(mode="after")
    def _check_keys_and_size(self):
        seen_axis_keys: list[str] = [k for axis in self.grid for k in axis]
        if self.sample:
            seen_axis_keys += list(self.sample.parameters)
        dup = sorted({k for k in seen_axis_keys if seen_axis_keys.count(k) > 1})
        if dup:
            raise ValueError(f"keys varied twice (in grid/sample): {dup}; expected each key in one place")
        if not (self.grid or self.sample or self.one_at_a_time or self.members):
            raise ValueError("no members: expected at least one of grid, sample, one_at_a_time or members")
        names = [m.name for m in self.members]
        dup_names = sorted({n for n in names if names.count(n) > 1})
        if dup_names:
            raise ValueError(f"member names repeated: {dup_names}; expected unique names")
        return self

    # ----------------------------------------------------------------------------------------------
    def parameter_keys(self) -> list[str]:
        """Keys that vary between members (in file order)."""
        keys = [k for axis in self.grid for k in axis]
        if self.sample:
            keys += list(self.sample.parameters)
        keys += list(self.one_at_a_time)
        for m in self.members:
            keys += list(m.set)
        return list(dict.fromkeys(keys))

    def members_list(self) -> list["Member"]:
        out: list[Member] = []
        design: list[dict[str, Any]] = [{}]
        if self.grid:
            axes = [[{k: axis[k][i] for k in axis} for i in range(len(next(iter(axis.values()))))] for axis in self.grid]
            design = [_merge_dicts(*combo) for combo in itertools.product(*axes)]
        if self.sample:
            draws = self.sample.draw()
            design = [_merge_dicts(d, s) for d in design for s in draws]
        if self.grid or self.sample:
            width = len(str(len(design) - 1))
            for i, params in enumerate(design):
                out.append(Member(f"m{i:0{width}d}-{_label(params)}"[:80].rstrip("-_."), params, "grid" if not self.sample else "sample"))
        if self.one_at_a_time:
            out.append(Member("base", {}, "one_at_a_time"))
            for key, values in self.one_at_a_time.items():
                for v in values:
                    out.append(Member(f"{_label({key: v})}"[:80].rstrip("-_."), {key: v}, "one_at_a_time"))
        for m in self.members:
            out.append(Member(m.name, dict(m.set), "explicit", m.description))
        names = [m.name for m in out]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ConfigError(display_path(self.source_file), None, f"member names repeated: {dup}; rename the explicit members")
        if len(out) > MAX_MEMBERS:
            raise ConfigError(display_path(self.source_file), None, f"{len(out)} members; expected at most {MAX_MEMBERS}")
        return out


def _merge_dicts(*ds: dict) -> dict:
    out: dict = {}
    for d in ds:
        out.update(d)
    return out


def flow_text(v: Any) -> str:
    """A setting as one line of YAML: 0.7, [jeonbuk_capital], {a: 1}; text as it is."""
    return v if isinstance(v, str) else yaml.safe_dump(v, default_flow_style=True).strip().removesuffix("...").strip()


def _label(params: dict[str, Any]) -> str:
    """A folder-safe label such as 'offshore_wind_0.7' from the last part of each key and its value."""
    parts = [f"{k.split('.')[-1]}_{flow_text(v)}" for k, v in params.items()]
    return re.sub(r"[^A-Za-z0-9_.\-]+", "", "-".join(parts)) or "member"


@dataclass(frozen=True)
class Member:
    """One run of a sweep: its name and the settings that differ from the base (dotted key -> value)."""

    name: str
    parameters: dict[str, Any]
    design: str  # grid | sample | one_at_a_time | explicit
    description: str = ""


# --------------------------------------------------------------------------------------------------
# reading


_SPEC_KEYS = [k for k in SweepSpec.model_fields if k != "source_file"]
_SAMPLE_KEYS = list(Sample.model_fields)
_MEMBER_KEYS = list(ExplicitMember.model_fields)


def _sweep_error(e: ValidationError, shown: str) -> ConfigError:
    errors = e.errors(include_url=False)
    err = errors[0]
    loc = tuple(err["loc"])
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        allowed = _SAMPLE_KEYS if loc[:1] == ("sample",) else _MEMBER_KEYS if loc[:1] == ("members",) else _SPEC_KEYS
        hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        msg = f"unknown key '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else "") + f" (allowed: {', '.join(allowed)})"
    elif err["type"] == "literal_error" and loc[:2] == ("sample", "parameters"):
        msg = f"unknown distribution '{loc[-1]}'; expected uniform, normal, integers or choice"
    else:
        msg = describe_error(err)
    if len(errors) > 1:
        msg += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ConfigError(shown, format_key(loc) or None, msg)


def load_sweep(path: str | os.PathLike) -> SweepSpec:
    """Read and validate a sweep file. Raises ConfigError naming the file and the key (one line)."""
    path = Path(os.path.expanduser(str(path)))
    if not path.exists():
        raise ConfigError(display_path(path), None, "sweep file not found")
    if path.is_dir():
        raise ConfigError(display_path(path), None, "is a folder; expected a sweep YAML file")
    path = path.resolve()
    shown = display_path(path)
    data = read_yaml(path)
    data.setdefault("name", path.stem)
    base = data.get("base")
    if not isinstance(base, str) or not base.strip():
        raise ConfigError(shown, "base", f"got {base!r}; expected the path of the base scenario file, e.g. ../re300_2050.yaml")
    base_path = (path.parent / os.path.expanduser(base.strip())).resolve()
    if not base_path.is_file():
        raise ConfigError(shown, "base", f"'{base}' not found (looked for {display_path(base_path)}); expected an existing scenario file")
    data["base"] = base_path
    if data.get("output_dir") is None:
        data["output_dir"] = load_scenario(base_path).output_dir / "sweeps"
    elif isinstance(data["output_dir"], str):
        data["output_dir"] = (path.parent / os.path.expanduser(data["output_dir"])).resolve()
    data["source_file"] = path
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as e:
        raise _sweep_error(e, shown) from None
    locations: list[tuple[str, str]] = [(f"set.{k}", k) for k in spec.set]
    locations += [(f"grid[{i}].{k}", k) for i, axis in enumerate(spec.grid) for k in axis]
    if spec.sample:
        locations += [(f"sample.parameters.{k}", k) for k in spec.sample.parameters]
    locations += [(f"one_at_a_time.{k}", k) for k in spec.one_at_a_time]
    locations += [(f"members[{i}].set.{k}", k) for i, m in enumerate(spec.members) for k in m.set]
    for where, key in locations:
        problem = check_key(key)
        if problem:
            raise ConfigError(shown, where, problem)
    return spec
