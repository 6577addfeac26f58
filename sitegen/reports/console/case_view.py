"""What the console shows of a case, in the staff member's language: the values of the
queue's rows and of a case page, read from the store and the jurisdiction's site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sitegen.i18n.localize import LText, slug
from sitegen.reports.cases.loop import CaseState, available
from sitegen.reports.cases.statuses import OPEN_STATUSES
from sitegen.reports.console.auth import Desk
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.records import CaseNote, CaseRating, StatusChange, StoredReport

Translate = Callable[..., str]


def local_time(moment: dt.datetime | None, j: Jurisdiction) -> str:
    """A moment as staff read it: the jurisdiction's local date and time, to the minute."""
    return moment.astimezone(j.zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def is_overdue(report: StoredReport, now: dt.datetime) -> bool:
    return report.due_at is not None and report.status in OPEN_STATUSES and report.due_at < now


def due_text(report: StoredReport, j: Jurisdiction, now: dt.datetime, t: Translate) -> str:
    """``2025-01-23 10:30 (3.5 working hours left)``, or how long it is overdue."""
    if report.due_at is None:
        return t("due_none")
    when = local_time(report.due_at, j)
    if report.status not in OPEN_STATUSES:
        return when
    hours = j.deadlines.between(now, report.due_at)
    if hours >= 0:
        return t("due_left", when=when, hours=f"{hours:.1f}")
    return t("due_overdue", when=when, hours=f"{-hours:.1f}")


def text_in(text: LText, locale: str) -> str:
    """A site text in the console's language, else in the site's own first language."""
    return text.values.get(locale) or next(iter(text.values.values()), "")


def service_name(j: Jurisdiction, code: str, locale: str) -> str:
    service = j.catalog.get(code)
    return text_in(service.name, locale) if service else code


def department_name(j: Jurisdiction, code: str | None, locale: str) -> str:
    department = j.department(code)
    return text_in(department.name, locale) if department else (code or "")


def card_url(j: Jurisdiction, facility_id: str | None, locale: str) -> str | None:
    """The facility's name card on the jurisdiction's site (the build's own path rule)."""
    places = j.facilities.ready()
    place = places.get(facility_id) if places and facility_id else None
    if place is None:
        return None
    site_locale = locale if locale in j.config.locales else j.config.source_locale
    return f"{j.config.base_url}{slug(site_locale)}/{place.category}/{place.id}/"


def place_name(j: Jurisdiction, facility_id: str | None) -> str | None:
    places = j.facilities.ready()
    place = places.get(facility_id) if places and facility_id else None
    return place.name if place else None


def attribute_rows(j: Jurisdiction, report: StoredReport, locale: str) -> list[tuple[str, str]]:
    """The citizen's answers to the service's questions, as question and answer."""
    service = j.catalog.get(report.service_code)
    rows = []
    for code, value in report.attributes.items():
        attribute = service.attribute(code) if service else None
        question = text_in(attribute.description, locale) if attribute else code
        names = {v.key: text_in(v.name, locale) for v in attribute.values} if attribute else {}
        values = value if isinstance(value, list) else [value]
        rows.append((question, ", ".join(names.get(v, v) for v in values)))
    return rows


@dataclass
class QueueRow:
    report: StoredReport
    url: str
    service: str
    place: str
    department: str
    received: str
    due: str
    overdue: bool
    rating: str


def queue_row(
    d: Desk, report: StoredReport, now: dt.datetime, ratings: list[CaseRating], t: Translate
) -> QueueRow:
    j, locale = d.j, d.locale
    place = place_name(j, report.facility_id) or report.address or ""
    return QueueRow(
        report=report,
        url=d.url(f"requests/{report.ticket}"),
        service=service_name(j, report.service_code, locale),
        place=place,
        department=department_name(j, report.department, locale),
        received=local_time(report.requested_at, j),
        due=local_time(report.due_at, j),
        overdue=is_overdue(report, now),
        rating=t(f"satisfaction_{ratings[-1].satisfaction}") if ratings else "",
    )


@dataclass
class CasePage:
    """Everything a case page shows."""

    report: StoredReport
    history: list[StatusChange]
    notes: list[CaseNote]
    result_photos: list[str]
    ratings: list[CaseRating]
    duplicates: list[tuple[StoredReport, float | None]]
    merged: list[StoredReport]
    primary: StoredReport | None
    actions: list[str] = field(default_factory=list)


def case_page(d: Desk, report: StoredReport) -> CasePage:
    """Read a case's page from the store (in a worker thread)."""
    ctx = d.ctx
    merged = ctx.cases.merged_into_this(report.ticket)
    ratings = ctx.ratings.of_cases([report.ticket, *(m.ticket for m in merged)])
    open_case = report.status in OPEN_STATUSES
    return CasePage(
        report=report,
        history=ctx.store.history(report.ticket),
        notes=ctx.cases.notes(report.ticket) if d.allows("note") else [],
        result_photos=ctx.cases.result_photos(report.ticket),
        ratings=[r for rs in ratings.values() for r in rs],
        duplicates=ctx.queue.duplicates_of(report, d.j.duplicate_radius_m) if open_case else [],
        merged=merged,
        primary=ctx.cases.outcome_of(report) if report.merged_into else None,
        actions=available(CaseState(report.status, report.department, report.handled_by), d.actor),
    )


def map_feature(d: Desk, report: StoredReport, now: dt.datetime) -> dict[str, Any]:
    """One case on the queue's map (no contact data)."""
    return {
        "type": "Feature",
        "id": report.ticket,
        "geometry": {"type": "Point", "coordinates": [report.lng, report.lat]},
        "properties": {
            "ticket": report.ticket,
            "status": report.status,
            "service": service_name(d.j, report.service_code, d.locale),
            "overdue": is_overdue(report, now),
            "url": d.url(f"requests/{report.ticket}"),
        },
    }
