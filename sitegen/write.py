"""The write stage: build into a staging folder, then swap it in; never a half-built site.

Files whose bytes did not change are hard-linked from the previous output instead of
rewritten, so they keep their modification time and a sync to a CDN skips them.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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
BROTLI_MAX_BYTES_AT_10 = 2 * 2**20


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    bytes: int = 0


class _Output:
    """What both ways of writing share: one file per path, and the list of files made."""

    def __init__(self, out_dir: Path, compress: bool = True) -> None:
        self.out_dir = out_dir.resolve()
        self.stats = WriteStats()
        self.compress = compress  # write .gz/.br copies (a local preview does without)
        self._paths: set[str] = set()
        self._variants: set[str] = set()

    def variants(self, rel: str, content: bytes) -> tuple[str, ...]:
        return _precompressed_names(rel, content) if self.compress else ()

    @property
    def files(self) -> set[str]:
        """Every file of the new output, compressed copies included."""
        return self._paths | self._variants

    def register(self, rel: str) -> None:
        """Claim an output path: two files on one path is a build error."""
        if rel.startswith("/") or ".." in rel.split("/") or not rel:
            raise BuildError(f"refusing to write outside the output folder: {rel}")
        if rel in self._paths:
            raise BuildError(f"two pages would be written to the same file: {rel}")
        self._paths.add(rel)

    def write(self, rel: str, content: bytes) -> None:
        """Write one output file; ``rel`` is a relative POSIX path such as ``en/index.html``."""
        self.register(rel)
        self.store(rel, content)

    def store(self, rel: str, content: bytes) -> None:
        raise NotImplementedError

    def keep(self, rel: str, size: int) -> bool:
        raise NotImplementedError

    def previous_bytes(self, rel: str) -> bytes | None:
        """The file as the last build wrote it, if it is there."""
        try:
            return (self.out_dir / rel).read_bytes()
        except OSError:
            return None


class StagedOutput(_Output):
    """An output folder being built next to the real one; ``commit`` swaps it in.

    Use as a context manager: leaving the block with an exception removes the staging
    folder and leaves the previous output exactly as it was. ``write`` is ``register``
    (each file once) then ``store``; forked render workers (sitegen/parallel.py) call
    ``store`` for the pages the build registered for them.
    """

    def __init__(self, out_dir: Path, compress: bool = True) -> None:
        super().__init__(out_dir, compress)
        self.staging = self.out_dir.with_name(f".{self.out_dir.name}.staging")
        self._to_compress: list[tuple[str, bytes]] = []  # written at commit, on every core
        self._staging, self._out = str(self.staging), str(self.out_dir)

    def __enter__(self) -> StagedOutput:
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise BuildError(f"{self.out_dir} exists and is not a folder")
        shutil.rmtree(self.staging, ignore_errors=True)  # left over from a killed build
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def store(self, rel: str, content: bytes) -> None:
        # Plain strings and os calls: this runs once per page, 90,000 times for a city.
        target = os.path.join(self._staging, rel)
        _make_parent(target)
        previous = os.path.join(self._out, rel)
        self.stats.bytes += len(content)
        variants = self.variants(rel, content)
        self._variants.update(variants)
        if _same_bytes(previous, content) and all(
            os.path.isfile(os.path.join(self._out, v)) for v in variants
        ):
            for name in (rel, *variants):  # the compressed copies cannot differ either
                os.link(os.path.join(self._out, name), os.path.join(self._staging, name))
            self.stats.unchanged += 1
            return
        with open(target, "wb") as file:
            file.write(content)
        self._to_compress.extend((name, content) for name in variants)
        self.stats.written += 1

    def keep(self, rel: str, size: int) -> bool:
        """Carry a page over from the previous output unread; False if it is not there."""
        if _precompressed_names(rel, b"\0" * size):
            raise BuildError(f"only files without compressed copies can be kept: {rel}")
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.out_dir / rel, target)
        except OSError:
            return False
        self.stats.unchanged += 1
        self.stats.bytes += size
        return True

    def commit(self) -> None:
        """Swap the staging folder in for the output folder."""
        packed = compress_all(self._to_compress)
        for (name, _), content in zip(self._to_compress, packed, strict=True):
            (self.staging / name).write_bytes(content)
        self._to_compress.clear()
        old = self.out_dir.with_name(f".{self.out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.out_dir.exists():
            os.replace(self.out_dir, old)
        os.replace(self.staging, self.out_dir)
        shutil.rmtree(old, ignore_errors=True)
        log.debug("output swapped into %s", self.out_dir)


class InPlaceOutput(_Output):
    """Brings an existing output folder up to date file by file, for small changes.

    Nothing touches the folder before ``commit``: changed files wait in memory, so a build
    that fails half-way leaves the output as it was. ``commit`` then writes each changed
    file atomically (a temporary file renamed over the old one): new data files first,
    then pages, then the service worker, and removes files the build no longer makes
    last, so a page never points at a data file that is not there yet.
    """

    def __init__(
        self,
        out_dir: Path,
        previous_files: set[str],
        compress: bool = True,
        known: dict[str, bytes] | None = None,
    ) -> None:
        super().__init__(out_dir, compress)
        self._previous = previous_files
        self._pending: dict[str, bytes] = {}
        self._kept: list[dict[str, int]] = []
        # The very bytes objects the last build of this process wrote: when a memoized file
        # comes again, it is the same object, and the disk need not be read to compare.
        self.known = known if known is not None else {}
        self.seen: dict[str, bytes] = {}

    @property
    def files(self) -> set[str]:
        files = self._paths | self._variants
        for sizes in self._kept:
            files.update(sizes)
        return files

    def keep_all(self, sizes: dict[str, int]) -> None:
        """Keep a whole group of pages (file -> size) the last build made, as they are."""
        self._kept.append(sizes)
        self.stats.unchanged += len(sizes)
        self.stats.bytes += sum(sizes.values())

    def __enter__(self) -> InPlaceOutput:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._pending.clear()

    def store(self, rel: str, content: bytes) -> None:
        self.stats.bytes += len(content)
        variants = self.variants(rel, content)
        self._variants.update(variants)
        out = self.out_dir
        if len(content) > 4096:
            self.seen[rel] = content
        if self.known.get(rel) is content:
            self.stats.unchanged += 1
            return
        if _same_bytes(out / rel, content) and all((out / v).is_file() for v in variants):
            self.stats.unchanged += 1
            return
        self._pending[rel] = content
        self.stats.written += 1

    def keep(self, rel: str, size: int) -> bool:
        self.stats.unchanged += 1
        self.stats.bytes += size
        return True

    def commit(self) -> None:
        def order(rel: str) -> tuple[int, str]:
            return (2 if rel == "sw.js" else 1 if rel.endswith(".html") else 0, rel)

        pending = sorted(self._pending, key=order)
        copies = [
            (name, self._pending[rel])
            for rel in pending
            for name in self.variants(rel, self._pending[rel])
        ]
        packed = dict(zip([name for name, _ in copies], compress_all(copies), strict=True))
        for rel in pending:
            content = self._pending[rel]
            for name in self.variants(rel, content):
                _replace(self.out_dir / name, packed[name])
            _replace(self.out_dir / rel, content)
        files = self.files
        for rel in sorted(self._previous - files):
            path = self.out_dir / rel
            path.unlink(missing_ok=True)
            for parent in path.parents:  # folders left empty go too
                if parent == self.out_dir or any(parent.iterdir()):
                    break
                parent.rmdir()
        self._pending.clear()
        log.debug("output updated in place in %s", self.out_dir)


def _replace(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _precompressed_names(rel: str, content: bytes) -> tuple[str, ...]:
    if not rel.endswith(PRECOMPRESS_SUFFIXES) or len(content) < PRECOMPRESS_MIN_BYTES:
        return ()
    return (rel + ".gz", rel + ".br") if brotli is not None else (rel + ".gz",)


def compress_all(items: Iterable[tuple[str, bytes]]) -> list[bytes]:
    """The compressed copies ``(name, content)`` ask for, made on every core (zlib and
    brotli let go of the interpreter lock while they work)."""
    from .parallel import default_jobs  # here: sitegen.parallel imports this module

    items = list(items)
    if len(items) < 2:
        return [_compress(name, content) for name, content in items]
    with ThreadPoolExecutor(min(len(items), default_jobs())) as pool:
        return list(pool.map(lambda item: _compress(*item), items))


def _compress(name: str, content: bytes) -> bytes:
    if name.endswith(".br"):
        # Quality 10 is within 4% of 11 and three times faster (a 520 KB search file: 61.9 KB
        # in 0.27 s against 59.6 KB in 0.76 s); it goes to the files phones fetch. Multi-
        # megabyte files (the GeoJSON exports, the sitemap) get 9 with the largest standard
        # window (a 38 MB sitemap: 0.35 s and 499 KB, where 10 takes 20 s).
        small = len(content) <= BROTLI_MAX_BYTES_AT_10 and not name.endswith(".geojson.br")
        if small:
            return bytes(brotli.compress(content, quality=10))
        return bytes(brotli.compress(content, quality=9, lgwin=24))
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    return gzip.compress(content, compresslevel=9, mtime=0)


def _same_bytes(path: Path | str, content: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(content):
            return False
        with open(path, "rb") as file:
            return file.read() == content
    except OSError:
        return False


def _make_parent(path: str) -> None:
    folder = os.path.dirname(path)
    try:
        os.mkdir(folder)  # a page's own folder: its parent is nearly always there already
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
