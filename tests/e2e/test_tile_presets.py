"""A Tianditu preset in the browser: base map and annotation drawn together, from t0–t7 with
the site's key, allowed by the page's and the server's CSP.

Tiles cannot come from the internet here: every request to *.tianditu.gov.cn is answered by
a stand-in on loopback that checks it is a proper WMTS GetTile call (the browser never
resolves the name; anything else off loopback is refused).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, Route

from sitegen.build.stages import build
from sitegen.serve.production import production_server
from sitegen.serve.static import SiteServer  # a closed connection is no traceback

from .conftest import SITE, PngHandler, _serve, tile_png

KEY = "0a1b2c3d4e5f"
TIANDITU = re.compile(r"^https://t([0-7])\.tianditu\.gov\.cn/(vec|cva)_w/wmts\?")


def annotation_png(z: int, x: int, y: int) -> bytes:
    """A transparent tile with a label in one corner, as an annotation layer is."""
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((140, 230), f"cva {z}/{x}/{y}", fill=(200, 30, 30, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class TiandituStandIn(PngHandler):
    """Answers ``/vec_w/wmts?...`` and ``/cva_w/wmts?...`` GetTile calls with the right key."""

    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        layer = parts.path.removesuffix("_w/wmts").strip("/")
        fixed = {"SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "STYLE": "default"}
        good = (
            layer in ("vec", "cva")
            and query.get("LAYER") == layer
            and all(query.get(k) == v for k, v in fixed.items())
            and query.get("TILEMATRIXSET") == "w"
            and query.get("tk") == KEY
            and all(query.get(k, "").isdigit() for k in ("TILEMATRIX", "TILEROW", "TILECOL"))
        )
        if not good:
            self.send_error(400)
            return
        self.seen.append({"layer": layer, **query})
        z, row, col = (int(query[k]) for k in ("TILEMATRIX", "TILEROW", "TILECOL"))
        self.send_png(tile_png(z, col, row) if layer == "vec" else annotation_png(z, col, row))


@dataclass
class PresetSite:
    url: str
    stand_in: str
    subdomains: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def tianditu_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PresetSite]:
    project = tmp_path_factory.mktemp("tianditu") / "site"
    shutil.copytree(SITE, project)
    template = (project / "content/site.yaml.in").read_text("utf-8")
    head, rest = template.split("tiles:\n", 1)
    tiles = f"tiles:\n  - preset: tianditu\n    key: {KEY}\n"
    (project / "content/site.yaml").write_text(head + tiles + "report:" + rest.split("report:")[1])
    stand_in = SiteServer(("127.0.0.1", 0), TiandituStandIn)
    out = project / "public"
    site_server = production_server(out)  # with the headers of _headers, CSP among them
    url = _serve(site_server) + "/"
    os.environ["SOURCE_DATE_EPOCH"] = "1737504000"
    try:
        build(project, out, base_url=url)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    yield PresetSite(url, _serve(stand_in))
    for server in (site_server, stand_in):
        server.shutdown()
        server.server_close()


@pytest.fixture
def tianditu_page(browser: Browser, tianditu_site: PresetSite) -> Iterator[Page]:
    """A phone's page whose every request off loopback goes to the stand-in or nowhere.

    Service workers are blocked here: a worker's own fetches would not pass through the
    routes below, and these tiles must never be asked of the real host.
    """
    site = tianditu_site
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", service_workers="block"
    )

    def answer(route: Route) -> None:
        url = route.request.url
        match = TIANDITU.match(url)
        if match:
            site.subdomains.add(match[1])
            stand_in = site.stand_in + url.split(".tianditu.gov.cn", 1)[1]
            route.fulfill(response=context.request.get(stand_in))
        elif url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", answer)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    # What the page met while the test ran: once the routes are gone, a tile still in
    # flight goes to the (unreachable) real host and fails, which is no fault of the page.
    met = list(errors)
    # Tiles still in flight must not be answered from a context being closed.
    context.unroute_all(behavior="ignoreErrors")
    context.close()
    assert met == []  # a CSP violation, a tile refused by the stand-in, a script error


def test_tianditu_base_and_annotation_tiles_render_together(
    tianditu_page: Page, tianditu_site: PresetSite, tmp_path: Path
) -> None:
    page = tianditu_page
    TiandituStandIn.seen.clear()
    response = page.goto(tianditu_site.url + "zh-hans/")
    assert response is not None
    # The server's CSP (a header) lists every subdomain; the page's <meta> says the same.
    csp = response.headers["content-security-policy"]
    img_src = csp.split("img-src ")[1].split(";")[0].split()
    assert [s for s in img_src if "tianditu" in s] == [
        f"https://t{n}.tianditu.gov.cn" for n in range(8)
    ]
    base = page.locator(
        ".leaflet-tile-pane > .leaflet-layer:not(.tile-overlay) img.leaflet-tile-loaded"
    )
    overlay = page.locator(
        ".leaflet-tile-pane > .leaflet-layer.tile-overlay img.leaflet-tile-loaded"
    )
    base.first.wait_for()
    overlay.first.wait_for()
    # A function, not an expression: Playwright evaluates a bare expression with eval(),
    # which the site's CSP (no 'unsafe-eval') rightly refuses.
    page.wait_for_function(
        "() => document.querySelectorAll('.tile-overlay img.leaflet-tile-loaded').length >= 4"
    )
    sizes = overlay.evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes and all(size == [256, 256] for size in sizes)
    # The annotation is drawn above the base map.
    z = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-tile-pane > .leaflet-layer')]"
        ".map(l => [l.classList.contains('tile-overlay'), Number(getComputedStyle(l).zIndex)])"
    )
    assert sorted(z) == [[False, 1], [True, 2]]
    layers = {seen["layer"] for seen in TiandituStandIn.seen}
    assert layers == {"vec", "cva"}
    assert len(tianditu_site.subdomains) > 1  # spread over t0–t7, as Leaflet does
    zooms = {seen["TILEMATRIX"] for seen in TiandituStandIn.seen}
    assert zooms == {"14"}  # the site's zoom
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "天地图" in attribution
    page.screenshot(path=str(tmp_path / "tianditu.png"))
