"""The staff commands: list, show, set-status, export; errors as messages, never tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from sitegen.cli.reports import report_server, reports
from sitegen.reports.settings import ReportSettings

from .helpers import post_report


@pytest.fixture
def tickets(client: TestClient) -> list[str]:
    """Two reports: one dirty toilet with a formula-like description, one broken door."""
    first = post_report(client, {"description": '=HYPERLINK("http://x")'})
    second = post_report(
        client,
        {
            "service_code": "toilet_broken",
            "attribute[what]": "door",
            "lat": None,
            "long": None,
            "attribute[facility]": "futian-0001",
        },
    )
    assert first.status_code == second.status_code == 201, second.text
    return [first.json()[0]["service_request_id"], second.json()[0]["service_request_id"]]


def run(settings: ReportSettings, *args: str) -> tuple[int, str, str]:
    command, *rest = args
    group_args = [command, "-C", str(settings.project_dir), "--sqlite", str(settings.sqlite_file)]
    result = CliRunner().invoke(reports, [*group_args, *rest], env={})
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_list_and_filters(settings: ReportSettings, tickets: list[str]) -> None:
    code, out, err = run(settings, "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [tickets[1], tickets[0]]
    assert "received" in lines[0] and "toilet_broken" in lines[0]
    assert err.strip() == "2 report(s)"
    code, out, _ = run(settings, "list", "--service", "toilet_dirty")
    assert [line.split()[0] for line in out.splitlines()] == [tickets[0]]
    code, out, _ = run(settings, "list", "--status", "closed")
    assert (code, out) == (0, "")


def test_show_includes_contact_and_history(settings: ReportSettings, tickets: list[str]) -> None:
    code, out, _ = run(settings, "show", tickets[1].lower())
    assert code == 0
    assert f"ticket:      {tickets[1]}" in out
    assert "email:       citizen@example.org" in out
    assert "facility:    futian-0001" in out
    assert "position:    22.5535, 114.0572" in out  # taken from the facility card
    assert "address:     福田区红荔路6030号" in out
    assert "attributes:  what=door" in out
    assert "received" in out.split("history:")[1]


def test_set_status(settings: ReportSettings, tickets: list[str]) -> None:
    code, out, _ = run(
        settings, "set-status", tickets[0], "in_progress", "--note", "On it", "--by", "desk-7"
    )
    assert (code, out.strip()) == (0, f"{tickets[0]}: in_progress")
    code, out, _ = run(settings, "show", tickets[0])
    history = out.split("history:")[1]
    assert "in_progress" in history and "desk-7" in history and "On it" in history


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "SZ-2611-ZZZZZZ"), "error: no report with ticket SZ-2611-ZZZZZZ"),
        (("set-status", "SZ-2611-ZZZZZZ", "closed"), "error: no report with ticket SZ-2611-ZZZZZZ"),
        (("set-status", "{first}", "received"), 'error: a case cannot go back to "received"'),
        (("list", "--status", "lost"), 'Invalid value for --status: "lost"'),
    ],
)
def test_errors_are_messages(
    settings: ReportSettings, tickets: list[str], args: tuple[str, ...], message: str
) -> None:
    run(settings, "set-status", tickets[0], "resolved")
    code, _, err = run(settings, *(a.format(first=tickets[0]) for a in args))
    assert code != 0
    assert message in err


def test_bad_project_is_a_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(reports, ["list", "-C", str(tmp_path)], env={})
    assert result.exit_code == 1
    assert "no site.yaml here" in result.stderr and "Traceback" not in result.output
    bad_url = CliRunner().invoke(
        report_server, ["-C", str(tmp_path), "--database-url", "mysql://x"], env={}
    )
    assert bad_url.exit_code == 1
    assert "expected a postgresql:// URL" in bad_url.stderr


def test_export_csv(settings: ReportSettings, tickets: list[str], tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, _, err = run(settings, "export", "--format", "csv", "-o", str(target))
    assert code == 0 and "2 report(s) written" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    by_ticket = {row["ticket"]: row for row in rows}
    assert set(by_ticket) == set(tickets)
    dirty = by_ticket[tickets[0]]
    assert dirty["email"] == "citizen@example.org"
    assert dirty["description"] == '\'=HYPERLINK("http://x")'  # kept as text in spreadsheets
    assert dirty["service_name"] == "厕所不清洁"
    assert json.loads(by_ticket[tickets[1]]["attributes"]) == {"what": "door"}


def test_export_geojson(settings: ReportSettings, tickets: list[str]) -> None:
    code, out, _ = run(settings, "export", "--format", "geojson", "--service", "toilet_broken")
    assert code == 0
    collection = json.loads(out)
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["type"] == "Feature" and feature["id"] == tickets[1]
    assert feature["geometry"] == {"type": "Point", "coordinates": [114.0572, 22.5535]}
    assert "crs" not in collection  # RFC 7946: WGS-84 always, no crs member
    assert feature["properties"]["facility_id"] == "futian-0001"
