"""The staff API: a case's full record and status changes, behind a bearer token."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from .context import ReportsContext, context_of
from .open311 import ApiError, render
from .records import InvalidTransition, UnknownTicket
from .views import staff_view

log = logging.getLogger(__name__)


def _authorize(request: Request) -> ReportsContext:
    ctx = context_of(request)
    token = ctx.settings.staff_token
    if not token:
        raise ApiError(404, "the staff API is off: set SITEGEN_REPORTS_STAFF_TOKEN to turn it on")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # compare_digest: the time taken says nothing about how much of the token was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        client = request.client.host if request.client else "unknown"
        log.warning("staff call refused: bad token client=%s", client)
        raise ApiError(401, "a valid staff token is required", {"WWW-Authenticate": "Bearer"})
    return ctx


async def _view(ctx: ReportsContext, request: Request, ticket: str) -> dict[str, Any]:
    report = await anyio.to_thread.run_sync(ctx.store.get, ticket)
    if report is None:
        raise ApiError(404, f'no service request "{ticket}"')
    history = await anyio.to_thread.run_sync(ctx.store.history, report.ticket)
    return staff_view(report, history, ctx.zone, ctx.media_base(request))


async def show_request(request: Request) -> Response:
    """``GET /staff/requests/{ticket}``: the whole record, contact and history included."""
    ctx = _authorize(request)
    return render(await _view(ctx, request, str(request.path_params["ticket"])), "json", "request")


async def change_status(request: Request) -> Response:
    """``POST|PATCH /staff/requests/{ticket}/status`` with ``status``, ``note`` and ``by``."""
    ctx = _authorize(request)
    ticket = str(request.path_params["ticket"])
    fields = await _fields(request)
    status = fields.get("status", "").strip()
    note = fields.get("note", "").strip()
    by = fields.get("by", "").strip() or "staff-api"
    if not status:
        raise ApiError(400, "status is required")
    if len(note) > 4000 or len(by) > 100:
        raise ApiError(400, "note may have 4000 characters, by 100")
    try:
        report = await anyio.to_thread.run_sync(ctx.store.set_status, ticket, status, note, by)
    except UnknownTicket:
        raise ApiError(404, f'no service request "{ticket}"') from None
    except InvalidTransition as exc:
        raise ApiError(400, str(exc)) from None
    log.info("status ticket=%s status=%s by=%s", report.ticket, status, by)
    return render(await _view(ctx, request, report.ticket), "json", "request")


async def _fields(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            data = json.loads(await request.body())
        except ValueError:
            raise ApiError(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, 'send a JSON object such as {"status": "accepted"}')
        return {str(k): str(v) for k, v in data.items() if v is not None}
    async with request.form(max_files=0, max_fields=20) as form:
        return {k: v for k, v in form.items() if isinstance(v, str)}
