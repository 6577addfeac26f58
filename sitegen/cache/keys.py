"""Digests that key cached work: what a result was made from, never where or when."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the sitegen package: its code is an input


def content_key(*parts: str, size: int = 20) -> str:
    """A hex digest of ``parts`` (each ended by a NUL, so that no two lists give one text)."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    """The digest of sitegen's own code: a result kept across processes depends on it too."""
    h = hashlib.blake2b(digest_size=16)
    for folder, dirs, files in os.walk(PACKAGE_DIR):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(folder, name)
                h.update(path.relative_to(PACKAGE_DIR).as_posix().encode("utf-8") + b"\0")
                h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.hexdigest()
