"""``build()``: the whole pipeline as a readable list of stages.

config -> load -> validate -> model -> render -> write. Nothing is written until the
model is complete, and the output folder changes only when every file is ready.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.build.fingerprints import Dependencies
from sitegen.build.output import InPlaceOutput, StagedOutput, WriteStats
from sitegen.build.planner import BuildPlan, IncrementalPlanner
from sitegen.build.record import BuildState, output_id
from sitegen.build.runner import freeze_model, paused_collector
from sitegen.build.session import BuildSession
from sitegen.build.snapshot import Snapshot, site_digest
from sitegen.build.swap import recover
from sitegen.cache.keys import code_digest
from sitegen.cache.memo import Memo
from sitegen.cache.store import BuildCache
from sitegen.errors import ConfigError, ContentError, Problem, Report
from sitegen.pipeline.config import SiteConfig, build_date, load_config, theme_dir
from sitegen.pipeline.site_schema import normalize_base_url
from sitegen.render.ratings import PlaceRatings
from sitegen.source.fields import Invalid

# The model and the renderer pull in Markdown, OpenCC, pypinyin, Jinja and Pillow (half a
# second): they are imported once a build knows it has work to do, not for "nothing changed".
if TYPE_CHECKING:
    from sitegen.pipeline.model import Site
    from sitegen.render.page import Page
    from sitegen.render.precache import PrecachePlan
    from sitegen.render.renderer import Renderer

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (pages done, pages in all)
StageDone = Callable[[str, float], None]  # (stage, seconds it took)


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


class _Laps:
    """Time of each stage: in the debug log (``sitegen -v build``), and to ``done`` if given."""

    def __init__(self, done: StageDone | None = None) -> None:
        self.last = time.perf_counter()
        self.done = done

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        log.debug("%6.3f s  %s", now - self.last, stage)
        if self.done is not None:
            self.done(stage, now - self.last)
        self.last = now


def read_config(project_dir: Path, base_url: str | None) -> SiteConfig:
    """site.yaml, with the base URL given on the command line if any."""
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
    from sitegen.pipeline.load import load_content
    from sitegen.pipeline.model import build_site
    from sitegen.pipeline.validate import validate

    config = read_config(project_dir, base_url)
    report = Report()
    report.problems.extend(config.warnings)  # site.yaml's own (config.py)
    if memo is not None and cache is not None:  # checked cards for the next process
        memo.disk, memo.namespace = cache, code_digest()
    raw = load_content(config.content_dir, config.locales, report, cache)
    checked = validate(raw, config, report, memo)
    if report.errors:
        raise ContentError(report.sorted())
    return build_site(checked, config, memo=memo), report.warnings


def check(project_dir: Path) -> tuple[Site, list[Problem]]:
    """Run every check without writing anything; returns the site and the warnings."""
    site, warnings = load_site(project_dir)
    theme_dir(project_dir, site.config.theme)  # a ConfigError when the theme is missing
    return site, warnings


def build(
    project_dir: Path,
    out_dir: Path,
    base_url: str | None = None,
    progress: Progress | None = None,
    *,
    clean: bool = False,
    jobs: int | None = None,
    commit_lock: AbstractContextManager[object] | None = None,
    session: BuildSession | None = None,
    stage_done: StageDone | None = None,
    ratings: PlaceRatings | None = None,
) -> BuildResult:
    """Build the site into ``out_dir``; on any failure the previous output stays as it was.

    With the record of the last build into ``out_dir`` (build/record.py) only what changed
    is made again; ``clean`` ignores it. ``jobs`` worker processes render the pages
    (default: one per core). ``commit_lock`` is held while the output changes, so a server
    reading files under the same lock never sees half of a rebuild. A ``session`` kept
    between builds makes rebuilds in one process redo only what changed. ``ratings`` (read by
    build/ratings.py) are baked into the name cards; a change of them remakes every page.
    ``progress`` hears of pages as they are done, ``stage_done`` of each stage as it ends.
    """
    session = session or BuildSession()
    with paused_collector(keep_frozen=session.keep_heap_frozen):
        run = _Build(project_dir, out_dir.resolve(), session, jobs, progress, ratings)
        run.lap = _Laps(stage_done)
        return run.run(base_url, clean, commit_lock)


class _Build:
    """One build: ``run`` is the stage list; each stage is a method below it."""

    def __init__(
        self,
        project_dir: Path,
        out_dir: Path,
        session: BuildSession,
        jobs: int | None,
        progress: Progress | None,
        ratings: PlaceRatings | None = None,
    ) -> None:
        self.project_dir, self.out_dir, self.session = project_dir, out_dir, session
        self.jobs, self.progress, self.ratings = jobs, progress, ratings
        self.started = time.perf_counter()
        self.lap = _Laps()

    def run(
        self, base_url: str | None, clean: bool, commit_lock: AbstractContextManager[object] | None
    ) -> BuildResult:
        recover(self.out_dir)  # what a killed build left: finished or undone, first
        config = read_config(self.project_dir, base_url)
        theme = theme_dir(self.project_dir, config.theme)
        snapshot = Snapshot.take(self.project_dir, theme, build_date(config), config.base_url)
        if self.ratings is not None:  # baked ratings are an input like the content
            snapshot = replace(snapshot, settings=(*snapshot.settings, self.ratings.digest))
        previous = None if clean else self.session.previous_state(self.out_dir)
        if previous is not None and previous.snapshot == snapshot:
            return self.up_to_date(previous)
        site, warnings = self.model(base_url)
        renderer = self.prepare_render(site, theme)
        deps = self.dependencies(renderer, theme)
        plan = IncrementalPlanner(
            deps, self.session.memo, previous, self.session.last_groups(previous)
        ).plan(renderer)
        self.lap("fingerprints")
        output = self.open_output(plan, previous)
        with output:
            sizes = _Writer(renderer, plan, output, self.jobs, self.progress, self.lap).write()
            BuildState.forget(self.out_dir)  # the output is about to change: the record too
            with commit_lock or nullcontext():
                output.commit()
        self.lap("write")
        self.record(snapshot, plan, output, sizes, warnings, renderer)
        return self.result(site, plan, output, warnings, renderer)

    def up_to_date(self, previous: BuildState) -> BuildResult:
        log.info("nothing changed since the last build into %s", self.out_dir)
        return BuildResult(
            None,
            previous.page_count,
            len(previous.files),
            WriteStats(unchanged=len(previous.files)),
            time.perf_counter() - self.started,
            previous.warnings,
            previous.precache_bytes,
            up_to_date=True,
        )

    def model(self, base_url: str | None) -> tuple[Site, list[Problem]]:
        """Config, load, validate, model, with the cache of parsed files and the memo."""
        if self.session.cache is None:
            self.session.cache = BuildCache(self.project_dir)
        site = load_site(self.project_dir, base_url, self.session.cache, self.session.memo)
        self.lap("load, validate, model")
        return site

    def prepare_render(self, site: Site, theme: Path) -> Renderer:
        """The search's pinyin on every core, then the renderer with its plan of pages."""
        from sitegen.i18n.search_keys import read_pinyin
        from sitegen.render.renderer import Renderer
        from sitegen.workers import default_jobs

        cache, memo = self.session.cache, self.session.memo
        assert cache is not None
        source = site.config.source_locale
        names = (f.name[source] for c in site.categories for f in c.facilities)
        read_pinyin(names, cache.pinyin, self.jobs or default_jobs())
        self.shared_inputs = site_digest(site, theme) + (
            self.ratings.digest if self.ratings else ""
        )
        memo.disk, memo.namespace = cache, self.shared_inputs  # lasting results, next process
        renderer = Renderer(site, theme, cache.pinyin, memo, self.ratings)
        freeze_model()
        self.lap("plan pages, assets, data files")
        return renderer

    def dependencies(self, renderer: Renderer, theme: Path) -> Dependencies:
        return Dependencies(
            self.shared_inputs,
            renderer.guides_with,
            renderer.site.config.locales,
            self.session.memo,
            renderer.category_keys,
        )

    def open_output(
        self, plan: BuildPlan, previous: BuildState | None
    ) -> StagedOutput | InPlaceOutput:
        """A small change updates the output in place; anything else builds a new folder."""
        if plan.in_place:
            assert previous is not None
            known = self.session.known_files(previous)
            return InPlaceOutput(self.out_dir, previous.files, self.session.compress, known)
        return StagedOutput(self.out_dir, self.session.compress)

    def record(
        self,
        snapshot: Snapshot,
        plan: BuildPlan,
        output: StagedOutput | InPlaceOutput,
        sizes: dict[str, int],
        warnings: list[Problem],
        renderer: Renderer,
    ) -> None:
        """The record of this build for the next one, and the caches kept for it."""
        session = self.session
        record: dict[str, tuple[str, int]] = {}
        for group in plan.groups.values():
            if not group.record:  # a group made (or looked at page by page) now
                group.sizes = {rel: sizes[rel] for rel in group.fingerprints}
                group.record = {rel: (fp, sizes[rel]) for rel, fp in group.fingerprints.items()}
            record.update(group.record)
        for rel, fingerprint in plan.fingerprints.items():
            if rel not in record:
                record[rel] = (fingerprint, sizes[rel])
        state = BuildState(
            snapshot,
            output_id(self.out_dir),
            record,
            output.files,
            plan.total,
            warnings,
            dict(renderer.precache_sizes),
        )
        session.remember(self.out_dir, state, plan.groups)
        if not session.save_record and isinstance(output, InPlaceOutput):
            session.written = output.seen
        assert session.cache is not None
        session.cache.save(disk=session.save_record)
        session.memo.sweep()
        self.lap("record and cache")
        session.settle()

    def result(
        self,
        site: Site,
        plan: BuildPlan,
        output: StagedOutput | InPlaceOutput,
        warnings: list[Problem],
        renderer: Renderer,
    ) -> BuildResult:
        seconds = time.perf_counter() - self.started
        log.info("built %d pages (%d rendered) in %.2f s", plan.total, plan.rendered, seconds)
        return BuildResult(
            site,
            plan.total,
            len(output.files),
            output.stats,
            seconds,
            warnings,
            dict(renderer.precache_sizes),
            rendered=plan.rendered,
        )


