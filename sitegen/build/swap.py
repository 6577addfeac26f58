"""Putting a finished output folder in place of the last one, at once, and tidying up after.

On Linux the two folders are exchanged with one ``renameat2(RENAME_EXCHANGE)``: at every
instant the output path holds the old site or the new one, whatever kills the build. Where
that call does not exist the swap takes two renames, and a build killed between them leaves
the old site at ``.NAME.old``, which the next build puts back first (``recover``). The old
tree is then deleted in the background, so no build waits for tens of thousands of files
to be unlinked; what a killed deletion leaves is removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from sitegen.build.journal import recover_in_place

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc: ctypes.CDLL | None = None


def _renameat2() -> Any:
    global _libc
    if not sys.platform.startswith("linux"):
        return None
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return getattr(_libc, "renameat2", None)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False if this system cannot (then nothing has moved)."""
    call = _renameat2()
    if call is None:
        return False
    result = call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system without exchange
    raise OSError(code, os.strerror(code), str(a))


def old_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.old")


def trash_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.trash-"


def swap_in(staging: Path, out_dir: Path) -> None:
    """Make ``staging`` the output folder; the previous one goes, in the background."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    trash = out_dir.with_name(f"{trash_prefix(out_dir)}{os.getpid()}")
    if exchange(staging, out_dir):
        os.replace(staging, trash)  # the old tree, where the new one was built
    else:
        old = old_path(out_dir)
        os.replace(out_dir, old)  # killed here: recover() puts the old site back
        os.replace(staging, out_dir)
        os.replace(old, trash)
    delete_later(trash, out_dir)


def recover(out_dir: Path) -> None:
    """Finish or undo what a killed build left, before anything reads the output folder."""
    old = old_path(out_dir)
    if old.is_dir():
        if out_dir.exists():
            delete_later(old, out_dir)
        else:  # killed between the two renames of a swap: the old site goes back
            os.replace(old, out_dir)
            log.info("put the previous site back into %s (a build was stopped)", out_dir)
    recover_in_place(out_dir)
    parent = out_dir.parent
    if parent.is_dir():
        for leftover in parent.glob(f"{trash_prefix(out_dir)}*"):
            delete_later(leftover, out_dir)


def delete_later(path: Path, out_dir: Path) -> None:
    """Delete a folder of ``out_dir``'s in a process of its own, which may outlive this one.

    It is renamed to a trash name first, so that the next build deletes it if this is killed.
    """
    if not path.name.startswith(trash_prefix(out_dir)):
        trash = out_dir.with_name(f"{trash_prefix(out_dir)}{os.getpid()}-{path.name}")
        try:
            os.replace(path, trash)
            path = trash
        except OSError:
            pass
    try:
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
