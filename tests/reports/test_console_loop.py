"""The case loop in the console, on SQLite and PostgreSQL: accept, dispatch, handle with a
photo, verify by someone else, close, the citizen's rating, reopen and a second rating."""

from __future__ import annotations

import io

from PIL import Image

from sitegen.reports.context import ReportsContext

from .helpers import API, GOOD_REPORT
from .staff_helpers import CONSOLE, FixedClock, StaffBrowser


def jpeg(color: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, "JPEG")
    return out.getvalue()


def report(console: StaffBrowser, key: str = "phone-key-1", **changes: str) -> str:
    form = {**GOOD_REPORT, "attribute[facility]": "futian-0001", "idempotency_key": key}
    form.update(changes)
    files = [("media", ("floor.jpg", jpeg(), "image/jpeg"))]
    answer = console.client.post(f"{API}requests.json", data=form, files=files)
    assert answer.status_code == 201, answer.text
    return str(answer.json()[0]["service_request_id"])


def public(console: StaffBrowser, ticket: str) -> dict[str, object]:
    (view,) = console.client.get(f"{API}requests/{ticket}.json?extensions=true").json()
    return dict(view)


def ctx_of(console: StaffBrowser) -> ReportsContext:
    return console.client.app.state.reports  # type: ignore[attr-defined,no-any-return]


def rate(console: StaffBrowser, ticket: str, key: str, satisfaction: str) -> int:
    answer = console.client.post(
        f"{API}requests/{ticket}/satisfaction.json",
        data={"idempotency_key": key, "satisfaction": satisfaction, "comment": "快，干净"},
    )
    return int(answer.status_code)


def work_to_verified(console: StaffBrowser, ticket: str) -> None:
    console.login("mei")
    assert console.act(ticket, "dispatch", department="sanitation").status_code == 303
    console.login("wang")
    assert console.act(ticket, "handle", note="Cleaned again.").status_code == 303
    console.login("li")
    assert console.act(ticket, "verify").status_code == 303


def test_the_whole_loop(console: StaffBrowser, clock: FixedClock) -> None:
    ticket = report(console)
    seen = public(console, ticket)
    # 8 working hours from Wednesday 10:00: 2 h + 4 h that day, 2 h on Thursday morning.
    assert seen["expected_datetime"] == "2025-01-23T11:00:00+08:00"
    assert seen["extended_attributes"] == {
        "case_status": "received",
        "merged_into": None,
        "rating_open": False,
        "rated": False,
    }

    assert console.login("mei").status_code == 303
    queue = console.get(CONSOLE)
    assert ticket in queue.text and "Toilet is dirty" in queue.text
    page = console.get(f"{CONSOLE}requests/{ticket}")
    assert "citizen@example.org" in page.text  # supervisors see the contact
    assert "莲花山公园南门公厕" in page.text  # the facility's name, from the site's cards
    assert console.act(ticket, "accept", note="We are on it.").status_code == 303
    assert console.act(ticket, "dispatch", department="sanitation").status_code == 303
    assert public(console, ticket)["extended_attributes"]["case_status"] == "dispatched"  # type: ignore[index]

    console.login("zhou")  # the repair team's handler: not this department's case
    refused = console.act(ticket, "handle", note="done")
    assert refused.status_code == 409
    assert "not dispatched to your department" in refused.text

    console.login("wang")
    assert console.act(ticket, "start").status_code == 303
    photo = [("photo", ("after.jpg", jpeg((240, 240, 240)), "image/jpeg"))]
    assert (
        console.act(ticket, "handle", note="Floor mopped, drain cleared.", files=photo).status_code
        == 303
    )
    ctx = ctx_of(console)
    (result,) = ctx.cases.result_photos(ticket)
    assert (console_settings_media(ctx) / result).is_file()
    assert console.act(ticket, "verify").status_code == 403  # a handler does not verify

    console.login("mei")
    assert console.act(ticket, "verify").status_code == 303
    assert (
        console.act(ticket, "close", note="Cleaned; checked the next morning.").status_code == 303
    )
    closed = public(console, ticket)
    assert closed["status"] == "closed"
    assert closed["status_notes"] == "Cleaned; checked the next morning."
    assert closed["extended_attributes"]["rating_open"] is True  # type: ignore[index]

    assert rate(console, ticket, "someone-else", "satisfied") == 403
    assert rate(console, ticket, "phone-key-1", "satisfied") == 201
    assert rate(console, ticket, "phone-key-1", "dissatisfied") == 409  # once per closing
    assert public(console, ticket)["extended_attributes"]["rated"] is True  # type: ignore[index]
    page = console.get(f"{CONSOLE}requests/{ticket}")
    assert "Satisfied" in page.text and "快，干净" in page.text
    assert "Satisfied" in console.get(CONSOLE + "?status=all").text

    history = [(h.status, h.action, h.changed_by) for h in ctx.store.history(ticket)]
    assert history == [
        ("received", "receive", "citizen"),
        ("accepted", "accept", "mei"),
        ("dispatched", "dispatch", "mei"),
        ("in_progress", "start", "wang"),
        ("handled", "handle", "wang"),
        ("verified", "verify", "mei"),
        ("closed", "close", "mei"),
    ]

    # Reopened, closed again: the citizen may rate the new outcome once more.
    refused = console.act(ticket, "reopen")
    assert refused.status_code == 400 and "Give a reason" in refused.text
    assert console.act(ticket, "reopen", reason="The smell is back.").status_code == 303
    reopened = public(console, ticket)
    assert (reopened["status"], reopened["status_notes"]) == ("open", "The smell is back.")
    assert rate(console, ticket, "phone-key-1", "satisfied") == 409
    work_to_verified(console, ticket)
    console.login("mei")
    assert console.act(ticket, "close").status_code == 303
    assert rate(console, ticket, "phone-key-1", "basically_satisfied") == 201
    assert [r.satisfaction for r in ctx.ratings.of_cases([ticket])[ticket]] == [
        "satisfied",
        "basically_satisfied",
    ]


