"""The incremental build: what each page depends on, and the record of the last build.

The dependency model is explicit and small (docs/editing.md, "Fast rebuilds"):

- every output depends on the *site digest*: site.yaml, the category definitions, the
  theme, the sitegen code, the build date and the base URL. Change one of them and every
  page is rendered again;
- a name-card page depends on its card as written, the index of its compiled opening
  hours (shown on the page, and able to move when another card's hours change) and the
  titles of the guides that point at it;
- a category list page depends on the cards listed on it, their number and the number
  of pages;
- everything else (home pages, guides, data and search files, the sitemap, manifests and
  the service worker with its precache list) is made on every build: there are a few
  dozen of them, and they depend on all cards at once.

A page whose fingerprint (its inputs, hashed) equals the one recorded by the last build
is not rendered: the file already in the output is kept. ``BuildState`` is that record,
kept next to the output folder (``.public.build-state.json`` for ``public/``) rather than
in it, so it is never published.

Before any of that, ``Snapshot`` answers "did anything change at all?" from file sizes
and modification times alone, so a rebuild with no change reads no content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cache import content_key
from .errors import Mark, Problem
from .memo import Memo

if TYPE_CHECKING:
    from .model import Category, FacilityCard, Guide, Site
    from .render import Page

STATE_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent


def _hash(*parts: str) -> str:
    return content_key(*parts, size=16)  # a page's fingerprint in the record: 16 bytes do


def _files(root: Path) -> Iterator[Path]:
    """Every file below ``root``, in a fixed order."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            yield Path(folder, name)


# -- "did anything change?" -------------------------------------------------------------


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


# -- what each page depends on ----------------------------------------------------------


def site_digest(site: Site, theme: Path) -> str:
    """The inputs every page shares: change any of them and every page is made again."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{STATE_VERSION}\0{__version__}\0{site.today.isoformat()}\0".encode())
    h.update(repr(site.config).encode("utf-8"))
    content = site.config.content_dir
    shared = [content / "site.yaml", *_files(content / "categories")]
    code = [p for p in _files(PACKAGE_DIR) if p.suffix == ".py"]
    for root, paths in ((content, shared), (theme, list(_files(theme))), (PACKAGE_DIR, code)):
        for path in paths:
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


@dataclass
class Dependencies:
    """Fingerprints of the pages that can be skipped when their inputs did not change."""

    site: str
    guides_with: Callable[[FacilityCard], list[Guide]]
    locales: tuple[str, ...]
    memo: Memo = field(default_factory=Memo)
    category_keys: dict[str, str] = field(default_factory=dict)  # sitegen.appdata.category_key
    _guide_titles: dict[str, str] = field(default_factory=dict)

    def page(self, page: Page) -> str | None:
        """The fingerprint of a page that can be skipped; None for pages always made."""
        kind, context = page.key[0], page.context
        if kind == "facility":
            return self.facility_page(page)
        if kind == "category":
            category, number, count = (
                context["category"],
                context["page_number"],
                context["page_count"],
            )
            # The category's key covers its cards in order, so which ones are on this page.
            key = (self.site, page.locale, self.category_keys[category.id], number, count)
            return self.memo.get(
                "list-fingerprint",
                key,
                lambda: _hash(
                    page.locale, self.category_page(category, context["facilities"], number, count)
                ),
            )
        return None

    def facility_page(self, page: Page) -> str:
        return f"{self.facility(page.context['facility'])}:{page.locale}"

    def facility(self, facility: FacilityCard) -> str:
        guides = self._guides_of(facility)
        key = (self.site, facility.digest, guides)
        return self.memo.get("fingerprint", key, lambda: _hash(*key[:2], "facility", guides))

    def category_page(
        self, category: Category, facilities: Iterable[FacilityCard], number: int, count: int
    ) -> str:
        # The page shows its cards, where it is among the pages, and how many cards there are.
        cards = ",".join(f.digest for f in facilities)
        total = str(len(category.facilities))
        return _hash(self.site, "category", category.id, str(number), str(count), total, cards)

    def guides_key(self, guides: Iterable[Guide]) -> str:
        """What of the guides name-card pages show: which guides list which card, titled how."""
        parts = []
        for guide in guides:
            title = "|".join(guide.title[loc] for loc in self.locales)
            parts.append(f"{guide.id}={title}:" + ",".join(e.facility.id for e in guide.entries))
        return _hash(*parts)

    def _guides_of(self, facility: FacilityCard) -> str:
        parts = []
        for guide in self.guides_with(facility):
            title = self._guide_titles.get(guide.id)
            if title is None:
                title = "|".join(guide.title[loc] for loc in self.locales)
                self._guide_titles[guide.id] = title
            parts.append(f"{guide.id}={title}")
        return ";".join(parts)


# -- the record of the last build -------------------------------------------------------


@dataclass
class BuildState:
    """What the last build made: its input snapshot, page fingerprints and output files."""

    snapshot: Snapshot
    # (device, inode, modification time) of the output folder it describes: a folder
    # deleted and made again, or with files added or removed at its top, is another one.
    output_id: tuple[int, int, int]
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
                (int(data["output"][0]), int(data["output"][1]), int(data["output"][2])),
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
        return state if state.output_id == output_id(out_dir) else None

    def save(self, out_dir: Path) -> None:
        path = self.path_for(out_dir)
        data = {
            "version": STATE_VERSION,
            "snapshot": self.snapshot.to_json(),
            "output": list(self.output_id),
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


def output_id(out_dir: Path) -> tuple[int, int, int]:
    try:
        st = out_dir.stat()
    except OSError:
        return (-1, -1, -1)
    return (st.st_dev, st.st_ino, st.st_mtime_ns)
