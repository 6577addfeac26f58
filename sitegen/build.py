"""``build()``: the whole pipeline as a readable list of stages.

config -> load -> validate -> model -> render -> write. Nothing is written until the
model is complete, and the output folder is swapped in only when every file is written.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import BuildCache
from .config import SiteConfig, build_date, load_config, normalize_base_url, theme_dir
from .errors import ConfigError, ContentError, Problem, Report
from .incremental import BuildState, Dependencies, Snapshot, output_id, site_digest
from .memo import Memo
from .schema import Invalid
from .write import InPlaceOutput, StagedOutput, WriteStats

# The model and the renderer pull in Markdown, OpenCC, pypinyin, Jinja and Pillow (half a
# second): they are imported once a build knows it has work to do, not for "nothing changed".
if TYPE_CHECKING:
    from .model import Site
    from .render import Page

log = logging.getLogger(__name__)


# Up to this many pages to render, a build that has the record of the last one updates the
# output folder in place; beyond it, it builds a new folder (on every core) and swaps it in.
IN_PLACE_MAX_PAGES = 2_000


@dataclass
class BuildResult:
    site: Site | None  # None when nothing had changed and nothing was read
    pages: int
    files: int
    stats: WriteStats
    seconds: float
    warnings: list[Problem]
    precache_bytes: dict[str, int]  # per locale: what a phone downloads for offline use
    rendered: int = 0  # pages rendered; the others were carried over unchanged
    up_to_date: bool = False  # nothing had changed since the last build


@dataclass
class _Group:
    """The name-card pages of one category in one locale, as the last build made them."""

    fingerprints: dict[str, str]
    sizes: dict[str, int]
    record: dict[str, tuple[str, int]]


@dataclass
class BuildSession:
    """What a long-lived process (``sitegen serve``) keeps from one build to the next.

    The memo holds each step's results by the digest of their inputs (sitegen/memo.py),
    so a rebuild after one edit redoes the work of that edit only. ``compress`` turns the
    .gz/.br copies off for a local preview, where nobody downloads over a slow link.
    """

    memo: Memo = field(default_factory=Memo)
    cache: BuildCache | None = None
    compress: bool = True
    keep_heap_frozen: bool = False
    # Write the record of each build next to the output (a new process reads it). A
    # long-lived one keeps it in memory only, with the kept groups of name-card pages.
    save_record: bool = True
    builds: int = 0
    state: BuildState | None = None
    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)
    written: dict[str, bytes] = field(default_factory=dict)  # large files, as last written

    def previous_state(self, out_dir: Path) -> BuildState | None:
        if self.state is not None and self.state.output_id == output_id(out_dir):
            return self.state
        self.state, self.groups, self.written = None, {}, {}
        return BuildState.load(out_dir)

    def remember(
        self, out_dir: Path, state: BuildState, groups: dict[tuple[str, str], _Group]
    ) -> None:
        if self.save_record:
            state.save(out_dir)
            return
        self.state, self.groups = state, groups

    def settle(self) -> None:
        """After a build: put what it left out of the garbage collector's way.

        The memo of a city is millions of objects; every collection of the next build would
        walk them all, for a second or more. Frozen, they are skipped; every 20 builds the
        heap is collected once, so that garbage caught in cycles does not pile up.
        """
        self.builds += 1
        if not self.keep_heap_frozen:
            return
        if self.builds % 20 == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


class _Laps:
    """Time of each stage, in the debug log (``sitegen -v build``)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        log.debug("%6.3f s  %s", now - self.last, stage)
        self.last = now


def _config(project_dir: Path, base_url: str | None) -> SiteConfig:
    config = load_config(project_dir)
    if base_url is not None:
        try:
            config = replace(config, base_url=normalize_base_url(base_url))
        except Invalid as exc:
            raise ConfigError(f"--base-url: {exc.message}") from None
    return config


def load_site(
    project_dir: Path,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    memo: Memo | None = None,
) -> tuple[Site, list[Problem]]:
    """Config, load, validate and model: the checked site, or a ContentError with every problem."""
    from .load import load_content
    from .model import build_site
    from .validate import validate

    config = _config(project_dir, base_url)
    report = Report()
    raw = load_content(config.content_dir, config.locales, report, cache)
    checked = validate(raw, config, report, memo)
    if report.errors:
        raise ContentError(report.sorted())
    return build_site(checked, config, memo=memo), report.warnings