def console_settings_media(ctx: ReportsContext) -> object:
    return ctx.settings.media_path


def test_the_handler_cannot_verify_their_own_work(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("li")
    for action, fields in (("accept", {}), ("dispatch", {"department": "sanitation"})):
        assert console.act(ticket, action, **fields).status_code == 303
    assert console.act(ticket, "handle", note="Done myself.").status_code == 303
    refused = console.act(ticket, "verify")
    assert refused.status_code == 409
    assert "A case is verified by someone other than the one who handled it." in refused.text
    console.login("mei")
    assert console.act(ticket, "send_back", reason="The drain still smells.").status_code == 303
    history = ctx_of(console).store.history(ticket)
    assert (history[-1].status, history[-1].internal_note) == (
        "dispatched",
        "The drain still smells.",
    )
    assert public(console, ticket)["status_notes"] != "The drain still smells."  # internal


def test_steps_out_of_order_are_refused(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("mei")
    assert console.act(ticket, "close").status_code == 409
    assert console.act(ticket, "verify").status_code == 409
    assert console.act(ticket, "dispatch").status_code == 409  # not accepted yet
    assert console.act(ticket, "accept").status_code == 303
    assert console.act(ticket, "accept").status_code == 409  # twice
    missing = console.act(ticket, "dispatch")
    assert missing.status_code == 400
    assert console.act(ticket, "dispatch", department="nowhere").status_code == 400
    assert console.act(ticket, "teleport").status_code == 404
    assert [h.status for h in ctx_of(console).store.history(ticket)] == ["received", "accepted"]


def test_overdue_cases_are_flagged_and_filtered(console: StaffBrowser, clock: FixedClock) -> None:
    late = report(console, key="k-late")
    clock.advance(hours=1)
    fresh = report(
        console, key="k-fresh", service_code="toilet_broken", **{"attribute[what]": "door"}
    )
    clock.advance(days=1, hours=2)  # Thursday 13:00: the first case's 8 working hours are gone
    console.login("mei")
    overdue = console.get(CONSOLE + "?overdue=1")
    assert late in overdue.text and fresh not in overdue.text
    assert "Overdue" in overdue.text
    # Due Thursday 11:00; at 13:00 one working hour has passed (12:00-14:00 is lunch).
    page = console.get(f"{CONSOLE}requests/{late}")
    assert "2025-01-23 11:00 (overdue by 1.0 working hours)" in page.text
    # 40 working hours from Wednesday 11:00 skip the Spring Festival (28 Jan - 4 Feb) and
    # count Sunday 26 January, a make-up working day: due on 5 February at 18:00.
    fresh_page = console.get(f"{CONSOLE}requests/{fresh}").text
    assert "2025-02-05 18:00 (32.0 working hours left)" in fresh_page


def test_a_note_for_the_citizen_keeps_the_step(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("mei")
    console.act(ticket, "accept")
    assert console.act(ticket, "inform").status_code == 400  # the note is the point
    assert console.act(ticket, "inform", note="A team comes on Friday.").status_code == 303
    seen = public(console, ticket)
    assert (seen["status_notes"], seen["extended_attributes"]["case_status"]) == (  # type: ignore[index]
        "A team comes on Friday.",
        "accepted",
    )
    last = ctx_of(console).store.history(ticket)[-1]
    assert (last.status, last.action, last.note) == (
        "accepted",
        "inform",
        "A team comes on Friday.",
    )


def test_the_queues_filters_and_search(console: StaffBrowser, clock: FixedClock) -> None:
    first = report(console, key="f1", description="Wet floor by the basins")
    clock.advance(days=2)
    second = report(console, key="f2", service_code="toilet_broken", **{"attribute[what]": "door"})
    console.login("mei")
    console.post(f"{CONSOLE}requests/{second}/note", {"note": "spare lock in the van"})
    console.act(first, "accept")
    console.act(first, "dispatch", department="sanitation")

    def shown(query: str) -> list[str]:
        page = console.get(f"{CONSOLE}?{query}").text
        return [t for t in (first, second) if f">{t}</a>" in page]

    assert shown("") == [first, second] or shown("") == [second, first]
    assert shown("q=basins") == [first]
    assert shown("q=spare+lock") == [second]  # internal notes are searched too
    assert shown("service=toilet_broken") == [second]
    assert shown("department=sanitation") == [first]
    assert shown("department=-") == [second]
    assert shown("status=received") == [second]
    assert shown("area=福田区") == [first, second] or shown("area=福田区") == [second, first]
    assert shown("from=2025-01-23") == [second]
    assert shown("to=2025-01-22") == [first]
    assert shown("to=9999-12-31&from=0001-01-01") != []  # odd dates mean no limit, not an error
    assert shown("sort=requested&order=asc")[0] == first
    geo = console.get(f"{CONSOLE}map.geojson?service=toilet_dirty").json()
    assert [f["id"] for f in geo["features"]] == [first]
    assert "citizen@example.org" not in str(geo)  # the map's data has no contact
