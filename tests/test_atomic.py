"""atomic_output_dir: all-or-nothing replacement of an output folder; manifest helpers."""
from __future__ import annotations

import json
import os
import stat

import pytest

from re300.atomic import atomic_output_dir, remove_stale_temporaries
from re300.errors import Re300Error
from re300.results.manifest import (
    file_sha256,
    git_info,
    git_revision,
    hash_files,
    package_versions,
    write_manifest,
)


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(parent, name):
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{name}.")]


def test_creates_new_folder(tmp_path):
    final = tmp_path / "out" / "run"
    with atomic_output_dir(final) as tmp:
        assert tmp.is_dir() and tmp.parent == final.parent and tmp.name.startswith(".run.tmp-")
        assert not any(tmp.iterdir())
        (tmp / "a.csv").write_text("x\n")
    assert _snapshot(final) == {"a.csv": b"x\n"}
    assert _leftovers(final.parent, "run") == []


def test_success_replaces_contents(tmp_path):
    final = tmp_path / "run"
    final.mkdir()
    (final / "old.csv").write_text("old")
    (final / "shared.csv").write_text("old")
    with atomic_output_dir(final) as tmp:
        (tmp / "shared.csv").write_text("new")
        (tmp / "sub").mkdir()
        (tmp / "sub" / "b.txt").write_text("b")
    assert _snapshot(final) == {"shared.csv": b"new", "sub/b.txt": b"b"}
    assert _leftovers(tmp_path, "run") == []


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_exception_leaves_previous_untouched(tmp_path, exc):
    final = tmp_path / "run"
    (final / "sub").mkdir(parents=True)
    (final / "a.csv").write_bytes(b"1,2\n")
    (final / "sub" / "b.bin").write_bytes(bytes(range(256)))
    before = _snapshot(final)
    with pytest.raises(type(exc)):
        with atomic_output_dir(final) as tmp:
            (tmp / "a.csv").write_text("partial")
            raise exc
    assert _snapshot(final) == before
    assert _leftovers(tmp_path, "run") == []


def test_exception_without_previous_creates_nothing(tmp_path):
    final = tmp_path / "run"
    with pytest.raises(ValueError):
        with atomic_output_dir(final) as tmp:
            (tmp / "x").write_text("x")
            raise ValueError
    assert not final.exists()
    assert list(tmp_path.iterdir()) == []


def test_final_is_a_file(tmp_path):
    (tmp_path / "run").write_text("not a folder")
    with pytest.raises(Re300Error, match="not a folder"):
        with atomic_output_dir(tmp_path / "run"):
            pass


def test_read_only_parent(tmp_path):
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(root, os.W_OK):
            pytest.skip("running as a user that ignores permissions (root)")
        with pytest.raises(Re300Error) as info:
            with atomic_output_dir(root / "run"):
                pass  # pragma: no cover
        assert str(root) in str(info.value) and "\n" not in str(info.value)
        with pytest.raises(Re300Error, match="cannot create output folder"):
            with atomic_output_dir(root / "deeper" / "run"):
                pass  # pragma: no cover
    finally:
        root.chmod(stat.S_IRWXU)


def test_stale_temporaries_removed(tmp_path):
    final = tmp_path / "run"
    dead_pid = 2**22 + 12345  # above the default pid_max; no such process
    stale = tmp_path / f".run.tmp-{dead_pid}-deadbeef"
    stale.mkdir()
    live = tmp_path / f".run.tmp-{os.getpid()}-cafebabe"
    live.mkdir()
    assert remove_stale_temporaries(final) == [stale]
    assert live.exists()


def test_stale_backup_restored_when_final_missing(tmp_path):
    backup = tmp_path / ".run.old-4206041-00ff00ff"
    backup.mkdir()
    (backup / "a").write_text("a")
    remove_stale_temporaries(tmp_path / "run")
    assert (tmp_path / "run" / "a").read_text() == "a"


# ---------------------------------------------------------------- manifest


def test_hashes(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.csv").write_bytes(b"abc")
    (tmp_path / "d" / ".hidden").write_bytes(b"x")
    assert file_sha256(tmp_path / "d" / "a.csv") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert hash_files([tmp_path / "d"], relative_to=tmp_path) == {
        "d/a.csv": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    }
    assert list(hash_files([tmp_path / "d" / "a.csv"])) == [(tmp_path / "d" / "a.csv").as_posix()]


def test_package_versions():
    v = package_versions(["pydantic", "surely-not-installed-re300-xyz"])
    assert isinstance(v["pydantic"], str) and v["surely-not-installed-re300-xyz"] is None


def test_git(tmp_path, repo_root):
    assert git_revision(tmp_path) is None
    assert git_info(tmp_path) == {"revision": None, "dirty": None}
    info = git_info(repo_root)
    if info["revision"] is not None:
        assert len(info["revision"]) == 40 and isinstance(info["dirty"], bool)


def test_write_manifest(tmp_path):
    import numpy as np

    path = write_manifest(tmp_path / "manifest.json", zeta={"b": 1, "a": tmp_path}, alpha=[np.float64(1.5), float("nan")])
    text = path.read_text()
    assert text.endswith("\n") and text.index('"alpha"') < text.index('"zeta"')
    data = json.loads(text)
    assert data == {"alpha": [1.5, None], "zeta": {"a": str(tmp_path), "b": 1}}
    assert '\n  "alpha"' in text  # indented
