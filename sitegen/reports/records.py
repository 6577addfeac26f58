"""What a report is: the records the store keeps and gives back, and ticket numbers."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field

from sitegen.reports.settings import ReportSettings

# Crockford's base 32: no I, L, O or U, so a ticket read aloud or typed from paper survives.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
RANDOM_LENGTH = 6  # 32**6 ≈ 10**9 tickets per prefix and month: unguessable in sequence


@dataclass(frozen=True)
class Contact:
    """How staff can reach the citizen: never part of a public answer."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    device_id: str | None = None


@dataclass(frozen=True)
class NewReport:
    """A checked submission, its photos already on disk."""

    service_code: str
    description: str
    lat: float | None
    lng: float | None
    address: str | None
    facility_id: str | None
    attributes: Mapping[str, str | list[str]]
    contact: Contact
    locale: str
    photos: tuple[str, ...]
    idempotency_key: str | None
    fingerprint: str  # digest of the submission as sent, to recognise a retry
    jurisdiction: str = ""
    area: str | None = None  # the district of the facility it names or is nearest to
    due_at: dt.datetime | None = None  # the deadline of its service, in working hours


@dataclass(frozen=True)
class StoredReport:
    """A report as stored, contact included (staff view)."""

    ticket: str
    service_code: str
    status: str
    status_notes: str | None
    description: str
    lat: float | None
    lng: float | None
    address: str | None
    facility_id: str | None
    attributes: Mapping[str, str | list[str]]
    contact: Contact
    locale: str
    photos: tuple[str, ...]
    idempotency_key: str | None
    fingerprint: str
    requested_at: dt.datetime
    updated_at: dt.datetime
    jurisdiction: str = ""
    department: str | None = None
    priority: str = "normal"
    area: str | None = None
    due_at: dt.datetime | None = None
    merged_into: str | None = None  # the ticket of the case this one was merged into
    handled_by: str | None = None  # the user name of the staff member who handled it
    closures: int = 0  # how often it was closed: each closing may be rated once


@dataclass(frozen=True)
class StatusChange:
    """One step of a case: the public note is ``note``; the internal one staff only see."""

    status: str
    note: str
    changed_by: str
    changed_at: dt.datetime
    action: str | None = None
    internal_note: str = ""
    department: str | None = None


@dataclass(frozen=True)
class CaseNote:
    """An internal note: never part of a public answer or export."""

    author: str
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class CaseRating:
    """A citizen's satisfaction with a closed case (one per closing)."""

    ticket: str
    closure: int
    satisfaction: str
    comment: str
    rated_at: dt.datetime


@dataclass(frozen=True)
class Created:
    """The ticket of a submission; ``created`` is False when it was a retry of a stored one."""

    report: StoredReport
    created: bool


@dataclass(frozen=True)
class ReportQuery:
    tickets: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    limit: int | None = 1000
    jurisdiction: str | None = None


class StoreError(Exception):
    """A storage problem the caller can explain to its user."""


class UnknownTicket(StoreError):
    pass


class IdempotencyConflict(StoreError):
    """The idempotency key was first used for a different submission."""

    def __init__(self, ticket: str) -> None:
        super().__init__(f"the idempotency key was already used for another report ({ticket})")
        self.ticket = ticket


class InvalidTransition(StoreError):
    pass


@dataclass
class TicketMaker:
    """Tickets like ``TW-2611-7KQ3M2``: prefix, year and month in the site's zone, random part."""

    prefix: str
    zone: zoneinfo.ZoneInfo = field(default_factory=lambda: zoneinfo.ZoneInfo("UTC"))

    def new(self, when: dt.datetime) -> str:
        random_part = "".join(secrets.choice(_ALPHABET) for _ in range(RANDOM_LENGTH))
        return f"{self.prefix}-{when.astimezone(self.zone):%y%m}-{random_part}"


def normalize_ticket(text: str) -> str:
    """A ticket as typed by a citizen (any case, O for 0, I or L for 1) in its stored form."""
    head, sep, tail = text.strip().upper().rpartition("-")
    return f"{head}{sep}{tail.translate(_READ_AS)}" if sep else text.strip().upper()


def ticket_prefix(settings: ReportSettings, jurisdiction: str | None) -> str:
    """The configured prefix, else the first part of the jurisdiction (``tw-demo`` → ``TW``)."""
    if settings.ticket_prefix:
        return settings.ticket_prefix.upper()
    first = (jurisdiction or "").split("-")[0].split("_")[0]
    return (first[:4] or "R").upper()
