"""Who is at the console: the session cookie, the role in the jurisdiction of the page, and
the CSRF token every form must carry.

Cookies are ``Secure`` (``__Host-`` names), ``HttpOnly`` and ``SameSite=Lax``. A page of a
jurisdiction needs a role there: an anonymous visitor is sent to the login page (or gets a
401 for anything but a page), a wrong role or another jurisdiction gets a 403.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import quote

import anyio.to_thread
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from sitegen.reports.cases.loop import Actor
from sitegen.reports.cases.roles import allows
from sitegen.reports.console.web import Policy, choose_locale, origin
from sitegen.reports.context import ReportsContext, client_address, context_of
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.store.accounts import Grant, StaffUser
from sitegen.reports.store.sessions import Session

PREFIX = "/staff/"


class ConsoleError(Exception):
    """An answer of the console other than the page asked for: an error or a redirect."""

    def __init__(self, status: int, message: str = "", location: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.location = location


def cookie_names(ctx: ReportsContext) -> tuple[str, str]:
    """The session and login cookies' names (``__Host-`` needs a Secure cookie)."""
    if ctx.settings.cookie_secure:
        return "__Host-sitegen-staff", "__Host-sitegen-login"
    return "sitegen-staff", "sitegen-login"


def set_cookie(ctx: ReportsContext, response: Response, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path="/",
        secure=ctx.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )


@dataclass(frozen=True)
class Desk:
    """A signed-in staff member at one jurisdiction's console."""

    ctx: ReportsContext
    request: Request
    session: Session
    j: Jurisdiction
    grant: Grant
    locale: str

    @property
    def user(self) -> StaffUser:
        return self.session.user

    @property
    def actor(self) -> Actor:
        return Actor(self.user.username, self.grant.role, self.grant.department)

    @property
    def address(self) -> str:
        return client_address(self.request)

    def allows(self, permission: str) -> bool:
        return allows(self.grant.role, permission)

    def url(self, path: str = "") -> str:
        return f"{PREFIX}{quote(self.j.id)}/{path}"

    @property
    def policy(self) -> Policy:
        """Image hosts of this jurisdiction's pages: its tile servers and the photo host."""
        hosts = {origin(t.url.replace("{s}", "a")) for t in self.j.config.tiles}
        if self.ctx.settings.public_url:
            hosts.add(origin(self.ctx.settings.public_url))
        return Policy(tuple(sorted(h for h in hosts if h)))


async def current_session(request: Request) -> Session | None:
    """The live session of the request's cookie, if any."""
    ctx = context_of(request)
    token = request.cookies.get(cookie_names(ctx)[0])
    if not token:
        return None
    idle = dt.timedelta(minutes=ctx.settings.session_idle_minutes)
    return await anyio.to_thread.run_sync(ctx.sessions.lookup, token, idle)


def _refuse_anonymous(request: Request) -> ConsoleError:
    if request.method == "GET" and not request.url.path.endswith((".csv", ".json", ".geojson")):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return ConsoleError(303, location=f"{PREFIX}login?next={quote(target, safe='')}")
    return ConsoleError(401, "sign in first")


async def desk(request: Request, permission: str) -> Desk:
    """The staff member at this jurisdiction's page, allowed ``permission``, or a refusal."""
    ctx = context_of(request)
    session = await current_session(request)
    if session is None:
        raise _refuse_anonymous(request)
    jid = str(request.path_params["jurisdiction"])
    j = ctx.jurisdictions.get(jid)
    if j is None:
        raise ConsoleError(404, "no such jurisdiction")
    grant = session.user.grants.get(jid)
    if grant is None:
        raise ConsoleError(403, "you have no role in this jurisdiction")
    found = Desk(ctx, request, session, j, grant, choose_locale(request, j.config.source_locale))
    if not found.allows(permission):
        raise ConsoleError(403, "your role does not allow this")
    return found


def check_csrf(session: Session, form: FormData) -> None:
    """Every form carries the session's CSRF token; a page from elsewhere cannot know it."""
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(
        given.encode(), session.csrf_token.encode()
    ):
        raise ConsoleError(403, "the form has expired or did not come from this console")


def new_login_token() -> str:
    return secrets.token_urlsafe(24)
