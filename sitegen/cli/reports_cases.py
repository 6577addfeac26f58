"""``sitegen reports list|show|set-status|export``: cases on the machine with the database."""

from __future__ import annotations

import getpass
import zoneinfo
from pathlib import Path

import click

from sitegen.cli.reports_common import (
    Reports,
    errors,
    examples,
    fail,
    jurisdiction_option,
    open_reports,
    status_filter,
    store_options,
)
from sitegen.reports.cases.statuses import STATUSES
from sitegen.reports.characters import control_problem
from sitegen.reports.records import InvalidTransition, ReportQuery, StoredReport

EXPORT_FORMATS = ["csv", "geojson", "cases-json", "cases-csv"]


@click.command("list", epilog=examples("sitegen reports list --status open --limit 20"))
@store_options
@jurisdiction_option
@click.option("--status", multiple=True, help="open, closed or a case status (repeatable).")
@click.option("--service", multiple=True, help="A service code (repeatable).")
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Show at most this many reports.",
)
def list_reports(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    jurisdiction_id: str | None,
    status: tuple[str, ...],
    service: tuple[str, ...],
    limit: int,
) -> None:
    """List reports, newest first: ticket, status, service, time, place, description."""
    statuses = status_filter(status)
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        j = r.jurisdiction(jurisdiction_id)
        query = ReportQuery(
            service_codes=service, statuses=statuses, limit=limit, jurisdiction=j.id
        )
        found = r.store.query(query)
        for report in found:
            place = (
                f"{report.lat:.5f},{report.lng:.5f}"
                if report.lat is not None and report.lng is not None
                else report.address or report.facility_id or "-"
            )
            text = " ".join(report.description.split())
            click.echo(
                f"{report.ticket}  {report.status:<11}  {report.service_code:<18}  "
                f"{report.requested_at.astimezone(j.zone):%Y-%m-%d %H:%M}  {place}  {text[:50]}"
            )
        click.echo(f"{len(found)} report(s)", err=True)


@click.command(epilog=examples("sitegen reports show TW-2611-7KQ3M2"))
@store_options
@click.argument("ticket")
def show(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    ticket: str,
) -> None:
    """Everything about one report, contact details and status history included."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        report = r.store.get(ticket)
        if report is None:
            fail(f"no report with ticket {ticket}")
            return
        j = r.jurisdictions.get(report.jurisdiction)
        _print_report(
            report, r, zoneinfo.ZoneInfo(j.config.timezone) if j else zoneinfo.ZoneInfo("UTC")
        )


def _print_report(rep: StoredReport, r: Reports, zone: zoneinfo.ZoneInfo) -> None:
    c = rep.contact
    lines = [
        ("ticket", rep.ticket),
        ("jurisdiction", rep.jurisdiction),
        ("status", rep.status),
        ("service", rep.service_code),
        ("department", rep.department),
        ("priority", rep.priority),
        ("requested", f"{rep.requested_at.astimezone(zone):%Y-%m-%d %H:%M:%S %z}"),
        ("updated", f"{rep.updated_at.astimezone(zone):%Y-%m-%d %H:%M:%S %z}"),
        ("due", f"{rep.due_at.astimezone(zone):%Y-%m-%d %H:%M %z}" if rep.due_at else None),
        ("merged into", rep.merged_into),
        ("position", f"{rep.lat}, {rep.lng}" if rep.lat is not None else None),
        ("address", rep.address),
        ("facility", rep.facility_id),
        ("area", rep.area),
        ("attributes", ", ".join(f"{k}={v}" for k, v in rep.attributes.items()) or None),
        ("description", rep.description or None),
        ("photos", " ".join(rep.photos) or None),
        ("name", " ".join(n for n in (c.first_name, c.last_name) if n) or None),
        ("email", c.email),
        ("phone", c.phone),
        ("device", c.device_id),
        ("language", rep.locale),
    ]
    for label, value in lines:
        if value is not None:
            click.echo(f"{label + ':':<13}{value}")
    click.echo("history:")
    for change in r.store.history(rep.ticket):
        note = f"  {change.note}" if change.note else ""
        internal = f"  [{change.internal_note}]" if change.internal_note else ""
        click.echo(
            f"  {change.changed_at.astimezone(zone):%Y-%m-%d %H:%M}  {change.status:<11}  "
            f"{change.changed_by}{note}{internal}"
        )


SETTABLE = [s for s in STATUSES if s != "merged"]  # a merge is made in the staff console


@click.command(
    "set-status",
    help="Move a case to STATUS, recording the note, the time and who did it. STATUS is a "
    f"step of the case loop: {', '.join(SETTABLE)} (merging is done in the staff console).",
    epilog=examples(
        'sitegen reports set-status TW-2611-7KQ3M2 dispatched --note "A team is on its way"'
    ),
)
@store_options
@click.argument("ticket")
@click.argument("status", metavar="STATUS", type=click.Choice(SETTABLE))
@click.option(
    "--note", default="", help="Shown to the citizen as status_notes (no control characters)."
)
@click.option("--by", default=None, help="Who made the change [default: your user name].")
def set_status(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    ticket: str,
    status: str,
    note: str,
    by: str | None,
) -> None:
    """Move a case to STATUS, recording the note, the time and who did it."""
    who = by or getpass.getuser()
    problems = [p for p in (control_problem("--note", note), control_problem("--by", who)) if p]
    if problems:
        fail("; ".join(problems))
        return
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        try:
            report = r.store.set_status(ticket, status, note.strip(), who, address="cli")
        except InvalidTransition as exc:
            fail(str(exc))
            return
        click.echo(f"{report.ticket}: {report.status}")


@click.command(epilog=examples("sitegen reports export --format cases-json -o cases.json"))
@store_options
@jurisdiction_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="csv",
    show_default=True,
    help="csv or geojson (one row or point a report); cases-json or cases-csv (full cases).",
)
@click.option(
    "-o",
    "--out",
    "output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write [default: standard output].",
)
@click.option("--status", multiple=True, help="open, closed or a case status (repeatable).")
@click.option("--service", multiple=True, help="A service code (repeatable).")
def export(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    jurisdiction_id: str | None,
    fmt: str,
    output: Path | None,
    status: tuple[str, ...],
    service: tuple[str, ...],
) -> None:
    """Export reports, contact included, for the city's case system.

    csv and geojson hold the reports; cases-json and cases-csv the full case export with
    departments, deadlines, history, internal notes and ratings (docs/reports.md).
    """
    statuses = status_filter(status)
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        j = r.jurisdiction(jurisdiction_id)
        query = ReportQuery(service_codes=service, statuses=statuses, limit=None, jurisdiction=j.id)
        found = r.store.query(query)
        text = _export_text(fmt, found, r, j.id)
        r.audit(j.id, "export", detail={"format": fmt, "cases": len(found)}, address="cli")
        if output is None:
            click.echo(text, nl=False)
            return
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}")
        click.echo(f"{len(found)} report(s) written to {output}", err=True)


def _export_text(fmt: str, found: list[StoredReport], r: Reports, jid: str) -> str:
    from sitegen.reports.case_export import cases_csv, cases_json
    from sitegen.reports.export import to_csv, to_geojson
    from sitegen.reports.store.casework import CaseBook
    from sitegen.reports.store.ratings import RatingBook

    j = r.jurisdictions[jid]
    if fmt == "csv":
        return to_csv(found, j.catalog, j.zone)
    if fmt == "geojson":
        return to_geojson(found, j.catalog, j.zone)
    make = cases_json if fmt == "cases-json" else cases_csv
    return make(found, j, CaseBook(r.store), RatingBook(r.store), r.store.now())
