"""The record of the last build into an output folder: its input snapshot, each page's
fingerprint and size, and every file written. Kept next to the output folder
(``.public.build-state.json`` for ``public/``) rather than in it, so it is never published.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.build.snapshot import STATE_VERSION, Snapshot
from sitegen.errors import Mark, Problem


@dataclass
class BuildState:
    """What the last build made: its input snapshot, page fingerprints and output files."""

    snapshot: Snapshot
    # Which output folder it describes (``output_id``): one deleted and made again, or
    # changed at its top, is another; a copy restored with its file times is the same.
    output_id: str
    pages: dict[str, tuple[str, int]]  # page file -> (fingerprint, size)
    files: set[str]  # every output file, pages and others, with .gz/.br copies
    page_count: int
    warnings: list[Problem]  # shown again by a build that finds nothing changed
    precache_bytes: dict[str, int]

    @staticmethod
    def path_for(out_dir: Path) -> Path:
        out_dir = out_dir.resolve()
        return out_dir.with_name(f".{out_dir.name}.build-state.json")

    @classmethod
    def load(cls, out_dir: Path) -> BuildState | None:
        """The record of the build now in ``out_dir``; None if there is none that fits."""
        path = cls.path_for(out_dir)
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != STATE_VERSION:
                return None
            state = cls(
                Snapshot.from_json(data["snapshot"]),
                data["output"] if isinstance(data["output"], str) else "",
                _pages(data["pages"]),
                {str(f) for f in data["files"]},
                int(data["page_count"]),
                [
                    Problem(Mark(str(w[0]), int(w[1]), int(w[2])), str(w[3]), str(w[4]))
                    for w in data["warnings"]
                ],
                {str(k): int(v) for k, v in data["precache_bytes"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        # A record of another folder (the output was deleted, replaced or moved) is useless.
        return state if state.output_id and state.output_id == output_id(out_dir) else None

    def save(self, out_dir: Path) -> None:
        path = self.path_for(out_dir)
        data = {
            "version": STATE_VERSION,
            "snapshot": self.snapshot.to_json(),
            "output": self.output_id,
            # "fingerprint size" strings: ten times faster to write and read than lists.
            "pages": {k: f"{fp} {size}" for k, (fp, size) in self.pages.items()},
            "files": list(self.files),
            "page_count": self.page_count,
            "warnings": [
                [w.mark.path, w.mark.line, w.mark.col, w.message, w.severity] for w in self.warnings
            ],
            "precache_bytes": self.precache_bytes,
        }
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)

    @classmethod
    def forget(cls, out_dir: Path) -> None:
        cls.path_for(out_dir).unlink(missing_ok=True)


def _pages(data: dict[str, str]) -> dict[str, tuple[str, int]]:
    pages = {}
    for rel, value in data.items():
        fingerprint, _, size = value.partition(" ")
        pages[rel] = (fingerprint, int(size))
    return pages


def output_id(out_dir: Path) -> str:
    """Which output folder ``out_dir`` holds, as a record of it knows it ("" when none).

    The names, sizes and modification times (whole seconds) of the files at its top (its
    home page, service worker, header files), and the names of its folders: a folder
    deleted and made again, or with files changed, added or removed at its top, is another
    one; a copy restored with its file times, as a CI service restores a kept folder, is the
    same, so the next build there renders only what changed.
    """
    try:
        entries = sorted(os.scandir(out_dir), key=lambda entry: entry.name)
    except OSError:
        return ""
    if not entries:
        return ""
    h = hashlib.blake2b(digest_size=16)
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            h.update(f"file {entry.name} {st.st_size} {int(st.st_mtime)}\0".encode())
        else:
            h.update(f"other {entry.name}\0".encode())
    return h.hexdigest()
