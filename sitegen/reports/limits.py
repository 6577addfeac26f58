"""What a request may be before any handler runs: its origin, its rate, its size.

Each guard is a plain ASGI middleware answering in the Open311 error format of the path's
extension, so a browser form and an Open311 app both get an answer they can read.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitegen.reports.open311 import error_response, format_of_path
from sitegen.reports.settings import human_size

log = logging.getLogger(__name__)

ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, Idempotency-Key"
EXPOSED_HEADERS = "Retry-After, Idempotent-Replayed"


class BodyTooLarge(Exception):
    """The body grew past the limit while it was being read."""


class BodyTooSlow(Exception):
    """The body did not arrive in time (a paused or trickling upload)."""


class TokenBuckets:
    """A token bucket per client: ``burst`` requests at once, then ``per_minute`` on average."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 50_000,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, client: str, amount: float = 1.0) -> float:
        """Take ``amount`` tokens: 0.0 when granted, else the seconds until they are there.

        An amount above the burst is charged as the whole burst, so it can be granted.
        """
        if not self.enabled:
            return 0.0
        amount = min(amount, self.burst)
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= amount:
                self._buckets[client] = (tokens - amount, now)
                if len(self._buckets) > self._max_clients:
                    self._forget_idle(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (amount - tokens) / self.rate

    def used(self, client: str) -> float:
        """How much of its burst a client has used and not yet earned back (0 when unknown)."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(client, (self.burst, now))
        return max(0.0, self.burst - min(self.burst, tokens + (now - then) * self.rate))

    def _forget_idle(self, now: float) -> None:
        # A bucket that has refilled completely holds no state worth keeping: memory stays
        # bounded by the clients seen within one refill period.
        full_after = self.burst / self.rate
        for client in [c for c, (_, then) in self._buckets.items() if now - then >= full_after]:
            del self._buckets[client]


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    description: str,
    headers: dict[str, str] | None = None,
) -> None:
    response = error_response(status, description, format_of_path(scope["path"]), headers)
    await response(scope, receive, send)


class OriginGuard:
    """Refuses requests a browser sends from a foreign page; answers CORS for allowed ones.

    Requests without ``Origin`` (Open311 apps, curl, the city's systems) pass: the check is
    about other web pages using a visitor's browser, which always sends ``Origin``. Under
    ``staff_prefix`` only the server's own pages may send one: the console's forms.
    """

    def __init__(
        self,
        app: ASGIApp,
        allowed: Iterable[str],
        staff_prefix: str,
        own_origins: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.allowed = frozenset(allowed)
        self.staff_prefix = staff_prefix
        self.own_origins = frozenset(own_origins)  # where this server is reached (public_url)

    def _is_own(self, scope: Scope, origin: str) -> bool:
        host = Headers(scope=scope).get("host", "")
        return origin == f"{scope.get('scheme', 'http')}://{host}" or origin in self.own_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        is_staff = scope["path"].startswith(self.staff_prefix)
        if is_staff and self._is_own(scope, origin):
            await self.app(scope, receive, send)  # the console's own pages: no CORS at all
            return
        if origin not in self.allowed or (
            is_staff and scope["method"] not in ("GET", "HEAD", "OPTIONS")
        ):
            log.info("refused origin=%s path=%s client=%s", origin, scope["path"], _client(scope))
            await _refuse(scope, receive, send, 403, f"requests from {origin} are not allowed")
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(scope, receive, send, origin, is_staff)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and not is_staff:
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = origin
                out["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
                out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(
        self, scope: Scope, receive: Receive, send: Send, origin: str, is_staff: bool
    ) -> None:
        if is_staff:  # staff calls come from tools, never from a web page
            await _refuse(scope, receive, send, 403, "the staff API is not open to web pages")
            return
        response = Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            },
        )
        await response(scope, receive, send)


class RateGuard:
    """Per-client token buckets: one for submissions, one for ratings, a larger one for the rest."""

    def __init__(
        self,
        app: ASGIApp,
        submit: TokenBuckets,
        read: TokenBuckets,
        submit_path: str,
        rating: TokenBuckets | None = None,
        rating_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.submit = submit
        self.read = read
        self.submit_path = submit_path
        self.rating = rating
        self.rating_paths = rating_paths  # parts of a path that make a POST a rating

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        is_post = scope["method"] == "POST"
        is_submit = is_post and scope["path"].startswith(self.submit_path)
        is_rating = is_post and any(p in scope["path"] for p in self.rating_paths)
        buckets = self.submit if is_submit else self.read
        if is_rating and self.rating is not None:
            buckets = self.rating
        client = _client(scope)
        wait = buckets.take(client)
        if wait > 0:
            log.info("rate limited client=%s path=%s wait=%.1fs", client, scope["path"], wait)
            retry = str(max(1, math.ceil(wait)))
            await _refuse(
                scope,
                receive,
                send,
                429,
                f"too many requests; try again in {retry} s",
                {"Retry-After": retry},
            )
            return
        await self.app(scope, receive, send)


class BodyGuard:
    """Refuses a body larger than the limit, or one that arrives too slowly.

    A Content-Length over the limit is refused at once, a body growing past it while read.
    A body must arrive within ``total_timeout`` seconds of the request's headers, with no
    pause longer than ``idle_timeout``: a client trickling a byte now and then (a slow-loris
    upload) loses its connection instead of holding a worker and a slot.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        idle_timeout: float = 30.0,
        total_timeout: float = 300.0,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.idle_timeout = idle_timeout
        self.total_timeout = total_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await _refuse(scope, receive, send, 400, "Content-Length is not a number")
                return
            if int(declared) > self.max_bytes:
                log.info("refused body of %s bytes client=%s", declared, _client(scope))
                await _refuse(scope, receive, send, 413, self.describe(), {"Connection": "close"})
                return
        await self.app(scope, self._guarded(receive), send)

    def _guarded(self, receive: Receive) -> Receive:
        received = 0
        complete = False
        deadline = time.monotonic() + self.total_timeout

        async def guarded_receive() -> Message:
            nonlocal received, complete
            if complete:  # only http.disconnect is left to come: no deadline for that
                return await receive()
            wait = min(self.idle_timeout, deadline - time.monotonic())
            message: Message | None = None
            with anyio.move_on_after(max(0.0, wait)):
                message = await receive()
            if message is None:
                raise BodyTooSlow(
                    f"the request body did not arrive within {self.idle_timeout:g} s of a "
                    f"pause or {self.total_timeout:g} s in all"
                )
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.describe())
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        return guarded_receive

    def describe(self) -> str:
        return f"the request is larger than {human_size(self.max_bytes)}"
