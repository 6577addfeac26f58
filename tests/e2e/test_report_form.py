"""The report form, its offline queue and "My reports" in Chromium, against a real report server.

The e2e site is built once for this module with its report endpoint pointing at the Open311
service of sitegen.reports (uvicorn in a thread, SQLite in a temporary folder), on another
loopback port than the site, so every call is a real cross-origin request with CORS and the
origin check. Counting the stored reports goes through the store, as tests/reports do.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    Route,
    expect,
)

from sitegen.build.stages import build
from sitegen.cli.main import main
from sitegen.reports.app import create_app
from sitegen.reports.records import StoredReport
from sitegen.reports.settings import ReportSettings, load_settings
from sitegen.serve.production import production_server
from sitegen.serve.static import SiteServer  # a closed connection is no traceback

from ..reports.helpers import open_store, served, stored_count
from ..reports.images import jpeg_with_gps
from .conftest import SITE, TileHandler, _serve
from .test_accessibility import AXE, axe_violations
from .test_offline import wait_for_worker

EPOCH = "1737504000"  # as conftest: hours compiled from 2025-01-22
FACILITY = "ft-lianhua-south"  # a toilet with an English name
STRINGS = Path(__file__).resolve().parents[2] / "themes/default/strings"


@dataclass
class ReportSite:
    """The built site, its static server and the report server it posts to."""

    project: Path
    url: str  # the site's base URL, with a trailing slash
    api: str  # the Open311 endpoint, with a trailing slash
    tiles: str  # origin of the tile server
    settings: ReportSettings

    def page_url(self, path: str) -> str:
        return self.url + path.lstrip("/")

    def report_url(self, locale: str = "en", facility: str | None = FACILITY) -> str:
        query = f"?facility={facility}&category=toilet" if facility else ""
        return self.page_url(f"{locale}/report/{query}")

    def count(self) -> int:
        return stored_count(self.settings)

    def stored(self, ticket: str) -> StoredReport:
        store = open_store(self.settings)
        try:
            report = store.get(ticket)
        finally:
            store.close()
        assert report is not None, ticket
        return report

    def set_status(self, ticket: str, status: str, note: str) -> None:
        """Staff's command line, on the server's SQLite file."""
        result = CliRunner().invoke(
            main,
            [
                *("reports", "set-status", ticket, status, "--note", note, "--by", "desk 7"),
                *("-C", str(self.project), "--sqlite", str(self.settings.sqlite_path)),
            ],
        )
        assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def report_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportSite]:
    root = tmp_path_factory.mktemp("report-e2e")
    project = root / "site"
    shutil.copytree(SITE, project)
    tile_server = SiteServer(("127.0.0.1", 0), TileHandler)
    tiles = _serve(tile_server)
    out = root / "public"
    site_server = production_server(out)  # as nginx and Caddy serve it (deploy/)
    site = _serve(site_server) + "/"
    # The report server's port is needed before the build (the endpoint is in the pages), the
    # project's site.yaml before the server starts (it reads the services from it).
    api_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    api_socket.bind(("127.0.0.1", 0))
    api = f"http://127.0.0.1:{api_socket.getsockname()[1]}/open311/v2/"
    template = (project / "content/site.yaml.in").read_text("utf-8")
    text = template.replace("TILE_URL", f"{tiles}/{{z}}/{{x}}/{{y}}.png")
    text = text.replace("https://reports.map.example.org/open311/v2/", api)
    assert api in text
    (project / "content/site.yaml").write_text(text, "utf-8")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(project, out, base_url=site)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    settings = load_settings(
        project,
        {
            "sqlite_path": root / "reports.sqlite3",
            "media_dir": root / "media",
            "allowed_origins": (site.rstrip("/"),),
            "submit_per_minute": 0.0,
            "read_per_minute": 0.0,
        },
        environ={},
    )
    with served(create_app(settings), api_socket):
        yield ReportSite(project, site, api, tiles, settings)
    api_socket.close()
    for httpd in (site_server, tile_server):
        httpd.shutdown()
        httpd.server_close()


# -- helpers ------------------------------------------------------------------------------


def watch(page: Page, allowed: tuple[str, ...] = ()) -> list[str]:
    """Collects page errors, console errors and failed answers (those containing an
    ``allowed`` text are expected), to be asserted empty at the end of a test."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def console(message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and not text.startswith("Failed to load resource"):
            errors.append(text)

    def response(answer: Response) -> None:
        line = f"{answer.status} {answer.url}"
        if answer.status >= 400 and not any(a in line for a in allowed):
            errors.append(line)

    page.on("console", console)
    page.on("response", response)
    return errors


