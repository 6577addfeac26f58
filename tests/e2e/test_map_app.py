"""The map app on the home page, in Chromium: filters, open now, nearest, search, cards, URLs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from .conftest import WEDNESDAY_MORNING, ServedSite

LIANHUA = (114.0572, 22.5535)  # ft-lianhua-south, "Lianhuashan Park South Gate Toilet"


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def result_names(page: Page) -> list[str]:
    return page.locator("#results-list .result-name").all_inner_texts()


def open_home(page: Page, served_site: ServedSite, path: str = "en/") -> None:
    page.clock.set_fixed_time(WEDNESDAY_MORNING)  # 10:30 in Shanghai, whatever the phone's zone
    page.goto(served_site.page_url(path))
    expect(page.locator("#results-list .result").first).to_be_visible()


def test_markers_and_tiles_load(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site)
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator("#map [data-category='toilet']").first).to_be_visible()
    expect(page.locator("#map-notice")).to_be_hidden()


def test_category_chips_and_open_now(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site)
    names = result_names(page)
    assert "市民广场夜间公厕" in names and "市民中心直饮水点" not in names
    button(page, "Drinking water").click()
    expect(page.locator("#results-list")).to_contain_text("市民中心直饮水点")
    button(page, "Open now").click()
    expect(button(page, "Open now")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#results-list")).not_to_contain_text("市民广场夜间公厕")  # 18:00-02:00
    names = result_names(page)
    assert "Lianhuashan Park South Gate Toilet" in names and "深圳图书馆直饮水点" in names
    assert "c=" in page.url and "open=1" in page.url


def test_open_now_follows_the_sites_time_zone(page: Page, served_site: ServedSite) -> None:
    # 19:30 in London is 03:30 the next morning in Shanghai: the night toilet has just closed
    # and the 06:00-23:00 ones have not opened yet, whatever the phone's own zone says.
    page.clock.set_fixed_time("2025-01-22T19:30:00Z")
    page.goto(served_site.page_url("en/?open=1"))
    expect(page.locator("#results-list .result").first).to_be_visible()
    names = result_names(page)
    assert "Lianhuashan Park South Gate Toilet" not in names
    assert {"深南大道市民中心公厕", "Huanggang Port Toilet"} <= set(names)  # 24/7


def test_attribute_filter(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site)
    page.locator("summary", has_text="Filters").click()
    button(page, "Baby changing").click()
    expect(page.locator("#results-list .result")).to_have_count(2)
    assert sorted(result_names(page)) == ["Lianhuashan Park South Gate Toilet", "深圳大学南门公厕"]


def test_nearest_from_a_mocked_position(context: BrowserContext, served_site: ServedSite) -> None:
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"longitude": 114.0600, "latitude": 22.5440})  # by the Civic Centre
    page = context.new_page()
    open_home(page, served_site)
    button(page, "Nearest to me").click()
    expect(page.locator("#app-status")).to_have_text(
        "The places nearest to you are listed below the map."
    )
    expect(page.locator("#results-heading")).to_have_text("Nearest to you")
    first = page.locator("#results-list .result").first
    expect(first).to_contain_text("深南大道市民中心公厕")
    expect(first).to_contain_text("110 m south")  # 100 m south and 40 m west of the phone
    names = result_names(page)
    assert names[:3] == [
        "深南大道市民中心公厕",
        "市民广场夜间公厕",
        "Lianhuashan Park South Gate Toilet",
    ]


def test_nearest_without_permission_uses_the_map_centre(
    page: Page, served_site: ServedSite
) -> None:
    open_home(page, served_site)
    button(page, "Nearest to me").click()
    expect(page.locator("#app-status")).to_contain_text("Your location is not available")
    expect(page.locator("#results-list .result").first).to_contain_text("深南大道市民中心公厕")


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
    page: Page, served_site: ServedSite, path: str, query: str, expected_first: str
) -> None:
    open_home(page, served_site, path)
    page.locator("#app-search").fill(query)
    expect(page.locator("#results-heading")).to_contain_text(query)
    expect(page.locator("#results-list .result-name").first).to_contain_text(expected_first)


def test_search_ranks_the_exact_place_name_first(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site, "zh-hans/")
    button(page, "直饮水点").click()
    page.locator("#app-search").fill("深南大道")
    expect(page.locator("#results-heading")).to_contain_text("深南大道")
    names = result_names(page)
    assert set(names[:3]) == {"深南大道市民中心公厕", "深南大道车公庙公厕", "深南大道辅道饮水机"}
    assert "南山大道口公厕" not in names and "深圳大学南门公厕" not in names


def test_card_sheet_and_navigation_links(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site)
    opener = page.locator("#results-list .result", has_text="Lianhuashan Park South Gate Toilet")
    opener.click()
    sheet = page.locator("#sheet")
    expect(sheet).to_be_visible()
    expect(page.locator("#sheet-title")).to_have_text("Lianhuashan Park South Gate Toilet")
    expect(page.locator("#sheet-title")).to_be_focused()
    expect(sheet).to_contain_text("Today: 06:00–23:00")
    assert "id=toilet/ft-lianhua-south" in page.url
    links = {
        a.inner_text(): a.get_attribute("href") or ""
        for a in sheet.locator("[data-part=links] a").all()
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
    sheet.get_by_role("link", name="Amap").click()
    expect(page).to_have_url(links["Amap"])


def test_back_button_closes_the_card(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site)
    opener = page.locator("#results-list .result").first
    opener.click()
    expect(page.locator("#sheet")).to_be_visible()
    page.go_back()
    expect(page.locator("#sheet")).to_be_hidden()
    assert "id=" not in page.url
    page.locator("#results-list .result").first.click()
    page.keyboard.press("Escape")
    expect(page.locator("#sheet")).to_be_hidden()
    expect(page.locator("#results-list .result").first).to_be_focused()


def test_shared_link_restores_state(page: Page, served_site: ServedSite) -> None:
    page.clock.set_fixed_time(WEDNESDAY_MORNING)
    page.goto(served_site.page_url("en/?c=toilet,drinking_water&open=1&id=dw-library"))
    expect(page.locator("#sheet-title")).to_have_text("深圳图书馆直饮水点")
    expect(button(page, "Drinking water")).to_have_attribute("aria-pressed", "true")
    expect(button(page, "Open now")).to_have_attribute("aria-pressed", "true")


def test_language_switch_keeps_state(page: Page, served_site: ServedSite) -> None:
    open_home(page, served_site)
    button(page, "Drinking water").click()
    button(page, "Open now").click()
    page.locator("#results-list .result", has_text="Huanggang Port Toilet").click()
    expect(page.locator("#sheet")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"[?&]id="))
    state = urlsplit(page.url)
    page.get_by_role("link", name="繁體中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hant/"))
    now = urlsplit(page.url)
    assert parse_qs(now.query) == parse_qs(state.query)
    assert now.fragment == state.fragment
    expect(button(page, "直飲水點")).to_have_attribute("aria-pressed", "true")
    expect(button(page, "現在開放")).to_have_attribute("aria-pressed", "true")


def test_tiles_blocked_the_list_still_works(
    context: BrowserContext, served_site: ServedSite
) -> None:
    context.route(f"{served_site.tiles}/**", lambda route: route.abort())
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"longitude": 114.0572, "latitude": 22.5535})
    page = context.new_page()
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
