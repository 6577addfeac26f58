"""``create_app``: the report service as a Starlette application, guards and routes wired up."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..config import load_config
from . import api, staff
from .catalog import build_catalog
from .context import ReportsContext
from .facilities import FacilityIndex, load_places
from .limits import BodyGuard, BodyTooLarge, OriginGuard, RateGuard, TokenBuckets
from .open311 import ApiError, error_response, format_of_path
from .photos import PhotoRules
from .records import TicketMaker, ticket_prefix
from .settings import ReportSettings, origin_of
from .store import make_store

log = logging.getLogger(__name__)

STAFF_PREFIX = "/staff/"
PHOTO_WORKERS = 2  # photos decoded at once: the machine's cores, bounded memory


def create_app(settings: ReportSettings) -> Starlette:
    """Build the service for a site project; the store opens when the app starts."""
    config = load_config(settings.project_dir)
    zone = zoneinfo.ZoneInfo(config.timezone)
    tickets = TicketMaker(ticket_prefix(settings, config.report_jurisdiction), zone)
    loader = partial(load_places, settings.project_dir) if settings.load_facilities else None
    ctx = ReportsContext(
        settings=settings,
        config=config,
        catalog=build_catalog(config),
        store=make_store(settings, tickets),
        facilities=FacilityIndex(loader),
        photo_rules=PhotoRules(
            max_bytes=settings.max_photo_bytes,
            max_edge=settings.photo_max_edge,
            output=settings.photo_format,
        ),
        zone=zone,
        started=dt.datetime.now(dt.UTC),
    )
    origins = settings.allowed_origins
    if origins is None:
        origins = (origin_of(config.base_url),)
    prefix = settings.api_prefix

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(ctx.store.open)
        ctx.photo_slots = anyio.CapacityLimiter(PHOTO_WORKERS)
        ctx.facilities.start()
        log.info(
            "report service ready: store=%s media=%s services=%d origins=%s staff_api=%s",
            type(ctx.store).__name__,
            settings.media_path,
            len(ctx.catalog.services),
            ",".join(origins),
            "on" if settings.staff_token else "off",
        )
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(ctx.store.close)

    routes = [
        Route(f"{prefix}discovery.{{fmt}}", api.discovery, methods=["GET"]),
        Route(f"{prefix}services.{{fmt}}", api.services, methods=["GET"]),
        Route(f"{prefix}services/{{code}}.{{fmt}}", api.service_definition, methods=["GET"]),
        Route(f"{prefix}requests.{{fmt}}", api.get_requests, methods=["GET"]),
        Route(f"{prefix}requests.{{fmt}}", api.post_request, methods=["POST"]),
        Route(f"{prefix}requests/{{ticket}}.{{fmt}}", api.get_request, methods=["GET"]),
        Route("/media/{name}", api.media, methods=["GET"]),
        Route(f"{STAFF_PREFIX}requests/{{ticket}}", staff.show_request, methods=["GET"]),
        Route(
            f"{STAFF_PREFIX}requests/{{ticket}}/status",
            staff.change_status,
            methods=["POST", "PATCH"],
        ),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(OriginGuard, allowed=origins, staff_prefix=STAFF_PREFIX),
            Middleware(
                RateGuard,
                submit=TokenBuckets(settings.submit_per_minute, settings.submit_burst),
                read=TokenBuckets(settings.read_per_minute, settings.read_burst),
                submit_path=f"{prefix}requests.",
            ),
            Middleware(BodyGuard, max_bytes=settings.max_body_bytes),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            BodyTooLarge: _body_too_large,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.reports = ctx
    return app


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    if exc.status >= 500:
        log.warning("answered %d: %s path=%s", exc.status, exc, request.url.path)
    elif exc.status != 404:
        log.info("refused %d: %s path=%s", exc.status, exc, request.url.path)
    return _error(request, exc.status, exc.descriptions, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(request, exc.status_code, [exc.detail], exc.headers)


async def _body_too_large(request: Request, exc: Exception) -> Response:
    log.info("refused 413: %s path=%s", exc, request.url.path)
    return _error(request, 413, [str(exc)], {"Connection": "close"})


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
