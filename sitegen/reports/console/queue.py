"""The queue: a jurisdiction's cases as a table and a map, filtered, searched, sorted and
paged, with the filtered set exported as CSV, GeoJSON or the full case export.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.case_export import cases_csv, cases_json
from sitegen.reports.cases.roles import ROLES
from sitegen.reports.cases.statuses import PRIORITIES, STATUSES
from sitegen.reports.console.auth import Desk, desk
from sitegen.reports.console.case_view import map_feature, queue_row, text_in
from sitegen.reports.console.filters import NO_DEPARTMENT, PAGE_SIZE, QueueQuery
from sitegen.reports.console.web import render_page, secure_headers, translator
from sitegen.reports.export import to_csv, to_geojson
from sitegen.reports.records import CaseRating, StoredReport
from sitegen.reports.store.queue import SORTS

Ratings = dict[str, list[CaseRating]]
MAP_LIMIT = 2000  # cases on the map at once; the table pages through the rest
EXPORT_LIMIT = 100_000


def _tiles(d: Desk) -> dict[str, str] | None:
    """The first WGS-84 tile layer of the site, for the console's maps (GCJ-02 would shift)."""
    layer = next((t for t in d.j.config.tiles if t.crs == "wgs84"), None)
    if layer is None:
        return None
    return {
        "url": layer.url,
        "attribution": layer.attribution,
        "maxZoom": str(layer.max_zoom),
        "subdomains": layer.subdomains or "abc",
        "center": json.dumps([d.j.config.center[1], d.j.config.center[0]]),
        "zoom": str(d.j.config.zoom),
    }


def page_context(d: Desk, **values: object) -> dict[str, object]:
    """What every page of a jurisdiction's console needs."""
    return {
        "desk": d,
        "j": d.j,
        "jurisdictions": [j for j in d.ctx.jurisdictions.values() if j.id in d.user.grants],
        "csrf": d.session.csrf_token,
        "site_title": text_in_title(d),
        "ROLES": ROLES,
        **values,
    }


def text_in_title(d: Desk) -> str:
    title = d.j.config.title
    return title.get(d.locale) or title.get(d.j.config.source_locale) or d.j.id


async def queue_page(request: Request) -> Response:
    """``GET /staff/{j}/``: the table and map of the filtered cases."""
    d = await desk(request, "view")
    query = QueueQuery.read(request.query_params)
    now = d.ctx.now()
    f = query.case_filter(d.j.id, d.j.zone, now)

    def read() -> tuple[list[StoredReport], int, dict[str, int], list[str], Ratings]:
        found, total = d.ctx.queue.page(f, (query.page - 1) * PAGE_SIZE, PAGE_SIZE)
        ratings = d.ctx.ratings.of_cases([r.ticket for r in found])
        return found, total, d.ctx.queue.counts(d.j.id, now), d.ctx.queue.areas(d.j.id), ratings

    found, total, counts, areas, ratings = await anyio.to_thread.run_sync(read)
    t = translator(d.locale)
    rows = [queue_row(d, r, now, ratings.get(r.ticket, []), t) for r in found]
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context = page_context(
        d,
        query=query,
        rows=rows,
        total=total,
        pages=pages,
        counts=counts,
        areas=areas,
        services=[(s.code, text_in(s.name, d.locale)) for s in d.j.catalog.services],
        departments=[(x.code, text_in(x.name, d.locale)) for x in d.j.departments],
        NO_DEPARTMENT=NO_DEPARTMENT,
        STATUSES=STATUSES,
        PRIORITIES=PRIORITIES,
        SORTS=list(SORTS),
        tiles=_tiles(d),
        section="queue",
    )
    return render_page(request, "queue.html", context, d.locale, d.policy)


async def queue_map(request: Request) -> Response:
    """``GET /staff/{j}/map.geojson``: the filtered cases with a position, for the map."""
    d = await desk(request, "view")
    query = QueueQuery.read(request.query_params)
    now = d.ctx.now()
    found = await anyio.to_thread.run_sync(
        d.ctx.queue.all, query.case_filter(d.j.id, d.j.zone, now), MAP_LIMIT
    )
    features = [map_feature(d, r, now) for r in found if r.lat is not None and r.lng is not None]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    response = Response(body, media_type="application/geo+json")
    return secure_headers(response, d.policy)


def _download(d: Desk, body: str, media_type: str, name: str) -> Response:
    response = Response(body, media_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{d.j.id}-{name}"'
    return secure_headers(response, d.policy)


async def _export(
    request: Request, permission: str, kind: str, make: Callable[[Desk, list[StoredReport]], str]
) -> tuple[Desk, str]:
    d = await desk(request, permission)
    query = QueueQuery.read(request.query_params)
    f = query.case_filter(d.j.id, d.j.zone, d.ctx.now())

    def run() -> str:
        found = d.ctx.queue.all(f, EXPORT_LIMIT)
        text = make(d, found)
        detail = {"format": kind, "cases": len(found), "query": dict(query.params())}
        d.ctx.audit.write(
            actor=d.user.username,
            jurisdiction=d.j.id,
            action="export",
            detail=detail,
            address=d.address,
        )
        return text

    return d, await anyio.to_thread.run_sync(run)


async def export_csv(request: Request) -> Response:
    """``GET /staff/{j}/export.csv``: the filtered cases, contact included."""
    d, text = await _export(request, "export", "csv", lambda d, r: to_csv(r, d.j.catalog, d.j.zone))
    return _download(d, text, "text/csv; charset=utf-8", "reports.csv")


async def export_geojson(request: Request) -> Response:
    """``GET /staff/{j}/export.geojson``: the filtered cases as RFC 7946 points."""
    d, text = await _export(
        request, "export", "geojson", lambda d, r: to_geojson(r, d.j.catalog, d.j.zone)
    )
    return _download(d, text, "application/geo+json", "reports.geojson")


async def cases_export_json(request: Request) -> Response:
    """``GET /staff/{j}/cases.json``: the full case export (supervisors)."""
    d, text = await _export(
        request,
        "cases_export",
        "cases-json",
        lambda d, r: cases_json(r, d.j, d.ctx.cases, d.ctx.ratings, d.ctx.now()),
    )
    return _download(d, text, "application/json", "cases.json")


async def cases_export_csv(request: Request) -> Response:
    """``GET /staff/{j}/cases.csv``: the full case export as CSV (supervisors)."""
    d, text = await _export(
        request,
        "cases_export",
        "cases-csv",
        lambda d, r: cases_csv(r, d.j, d.ctx.cases, d.ctx.ratings, d.ctx.now()),
    )
    return _download(d, text, "text/csv; charset=utf-8", "cases.csv")
