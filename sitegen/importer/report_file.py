"""The ``--report FILE`` of an import: one line per row that needs an editor's look, so the
source can be fixed. JSON (an array, one object per line) or CSV (UTF-8 with a BOM, which
spreadsheet programs need to show Chinese text)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.importer.report import Summary

COLUMNS = ("file", "row", "status", "field", "reason", "value", "card", "name")
MERGED = "duplicate point and name: merged into an earlier row"


def report_rows(summary: Summary) -> list[dict[str, str | int]]:
    """Every skipped, flagged, merged and shared-point row, in file and row order."""
    rows: list[dict[str, str | int]] = []

    def add(file: str, row: int, status: str, field: str, reason: str, value: str) -> None:
        card, name = summary.row_cards.get((file, row), ("", ""))
        values = (file, row, status, field, reason, value, card, name)
        rows.append(dict(zip(COLUMNS, values, strict=True)))

    for issue in summary.skipped:
        add(issue.file, issue.row, "skipped", issue.field, issue.reason, issue.detail)
    for issue in summary.flagged:
        status = "merged" if issue.reason == MERGED else "flagged"
        add(issue.file, issue.row, status, issue.field, issue.reason, issue.detail)
    for point in summary.shared:
        reason = f"{len(point.cards)} cards at one point, kept apart"
        for file, row in point.rows:
            add(file, row, "shared point", "location", reason, point.point)
    for (where, column), seen in summary.html.items():
        reason = f'column "{column}" holds HTML in {seen.rows} rows; add {{html: text}}'
        add(seen.file, seen.row, "warning", where.removeprefix("fields."), reason, seen.sample)
    return sorted(rows, key=lambda r: (str(r["file"]), int(r["row"])))


def report_text(path: Path, summary: Summary) -> str:
    """The report file's text, in the format its name ends with (.json or .csv)."""
    rows = report_rows(summary)
    suffix = path.suffix.lower()
    if suffix == ".json":
        lines = [json.dumps(row, ensure_ascii=False) for row in rows]
        return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return "\ufeff" + buffer.getvalue()
    raise SitegenError(f"--report {path}: give a file name ending in .json or .csv")


def write_report(path: Path, summary: Summary) -> None:
    """Write the report file (its folder is made if needed)."""
    text = report_text(path, summary)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
