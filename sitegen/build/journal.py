"""Updating an output folder in place, file by file, without ever leaving half of an update.

Every new file is first written beside its place under a temporary name; a failure there
(a full disk, a read-only folder) removes the temporary files and leaves the folder exactly
as it was. Only then a journal next to the output folder (``.NAME.commit.json``) lists the
renames and removals, and they are made: renames need no space, so they do not fail for the
reasons writes do. A build killed while they are made leaves the journal, and the next build
finishes the update before it reads anything (``recover_in_place``); one killed while the
temporary files are written leaves a journal saying so, and they are removed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from sitegen.errors import BuildError

log = logging.getLogger(__name__)

_SUFFIX = ".sitegen-new"


def journal_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.commit.json")


def temporary_name(rel: str) -> str:
    folder, _, name = rel.rpartition("/")
    return f"{folder}/.{name}{_SUFFIX}" if folder else f".{name}{_SUFFIX}"


def write_file(path: str, content: bytes) -> None:
    """Write one file (a seam for the fault tests, which make it fail)."""
    with open(path, "wb") as file:
        file.write(content)


def update_in_place(
    out_dir: Path,
    writes: Sequence[tuple[str, bytes]],
    removes: Sequence[str],
) -> None:
    """Write ``writes`` (relative path, bytes) in this order and remove ``removes``."""
    journal = journal_path(out_dir)
    temps = [(temporary_name(rel), rel) for rel, _ in writes]
    made: list[Path] = []  # folders made for new files, removed again on failure
    try:
        _save(journal, {"state": "writing", "temps": [tmp for tmp, _ in temps]})
        for (tmp, _), (_rel, content) in zip(temps, writes, strict=True):
            target = out_dir / tmp
            made += _make_folders(target.parent, out_dir)
            write_file(str(target), content)
        _save(journal, {"state": "ready", "renames": temps, "removes": list(removes)})
    except OSError as exc:
        _undo(out_dir, [tmp for tmp, _ in temps], made)
        journal.unlink(missing_ok=True)
        where = Path(exc.filename).name if exc.filename else out_dir.name
        raise BuildError(
            f"cannot write into {out_dir}: {exc.strerror or exc} ({where}); "
            "the previous output was left as it was"
        ) from None
    _finish(out_dir, temps, removes)
    journal.unlink(missing_ok=True)


def recover_in_place(out_dir: Path) -> None:
    """Complete (or undo, if it had not begun) an in-place update a killed build left."""
    journal = journal_path(out_dir)
    try:
        data = json.loads(journal.read_text("utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        data = {}
    if data.get("state") == "ready":
        _finish(out_dir, [(str(a), str(b)) for a, b in data["renames"]], data["removes"])
        log.info("finished the update of %s that a stopped build began", out_dir)
    else:
        _undo(out_dir, [str(tmp) for tmp in data.get("temps", [])], [])
    journal.unlink(missing_ok=True)


def _finish(out_dir: Path, renames: Sequence[tuple[str, str]], removes: Sequence[str]) -> None:
    for tmp, rel in renames:
        source = out_dir / tmp
        if source.exists():  # gone if an earlier (killed) recovery moved it already
            os.replace(source, out_dir / rel)
    for rel in removes:
        path = out_dir / rel
        path.unlink(missing_ok=True)
        for parent in path.parents:  # folders left empty go too
            if parent == out_dir or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def _undo(out_dir: Path, temps: Sequence[str], made: Sequence[Path]) -> None:
    for tmp in temps:
        with contextlib.suppress(OSError):
            (out_dir / tmp).unlink(missing_ok=True)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _make_folders(folder: Path, out_dir: Path) -> list[Path]:
    """Make ``folder`` and its missing parents below ``out_dir``; returns those made."""
    missing = []
    while folder != out_dir and not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _save(path: Path, data: dict[str, object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False)
        file.flush()
        os.fsync(file.fileno())
    os.replace(tmp, path)
