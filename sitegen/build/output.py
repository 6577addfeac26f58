"""The write stage: build into a staging folder, then swap it in; never a half-built site.

Files whose bytes did not change are hard-linked from the previous output instead of
rewritten, so they keep their modification time and a sync to a CDN skips them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.build import journal
from sitegen.build.compress import compress_all, precompressed_names
from sitegen.build.journal import update_in_place
from sitegen.build.swap import delete_later, swap_in
from sitegen.errors import BuildError

log = logging.getLogger(__name__)


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    bytes: int = 0


class Output:
    """What both ways of writing share: one file per path, and the list of files made."""

    def __init__(self, out_dir: Path, compress: bool = True) -> None:
        self.out_dir = out_dir.resolve()
        self.stats = WriteStats()
        self.compress = compress  # write .gz/.br copies (a local preview does without)
        self._paths: set[str] = set()
        self._variants: set[str] = set()

    def variants(self, rel: str, content: bytes) -> tuple[str, ...]:
        return precompressed_names(rel, content) if self.compress else ()

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


class StagedOutput(Output):
    """An output folder being built next to the real one; ``commit`` swaps it in.

    Use as a context manager: leaving the block with an exception removes the staging
    folder and leaves the previous output exactly as it was. ``write`` is ``register``
    (each file once) then ``store``; forked render workers (build/runner.py) call
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
        if self.staging.exists():  # left over from a killed build
            delete_later(self.staging, self.out_dir)
        try:
            self.staging.mkdir(parents=True)
        except OSError as exc:
            raise _write_error(self.out_dir, exc) from None
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None and self.staging.exists():
            delete_later(self.staging, self.out_dir)

    def store(self, rel: str, content: bytes) -> None:
        try:
            self._store(rel, content)
        except OSError as exc:
            raise _write_error(self.out_dir, exc) from None

    def _store(self, rel: str, content: bytes) -> None:
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
        journal.write_file(target, content)
        self._to_compress.extend((name, content) for name in variants)
        self.stats.written += 1

    def keep(self, rel: str, size: int) -> bool:
        """Carry a page over from the previous output unread; False if it is not there."""
        if precompressed_names(rel, b"\0" * size):
            raise BuildError(f"only files without compressed copies can be kept: {rel}")
        target = os.path.join(self._staging, rel)
        try:
            _make_parent(target)
            os.link(os.path.join(self._out, rel), target)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise _write_error(self.out_dir, exc) from None
        self.stats.unchanged += 1
        self.stats.bytes += size
        return True

    def commit(self) -> None:
        """Swap the staging folder in for the output folder, in one step."""
        packed = compress_all(self._to_compress)
        try:
            for (name, _), content in zip(self._to_compress, packed, strict=True):
                journal.write_file(os.path.join(self._staging, name), content)
            self._to_compress.clear()
            swap_in(self.staging, self.out_dir)
        except OSError as exc:
            raise _write_error(self.out_dir, exc) from None
        log.debug("output swapped into %s", self.out_dir)


class InPlaceOutput(Output):
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
        writes: list[tuple[str, bytes]] = []
        for rel in pending:  # data files first, then pages, the service worker last
            content = self._pending[rel]
            writes += [(name, packed[name]) for name in self.variants(rel, content)]
            writes.append((rel, content))
        update_in_place(self.out_dir, writes, sorted(self._previous - self.files))
        self._pending.clear()
        log.debug("output updated in place in %s", self.out_dir)


def _write_error(out_dir: Path, exc: OSError) -> BuildError:
    where = f" ({Path(exc.filename).name})" if exc.filename else ""
    return BuildError(
        f"cannot write into {out_dir}: {exc.strerror or exc}{where}; "
        "the previous output was left as it was"
    )


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