class _Writer:
    """The render-and-write stage: every file of the plan into the output, in a fixed order."""

    def __init__(
        self,
        renderer: Renderer,
        plan: BuildPlan,
        output: StagedOutput | InPlaceOutput,
        jobs: int | None,
        progress: Progress | None,
        lap: _Laps,
    ) -> None:
        self.renderer, self.plan, self.output = renderer, plan, output
        self.jobs, self.progress, self.lap = jobs, progress, lap
        self.done = 0
        self.sizes: dict[str, int] = {}

    def advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.plan.total)

    def write(self) -> dict[str, int]:
        """Writes everything (not yet committed); returns each page file's size."""
        renderer, plan, output = self.renderer, self.plan, self.output
        precache = renderer.precache_plan()
        kept: dict[str, bytes] = {}  # the precached files, whose bytes give their revisions
        for rel, content in renderer.shared_files():
            output.write(rel, content)
            if precache.wants(rel):
                kept[rel] = content
        for group, _ in plan.whole:
            assert isinstance(output, InPlaceOutput)
            output.keep_all(group.sizes)
            self.advance(len(group.sizes))
        for page in renderer.pages:
            if page.key[0] != "facility":
                output.register(page.output)
        if plan.kept_cards:
            assert isinstance(output, InPlaceOutput)
            output.keep_all(plan.kept_cards)
            self.sizes.update(plan.kept_cards)
            self.advance(len(plan.kept_cards))
        for page in plan.cards:
            output.register(page.output)
        # Name cards are nearly all the pages: they go to the workers, with the list pages
        # whose bytes the service worker's precache list does not need.
        lists = [
            p for p in renderer.pages if p.key[0] == "category" and not precache.wants(p.output)
        ]
        self.render_batch(plan.cards + lists)
        self.lap("name-card and list pages")
        self.other_pages({p.output for p in lists}, precache, kept)
        for rel, content in renderer.closing_files(precache, kept):
            output.write(rel, content)
        for rel, content in renderer.header_files(output.files):  # of every file: last
            output.write(rel, content)
        self.lap("other pages, sitemap, service worker, headers")
        return self.sizes

    def render_batch(self, batch: list[Page]) -> None:
        from sitegen.build.runner import render_pages
        from sitegen.workers import default_jobs

        jobs = self.jobs or default_jobs()
        sizes = render_pages(self.renderer, self.output, batch, self.plan.keep, jobs, self.advance)
        self.sizes.update(zip((p.output for p in batch), sizes, strict=True))

    def other_pages(
        self, in_batch: set[str], precache: PrecachePlan, kept: dict[str, bytes]
    ) -> None:
        """Home pages, guides, the first list pages, report and 404 pages: in this process."""
        keep, output = self.plan.keep, self.output
        for page in self.renderer.pages:
            if page.key[0] == "facility" or page.output in in_batch:
                continue
            rel = page.output
            html: bytes | None = None
            if rel in keep and output.keep(rel, keep[rel]):
                self.sizes[rel] = keep[rel]
                # A precached page's bytes give its revision in sw.js: read the kept file.
                html = output.previous_bytes(rel) if precache.wants(rel) else b""
            if html is None:
                html = self.renderer.render_page(page)
                output.store(rel, html)
                self.sizes[rel] = len(html)
            if precache.wants(rel):
                kept[rel] = html
            self.advance(1)


__all__ = ["BuildResult", "BuildSession", "SiteConfig", "build", "check", "load_site"]
