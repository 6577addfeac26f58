"""The staff console in Chromium against a real report server, with SQLite and PostgreSQL:
the whole case loop from a citizen's report with a photo to the citizen's rating shown to
staff, a duplicate suggested and merged, an overdue case at a fixed clock, a place rated
from its card, and the console's pages without accessibility violations."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ..reports.conftest import postgresql_proc  # noqa: F401  (the session's PostgreSQL)
from ..reports.helpers import GOOD_REPORT
from .staff_world import PASSWORD, StaffWorld, built_site, postgres_database, running_server
from .test_accessibility import AXE, axe_violations
from .test_report_form import photo_file, strings, watch

FACILITY = "ft-lianhua-south"
CONSOLE = "staff/sz-test/"


@pytest.fixture(scope="module")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, int]]:
    with built_site(tmp_path_factory.mktemp("staff-e2e")) as built:
        yield built


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest,
    site_build: tuple[Path, str, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[StaffWorld]:
    project, site, port = site_build
    root = tmp_path_factory.mktemp(f"staff-{request.param}")
    if request.param == "sqlite":
        with running_server(project, site, port, root, None) as running:
            yield running
        return
    proc = request.getfixturevalue("postgresql_proc")
    with (
        postgres_database(proc, "staff_e2e") as url,
        running_server(project, site, port, root, url) as running,
    ):
        yield running


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    yield context
    context.close()


@pytest.fixture
def desk(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context
    context.close()


def sign_in(page: Page, world: StaffWorld, username: str) -> None:
    page.context.clear_cookies()
    page.goto(world.server + "staff/login?lang=en")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()


def open_case(page: Page, world: StaffWorld, ticket: str) -> None:
    page.goto(f"{world.server}{CONSOLE}requests/{ticket}")
    expect(page.locator("h1 .ticket")).to_have_text(ticket)


def act(page: Page, action: str, **fields: str) -> None:
    form = page.locator(f"form.action-{action}")
    for label, value in fields.items():
        box = form.get_by_label(label)
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(label=value)
        elif label.startswith("Photos"):
            box.set_input_files(value)
        else:
            box.fill(value)
    form.locator("button[type=submit]").click()


def api_report(world: StaffWorld, **changes: str) -> str:
    form = {**GOOD_REPORT, "jurisdiction_id": "sz-test", "attribute[facility]": FACILITY, **changes}
    form.pop("lat", None), form.pop("long", None)
    body = "&".join(f"{k}={urllib.request.quote(v)}" for k, v in form.items()).encode()
    with urllib.request.urlopen(world.api + "requests.json", data=body, timeout=20) as answer:
        return str(json.load(answer)[0]["service_request_id"])


def public(world: StaffWorld, ticket: str) -> dict[str, Any]:
    with urllib.request.urlopen(
        f"{world.api}requests/{ticket}.json?extensions=true", timeout=20
    ) as answer:
        return dict(json.load(answer)[0])


def test_the_whole_case_loop(
    world: StaffWorld, phone: BrowserContext, desk: BrowserContext, tmp_path: Path
) -> None:
    t = strings("en")
    citizen = phone.new_page()
    citizen_errors = watch(citizen)
    citizen.goto(world.page_url(f"en/report/?facility={FACILITY}&category=toilet"))
    expect(citizen.locator("#report-about")).to_contain_text("Lianhuashan")
    citizen.get_by_label("Toilet is dirty").check()
    citizen.get_by_label(t["report_description"]).fill("The floor is flooded near the basins.")
    citizen.get_by_label(t["report_photos_label"].replace("{max}", "3")).set_input_files(
        photo_file(tmp_path)
    )
    expect(citizen.locator("#report-photo-list img")).to_have_count(1)
    citizen.get_by_role("button", name=t["report_submit"], exact=True).click()
    expect(citizen.locator("#report-result-title")).to_have_text(t["report_sent_title"])
    ticket = citizen.locator("#report-result-ticket strong").inner_text()

    staff = desk.new_page()
    staff_errors = watch(staff)
    sign_in(staff, world, "mei")
    row = staff.locator("tr", has=staff.get_by_role("link", name=ticket))
    expect(row).to_contain_text("Received")
    expect(staff.locator("#queue-map")).to_have_attribute("data-drawn", "1")  # the map is drawn
    row.get_by_role("link", name=ticket).click()
    expect(staff.locator(".photos img")).to_have_count(1)
    expect(staff.locator("#case-map")).to_have_attribute("data-drawn", "1")
    expect(staff.get_by_role("link", name="莲花山公园南门公厕")).to_have_attribute(
        "href", f"{world.site}en/toilet/{FACILITY}/"
    )
    act(staff, "accept", **{"Note for the citizen (optional)": "We are looking into it."})
    expect(staff.locator(".notice-done")).to_have_text("The case is accepted.")
    act(staff, "dispatch", Department="Sanitation office")
    expect(staff.locator(".case-head .status")).to_have_text("Dispatched")

    sign_in(staff, world, "wang")
    open_case(staff, world, ticket)
    result = tmp_path / "after.jpg"
    result.write_bytes(photo_file(tmp_path).read_bytes())
    act(
        staff,
        "handle",
        **{
            "What was done (shown to the citizen)": "Drain cleared, floor dried.",
            "Photos of the result": str(result),
        },
    )
    expect(staff.locator(".case-head .status")).to_have_text("Handled")
    expect(staff.locator("#h-result")).to_be_visible()
    expect(staff.locator("form.action-verify")).to_have_count(0)  # not for the one who handled it

    sign_in(staff, world, "li")  # a second staff member verifies, then closes
    open_case(staff, world, ticket)
    act(staff, "verify")
    act(
        staff,
        "close",
        **{"Outcome for the citizen (optional)": "Fixed: the drain was blocked by leaves."},
    )
    expect(staff.locator(".case-head .status")).to_have_text("Closed")

    citizen.goto(world.page_url("en/report/mine/"))
    item = citizen.locator(".my-report")
    expect(item.locator(".status")).to_contain_text("Closed")
    expect(item).to_contain_text("Fixed: the drain was blocked by leaves.")
    item.get_by_label("Satisfied", exact=True).check()
    item.get_by_label("Comment (optional)").fill("Quick work, thank you.")
    item.get_by_role("button", name="Send my rating").click()
    expect(item).to_contain_text("Your rating")
    expect(citizen.locator("#mine-status")).to_have_text("Thank you for your rating.")
    expect(item.locator("form.ticket-rating")).to_have_count(0)  # once per closing
    citizen.reload()
    expect(item.locator(".status")).to_contain_text("Closed")
    expect(item.locator("form.ticket-rating")).to_have_count(0)

    open_case(staff, world, ticket)
    expect(staff.locator(".ratings")).to_contain_text("Satisfied")
    expect(staff.locator(".ratings")).to_contain_text("Quick work, thank you.")
    history = [h.action for h in world.ctx.store.history(ticket)]  # type: ignore[union-attr]
    assert history == ["receive", "accept", "dispatch", "handle", "verify", "close"]
    assert citizen_errors == [] and staff_errors == []


def test_a_duplicate_is_suggested_and_merged(world: StaffWorld, desk: BrowserContext) -> None:
    first = api_report(world, description="Dirty floor at the south gate.")
    second = api_report(world, description="The toilet floor is dirty.", idempotency_key="dup-2")
    page = desk.new_page()
    errors = watch(page)
    sign_in(page, world, "mei")
    open_case(page, world, first)
    duplicates = page.locator(".duplicates")
    expect(duplicates).to_contain_text(second)
    page.once("dialog", lambda dialog: dialog.accept())
    duplicates.get_by_role("button", name=f"Merge {second} into this case").click()
    expect(page.locator(".notice-done")).to_have_text("The report is merged.")
    open_case(page, world, first)
    expect(page.locator("#h-merged")).to_be_visible()
    seen = public(world, second)
    assert seen["extended_attributes"]["merged_into"] == first
    act(page, "reject", **{"Reason (shown to the citizen)": "Handled with an earlier report."})
    assert public(world, second)["status"] == "open"  # merged: it follows its case
    assert errors == []


def test_an_overdue_case_is_flagged_at_a_fixed_clock(
    world: StaffWorld, desk: BrowserContext
) -> None:
    late = api_report(world, description="Overdue test.", idempotency_key="late-1")
    world.clock.advance(days=2)  # Friday 10:00: 8 working hours from Wednesday 10:00 are gone
    try:
        page = desk.new_page()
        sign_in(page, world, "vic")
        page.get_by_role("link", name=re.compile("Overdue")).first.click()
        row = page.locator("tr", has=page.get_by_role("link", name=late))
        expect(row).to_have_class("overdue")
        expect(row.locator(".flag-overdue")).to_have_text("Overdue")
        row.get_by_role("link", name=late).click()
        expect(page.locator(".case-head .due")).to_contain_text("overdue by")
    finally:
        world.clock.advance(days=-2)


def test_a_place_is_rated_from_its_card(
    world: StaffWorld, phone: BrowserContext, desk: BrowserContext
) -> None:
    card = phone.new_page()
    errors = watch(card)
    card.goto(world.page_url(f"en/toilet/{FACILITY}/"))
    rating = card.locator("#rate")
    expect(rating.locator("[data-rating-summary]")).to_have_text("Not rated yet.")
    rating.get_by_label("2 of 5").check()
    rating.get_by_label("No, something is wrong").check()
    rating.get_by_role("button", name="Send rating").click()
    expect(rating.locator("[data-rating-status]")).to_contain_text("Thank you!")
    expect(rating.locator("[data-rating-summary]")).to_contain_text(
        "Cleanliness 2.0 of 5 (1 ratings)"
    )
    rating.get_by_label("1 of 5").check()  # the same phone again: its rating is replaced
    rating.get_by_role("button", name="Send rating").click()
    expect(rating.locator("[data-rating-summary]")).to_contain_text(
        "Cleanliness 1.0 of 5 (1 ratings)"
    )
    with urllib.request.urlopen(
        world.api + "places/ratings.json?jurisdiction_id=sz-test", timeout=20
    ) as answer:
        document = json.load(answer)
    assert document["places"][FACILITY]["cleanliness"] == {"count": 1, "average": 1.0}
    assert document["places"][FACILITY]["information"] == {"right": 0, "wrong": 1}
    card.reload()  # the live aggregate replaces what the page was built with
    expect(rating.locator("[data-rating-summary]")).to_contain_text(
        "Cleanliness 1.0 of 5 (1 ratings)"
    )
    expect(rating.get_by_label("1 of 5")).to_be_checked()  # the phone remembers its rating
    staff = desk.new_page()
    sign_in(staff, world, "vic")
    staff.get_by_role("link", name="Rated places").click()
    expect(staff.locator("table")).to_contain_text("莲花山公园南门公厕")
    assert errors == []


def test_the_console_has_no_accessibility_violations(world: StaffWorld, browser: Browser) -> None:
    ticket = api_report(world, description="For the accessibility check.", idempotency_key="a11y")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE))
    try:
        page = context.new_page()
        found = {}
        page.goto(world.server + "staff/login?lang=zh-Hans")
        found["login"] = axe_violations(page)
        sign_in(page, world, "ada")
        for name, path in (
            ("queue", CONSOLE),
            ("case", f"{CONSOLE}requests/{ticket}"),
            ("places", f"{CONSOLE}places"),
            ("audit", f"{CONSOLE}audit"),
        ):
            page.goto(world.server + path)
            page.wait_for_load_state("networkidle")
            found[name] = axe_violations(page)
    finally:
        context.close()
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(
        found, ensure_ascii=False, indent=1
    )
