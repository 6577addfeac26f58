"""What the report commands share: where the reports are, which jurisdiction, and turning
every expected failure into a message and exit status 1 (never a traceback).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from sitegen.cli.options import PROJECT
from sitegen.errors import ContentError, SitegenError
from sitegen.reports.cases.statuses import STATUSES, statuses_for
from sitegen.reports.jurisdictions import Jurisdiction, load_jurisdictions
from sitegen.reports.records import StoreError
from sitegen.reports.settings import ReportSettings, load_settings
from sitegen.reports.store.audit import AuditLog
from sitegen.reports.store.base import ReportStore
from sitegen.reports.store.factory import make_store

F = TypeVar("F", bound=Callable[..., Any])


def store_options(command: F) -> F:
    """Where the site(s) and the reports are: shared by every command here."""
    options = [
        PROJECT,
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Server config file listing several jurisdictions (instead of -C).",
        ),
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
            help="SQLite file when no database URL is set "
            "[default: PROJECT/.reports/reports.sqlite3].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def examples(*commands: str) -> str:
    """A command's help epilog: ``Examples:`` and each command on its own line, unwrapped."""
    lines = "\n".join(f"  {command}" for command in commands)
    return f"Examples:\n\n\b\n{lines}"


def jurisdiction_option(command: F) -> F:
    return click.option(
        "--jurisdiction",
        "jurisdiction_id",
        default=None,
        help="The jurisdiction (needed when the server config lists several).",
    )(command)


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@contextmanager
def errors() -> Iterator[None]:
    """Turn every expected failure into a message and exit status 1."""
    try:
        yield
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        fail(f"{len(exc.problems)} problem(s) in the site content or server config")
    except (SitegenError, StoreError) as exc:
        fail(str(exc))


@dataclass
class Reports:
    """An open store with the jurisdictions of the settings."""

    settings: ReportSettings
    store: ReportStore
    jurisdictions: dict[str, Jurisdiction]

    def jurisdiction(self, given: str | None) -> Jurisdiction:
        """The one named, or the only one."""
        if given:
            if given not in self.jurisdictions:
                fail(f'unknown jurisdiction "{given}"; known: {", ".join(self.jurisdictions)}')
            return self.jurisdictions[given]
        if len(self.jurisdictions) > 1:
            fail(f"give --jurisdiction: one of {', '.join(self.jurisdictions)}")
        return next(iter(self.jurisdictions.values()))

    def audit(self, jurisdiction: str, action: str, **entry: Any) -> None:
        """Every change made from the command line is in the audit log too."""
        AuditLog(self.store).write(
            actor=f"cli:{getpass.getuser()}", jurisdiction=jurisdiction, action=action, **entry
        )


@contextmanager
def open_reports(
    project_dir: Path,
    database_url: str | None,
    sqlite_path: Path | None,
    config_file: Path | None = None,
    **options: Any,
) -> Iterator[Reports]:
    settings = load_settings(
        project_dir,
        {
            "database_url": database_url,
            "sqlite_path": sqlite_path,
            "config_file": config_file,
            **options,
        },
    )
    jurisdictions = load_jurisdictions(settings)
    first = next(iter(jurisdictions.values()))
    store = make_store(settings, first.tickets)
    store.tickets_by_jurisdiction = {j.id: j.tickets for j in jurisdictions.values()}
    store.open()
    try:
        store.adopt_unassigned(first.id)
        yield Reports(settings, store, jurisdictions)
    finally:
        store.close()


def status_filter(status: tuple[str, ...]) -> tuple[str, ...]:
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
