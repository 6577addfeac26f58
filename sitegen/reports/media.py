"""The media folder: photos written durably under names the server chooses."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

# 128 random bits: a name reveals nothing and cannot be guessed from another one.
MEDIA_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|webp)")
CONTENT_TYPES = {"jpg": "image/jpeg", "webp": "image/webp"}


def new_media_name(extension: str) -> str:
    """A fresh random file name with the given extension (``jpg`` or ``webp``)."""
    return f"{secrets.token_hex(16)}.{extension}"


def write_durably(media_dir: Path, name: str, data: bytes) -> Path:
    """Write a file and fsync it and its folder, so it survives a crash once this returns.

    The file appears under its final name only when complete (written aside, then renamed):
    a reader never sees half a photo. A file whose report never commits is an orphan,
    harmless and never served as part of a report.
    """
    media_dir.mkdir(parents=True, exist_ok=True)
    final = media_dir / name
    partial = media_dir / f".{name}.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, final)
    _fsync_dir(media_dir)
    return final


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(media_dir: Path, names: list[str]) -> None:
    """Delete photos of a submission that was not stored (best effort: orphans are harmless)."""
    for name in names:
        with contextlib.suppress(OSError):
            (media_dir / name).unlink()


def media_file(media_dir: Path, name: str) -> Path | None:
    """The file for a public media name, or None; the name pattern rules out any path tricks."""
    if not MEDIA_NAME.fullmatch(name):
        return None
    path = media_dir / name
    return path if path.is_file() else None
