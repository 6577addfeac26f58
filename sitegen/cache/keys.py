"""Digests that key cached work: what a result was made from, never where or when."""

from __future__ import annotations

import hashlib


def content_key(*parts: str, size: int = 20) -> str:
    """A hex digest of ``parts`` (each ended by a NUL, so that no two lists give one text)."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
