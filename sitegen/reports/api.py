"""The public GeoReport v2 calls that read: discovery, services, requests, photos.

Submitting is in ``intake``, citizens' ratings in ``feedback``. With several jurisdictions
every call names one with ``jurisdiction_id`` (the spec's rule); a lookup by ticket may
leave it out, since the ticket says which. ``extensions=true`` adds Open311's
``extended_attributes``: the detailed case status and whether the citizen may rate it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from sitegen.reports.cases.statuses import statuses_for
from sitegen.reports.context import ReportsContext, context_of
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.media import CONTENT_TYPES, media_file
from sitegen.reports.open311 import ApiError, Format, parse_format, render
from sitegen.reports.records import ReportQuery, StoredReport
from sitegen.reports.views import (
    definition_view,
    discovery_view,
    request_view,
    service_view,
)

log = logging.getLogger(__name__)

MAX_RANGE = dt.timedelta(days=90)  # the spec's default and widest date range
MAX_RESULTS = 1000
FIRST_YEAR, LAST_YEAR = 1900, 2999  # of start_date and end_date


def request_format(request: Request) -> Format:
    """The format named by the path's extension (``.json`` or ``.xml``)."""
    return parse_format(str(request.path_params["fmt"]))


async def discovery(request: Request) -> Response:
    """``GET discovery``: where the GeoReport v2 endpoint is and which formats it speaks."""
    ctx = context_of(request)
    config = ctx.first.config
    # Never from the request's Host header (anyone can send any).
    base = (ctx.settings.public_url or "").rstrip("/")
    endpoint = config.report_endpoint or base + ctx.settings.api_prefix
    titles = " · ".join(j.config.title[j.config.source_locale] for j in ctx.jurisdictions.values())
    payload = discovery_view(ctx.started, endpoint, f"{titles} {config.base_url}", ctx.first.zone)
    return render(payload, request_format(request), "discovery")


async def services(request: Request) -> Response:
    """``GET services``: the problems citizens can report, in the requested language."""
    ctx = context_of(request)
    j = ctx.jurisdiction(request.query_params.get("jurisdiction_id"))
    locale = ctx.locale(request, j)
    payload = [service_view(s, locale) for s in j.catalog.services]
    return render(payload, request_format(request), "services")


async def service_definition(request: Request) -> Response:
    """``GET services/{code}``: the attributes (questions) of one service."""
    ctx = context_of(request)
    j = ctx.jurisdiction(request.query_params.get("jurisdiction_id"))
    code = str(request.path_params["code"])
    service = j.catalog.get(code)
    if service is None:
        raise ApiError(404, f'unknown service_code "{code}"')
    view = definition_view(service, ctx.locale(request, j))
    return render(view, request_format(request), "service_definition")


async def get_request(request: Request) -> Response:
    """``GET requests/{id}``: one request, public fields only."""
    ctx = context_of(request)
    fmt = request_format(request)
    given = request.query_params.get("jurisdiction_id")
    named = ctx.jurisdiction(given) if given or len(ctx.jurisdictions) == 1 else None
    ticket = str(request.path_params["ticket"])
    report = await anyio.to_thread.run_sync(ctx.store.get, ticket) if len(ticket) <= 40 else None
    if report is None or (named is not None and report.jurisdiction != named.id):
        raise ApiError(404, f'no service request "{ticket}"')
    j = ctx.jurisdictions.get(report.jurisdiction) or ctx.first
    return await _requests_response(ctx, request, j, fmt, [report])


