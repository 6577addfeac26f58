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

from .cache import BuildCache
from .config import SiteConfig, load_config, normalize_base_url
from .errors import ConfigError, ContentError, Problem, Report
from .incremental import BuildState, Dependencies, Snapshot, output_id, site_digest
from .load import load_content
from .memo import Memo
from .model import Site, build_date, build_site
from .parallel import default_jobs, render_pages
from .render import Renderer, theme_dir
from .schema import Invalid
from .validate import validate
from .write import InPlaceOutput, StagedOutput, WriteStats

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
    builds: int = 0

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
    session = session or BuildSession()
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    config = _config(project_dir, base_url)
    theme = theme_dir(project_dir, config.theme)
    snapshot = Snapshot.take(project_dir, theme, build_date(config), config.base_url)
    previous = None if clean else BuildState.load(out_dir)
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

    if session.cache is None:
        session.cache = BuildCache(project_dir)
    cache, memo = session.cache, session.memo
    lap = _Laps()
    site, warnings = load_site(project_dir, base_url, cache, memo)
    lap("load, validate, model")
    renderer = Renderer(site, theme, site.config.precache_budget_mb, cache.pinyin, memo)
    lap("plan pages, assets, data files")
    deps = Dependencies(site_digest(site, theme), renderer.guides_with, site.config.locales, memo)
    fingerprints = {p.output: fp for p in renderer.pages if (fp := deps.page(p)) is not None}
    keep: dict[str, int] = {}
    if previous is not None:
        for rel, fingerprint in fingerprints.items():
            before = previous.pages.get(rel)
            if before is not None and before[0] == fingerprint:
                keep[rel] = before[1]
    lap("fingerprints")
    total = len(renderer.pages)
    rendered = total - len(keep)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    output: StagedOutput | InPlaceOutput
    if previous is not None and rendered <= IN_PLACE_MAX_PAGES:
        output = InPlaceOutput(out_dir, set(previous.files), session.compress)
    else:
        output = StagedOutput(out_dir, session.compress)
    sizes: dict[str, int] = {}
    with output:
        plan = renderer.precache_plan()
        kept: dict[str, bytes] = {}  # the precached files, whose bytes give their revisions
        for rel, content in renderer.shared_files():
            output.write(rel, content)
            if plan.wants(rel):
                kept[rel] = content
        for page in renderer.pages:
            output.register(page.output)
        # Name cards are nearly all the pages: they go to the workers.
        cards = [p for p in renderer.pages if p.key[0] == "facility"]
        card_sizes = render_pages(renderer, output, cards, keep, jobs or default_jobs(), advance)
        sizes.update(zip((p.output for p in cards), card_sizes, strict=True))
        lap("name-card pages")
        for page in renderer.pages:
            if page.key[0] == "facility":
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
    state = BuildState(
        snapshot,
        output_id(out_dir),
        {rel: (fp, sizes[rel]) for rel, fp in fingerprints.items()},
        sorted(output.files),
        total,
        warnings,
        dict(renderer.precache_sizes),
    )
    lap("write")
    state.save(out_dir)
    cache.save()
    memo.sweep()
    lap("record and cache")
    if session.keep_heap_frozen:
        # What a build leaves (the memo of 30,000 cards: millions of objects) would otherwise
        # be walked by every collection of the next build, for a second or more.
        gc.freeze()
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