def posts(page: Page, site: ReportSite) -> list[Request]:
    """The report submissions the page sends (to the endpoint's requests.json)."""
    sent: list[Request] = []
    page.on(
        "request",
        lambda r: (
            sent.append(r) if r.method == "POST" and r.url == site.api + "requests.json" else None
        ),
    )
    return sent


def strings(locale: str) -> dict[str, str]:
    data = yaml.safe_load((STRINGS / f"{locale}.yaml").read_text("utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def photo_file(tmp_path: Path) -> Path:
    """A 3000 x 2000 phone photo with GPS, camera, owner and a sideways EXIF orientation."""
    path = tmp_path / "IMG_20250122_103000.jpg"
    path.write_bytes(jpeg_with_gps((3000, 2000)))
    with Image.open(path) as image:
        assert image.getexif().get_ifd(0x8825)  # the GPS block is there to be removed
    return path


def outbox_entries(page: Page) -> list[dict[str, Any]]:
    """The reports stored on the device (IndexedDB), photos as base64 of their bytes."""
    return list(
        page.evaluate(
            """() => new Promise((resolve, reject) => {
                const open = indexedDB.open("sitegen-reports", 1);  // as report-outbox.js
                open.onupgradeneeded = () => {
                    open.result.createObjectStore("reports", {keyPath: "key"});
                };
                open.onerror = () => reject(open.error);
                open.onsuccess = () => {
                    const store = open.result.transaction("reports").objectStore("reports");
                    const request = store.getAll();
                    request.onsuccess = async () => {
                        const base64 = async (blob) => {
                            const bytes = new Uint8Array(await blob.arrayBuffer());
                            let text = "";
                            for (const byte of bytes) text += String.fromCharCode(byte);
                            return btoa(text);
                        };
                        const rows = [];
                        for (const entry of request.result) {
                            const photos = [];
                            for (const p of entry.photos) {
                                const data = await base64(p.blob);
                                photos.push({name: p.name, type: p.blob.type, data});
                            }
                            rows.push({...entry, photos});
                        }
                        open.result.close();
                        resolve(rows);
                    };
                };
            })"""
        )
    )


def fill_report(page: Page, t: dict[str, str], service: str, description: str) -> None:
    page.get_by_label(service).check()
    page.get_by_label(t["report_description"]).fill(description)


def open_form(page: Page, report_site: ReportSite) -> None:
    """The English form as opened from Lianhuashan's name card, once it knows the place."""
    page.goto(report_site.report_url("en"))
    expect(page.locator("#report-about")).to_contain_text("Lianhuashan")


def report_button(page: Page, t: dict[str, str]) -> Locator:
    return page.get_by_role("button", name=t["report_submit"], exact=True)


# Whether every report of this device's outbox (report-outbox.js) has its ticket.
ALL_SENT = """() => new Promise((resolve) => {
  const opened = indexedDB.open("sitegen-reports");
  opened.onerror = () => resolve(false);
  opened.onsuccess = () => {
    try {
      const all = opened.result.transaction("reports").objectStore("reports").getAll();
      all.onsuccess = () => resolve(all.result.every((entry) => entry.state === "sent"));
      all.onerror = () => resolve(false);
    } catch {
      resolve(false);
    } finally {
      opened.result.close();
    }
  };
})"""


def wait_for_count(site: ReportSite, count: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while site.count() != count:
        assert time.monotonic() < deadline, f"{site.count()} reports stored, not {count}"
        time.sleep(0.1)


def photos_label(t: dict[str, str]) -> str:
    return t["report_photos_label"].replace("{max}", "3")


# -- online ---------------------------------------------------------------------------------


def test_report_with_a_photo_gets_a_ticket_and_its_status_shows_in_my_reports(
    context: BrowserContext, report_site: ReportSite, tmp_path: Path
) -> None:
    t = strings("zh-Hans")
    page = context.new_page()
    errors = watch(page)
    sent = posts(page, report_site)
    page.goto(report_site.report_url("zh-hans"))
    expect(page.locator("#report-about")).to_have_text("报告地点：莲花山公园南门公厕")
    # Another language keeps the facility (in the language menu).
    page.locator(".language-menu > summary").click()
    expect(page.get_by_role("link", name="English")).to_have_attribute(
        "href", report_site.report_url("en")
    )
    page.keyboard.press("Escape")
    # Only the problems of a toilet (and those of every place) are offered.
    expect(page.get_by_label("饮水机无法使用")).to_be_hidden()
    expect(page.get_by_label("开放时间内未开放")).to_be_visible()
    fill_report(page, t, "设备故障", "冲水按钮坏了，一直在漏水。")
    page.get_by_label("冲水").check()  # the service's required question
    page.get_by_label("照明").check()
    page.get_by_label(photos_label(t)).set_input_files(photo_file(tmp_path))
    expect(page.locator("#report-photo-list img")).to_have_count(1)
    before = report_site.count()
    page.get_by_role("button", name=t["report_submit"], exact=True).click()

    expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"])
    expect(page.locator("#report-result-title")).to_be_focused()
    ticket = page.locator("#report-result-ticket strong").inner_text()
    assert report_site.count() == before + 1
    stored = report_site.stored(ticket)
    assert stored.service_code == "toilet_broken"
    assert stored.facility_id == FACILITY
    assert dict(stored.attributes) == {"what": "flush", "also": ["light"]}
    assert (stored.lat, stored.lng) == (22.5535, 114.0572)  # from the published data
    assert stored.locale == "zh-Hans" and len(stored.photos) == 1
    assert len(sent) == 1

    # The server keeps photos up to 2048 px: 1600 px is the phone's work (upright, fitted).
    with Image.open(report_site.settings.media_path / stored.photos[0]) as image:
        assert image.size == (1067, 1600)  # 3000 x 2000 turned by orientation 6, then fitted
        assert not image.getexif()

    report_site.set_status(ticket, "resolved", "已清理并修好冲水阀。")
    page.get_by_role("link", name=t["my_reports"]).first.click()
    item = page.locator(".my-report")
    expect(item).to_have_count(1)
    expect(item.locator(".ticket")).to_have_text(ticket)
    expect(item.locator(".status")).to_contain_text(t["status_closed"])
    expect(item).to_contain_text("已清理并修好冲水阀。")
    expect(item.get_by_role("link", name="莲花山公园南门公厕")).to_have_attribute(
        "href", f"/zh-hans/toilet/{FACILITY}/"
    )
    assert errors == []


# -- offline --------------------------------------------------------------------------------


def test_a_report_written_offline_waits_and_is_delivered_once(
    context: BrowserContext, report_site: ReportSite, tmp_path: Path
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page)
    page.goto(report_site.report_url("en"))
    wait_for_worker(page)
    before = report_site.count()
    context.set_offline(True)
    page.reload()  # the form, the facility's data and the map library come from the precache
    expect(page.locator("#report-about")).to_have_text("About: Lianhuashan Park South Gate Toilet")
    fill_report(page, t, "Toilet is dirty", "The floor is wet all over.")
    page.get_by_label(photos_label(t)).set_input_files(photo_file(tmp_path))
    expect(page.locator("#report-photo-list img")).to_have_count(1)
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_queued_title"])

    # Kept on the phone with its key, and the photo as it will be sent: fitted, without EXIF.
    [entry] = outbox_entries(page)
    assert entry["state"] == "queued"
    assert ["idempotency_key", entry["key"]] in entry["fields"]
    assert ["attribute[facility]", FACILITY] in entry["fields"]
    [photo] = entry["photos"]
    assert photo["type"] == "image/jpeg"
    with Image.open(io.BytesIO(base64.b64decode(photo["data"]))) as image:
        assert image.size == (1067, 1600)
        assert not image.getexif() and "exif" not in image.info

    page.get_by_role("link", name=t["my_reports"]).first.click()  # offline: from the precache
    item = page.locator(".my-report")
    expect(item).to_have_count(1)
    expect(item.locator(".state")).to_have_text(t["state_queued"])
    assert report_site.count() == before

    # Back online: Background Sync or the page's "online" event, whichever comes first.
    context.set_offline(False)
    expect(item.locator(".ticket")).to_have_count(1, timeout=20000)
    ticket = item.locator(".ticket").inner_text()
    assert report_site.count() == before + 1
    assert report_site.stored(ticket).idempotency_key == entry["key"]
    page.reload()
    expect(page.locator(".my-report .ticket")).to_have_text([ticket])
    page.wait_for_timeout(500)  # any late sender (the worker) has had its chance
    assert report_site.count() == before + 1
    assert errors == []


def test_background_sync_delivers_with_no_page_of_the_site_open(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page)
    page.goto(report_site.report_url("en"))
    wait_for_worker(page)
    before = report_site.count()
    context.set_offline(True)
    fill_report(page, t, "Toilet is dirty", "Sent by the service worker alone.")
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_queued_title"])
    tags = page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.sync.getTags())")
    assert tags == ["send-reports"]
    [entry] = outbox_entries(page)
    blank = context.new_page()  # the browser stays, no page of the site does
    page.close()
    context.set_offline(False)
    wait_for_count(report_site, before + 1)

    blank.goto(report_site.page_url("en/report/mine/"))
    expect(blank.locator(".my-report .ticket")).to_have_count(1)
    ticket = blank.locator(".my-report .ticket").inner_text()
    assert report_site.stored(ticket).idempotency_key == entry["key"]
    assert report_site.count() == before + 1
    assert errors == []


def test_without_a_service_worker_pages_deliver_waiting_reports(
    browser: Browser, report_site: ReportSite
) -> None:
    """The fallback where there is no Background Sync: the next visit, and the "online" event."""
    t = strings("en")
    context = browser.new_context(service_workers="block", viewport={"width": 412, "height": 860})
    try:
        page = context.new_page()
        errors = watch(page)
        before = report_site.count()
        open_form(page, report_site)
        assert page.evaluate("() => navigator.serviceWorker.getRegistration()") is None
        context.set_offline(True)
        fill_report(page, t, "Toilet is dirty", "Written offline, tab closed before going online.")
        report_button(page, t).click()
        expect(page.locator("#report-result-title")).to_have_text(t["report_queued_title"])
        page.close()
        context.set_offline(False)
        assert report_site.count() == before

        # The next visit to any page of the site sends it.
        page = context.new_page()
        errors += watch(page)
        page.goto(report_site.page_url("en/toilet/"))
        wait_for_count(report_site, before + 1)
        # The server has it; the page keeps the ticket when the answer comes. Leaving before
        # that leaves the report claimed, sent again (and matched) once the claim lapses.
        page.wait_for_function(ALL_SENT, polling=100)

        # A report queued while the page stays open goes out on the "online" event.
        open_form(page, report_site)
        context.set_offline(True)
        fill_report(page, t, "Closed during opening hours", "Locked at noon.")
        report_button(page, t).click()
        expect(page.locator("#report-result-title")).to_have_text(t["report_queued_title"])
        context.set_offline(False)
        expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"])
        ticket = page.locator("#report-result-ticket strong").inner_text()
        assert report_site.count() == before + 2
        assert report_site.stored(ticket).service_code == "facility_closed"

        page.goto(report_site.page_url("en/report/mine/"))
        expect(page.locator(".my-report .ticket")).to_have_count(2)
        expect(page.locator(".my-report .state")).to_have_count(0)  # nothing waits
        assert report_site.count() == before + 2
        assert errors == []
    finally:
        context.close()


def test_a_lost_answer_is_retried_with_the_same_key_and_stored_once(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page)
    answers: list[int] = []

    def lose_first_answer(route: Route) -> None:
        if answers:
            route.continue_()
            return
        answer = route.fetch()  # the report reaches the server and is stored ...
        answers.append(answer.status)
        route.abort("connectionreset")  # ... but the phone never hears back

    page.route(report_site.api + "requests.json", lose_first_answer)
    open_form(page, report_site)
    before = report_site.count()
    fill_report(page, t, "Toilet is dirty", "The answer to this one gets lost.")
    report_button(page, t).click()
    # Waiting, unless the service worker's Background Sync (which the page's route does not
    # see) has already sent it again.
    titles = "|".join(re.escape(t[key]) for key in ("report_queued_title", "report_sent_title"))
    expect(page.locator("#report-result-title")).to_have_text(re.compile(f"^({titles})$"))
    assert answers == [201]
    [entry] = outbox_entries(page)

    # Sent again with the same key (by the next page, or by the worker): the first ticket.
    page.get_by_role("link", name=t["my_reports"]).first.click()
    expect(page.locator(".my-report .ticket")).to_have_count(1)
    ticket = page.locator(".my-report .ticket").inner_text()
    stored = report_site.stored(ticket)
    assert stored.idempotency_key == entry["key"]
    assert report_site.count() == before + 1
    assert errors == []


def test_a_temporary_refusal_is_retried_after_the_time_the_server_asks(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page, allowed=("503 " + report_site.api,))
    refusals: list[str] = []
    origin = report_site.url.rstrip("/")

    def busy_once(route: Route) -> None:
        if refusals:
            route.continue_()
            return
        refusals.append(route.request.url)
        route.fulfill(
            status=503,
            headers={
                "Retry-After": "1",
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Expose-Headers": "Retry-After, Idempotent-Replayed",
            },
            content_type="application/json",
            body=json.dumps(
                [{"code": 503, "description": "the report could not be stored just now"}]
            ),
        )

    page.route(report_site.api + "requests.json", busy_once)
    open_form(page, report_site)
    before = report_site.count()
    fill_report(page, t, "Toilet is dirty", "The server is busy the first time.")
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_queued_title"])
    # No action of the citizen: the page tries again a second later and shows the ticket.
    expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"], timeout=10000)
    assert len(refusals) == 1
    assert report_site.count() == before + 1
    assert errors == []


# -- problems -------------------------------------------------------------------------------


def test_problems_are_told_before_anything_is_sent(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page)
    sent = posts(page, report_site)
    page.goto(report_site.report_url("en", facility=None))
    expect(page.locator("#report-map .leaflet-tile-loaded").first).to_be_visible()
    report_button(page, t).click()

    summary = page.locator("#report-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator("li")).to_have_text(
        [t["error_service"], t["error_description"], t["error_place"]]
    )
    description = page.get_by_label(t["report_description"])
    expect(description).to_have_attribute("aria-invalid", "true")
    left = t["report_chars_left"].replace("{count}", "4000")
    expect(description).to_have_accessible_description(
        f"{t['report_description_hint']} {left} {t['error_description']}"
    )
    summary.get_by_role("link", name=t["error_description"]).press("Enter")
    expect(description).to_be_focused()

    # A required question left out, a description past the limit (set by script, past
    # maxlength), and a place given as a pin on the map.
    page.get_by_label("Something is broken").check()
    expect(page.get_by_role("group", name="What is broken? (required)")).to_be_visible()
    description.evaluate(
        "(e) => { e.value = 'x'.repeat(4001); e.dispatchEvent(new Event('input')); }"
    )
    expect(page.locator("#report-description-count")).to_have_text("-1 characters left.")
    page.locator("#report-map").click()
    expect(page.locator("#report-place-status")).to_contain_text("Pin at 22.5")
    report_button(page, t).click()
    expect(summary.locator("li")).to_have_text(
        [
            t["error_attribute"].replace("{question}", "What is broken?"),
            t["error_description_long"].replace("{max}", "4000"),
        ]
    )
    expect(page.locator("#error-attribute-what")).to_be_visible()
    assert sent == []
    assert outbox_entries(page) == []
    assert errors == []


def test_refusals_of_the_server_are_shown_at_their_controls(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page, allowed=("400 " + report_site.api,))
    open_form(page, report_site)
    before = report_site.count()
    fill_report(page, t, "Toilet is dirty", "Dirty, and my address is odd.")
    email = page.get_by_label(t["report_contact"])
    email.fill("citizen@localhost")  # an address to the browser, not to the server
    report_button(page, t).click()

    summary = page.locator("#report-errors")
    expect(summary).to_be_focused()
    expect(page.locator("#report-errors-lead")).to_have_text(t["report_server_refused"])
    expect(summary.locator("li")).to_have_text(["email is not an email address"])
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("email is not an email address")
    assert report_site.count() == before
    assert outbox_entries(page) == []  # nothing kept: the citizen corrects it here

    email.fill("citizen@example.org")
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"])
    assert report_site.count() == before + 1
    assert errors == []


def test_a_foreign_jurisdiction_is_refused_and_told(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    # The page's config names another jurisdiction: changed once the page is parsed, before
    # the modules run (a page changed by the test's proxy would lose its loopback address
    # space, and Chromium would then refuse its requests to the loopback report server).
    context.add_init_script(
        """document.addEventListener("readystatechange", () => {
            const config = document.getElementById("report-config");
            if (document.readyState === "interactive" && config) {
                config.textContent = config.textContent.replace('"sz-test"', '"hk-test"');
            }
        });"""
    )
    page = context.new_page()
    errors = watch(page, allowed=("404 " + report_site.api,))
    open_form(page, report_site)
    before = report_site.count()
    fill_report(page, t, "Toilet is dirty", "Sent to the wrong city.")
    report_button(page, t).click()
    expect(page.locator("#report-errors li")).to_have_text(['unknown jurisdiction_id "hk-test"'])
    expect(page.locator("#report-errors")).to_be_focused()
    expect(page.locator("#report-errors-lead")).to_have_text(t["report_server_refused"])
    assert report_site.count() == before
    assert outbox_entries(page) == []
    assert errors == []


def test_a_waiting_report_the_server_refuses_comes_back_to_be_corrected(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("en")
    page = context.new_page()
    errors = watch(page, allowed=("400 " + report_site.api,))
    open_form(page, report_site)
    before = report_site.count()
    context.set_offline(True)
    fill_report(page, t, "Toilet is dirty", "Queued with an address the server refuses.")
    page.get_by_label(t["report_contact"]).fill("citizen@localhost")
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_queued_title"])
    context.set_offline(False)

    # Refused once online: the form is back, filled in, with the server's message at the email.
    expect(page.locator("#error-email")).to_have_text("email is not an email address")
    expect(page.locator("#report-edit-note")).to_have_text(t["report_edit_note"])
    expect(page.get_by_label(t["report_description"])).to_have_value(
        "Queued with an address the server refuses."
    )
    page.goto(report_site.page_url("en/report/mine/"))
    item = page.locator(".my-report")
    expect(item.locator(".state")).to_have_text(t["state_failed"])
    expect(item.locator(".reasons")).to_have_text("email is not an email address")
    item.get_by_role("link", name=t["mine_edit"]).click()
    expect(page.locator("#report-edit-note")).to_be_visible()  # filled in from the device
    expect(page.locator("#error-email")).to_have_text("email is not an email address")
    page.get_by_label(t["report_contact"]).fill("citizen@example.org")
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"])
    page.goto(report_site.page_url("en/report/mine/"))
    expect(page.locator(".my-report")).to_have_count(1)  # the corrected one replaced it
    expect(page.locator(".my-report .ticket")).to_have_count(1)
    assert report_site.count() == before + 1

    # "Forget on this device" removes it here; the city keeps it.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=t["mine_forget"]).click()
    expect(page.locator("#mine-empty")).to_be_visible()
    assert outbox_entries(page) == []
    assert report_site.count() == before + 1
    assert errors == []


# -- languages, narrow screens, no map ------------------------------------------------------


def test_every_locale_has_the_form_in_its_own_words_on_a_narrow_screen(
    context: BrowserContext, report_site: ReportSite
) -> None:
    page = context.new_page()
    errors = watch(page)
    page.set_viewport_size({"width": 320, "height": 800})
    for locale, service in (
        ("zh-Hans", "设备故障"),
        ("zh-Hant", "設備故障"),
        ("en", "Something is broken"),
    ):
        t = strings(locale)
        page.goto(report_site.report_url(locale.lower()))
        expect(page.locator("html")).to_have_attribute("lang", locale)
        expect(page.locator("h1")).to_have_text(t["report_title"])
        expect(
            page.get_by_role("group", name=f"{t['report_service_legend']} {t['report_required']}")
        ).to_be_visible()
        expect(page.get_by_label(service)).to_be_visible()
        expect(page.get_by_label(t["report_description"])).to_be_visible()
        expect(page.get_by_label(photos_label(t))).to_be_visible()
        expect(page.get_by_role("button", name=t["report_use_location"])).to_be_visible()
        expect(page.get_by_label(t["report_address"])).to_be_visible()
        expect(page.get_by_label(t["report_contact"])).to_be_visible()
        expect(report_button(page, t)).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        page.goto(report_site.page_url(f"{locale.lower()}/report/mine/"))
        expect(page.locator("h1")).to_have_text(t["my_reports"])
        expect(page.locator("#mine-empty")).to_have_text(t["my_reports_empty"])
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert errors == []


@pytest.mark.parametrize("blocked", ["leaflet", "tiles"])
def test_without_the_map_the_phones_location_places_the_report(
    context: BrowserContext, report_site: ReportSite, blocked: str
) -> None:
    t = strings("en")
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 22.5431, "longitude": 114.0579, "accuracy": 12})
    page = context.new_page()
    errors = watch(page)
    if blocked == "leaflet":
        page.route("**/leaflet-src.esm.js", lambda route: route.abort())
    else:
        page.route(f"{report_site.tiles}/**", lambda route: route.abort())
    page.goto(report_site.report_url("en", facility=None))
    expect(page.locator("#report-map-notice")).to_have_text(t["report_map_unavailable"])
    expect(page.locator("#report-map-shell")).to_be_hidden()
    fill_report(page, t, "Information on the map is wrong", "The toilet here is gone.")
    page.get_by_role("button", name=t["report_use_location"]).click()
    expect(page.locator("#report-place-status")).to_have_text(
        t["report_location_found"].replace("{m}", "12")
    )
    report_button(page, t).click()
    expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"])
    stored = report_site.stored(page.locator("#report-result-ticket strong").inner_text())
    assert (stored.lat, stored.lng, stored.facility_id) == (22.5431, 114.0579, None)
    assert errors == []


def test_refused_location_access_is_explained(
    context: BrowserContext, report_site: ReportSite
) -> None:
    t = strings("zh-Hant")
    page = context.new_page()  # no permission granted: headless Chromium refuses
    errors = watch(page)
    page.goto(report_site.report_url("zh-hant", facility=None))
    page.get_by_role("button", name=t["report_use_location"]).click()
    expect(page.locator("#report-place-status")).to_have_text(t["report_location_denied"])
    assert errors == []


def test_my_reports_in_every_state_has_no_axe_violations(
    browser: Browser, report_site: ReportSite
) -> None:
    t = strings("en")
    # axe is injected as a script of its own, which the site's CSP rightly refuses.
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    context.add_init_script(path=str(AXE))
    try:
        page = context.new_page()
        errors = watch(page)
        open_form(page, report_site)
        fill_report(page, t, "Toilet is dirty", "Delivered, then looked up.")
        report_button(page, t).click()
        expect(page.locator("#report-result-title")).to_have_text(t["report_sent_title"])
        # One report being sent (by another tab, say) and one the server refused.
        page.evaluate(
            """async (endpoint) => {
                const outbox = globalThis.sitegenOutbox;
                const store = outbox.idbStore();
                const now = Date.now();
                const fields = [["service_code", "toilet_dirty"], ["description", "x"]];
                const summary = {serviceName: "Toilet is dirty", address: "Civic Square"};
                const entry = (key) => outbox.newEntry({key, endpoint, fields, summary, now});
                await store.put({...entry("sending"), state: "sending", leaseUntil: now + 600000});
                const errors = [{code: 400, description: "email is not an email address"}];
                const error = {status: 400, errors};
                await store.put({...entry("refused"), state: "failed", error});
            }""",
            report_site.api,
        )
        page.goto(report_site.page_url("en/report/mine/"))
        expect(page.locator(".my-report")).to_have_count(3)
        expect(page.locator(".my-report .status")).to_contain_text(t["status_open"])
        expect(page.locator(".my-report .state")).to_have_count(2)
        states = sorted(page.locator(".my-report .state").all_inner_texts())
        assert states == sorted([t["state_sending"], t["state_failed"]])
        assert axe_violations(page) == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        assert errors == []
    finally:
        context.close()


def test_without_javascript_the_forms_post_to_the_endpoint(
    browser: Browser, report_site: ReportSite
) -> None:
    t = strings("en")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        before = report_site.count()
        # The name card's short form carries the facility.
        page.goto(report_site.page_url(f"en/toilet/{FACILITY}/"))
        page.get_by_text(t["report_quick"]).click()
        page.get_by_label(t["report_service_legend"]).select_option("toilet_dirty")
        page.get_by_label(t["report_description"]).fill("Sent without JavaScript.")
        with page.expect_navigation():
            page.get_by_role("button", name=t["report_submit"], exact=True).click()
        [answer] = json.loads(page.locator("body").inner_text())
        stored = report_site.stored(answer["service_request_id"])
        assert (stored.facility_id, stored.service_code) == (FACILITY, "toilet_dirty")

        # The full form: the place is the address typed in.
        page.goto(report_site.report_url("en", facility=None))
        page.get_by_label("Information on the map is wrong").check()
        page.get_by_label(t["report_description"]).fill("No such toilet here.")
        page.get_by_label(t["report_address"]).fill("Civic Square, north side")
        with page.expect_navigation():
            report_button(page, t).click()
        [answer] = json.loads(page.locator("body").inner_text())
        stored = report_site.stored(answer["service_request_id"])
        assert (stored.address, stored.locale) == ("Civic Square, north side", "en")
        assert report_site.count() == before + 2
    finally:
        context.close()
