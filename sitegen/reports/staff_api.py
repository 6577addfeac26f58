"""The staff API for machine integration: a case's full record and status changes, behind a
bearer token per jurisdiction (the city's own case system, not people: they use the console).

A token opens only its own jurisdiction's cases; another one's ticket answers 404, as if it
did not exist.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.characters import control_problem
from sitegen.reports.context import ReportsContext, client_address, context_of
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.open311 import ApiError, render
from sitegen.reports.records import InvalidTransition, StoredReport, UnknownTicket
from sitegen.reports.views import staff_view

log = logging.getLogger(__name__)


def _authorize(request: Request) -> tuple[ReportsContext, set[str]]:
    """The jurisdictions the request's token opens (at least one), or a 401/404."""
    ctx = context_of(request)
    tokens = {j.id: j.staff_token for j in ctx.jurisdictions.values() if j.staff_token}
    if not tokens:
        raise ApiError(404, "the staff API is off: set SITEGEN_REPORTS_STAFF_TOKEN to turn it on")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # compare_digest: the time taken says nothing about how much of a token was right.
    opened = {
        jid
        for jid, token in tokens.items()
        if hmac.compare_digest(given.strip().encode(), token.encode())
    }
    if scheme.lower() != "bearer" or not opened:
        log.warning("staff call refused: bad token client=%s", client_address(request))
        raise ApiError(401, "a valid staff token is required", {"WWW-Authenticate": "Bearer"})
    return ctx, opened


async def _report(ctx: ReportsContext, opened: set[str], ticket: str) -> StoredReport:
    report = await anyio.to_thread.run_sync(ctx.store.get, ticket) if len(ticket) <= 40 else None
    if report is None or report.jurisdiction not in opened:
        raise ApiError(404, f'no service request "{ticket}"')
    return report


async def _view(ctx: ReportsContext, request: Request, report: StoredReport) -> dict[str, Any]:
    history = await anyio.to_thread.run_sync(ctx.store.history, report.ticket)
    j: Jurisdiction = ctx.jurisdictions[report.jurisdiction]
    return staff_view(report, history, j.zone, ctx.media_base(request))


async def show_request(request: Request) -> Response:
    """``GET /staff/requests/{ticket}``: the whole record, contact and history included."""
    ctx, opened = _authorize(request)
    report = await _report(ctx, opened, str(request.path_params["ticket"]))
    return render(await _view(ctx, request, report), "json", "request")


async def change_status(request: Request) -> Response:
    """``POST|PATCH /staff/requests/{ticket}/status`` with ``status``, ``note`` and ``by``."""
    ctx, opened = _authorize(request)
    found = await _report(ctx, opened, str(request.path_params["ticket"]))
    fields = await _fields(request)
    status = fields.get("status", "").strip()
    note = fields.get("note", "").strip()
    by = fields.get("by", "").strip() or "staff-api"
    if not status:
        raise ApiError(400, "status is required")
    if len(note) > 4000 or len(by) > 100:
        raise ApiError(400, "note may have 4000 characters, by 100")
    problems = [p for p in (control_problem("note", note), control_problem("by", by)) if p]
    if problems:
        raise ApiError(400, problems)
    try:
        report = await anyio.to_thread.run_sync(
            lambda: ctx.store.set_status(
                found.ticket, status, note, f"api:{by}", address=client_address(request)
            )
        )
    except UnknownTicket:
        raise ApiError(404, f'no service request "{found.ticket}"') from None
    except InvalidTransition as exc:
        raise ApiError(400, str(exc)) from None
    log.info("status ticket=%s status=%s by=%s", report.ticket, status, by)
    return render(await _view(ctx, request, report), "json", "request")


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