async def get_requests(request: Request) -> Response:
    """``GET requests``: requests by ticket, or by service, status and date range."""
    ctx = context_of(request)
    fmt = request_format(request)
    params = request.query_params
    j = ctx.jurisdiction(params.get("jurisdiction_id"))
    tickets = _list_param(params.getlist("service_request_id"))
    if tickets:  # "This overrides all other arguments" (spec)
        query = ReportQuery(tickets=tuple(tickets[:MAX_RESULTS]), limit=MAX_RESULTS)
    else:
        statuses: list[str] = []
        for value in _list_param(params.getlist("status")):
            try:
                statuses.extend(statuses_for(value))
            except ValueError as exc:
                raise ApiError(400, str(exc)) from None
        start, end = _date_range(ctx, params.get("start_date"), params.get("end_date"))
        query = ReportQuery(
            service_codes=tuple(_list_param(params.getlist("service_code"))),
            statuses=tuple(statuses),
            start=start,
            end=end,
            limit=MAX_RESULTS,
        )
    query = replace(query, jurisdiction=j.id)
    reports = await anyio.to_thread.run_sync(ctx.store.query, query)
    return await _requests_response(ctx, request, j, fmt, reports)


def _public_views(
    ctx: ReportsContext, request: Request, j: Jurisdiction, reports: list[StoredReport]
) -> list[dict[str, Any]]:
    locale = ctx.locale(request, j)
    base = ctx.media_base(request)
    agency = ctx.settings.agency_responsible
    extensions = request.query_params.get("extensions", "").lower() in ("true", "1")
    views = []
    for report in reports:
        outcome = ctx.cases.outcome_of(report) if report.merged_into else report
        extended = _extended(ctx, report, outcome) if extensions else None
        views.append(
            request_view(report, j.catalog, locale, j.zone, base, agency, outcome, extended)
        )
    return views


def _extended(ctx: ReportsContext, report: StoredReport, outcome: StoredReport) -> dict[str, Any]:
    """What a citizen's own app may show beyond open and closed: never staff data."""
    rating = ctx.ratings.state(report.ticket)
    return {
        "case_status": outcome.status,
        "merged_into": report.merged_into,
        "rating_open": rating.open,
        "rated": rating.given,
    }


async def _requests_response(
    ctx: ReportsContext,
    request: Request,
    j: Jurisdiction,
    fmt: Format,
    reports: list[StoredReport],
) -> Response:
    payload = await anyio.to_thread.run_sync(_public_views, ctx, request, j, reports)
    return render(payload, fmt, "service_requests")


def _list_param(values: list[str]) -> list[str]:
    """A parameter given as a comma-separated list, repeated, or both."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _date_range(
    ctx: ReportsContext, start_text: str | None, end_text: str | None
) -> tuple[dt.datetime, dt.datetime]:
    start = _w3c_datetime("start_date", start_text)
    end = _w3c_datetime("end_date", end_text)
    if start is None and end is None:
        end = ctx.now()
    if start is None:
        assert end is not None
        start = end - MAX_RANGE
    if end is None:
        end = start + MAX_RANGE
    if end < start:
        raise ApiError(400, "end_date is before start_date")
    if end - start > MAX_RANGE:
        raise ApiError(400, "start_date and end_date may be at most 90 days apart")
    return start, end


def _w3c_datetime(name: str, text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(400, f"{name} must look like 2026-11-05T08:15:30+08:00") from None
    if moment.tzinfo is None:
        raise ApiError(400, f"{name} needs a time zone (Z or an offset such as +08:00)")
    # Years far from any report would overflow the date arithmetic (9999-12-31 plus the
    # 90 days of a range, 0001-01-01 in another time zone): refused, as the console does.
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ApiError(400, f"{name} must be within the years {FIRST_YEAR} to {LAST_YEAR}")
    return moment


async def media(request: Request) -> Response:
    """``GET /media/NAME``: a stored (cleaned) photo, read-only and cacheable forever."""
    ctx = context_of(request)
    name = str(request.path_params["name"])
    path = media_file(ctx.settings.media_path, name)
    if path is None:
        raise ApiError(404, "no such photo")
    return FileResponse(
        path,
        media_type=CONTENT_TYPES[name.rsplit(".", 1)[1]],
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "Content-Security-Policy": "default-src 'none'",
            "X-Content-Type-Options": "nosniff",
        },
    )
