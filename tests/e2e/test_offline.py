"""Offline and updates in Chromium: the service worker, its caches and the update prompt.

Each test builds its own copy of the e2e site (a rebuild must not disturb the shared one)
and serves it with a server that records the paths asked of it, so the test can tell what
the service worker downloaded. ``context.set_offline`` cuts loopback too, tiles included.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from sitegen.build.stages import build
from sitegen.serve.production import ProductionHandler, SiteFolder
from sitegen.serve.static import SiteServer  # a closed connection is no traceback

from .conftest import SITE, WEDNESDAY_MORNING, TileHandler, _serve

EPOCH = "1737504000"  # as conftest: hours compiled from 2025-01-22


@dataclass
class Deployment:
    project: Path
    out: Path
    url: str  # the site's base URL, with a trailing slash
    requests: list[str] = field(default_factory=list)  # paths asked of the site server
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        os.environ["SOURCE_DATE_EPOCH"] = EPOCH
        try:
            build(self.project, self.out, base_url=self.url)
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]

    def take_requests(self) -> list[str]:
        with self.lock:
            taken, self.requests[:] = list(self.requests), []
        return taken


Deploy = Callable[..., Deployment]  # deploy(sub_path="", prefetch=False)


def _recording_handler(deployment: Deployment) -> type[ProductionHandler]:
    """Serves the deployment as nginx and Caddy would (headers, CSP), noting each path."""

    class Recording(ProductionHandler):
        folder = SiteFolder(deployment.out)

        def answer(self, head: bool) -> None:
            with deployment.lock:
                deployment.requests.append(self.path)
            super().answer(head)

    return Recording


@pytest.fixture(scope="module")
def tiles_url() -> Iterator[str]:
    server = SiteServer(("127.0.0.1", 0), TileHandler)
    yield _serve(server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def deploy(tmp_path: Path, tiles_url: str) -> Iterator[Deploy]:
    """``deploy(sub_path="")`` builds the e2e site under that path and serves it."""
    servers: list[http.server.HTTPServer] = []

    def make(sub_path: str = "", prefetch: bool = False) -> Deployment:
        project = tmp_path / "site"
        shutil.copytree(SITE, project)
        template = (project / "content/site.yaml.in").read_text("utf-8")
        text = template.replace("TILE_URL", f"{tiles_url}/{{z}}/{{x}}/{{y}}.png")
        if prefetch:
            text = text.replace("    max_zoom: 18\n", "    max_zoom: 18\n    prefetch: true\n")
        (project / "content/site.yaml").write_text(text, "utf-8")
        root = tmp_path / "www"
        out = root / sub_path if sub_path else root
        root.mkdir()
        deployment = Deployment(project, out, "")
        server = SiteServer(("127.0.0.1", 0), _recording_handler(deployment))
        servers.append(server)
        deployment.url = _serve(server) + "/" + (sub_path + "/" if sub_path else "")
        deployment.rebuild()
        return deployment

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def wait_for_worker(page: Page) -> None:
    """Until the page is controlled: the worker activates only once its precache is complete."""
    # Functions, not expressions: the page's CSP forbids the eval behind a string predicate.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    state = page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)")
    assert state == "activated"


def cached_tiles(page: Page) -> int:
    return int(
        page.evaluate("caches.open('sitegen-tiles').then((c) => c.keys()).then((k) => k.length)")
    )


def precache_entries(out: Path, locale: str) -> dict[str, str]:
    text = (out / "sw.js").read_text("utf-8")
    found = re.search(r"^const CONFIG = (\{.*\});$", text, re.M)
    assert found
    config = json.loads(found.group(1))
    entries = config["precache"]["shared"] + config["precache"][locale]
    return {e["url"]: e["revision"] for e in entries}


def card_page_details(path: Path) -> list[tuple[str, str]]:
    """The (label, value) pairs of a name-card page's details list, as a reader sees them."""
    tree = lxml.html.fromstring(path.read_bytes())
    [dl] = tree.xpath('//section[contains(@class, "card-details")]/dl')
    labels = [" ".join(dt.text_content().split()) for dt in dl.findall("dt")]
    values = [" ".join(dd.text_content().split()) for dd in dl.findall("dd")]
    return list(zip(labels, values, strict=True))


