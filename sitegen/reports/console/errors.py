"""How the console answers what it refuses: a redirect to the login page, or a page that
says what went wrong, in the staff member's language, with the console's headers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sitegen.reports.console.auth import PREFIX, ConsoleError
from sitegen.reports.console.web import Policy, choose_locale, render_page, secure_headers
from sitegen.reports.context import context_of

API_PATHS = (f"{PREFIX}requests/",)  # the machine API answers in Open311's format


def is_console_path(path: str) -> bool:
    return path.startswith(PREFIX) and not path.startswith(API_PATHS)


async def console_error_page(request: Request, exc: Exception) -> Response:
    """The answer to a ``ConsoleError``."""
    assert isinstance(exc, ConsoleError)
    if exc.location is not None:
        return secure_headers(RedirectResponse(exc.location, exc.status), Policy())
    ctx = context_of(request)
    locale = choose_locale(request, ctx.first.config.source_locale)
    key = {401: "error_401", 403: "error_403", 404: "error_404", 429: "error_429"}.get(
        exc.status, "error_other"
    )
    context = {"status": exc.status, "key": key, "message": exc.message}
    return render_page(request, "error.html", context, locale, status=exc.status)
