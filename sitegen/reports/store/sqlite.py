"""Reports in a SQLite file: WAL, ``synchronous=FULL``, one connection per thread."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sitegen.reports.records import StoreError, TicketMaker
from sitegen.reports.store.base import UTC, ReportStore, Transaction

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order


class _SqliteTransaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(sql, tuple(params)).fetchall())

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, tuple(params))


class SqliteReportStore(ReportStore):
    """The default store: a single file next to the project, safe across a power cut."""

    def __init__(self, path: Path, tickets: TicketMaker, busy_timeout_ms: int = 30_000) -> None:
        super().__init__(tickets)
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = True

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._closed = False
        self.migrate()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("the report store is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # Autocommit mode: transactions are begun explicitly below. The connection is
            # used by the one thread that made it; the flag only lets close() run elsewhere.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk (WAL fsynced) before the report is acknowledged.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Transaction]:
        conn = self._connection()
        if not write:
            with self._run(conn, "BEGIN") as tx:
                yield tx
            return
        # SQLite has one writer at a time. Threads of this process queue on a lock instead of
        # SQLite's busy handler, whose growing sleeps make latency spiky under load; the busy
        # timeout still covers other processes (the CLI). IMMEDIATE takes the write lock up
        # front, so two writers never deadlock upgrading a read lock.
        with self._write_lock, self._run(conn, "BEGIN IMMEDIATE") as tx:
            yield tx

    @staticmethod
    @contextmanager
    def _run(conn: sqlite3.Connection, begin: str) -> Iterator[Transaction]:
        conn.execute(begin)
        try:
            yield _SqliteTransaction(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def is_unique_violation(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc)

    def lock_schema(self, tx: Transaction) -> None:
        pass  # BEGIN IMMEDIATE already excludes every other writer

    def time_param(self, moment: dt.datetime) -> Any:
        return moment.astimezone(UTC).strftime(_TIME_FORMAT)

    def time_value(self, value: Any) -> dt.datetime:
        return dt.datetime.strptime(str(value), _TIME_FORMAT).replace(tzinfo=UTC)

    def journal_mode(self) -> str:
        """The journal mode in force (``wal``), for checks."""
        with self.transaction(write=False) as tx:
            return str(tx.rows("PRAGMA journal_mode")[0][0])