def errors_of(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_the_app_works_offline_after_the_first_visit(
    context: BrowserContext, deploy: Deploy
) -> None:
    site = deploy()
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"longitude": 114.0600, "latitude": 22.5440})
    page = context.new_page()
    errors = errors_of(page)
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(site.url + "en/")
    wait_for_worker(page)
    # Tiles go through the worker once it controls the page: view the map once more.
    page.reload()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    shown = page.locator(".leaflet-tile-loaded").count()
    page.wait_for_function(
        "async (n) => (await (await caches.open('sitegen-tiles')).keys()).length >= n", arg=shown
    )
    # A page in another locale asks the worker (registered from en/) for its locale's files;
    # the worker lists the locale in its precache record once every one of them is cached.
    page.goto(site.url + "zh-hant/")
    page.wait_for_function(
        """async (url) => {
            const meta = await caches.match(url);
            return Boolean(meta) && (await meta.json()).locales.includes("zh-Hant");
        }""",
        arg=site.url + "__sitegen-precache-meta",
    )

    context.set_offline(True)
    page.reload()
    expect(page.locator("#results-list .result").first).to_be_visible()
    page.goto(site.url + "en/")
    expect(page.locator("#pwa-offline span")).to_be_visible()
    expect(page.locator("#results-list .result").first).to_be_visible()
    # The tiles seen before come from the tile cache.
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator("#map-notice")).to_be_hidden()

    page.get_by_role("button", name="Nearest to me", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text("Nearest to you")
    expect(page.locator("#results-list .result").first).to_contain_text("深南大道市民中心公厕")

    page.locator("#app-kinds > summary").click()
    page.get_by_role("button", name="Drinking water", exact=True).click()
    page.keyboard.press("Escape")
    expect(page.locator("#results-list")).to_contain_text("市民中心直饮水点")

    page.locator("#app-search").fill("cgm")  # pinyin initials: pinyin and fold data offline
    expect(page.locator("#results-list .result-name").first).to_contain_text("深南大道车公庙公厕")

    # A name card never visited: the worker sends it to the app, which shows the full card
    # (every attribute of the card's own page) from the saved data, and says it is offline.
    page.goto(site.url + "en/toilet/ft-lianhua-south/")
    expect(page.locator("#card-title")).to_have_text("Lianhuashan Park South Gate Toilet")
    assert "id=toilet/ft-lianhua-south" in page.url and "full=1" in page.url
    details = page.locator("#card-details")
    expect(details.locator("dl")).to_be_visible()
    expect(details.locator("[data-part=offline]")).to_have_text(
        "You are offline: these details were saved on this device at your first visit."
    )
    labels = details.locator("dt").all_inner_texts()
    shown = list(zip(labels, details.locator("dd").all_inner_texts(), strict=True))
    assert shown == card_page_details(site.out / "en/toilet/ft-lianhua-south/index.html")
    expect(details).to_contain_text("Daily 06:00–23:00")  # the hours rule
    expect(details.locator("table tr")).to_have_count(7)  # the next 7 days

    # Any other page never visited: the offline page, with the way to the app.
    page.goto(site.url + "zh-hans/guides/lianhuashan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.get_by_role("link", name="Open the map app").click()
    expect(page.locator("#results-list .result").first).to_be_visible()
    assert errors == []


def test_a_new_build_is_offered_and_fetches_only_what_changed(
    context: BrowserContext, deploy: Deploy
) -> None:
    site = deploy()
    page = context.new_page()
    errors = errors_of(page)
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(site.url + "en/")
    wait_for_worker(page)
    before = precache_entries(site.out, "en")

    cards = site.project / "content/facilities/toilets.yaml"
    text = cards.read_text("utf-8")
    cards.write_text(text.replace("Lianhuashan Park South Gate Toilet", "Lotus Hill South Toilet"))
    site.rebuild()
    after = precache_entries(site.out, "en")
    changed = {url for url, revision in after.items() if before.get(url) != revision}
    assert changed and len(changed) < len(after) / 2
    site.take_requests()

    page.reload()  # the browser checks sw.js on navigation; offline.js asks again
    prompt = page.locator("#pwa-update p")
    expect(prompt).to_be_visible(timeout=20000)
    expect(prompt).to_contain_text("A new version is available.")
    with page.expect_navigation():
        page.get_by_role("button", name="Reload", exact=True).click()
    wait_for_worker(page)
    page.locator("#app-search").fill("Lotus")
    expect(page.locator("#results-list .result-name").first).to_have_text("Lotus Hill South Toilet")

    fetched = {path.lstrip("/") for path in site.take_requests()}
    # The new worker's own scripts (sw.js and the report outbox it imports) are fetched by the
    # browser for every worker version, outside the precache.
    worker_scripts = re.compile(r"sw\.js.*|assets/js/report-outbox\.[0-9a-f]+\.js")
    fetched = {path for path in fetched if not worker_scripts.fullmatch(path)}
    assert fetched == changed
    # One generation left, the new one.
    names = page.evaluate("caches.keys()")
    assert [n for n in names if n.startswith("sitegen-precache-")] == [
        "sitegen-precache-" + re.findall(r'"build":"(\w+)"', (site.out / "sw.js").read_text())[0]
    ]
    assert errors == []


def test_the_worker_registers_on_a_sub_path(context: BrowserContext, deploy: Deploy) -> None:
    site = deploy("map")
    page = context.new_page()
    page.goto(site.url + "zh-hant/")
    wait_for_worker(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == site.url
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith(
        "/map/sw.js?locale=zh-hant"
    )
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())"
    )
    assert manifest["start_url"] == "/map/zh-hant/" and manifest["scope"] == "/map/"


def test_keep_this_area_offline(context: BrowserContext, deploy: Deploy) -> None:
    site = deploy(prefetch=True)
    page = context.new_page()
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(site.url + "en/")
    wait_for_worker(page)
    page.reload()
    keep = page.get_by_role("button", name="Keep this area offline", exact=True)
    expect(keep).to_be_visible()
    keep.click()
    expect(page.locator("#app-status")).to_contain_text("saved for offline use", timeout=20000)
    saved = cached_tiles(page)
    assert saved > page.locator(".leaflet-tile-loaded").count()
    context.set_offline(True)
    page.evaluate("document.querySelector('.leaflet-control-zoom-in').click()")
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert cached_tiles(page) == saved
