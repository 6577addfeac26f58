"""The report service on uvicorn, with the deadlines uvicorn leaves out.

uvicorn closes an idle kept-alive connection (``timeout_keep_alive``) and bounds the size of
a request's head (h11's incomplete-event limit), but a client sending its request line and
headers a byte at a time keeps a connection open for ever (slow-loris). The h11 protocol
here adds a deadline for each request's head, counted from the connection (or the previous
answer), and a cap on open connections per client address (trusted proxies are exempt: all
their clients share their address). Slow bodies are bounded in the app (``BodyGuard``).
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from sitegen.reports.settings import ReportSettings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_HEAD_BYTES = 16 * 1024  # request line and headers; larger heads are refused by h11


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request head and a per-client cap.

    Configured by subclassing (``guarded_protocol``): uvicorn makes one instance per
    connection and passes nothing of ours to it.
    """

    header_timeout: ClassVar[float] = 10.0
    max_per_client: ClassVar[int] = 20
    proxies: ClassVar[tuple[IPNetwork, ...]] = ()
    open_by_client: ClassVar[dict[str, int]] = {}  # shared by one server's connections

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._counted: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        host = self.client[0] if self.client else ""
        if host and not self._is_proxy(host):
            count = self.open_by_client.get(host, 0)
            if count >= self.max_per_client:
                self.logger.info("refused connection: %d open from %s", count, host)
                transport.close()
                return
            self.open_by_client[host] = count + 1
            self._counted = host
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        if self._counted is not None:
            left = self.open_by_client.get(self._counted, 1) - 1
            if left > 0:
                self.open_by_client[self._counted] = left
            else:
                self.open_by_client.pop(self._counted, None)
            self._counted = None
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the head has arrived
            self._disarm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_deadline()  # the next request on this connection

    def _is_proxy(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm_head_deadline(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("closed a connection whose request head was too slow")
            self.transport.close()


def guarded_protocol(settings: ReportSettings) -> type[GuardedH11Protocol]:
    """The protocol class of one server, with the settings' deadline, cap and proxies."""
    attributes = {
        "header_timeout": settings.header_timeout,
        "max_per_client": settings.max_connections_per_client,
        "proxies": tuple(ipaddress.ip_network(p) for p in settings.trusted_proxies),
        "open_by_client": {},
    }
    return type("ServerH11Protocol", (GuardedH11Protocol,), attributes)


def server_config(
    app: Any, settings: ReportSettings, host: str, port: int, **kw: Any
) -> uvicorn.Config:
    """uvicorn's config for the service: its timeouts, no Server header, no proxy headers."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(settings),
        timeout_keep_alive=max(1, round(settings.keep_alive_timeout)),
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        # The app reads X-Forwarded-For itself, from configured proxies only (app.py).
        proxy_headers=False,
        server_header=False,
        **kw,
    )