def check(project_dir: Path) -> list[Problem]:
    """Run every check without writing anything; returns the warnings."""
    return load_site(project_dir)[1]


def build(
    project_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    clean: bool = False,
    jobs: int | None = None,
    commit_lock: AbstractContextManager[object] | None = None,
    session: BuildSession | None = None,
) -> BuildResult:
    """Build the site into ``out_dir``; on any failure the previous output stays as it was.

    With the record of the last build into ``out_dir`` (sitegen/incremental.py) only what
    changed is made again; ``clean`` ignores it. ``jobs`` worker processes render the
    pages (default: one per core). ``commit_lock`` is held while the output changes, so a
    server reading files under the same lock never sees half of a rebuild. A ``session``
    kept between builds makes rebuilds in one process redo only what changed.
    """
    # Loading and planning make millions of objects that live until the build ends: the
    # collector would walk them again and again and find no garbage (a third of a clean
    # city build). It is paused until they are made, then they are frozen out of its way
    # while pages are rendered (sitegen/parallel.py), and let go after the build.
    session = session or BuildSession()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(project_dir, out_dir, base_url, progress, clean, jobs, commit_lock, session)
    finally:
        if not session.keep_heap_frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()


def _build(
    project_dir: Path,
    out_dir: Path,
    base_url: str | None,
    progress: Callable[[int, int], None] | None,
    clean: bool,
    jobs: int | None,
    commit_lock: AbstractContextManager[object] | None,
    session: BuildSession,
) -> BuildResult:
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    config = _config(project_dir, base_url)
    theme = theme_dir(project_dir, config.theme)
    snapshot = Snapshot.take(project_dir, theme, build_date(config), config.base_url)
    previous = None if clean else session.previous_state(out_dir)
    if previous is not None and previous.snapshot == snapshot:
        log.info("nothing changed since the last build into %s", out_dir)
        return BuildResult(
            None,
            previous.page_count,
            len(previous.files),
            WriteStats(unchanged=len(previous.files)),
            time.perf_counter() - started,
            previous.warnings,
            previous.precache_bytes,
            up_to_date=True,
        )

    from .parallel import default_jobs, render_pages
    from .render import Renderer
    from .search import read_pinyin

    if session.cache is None:
        session.cache = BuildCache(project_dir)
    cache, memo = session.cache, session.memo
    lap = _Laps()
    site, warnings = load_site(project_dir, base_url, cache, memo)
    lap("load, validate, model")
    source = site.config.source_locale
    names = (f.name[source] for c in site.categories for f in c.facilities)
    read_pinyin(names, cache.pinyin, jobs or default_jobs())  # for the search, on every core
    shared_inputs = site_digest(site, theme)
    memo.disk, memo.namespace = cache, shared_inputs  # lasting results, for the next process
    renderer = Renderer(site, theme, site.config.precache_budget_mb, cache.pinyin, memo)
    gc.freeze()  # the model and the plan live on; rendering makes short-lived cycles
    gc.enable()
    lap("plan pages, assets, data files")

    # Which pages can be kept: name cards by group (a category in a locale), when the group's
    # fingerprints are the very ones of the last build in this process; else page by page.
    deps = Dependencies(
        shared_inputs,
        renderer.guides_with,
        site.config.locales,
        memo,
        renderer.category_keys,
    )
    guides_key = deps.guides_key(site.guides)
    last_groups = session.groups if previous is not None and previous is session.state else {}
    groups: dict[tuple[str, str], _Group] = {}
    whole: list[tuple[_Group, list[Page]]] = []  # groups kept as they are
    fingerprints: dict[str, str] = {}  # the pages looked at one by one
    cards: list[Page] = []  # name-card pages not kept as a whole group
    for gid, pages in renderer.facility_groups:
        fps: dict[str, str] = memo.get(
            "group-fingerprints",
            (deps.site, guides_key, renderer.category_keys[gid[0]], gid[1]),
            lambda pages=pages: {p.output: deps.facility_page(p) for p in pages},  # type: ignore[misc]
            lasting=True,
        )
        last = last_groups.get(gid)
        if last is not None and last.fingerprints is fps:
            groups[gid] = last  # every page of the group as it is
            whole.append((last, pages))
            continue
        groups[gid] = _Group(fps, {}, {})
        fingerprints.update(fps)
        cards.extend(pages)
    for page in renderer.pages:
        if page.key[0] != "facility" and (fingerprint := deps.page(page)) is not None:
            fingerprints[page.output] = fingerprint
    keep: dict[str, int] = {}
    if previous is not None:
        for rel, fingerprint in fingerprints.items():
            before = previous.pages.get(rel)
            if before is not None and before[0] == fingerprint:
                keep[rel] = before[1]
    lap("fingerprints")
    total = len(renderer.pages)
    rendered = total - len(keep) - sum(len(g.sizes) for g, _ in whole)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    output: StagedOutput | InPlaceOutput
    if previous is not None and rendered <= IN_PLACE_MAX_PAGES:
        known = session.written if previous is session.state else {}
        output = InPlaceOutput(out_dir, previous.files, session.compress, known)
    else:
        output = StagedOutput(out_dir, session.compress)
        for group, pages in whole:  # a new folder: every kept page is linked over, one by one
            keep.update(group.sizes)
            cards.extend(pages)
        whole = []
    sizes: dict[str, int] = {}
    with output:
        plan = renderer.precache_plan()
        kept: dict[str, bytes] = {}  # the precached files, whose bytes give their revisions
        for rel, content in renderer.shared_files():
            output.write(rel, content)
            if plan.wants(rel):
                kept[rel] = content
        for group, _ in whole:
            assert isinstance(output, InPlaceOutput)
            output.keep_all(group.sizes)
            advance(len(group.sizes))
        for page in renderer.pages:
            if page.key[0] != "facility":
                output.register(page.output)
        if isinstance(output, InPlaceOutput):
            # Kept pages need no work in place: only the changed ones go on.
            unchanged = {p.output: keep[p.output] for p in cards if p.output in keep}
            output.keep_all(unchanged)
            sizes.update(unchanged)
            advance(len(unchanged))
            cards = [p for p in cards if p.output not in unchanged]
        for page in cards:
            output.register(page.output)
        # Name cards are nearly all the pages: they go to the workers, with the list pages
        # whose bytes the service worker's precache list does not need.
        lists = [p for p in renderer.pages if p.key[0] == "category" and not plan.wants(p.output)]
        batch = cards + lists
        batch_sizes = render_pages(renderer, output, batch, keep, jobs or default_jobs(), advance)
        sizes.update(zip((p.output for p in batch), batch_sizes, strict=True))
        lap("name-card and list pages")
        in_batch = {p.output for p in lists}
        for page in renderer.pages:
            if page.key[0] == "facility" or page.output in in_batch:
                continue
            rel = page.output
            html: bytes | None = None
            if rel in keep and output.keep(rel, keep[rel]):
                sizes[rel] = keep[rel]
                # A precached page's bytes give its revision in sw.js: read the kept file.
                html = output.previous_bytes(rel) if plan.wants(rel) else b""
            if html is None:
                html = renderer.render_page(page)
                output.store(rel, html)
                sizes[rel] = len(html)
            if plan.wants(rel):
                kept[rel] = html
            advance(1)
        for rel, content in renderer.closing_files(plan, kept):
            output.write(rel, content)
        lap("other pages, sitemap, service worker")
        BuildState.forget(out_dir)  # the output is about to change: the record no longer fits
        with commit_lock or nullcontext():
            output.commit()
    lap("write")
    record: dict[str, tuple[str, int]] = {}
    for group in groups.values():
        if not group.record:  # a group made (or looked at page by page) now
            group.sizes = {rel: sizes[rel] for rel in group.fingerprints}
            group.record = {rel: (fp, sizes[rel]) for rel, fp in group.fingerprints.items()}
        record.update(group.record)
    for rel, fingerprint in fingerprints.items():
        if rel not in record:
            record[rel] = (fingerprint, sizes[rel])
    state = BuildState(
        snapshot,
        output_id(out_dir),
        record,
        output.files,
        total,
        warnings,
        dict(renderer.precache_sizes),
    )
    session.remember(out_dir, state, groups)
    if not session.save_record and isinstance(output, InPlaceOutput):
        session.written = output.seen
    cache.save(disk=session.save_record)
    memo.sweep()
    lap("record and cache")
    session.settle()
    seconds = time.perf_counter() - started
    log.info("built %d pages (%d rendered) in %.2f s", total, rendered, seconds)
    return BuildResult(
        site,
        total,
        len(output.files),
        output.stats,
        seconds,
        warnings,
        dict(renderer.precache_sizes),
        rendered=rendered,
    )


__all__ = ["BuildResult", "BuildSession", "SiteConfig", "build", "check", "load_site"]
