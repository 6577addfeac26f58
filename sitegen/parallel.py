"""Rendering pages on every core.

Workers are forked from the build process once the model and the renderer are ready, so
they share them without copying or pickling anything; each renders a slice of the pages
and writes it into the staging folder itself, and sends back only its counts. Where
``fork`` is not available (Windows), or the work is small, pages are rendered in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .render import Page, Renderer
from .write import StagedOutput, WriteStats, _Output

CHUNK = 500  # pages per task: small enough to balance the cores, large enough to be cheap
MIN_PARALLEL = 2_000  # below this, starting workers costs more than it saves


@dataclass
class _Job:
    renderer: Renderer
    output: _Output
    pages: Sequence[Page]
    keep: dict[str, int]  # output file -> size, for pages whose inputs did not change


_job: _Job | None = None  # set in the parent just before the workers are forked
_task: Callable[[Any], Any] | None = None  # the same, for forked_map

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def render_pages(
    renderer: Renderer,
    output: _Output,
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
    forking = "fork" in multiprocessing.get_all_start_methods()
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


def forked_map(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[function(item) for item in items]`` in ``jobs`` forked processes.

    For CPU-bound steps whose results are small next to their inputs (the results are
    pickled back); ``function`` may be a closure, since the workers are forked.
    """
    global _task
    if jobs <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _task = function
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(items))) as pool:
            return pool.map(_call_task, items, chunksize=1)
    finally:
        _task = None


def _call_task(item: Any) -> Any:
    assert _task is not None
    return _task(item)
