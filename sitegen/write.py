"""The write stage: build into a staging folder, then swap it in; never a half-built site.

Files whose bytes did not change are hard-linked from the previous output instead of
rewritten, so they keep their modification time and a sync to a CDN skips them.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import BuildError

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency, but .gz alone still helps
    brotli = None

log = logging.getLogger(__name__)

# Text formats a CDN may serve precompressed; HTML pages are left to the CDN (there are
# tens of thousands of them and they are small).
PRECOMPRESS_SUFFIXES = (".js", ".mjs", ".css", ".json", ".geojson", ".svg", ".xml", ".txt")
PRECOMPRESS_MIN_BYTES = 1024
BROTLI_MAX_BYTES_AT_11 = 2 * 2**20


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    bytes: int = 0


class StagedOutput:
    """An output folder being built next to the real one; ``commit`` swaps it in.

    Use as a context manager: leaving the block with an exception removes the staging
    folder and leaves the previous output exactly as it was.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.staging = self.out_dir.with_name(f".{self.out_dir.name}.staging")
        self.stats = WriteStats()
        self._paths: set[str] = set()

    def __enter__(self) -> StagedOutput:
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise BuildError(f"{self.out_dir} exists and is not a folder")
        shutil.rmtree(self.staging, ignore_errors=True)  # left over from a killed build
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def write(self, rel: str, content: bytes) -> None:
        """Write one output file; ``rel`` is a relative POSIX path such as ``en/index.html``."""
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts:
            raise BuildError(f"refusing to write outside the output folder: {rel}")
        if rel in self._paths:
            raise BuildError(f"two pages would be written to the same file: {rel}")
        self._paths.add(rel)
        target = self.staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = self.out_dir / path
        self.stats.bytes += len(content)
        variants = _precompressed_names(rel, content)
        if _same_bytes(previous, content) and all((self.out_dir / v).is_file() for v in variants):
            for name in (rel, *variants):  # the compressed copies cannot differ either
                os.link(self.out_dir / name, self.staging / name)
            self.stats.unchanged += 1
            return
        target.write_bytes(content)
        for name in variants:
            (self.staging / name).write_bytes(_compress(name, content))
        self.stats.written += 1

    def commit(self) -> None:
        """Swap the staging folder in for the output folder."""
        old = self.out_dir.with_name(f".{self.out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.out_dir.exists():
            os.replace(self.out_dir, old)
        os.replace(self.staging, self.out_dir)
        shutil.rmtree(old, ignore_errors=True)
        log.debug("output swapped into %s", self.out_dir)


def _precompressed_names(rel: str, content: bytes) -> tuple[str, ...]:
    if not rel.endswith(PRECOMPRESS_SUFFIXES) or len(content) < PRECOMPRESS_MIN_BYTES:
        return ()
    return (rel + ".gz", rel + ".br") if brotli is not None else (rel + ".gz",)


def _compress(name: str, content: bytes) -> bytes:
    if name.endswith(".br"):
        # Quality 11 is ~30x slower than 9 for ~20% less; spend it where it pays: the
        # files phones fetch. Multi-megabyte exports get 9 (0.2 s instead of 6 s for 4 MB).
        # The GeoJSON exports are for download tools, not for the app: 9 is plenty there.
        small = len(content) <= BROTLI_MAX_BYTES_AT_11 and not name.endswith(".geojson.br")
        quality = 11 if small else 9
        return bytes(brotli.compress(content, quality=quality))
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    return gzip.compress(content, compresslevel=9, mtime=0)


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False
