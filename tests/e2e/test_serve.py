"""``sitegen serve``: live reload after a good rebuild, the problems of a bad one over the page."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from sitegen.serve.devserver import DevServer
from tests.conftest import TOILET_CARD, MakeSite

CARD = "content/facilities/toilet/futian-0001.yaml"
PAGE = "zh-hans/toilet/futian-0001/"
WAIT_MS = 15_000  # debounce + rebuild + reload, with room for a slow CI machine


@pytest.fixture
def dev_server(make_site: MakeSite) -> Iterator[DevServer]:
    server = DevServer(make_site(), "127.0.0.1", 0)
    server.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.close()


@pytest.fixture
def dev_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    yield page, console
    context.close()


def test_page_follows_edits_and_shows_problems(
    dev_server: DevServer, dev_page: tuple[Page, list[str]]
) -> None:
    page, console = dev_page
    card = dev_server.project_dir / CARD
    page.goto(dev_server.base_url + PAGE)
    heading = page.locator("h1")
    expect(heading).to_have_text("莲花山公园南门公厕")

    card.write_text(TOILET_CARD.replace("南门", "北门"), encoding="utf-8")
    expect(heading).to_have_text("莲花山公园北门公厕", timeout=WAIT_MS)

    card.write_text(TOILET_CARD.replace('"Mo-Su 06:00-23:00"', '"Mo-Xx 06:00-23:00"'), "utf-8")
    overlay = page.locator("#sitegen-problems")
    expect(overlay).to_contain_text(f"{CARD}:6:", timeout=WAIT_MS)
    expect(overlay).to_have_attribute("role", "alert")
    expect(heading).to_have_text("莲花山公园北门公厕")  # still the last good build

    card.write_text(TOILET_CARD.replace("南门", "东门"), encoding="utf-8")
    expect(heading).to_have_text("莲花山公园东门公厕", timeout=WAIT_MS)
    expect(overlay).to_have_count(0)
    assert console == []  # in particular, no Content Security Policy violation


def test_a_page_opened_while_broken_shows_the_problems(
    dev_server: DevServer, dev_page: tuple[Page, list[str]]
) -> None:
    page, _ = dev_page
    card = dev_server.project_dir / CARD
    card.write_text("id: futian-0001\nname: [unclosed\n", encoding="utf-8")
    assert dev_server.rebuild() is False  # no waiting for the watcher
    page.goto(dev_server.base_url + PAGE)
    expect(page.locator("#sitegen-problems")).to_contain_text(CARD)
    expect(page.locator("h1")).to_have_text("莲花山公园南门公厕")


def test_files_on_disk_stay_untouched(dev_server: DevServer) -> None:
    built = Path(dev_server.out, PAGE, "index.html").read_text("utf-8")
    assert "__sitegen" not in built


def test_no_reload_serves_pages_as_built(make_site: MakeSite, browser: Browser) -> None:
    server = DevServer(make_site(), "127.0.0.1", 0, reload=False)
    server.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        response = context.new_page().goto(server.base_url + PAGE)
        assert response is not None and response.ok
        assert "__sitegen" not in response.text()
    finally:
        context.close()
        server.close()


def test_preview_replaces_the_service_worker_with_one_that_removes_itself(
    dev_server: DevServer,
) -> None:
    # The built worker serves pages cache-first, which would hide rebuilds from the preview.
    assert Path(dev_server.out, "sw.js").is_file()
    with urllib.request.urlopen(dev_server.base_url + "sw.js") as response:
        body = response.read().decode()
    assert "registration.unregister()" in body and "precache" not in body
