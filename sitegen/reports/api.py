"""The public GeoReport v2 calls: discovery, services, submitting and looking up requests."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .cases import statuses_for
from .context import ReportsContext, context_of
from .media import CONTENT_TYPES, media_file, new_media_name, remove_quietly, write_durably
from .open311 import ApiError, Format, parse_format, render
from .photos import CleanPhoto, PhotoRejected, clean_photo
from .records import Created, IdempotencyConflict, NewReport, ReportQuery, StoredReport
from .settings import human_size
from .submission import (
    HONEYPOT,
    IDEMPOTENCY_KEY,
    fingerprint,
    names_facility,
    read_submission,
    single_values,
)
from .views import definition_view, discovery_view, request_view, service_view, ticket_view

log = logging.getLogger(__name__)

MAX_RANGE = dt.timedelta(days=90)  # the spec's default and widest date range
MAX_RESULTS = 1000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
T = TypeVar("T")


def _format(request: Request) -> Format:
    return parse_format(str(request.path_params["fmt"]))


async def discovery(request: Request) -> Response:
    """``GET discovery``: where the GeoReport v2 endpoint is and which formats it speaks."""
    ctx = context_of(request)
    endpoint = (
        ctx.config.report_endpoint or str(request.base_url).rstrip("/") + ctx.settings.api_prefix
    )
    contact = f"{ctx.config.title[ctx.config.source_locale]} {ctx.config.base_url}"
    payload = discovery_view(ctx.started, endpoint, contact, ctx.zone)
    return render(payload, _format(request), "discovery")


async def services(request: Request) -> Response:
    """``GET services``: the problems citizens can report, in the requested language."""
    ctx = context_of(request)
    ctx.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    locale = ctx.locale(request)
    payload = [service_view(s, locale) for s in ctx.catalog.services]
    return render(payload, _format(request), "services")


async def service_definition(request: Request) -> Response:
    """``GET services/{code}``: the attributes (questions) of one service."""
    ctx = context_of(request)
    ctx.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    code = str(request.path_params["code"])
    service = ctx.catalog.get(code)
    if service is None:
        raise ApiError(404, f'unknown service_code "{code}"')
    return render(
        definition_view(service, ctx.locale(request)), _format(request), "service_definition"
    )


async def get_request(request: Request) -> Response:
    """``GET requests/{id}``: one request, public fields only."""
    ctx = context_of(request)
    fmt = _format(request)
    ctx.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    ticket = str(request.path_params["ticket"])
    report = await anyio.to_thread.run_sync(ctx.store.get, ticket) if len(ticket) <= 40 else None
    if report is None:
        raise ApiError(404, f'no service request "{ticket}"')
    return _requests_response(ctx, request, fmt, [report])


async def get_requests(request: Request) -> Response:
    """``GET requests``: requests by ticket, or by service, status and date range."""
    ctx = context_of(request)
    fmt = _format(request)
    params = request.query_params
    ctx.check_jurisdiction(params.get("jurisdiction_id"))
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
        start, end = _date_range(params.get("start_date"), params.get("end_date"))
        query = ReportQuery(
            service_codes=tuple(_list_param(params.getlist("service_code"))),
            statuses=tuple(statuses),
            start=start,
            end=end,
            limit=MAX_RESULTS,
        )
    reports = await anyio.to_thread.run_sync(ctx.store.query, query)
    return _requests_response(ctx, request, fmt, reports)


def _requests_response(
    ctx: ReportsContext, request: Request, fmt: Format, reports: list[StoredReport]
) -> Response:
    locale = ctx.locale(request)
    base = ctx.media_base(request)
    agency = ctx.settings.agency_responsible
    payload = [request_view(r, ctx.catalog, locale, ctx.zone, base, agency) for r in reports]
    return render(payload, fmt, "service_requests")


def _list_param(values: list[str]) -> list[str]:
    """A parameter given as a comma-separated list, repeated, or both."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _date_range(start_text: str | None, end_text: str | None) -> tuple[dt.datetime, dt.datetime]:
    start = _w3c_datetime("start_date", start_text)
    end = _w3c_datetime("end_date", end_text)
    if start is None and end is None:
        end = dt.datetime.now(dt.UTC)
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


async def post_request(request: Request) -> Response:
    """``POST requests``: store a report (with photos) once, answer with its ticket."""
    ctx = context_of(request)
    fmt = _format(request)
    fields, photos = await _read_form(ctx, request)
    client = request.client.host if request.client else "unknown"
    one = single_values(fields)
    if any(key == HONEYPOT and value.strip() for key, value in fields):
        log.info("refused submission: honeypot filled client=%s", client)
        raise ApiError(400, f"the {HONEYPOT} field must be left empty")
    ctx.check_jurisdiction(one.get("jurisdiction_id"))
    idempotency_key = _idempotency_key(request, one.get("idempotency_key"))
    digest = fingerprint(fields, [hashlib.sha256(p).hexdigest() for p in photos])
    if idempotency_key is not None:
        existing = await _store_call(ctx.store.find_by_key, idempotency_key)
        if existing is not None:
            return _ticket_response(fmt, _replay(existing, digest), client)
    places = await ctx.facilities.places() if names_facility(fields) else None
    bounds = ctx.config.bounds if ctx.settings.enforce_bounds else None
    checked = read_submission(fields, ctx.catalog, places, bounds)
    cleaned = [await _clean(ctx, data) for data in photos]
    media_dir = ctx.settings.media_path
    names: list[str] = []
    try:
        names.extend(await _write_photos(media_dir, cleaned))
        new = NewReport(
            service_code=checked.service.code,
            description=checked.description,
            lat=checked.lat,
            lng=checked.lng,
            address=checked.address,
            facility_id=checked.facility_id,
            attributes=checked.attributes,
            contact=checked.contact,
            locale=ctx.locale(request, one.get("locale")),
            photos=tuple(names),
            idempotency_key=idempotency_key,
            fingerprint=digest,
        )
        created = await _store_call(ctx.store.create, new)
    except BaseException:
        remove_quietly(media_dir, names)
        raise
    if not created.created:  # a concurrent copy of this submission was stored first
        remove_quietly(media_dir, names)
    return _ticket_response(fmt, created, client)


