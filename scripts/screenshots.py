"""Screenshots of the citizen's phone flows on the demo, for docs/screenshots/ and README.md.

Run by hand after a change to the theme (it takes a few minutes: it builds the whole demo):

    .venv/bin/python scripts/screenshots.py [--reuse DIR] [--out docs/screenshots]

The demo is built as benchmarks/lighthouse.py builds it (tiles drawn on loopback, since map
tiles cannot be fetched here; the site served as a CDN serves it), with the date pinned, and
shown in Debian's Chromium as a 390 x 844 phone with touch, a fixed clock (a Wednesday at
10:30 in Taipei and Hong Kong) and a fixed position, so that a second run makes the same
pictures unless the theme or the data changed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from lighthouse import CHROMIUM, CdnHandler, TileHandler, build_demo, serve  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
BUILD_DAY = "1737504000"  # 2025-01-22, a Wednesday: the hours are compiled from this day
CLOCK = "2025-01-22T02:30:00Z"  # 10:30 in Taipei and Hong Kong
TAIPEI_MAIN_STATION = {"longitude": 121.5170, "latitude": 25.0478, "accuracy": 30}
HK_CENTRAL = {"longitude": 114.1588, "latitude": 22.2819, "accuracy": 30}
PHONE = {"width": 390, "height": 844}


class QuietServer(http.server.ThreadingHTTPServer):
    """A server that says nothing when the browser drops a request it no longer needs."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def phone_page(browser: Browser, locale: str, position: dict[str, float], dark: bool) -> Page:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        has_touch=True,
        is_mobile=True,
        locale=locale,
        timezone_id="Asia/Taipei",
        reduced_motion="reduce",
        color_scheme="dark" if dark else "light",
    )
    context.grant_permissions(["geolocation"])
    context.set_geolocation(position)
    page = context.new_page()
    page.clock.set_fixed_time(CLOCK)
    return page


def settle(page: Page, shown: str = "#results-list .result") -> None:
    """Waits until ``shown`` (the rows, or the card), the map and its tiles are drawn."""
    expect(page.locator(shown).first).to_be_visible()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def home_near_you(page: Page, base: str) -> None:
    page.goto(base + "zh-hant/")
    settle(page)


def nearest_open_now(page: Page, base: str) -> None:
    page.goto(base + "zh-hant/")
    settle(page)
    page.locator("#app-open").click()
    page.locator("#app-nearest").click()
    settle(page)


def search_every_kind(page: Page, base: str) -> None:
    page.goto(base + "zh-hans/")
    settle(page)
    page.locator("#app-search").fill("zhongshan")  # pinyin, on a Simplified page
    page.locator("#app-search").press("Enter")  # searches at once, puts the keyboard away
    expect(page.locator("#results-heading")).not_to_have_text("离你最近")
    settle(page)


def card_in_sheet(page: Page, base: str) -> None:
    page.goto(base + "en/")
    settle(page)
    page.locator("#results-list .result").first.click()
    settle(page, "#card")


def full_card(page: Page, base: str) -> None:
    card_in_sheet(page, base)
    page.locator("#card [data-part=more]").click()
    expect(page.locator("#card-details dl")).to_be_visible()
    page.locator("#sheet-grip").press("End")
    page.wait_for_timeout(300)


def guide(page: Page, base: str) -> None:
    page.goto(base + "en/guides/parks-hong-kong-visitors/")
    page.wait_for_load_state("networkidle")


# name -> (what it shows, locale, position, dark, steps)
Flow = tuple[str, str, dict[str, float], bool, Callable[[Page, str], None]]
FLOWS: dict[str, Flow] = {
    "01-near-you": ("Opened near Taipei Main Station", "zh-TW", TAIPEI_MAIN_STATION, False,
                    home_near_you),
    "02-nearest-open-now": ("Nearest, open now, in Central, Hong Kong", "zh-TW", HK_CENTRAL,
                            False, nearest_open_now),
    "03-search": ("Pinyin search across kinds, with distances", "zh-CN", TAIPEI_MAIN_STATION,
                  False, search_every_kind),
    "04-card": ("The name card in the sheet (English, pinyin of the name)", "en",
                HK_CENTRAL, False, card_in_sheet),
    "05-full-card": ("Every attribute of the card", "en", HK_CENTRAL, False, full_card),
    "06-dark": ("Dark mode", "zh-TW", HK_CENTRAL, True, nearest_open_now),
    "07-guide": ("A guide for visitors from Hong Kong", "en", HK_CENTRAL, False, guide),
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", type=Path, help="keep the build in DIR and reuse it")
    parser.add_argument("--out", type=Path, default=REPO / "docs/screenshots")
    parser.add_argument("--only", help="comma-separated flow names (default: all)")
    args = parser.parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="sitegen-screenshots-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "public"
    port_file = work / "ports"  # a reused build is served on the ports it was built for
    reused = (out / "index.html").is_file() and port_file.is_file()
    site_port, tile_port = map(int, port_file.read_text().split()) if reused else (0, 0)
    tile_server = QuietServer(("127.0.0.1", tile_port), TileHandler)
    tiles = serve(tile_server) + "/{z}/{x}/{y}{r}.png"
    handler = functools.partial(CdnHandler, directory=str(out))
    site_server = QuietServer(("127.0.0.1", site_port), handler)
    base = serve(site_server) + "/"
    port_file.write_text(f"{site_server.server_address[1]} {tile_server.server_address[1]}")
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        if not reused:
            os.environ["SOURCE_DATE_EPOCH"] = BUILD_DAY
            build_demo(work, tiles, base)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            wanted = args.only.split(",") if args.only else list(FLOWS)
            for name in wanted:
                title, locale, position, dark, steps = FLOWS[name]
                page = phone_page(browser, locale, position, dark)
                steps(page, base)
                page.screenshot(path=args.out / f"{name}.png")
                page.context.close()
                print(f"{name}.png: {title}", flush=True)
            browser.close()
    finally:
        for server in (site_server, tile_server):
            server.shutdown()
            server.server_close()
        if not args.reuse:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
