"""Work spread over the cores: how many there are, and a map over forked processes.

The floor of the house: it imports nothing of sitegen, so any stage may use it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable[[Any], Any] | None = None  # set in the parent just before the workers fork


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked (they share the parent's memory); not on Windows."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_map(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[function(item) for item in items]`` in ``jobs`` forked processes.

    For CPU-bound steps whose results are small next to their inputs (the results are
    pickled back); ``function`` may be a closure, since the workers are forked.
    """
    global _task
    if jobs <= 1 or len(items) < 2 or not can_fork():
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
