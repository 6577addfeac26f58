"""The map app on the home page, on a phone in Chromium: kinds, open now, filters, search, cards,
the URL. (The flows the citizen issue names are in test_phone_flows.py.)"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Request, Route, expect

from .conftest import CIVIC_CENTRE, WEDNESDAY_MORNING, ServedSite, TileHandler

LIANHUA = (114.0572, 22.5535)  # ft-lianhua-south, "Lianhuashan Park South Gate Toilet"


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def result_names(page: Page) -> list[str]:
    return page.locator("#results-list .result-name").all_inner_texts()


def open_home(page: Page, served_site: ServedSite, path: str = "en/") -> None:
    page.clock.set_fixed_time(WEDNESDAY_MORNING)  # 10:30 in Shanghai, whatever the phone's zone
    page.goto(served_site.page_url(path))
    expect(page.locator("#results-list .result").first).to_be_visible()


def choose_kind(page: Page, name: str) -> None:
    """Turns a kind of place on or off in the kinds menu, and closes the menu."""
    page.locator("#app-kinds > summary").click()
    page.locator("#app-chips").get_by_role("button", name=name, exact=True).click()
    page.keyboard.press("Escape")
    expect(page.locator("#app-kinds")).not_to_have_attribute("open", "")


def test_markers_and_tiles_load(phone_page: Page, served_site: ServedSite) -> None:
    open_home(phone_page, served_site)
    expect(phone_page.locator(".leaflet-tile-loaded").first).to_be_attached()
    # The clusters and places are drawn on a canvas; the listed results are pins of their own.
    expect(phone_page.locator("#map canvas.cluster-canvas")).to_be_visible()
    expect(phone_page.locator("#map")).not_to_have_attribute("data-markers", "0")
    expect(phone_page.locator("#map [data-category='toilet']").first).to_be_visible()
    expect(phone_page.locator("#map-notice")).to_be_hidden()


def test_the_first_tiles_show_before_leaflet_where_it_then_draws_them(
    phone: BrowserContext, served_site: ServedSite
) -> None:
    leaflet: list[Route] = []  # Leaflet's module held back until the preview is looked at
    phone.route(re.compile(r"/leaflet-src\.esm\.js$"), lambda route: leaflet.append(route))
    page = phone.new_page()
    TileHandler.served.clear()
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/"), wait_until="commit")
    preview = page.locator("#map .map-preview img")
    expect(preview.first).to_be_attached()
    count = int(page.locator("#map").get_attribute("data-preview-tiles") or 0)
    expect(preview).to_have_count(count)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#map .map-preview img')].every((i) => i.complete)"
    )
    shown = preview.evaluate_all(PLACES)
    assert count >= 4 and page.locator(".leaflet-container").count() == 0
    while not leaflet:
        page.wait_for_timeout(50)
    leaflet[0].continue_()
    drawn = page.locator("#map img.leaflet-tile")
    expect(drawn).to_have_count(count)
    expect(page.locator("#map .map-preview")).to_have_count(0)
    # Leaflet's tiles have the addresses and places of the preview's, and came from the page's
    # image cache: each tile was asked of the tile server once.
    assert sorted(drawn.evaluate_all(PLACES)) == sorted(shown)
    assert sorted(TileHandler.served) == sorted({path for path, *_ in shown})
    page.close()


# What the app asks for first: its entry module and the list's data.
APP_FIRST = re.compile(r"/assets/js/app\.[0-9a-f]{10}\.js$|/data/(hours|points/|text/)")


FIRST_TILES = """images => {
  // The tiles wholly in the map, else the one nearest its centre (the preview's first).
  const map = document.getElementById("map").getBoundingClientRect();
  const whole = images.filter((image) => {
    const box = image.getBoundingClientRect();
    return box.left >= map.left && box.top >= map.top && box.right <= map.right
      && box.bottom <= map.bottom;
  });
  return (whole.length ? whole : images.slice(0, 1)).map((image) => new URL(image.src).pathname);
}"""


def test_the_app_and_the_lists_data_are_asked_for_once_the_first_tiles_are_in(
    phone_page: Page, served_site: ServedSite
) -> None:
    # On a slow link the tiles wholly on the screen (the largest paint) share the line with
    # nothing: the other tiles, the app's modules and the list's data are asked for after them.
    events: list[tuple[str, str]] = []

    def asked(request: Request) -> None:
        path = urlsplit(request.url).path
        if request.url.startswith(served_site.tiles):
            events.append(("ask", path))
        elif APP_FIRST.search(path):
            events.append(("app", path))

    def done(request: Request) -> None:
        if request.url.startswith(served_site.tiles):
            events.append(("done", urlsplit(request.url).path))

    phone_page.on("request", asked)
    phone_page.on("requestfinished", done)
    leaflet: list[Route] = []  # held back, so that the preview stays to be measured
    phone_page.route(re.compile(r"/leaflet-src\.esm\.js$"), lambda route: leaflet.append(route))
    open_home(phone_page, served_site)
    count = int(phone_page.locator("#map").get_attribute("data-preview-tiles") or 0)
    first = phone_page.locator("#map .map-preview img").evaluate_all(FIRST_TILES)
    tiles = [path for kind, path in events if kind == "ask"]
    assert count >= 4 and 1 <= len(first) < count and len(tiles) == count
    # The first tiles are asked for first, and are in before anything else is asked for.
    assert sorted(tiles[: len(first)]) == sorted(first)
    next_ask = events.index(("ask", tiles[len(first)]))
    first_app = next(n for n, (kind, _) in enumerate(events) if kind == "app")
    for path in first:
        assert events.index(("done", path)) < min(next_ask, first_app)
    for route in leaflet:
        route.continue_()
    expect(phone_page.locator(".leaflet-container")).to_be_attached()


def test_the_app_starts_when_the_first_tiles_do_not_come(
    phone: BrowserContext, served_site: ServedSite
) -> None:
    held: list[Route] = []  # a tile server that never answers
    phone.route(f"{served_site.tiles}/**", lambda route: held.append(route))
    page = phone.new_page()
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/"), wait_until="domcontentloaded")  # "load" waits for images
    # The list, its data and the search are there after the app's second of waiting.
    expect(page.locator("#results-list .result").first).to_be_visible()
    count = int(page.locator("#map").get_attribute("data-preview-tiles") or 0)
    assert count >= 4 and len(held) >= count
    assert page.locator("#map .map-preview img").evaluate_all(
        "images => images.every((image) => !image.complete)"
    )
    for route in held:
        route.abort()
    page.close()


# How many times the app has made the list (list.js replaces its rows).
COUNT_LISTS = """window.listsMade = 0;
new MutationObserver((records) => {
  const made = (r) => r.target.id === "results-list"
    && [...r.addedNodes].some((n) => n.matches?.(".result, :has(.result)"));
  if (records.some(made)) window.listsMade += 1;
}).observe(document, { childList: true, subtree: true });"""


def test_the_first_list_is_made_once(phone: BrowserContext, served_site: ServedSite) -> None:
    # It is near the centre of what the map will show, worked out before Leaflet is in
    # (tile-warmup.js visibleCentre): the map's arrival does not make it again.
    page = phone.new_page()
    page.add_init_script(COUNT_LISTS)
    open_home(page, served_site)
    expect(page.locator("#map")).not_to_have_attribute("data-markers", "0")  # the map is up
    page.wait_for_timeout(300)  # past its first paint, where it would have made the list again
    assert page.evaluate("window.listsMade") == 1
    # Moving the map still brings the list along.
    first = page.locator("#results-list .result").first.inner_text()
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 200, box["y"] + 150)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] + 60, steps=8)
    page.mouse.up()
    expect(page.locator("#results-list .result").first).not_to_have_text(first)
    page.close()


def test_the_app_starts_when_the_preview_fails(
    phone: BrowserContext, served_site: ServedSite
) -> None:
    # The preview is the page's one script: whatever goes wrong in it, the app still starts.
    page = phone.new_page()
    page.add_init_script("HTMLImageElement.prototype.decode = () => { throw new Error('no'); };")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/"), wait_until="domcontentloaded")
    expect(page.locator("#results-list .result").first).to_be_visible()
    assert any("no" in text for text in errors)  # the failure is told, not hidden
    page.close()


PLACES = """images => images.map((image) => {
  const box = image.getBoundingClientRect();
  return [new URL(image.src).pathname, Math.round(box.left), Math.round(box.top)];
})"""


def test_kinds_and_open_now(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_home(page, served_site)
    names = result_names(page)
    assert "市民广场夜间公厕" in names and "市民中心直饮水点" not in names
    choose_kind(page, "Drinking water")
    expect(page.locator("#app-kinds > summary")).to_have_text("Public toilet +1")
    expect(page.locator("#results-list")).to_contain_text("市民中心直饮水点")
    button(page, "Open now").click()
    expect(button(page, "Open now")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#results-list")).not_to_contain_text("市民广场夜间公厕")  # 18:00-02:00
    names = result_names(page)
    assert "Lianhuashan Park South Gate Toilet" in names and "深圳图书馆直饮水点" in names
    assert "c=" in page.url and "open=1" in page.url


def test_open_now_follows_the_sites_time_zone(phone_page: Page, served_site: ServedSite) -> None:
    # 19:30 in London is 03:30 the next morning in Shanghai: the night toilet has just closed
    # and the 06:00-23:00 ones have not opened yet, whatever the phone's own zone says.
    page = phone_page
    page.clock.set_fixed_time("2025-01-22T19:30:00Z")
    page.goto(served_site.page_url("en/?open=1"))
    expect(page.locator("#results-list .result").first).to_be_visible()
    names = result_names(page)
    assert "Lianhuashan Park South Gate Toilet" not in names
    assert {"深南大道市民中心公厕", "Huanggang Port Toilet"} <= set(names)  # 24/7


def test_attribute_filter(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_home(page, served_site)
    page.locator("#app-filters > summary").click()
    button(page, "Baby changing").click()
    expect(page.locator("#results-list .result")).to_have_count(2)
    assert sorted(result_names(page)) == ["Lianhuashan Park South Gate Toilet", "深圳大学南门公厕"]
    expect(page.locator("#app-filters-summary")).to_have_text("Filters (1 on)")


def test_nearest_from_a_mocked_position(phone: BrowserContext, served_site: ServedSite) -> None:
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation(CIVIC_CENTRE)
    page = phone.new_page()
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/#map=13/22.60/114.10"))  # a view of its own: not moved
    expect(page.locator("#results-list .result").first).to_be_visible()
    button(page, "Nearest to me").click()
    expect(page.locator("#app-status")).to_have_text("The places nearest to you are listed.")
    expect(page.locator("#results-heading")).to_have_text("Nearest to you")
    expect(page.locator("#results-heading")).to_be_focused()
    first = page.locator("#results-list .result").first
    expect(first).to_contain_text("深南大道市民中心公厕")
    expect(first).to_contain_text("110 m south")  # 100 m south and 40 m west of the phone
    assert result_names(page)[:3] == [
        "深南大道市民中心公厕",
        "市民广场夜间公厕",
        "Lianhuashan Park South Gate Toilet",
    ]


def test_nearest_without_permission_uses_the_map_centre(
    phone_page: Page, served_site: ServedSite
) -> None:
    open_home(phone_page, served_site)
    button(phone_page, "Nearest to me").click()
    expect(phone_page.locator("#app-status")).to_contain_text("Your location is not available")
    expect(phone_page.locator("#results-heading")).to_have_text("Nearest to the map centre")


@pytest.mark.parametrize(
    ("path", "query", "expected_first"),
    [
        ("zh-hans/", "公廁", "福田口岸公厕"),  # Traditional query, Simplified names; the
        ("zh-hant/", "公厕", "福田口岸公廁"),  # shortest (most specific) name comes first
        ("zh-hans/", "shennan", "深南大道"),  # pinyin: the names that start with it first
        ("zh-hans/", "cgm", "深南大道车公庙公厕"),  # initials inside a name (che gong miao)
    ],
)
def test_search_in_either_script_and_pinyin(
    phone_page: Page, served_site: ServedSite, path: str, query: str, expected_first: str
) -> None:
    open_home(phone_page, served_site, path)
    phone_page.locator("#app-search").fill(query)
    expect(phone_page.locator("#results-heading")).to_contain_text(query)
    expect(phone_page.locator("#results-list .result-name").first).to_contain_text(expected_first)


def test_search_ranks_the_exact_place_name_first(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_home(page, served_site, "zh-hans/")
    page.locator("#app-search").fill("深南大道")
    expect(page.locator("#results-heading")).to_contain_text("深南大道")
    names = result_names(page)
    assert set(names[:4]) == {
        "深南大道市民中心公厕",
        "深南大道车公庙公厕",
        "深南大道辅道饮水机",
        "深南大道回收点",
    }
    assert "南山大道口公厕" not in names and "深圳大学南门公厕" not in names


def test_search_stays_within_the_kinds_the_person_chose(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_home(page, served_site, "zh-hans/?c=drinking_water")
    page.locator("#app-search").fill("深南大道")
    expect(page.locator("#results-heading")).to_contain_text("深南大道")
    assert result_names(page) == ["深南大道辅道饮水机"]


def test_card_sheet_and_navigation_links(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_home(page, served_site)
    page.locator("#results-list .result", has_text="Lianhuashan Park South Gate Toilet").click()
    card = page.locator("#card")
    expect(card).to_be_visible()
    expect(page.locator("#card-title")).to_have_text("Lianhuashan Park South Gate Toilet")
    expect(page.locator("#card-title")).to_be_focused()
    expect(card).to_contain_text("Open now · Today: 06:00–23:00")
    expect(card.locator("[data-part=facts]")).to_contain_text("✓ Wheelchair accessible")
    expect(card.locator("[data-part=facts]")).to_contain_text("✓ Baby changing")
    assert "id=toilet/ft-lianhua-south" in page.url
    links = {
        a.inner_text(): a.get_attribute("href") or ""
        for a in card.locator("[data-part=links] a").all()
    }
    lng, lat = LIANHUA
    expected = {  # (query key, the coordinates in the order that provider reads them)
        "Amap": ("position", f"{lng},{lat}"),
        "Baidu Maps": ("location", f"{lat},{lng}"),
        "Apple Maps": ("ll", f"{lat},{lng}"),
        "Google Maps": ("query", f"{lat},{lng}"),
    }
    for provider, (key, value) in expected.items():
        assert parse_qs(urlsplit(links[provider]).query)[key] == [value], provider
    assert "coordinate=wgs84" in links["Amap"] and "coord_type=wgs84" in links["Baidu Maps"]
    assert f"marker=coord:{lat},{lng};" in links["Tencent Maps"]
    assert "coord_type=1" in links["Tencent Maps"]
    # Following a link goes to the provider (answered here by the test: no traffic leaves).
    page.route("https://uri.amap.com/**", lambda route: route.fulfill(body="amap"))
    card.get_by_role("link", name="Amap").click()
    expect(page).to_have_url(links["Amap"])


def test_back_button_and_escape_close_the_card(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_home(page, served_site)
    page.locator("#results-list .result").first.click()
    expect(page.locator("#card")).to_be_visible()
    expect(page.locator("#results-list")).to_be_hidden()  # the card has the sheet to itself
    page.go_back()
    expect(page.locator("#card")).to_be_hidden()
    assert "id=" not in page.url
    page.locator("#results-list .result").first.click()
    page.keyboard.press("Escape")
    expect(page.locator("#card")).to_be_hidden()
    expect(page.locator("#results-list .result").first).to_be_focused()


def test_shared_link_restores_state(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/?c=toilet,drinking_water&open=1&id=dw-library"))
    expect(page.locator("#card-title")).to_have_text("深圳图书馆直饮水点")
    expect(page.locator("#app-kinds > summary")).to_have_text("Public toilet +1")
    expect(button(page, "Open now")).to_have_attribute("aria-pressed", "true")


def test_language_switch_keeps_state(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_home(page, served_site)
    choose_kind(page, "Drinking water")
    button(page, "Open now").click()
    page.locator("#results-list .result", has_text="Huanggang Port Toilet").click()
    expect(page.locator("#card")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"[?&]id="))
    state = urlsplit(page.url)
    page.locator(".language-menu > summary").click()
    page.get_by_role("link", name="繁體中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hant/"))
    now = urlsplit(page.url)
    assert parse_qs(now.query) == parse_qs(state.query)
    assert now.fragment == state.fragment
    expect(page.locator("#app-kinds > summary")).to_have_text("公廁 +1")
    expect(button(page, "現在開放")).to_have_attribute("aria-pressed", "true")


def test_tiles_blocked_the_list_still_works(phone: BrowserContext, served_site: ServedSite) -> None:
    phone.route(f"{served_site.tiles}/**", lambda route: route.abort())
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation({"longitude": 114.0572, "latitude": 22.5535})
    page = phone.new_page()
    open_home(page, served_site)
    expect(page.locator("#map-notice")).to_be_visible(timeout=15_000)
    expect(page.locator("#map-notice")).to_have_text(
        "The map is unavailable. The list, search and “Nearest to me” still work."
    )
    button(page, "Nearest to me").click()
    expect(page.locator("#results-list .result-name").first).to_have_text(
        "Lianhuashan Park South Gate Toilet"
    )
    page.locator("#app-search").fill("Huanggang")
    expect(page.locator("#results-heading")).to_contain_text("Huanggang")
    expect(page.locator("#results-list .result-name").first).to_have_text("Huanggang Port Toilet")
