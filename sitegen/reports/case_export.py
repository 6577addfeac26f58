"""The full case export for the city's case system: every case with its department,
deadline, history, internal notes, result photos and ratings, as JSON or CSV.

Staff data (contact and internal notes included): only supervisors export it, and the
command line. docs/reports.md describes every field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from sitegen.reports.cases.statuses import OPEN_STATUSES, open311_status
from sitegen.reports.export import spreadsheet_cell
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.records import StoredReport
from sitegen.reports.store.casework import CaseBook
from sitegen.reports.store.ratings import RatingBook
from sitegen.reports.views import w3c_time

CASE_COLUMNS = (
    "ticket",
    "jurisdiction_id",
    "status",
    "open311_status",
    "service_code",
    "service_name",
    "priority",
    "department",
    "department_name",
    "area",
    "description",
    "lat",
    "long",
    "address",
    "facility_id",
    "attributes",
    "email",
    "first_name",
    "last_name",
    "phone",
    "device_id",
    "locale",
    "requested_datetime",
    "updated_datetime",
    "due_datetime",
    "overdue",
    "merged_into",
    "closures",
    "handled_by",
    "status_notes",
    "photos",
    "result_photos",
    "history",
    "notes",
    "ratings",
)


def case_record(
    report: StoredReport, j: Jurisdiction, cases: CaseBook, ratings: RatingBook, now: dt.datetime
) -> dict[str, Any]:
    """One case, every field of CASE_COLUMNS."""
    z = j.zone
    service = j.catalog.get(report.service_code)
    department = j.department(report.department)
    c = report.contact
    return {
        "ticket": report.ticket,
        "jurisdiction_id": report.jurisdiction,
        "status": report.status,
        "open311_status": open311_status(report.status),
        "service_code": report.service_code,
        "service_name": service.name[j.config.source_locale] if service else None,
        "priority": report.priority,
        "department": report.department,
        "department_name": department.name[j.config.source_locale] if department else None,
        "area": report.area,
        "description": report.description,
        "lat": report.lat,
        "long": report.lng,
        "address": report.address,
        "facility_id": report.facility_id,
        "attributes": dict(report.attributes),
        "email": c.email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone": c.phone,
        "device_id": c.device_id,
        "locale": report.locale,
        "requested_datetime": w3c_time(report.requested_at, z),
        "updated_datetime": w3c_time(report.updated_at, z),
        "due_datetime": w3c_time(report.due_at, z) if report.due_at else None,
        "overdue": bool(report.due_at and report.status in OPEN_STATUSES and report.due_at < now),
        "merged_into": report.merged_into,
        "closures": report.closures,
        "handled_by": report.handled_by,
        "status_notes": report.status_notes,
        "photos": list(report.photos),
        "result_photos": cases.result_photos(report.ticket),
        **_case_log(report, j, cases, ratings),
    }


def _case_log(
    report: StoredReport, j: Jurisdiction, cases: CaseBook, ratings: RatingBook
) -> dict[str, Any]:
    """A case's history, internal notes and ratings."""
    z = j.zone
    return {
        "history": [
            {
                "at": w3c_time(h.changed_at, z),
                "status": h.status,
                "action": h.action,
                "by": h.changed_by,
                "note": h.note,
                "internal_note": h.internal_note,
                "department": h.department,
            }
            for h in cases.store.history(report.ticket)
        ],
        "notes": [
            {"at": w3c_time(n.created_at, z), "by": n.author, "note": n.body}
            for n in cases.notes(report.ticket)
        ],
        "ratings": [
            {
                "at": w3c_time(r.rated_at, z),
                "closure": r.closure,
                "satisfaction": r.satisfaction,
                "comment": r.comment,
            }
            for r in ratings.of_cases([report.ticket]).get(report.ticket, [])
        ],
    }


def cases_json(
    reports: Iterable[StoredReport],
    j: Jurisdiction,
    cases: CaseBook,
    ratings: RatingBook,
    now: dt.datetime,
) -> str:
    """``{"jurisdiction_id", "exported_datetime", "departments", "cases"}`` as JSON."""
    document = {
        "jurisdiction_id": j.id,
        "exported_datetime": w3c_time(now, j.zone),
        "departments": [
            {"code": d.code, "name": dict(d.name.values), "services": list(d.services)}
            for d in j.departments
        ],
        "cases": [case_record(r, j, cases, ratings, now) for r in reports],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def cases_csv(
    reports: Iterable[StoredReport],
    j: Jurisdiction,
    cases: CaseBook,
    ratings: RatingBook,
    now: dt.datetime,
) -> str:
    """One row per case; lists and records (history, notes, ratings) as JSON in their cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CASE_COLUMNS)
    for report in reports:
        record = case_record(report, j, cases, ratings, now)
        row = []
        for column in CASE_COLUMNS:
            value = record[column]
            if isinstance(value, list) and value and not isinstance(value[0], str):
                value = json.dumps(value, ensure_ascii=False)
            row.append(spreadsheet_cell(value))
        writer.writerow(row)
    return out.getvalue()
