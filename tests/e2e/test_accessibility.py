"""axe-core finds no WCAG 2.2 AA violations on the home, category, name-card, guide and report
pages (the report form also with its error messages shown)."""

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


@pytest.fixture(scope="module")
def axe_context(browser: Browser) -> Iterator[BrowserContext]:
    assert AXE.is_file(), f"{AXE} is missing: `make test` installs axe-core with npm"
    # axe is injected as a script of its own, which the site's CSP rightly refuses.
    context = browser.new_context(bypass_csp=True, viewport={"width": 412, "height": 860})
    context.add_init_script(path=str(AXE))
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
