"""Storage of reports: one interface, the SQL shared by SQLite and PostgreSQL.

A report is acknowledged only after its transaction commits. Idempotency rests on a UNIQUE
constraint on the key, so a retried submission is stored once even when two copies arrive
at the same moment or the server restarts in between.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sitegen.reports.cases.statuses import INITIAL_STATUS, RATEABLE_STATUSES, check_transition
from sitegen.reports.records import (
    Created,
    IdempotencyConflict,
    InvalidTransition,
    NewReport,
    ReportQuery,
    StatusChange,
    StoredReport,
    StoreError,
    TicketMaker,
    UnknownTicket,
    normalize_ticket,
)
from sitegen.reports.store.audit import write_entry
from sitegen.reports.store.migrations import MIGRATIONS
from sitegen.reports.store.rows import REPORT_COLUMNS, report_from_row

UTC = dt.UTC


class Transaction(Protocol):
    """What the shared SQL needs of a database transaction (``?`` placeholders)."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def run(self, sql: str, params: Sequence[Any] = ()) -> None: ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)


class ReportStore(ABC):
    """Reports in a SQL database; subclasses supply connections, types and error kinds."""

    serial_type = "INTEGER"
    real_type = "REAL"
    time_type = "TEXT"
    lock_clause = ""  # appended to a SELECT that is followed by an UPDATE of the same row

    def __init__(self, tickets: TicketMaker) -> None:
        self.tickets = tickets
        # Each jurisdiction numbers its tickets with its own prefix; others use ``tickets``.
        self.tickets_by_jurisdiction: Mapping[str, TicketMaker] = {}
        # Every time the store records comes from here, so tests can fix the clock.
        self.clock: Callable[[], dt.datetime] = _utc_now

    def now(self) -> dt.datetime:
        return self.clock().astimezone(UTC)

    # -- what each database supplies ------------------------------------------------------

    @abstractmethod
    def open(self) -> None:
        """Connect and bring the schema up to date."""

    @abstractmethod
    def close(self) -> None:
        """Release every connection."""

    @abstractmethod
    def transaction(self, write: bool) -> AbstractContextManager[Transaction]:
        """A transaction that commits when the block ends and rolls back on an exception."""

    @abstractmethod
    def is_unique_violation(self, exc: BaseException) -> bool:
        """Whether an exception is a UNIQUE constraint refusing a row."""

    @abstractmethod
    def lock_schema(self, tx: Transaction) -> None:
        """Keep two processes from migrating at once."""

    def time_param(self, moment: dt.datetime) -> Any:
        return moment

    def time_value(self, value: Any) -> dt.datetime:
        assert isinstance(value, dt.datetime)
        return value.astimezone(UTC)

    def maybe_time(self, moment: dt.datetime | None) -> Any:
        return None if moment is None else self.time_param(moment)

    # -- schema ---------------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply the migrations not yet applied; returns the schema version."""
        with self.transaction(write=True) as tx:
            self.lock_schema(tx)
            tx.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = tx.rows("SELECT MAX(version) FROM schema_version")[0][0] or 0
            for version, script in enumerate(MIGRATIONS, start=1):
                if version <= current:
                    continue
                sql = script.format(
                    serial=self.serial_type, real=self.real_type, time=self.time_type
                )
                for statement in sql.split(";"):
                    if statement.strip():
                        tx.run(statement)
                tx.run("INSERT INTO schema_version (version) VALUES (?)", (version,))
            return max(current, len(MIGRATIONS))

    def adopt_unassigned(self, jurisdiction: str) -> int:
        """Give reports stored before jurisdictions existed to ``jurisdiction``; how many."""
        with self.transaction(write=True) as tx:
            found = int(tx.rows("SELECT COUNT(*) FROM reports WHERE jurisdiction = ''")[0][0])
            if found:
                tx.run(
                    "UPDATE reports SET jurisdiction = ? WHERE jurisdiction = ''", (jurisdiction,)
                )
        return found

    # -- reports --------------------------------------------------------------------------

    def create(self, new: NewReport) -> Created:
        """Store a new report, or give back the one stored under the same idempotency key."""
        if new.idempotency_key is not None:
            existing = self.find_by_key(new.idempotency_key)
            if existing is not None:
                return self._replay(existing, new)
        tickets = self.tickets_by_jurisdiction.get(new.jurisdiction, self.tickets)
        for _ in range(8):
            now = self.now()
            ticket = tickets.new(now)
            try:
                self._insert(new, ticket, now)
            except Exception as exc:
                if not self.is_unique_violation(exc):
                    raise
                if new.idempotency_key is not None:
                    existing = self.find_by_key(new.idempotency_key)
                    if existing is not None:  # a concurrent copy committed first
                        return self._replay(existing, new)
                continue  # the random ticket was taken: draw another
            return Created(self._stored(new, ticket, now), created=True)
        raise StoreError("could not draw a free ticket number")

    def _insert(self, new: NewReport, ticket: str, now: dt.datetime) -> None:
        c = new.contact
        with self.transaction(write=True) as tx:
            rows = tx.rows(
                "INSERT INTO reports (ticket, idempotency_key, fingerprint, service_code, status,"
                " description, lat, lng, address, facility_id, attributes, email, first_name,"
                " last_name, phone, device_id, locale, requested_at, updated_at, jurisdiction,"
                " area, due_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    ticket,
                    new.idempotency_key,
                    new.fingerprint,
                    new.service_code,
                    INITIAL_STATUS,
                    new.description,
                    new.lat,
                    new.lng,
                    new.address,
                    new.facility_id,
                    json.dumps(dict(new.attributes), ensure_ascii=False, sort_keys=True),
                    c.email,
                    c.first_name,
                    c.last_name,
                    c.phone,
                    c.device_id,
                    new.locale,
                    self.time_param(now),
                    self.time_param(now),
                    new.jurisdiction,
                    new.area,
                    self.maybe_time(new.due_at),
                ),
            )
            report_id = rows[0][0]
            for seq, name in enumerate(new.photos):
                tx.run(
                    "INSERT INTO report_photos (report_id, seq, name) VALUES (?, ?, ?)",
                    (report_id, seq, name),
                )
            self.add_change(tx, report_id, INITIAL_STATUS, "", "citizen", now, "receive")

    def add_change(
        self,
        tx: Transaction,
        report_id: int,
        status: str,
        note: str,
        by: str,
        at: dt.datetime,
        action: str | None = None,
        internal_note: str = "",
        department: str | None = None,
    ) -> None:
        """Record one step of a case's history."""
        tx.run(
            "INSERT INTO status_changes (report_id, status, note, changed_by, changed_at,"
            " action, internal_note, department) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (report_id, status, note, by, self.time_param(at), action, internal_note, department),
        )

    @staticmethod
    def _replay(existing: StoredReport, new: NewReport) -> Created:
        if existing.fingerprint != new.fingerprint:
            raise IdempotencyConflict(existing.ticket)
        return Created(existing, created=False)

    @staticmethod
    def _stored(new: NewReport, ticket: str, now: dt.datetime) -> StoredReport:
        return StoredReport(
            ticket=ticket,
            service_code=new.service_code,
            status=INITIAL_STATUS,
            status_notes=None,
            description=new.description,
            lat=new.lat,
            lng=new.lng,
            address=new.address,
            facility_id=new.facility_id,
            attributes=dict(new.attributes),
            contact=new.contact,
            locale=new.locale,
            photos=new.photos,
            idempotency_key=new.idempotency_key,
            fingerprint=new.fingerprint,
            requested_at=now,
            updated_at=now,
            jurisdiction=new.jurisdiction,
            area=new.area,
            due_at=new.due_at,
        )

    def find_by_key(self, key: str) -> StoredReport | None:
        """The report first submitted with an idempotency key."""
        found = self.select("WHERE idempotency_key = ?", (key,))
        return found[0] if found else None

    def get(self, ticket: str) -> StoredReport | None:
        """One report by its ticket (as typed by a citizen: see ``normalize_ticket``)."""
        found = self.select("WHERE ticket = ?", (normalize_ticket(ticket),))
        return found[0] if found else None

    def query(self, q: ReportQuery) -> list[StoredReport]:
        """Reports matching every given filter, newest first."""
        where: list[str] = []
        params: list[Any] = []
        for column, values in (
            ("ticket", tuple(normalize_ticket(t) for t in q.tickets)),
            ("service_code", q.service_codes),
            ("status", q.statuses),
        ):
            if values:
                where.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if q.jurisdiction is not None:
            where.append("jurisdiction = ?")
            params.append(q.jurisdiction)
        if q.start is not None:
            where.append("requested_at >= ?")
            params.append(self.time_param(q.start.astimezone(UTC)))
        if q.end is not None:
            where.append("requested_at <= ?")
            params.append(self.time_param(q.end.astimezone(UTC)))
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        clause += " ORDER BY requested_at DESC, id DESC"
        if q.limit is not None:
            clause += " LIMIT ?"
            params.append(q.limit)
        return self.select(clause, params)

    def select(self, clause: str, params: Sequence[Any]) -> list[StoredReport]:
        """Reports (with their citizens' photos) of ``SELECT … FROM reports {clause}``."""
        with self.transaction(write=False) as tx:
            rows = tx.rows(f"SELECT {REPORT_COLUMNS} FROM reports {clause}", params)
            photos = self.photos_of(tx, [r[0] for r in rows], "citizen")
        return [report_from_row(r, tuple(photos.get(r[0], ())), self.time_value) for r in rows]

    def photos_of(self, tx: Transaction, ids: list[int], kind: str) -> dict[int, list[str]]:
        """The photo names of each report id, of one kind (``citizen`` or ``result``)."""
        photos: dict[int, list[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for report_id, name in tx.rows(
                "SELECT report_id, name FROM report_photos"
                f" WHERE kind = ? AND report_id IN ({', '.join('?' for _ in chunk)})"
                " ORDER BY report_id, seq",
                [kind, *chunk],
            ):
                photos.setdefault(report_id, []).append(name)
        return photos

    # -- the free status change of the machine API and the command line -------------------

    def set_status(
        self, ticket: str, status: str, note: str, by: str, *, address: str | None = None
    ) -> StoredReport:
        """Move a case to a new status, recording the note, the time and who did it."""
        ticket = normalize_ticket(ticket)
        now = self.now()
        with self.transaction(write=True) as tx:
            rows = tx.rows(
                "SELECT id, status, jurisdiction, closures FROM reports"
                f" WHERE ticket = ?{self.lock_clause}",
                (ticket,),
            )
            if not rows:
                raise UnknownTicket(f"no report with ticket {ticket}")
            report_id, current, jurisdiction, closures = rows[0]
            try:
                check_transition(current, status)
            except ValueError as exc:
                raise InvalidTransition(str(exc)) from None
            closes = status in RATEABLE_STATUSES and current not in RATEABLE_STATUSES
            tx.run(
                "UPDATE reports SET status = ?, status_notes = ?, updated_at = ?, closures = ?"
                " WHERE id = ?",
                (status, note or None, self.time_param(now), closures + closes, report_id),
            )
            self.add_change(tx, report_id, status, note, by, now, "set_status")
            write_entry(
                self,
                tx,
                actor=by,
                jurisdiction=jurisdiction,
                action="set_status",
                ticket=ticket,
                detail={"from": current, "to": status, "note": note},
                address=address,
                at=now,
            )
        report = self.get(ticket)
        assert report is not None
        return report

    def history(self, ticket: str) -> list[StatusChange]:
        """Every status a case went through, oldest first."""
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT s.status, s.note, s.changed_by, s.changed_at, s.action, s.internal_note,"
                " s.department FROM status_changes s JOIN reports r ON r.id = s.report_id"
                " WHERE r.ticket = ? ORDER BY s.id",
                (normalize_ticket(ticket),),
            )
        return [
            StatusChange(s, n, b, self.time_value(t), a, i or "", d) for s, n, b, t, a, i, d in rows
        ]

    # -- checks ---------------------------------------------------------------------------

    def count(self) -> int:
        """How many reports are stored."""
        with self.transaction(write=False) as tx:
            return int(tx.rows("SELECT COUNT(*) FROM reports")[0][0])

    def keys(self) -> dict[str, list[str]]:
        """Tickets stored under each idempotency key (exactly one each, by the constraint)."""
        found: dict[str, list[str]] = {}
        with self.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT idempotency_key, ticket FROM reports WHERE idempotency_key IS NOT NULL"
            )
        for key, ticket in rows:
            found.setdefault(key, []).append(ticket)
        return found

    def photo_names(self) -> set[str]:
        """Every media file name a report refers to (other files in the media dir are orphans)."""
        with self.transaction(write=False) as tx:
            return {r[0] for r in tx.rows("SELECT name FROM report_photos")}
