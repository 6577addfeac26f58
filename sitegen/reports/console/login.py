"""Signing in and out, and the choice of jurisdiction for staff who work for several.

Failed logins are rate-limited per address and counted per account: after
``login_max_failures`` in a row the account is locked for ``login_lockout_minutes``. The
answer never says whether the user name exists or the account is locked.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import math

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sitegen.reports.console.auth import (
    PREFIX,
    ConsoleError,
    check_csrf,
    cookie_names,
    current_session,
    new_login_token,
    set_cookie,
)
from sitegen.reports.console.web import Policy, choose_locale, render_page, secure_headers
from sitegen.reports.context import ReportsContext, client_address, context_of
from sitegen.reports.store.accounts import StaffUser

log = logging.getLogger(__name__)
MAX_FIELD = 256


def _safe_next(target: str | None) -> str:
    """Only a path of the console itself: never another site (an open redirect)."""
    if target and target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX


def _login_page(request: Request, status: int = 200, error: str = "") -> Response:
    ctx = context_of(request)
    token = new_login_token()
    locale = choose_locale(request, ctx.first.config.source_locale)
    context = {
        "csrf": token,
        "error": error,
        "next": _safe_next(request.query_params.get("next")),
        "failures": ctx.settings.login_max_failures,
        "minutes": f"{ctx.settings.login_lockout_minutes:g}",
    }
    response = render_page(request, "login.html", context, locale, status=status)
    set_cookie(ctx, response, cookie_names(ctx)[1], token, 3600)
    return response


async def login_form(request: Request) -> Response:
    """``GET /staff/login``."""
    if await current_session(request) is not None:
        return secure_headers(RedirectResponse(PREFIX, 303), Policy())
    return _login_page(request)


async def login(request: Request) -> Response:
    """``POST /staff/login``: user name and password, with the login form's token."""
    ctx = context_of(request)
    address = client_address(request)
    async with request.form(max_files=0, max_fields=10) as form:
        given = form.get("csrf")
        expected = request.cookies.get(cookie_names(ctx)[1], "")
        if not (isinstance(given, str) and expected and hmac.compare_digest(given, expected)):
            raise ConsoleError(403, "the login form has expired; load it again")
        username = str(form.get("username", "")).strip().lower()[:MAX_FIELD]
        password = str(form.get("password", ""))[:MAX_FIELD]
        target = _safe_next(str(form.get("next", "")))
    wait = ctx.login_limits.take(address) if ctx.login_limits else 0.0
    if wait > 0:
        retry = str(max(1, math.ceil(wait)))
        response = _login_page(request, 429, "login_slow_down")
        response.headers["Retry-After"] = retry
        return response
    user = await anyio.to_thread.run_sync(_check_password, ctx, username, password, address)
    if user is None:
        return _login_page(request, 401, "login_failed")
    lifetime = dt.timedelta(hours=ctx.settings.session_hours)
    token, _ = await anyio.to_thread.run_sync(ctx.sessions.start, user.id, lifetime, address)
    response = secure_headers(RedirectResponse(target, 303), Policy())
    set_cookie(ctx, response, cookie_names(ctx)[0], token, int(lifetime.total_seconds()))
    response.delete_cookie(cookie_names(ctx)[1], path="/")
    return response


def _audit_each(ctx: ReportsContext, user: StaffUser | None, action: str, **entry: object) -> None:
    """A login event, written once for each jurisdiction the account works for."""
    for jid in (user.grants if user is not None else None) or ["*"]:
        ctx.audit.write(jurisdiction=jid, action=action, **entry)


def _check_password(
    ctx: ReportsContext, username: str, password: str, address: str
) -> StaffUser | None:
    """The account if the password is right and the account may sign in; else count a failure."""
    user = ctx.accounts.find(username) if username else None
    right = ctx.passwords.verify(user.password_hash if user else None, password)
    usable = user is not None and not user.disabled and not user.locked(ctx.now())
    if user is None or not right or not usable:
        locked = False
        if user is not None and not user.locked(ctx.now()):
            lockout = dt.timedelta(minutes=ctx.settings.login_lockout_minutes)
            locked = ctx.accounts.login_failed(user.id, ctx.settings.login_max_failures, lockout)
        log.warning("login refused user=%s client=%s locked=%s", username, address, locked)
        detail = {"user": username, "locked": locked or bool(user and user.locked(ctx.now()))}
        _audit_each(
            ctx, user, "login_failed", actor=username or "-", detail=detail, address=address
        )
        return None
    ctx.accounts.login_succeeded(user.id)
    if ctx.passwords.needs_rehash(user.password_hash):
        ctx.accounts.rehash(user.id, ctx.passwords.hash(password))
    _audit_each(ctx, user, "login", actor=user.username, address=address)
    return user


async def logout(request: Request) -> Response:
    """``POST /staff/logout``: ends the session (with the page's CSRF token)."""
    ctx = context_of(request)
    session = await current_session(request)
    response = secure_headers(RedirectResponse(f"{PREFIX}login", 303), Policy())
    if session is None:
        return response
    async with request.form(max_files=0, max_fields=5) as form:
        check_csrf(session, form)
    token = request.cookies.get(cookie_names(ctx)[0], "")
    await anyio.to_thread.run_sync(ctx.sessions.end, token)
    address = client_address(request)
    await anyio.to_thread.run_sync(
        lambda: _audit_each(
            ctx, session.user, "logout", actor=session.user.username, address=address
        )
    )
    response.delete_cookie(cookie_names(ctx)[0], path="/")
    return response


async def home(request: Request) -> Response:
    """``GET /staff/``: straight to the one jurisdiction, or a choice of them."""
    ctx = context_of(request)
    session = await current_session(request)
    if session is None:
        return secure_headers(RedirectResponse(f"{PREFIX}login", 303), Policy())
    mine = [j for j in ctx.jurisdictions.values() if j.id in session.user.grants]
    if len(mine) == 1:
        return secure_headers(RedirectResponse(f"{PREFIX}{mine[0].id}/", 303), Policy())
    locale = choose_locale(request, ctx.first.config.source_locale)
    context = {"session": session, "jurisdictions": mine, "grants": session.user.grants}
    return render_page(request, "choose.html", context, locale)
