"""A case's page: the report with its photos, place and map, the citizen's answers and
(for handlers) contact, the history, internal notes, ratings, likely duplicates and the
actions this staff member may take now.
"""

from __future__ import annotations

import json

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.cases.statuses import PRIORITIES
from sitegen.reports.console.auth import ConsoleError, Desk, desk
from sitegen.reports.console.case_view import (
    attribute_rows,
    card_url,
    case_page,
    department_name,
    due_text,
    is_overdue,
    local_time,
    place_name,
    service_name,
    text_in,
)
from sitegen.reports.console.queue import _tiles, page_context
from sitegen.reports.console.web import render_page, translator
from sitegen.reports.records import StoredReport

RULE_STATUS = {  # how a refused action answers: 400 for a form to fix, 409 for the case's state
    "reason_required": 400,
    "note_required": 400,
    "department_required": 400,
    "unknown_department": 400,
    "unknown_priority": 400,
    "too_long": 400,
    "control_characters": 400,
    "photo": 400,
    "role": 403,
}


async def report_of(d: Desk, ticket: str) -> StoredReport:
    """The case with this ticket in the desk's jurisdiction, or a 404."""
    report = await anyio.to_thread.run_sync(d.ctx.store.get, ticket) if len(ticket) <= 40 else None
    if report is None or report.jurisdiction != d.j.id:
        raise ConsoleError(404, "no such case in this jurisdiction")
    return report


async def render_case(
    d: Desk, report: StoredReport, status: int = 200, error: str = "", done: str = ""
) -> Response:
    """The page of a case, with a message about what was just done or refused."""
    page = await anyio.to_thread.run_sync(case_page, d, report)
    now = d.ctx.now()
    t = translator(d.locale)
    j, locale = d.j, d.locale
    suggested = j.suggested_department(report.service_code)
    context = page_context(
        d,
        page=page,
        r=report,
        error=error,
        done=done,
        service=service_name(j, report.service_code, locale),
        attributes=attribute_rows(j, report, locale),
        card=card_url(j, report.facility_id, locale),
        place=place_name(j, report.facility_id),
        department=department_name(j, report.department, locale),
        departments=[(x.code, text_in(x.name, locale)) for x in j.departments],
        suggested=suggested.code if suggested else "",
        due=due_text(report, j, now, t),
        overdue=is_overdue(report, now),
        local=lambda moment: local_time(moment, j),
        service_of=lambda code: service_name(j, code, locale),
        department_of=lambda code: department_name(j, code, locale),
        media=d.ctx.media_base(d.request),
        tiles=_tiles(d),
        point=json.dumps([report.lat, report.lng]) if report.lat is not None else "",
        show_contact=d.allows("contact"),
        PRIORITIES=PRIORITIES,
        section="queue",
    )
    return render_page(d.request, "case.html", context, d.locale, d.policy, status)


async def case_detail(request: Request) -> Response:
    """``GET /staff/{j}/requests/{ticket}``."""
    d = await desk(request, "view")
    report = await report_of(d, str(request.path_params["ticket"]))
    return await render_case(d, report, done=request.query_params.get("done", "")[:40])
