"""Run every member of a sweep on dask.distributed, resumably, and merge the results.

    report = run_sweep("models/sweeps/smoke.yaml")            # LocalCluster on this machine
    report = run_sweep(path, scheduler="tcp://host:8786")       # or $RE300_DASK_SCHEDULER

Layout of `<output_dir>/<sweep name>/`:
    members/<member>.yaml     the member as an ordinary scenario file (`extends` the base, overrides the parameters)
    members/<member>/         its outputs, exactly as `re300 solve members/<member>.yaml` writes them
    members/<member>.error.log  the traceback of a member that failed on a worker (the one-line error is in members.csv)
    sweep_state.json          status, error, hashes and time of every member (updated as members finish)
    members.csv               member, status, error, seconds, parameters
    results.nc, summary.csv, tornado_*.csv, figures/   the merged results (re300.sweep.merge)

A member is complete when its folder holds manifest.json, results.nc and summary.csv, the resolved scenario in the
manifest hashes to the member's resolved scenario now, and every input file listed in the manifest still has the
recorded sha256 (so the run's `input_hash` is unchanged). Complete members are skipped on a re-run; failed ones are
tried again.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time as _time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from re300.atomic import write_text_atomic
from re300.config import load_scenario, validate_names
from re300.errors import Re300Error, SolveError
from re300.paths import display_path, project_root

from .cluster import dask_client, describe
from .spec import Member, SweepSpec, flow_text, load_sweep, set_dotted

OUTPUT_FILES = ("manifest.json", "results.nc", "summary.csv")


@dataclass
class MemberState:
    name: str
    parameters: dict
    design: str = ""  # grid | sample | one_at_a_time | explicit
    status: str = "pending"  # solved | complete (skipped, outputs up to date) | failed
    error: str = ""
    seconds: float = 0.0
    scenario_hash: str = ""
    yaml_path: str = ""
    run_dir: str = ""


@dataclass
class SweepReport:
    spec: SweepSpec
    sweep_dir: Path
    members: list[MemberState]
    cluster: str = ""
    wall_seconds: float = 0.0
    outputs: dict = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(m.status == status for m in self.members)

    @property
    def failed(self) -> list[MemberState]:
        return [m for m in self.members if m.status == "failed"]


# --------------------------------------------------------------------------------------------------
# member scenario files and completeness


def member_document(spec: SweepSpec, member: Member, yaml_dir: Path, inputs_dir: Path) -> dict:
    """The member's scenario: extends the base, sets the sweep-wide and the member's own parameters."""
    shown = ", ".join(f"{k} = {flow_text(v)}" for k, v in member.parameters.items()) or "base settings"
    doc: dict = {
        "extends": os.path.relpath(spec.base, yaml_dir),
        "name": member.name,
        "description": f"sweep {spec.name}, member {member.name}: {shown}",
        "inputs_dir": os.path.relpath(inputs_dir, yaml_dir),
    }
    for key, value in {**spec.set, **member.parameters}.items():
        set_dotted(doc, key, value)
    return doc


def write_member_yaml(spec: SweepSpec, member: Member, members_dir: Path, inputs_dir: Path) -> Path:
    path = members_dir / f"{member.name}.yaml"
    doc = member_document(spec, member, members_dir, inputs_dir)
    text = (f"# Member '{member.name}' of sweep '{spec.name}' ({display_path(spec.source_file)}); written by `re300 sweep`,\n"
            f"# an ordinary scenario file: `re300 solve {path.name}` reruns it alone.\n"
            + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120))
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        write_text_atomic(path, text)
    return path


def scenario_hash(resolved: dict) -> str:
    """sha256 of a resolved scenario (as stored in manifest.json)."""
    return hashlib.sha256(json.dumps(resolved, sort_keys=True, default=str).encode()).hexdigest()


def outputs_complete(run_dir: Path, expected_scenario_hash: str) -> dict | None:
    """The manifest if `run_dir` holds a finished run of the same resolved scenario on unchanged input files, else None."""
    from re300.results.manifest import file_sha256

    if not all((run_dir / f).is_file() for f in OUTPUT_FILES):
        return None
    try:
        man = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        hashes = man["input_hashes"]
        recorded = man["input_hash"]
        scenario = man["scenario"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if scenario_hash(scenario) != expected_scenario_hash:
        return None
    if hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest() != recorded:
        return None
    for rel, digest in hashes.items():
        p = Path(rel) if Path(rel).is_absolute() else project_root(scenario["inputs_dir"]) / rel
        try:
            if file_sha256(p) != digest:
                return None
        except OSError:
            return None
    return man


# --------------------------------------------------------------------------------------------------
# the task each worker runs


def run_member(yaml_path: str, members_dir: str) -> dict:
    """Solve one member (on a Dask worker): `run_scenario(yaml_path, output_dir=members_dir, echo=False)`.

    Never raises: returns {'ok', 'error' (one line), 'seconds', 'run_dir'}; a traceback of an unexpected error is
    written to members/<name>.error.log.
    """
    from re300.run import run_scenario

    t0 = _time.perf_counter()
    name = Path(yaml_path).stem
    log = Path(members_dir) / f"{name}.error.log"
    try:
        run_dir = run_scenario(Path(yaml_path), output_dir=Path(members_dir), echo=False)
    except Exception as e:  # noqa: BLE001 - every failure is reported per member, the sweep goes on
        text = str(e) if isinstance(e, Re300Error) else f"{type(e).__name__}: {e}"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            pass
        return {"ok": False, "error": " ".join(text.split()) or type(e).__name__, "seconds": _time.perf_counter() - t0, "run_dir": ""}
    if log.exists():
        log.unlink(missing_ok=True)
    return {"ok": True, "error": "", "seconds": _time.perf_counter() - t0, "run_dir": str(run_dir)}


# --------------------------------------------------------------------------------------------------
# the sweep


def prepare_members(spec: SweepSpec, members: list[Member], members_dir: Path) -> list[MemberState]:
    """Write each member's scenario file, validate it through the ordinary loader, and mark complete members."""
    from re300.inputs.tables import load_tables

    base = load_scenario(spec.base)
    tables_cache: dict[Path, object] = {}
    states = []
    for m in members:
        st = MemberState(m.name, dict(m.parameters), m.design)
        path = write_member_yaml(spec, m, members_dir, base.inputs_dir)
        st.yaml_path = str(path)
        try:
            sc = load_scenario(path)
            if sc.inputs_dir not in tables_cache:
                tables_cache[sc.inputs_dir] = load_tables(sc.inputs_dir)
            t = tables_cache[sc.inputs_dir]
            validate_names(sc, set(t.regions.index), set(t.technologies.index), set(t.links.index),
                           drivers=set(t.range_drivers))
        except Re300Error as e:
            st.status, st.error = "failed", " ".join(str(e).split())
            states.append(st)
            continue
        st.scenario_hash = scenario_hash(sc.resolved_dict())
        st.run_dir = str(members_dir / sc.name)
        man = outputs_complete(Path(st.run_dir), st.scenario_hash)
        if man is not None:
            st.status = "complete"
            st.seconds = float(man.get("timings_s", {}).get("total", 0.0))
        states.append(st)
    return states


