"""A seasonal category in the browser: "open now" before and inside the season.

The lychee stall's hours are written as a register writes them ("2月10日-3月31日 每日
08:00-18:00", read as "Feb 10-Mar 31 Mo-Su 08:00-18:00"); the test site is compiled from
2025-01-22, so both a day before the season and days in it are in the published hours.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .conftest import ServedSite

SEASONAL = "莲花山荔枝摊"
ALL_YEAR = "市民广场水果摊"


def _button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def _open_fruit_stalls_now(page: Page, served_site: ServedSite, moment: str) -> list[str]:
    page.clock.set_fixed_time(moment)
    page.goto(served_site.page_url("en/?c=fruit&open=1"))
    expect(_button(page, "Open now")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#results-list")).to_contain_text(ALL_YEAR)
    return page.locator("#results-list .result-name").all_inner_texts()


def test_outside_the_season_the_stall_is_not_open(page: Page, served_site: ServedSite) -> None:
    names = _open_fruit_stalls_now(page, served_site, "2025-01-22T02:30:00Z")  # 10:30, Jan 22
    assert ALL_YEAR in names and SEASONAL not in names


def test_inside_the_season_the_stall_is_open(page: Page, served_site: ServedSite) -> None:
    names = _open_fruit_stalls_now(page, served_site, "2025-02-12T02:30:00Z")  # 10:30, Feb 12
    assert {ALL_YEAR, SEASONAL} <= set(names)


def test_inside_the_season_after_hours_it_is_closed(page: Page, served_site: ServedSite) -> None:
    names = _open_fruit_stalls_now(page, served_site, "2025-02-12T11:00:00Z")  # 19:00, Feb 12
    assert ALL_YEAR in names and SEASONAL not in names


def test_name_card_tells_the_season(page: Page, served_site: ServedSite) -> None:
    page.goto(served_site.page_url("en/fruit/fruit-lianhua/"))
    expect(page.locator("main")).to_contain_text("Feb 10–Mar 31: Daily 08:00–18:00")
    page.goto(served_site.page_url("zh-hans/fruit/fruit-lianhua/"))
    expect(page.locator("main")).to_contain_text("2月10日至3月31日：每日 08:00–18:00")
