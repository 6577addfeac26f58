"""Reading a report back from its row: the columns selected, and the record they make."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sitegen.reports.records import Contact, StoredReport

# The outer table is never aliased, so the subquery's ``reports.merged_into`` is the row's.
REPORT_COLUMNS = (
    "id, ticket, service_code, status, status_notes, description, lat, lng, address, "
    "facility_id, attributes, email, first_name, last_name, phone, device_id, locale, "
    "idempotency_key, fingerprint, requested_at, updated_at, jurisdiction, department, "
    "priority, area, due_at, "
    "(SELECT m.ticket FROM reports m WHERE m.id = reports.merged_into), handled_by, closures"
)


def report_from_row(
    r: tuple[Any, ...], photos: tuple[str, ...], time_value: Callable[[Any], dt.datetime]
) -> StoredReport:
    """The record of one row selected with ``REPORT_COLUMNS``."""
    return StoredReport(
        ticket=r[1],
        service_code=r[2],
        status=r[3],
        status_notes=r[4],
        description=r[5],
        lat=r[6],
        lng=r[7],
        address=r[8],
        facility_id=r[9],
        attributes=json.loads(r[10]),
        contact=Contact(r[11], r[12], r[13], r[14], r[15]),
        locale=r[16],
        photos=photos,
        idempotency_key=r[17],
        fingerprint=r[18],
        requested_at=time_value(r[19]),
        updated_at=time_value(r[20]),
        jurisdiction=r[21],
        department=r[22],
        priority=r[23],
        area=r[24],
        due_at=time_value(r[25]) if r[25] is not None else None,
        merged_into=r[26],
        handled_by=r[27],
        closures=int(r[28]),
    )
