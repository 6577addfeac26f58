"""``sitegen report-server`` and ``sitegen reports …``: run the endpoint, handle cases.

Like the rest of sitegen: a bad project, setting or ticket gives a clear message and exit
status 1, never a traceback.
"""

from __future__ import annotations

import getpass
import logging
import sys
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from ..cli_options import PROJECT
from ..config import SiteConfig, load_config
from ..errors import ContentError, SitegenError
from .cases import STATUSES, statuses_for
from .catalog import build_catalog
from .records import (
    InvalidTransition,
    ReportQuery,
    StoredReport,
    StoreError,
    TicketMaker,
    ticket_prefix,
)
from .settings import ReportSettings, load_settings
from .store import ReportStore, make_store

F = TypeVar("F", bound=Callable[..., Any])


def _store_options(command: F) -> F:
    """Where the site and the reports are: shared by every command here."""
    options = [
        PROJECT,
        click.option(
            "--database-url",
            default=None,
            help="PostgreSQL URL; better set SITEGEN_REPORTS_DATABASE_URL (kept out of ps).",
        ),
        click.option(
            "--sqlite",
            "sqlite_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="SQLite file when no database URL is set [default: PROJECT/.reports/].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn every expected failure into a message and exit status 1."""
    try:
        yield
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _fail(f"{len(exc.problems)} problem(s) in the site content")
    except (SitegenError, StoreError) as exc:
        _fail(str(exc))


@click.command("report-server")
@_store_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8311, show_default=True, type=int)
@click.option(
    "--media",
    "media_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for photos [default: PROJECT/.reports/media].",
)
@click.option(
    "--allow-origin",
    "allowed_origins",
    multiple=True,
    help="A web origin allowed to post reports (repeatable) [default: site.yaml base_url].",
)
@click.option("--public-url", default=None, help="Address of this service, for photo links.")
@click.option(
    "--submit-per-minute",
    type=float,
    default=None,
    help="Reports per client and minute after a burst of 10 (0: no limit) [default: 10].",
)
@click.option("--no-bounds-check", is_flag=True, help="Accept places outside map.bounds.")
@click.option(
    "--access-log/--no-access-log", default=True, show_default=True, help="Log every request."
)
def report_server(
    project_dir: Path,
    database_url: str | None,
    sqlite_path: Path | None,
    host: str,
    port: int,
    media_dir: Path | None,
    allowed_origins: tuple[str, ...],
    public_url: str | None,
    submit_per_minute: float | None,
    no_bounds_check: bool,
    access_log: bool,
) -> None:
    """Serve the Open311 GeoReport v2 endpoint citizens' reports are sent to."""
    import uvicorn

    from .app import create_app

    logging.getLogger("sitegen.reports").setLevel(logging.INFO)
    with _errors():
        settings = load_settings(
            project_dir,
            {
                "database_url": database_url,
                "sqlite_path": sqlite_path,
                "media_dir": media_dir,
                "allowed_origins": allowed_origins or None,
                "public_url": public_url,
                "submit_per_minute": submit_per_minute,
                "enforce_bounds": False if no_bounds_check else None,
            },
        )
        app = create_app(settings)
        _check_store(settings, app.state.reports.store)
    uvicorn.run(
        app, host=host, port=port, log_level="info", access_log=access_log, server_header=False
    )


def _check_store(settings: ReportSettings, store: ReportStore) -> None:
    # Fail here with a message rather than in the server's startup with a traceback.
    store.open()
    store.close()
    where = "PostgreSQL" if settings.database_url else str(settings.sqlite_file)
    click.echo(f"reports are stored in {where}, photos in {settings.media_path}", err=True)


@contextmanager
def _open_store(
    project_dir: Path, database_url: str | None, sqlite_path: Path | None
) -> Iterator[tuple[ReportStore, SiteConfig]]:
    settings = load_settings(
        project_dir, {"database_url": database_url, "sqlite_path": sqlite_path}
    )
    config = load_config(project_dir)
    zone = zoneinfo.ZoneInfo(config.timezone)
    store = make_store(
        settings, TicketMaker(ticket_prefix(settings, config.report_jurisdiction), zone)
    )
    store.open()
    try:
        yield store, config
    finally:
        store.close()


@click.group()
def reports() -> None:
    """Staff tools for citizens' reports: list, show, set-status, export."""


def _status_filter(status: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for value in status:
        if value in ("open", "closed"):
            found.extend(statuses_for(value))
        elif value in STATUSES:
            found.append(value)
        else:
            raise click.BadParameter(
                f'"{value}": use open, closed or one of {", ".join(STATUSES)}',
                param_hint="--status",
            )
    return tuple(found)


@reports.command("list")
@_store_options
@click.option("--status", multiple=True, help="open, closed or a case status (repeatable).")
@click.option("--service", multiple=True, help="A service code (repeatable).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
def list_reports(
    project_dir: Path,
    database_url: str | None,
    sqlite_path: Path | None,
    status: tuple[str, ...],
    service: tuple[str, ...],
    limit: int,
) -> None:
    """List reports, newest first: ticket, status, service, time, place, description."""
    statuses = _status_filter(status)
    with _errors(), _open_store(project_dir, database_url, sqlite_path) as (store, config):
        zone = zoneinfo.ZoneInfo(config.timezone)
        found = store.query(ReportQuery(service_codes=service, statuses=statuses, limit=limit))
        for r in found:
            place = (
                f"{r.lat:.5f},{r.lng:.5f}"
                if r.lat is not None and r.lng is not None
                else r.address or r.facility_id or "-"
            )
            text = " ".join(r.description.split())
            click.echo(
                f"{r.ticket}  {r.status:<11}  {r.service_code:<18}  "
                f"{r.requested_at.astimezone(zone):%Y-%m-%d %H:%M}  {place}  {text[:50]}"
            )
        click.echo(f"{len(found)} report(s)", err=True)


@reports.command()
@_store_options
@click.argument("ticket")
def show(
    project_dir: Path, database_url: str | None, sqlite_path: Path | None, ticket: str
) -> None:
    """Everything about one report, contact details and status history included."""
    with _errors(), _open_store(project_dir, database_url, sqlite_path) as (store, config):
        report = store.get(ticket)
        if report is None:
            _fail(f"no report with ticket {ticket}")
            return
        _print_report(report, store, config)


def _print_report(r: StoredReport, store: ReportStore, config: SiteConfig) -> None:
    zone = zoneinfo.ZoneInfo(config.timezone)
    c = r.contact
    lines = [
        ("ticket", r.ticket),
        ("status", r.status),
        ("service", r.service_code),
        ("requested", f"{r.requested_at.astimezone(zone):%Y-%m-%d %H:%M:%S %z}"),
        ("updated", f"{r.updated_at.astimezone(zone):%Y-%m-%d %H:%M:%S %z}"),
        ("position", f"{r.lat}, {r.lng}" if r.lat is not None else None),
        ("address", r.address),
        ("facility", r.facility_id),
        ("attributes", ", ".join(f"{k}={v}" for k, v in r.attributes.items()) or None),
        ("description", r.description or None),
        ("photos", " ".join(r.photos) or None),
        ("name", " ".join(n for n in (c.first_name, c.last_name) if n) or None),
        ("email", c.email),
        ("phone", c.phone),
        ("device", c.device_id),
        ("language", r.locale),
    ]
    for label, value in lines:
        if value is not None:
            click.echo(f"{label + ':':<13}{value}")
    click.echo("history:")
    for change in store.history(r.ticket):
        note = f"  {change.note}" if change.note else ""
        click.echo(
            f"  {change.changed_at.astimezone(zone):%Y-%m-%d %H:%M}  {change.status:<11}  "
            f"{change.changed_by}{note}"
        )


@reports.command("set-status")
@_store_options
@click.argument("ticket")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--note", default="", help="Shown to the citizen as status_notes.")
@click.option("--by", default=None, help="Who made the change [default: your user name].")
def set_status(
    project_dir: Path,
    database_url: str | None,
    sqlite_path: Path | None,
    ticket: str,
    status: str,
    note: str,
    by: str | None,
) -> None:
    """Move a case to STATUS, recording the note, the time and who did it."""
    who = by or getpass.getuser()
    with _errors(), _open_store(project_dir, database_url, sqlite_path) as (store, _):
        try:
            report = store.set_status(ticket, status, note.strip(), who)
        except InvalidTransition as exc:
            _fail(str(exc))
            return
        click.echo(f"{report.ticket}: {report.status}")


@reports.command()
@_store_options
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "geojson"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write [default: standard output].",
)
@click.option("--status", multiple=True, help="open, closed or a case status (repeatable).")
@click.option("--service", multiple=True, help="A service code (repeatable).")
def export(
    project_dir: Path,
    database_url: str | None,
    sqlite_path: Path | None,
    fmt: str,
    output: Path | None,
    status: tuple[str, ...],
    service: tuple[str, ...],
) -> None:
    """Export reports, contact included, for the city's case system."""
    from .export import to_csv, to_geojson

    statuses = _status_filter(status)
    with _errors(), _open_store(project_dir, database_url, sqlite_path) as (store, config):
        found = store.query(ReportQuery(service_codes=service, statuses=statuses, limit=None))
        zone = zoneinfo.ZoneInfo(config.timezone)
        convert = to_csv if fmt == "csv" else to_geojson
        text = convert(found, build_catalog(config), zone)
        if output is None:
            click.echo(text, nl=False)
        else:
            try:
                output.write_text(text, encoding="utf-8", newline="")
            except OSError as exc:
                _fail(f"cannot write {output}: {exc.strerror}")
            click.echo(f"{len(found)} report(s) written to {output}", err=True)
