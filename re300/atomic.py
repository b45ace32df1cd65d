"""Write output folders and single files all-or-nothing (every command that writes uses this module).

A folder:

    with atomic_output_dir(Path("outputs/re300_2050")) as tmp:
        write everything into tmp
    # now outputs/re300_2050 holds the new files; on any exception (incl. Ctrl-C) it is untouched

The temporary folder is created next to the final one (same filesystem, so the swap is a rename):
`.<name>.tmp-<pid>-<random>`. The previous folder is renamed to `.<name>.old-<pid>-<random>` during the swap
and deleted afterwards; if the swap fails it is put back.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from re300.errors import Re300Error

__all__ = ["atomic_output_dir", "remove_stale_temporaries", "write_atomic", "write_text_atomic"]


def _why(e: OSError) -> str:
    return e.strerror or e.__class__.__name__


def _make_unique_dir(parent: Path, stem: str) -> Path:
    for _ in range(100):
        cand = parent / f"{stem}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.mkdir(cand)  # mode 0o777 minus umask, like any folder the user creates
            return cand
        except FileExistsError:
            continue
    raise Re300Error(f"cannot create a temporary folder in {parent}")  # pragma: no cover


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temporaries(final: Path) -> list[Path]:
    """Delete `.<name>.tmp-<pid>-*` / `.<name>.old-<pid>-*` left next to `final` by killed processes.

    Only entries whose pid no longer runs on this machine are removed. Returns what was removed.
    A stale `.old-` folder whose `final` is missing is restored instead of deleted.
    """
    final = Path(final)
    pattern = re.compile(rf"^\.{re.escape(final.name)}\.(tmp|old)-(\d+)-[0-9a-f]+$")
    removed: list[Path] = []
    try:
        entries = list(final.parent.iterdir())
    except OSError:
        return removed
    for entry in sorted(entries):
        m = pattern.match(entry.name)
        if not m or _pid_alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and not final.exists():
            with contextlib.suppress(OSError):
                os.rename(entry, final)
                continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


@contextlib.contextmanager
def atomic_output_dir(final: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh empty folder next to `final`; on success it replaces `final`, on error it is deleted.

    Raises Re300Error (one line naming the folder) if the output root cannot be created or written.
    """
    final = Path(final).absolute()
    parent = final.parent
    if final.exists() and not final.is_dir():
        raise Re300Error(f"output path {final} exists and is not a folder; move it away or choose another output_dir")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Re300Error(f"cannot create output folder {parent}: {_why(e)}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise Re300Error(f"output folder {parent} is not writable (permission denied); choose another output_dir")
    remove_stale_temporaries(final)
    try:
        tmp = _make_unique_dir(parent, f".{final.name}.tmp")
    except OSError as e:
        raise Re300Error(f"cannot write in output folder {parent}: {_why(e)}") from None

    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

    # commit: old -> backup, tmp -> final, delete backup (restore the old folder if anything fails)
    backup: Path | None = None
    try:
        if final.exists():
            backup = parent / f".{final.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
            os.rename(final, backup)
        os.rename(tmp, final)
    except BaseException as e:
        if backup is not None and not final.exists():
            with contextlib.suppress(OSError):
                os.rename(backup, final)
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError):
            raise Re300Error(f"cannot replace output folder {final}: {_why(e)}") from None
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


# ---- single files: a temporary file next to the target, then os.replace ----


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` for a temporary path beside `path`, then move it into place (the old file stays on error)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise Re300Error(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """`text` written to `path` as UTF-8, all-or-nothing."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
