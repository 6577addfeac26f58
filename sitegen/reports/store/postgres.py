"""Reports in PostgreSQL (psycopg 3), through a small connection pool."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool

from sitegen.reports.records import StoreError, TicketMaker
from sitegen.reports.store.base import ReportStore, Transaction

_MIGRATION_LOCK = 311_311  # advisory lock id: any constant shared by every process


class _PostgresTransaction:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn

    @staticmethod
    def _sql(sql: str) -> str:
        # The shared SQL is written with ``?``; psycopg wants ``%s`` (no ``%`` is ever literal).
        return sql.replace("?", "%s")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self._conn.execute(self._sql(sql), tuple(params))
        return list(cur.fetchall()) if cur.description is not None else []

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(sql), tuple(params))


class PostgresReportStore(ReportStore):
    """The store for a city's server: PostgreSQL given by a ``postgresql://`` URL."""

    serial_type = "BIGINT GENERATED ALWAYS AS IDENTITY"
    real_type = "DOUBLE PRECISION"
    time_type = "TIMESTAMPTZ"
    lock_clause = " FOR UPDATE"

    def __init__(self, url: str, tickets: TicketMaker, max_connections: int = 10) -> None:
        super().__init__(tickets)
        self._url = url
        self._max_connections = max_connections
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] | None = None

    def open(self) -> None:
        # One plain connection first: a wrong URL or a stopped server fails at once with
        # PostgreSQL's own words, instead of after the pool's retries.
        try:
            psycopg.connect(self._url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {str(exc).strip()}") from None
        pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
            self._url,
            min_size=1,
            max_size=self._max_connections,
            kwargs={"autocommit": True},
            open=False,
            name="sitegen-reports",
        )
        try:
            pool.open(wait=True, timeout=15)
        except Exception as exc:
            pool.close()
            raise StoreError(f"cannot connect to PostgreSQL: {exc}") from None
        self._pool = pool
        self.migrate()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Transaction]:
        if self._pool is None:
            raise StoreError("the report store is closed")
        with self._pool.connection() as conn, conn.transaction():
            yield _PostgresTransaction(conn)

    def is_unique_violation(self, exc: BaseException) -> bool:
        return isinstance(exc, pg_errors.UniqueViolation)

    def lock_schema(self, tx: Transaction) -> None:
        tx.rows("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
