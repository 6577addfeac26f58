"""The import report, word for word: identical messages grouped with their rows, exact row
numbers, the source's own coordinates, shared points with the label that would merge them,
HTML warnings, and the --report file (JSON or CSV) with one line per row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner, Result

from sitegen.cli.importer import import_command

MAPPING = """\
category: toilet
output: toilet/test.yaml
id: {prefix: t}
location: {lng: lng, lat: lat}
fields:
  name: name
  address: address
  opening_hours: {column: hours, transforms: [{hours: true}]}
  seats: seats
  wheelchair: {column: wheelchair, transforms: [{bool: true}]}
"""
HEADER = "name,lat,lng,address,hours,seats,wheelchair\n"


def _rows() -> str:
    rows = [f"公廁{n},25.0{n:02d},121.5{n:02d},,依公告開放,8,Y" for n in range(1, 13)]  # 2-13
    rows += [
        "大安市場,25.03,121.54,大安路&amp;信義路口,,600,有",  # 14: seats too high
        "大安公園,25.031,121.535,,,4,maybe",  # 15: not yes or no
        ",25.04,121.55,,,,",  # 16: no name
    ]
    rows += [f"上海{n},31.{n:02d},121.47,,,," for n in range(1, 13)]  # 17-28: outside the site
    rows += ["市場男廁,25.02,121.53,,,,", "市場女廁,25.02,121.53,,,,"]  # 29-30: one point
    return HEADER + "\n".join(rows) + "\n"


def _run(project: Path, *extra: str) -> Result:
    (project / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    (project / "toilets.csv").write_text(_rows(), encoding="utf-8")
    args = [str(project / "toilets.csv"), "--mapping", str(project / "mapping.yaml")]
    return CliRunner().invoke(
        import_command, [*args, "-C", str(project), "--dry-run", *extra], catch_exceptions=False
    )


def test_report_groups_identical_messages_with_exact_rows(project: Path) -> None:
    result = _run(project)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("toilet/test.yaml  (dry run: nothing written)")
    assert lines[1:] == [
        "  rows read:      29",
        "  rows skipped:   13",
        "    1 no name",
        "    12 outside the site's bounds",
        "  rows flagged:   14",
        "    12 opening_hours: unparseable hours (left out)",
        "    1 seats: above the maximum 500 (left out)",
        "    1 wheelchair: not yes or no (left out)",
        "  rows merged:    0",
        "  cards:          16 (would be new 16, would be updated 0, unchanged 0)",
        "  hand edits kept: 0, conflicts: 0",
        "  cards gone from the source: 0",
        "  warnings:",
        '    fields.address: column "address" holds HTML in 1 row, e.g. toilets.csv row 14: '
        '"大安路&amp;信義路口"; add {html: text} to its transforms',
        "  skipped rows:",
        "    toilets.csv row 16: no name",
        *(
            f"    toilets.csv row {row}: outside the site's bounds: [121.47, 31.{n:02d}]"
            for row, n in zip(range(17, 27), range(1, 11), strict=True)
        ),
        '    … and 2 more rows with "outside the site\'s bounds" (--report FILE lists every row)',
        "  flagged rows:",
        "    toilets.csv rows 2-13 (12 rows): opening_hours: unparseable hours (left out): "
        '"依公告開放"',
        "    toilets.csv row 14: seats: above the maximum 500 (left out): 600",
        '    toilets.csv row 15: wheelchair: not yes or no (left out): "maybe"',
        "  points with more than one card (1, kept apart):",
        "    [121.53, 25.02] toilets.csv rows 29-30: 市場男廁 · 市場女廁",
        "      to merge them: {pattern: '(?:女廁|男廁)$', at: end} in merge.labels would make "
        'them one "市場"',
    ]


def test_report_file_lists_every_row_as_json(project: Path) -> None:
    result = _run(project, "--report", str(project / "out" / "report.json"))
    assert result.exit_code == 0, result.output
    text = (project / "out" / "report.json").read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 2 + 30
    rows = json.loads(text)
    assert rows[0] == {
        "file": "toilets.csv",
        "row": 2,
        "status": "flagged",
        "field": "opening_hours",
        "reason": "opening_hours: unparseable hours (left out)",
        "value": '"依公告開放"',
        "card": rows[0]["card"],
        "name": "公廁1",
    }
    assert rows[0]["card"].startswith("t-")
    assert [(r["row"], r["status"]) for r in rows[12:16]] == [
        (14, "flagged"),
        (14, "warning"),
        (15, "flagged"),
        (16, "skipped"),
    ]
    assert rows[-1] == {
        "file": "toilets.csv",
        "row": 30,
        "status": "shared point",
        "field": "location",
        "reason": "2 cards at one point, kept apart",
        "value": "[121.53, 25.02]",
        "card": rows[-1]["card"],
        "name": "市場女廁",
    }
    assert {r["row"] for r in rows if r["reason"] == "outside the site's bounds"} == set(
        range(17, 29)
    )


def test_report_file_as_csv_for_a_spreadsheet(project: Path) -> None:
    result = _run(project, "--report", str(project / "report.csv"))
    assert result.exit_code == 0, result.output
    raw = (project / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbffile,row,status,field,reason,value,card,name\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 30
    assert rows[14] == {
        "file": "toilets.csv",
        "row": "15",
        "status": "flagged",
        "field": "wheelchair",
        "reason": "wheelchair: not yes or no (left out)",
        "value": '"maybe"',
        "card": rows[14]["card"],
        "name": "大安公園",
    }


def test_report_file_needs_a_known_format(project: Path) -> None:
    result = _run(project, "--report", str(project / "report.txt"))
    assert result.exit_code == 1
    assert result.output == (
        f"error: --report {project / 'report.txt'}: give a file name ending in .json or .csv\n"
    )
