"""Issue 15, items 2 and 3: control characters in staff notes and names, dates out of range.

A staff note with a form feed made ``requests/{id}.xml`` and ``requests.xml`` unparseable for
90 days; a control character in an attribute name was echoed raw into the XML error; a
``start_date`` of 9999-12-31 answered 500. Notes are refused at every way in (console,
staff API, command line), XML never carries such a character whatever is stored, and dates
out of range are a 400 naming the parameter.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from sitegen.cli.reports import reports
from sitegen.reports.settings import ReportSettings

from .helpers import API, STAFF_TOKEN, open_store, post_report
from .staff_helpers import CONSOLE, StaffBrowser
from .test_console_loop import report

AUTH = {"Authorization": f"Bearer {STAFF_TOKEN}"}
FORM_FEED_NOTE = "Team\u000con the way"


def ticket_of(client: TestClient) -> str:
    answer = post_report(client)
    assert answer.status_code == 201, answer.text
    return str(answer.json()[0]["service_request_id"])


def test_staff_api_refuses_a_note_with_a_form_feed(client: TestClient) -> None:
    ticket = ticket_of(client)
    answer = client.post(
        f"/staff/requests/{ticket}/status",
        json={"status": "dispatched", "note": FORM_FEED_NOTE, "by": "desk\u00077"},
        headers=AUTH,
    )
    assert answer.status_code == 400
    assert [e["description"] for e in answer.json()] == [
        "note contains the control character U+000C; remove it",
        "by contains the control character U+0007; remove it",
    ]
    (public,) = client.get(f"{API}requests/{ticket}.json").json()
    assert public["status_notes"] is None


def test_cli_refuses_a_note_with_a_vertical_tab(
    client: TestClient, settings: ReportSettings
) -> None:
    ticket = ticket_of(client)
    where = ["-C", str(settings.project_dir), "--sqlite", str(settings.sqlite_file)]
    result = CliRunner().invoke(
        reports, ["set-status", *where, ticket, "dispatched", "--note", "a\x0bb"], env={}
    )
    assert result.exit_code == 1
    assert result.stderr == "error: --note contains the control character U+000B; remove it\n"
    (public,) = client.get(f"{API}requests/{ticket}.json").json()
    assert public["status"] == "open" and public["status_notes"] is None


def test_console_refuses_control_characters_in_notes(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("mei")
    refused = console.act(ticket, "accept", note=FORM_FEED_NOTE)
    assert refused.status_code == 400
    assert "A note may not hold control characters (such as a form feed); remove them." in (
        refused.text
    )
    internal = console.post(f"{CONSOLE}requests/{ticket}/note", {"note": "a\x00b"})
    assert internal.status_code == 400
    assert console.act(ticket, "accept", note="Team on the way").status_code == 303


def test_xml_parses_whatever_is_stored(client: TestClient, settings: ReportSettings) -> None:
    ticket = ticket_of(client)
    # A note stored before notes were checked (the store itself takes any text).
    store = open_store(settings)
    try:
        store.set_status(ticket, "dispatched", FORM_FEED_NOTE + "\x00\ufffe", "old-import")
    finally:
        store.close()
    for path in (f"requests/{ticket}.xml", "requests.xml"):
        answer = client.get(f"{API}{path}")
        assert answer.status_code == 200
        parsed = ET.fromstring(answer.content)
        assert parsed.findtext("request/status_notes") == "Team\ufffdon the way\ufffd\ufffd"
    (as_json,) = client.get(f"{API}requests/{ticket}.json").json()
    assert as_json["status_notes"] == FORM_FEED_NOTE + "\x00\ufffe"  # JSON escapes it


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_control_characters_in_attribute_names_are_not_echoed(client: TestClient, fmt: str) -> None:
    answer = post_report(
        client, {"service_code": "toilet_broken", "attribute[a\x0cb]": "x"}, fmt=fmt
    )
    assert answer.status_code == 400
    assert b"\x0c" not in answer.content
    if fmt == "xml":
        descriptions = [e.findtext("description") for e in ET.fromstring(answer.content)]
    else:
        descriptions = [e["description"] for e in answer.json()]
    assert descriptions == ["attribute[a\\u000cb] contains control characters"]
    # A name without control characters that names no attribute: quoted, escaped the same.
    unknown = post_report(client, {"service_code": "toilet_broken", "attribute[what\x7f]": "x"})
    assert "\x7f" not in unknown.text
    assert unknown.json()[0]["description"] == (
        'service "toilet_broken" has no attribute "what\\u007f"'
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "start_date=9999-12-31T00:00:00%2B00:00",
            "start_date must be within the years 1900 to 2999",
        ),
        ("end_date=0001-01-01T00:00:00%2B00:00", "end_date must be within the years 1900 to 2999"),
        ("end_date=0001-01-01T00:00:00%2B08:00", "end_date must be within the years 1900 to 2999"),
        (
            "start_date=9999-12-31T23:59:59-12:00&end_date=9999-12-31T23:59:59%2B14:00",
            "start_date must be within the years 1900 to 2999",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_dates_out_of_range_are_a_400(
    client: TestClient, query: str, message: str, fmt: str
) -> None:
    answer = client.get(f"{API}requests.{fmt}?{query}")
    assert answer.status_code == 400
    if fmt == "xml":
        assert [e.findtext("description") for e in ET.fromstring(answer.content)] == [message]
    else:
        assert answer.json() == [{"code": 400, "description": message}]


def test_dates_near_the_edges_still_work(client: TestClient) -> None:
    ticket_of(client)
    for query in ("start_date=2999-12-31T00:00:00Z", "end_date=1900-01-01T00:00:00%2B14:00"):
        answer = client.get(f"{API}requests.json?{query}")
        assert (answer.status_code, answer.json()) == (200, [])
