"""Which report store a server uses: PostgreSQL when a database URL is set, SQLite otherwise."""

from __future__ import annotations

from sitegen.reports.records import TicketMaker
from sitegen.reports.settings import ReportSettings
from sitegen.reports.store.base import ReportStore
from sitegen.reports.store.postgres import PostgresReportStore
from sitegen.reports.store.sqlite import SqliteReportStore


def make_store(settings: ReportSettings, tickets: TicketMaker) -> ReportStore:
    """PostgreSQL when a database URL is set, SQLite otherwise; ``open()`` connects."""
    store: ReportStore
    if settings.database_url:
        store = PostgresReportStore(settings.database_url, tickets)
    else:
        store = SqliteReportStore(settings.sqlite_file, tickets)
    return store
