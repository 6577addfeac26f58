"""What a build starts from, seen cheaply.

``Snapshot`` answers "did anything change at all?" from file sizes and modification times
alone (content, theme, sitegen's own code) and the settings of the build, so a rebuild with
no change reads no content. ``site_digest`` hashes what every page shares: site.yaml, the
category definitions, the theme, the code, the build date and the base URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import __version__
from sitegen.cache.keys import PACKAGE_DIR, code_digest

if TYPE_CHECKING:
    from sitegen.pipeline.model import Site

STATE_VERSION = 1  # of the record (build/record.py); part of every page's fingerprint


def _files(root: Path) -> Iterator[Path]:
    """Every file below ``root``, in a fixed order."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            yield Path(folder, name)


@dataclass(frozen=True)
class Snapshot:
    """Sizes and modification times of every input, plus the settings of the build."""

    entries: tuple[tuple[str, int, int], ...]
    settings: tuple[str, ...]

    @classmethod
    def take(cls, project_dir: Path, theme: Path, today: dt.date, base_url: str) -> Snapshot:
        entries = []
        roots = {"content": project_dir / "content", "theme": theme, "sitegen": PACKAGE_DIR}
        for label, root in roots.items():
            for path in _files(root):
                if label == "sitegen" and path.suffix != ".py":
                    continue
                st = path.stat()
                rel = f"{label}/{path.relative_to(root).as_posix()}"
                entries.append((rel, st.st_size, st.st_mtime_ns))
        return cls(tuple(entries), (__version__, today.isoformat(), base_url, str(theme)))

    def to_json(self) -> dict[str, Any]:
        return {"entries": [list(e) for e in self.entries], "settings": list(self.settings)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        return cls(
            tuple((str(a), int(b), int(c)) for a, b, c in data["entries"]),
            tuple(str(s) for s in data["settings"]),
        )


def site_digest(site: Site, theme: Path) -> str:
    """The inputs every page shares: change any of them and every page is made again."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{STATE_VERSION}\0{__version__}\0{site.today.isoformat()}\0".encode())
    h.update(repr(site.config).encode("utf-8"))
    content = site.config.content_dir
    shared = [content / "site.yaml", *_files(content / "categories")]
    for root, paths in ((content, shared), (theme, list(_files(theme)))):
        for path in paths:
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    h.update(code_digest().encode())
    return h.hexdigest()
