"""``POST requests``: a citizen's report stored once, with its photos cleaned first."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.api import request_format
from sitegen.reports.characters import shown
from sitegen.reports.context import ReportsContext, client_address, context_of
from sitegen.reports.facilities import Place, nearest_place
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.media import new_media_name, remove_quietly, write_durably
from sitegen.reports.open311 import ApiError, Format, render
from sitegen.reports.photo_work import ClientGone, OverBudget
from sitegen.reports.photos import CleanPhoto, PhotoRejected
from sitegen.reports.records import Created, IdempotencyConflict, NewReport, StoredReport
from sitegen.reports.settings import human_size
from sitegen.reports.submission import (
    HONEYPOT,
    IDEMPOTENCY_KEY,
    Submission,
    fingerprint,
    names_facility,
    read_submission,
    single_values,
)
from sitegen.reports.views import ticket_view

log = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
AREA_REACH_M = 300.0  # a report by position takes the district of a facility this near
T = TypeVar("T")


async def post_request(request: Request) -> Response:
    """``POST requests``: store a report (with photos) once, answer with its ticket."""
    ctx = context_of(request)
    fmt = request_format(request)
    fields, photos = await _read_form(ctx, request)
    client = client_address(request)
    one = single_values(fields)
    if any(key == HONEYPOT and value.strip() for key, value in fields):
        log.info("refused submission: honeypot filled client=%s", client)
        raise ApiError(400, f"the {HONEYPOT} field must be left empty")
    j = ctx.jurisdiction(one.get("jurisdiction_id"))
    key = _idempotency_key(request, one.get("idempotency_key"))
    form = _Form(j, fields, photos, fingerprint(fields, [_sha256(p) for p in photos]), key)
    if key is None:
        created = await _submit(ctx, request, form, client, _client_waits(request))
        return _ticket_response(fmt, created, client)
    while True:
        existing = await _store_call(ctx.store.find_by_key, key)
        if existing is not None:
            return _ticket_response(fmt, _replay(existing, form.digest), client)
        attempt = ctx.inflight.running(key)
        if attempt is None:
            break
        # The first attempt is still at work: wait for it rather than decode again.
        await ctx.inflight.wait_for(attempt)
        if attempt.refusal is not None and attempt.digest == form.digest:
            refusal = attempt.refusal
            raise ApiError(refusal.status, refusal.descriptions, refusal.headers)
    try:
        with ctx.inflight.own(key, form.digest) as attempt:
            client_waits = _client_waits(request)

            async def wanted() -> bool:
                return attempt.waiters > 0 or await client_waits()

            created = await _submit(ctx, request, form, client, wanted)
    except ClientGone:
        raise _gone(client) from None
    return _ticket_response(fmt, created, client)


@dataclass(frozen=True)
class _Form:
    """A submission as read: its jurisdiction, fields, photos, fingerprint and key."""

    j: Jurisdiction
    fields: list[tuple[str, str]]
    photos: list[bytes]
    digest: str
    key: str | None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _client_waits(request: Request) -> Callable[[], Awaitable[bool]]:
    async def waits() -> bool:
        return not await request.is_disconnected()

    return waits


def _gone(client: str) -> ApiError:
    log.info("stopped: the client left before its photos were done client=%s", client)
    return ApiError(400, "the connection was closed before the report was stored")


async def _submit(
    ctx: ReportsContext,
    request: Request,
    form: _Form,
    client: str,
    wanted: Callable[[], Awaitable[bool]],
) -> Created:
    """Check the form, clean its photos, write them and store the report."""
    j = form.j
    places = await j.facilities.places() if names_facility(form.fields) else j.facilities.ready()
    bounds = j.config.bounds if ctx.settings.enforce_bounds else None
    checked = read_submission(form.fields, j.catalog, places, bounds)
    try:
        cleaned = await clean_photos(ctx, client, form.photos, wanted=wanted)
    except ClientGone:
        if form.key is None:
            raise _gone(client) from None
        raise
    media_dir = ctx.settings.media_path
    names: list[str] = []
    one = single_values(form.fields)
    try:
        names.extend(await write_photos(media_dir, cleaned))
        new = NewReport(
            service_code=checked.service.code,
            description=checked.description,
            lat=checked.lat,
            lng=checked.lng,
            address=checked.address,
            facility_id=checked.facility_id,
            attributes=checked.attributes,
            contact=checked.contact,
            locale=ctx.locale(request, j, one.get("locale")),
            photos=tuple(names),
            idempotency_key=form.key,
            fingerprint=form.digest,
            jurisdiction=j.id,
            area=_area(checked, places),
            due_at=j.deadlines.due(ctx.now(), checked.service.code),
        )
        created = await _store_call(ctx.store.create, new)
    except BaseException:
        remove_quietly(media_dir, names)
        raise
    if not created.created:  # a concurrent copy of this submission was stored first
        remove_quietly(media_dir, names)
    return created


def _area(checked: Submission, places: Mapping[str, Place] | None) -> str | None:
    """The district of the facility a report names, or of the nearest one."""
    if places is None:
        return None
    if checked.facility_id and checked.facility_id in places:
        return places[checked.facility_id].area
    if checked.lat is not None and checked.lng is not None:
        near = nearest_place(places, checked.lat, checked.lng, AREA_REACH_M)
        return near.area if near else None
    return None


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


async def write_photos(media_dir: Path, photos: list[CleanPhoto]) -> list[str]:
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
            raise ApiError(400, f'only "media" may hold a file, not "{shown(key)}"')
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


async def clean_photos(
    ctx: ReportsContext,
    client: str,
    photos: list[bytes],
    *,
    charge: bool = True,
    wanted: Callable[[], Awaitable[bool]] | None = None,
) -> list[CleanPhoto]:
    """Photos decoded, turned upright, resized and encoded anew, or an ApiError.

    The work is charged to the client's photo budget first (``charge``; staff photos are
    not), from the photos' headers, and stops with ``ClientGone`` once ``wanted`` says
    nobody waits for it.
    """
    work = ctx.photo_work
    try:
        if charge:
            await anyio.to_thread.run_sync(work.charge, client, photos, ctx.photo_rules)
        return await work.clean_all(client, photos, ctx.photo_rules, wanted or _always)
    except PhotoRejected as exc:
        raise ApiError(exc.status, exc.message) from None
    except OverBudget as exc:
        retry = str(max(1, math.ceil(exc.retry_after)))
        log.info("photo budget used up client=%s retry=%ss", client, retry)
        raise ApiError(
            429,
            f"too many photos from this address just now; try again in {retry} s",
            {"Retry-After": retry},
        ) from None


async def _always() -> bool:
    return True


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
