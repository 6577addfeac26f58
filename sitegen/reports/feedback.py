"""Citizens' ratings over the public API: satisfaction with a closed case, and a quick
rating of a place, with the per-place aggregates published as JSON (counts and averages).

``POST requests/{ticket}/satisfaction.json`` takes ``idempotency_key`` (the one the report
was sent with: only the reporting device knows it), ``satisfaction`` and ``comment``.
``POST places/{facility}/ratings.json`` takes ``device_id``, ``cleanliness`` (1-5) and/or
``information`` (right, wrong). ``GET places/ratings.json`` and
``GET places/{facility}/ratings.json`` publish the aggregates. All are forms, so a page of
the site sends them without a CORS preflight.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.api import request_format
from sitegen.reports.characters import forbidden_in, shown
from sitegen.reports.context import ReportsContext, client_address, context_of
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.open311 import ApiError, encode_json, render
from sitegen.reports.store.ratings import INFORMATION, SATISFACTION, PlaceAggregate, RatingRefused
from sitegen.reports.submission import IDEMPOTENCY_KEY
from sitegen.reports.views import w3c_time

log = logging.getLogger(__name__)

MAX_COMMENT = 500
NOT_RATED = {  # a place nobody rated yet (an answer, not an error: a card asks for any place)
    "ratings": 0,
    "cleanliness": {"count": 0, "average": None},
    "information": {"right": 0, "wrong": 0},
    "updated_datetime": None,
}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def _form(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        raise ApiError(415, "send the rating as a form")
    try:
        async with request.form(max_files=0, max_fields=20, max_part_size=8 * 1024) as form:
            fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    except HTTPException as exc:
        raise ApiError(exc.status_code, f"the form could not be read: {exc.detail}") from None
    bad = [k for k, v in fields.items() if forbidden_in(k) or forbidden_in(v)]
    if bad:
        raise ApiError(400, [f"{shown(k)} contains control characters" for k in bad])
    return fields


async def rate_case(request: Request) -> Response:
    """``POST requests/{ticket}/satisfaction``: the citizen's rating of a closed case."""
    ctx = context_of(request)
    fmt = request_format(request)
    fields = await _form(request)
    j = ctx.jurisdiction(fields.get("jurisdiction_id"))
    key = fields.get("idempotency_key", "").strip()
    satisfaction = fields.get("satisfaction", "").strip()
    comment = fields.get("comment", "").strip()
    problems = []
    if not IDEMPOTENCY_KEY.fullmatch(key):
        problems.append("idempotency_key is required: the key the report was sent with")
    if satisfaction not in SATISFACTION:
        problems.append(f"satisfaction must be one of {', '.join(SATISFACTION)}")
    if len(comment) > MAX_COMMENT:
        problems.append(f"comment is longer than {MAX_COMMENT} characters")
    if problems:
        raise ApiError(400, problems)
    ticket = str(request.path_params["ticket"])[:40]
    try:
        rating = await anyio.to_thread.run_sync(
            ctx.ratings.rate_case, ticket, j.id, key, satisfaction, comment
        )
    except RatingRefused as exc:
        raise ApiError(exc.status, str(exc)) from None
    log.info("case rated ticket=%s satisfaction=%s", rating.ticket, satisfaction)
    payload = [
        {
            "service_request_id": rating.ticket,
            "satisfaction": rating.satisfaction,
            "rated_datetime": w3c_time(rating.rated_at, j.zone),
        }
    ]
    return render(payload, fmt, "ratings", 201)


def _device(request: Request, j: Jurisdiction, given: str) -> str:
    """Who rates, as a digest: the device's own id, else its address and browser."""
    if given:
        return "d:" + hashlib.sha256(f"{j.id}\0{given}".encode()).hexdigest()
    agent = request.headers.get("user-agent", "")[:300]
    seen = f"{j.id}\0{client_address(request)}\0{agent}"
    return "a:" + hashlib.sha256(seen.encode()).hexdigest()


def _place_fields(fields: dict[str, str]) -> tuple[int | None, str | None]:
    problems = []
    raw = fields.get("cleanliness", "").strip()
    cleanliness = None
    if raw:
        if raw not in ("1", "2", "3", "4", "5"):
            problems.append("cleanliness must be a whole number from 1 to 5")
        else:
            cleanliness = int(raw)
    information = fields.get("information", "").strip() or None
    if information is not None and information not in INFORMATION:
        problems.append("information must be right or wrong")
    if len(fields.get("device_id", "")) > 200:
        problems.append("device_id is longer than 200 characters")
    if not problems and cleanliness is None and information is None:
        problems.append("give cleanliness (1-5), information (right or wrong), or both")
    if problems:
        raise ApiError(400, problems)
    return cleanliness, information


async def rate_place(request: Request) -> Response:
    """``POST places/{facility}/ratings``: a device's quick rating of a place."""
    ctx = context_of(request)
    if request_format(request) != "json":
        raise ApiError(404, "ratings are JSON only: use .json")
    fields = await _form(request)
    j = ctx.jurisdiction(fields.get("jurisdiction_id"))
    facility = str(request.path_params["facility"])
    cleanliness, information = _place_fields(fields)
    places = await j.facilities.places()
    if places is not None and facility not in places:
        raise ApiError(404, f'unknown facility "{facility}"')
    device = _device(request, j, fields.get("device_id", "").strip())
    await anyio.to_thread.run_sync(
        ctx.ratings.rate_place, j.id, facility, device, cleanliness, information
    )
    found = await anyio.to_thread.run_sync(ctx.ratings.places, j.id, facility)
    return _json(place_view(found[0], j) if found else {}, 201)


def place_view(p: PlaceAggregate, j: Jurisdiction) -> dict[str, Any]:
    """The published aggregate of one place."""
    return {
        "ratings": p.ratings,
        "cleanliness": {"count": p.cleanliness_count, "average": p.cleanliness_average},
        "information": {"right": p.right, "wrong": p.wrong},
        "updated_datetime": w3c_time(p.last_rated, j.zone),
    }


def aggregates_document(
    ctx: ReportsContext, j: Jurisdiction, places: list[PlaceAggregate]
) -> dict[str, Any]:
    """``places/ratings.json``: every rated place of a jurisdiction (also what builds bake)."""
    return {
        "jurisdiction_id": j.id,
        "generated_datetime": w3c_time(ctx.now(), j.zone),
        "places": {p.facility_id: place_view(p, j) for p in places},
    }


async def place_aggregates(request: Request) -> Response:
    """``GET places/ratings.json``: counts and averages of every rated place."""
    ctx = context_of(request)
    if request_format(request) != "json":
        raise ApiError(404, "ratings are JSON only: use .json")
    j = ctx.jurisdiction(request.query_params.get("jurisdiction_id"))
    places = await anyio.to_thread.run_sync(ctx.ratings.places, j.id)
    return _json(aggregates_document(ctx, j, places), cache=True)


async def place_aggregate(request: Request) -> Response:
    """``GET places/{facility}/ratings.json``: one place's counts and averages."""
    ctx = context_of(request)
    if request_format(request) != "json":
        raise ApiError(404, "ratings are JSON only: use .json")
    j = ctx.jurisdiction(request.query_params.get("jurisdiction_id"))
    found = await anyio.to_thread.run_sync(
        ctx.ratings.places, j.id, str(request.path_params["facility"])
    )
    return _json(place_view(found[0], j) if found else NOT_RATED, cache=True)


def _json(payload: Any, status: int = 200, cache: bool = False) -> Response:
    response = Response(
        encode_json(payload), status_code=status, media_type="application/json; charset=utf-8"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=300" if cache else "no-store"
    return response
