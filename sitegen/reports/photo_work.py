"""Photo decoding shared fairly between clients, and a count of the work done.

Decoding is the one costly thing a citizen's request can ask for, so it is bounded four
ways: at most ``slots`` photos decoded at once (the machine's cores), a freed slot going to
the waiting client that has used least of its budget lately; each client address
decodes one photo at a time (its "lane"), so one client can hold at most one slot however
many requests it opens; and each address has a budget of decoded megapixels per minute,
charged from the photos' headers before any decoding starts. Work for a client that has
hung up, with nobody else waiting for it, stops before the next photo.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import math
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio

from sitegen.reports.limits import TokenBuckets
from sitegen.reports.photos import CleanPhoto, PhotoRules, clean_photo, decode_cost

PHOTO_NICENESS = 10  # of the decoding threads, above the service's own


class OverBudget(Exception):
    """The client has used its photo budget; ``retry_after`` seconds until it suffices."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"photo budget used up; {retry_after:.0f} s to wait")
        self.retry_after = retry_after


class ClientGone(Exception):
    """Nobody waits for this work any longer: the client hung up and no retry is waiting."""


@dataclass
class PhotoStats:
    """What the service decoded since it started (tests and the log read these)."""

    decodes: int = 0  # photos decoded
    decoded_pixels: int = 0  # as the decoder produced them (after JPEG's reduced scale)
    over_budget: int = 0  # reports refused for their client's budget
    abandoned: int = 0  # submissions whose photo work stopped because the client left


def _lower_priority() -> None:
    # On Linux a thread has a niceness of its own; elsewhere this may fail, harmlessly.
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PHOTO_NICENESS)


class FairSlots:
    """``slots`` decodes at once, handed out by need rather than by arrival.

    A freed slot goes to the waiter that has used least of its budget lately, and
    ``reserved`` slots are kept for clients that have used at most ``light`` (megapixels):
    a few addresses sending costly photos back to back can hold the other slots, never
    these, so a citizen's photo waits for other citizens' photos at most.
    """

    def __init__(self, slots: int, reserved: int = 0, light: float = 0.0) -> None:
        self.free = slots
        self.heavy_limit = max(1, slots - reserved)  # slots the heavy users may hold at once
        self.light = light
        self._heavy_busy = 0
        self._waiting: list[_Waiter] = []  # kept sorted: least used first, then earliest
        self._order = itertools.count()

    @asynccontextmanager
    async def slot(self, used: float) -> AsyncIterator[None]:
        """Hold a slot; ``used`` is how much of its budget this client has used lately."""
        waiter = _Waiter(used, next(self._order), used > self.light)
        # Straight in when allowed and nobody who goes before it waits (a heavy waiter may
        # wait while a light one takes the kept slot).
        if self._may_take(waiter) and (not self._waiting or waiter < self._waiting[0]):
            self._take(waiter)
        else:
            bisect.insort(self._waiting, waiter)
            try:
                await waiter.granted.wait()
            except BaseException:
                if waiter in self._waiting:  # still waiting: just leave the queue
                    self._waiting.remove(waiter)
                else:  # the slot was given as we were cancelled: give it on
                    self._release(waiter)
                raise
        try:
            yield
        finally:
            self._release(waiter)

    def _may_take(self, waiter: _Waiter) -> bool:
        return self.free > 0 and (not waiter.heavy or self._heavy_busy < self.heavy_limit)

    def _take(self, waiter: _Waiter) -> None:
        self.free -= 1
        self._heavy_busy += waiter.heavy

    def _release(self, holder: _Waiter) -> None:
        self.free += 1
        self._heavy_busy -= holder.heavy
        # The least used waiter first; a heavy one only while heavy users hold few enough
        # (everyone after it in the queue has used more, so is heavy too).
        if self._waiting and self._may_take(self._waiting[0]):
            waiter = self._waiting.pop(0)
            self._take(waiter)
            waiter.granted.set()


@dataclass(order=True)
class _Waiter:
    used: float
    order: int
    heavy: bool = field(compare=False)
    granted: anyio.Event = field(default_factory=anyio.Event, compare=False)


@dataclass
class _Lane:
    lock: anyio.Lock
    users: int = 0


class PhotoWork:
    """The photo slots, the clients' lanes and budgets of one running service."""

    def __init__(self, slots: int, budget: TokenBuckets) -> None:
        self.slots = slots
        self.budget = budget  # tokens are megapixels
        self.stats = PhotoStats()
        # One slot of two is kept for clients that decoded at most half their burst lately
        # (three phone photos of a report are 36 megapixels at most).
        self._slots = FairSlots(slots, reserved=slots // 2, light=budget.burst / 2)
        self._lanes: dict[str, _Lane] = {}
        # Threads of their own, at a lower CPU priority: answering requests (text reports,
        # reads) goes first when the cores are busy, and decoding takes the rest.
        self._threads = ThreadPoolExecutor(
            max_workers=slots, thread_name_prefix="photo", initializer=_lower_priority
        )

    def close(self) -> None:
        """Let the photo threads end (when the service stops)."""
        self._threads.shutdown(wait=False, cancel_futures=True)

    def charge(self, client: str, photos: list[bytes], rules: PhotoRules) -> None:
        """Charge the decoding of ``photos`` to the client, from their headers alone.

        Raises ``PhotoRejected`` for a photo refused by its header (no work done) and
        ``OverBudget`` when the client's budget does not cover all of them.
        """
        pixels = sum(decode_cost(data, rules) for data in photos)
        if not pixels:
            return
        wait = self.budget.take(client, math.ceil(pixels / 1_000_000))
        if wait > 0:
            self.stats.over_budget += 1
            raise OverBudget(wait)

    async def clean_all(
        self,
        client: str,
        photos: list[bytes],
        rules: PhotoRules,
        wanted: Callable[[], Awaitable[bool]],
    ) -> list[CleanPhoto]:
        """Decode and re-encode the photos in the client's lane; ``ClientGone`` if unwanted."""
        cleaned: list[CleanPhoto] = []
        for data in photos:
            async with self._lane(client), self._slots.slot(self.budget.used(client)):
                if not await wanted():
                    self.stats.abandoned += 1
                    raise ClientGone
                loop = asyncio.get_running_loop()
                photo = await loop.run_in_executor(self._threads, clean_photo, data, rules)
            self.stats.decodes += 1
            self.stats.decoded_pixels += photo.decoded_pixels
            cleaned.append(photo)
        return cleaned

    @asynccontextmanager
    async def _lane(self, client: str) -> AsyncIterator[None]:
        lane = self._lanes.get(client)
        if lane is None:
            lane = self._lanes[client] = _Lane(anyio.Lock())
        lane.users += 1
        try:
            async with lane.lock:
                yield
        finally:
            lane.users -= 1
            if lane.users == 0:  # memory stays bounded by the clients at work
                del self._lanes[client]
