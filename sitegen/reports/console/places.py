"""Rated places that call for a look: low cleanliness or "the information is wrong",
worst first, each linked to its name card, so staff can go and check.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.console.auth import desk
from sitegen.reports.console.case_view import card_url, local_time, place_name
from sitegen.reports.console.queue import page_context
from sitegen.reports.console.web import render_page


async def places_page(request: Request) -> Response:
    """``GET /staff/{j}/places``: the queue of low-rated places."""
    d = await desk(request, "view")
    low = await anyio.to_thread.run_sync(d.ctx.ratings.low_rated, d.j.id)
    rows = [
        {
            "aggregate": p,
            "name": place_name(d.j, p.facility_id) or p.facility_id,
            "card": card_url(d.j, p.facility_id, d.locale),
            "last": local_time(p.last_rated, d.j),
            "search": d.url(f"?status=all&q={p.facility_id}"),
        }
        for p in low
    ]
    context = page_context(d, rows=rows, section="places")
    return render_page(request, "places.html", context, d.locale, d.policy)
