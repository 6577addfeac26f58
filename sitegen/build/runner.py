"""How a build runs: the garbage collector's part, and the name-card pages on every core.

Loading and planning make millions of objects that live until the build ends: the
collector would walk them again and again and find no garbage (a third of a clean city
build). It is paused while they are made, then they are frozen out of its way while pages
are rendered, and let go after the build (``paused_collector``, ``freeze_model``).

Render workers are forked from the build process once the model and the renderer are
ready, so they share them without copying or pickling anything; each renders a slice of
the pages and writes it into the staging folder itself, and sends back only its counts.
Where ``fork`` is not available (Windows), or the work is small, pages are rendered
in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sitegen.build.output import Output, StagedOutput, WriteStats
from sitegen.render.page import Page
from sitegen.render.renderer import Renderer
from sitegen.workers import can_fork

CHUNK = 500  # pages per task: small enough to balance the cores, large enough to be cheap
MIN_PARALLEL = 2_000  # below this, starting workers costs more than it saves
COLLECT_EVERY = 20  # builds of one process between full collections of a kept heap


@contextmanager
def paused_collector(keep_frozen: bool) -> Iterator[None]:
    """No garbage collection during a build; afterwards as before, the heap unfrozen unless
    ``keep_frozen`` (a long-lived process keeps its memo out of the collector's way)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not keep_frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()


def freeze_model() -> None:
    """The model and the plan live on; rendering makes short-lived cycles: collect those."""
    gc.freeze()
    gc.enable()


def settle_heap(builds: int) -> None:
    """After a build of a long-lived process: put what it keeps out of the collector's way.

    The memo of a city is millions of objects; every collection of the next build would
    walk them all, for a second or more. Frozen, they are skipped; every ``COLLECT_EVERY``
    builds the heap is collected once, so that garbage caught in cycles does not pile up.
    """
    if builds % COLLECT_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


@dataclass
class _Job:
    renderer: Renderer
    output: Output
    pages: Sequence[Page]
    keep: dict[str, int]  # output file -> size, for pages whose inputs did not change


_job: _Job | None = None  # set in the parent just before the workers are forked


def render_pages(
    renderer: Renderer,
    output: Output,
    pages: Sequence[Page],
    keep: dict[str, int],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Render ``pages`` into ``output`` (registered already), keeping those in ``keep``.

    Returns the size of each page's file, in the order of ``pages``.
    """
    global _job
    _job = _Job(renderer, output, pages, keep)
    chunks = [(i, min(i + CHUNK, len(pages))) for i in range(0, len(pages), CHUNK)]
    to_render = sum(1 for page in pages if page.output not in keep)
    forking = can_fork()
    frozen_before = True  # until the workers are started
    sizes = [0] * len(pages)
    try:
        if jobs <= 1 or to_render < MIN_PARALLEL or not forking:
            for chunk in chunks:
                _, _, _, chunk_sizes = _run(chunk)  # counted in output.stats already
                sizes[chunk[0] : chunk[1]] = chunk_sizes
                if progress is not None:
                    progress(len(chunk_sizes))
            return sizes
        if not isinstance(output, StagedOutput):  # in-place output keeps changes in memory
            raise ValueError("parallel rendering writes into a staging folder")
        frozen_before = gc.get_freeze_count() > 0
        gc.freeze()  # keep the shared model's pages shared: no collector writes to them
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, len(chunks))) as pool:
            tasks = zip(chunks, pool.imap(_run, chunks), strict=True)
            for (start, end), (written, unchanged, size, chunk_sizes) in tasks:
                output.stats.written += written  # the workers counted in their own copies
                output.stats.unchanged += unchanged
                output.stats.bytes += size
                sizes[start:end] = chunk_sizes
                if progress is not None:
                    progress(len(chunk_sizes))
        return sizes
    finally:
        _job = None
        if forking and not frozen_before:
            gc.unfreeze()


def _run(bounds: tuple[int, int]) -> tuple[int, int, int, list[int]]:
    """Render one slice of the pages; returns (written, unchanged, bytes, page sizes)."""
    job = _job
    assert job is not None
    output, renderer = job.output, job.renderer
    before = WriteStats(output.stats.written, output.stats.unchanged, output.stats.bytes)
    start, end = bounds
    sizes = []
    for page in job.pages[start:end]:
        rel = page.output
        size = job.keep.get(rel)
        if size is None or not output.keep(rel, size):
            content = renderer.render_page(page)
            output.store(rel, content)
            size = len(content)
        sizes.append(size)
    after = output.stats
    return (
        after.written - before.written,
        after.unchanged - before.unchanged,
        after.bytes - before.bytes,
        sizes,
    )
