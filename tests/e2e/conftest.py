"""Browser tests: Debian's Chromium driven by Playwright against a site served on loopback.

The site is tests/e2e/site, built once per session with its tile layer pointing at a tile
server of our own on 127.0.0.1 (map tiles cannot be fetched from the internet here).
"""

from __future__ import annotations

import http.server
import io
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from sitegen.build.stages import build
from sitegen.serve.production import production_server
from sitegen.serve.static import SiteServer  # a closed connection is no traceback

SITE = Path(__file__).parent / "site"
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
# Wednesday 2025-01-22 10:30 in Shanghai: an ordinary working day.
WEDNESDAY_MORNING = "2025-01-22T02:30:00Z"


def tile_png(z: int, x: int, y: int) -> bytes:
    """A 256 px tile with its coordinates written on it: enough to see that tiles load."""
    image = Image.new("RGB", (256, 256), (232, 240, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 255, 255), outline=(190, 200, 190))
    draw.text((8, 8), f"{z}/{x}/{y}", fill=(90, 100, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class PngHandler(http.server.BaseHTTPRequestHandler):
    """A quiet loopback server of PNG images: subclasses answer GETs with ``send_png``."""

    def send_png(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class TileHandler(PngHandler):
    """A tile server on loopback: ``/Z/X/Y.png`` answers a generated PNG."""

    cache: ClassVar[dict[str, bytes]] = {}
    served: ClassVar[list[str]] = []  # every path asked for, in order

    def do_GET(self) -> None:
        self.served.append(self.path)
        parts = self.path.strip("/").removesuffix(".png").split("/")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            self.send_error(404)
            return
        body = self.cache.get(self.path) or tile_png(*map(int, parts))
        self.cache[self.path] = body
        self.send_png(body)


@dataclass
class ServedSite:
    root: Path
    url: str  # with a trailing slash
    tiles: str  # origin of the tile server

    def page_url(self, path: str) -> str:
        return self.url + path.lstrip("/")


def _serve(server: http.server.HTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    project = tmp_path_factory.mktemp("e2e") / "site"
    shutil.copytree(SITE, project)
    out = project / "public"
    tile_server = SiteServer(("127.0.0.1", 0), TileHandler)
    tiles = _serve(tile_server)
    template = (project / "content/site.yaml.in").read_text("utf-8")
    (project / "content/site.yaml").write_text(
        template.replace("TILE_URL", f"{tiles}/{{z}}/{{x}}/{{y}}.png"), "utf-8"
    )
    site_server = production_server(out)  # as nginx and Caddy serve it (deploy/)
    base = _serve(site_server) + "/"
    os.environ["SOURCE_DATE_EPOCH"] = "1737504000"  # 2025-01-22: hours compiled from here
    try:
        build(project, out, base_url=base)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    yield ServedSite(out, base, tiles)
    for server in (site_server, tile_server):
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), (
        f"{CHROMIUM} not found: `make test` installs Debian's chromium (apt-get install chromium)"
    )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": 412, "height": 860},
        locale="zh-CN",
        timezone_id="Europe/London",
    )
    yield context
    context.close()


# A phone as the citizen holds it: 390 x 844 CSS pixels, touch, no hover; less motion so that
# map moves finish at once under a fixed clock. Position: by Shenzhen's Civic Centre.
PHONE = {"width": 390, "height": 844}
CIVIC_CENTRE = {"longitude": 114.0600, "latitude": 22.5440, "accuracy": 25}


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        locale="zh-CN",
        timezone_id="Europe/London",
        reduced_motion="reduce",
    )
    yield context
    context.close()


def watched_page(context: BrowserContext) -> Iterator[Page]:
    """A new page that fails the test on any script error or failed request."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    # Failed loads are logged to the console too; the response lines name them.
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    yield from watched_page(context)


@pytest.fixture
def phone_page(phone: BrowserContext) -> Iterator[Page]:
    """A page on the phone that fails the test on any script error or failed request."""
    yield from watched_page(phone)
