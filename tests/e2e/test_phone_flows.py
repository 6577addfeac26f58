"""What the citizen issue asks of the map app, tried on a 390 x 844 phone with touch and a fixed
clock: map-first layout, the sheet, nearest and search with the answers in view, the card, the
language switch carrying the card, truthful "open now", the person's marker, target sizes and
nothing cut off at 320 px. (Offline: test_offline.py; dark mode: test_accessibility.py.)"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, expect

from .conftest import CIVIC_CENTRE, PHONE, WEDNESDAY_MORNING, ServedSite


@pytest.fixture
def located(phone: BrowserContext) -> BrowserContext:
    """The phone with location allowed (as after an earlier visit), by the Civic Centre."""
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation(CIVIC_CENTRE)
    return phone


def open_app(page: Page, served_site: ServedSite, path: str = "en/") -> None:
    page.clock.set_fixed_time(WEDNESDAY_MORNING)  # 10:30 in Shenzhen
    page.goto(served_site.page_url(path))
    shown = "#card" if "id=" in path else "#results-list .result"
    expect(page.locator(shown).first).to_be_visible()
    expect(page.locator(".leaflet-container")).to_be_attached()


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def visible_map_area(page: Page) -> tuple[float, float]:
    """The band of the screen where the map shows: under the search bar, above the sheet."""
    top = box(page.locator("#topbar"))
    sheet = box(page.locator("#sheet"))
    return top["y"] + top["height"], sheet["y"]


def assert_in_view(page: Page, locator: Locator) -> None:
    found = box(locator)
    assert found["y"] >= 0 and found["y"] + found["height"] <= PHONE["height"], found
    assert found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"], found


def assert_on_visible_map(page: Page, locator: Locator) -> None:
    top, bottom = visible_map_area(page)
    pin = box(locator)
    centre_y = pin["y"] + pin["height"] / 2
    assert top <= centre_y <= bottom and 0 <= pin["x"] <= PHONE["width"], (top, bottom, pin)


def test_the_map_fills_the_screen_with_the_search_bar_and_sheet_over_it(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_app(page, served_site)
    assert box(page.locator("#map")) == {"x": 0, "y": 0, **PHONE}
    search = box(page.locator("#app-search-form"))
    assert search["y"] < 20 and search["height"] >= 44
    sheet = box(page.locator("#sheet"))
    assert sheet["y"] + sheet["height"] == PHONE["height"]
    assert PHONE["height"] * 0.4 < sheet["height"] < PHONE["height"] * 0.6  # half open
    # The language menu and the map's attribution stay in view above the sheet.
    assert_in_view(page, page.locator(".language-menu > summary"))
    attribution = box(page.locator(".leaflet-control-attribution"))
    assert attribution["y"] + attribution["height"] <= sheet["y"] + 1


def test_while_loading_the_map_says_it_is_loading_not_that_javascript_is_off(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    held: list[Route] = []
    page.route("**/leaflet-src.esm.js", lambda route: held.append(route))
    page.goto(served_site.page_url("en/"))
    expect(page.locator("#map .map-loading")).to_have_text("Loading the map…")
    expect(page.locator("#map .map-loading")).to_be_visible()
    expect(page.get_by_text("The map needs JavaScript")).to_be_hidden()
    # The list and the search work before the map library is in.
    expect(page.locator("#results-list .result").first).to_be_visible()
    page.locator("#app-search").fill("Huanggang")
    expect(page.locator("#results-list .result-name").first).to_have_text("Huanggang Port Toilet")
    page.wait_for_function("() => true")
    for route in held:
        route.continue_()
    expect(page.locator(".leaflet-container")).to_be_attached()


def test_nearest_puts_the_first_row_in_view_and_on_the_map(
    located: BrowserContext, served_site: ServedSite
) -> None:
    page = located.new_page()
    open_app(page, served_site, "en/#map=12/22.60/114.20")  # the map starts far away
    page.locator("#sheet-grip").press("Home")  # the sheet lowered: nearest must raise it
    page.get_by_role("button", name="Nearest to me", exact=True).click()
    first = page.locator("#results-list .result").first
    expect(first).to_contain_text("深南大道市民中心公厕")
    expect(page.locator("#sheet")).to_have_attribute("data-state", "half")
    assert_in_view(page, first)
    pin = page.locator('#map [data-result="toilet/ft-shennan-1"]')
    expect(pin).to_contain_text("1")
    assert_on_visible_map(page, pin)
    assert_on_visible_map(page, page.locator("#map .you"))


def test_far_from_every_place_without_tiles_the_fit_shows_both_below_the_notice(
    located: BrowserContext, served_site: ServedSite
) -> None:
    """Offline or with the tile host down, the notice covers the top of the map: the fit
    keeps the person and the first pin below it, as it keeps them below the search bar.
    The person is 30 km north of every place: the fit spans the map, the person at its top."""
    located.set_geolocation({"latitude": 22.82, "longitude": 114.06, "accuracy": 25})
    located.route(f"{served_site.tiles}/**", lambda route: route.abort())
    page = located.new_page()
    open_app(page, served_site, "en/#map=12/22.60/114.20")
    notice = page.locator("#map-notice")
    expect(notice).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Nearest to me", exact=True).click()
    expect(page.locator("#results-list .result").first).to_contain_text("30 km south")
    below = box(notice)["y"] + box(notice)["height"]
    _, sheet_top = visible_map_area(page)
    for shown in (
        page.locator('#map [data-result="toilet/ft-lianhua-south"]'),
        page.locator("#map .you"),
    ):
        expect(shown).to_be_visible()
        found = box(shown)
        centre_y = found["y"] + found["height"] / 2
        assert below <= centre_y <= sheet_top, (below, sheet_top, found)


def test_the_person_is_a_blue_dot_with_an_accuracy_circle_not_a_place_marker(
    located: BrowserContext, served_site: ServedSite
) -> None:
    page = located.new_page()
    open_app(page, served_site)
    you = page.locator("#map .you")
    expect(you).to_have_count(1)
    assert you.evaluate("(e) => getComputedStyle(e).borderRadius") == "50%"
    assert (
        page.locator("#map .pin, #map .result-pin").first.evaluate(
            "(e) => getComputedStyle(e).borderRadius"
        )
        != "50%"
    )  # places are pins
    # The circle is as wide as the reported accuracy (25 m) at the map's zoom.
    radius_px = page.locator("#map path.accuracy").evaluate("(e) => e.getBBox().width / 2")
    zoom = int(re.search(r"#map=(\d+)/", page.url)[1])  # type: ignore[index]
    equator_m = 40075016.686
    metres_per_px = equator_m * math.cos(math.radians(CIVIC_CENTRE["latitude"])) / 2 ** (zoom + 8)
    assert radius_px * metres_per_px == pytest.approx(CIVIC_CENTRE["accuracy"], rel=0.1)


@pytest.mark.parametrize(
    "query",
    ["深南", "shennan", "snd"],  # Simplified script on a Traditional page, pinyin, initials
)
def test_search_finds_every_kind_with_distances_and_shows_them(
    located: BrowserContext, served_site: ServedSite, query: str
) -> None:
    page = located.new_page()
    open_app(page, served_site, "zh-hant/")
    page.locator("#app-search").fill(query)
    page.locator("#app-search").press("Enter")
    expect(page.locator("#results-heading")).to_contain_text(query)
    rows = page.locator("#results-list .result")
    expect(rows.first).to_be_visible()
    kinds = set(rows.evaluate_all("(rs) => rs.map((r) => r.dataset.category)"))
    assert {"toilet", "drinking_water", "recycling"} <= kinds
    for row in rows.all():
        expect(row.locator(".way")).to_have_text(re.compile(r"\d[\d.]* (公尺|公里)"))
        expect(row.locator(".result-meta")).to_contain_text(
            re.compile("公廁|直飲水點|回收點")
        )  # the kind is named on every row
    assert_in_view(page, rows.first)
    key = rows.first.get_attribute("data-id")
    assert_on_visible_map(page, page.locator(f'#map [data-result="{key}"]'))


def test_choosing_a_row_centres_the_map_on_it(phone_page: Page, served_site: ServedSite) -> None:
    page = phone_page
    open_app(page, served_site)
    row = page.locator("#results-list .result").nth(2)
    key = row.get_attribute("data-id")
    row.click()
    expect(page.locator("#card")).to_have_attribute("data-id", key or "")
    top, bottom = visible_map_area(page)
    ring = box(page.locator("#map .selected-ring"))
    centre = (ring["x"] + ring["width"] / 2, ring["y"] + ring["height"] / 2)
    assert abs(centre[0] - PHONE["width"] / 2) < 4 and abs(centre[1] - (top + bottom) / 2) < 4


def test_the_card_shows_what_a_person_decides_on(
    located: BrowserContext, served_site: ServedSite
) -> None:
    page = located.new_page()
    open_app(page, served_site, "en/?id=toilet/ft-futian-port")
    card = page.locator("#card")
    expect(page.locator("#card-title")).to_have_text("Futian Port Toilet")
    expect(card.locator("[data-part=way]")).to_have_text(re.compile(r"^\d[\d.]* km south"))
    expect(card.locator("[data-part=hours]")).to_have_text("Open now · Today: 06:30–22:30")
    expect(card.locator("[data-part=facts]")).to_have_text(re.compile("✓ Wheelchair accessible"))
    expect(card.locator("[data-part=address]")).to_have_text("Address: 福田区益田路")


def test_the_language_switch_with_a_card_open_lands_on_the_same_card(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_app(page, served_site)
    page.locator("#results-list .result", has_text="Huanggang Port Toilet").click()
    expect(page.locator("#card")).to_be_visible()
    page.locator("#sheet-grip").press("End")  # the sheet as high as it goes
    menu = page.locator(".language-menu > summary")
    assert_in_view(page, menu)
    menu.click()
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/\?.*id=toilet/ft-huanggang"))
    expect(page.locator("#card-title")).to_have_text("皇岗口岸公厕")
    expect(page.locator("#card")).to_be_visible()


def test_open_now_at_a_fixed_clock_and_a_kind_without_published_hours(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_app(page, served_site, "en/?c=toilet,recycling&open=1")
    rows = page.locator("#results-list .result")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        expect(row).to_have_attribute("data-category", "toilet")
        expect(row.locator(".open-state")).to_have_text("Open now")
    note = page.locator("#results-note")
    expect(note).to_contain_text(
        "Recycling point: no opening hours are published, so none can be shown as open now."
    )
    note.get_by_role("button", name="Show them all, open or not").click()
    expect(page.get_by_role("button", name="Open now", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(note).to_be_hidden()
    expect(page.locator('#results-list .result[data-category="recycling"]').first).to_be_visible()


def test_the_sheet_moves_by_keyboard_and_by_dragging(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_app(page, served_site)
    grip = page.locator("#sheet-grip")
    sheet = page.locator("#sheet")
    expect(grip).to_have_attribute("role", "separator")
    grip.press("ArrowUp")
    expect(sheet).to_have_attribute("data-state", "full")
    expect(grip).to_have_attribute("aria-valuetext", "Panel fully open")
    top = box(page.locator("#topbar"))
    assert box(sheet)["y"] >= top["y"] + top["height"]  # never over the search bar
    grip.press("Home")
    expect(sheet).to_have_attribute("data-state", "peek")
    expect(page.locator("#results-heading")).to_be_in_viewport()
    grip.press("ArrowUp")
    expect(sheet).to_have_attribute("data-state", "half")
    start = box(grip)
    page.mouse.move(start["x"] + 50, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(start["x"] + 50, 200, steps=8)
    page.mouse.up()
    expect(sheet).to_have_attribute("data-state", "full")


def test_english_pages_give_the_pinyin_of_chinese_names(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_app(page, served_site)
    row = page.locator('#results-list .result[data-id="toilet/ft-shennan-1"]')
    expect(row.locator(".romanized")).to_have_text("Shen Nan Da Dao Shi Min Zhong Xin Gong Ce")
    page.goto(served_site.page_url("en/toilet/ft-shennan-1/"))
    expect(page.locator("h1")).to_contain_text("深南大道市民中心公厕")
    expect(page.locator("h1 .romanized")).to_have_text("Shen Nan Da Dao Shi Min Zhong Xin Gong Ce")


TARGETS = """() => {
  const small = [];
  const primary = '#app-search, #app-nearest, .chip, .result, .card .nav-links a, ' +
    '.card-actions .action, .language-menu > summary, .card-close, .card-back, .leaflet-bar a';
  const controls = 'a[href], button, summary, input, select, [tabindex="0"]';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.leaflet-marker-pane, .visually-hidden, .skip-link')) continue;
    if (getComputedStyle(el).clip !== 'auto') continue; // visually hidden, for screen readers
    const menu = el.closest('details');
    if (menu && !menu.open && !el.closest('summary')) continue; // in a closed menu
    const min = el.matches(primary) ? 44 : 24;
    // Inline links inside text are exempt (WCAG 2.5.8), as are the attribution's links.
    if (el.matches('p a, dd a, .leaflet-control-attribution a')) continue;
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      small.push(`${el.outerHTML.slice(0, 80)} ${r.width}x${r.height}`);
    }
  }
  return small;
}"""


def test_targets_are_44_px_for_main_controls_and_24_px_for_the_rest(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    open_app(page, served_site)
    assert page.evaluate(TARGETS) == []
    page.locator("#app-kinds > summary").click()
    page.locator("#app-filters > summary").click()
    assert page.evaluate(TARGETS) == []
    page.keyboard.press("Escape")
    page.locator("#results-list .result").first.click()
    page.get_by_role("button", name="All details").click()
    expect(page.locator("#card-details dl")).to_be_visible()
    assert page.evaluate(TARGETS) == []


CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) cut.push(`page scrolls sideways: ${page}`);
  const away = '.leaflet-container, .visually-hidden, .skip-link, [aria-hidden="true"], ' +
    'noscript, script';
  for (const el of document.querySelectorAll('body *')) {
    // Out of sight on purpose: the map's tiles, the skip link, the report form's honeypot.
    if (el.closest(away)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (style.clip !== 'auto') continue;
    const menu = el.closest('details');
    if (menu && !menu.open && !el.closest('summary')) continue; // in a closed menu
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const text = (el.textContent || '').trim().slice(0, 30);
    const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} "${text}"`;
    if (r.left < -0.5 || r.right > width + 0.5) cut.push(`${name} ${r.left}..${r.right}`);
    const clips = ['hidden', 'clip'].includes(style.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 1) cut.push(`${name} clips its text`);
  }
  return cut;
}"""


