"""Without JavaScript (or without tiles) the lists and name cards still answer the question."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from .conftest import ServedSite


def test_lists_and_name_cards_work_without_javascript(
    browser: Browser, served_site: ServedSite
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served_site.page_url("en/"))
        # The app's controls are hidden, and the map's place says why.
        expect(page.locator("#app-search")).to_be_hidden()
        note = page.get_by_text("The map needs JavaScript. The lists below do not.")
        expect(note).to_be_visible()
        page.get_by_role("link", name="Public toilet").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Public toilet")
        page.get_by_role("link", name="Lianhuashan Park South Gate Toilet").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Lianhuashan Park South Gate Toilet"
        )
        expect(page.locator(".today")).to_contain_text("06:00–23:00")
        amap = page.get_by_role("link", name="Directions in Amap")
        expect(amap).to_have_attribute(
            "href",
            "https://uri.amap.com/marker?position=114.0572,"
            "22.5535&name=Lianhuashan%20Park%20South%20Gate%20Toilet"
            "&coordinate=wgs84&callnative=1",
        )
        page.locator(".language-menu > summary").click()  # a <details> menu: no script needed
        page.get_by_role("link", name="繁體中文").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("蓮花山公園南門公廁")
    finally:
        context.close()
