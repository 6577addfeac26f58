"""axe-core finds no WCAG 2.2 AA violations on the home, category, name-card, guide and report
pages, in the light and the dark colour scheme (the report form also with its error messages
shown, the home app also with a name card and all its details open)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import ServedSite

AXE = Path(__file__).resolve().parents[2] / "tools/node_modules/axe-core/axe.min.js"
PAGES = [
    "",
    "toilet/",
    "toilet/ft-lianhua-south/",
    "guides/lianhuashan/",
    "report/?facility=ft-lianhua-south&category=toilet",
    "report/mine/",
]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _axe_context(browser: Browser, scheme: str) -> BrowserContext:
    assert AXE.is_file(), f"{AXE} is missing: `make test` installs axe-core with npm"
    # axe is injected as a script of its own, which the site's CSP rightly refuses.
    context = browser.new_context(
        bypass_csp=True,
        viewport={"width": 390, "height": 844},
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    context.add_init_script(path=str(AXE))
    return context


@pytest.fixture(scope="module")
def axe_context(browser: Browser) -> Iterator[BrowserContext]:
    context = _axe_context(browser, "light")
    yield context
    context.close()


@pytest.fixture(scope="module")
def dark_context(browser: Browser) -> Iterator[BrowserContext]:
    context = _axe_context(browser, "dark")
    yield context
    context.close()


def axe_violations(page: Page) -> list[dict[str, object]]:
    return list(
        page.evaluate(
            """async (rules) => {
                const r = await axe.run(document, {runOnly: {type: "tag", values: rules}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
            }""",
            RULES,
        )
    )


@pytest.mark.parametrize("locale", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(
    axe_context: BrowserContext, served_site: ServedSite, locale: str, path: str
) -> None:
    page = axe_context.new_page()
    try:
        page.goto(served_site.page_url(f"{locale}/{path}"))
        page.wait_for_load_state("networkidle")
        result = axe_violations(page)
    finally:
        page.close()
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)


def test_report_form_with_its_errors_has_no_axe_violations(
    axe_context: BrowserContext, served_site: ServedSite
) -> None:
    page = axe_context.new_page()
    try:
        page.goto(served_site.page_url("en/report/"))
        page.wait_for_load_state("networkidle")
        page.get_by_label("Something is broken").check()  # its questions appear
        page.get_by_role("button", name="Send", exact=True).click()
        expect(page.locator("#report-errors")).to_be_focused()
        result = axe_violations(page)
    finally:
        page.close()
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("locale", ["zh-hant", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations_in_dark_mode(
    dark_context: BrowserContext, served_site: ServedSite, locale: str, path: str
) -> None:
    page = dark_context.new_page()
    try:
        page.goto(served_site.page_url(f"{locale}/{path}"))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        result = axe_violations(page)
    finally:
        page.close()
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_card_and_its_menus_have_no_axe_violations(
    axe_context: BrowserContext, dark_context: BrowserContext, served_site: ServedSite, scheme: str
) -> None:
    page = (axe_context if scheme == "light" else dark_context).new_page()
    try:
        page.goto(served_site.page_url("en/?id=toilet/ft-lianhua-south&full=1"))
        expect(page.locator("#card-details dl")).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.locator(".language-menu > summary").click()
        card = axe_violations(page)
        page.keyboard.press("Escape")
        page.locator("#card [data-part=close]").click()
        page.locator("#app-filters > summary").click()
        menus = axe_violations(page)
    finally:
        page.close()
    assert card == menus == [], json.dumps(card + menus, ensure_ascii=False, indent=1)
