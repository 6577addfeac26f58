"""The forms of a case page: the case loop's actions, merging, internal notes, priority.

Each checks the role for it, the form's CSRF token and then the rules (in the store's
transaction); a refusal shows the case again with the reason, a success goes back to it.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sitegen.reports.cases.loop import ACTIONS, ActionInput, CaseRuleError
from sitegen.reports.console.auth import ConsoleError, Desk, check_csrf, desk
from sitegen.reports.console.case import RULE_STATUS, render_case, report_of
from sitegen.reports.console.web import Policy, secure_headers
from sitegen.reports.intake import clean_photos, write_photos
from sitegen.reports.media import remove_quietly
from sitegen.reports.open311 import ApiError

MAX_RESULT_PHOTOS = 3


async def _form(request: Request, d: Desk, files: int = 0) -> FormData:
    try:
        form = await request.form(max_files=files, max_fields=20, max_part_size=64 * 1024)
    except HTTPException as exc:
        raise ConsoleError(400, f"the form could not be read: {exc.detail}") from None
    check_csrf(d.session, form)
    return form


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _back(d: Desk, ticket: str, done: str) -> Response:
    target = d.url(f"requests/{ticket}?done={done}")
    return secure_headers(RedirectResponse(target, 303), Policy())


async def _refused(d: Desk, ticket: str, exc: CaseRuleError) -> Response:
    report = await report_of(d, ticket)
    return await render_case(d, report, RULE_STATUS.get(exc.code, 409), error=exc.code)


async def _result_photos(d: Desk, form: FormData) -> list[str]:
    """The handler's photos of the result, cleaned like citizens' photos, then stored."""
    uploads = [v for v in form.getlist("photo") if isinstance(v, UploadFile) and v.filename]
    if len(uploads) > MAX_RESULT_PHOTOS:
        raise CaseRuleError("photo", f"at most {MAX_RESULT_PHOTOS} photos")
    photos = []
    for upload in uploads:
        data = await upload.read()
        if len(data) > d.ctx.settings.max_photo_bytes:
            raise CaseRuleError("photo", "a photo is too large")
        photos.append(data)
    try:
        cleaned = await clean_photos(d.ctx, d.address or "staff", photos, charge=False)
    except ApiError as exc:
        raise CaseRuleError("photo", "; ".join(exc.descriptions)) from None
    try:
        return await write_photos(d.ctx.settings.media_path, cleaned)
    except ApiError as exc:
        raise CaseRuleError("photo", "; ".join(exc.descriptions)) from None


async def act(request: Request) -> Response:
    """``POST /staff/{j}/requests/{ticket}/act/{action}``."""
    name = str(request.path_params["action"])
    action = ACTIONS.get(name)
    if action is None:
        raise ConsoleError(404, "no such action")
    d = await desk(request, action.permission)
    ticket = (await report_of(d, str(request.path_params["ticket"]))).ticket
    form = await _form(request, d, files=MAX_RESULT_PHOTOS if name == "handle" else 0)
    given = ActionInput(
        note=_text(form, "note"),
        reason=_text(form, "reason"),
        department=_text(form, "department") or None,
    )
    photos: list[str] = []
    try:
        if name == "handle":
            photos = await _result_photos(d, form)
        j = d.j
        await anyio.to_thread.run_sync(
            lambda: d.ctx.cases.act(
                ticket,
                j.id,
                name,
                d.actor,
                given,
                departments=[x.code for x in j.departments],
                due_for=lambda code, start: j.deadlines.due(start, code),
                photos=photos,
                address=d.address,
            )
        )
    except CaseRuleError as exc:
        remove_quietly(d.ctx.settings.media_path, photos)
        return await _refused(d, ticket, exc)
    finally:
        await form.close()
    return _back(d, ticket, name)


async def merge(request: Request) -> Response:
    """``POST /staff/{j}/requests/{ticket}/merge`` with ``into``: the case it duplicates."""
    d = await desk(request, "decide")
    ticket = (await report_of(d, str(request.path_params["ticket"]))).ticket
    into = _text(await _form(request, d), "into")
    try:
        await anyio.to_thread.run_sync(
            lambda: d.ctx.cases.merge(ticket, into, d.j.id, d.actor, d.address)
        )
    except CaseRuleError as exc:
        return await _refused(d, ticket, exc)
    return _back(d, ticket, "merge")


async def note(request: Request) -> Response:
    """``POST /staff/{j}/requests/{ticket}/note``: an internal note."""
    d = await desk(request, "note")
    ticket = (await report_of(d, str(request.path_params["ticket"]))).ticket
    body = _text(await _form(request, d), "note")
    try:
        await anyio.to_thread.run_sync(
            lambda: d.ctx.cases.add_note(ticket, d.j.id, d.actor, body, d.address)
        )
    except CaseRuleError as exc:
        return await _refused(d, ticket, exc)
    return _back(d, ticket, "note")


async def priority(request: Request) -> Response:
    """``POST /staff/{j}/requests/{ticket}/priority``."""
    d = await desk(request, "decide")
    ticket = (await report_of(d, str(request.path_params["ticket"]))).ticket
    value = _text(await _form(request, d), "priority")
    try:
        await anyio.to_thread.run_sync(
            lambda: d.ctx.cases.set_priority(ticket, d.j.id, d.actor, value, d.address)
        )
    except CaseRuleError as exc:
        return await _refused(d, ticket, exc)
    return _back(d, ticket, "priority")