@pytest.fixture
def narrow(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        has_touch=True,
        is_mobile=True,
        reduced_motion="reduce",
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("locale", ["en", "zh-hant"])
def test_nothing_is_cut_off_at_320_px(narrow: Page, served_site: ServedSite, locale: str) -> None:
    page = narrow
    open_app(page, served_site, f"{locale}/")
    assert page.evaluate(CUT_OFF) == []
    page.locator("#app-kinds > summary").click()
    assert page.evaluate(CUT_OFF) == []
    page.keyboard.press("Escape")
    page.locator("#app-filters > summary").click()
    assert page.evaluate(CUT_OFF) == []
    page.keyboard.press("Escape")
    page.locator("#results-list .result").first.click()
    page.locator("#card [data-part=more]").click()
    expect(page.locator("#card-details dl")).to_be_visible()
    assert page.evaluate(CUT_OFF) == []
    for path in ("toilet/", "toilet/ft-lianhua-south/", "guides/lianhuashan/"):
        page.goto(served_site.page_url(f"{locale}/{path}"))
        cut = page.evaluate(CUT_OFF)
        assert cut == [], (path, cut)
        page.locator(".language-menu > summary").click()
        cut = page.evaluate(CUT_OFF)
        assert cut == [], (path, "language menu open", cut)


def test_a_guides_near_here_link_opens_the_map_at_that_place(
    phone_page: Page, served_site: ServedSite
) -> None:
    page = phone_page
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/guides/lianhuashan/"))
    entry = page.locator("#entry-ft-lianhua-south")
    entry.get_by_role("link", name="Near here: Public toilet").click()
    expect(page).to_have_url(re.compile(r"/en/\?c=toilet&near=114\.0572,22\.5535"))
    expect(page.locator("#results-heading")).to_have_text("Near this place")
    first = page.locator("#results-list .result").first
    expect(first).to_have_attribute("data-id", "toilet/ft-lianhua-south")
    expect(page.locator(".leaflet-container")).to_be_attached()
    expect(page.locator("#map .place-ring")).to_be_attached()
    assert_on_visible_map(page, page.locator("#map .place-ring"))
    assert_on_visible_map(page, page.locator('#map [data-result="toilet/ft-lianhua-south"]'))
