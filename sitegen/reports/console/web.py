"""Rendering console pages: the Jinja environment, the strings of each language, the
security headers every page carries, and the console's own static files.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
import yaml
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from sitegen.reports.language import negotiate

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STRINGS = HERE / "strings"
LOCALES = ("zh-Hans", "zh-Hant", "en")
LOCALE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
LANG_COOKIE = "sitegen-staff-lang"
STATIC_PREFIX = "/staff/static/"


@cache
def strings(locale: str) -> dict[str, str]:
    """The console's strings in one language (English for any key a language lacks)."""
    english = yaml.safe_load((STRINGS / "en.yaml").read_text("utf-8"))
    if locale == "en":
        return dict(english)
    own = yaml.safe_load((STRINGS / f"{locale}.yaml").read_text("utf-8"))
    return {**english, **own}


def translator(locale: str) -> Any:
    table = strings(locale)

    def t(key: str, **values: object) -> str:
        text = table.get(key, key)
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    return t


@cache
def static_version(name: str) -> str:
    """A short digest of a static file, to make its URL change when it changes."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    return f"{STATIC_PREFIX}{name}?v={static_version(name)}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static=static_url, LOCALE_NAMES=LOCALE_NAMES, LOCALES=LOCALES)
    env.filters["query"] = lambda params: urlencode(
        [(k, v) for k, v in params if v not in (None, "")]
    )
    return env


def choose_locale(request: Request, default: str = "zh-Hans") -> str:
    """``?lang=``, else the language cookie, else Accept-Language, else the site's."""
    for given in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if given in LOCALES:
            return given
    return negotiate(None, request.headers.get("accept-language"), LOCALES, default)


@dataclass(frozen=True)
class Policy:
    """What a page may load besides itself: tile servers for the maps, the photo host."""

    image_origins: tuple[str, ...] = ()


def csp(policy: Policy) -> str:
    images = " ".join(["'self'", "data:", *policy.image_origins])
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


def secure_headers(response: Response, policy: Policy) -> Response:
    """Headers every console answer carries: its CSP, no framing, no caching, no sniffing."""
    response.headers["Content-Security-Policy"] = csp(policy)
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def render_page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    locale: str,
    policy: Policy = Policy(),
    status: int = 200,
) -> Response:
    """A console page in ``locale``; ``?lang=`` given now is kept in a cookie."""
    values = {"t": translator(locale), "locale": locale, "request": request, **context}
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LOCALES:
        response.set_cookie(
            LANG_COOKIE, locale, max_age=365 * 86400, path="/staff/", samesite="lax"
        )
    return secure_headers(response, policy)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


async def static_file(request: Request) -> Response:
    """``/staff/static/PATH``: the console's own CSS, scripts, Leaflet and its images."""
    name = str(request.path_params["path"])
    path = (STATIC / name).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file() or name.startswith("."):
        return Response("not found", status_code=404, media_type="text/plain")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix in (".js", ".mjs"):
        kind = "text/javascript"
    response = Response(path.read_bytes(), media_type=kind)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A versioned URL never changes; the relative imports between modules revalidate.
    fresh = request.query_params.get("v") == static_version(name)
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if fresh else "no-cache"
    )
    return response