async def _read_form(
    ctx: ReportsContext, request: Request
) -> tuple[list[tuple[str, str]], list[bytes]]:
    """The text fields and the photo bytes of a submission, within the limits."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        raise ApiError(415, "send the report as a form (urlencoded, or multipart with photos)")
    fields: list[tuple[str, str]] = []
    uploads: list[tuple[str, UploadFile]] = []
    try:
        async with request.form(
            max_files=ctx.settings.max_photos, max_fields=200, max_part_size=64 * 1024
        ) as form:
            for key, value in form.multi_items():
                if isinstance(value, str):
                    fields.append((key, value))
                elif value.filename or value.size:  # an empty file input sends neither
                    uploads.append((key, value))
            photos = await _read_uploads(ctx, uploads)
    except HTTPException as exc:
        raise ApiError(exc.status_code, _form_problem(ctx, exc.detail)) from None
    return fields, photos


async def _write_photos(media_dir: Path, photos: list[CleanPhoto]) -> list[str]:
    """Write cleaned photos durably under new random names (before the report commits)."""
    names: list[str] = []
    for photo in photos:
        name = new_media_name(photo.extension)
        try:
            await anyio.to_thread.run_sync(write_durably, media_dir, name, photo.data)
        except OSError:
            remove_quietly(media_dir, names)
            log.exception("could not write a photo to %s", media_dir)
            raise _try_again() from None
        names.append(name)
    return names


async def _read_uploads(ctx: ReportsContext, uploads: list[tuple[str, UploadFile]]) -> list[bytes]:
    limit = ctx.settings.max_photo_bytes
    photos: list[bytes] = []
    for key, upload in uploads:
        if key != "media":
            raise ApiError(400, f'only "media" may hold a file, not "{key}"')
        if upload.size is not None and upload.size > limit:
            raise ApiError(413, f"a photo is larger than {human_size(limit)}")
        photos.append(await upload.read())
    return photos


def _form_problem(ctx: ReportsContext, detail: str) -> str:
    if detail.startswith("Too many files"):
        return f"at most {ctx.settings.max_photos} photos per report"
    return f"the form could not be read: {detail}"


def _idempotency_key(request: Request, field_value: str | None) -> str | None:
    header = request.headers.get("idempotency-key")
    # The IETF draft sends the key as a quoted string; plain keys are accepted too.
    header = header.strip().strip('"') if header else None
    given = field_value.strip() if field_value else None
    if header and given and header != given:
        raise ApiError(400, "the Idempotency-Key header and the idempotency_key field differ")
    key = header or given
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiError(400, "the idempotency key must be 1 to 255 visible ASCII characters")
    return key


def _replay(existing: StoredReport, digest: str) -> Created:
    if existing.fingerprint != digest:
        raise _key_reused(existing.ticket)
    return Created(existing, created=False)


def _key_reused(ticket: str) -> ApiError:
    return ApiError(
        422,
        f"this idempotency key was already used for a different report ({ticket}); "
        "use a new key for a new report",
    )


async def _clean(ctx: ReportsContext, data: bytes) -> CleanPhoto:
    try:
        return await anyio.to_thread.run_sync(
            clean_photo, data, ctx.photo_rules, limiter=ctx.photo_slots
        )
    except PhotoRejected as exc:
        raise ApiError(exc.status, exc.message) from None


async def _store_call(function: Callable[..., T], *args: Any) -> T:
    """Run a store call in a worker thread; a database failure becomes a 503 to retry."""
    try:
        return await anyio.to_thread.run_sync(function, *args)
    except IdempotencyConflict as exc:
        raise _key_reused(exc.ticket) from None
    except ApiError:
        raise
    except Exception:
        log.exception("report store failed")
        raise _try_again() from None


def _try_again() -> ApiError:
    return ApiError(
        503,
        "the report could not be stored just now; send it again with the same idempotency key",
        {"Retry-After": "5"},
    )


def _ticket_response(fmt: Format, created: Created, client: str) -> Response:
    report = created.report
    log.info(
        "%s ticket=%s service=%s photos=%d key=%s client=%s",
        "stored" if created.created else "replayed",
        report.ticket,
        report.service_code,
        len(report.photos),
        "yes" if report.idempotency_key else "no",
        client,
    )
    headers = {} if created.created else {"Idempotent-Replayed": "true"}
    return render([ticket_view(report)], fmt, "service_requests", 201, headers)
