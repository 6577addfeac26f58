"""The store interface, run against SQLite and a real PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator

import pytest

from sitegen.reports.records import (
    Contact,
    IdempotencyConflict,
    InvalidTransition,
    NewReport,
    ReportQuery,
    StoredReport,
    TicketMaker,
    UnknownTicket,
    normalize_ticket,
)
from sitegen.reports.settings import ReportSettings
from sitegen.reports.store.base import ReportStore
from sitegen.reports.store.factory import make_store
from sitegen.reports.store.migrations import MIGRATIONS
from sitegen.reports.store.sqlite import SqliteReportStore

from .conftest import MakeSettings

TICKET = re.compile(r"SZ-\d{4}-[0-9A-HJKMNP-TV-Z]{6}")


def new_report(key: str | None = None, **changes: object) -> NewReport:
    values: dict[str, object] = {
        "service_code": "toilet_dirty",
        "description": "wet floor",
        "lat": 22.55,
        "lng": 114.05,
        "address": None,
        "facility_id": None,
        "attributes": {"also": ["light", "soap"], "what": "door"},
        "contact": Contact(email="a@example.org", phone="123"),
        "locale": "en",
        "photos": (),
        "idempotency_key": key,
        "fingerprint": "f1",
    }
    values.update(changes)
    return NewReport(**values)  # type: ignore[arg-type]


@pytest.fixture
def store_settings(make_settings: MakeSettings, database_url: str | None) -> ReportSettings:
    return make_settings(database_url)


@pytest.fixture
def store(store_settings: ReportSettings) -> Iterator[ReportStore]:
    opened = make_store(store_settings, TicketMaker("SZ"))
    opened.open()
    yield opened
    opened.close()


def test_create_then_get_gives_back_everything(store: ReportStore) -> None:
    created = store.create(new_report("k1", photos=("a" * 32 + ".jpg",)))
    assert created.created
    assert TICKET.fullmatch(created.report.ticket)
    got = store.get(created.report.ticket)
    assert got is not None
    assert got == created.report
    assert got.attributes == {"also": ["light", "soap"], "what": "door"}
    assert got.contact == Contact(email="a@example.org", phone="123")
    assert got.status == "received"
    assert got.requested_at.tzinfo is not None
    assert abs(got.requested_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert store.count() == 1
    assert store.photo_names() == {"a" * 32 + ".jpg"}


def test_same_key_returns_first_ticket_and_stores_nothing_new(store: ReportStore) -> None:
    first = store.create(new_report("key-1"))
    again = store.create(new_report("key-1"))
    assert not again.created
    assert again.report.ticket == first.report.ticket
    assert store.count() == 1
    assert store.keys() == {"key-1": [first.report.ticket]}


def test_same_key_with_another_body_is_a_conflict(store: ReportStore) -> None:
    first = store.create(new_report("key-1"))
    with pytest.raises(IdempotencyConflict) as caught:
        store.create(new_report("key-1", fingerprint="other", description="other"))
    assert caught.value.ticket == first.report.ticket
    assert store.count() == 1


def test_a_copy_committed_after_the_first_look_is_found(
    store: ReportStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = store.create(new_report("k"))
    real_find = store.find_by_key
    looks: list[str] = []

    def late_find(key: str) -> StoredReport | None:
        looks.append(key)  # the first look misses, as when a copy commits right after it
        return None if len(looks) == 1 else real_find(key)

    monkeypatch.setattr(store, "find_by_key", late_find)
    again = store.create(new_report("k"))
    assert len(looks) == 2  # the UNIQUE constraint refused the row, then the copy was found
    assert not again.created and again.report.ticket == first.report.ticket
    assert store.count() == 1


def test_reports_without_key_are_all_stored(store: ReportStore) -> None:
    tickets = {store.create(new_report()).report.ticket for _ in range(3)}
    assert len(tickets) == 3
    assert store.count() == 3


def test_concurrent_copies_store_one_row(store: ReportStore) -> None:
    barrier = threading.Barrier(8)
    tickets: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            tickets.append(store.create(new_report("same-key")).report.ticket)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(tickets) == 8 and len(set(tickets)) == 1
    assert store.count() == 1


def test_a_taken_ticket_is_drawn_again(store: ReportStore) -> None:
    drawn = iter(["SZ-2611-AAAAAA", "SZ-2611-AAAAAA", "SZ-2611-BBBBBB"])
    store.tickets = _FixedTickets(lambda: next(drawn))
    assert store.create(new_report()).report.ticket == "SZ-2611-AAAAAA"
    assert store.create(new_report()).report.ticket == "SZ-2611-BBBBBB"
    assert store.count() == 2


class _FixedTickets(TicketMaker):
    def __init__(self, draw: Callable[[], str]) -> None:
        super().__init__("SZ")
        self._draw = draw

    def new(self, when: dt.datetime) -> str:
        return self._draw()


def test_query_filters(store: ReportStore) -> None:
    a = store.create(new_report(service_code="toilet_dirty")).report
    b = store.create(new_report(service_code="toilet_broken")).report
    store.set_status(b.ticket, "resolved", "fixed", "tester")
    assert [r.ticket for r in store.query(ReportQuery(tickets=(a.ticket,)))] == [a.ticket]
    assert {r.ticket for r in store.query(ReportQuery())} == {a.ticket, b.ticket}
    by_service = store.query(ReportQuery(service_codes=("toilet_broken",)))
    assert [r.ticket for r in by_service] == [b.ticket]
    closed = store.query(ReportQuery(statuses=("resolved", "closed", "rejected")))
    assert [r.ticket for r in closed] == [b.ticket]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert store.query(ReportQuery(start=later)) == []
    assert len(store.query(ReportQuery(end=later, limit=1))) == 1


def test_status_changes_are_recorded_with_note_time_and_who(store: ReportStore) -> None:
    ticket = store.create(new_report()).report.ticket
    updated = store.set_status(ticket, "dispatched", "team 3 is on its way", "desk-7")
    assert updated.status == "dispatched"
    assert updated.status_notes == "team 3 is on its way"
    assert updated.updated_at >= updated.requested_at
    history = store.history(ticket)
    assert [(h.status, h.note, h.changed_by) for h in history] == [
        ("received", "", "citizen"),
        ("dispatched", "team 3 is on its way", "desk-7"),
    ]


def test_bad_status_changes_are_refused(store: ReportStore) -> None:
    ticket = store.create(new_report()).report.ticket
    with pytest.raises(InvalidTransition):
        store.set_status(ticket, "teleported", "", "x")
    store.set_status(ticket, "resolved", "", "x")
    with pytest.raises(InvalidTransition):
        store.set_status(ticket, "received", "", "x")
    with pytest.raises(UnknownTicket):
        store.set_status("SZ-2611-ZZZZZZ", "closed", "", "x")
    assert len(store.history(ticket)) == 2


def test_tickets_are_found_as_citizens_type_them(store: ReportStore) -> None:
    store.tickets = _FixedTickets(lambda: "SZ-2611-0K1Q3M")
    store.create(new_report())
    assert store.get("sz-2611-okiq3m") is not None
    assert normalize_ticket(" sz-2611-oklq3m ") == "SZ-2611-0K1Q3M"


def test_reopening_migrates_nothing_twice(store_settings: ReportSettings) -> None:
    first = make_store(store_settings, TicketMaker("SZ"))
    first.open()
    ticket = first.create(new_report("k")).report.ticket
    first.close()
    second = make_store(store_settings, TicketMaker("SZ"))
    second.open()
    try:
        assert second.migrate() == len(MIGRATIONS)  # a new schema version: was 1
        assert second.get(ticket) is not None
        assert second.count() == 1
    finally:
        second.close()


def test_sqlite_is_durable(make_settings: MakeSettings) -> None:
    store = make_store(make_settings(), TicketMaker("SZ"))
    assert isinstance(store, SqliteReportStore)
    store.open()
    try:
        assert store.journal_mode() == "wal"
        with store.transaction(write=False) as tx:
            assert tx.rows("PRAGMA synchronous")[0][0] == 2  # FULL
    finally:
        store.close()