def write_state(report: SweepReport) -> None:
    state = {
        "sweep": report.spec.name,
        "sweep_file": str(report.spec.source_file),
        "base": str(report.spec.base),
        "cluster": report.cluster,
        "wall_seconds": round(report.wall_seconds, 3),
        "members": {m.name: {k: v for k, v in m.__dict__.items() if k != "name"} for m in report.members},
    }
    write_text_atomic(report.sweep_dir / "sweep_state.json", json.dumps(state, indent=2, default=str) + "\n")


def run_sweep(path, scheduler: str | None = None, workers: int | None = None, echo: bool = True) -> SweepReport:
    """Run (or resume) the sweep in `path`; merge and write its outputs; return what happened to each member."""
    from .merge import write_merged

    t0 = _time.perf_counter()
    spec = load_sweep(path)
    members = spec.members_list()
    sweep_dir = spec.output_dir / spec.name
    members_dir = sweep_dir / "members"
    try:
        members_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Re300Error(f"cannot create the sweep folder {members_dir}: {e.strerror}") from None
    states = prepare_members(spec, members, members_dir)
    report = SweepReport(spec, sweep_dir, states)
    todo = [s for s in states if s.status == "pending"]
    say = (lambda *a: print(*a, flush=True)) if echo else (lambda *a: None)
    say(f"[sweep] {spec.name}: {len(states)} members on {display_path(spec.base)}: {len(todo)} to solve, "
        f"{report.count('complete')} already complete (same input hash), {report.count('failed')} invalid")
    for s in states:
        if s.status == "failed":
            say(f"[sweep]   {s.name}: INVALID: {s.error}")
    if todo:
        _solve_members(report, todo, members_dir, scheduler, workers, say)
    report.wall_seconds = _time.perf_counter() - t0
    write_state(report)
    done = [s for s in states if s.status in ("solved", "complete")]
    if not done:
        write_merged(report, [])
        raise SolveError(f"no member of sweep {spec.name} completed; see {display_path(sweep_dir / 'members.csv')}")
    report.outputs = write_merged(report, done)
    report.wall_seconds = _time.perf_counter() - t0
    write_state(report)
    say(f"[sweep] {spec.name}: {report.count('solved')} solved, {report.count('complete')} skipped (complete), "
        f"{report.count('failed')} failed; wall time {report.wall_seconds:.1f} s")
    for s in report.failed:
        print(f"[sweep] WARNING: member {s.name} failed: {s.error}", file=sys.stderr, flush=True)
    say(f"[sweep] merged results: {display_path(sweep_dir / 'results.nc')}, {display_path(sweep_dir / 'summary.csv')}")
    return report


def _solve_members(report: SweepReport, todo: list[MemberState], members_dir: Path, scheduler, workers, say) -> None:
    from dask.distributed import as_completed

    with dask_client(scheduler, workers) as client:
        report.cluster = describe(client)
        say(f"[sweep] cluster: {report.cluster}")
        futures = {}
        for s in todo:
            futures[client.submit(run_member, s.yaml_path, str(members_dir), pure=False)] = s
        n, width = len(futures), len(str(len(futures)))
        for i, fut in enumerate(as_completed(futures), 1):
            s = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died, a task that could not run
                res = {"ok": False, "error": f"{type(e).__name__}: {' '.join(str(e).split())}", "seconds": 0.0}
            s.seconds = float(res.get("seconds", 0.0))
            if res["ok"]:
                s.status = "solved"
                say(f"[sweep] [{i:>{width}}/{n}] {s.name}: solved in {s.seconds:.1f} s")
            else:
                s.status, s.error = "failed", res["error"]
                say(f"[sweep] [{i:>{width}}/{n}] {s.name}: FAILED: {s.error}")
            write_state(report)
