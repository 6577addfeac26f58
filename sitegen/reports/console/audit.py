"""The audit log of a jurisdiction, for its admins: every change, export and login, with
who, what, when and from which address.
"""

from __future__ import annotations

import json
import math

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.console.auth import desk
from sitegen.reports.console.case_view import local_time
from sitegen.reports.console.queue import page_context
from sitegen.reports.console.web import render_page

PAGE_SIZE = 100


async def audit_page(request: Request) -> Response:
    """``GET /staff/{j}/audit`` with optional ``action``, ``actor``, ``ticket``, ``page``."""
    d = await desk(request, "audit")
    params = request.query_params
    action = params.get("action", "").strip()[:40]
    actor = params.get("actor", "").strip()[:40]
    ticket = params.get("ticket", "").strip().upper()[:40]
    raw_page = params.get("page", "1")
    page = max(1, min(int(raw_page), 100_000)) if raw_page.isdigit() else 1
    entries, total = await anyio.to_thread.run_sync(
        lambda: d.ctx.audit.entries(
            d.j.id,
            action=action or None,
            actor=actor or None,
            ticket=ticket or None,
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    )
    rows = [
        {
            "entry": e,
            "at": local_time(e.at, d.j),
            "detail": json.dumps(dict(e.detail), ensure_ascii=False, sort_keys=True),
        }
        for e in entries
    ]
    context = page_context(
        d,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / PAGE_SIZE)),
        filters={"action": action, "actor": actor, "ticket": ticket},
        section="audit",
    )
    return render_page(request, "audit.html", context, d.locale, d.policy)
