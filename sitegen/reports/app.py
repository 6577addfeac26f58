"""``create_app``: the report service as a Starlette application, guards and routes wired up."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from sitegen.reports import api, feedback, intake, staff_api
from sitegen.reports.console.auth import ConsoleError
from sitegen.reports.console.errors import console_error_page, is_console_path
from sitegen.reports.console.routes import console_routes
from sitegen.reports.context import ReportsContext, client_address
from sitegen.reports.jurisdictions import load_jurisdictions
from sitegen.reports.limits import (
    BodyGuard,
    BodyTooLarge,
    BodyTooSlow,
    OriginGuard,
    RateGuard,
    TokenBuckets,
)
from sitegen.reports.open311 import ApiError, error_response, format_of_path
from sitegen.reports.passwords import Passwords
from sitegen.reports.photo_work import PhotoWork
from sitegen.reports.photos import PhotoRules
from sitegen.reports.settings import ReportSettings, origin_of
from sitegen.reports.store.factory import make_store

log = logging.getLogger(__name__)

STAFF_PREFIX = "/staff/"
PHOTO_WORKERS = 2  # photos decoded at once: the machine's cores, bounded memory
Clock = Callable[[], dt.datetime]


def create_app(
    settings: ReportSettings,
    *,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> Starlette:
    """Build the service; the store opens when the app starts.

    ``clock`` replaces the time of day (tests of deadlines); ``environ`` the environment the
    jurisdictions' staff tokens are read from.
    """
    ctx = _context(settings, clock, environ)
    origins = settings.allowed_origins
    if origins is None:
        origins = tuple(sorted({origin_of(j.config.base_url) for j in ctx.jurisdictions.values()}))
    own = (origin_of(settings.public_url),) if settings.public_url else ()
    app = Starlette(
        routes=_routes(settings.api_prefix),
        middleware=[
            *_proxy_middleware(settings),
            Middleware(OriginGuard, allowed=origins, staff_prefix=STAFF_PREFIX, own_origins=own),
            Middleware(
                RateGuard,
                submit=TokenBuckets(settings.submit_per_minute, settings.submit_burst),
                read=TokenBuckets(settings.read_per_minute, settings.read_burst),
                submit_path=f"{settings.api_prefix}requests.",
                rating=TokenBuckets(settings.rating_per_minute, settings.rating_burst),
                rating_paths=("/satisfaction.", "/ratings."),
            ),
            Middleware(
                BodyGuard,
                max_bytes=settings.max_body_bytes,
                idle_timeout=settings.body_idle_timeout,
                total_timeout=settings.body_timeout,
            ),
        ],
        exception_handlers={
            ApiError: _api_error,
            ConsoleError: console_error_page,
            HTTPException: _http_error,
            BodyTooLarge: _body_too_large,
            BodyTooSlow: _body_too_slow,
            Exception: _server_error,
        },
        lifespan=_lifespan(ctx, origins),
    )
    app.state.reports = ctx
    return app


def _proxy_middleware(settings: ReportSettings) -> list[Middleware]:
    """The client address from X-Forwarded-For, only when the peer is a configured proxy.

    uvicorn's own handling is turned off (``sitegen report-server``): it would believe any
    loopback peer, and a local client could then pick its address and dodge the rate limit.
    """
    if not settings.trusted_proxies:
        return []
    return [Middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))]


def _context(
    settings: ReportSettings, clock: Clock | None, environ: Mapping[str, str] | None
) -> ReportsContext:
    """What every request handler needs: the jurisdictions, the store, the limits."""
    jurisdictions = load_jurisdictions(settings, environ)
    first = next(iter(jurisdictions.values()))
    store = make_store(settings, first.tickets)
    store.tickets_by_jurisdiction = {j.id: j.tickets for j in jurisdictions.values()}
    if clock is not None:
        store.clock = clock
    return ReportsContext(
        settings=settings,
        jurisdictions=jurisdictions,
        store=store,
        photo_rules=PhotoRules(
            max_bytes=settings.max_photo_bytes,
            max_edge=settings.photo_max_edge,
            output=settings.photo_format,
        ),
        passwords=Passwords(
            time_cost=settings.password_time_cost, memory_kib=settings.password_memory_kib
        ),
        started=dt.datetime.now(dt.UTC),
        clock=clock or (lambda: dt.datetime.now(dt.UTC)),
        login_limits=TokenBuckets(settings.login_per_minute, settings.login_burst),
        photo_work=PhotoWork(
            PHOTO_WORKERS,
            TokenBuckets(settings.photo_megapixels_per_minute, settings.photo_megapixels_burst),
        ),
    )


def _lifespan(
    ctx: ReportsContext, origins: tuple[str, ...]
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Open the store when the service starts, close it when it stops."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(ctx.store.open)
        adopted = await anyio.to_thread.run_sync(ctx.store.adopt_unassigned, ctx.first.id)
        if adopted:
            log.info("%d earlier report(s) given to jurisdiction %s", adopted, ctx.first.id)
        for j in ctx.jurisdictions.values():
            j.facilities.start()
        log.info(
            "report service ready: store=%s media=%s jurisdictions=%s origins=%s staff_api=%s",
            type(ctx.store).__name__,
            ctx.settings.media_path,
            ",".join(f"{j.id}({len(j.catalog.services)})" for j in ctx.jurisdictions.values()),
            ",".join(origins),
            ",".join(j.id for j in ctx.jurisdictions.values() if j.staff_token) or "off",
        )
        try:
            yield
        finally:
            ctx.photo_work.close()
            await anyio.to_thread.run_sync(ctx.store.close)

    return lifespan


def _routes(prefix: str) -> list[BaseRoute]:
    return [
        Route(f"{prefix}discovery.{{fmt}}", api.discovery, methods=["GET"]),
        Route(f"{prefix}services.{{fmt}}", api.services, methods=["GET"]),
        Route(f"{prefix}services/{{code}}.{{fmt}}", api.service_definition, methods=["GET"]),
        Route(f"{prefix}requests.{{fmt}}", api.get_requests, methods=["GET"]),
        Route(f"{prefix}requests.{{fmt}}", intake.post_request, methods=["POST"]),
        Route(f"{prefix}requests/{{ticket}}.{{fmt}}", api.get_request, methods=["GET"]),
        Route(
            f"{prefix}requests/{{ticket}}/satisfaction.{{fmt}}",
            feedback.rate_case,
            methods=["POST"],
        ),
        Route(f"{prefix}places/ratings.{{fmt}}", feedback.place_aggregates, methods=["GET"]),
        Route(
            f"{prefix}places/{{facility}}/ratings.{{fmt}}",
            feedback.place_aggregate,
            methods=["GET"],
        ),
        Route(
            f"{prefix}places/{{facility}}/ratings.{{fmt}}", feedback.rate_place, methods=["POST"]
        ),
        Route("/media/{name}", api.media, methods=["GET"]),
        Route(f"{STAFF_PREFIX}requests/{{ticket}}", staff_api.show_request, methods=["GET"]),
        Route(
            f"{STAFF_PREFIX}requests/{{ticket}}/status",
            staff_api.change_status,
            methods=["POST", "PATCH"],
        ),
        *console_routes(STAFF_PREFIX),
    ]


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    if exc.status >= 500:
        log.warning("answered %d: %s path=%s", exc.status, exc, request.url.path)
    elif exc.status != 404:
        log.info("refused %d: %s path=%s", exc.status, exc, request.url.path)
    return _error(request, exc.status, exc.descriptions, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if is_console_path(request.url.path):
        return await console_error_page(request, ConsoleError(exc.status_code, str(exc.detail)))
    return _error(request, exc.status_code, [exc.detail], exc.headers)


async def _body_too_large(request: Request, exc: Exception) -> Response:
    log.info("refused 413: %s path=%s", exc, request.url.path)
    return _error(request, 413, [str(exc)], {"Connection": "close"})


async def _body_too_slow(request: Request, exc: Exception) -> Response:
    log.info("refused 408: %s path=%s client=%s", exc, request.url.path, client_address(request))
    return _error(request, 408, [str(exc)], {"Connection": "close"})


async def _server_error(request: Request, exc: Exception) -> Response:
    # Starlette logs the traceback; the client gets the Open311 format and a way forward.
    return _error(
        request,
        500,
        [
            "the server failed; send the report again with the same idempotency key "
            "and it will be stored once"
        ],
        None,
    )


def _error(
    request: Request, status: int, descriptions: list[str], headers: Mapping[str, str] | None
) -> Response:
    return error_response(status, descriptions, format_of_path(request.url.path), headers)
