"""Submissions being worked on, by idempotency key: a retry waits for the first attempt.

A phone on a poor connection gives up on an answer and sends the same report again while
the server is still decoding its photos. Without this, every retry would decode them again
(four attempts made one report and three wasted decodes). Now the first attempt owns the
key; a retry arriving meanwhile waits until it is done and then answers from the store
(the same ticket, ``Idempotent-Replayed``). If the first attempt ends without a report (its
client left with nobody waiting, or the database failed) the retry does the work itself.
A refusal of the same submission (a 4xx) is given to the retry too, without checking again.

This is within one process; across processes the database's UNIQUE key still stores each
report once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import anyio

from sitegen.reports.open311 import ApiError


@dataclass
class Attempt:
    """The attempt that owns a key: whether anyone still waits, how it ended."""

    digest: str  # the submission's fingerprint
    done: anyio.Event = field(default_factory=anyio.Event)
    waiters: int = 0  # retries waiting for this attempt
    refusal: ApiError | None = None  # a 4xx the retry gets as well (same submission)


class InFlight:
    """The keys being worked on in this process."""

    def __init__(self) -> None:
        self._attempts: dict[str, Attempt] = {}

    def __len__(self) -> int:
        return len(self._attempts)

    def running(self, key: str) -> Attempt | None:
        """The attempt working on ``key`` now, if any."""
        return self._attempts.get(key)

    async def wait_for(self, attempt: Attempt) -> None:
        """Wait until ``attempt`` is done (the caller then looks in the store)."""
        attempt.waiters += 1
        try:
            await attempt.done.wait()
        finally:
            attempt.waiters -= 1

    @contextmanager
    def own(self, key: str, digest: str) -> Iterator[Attempt]:
        """Work on ``key``: call right after ``running`` gave None, with no await between."""
        assert key not in self._attempts
        attempt = self._attempts[key] = Attempt(digest)
        try:
            yield attempt
        except ApiError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                attempt.refusal = exc
            raise
        finally:
            del self._attempts[key]
            attempt.done.set()
