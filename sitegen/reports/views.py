"""What the public calls return, field by field in the spec's order.

Contact details (email, names, phone, device id) are never read here: a public view is
built from an explicit list of fields, so a new stored field stays private until added.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sitegen.pipeline.services import Catalog, Service
from sitegen.reports.cases.statuses import open311_status
from sitegen.reports.language import message
from sitegen.reports.open311 import SPEC_URL
from sitegen.reports.records import StatusChange, StoredReport


def w3c_time(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ISO 8601 with the site's UTC offset, to the second, as the spec asks."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def service_view(service: Service, locale: str) -> dict[str, Any]:
    """One entry of ``GET services``."""
    return {
        "service_code": service.code,
        "service_name": service.name[locale],
        "description": service.description[locale] if service.description else "",
        "metadata": bool(service.attributes),
        "type": "realtime",
        "keywords": ", ".join(service.keywords),
        "group": service.group[locale] if service.group else "",
    }


def definition_view(service: Service, locale: str) -> dict[str, Any]:
    """``GET services/{code}``: the questions a report of this service asks."""
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": message(a.datatype, locale),
                "order": a.order,
                "description": a.description[locale],
                "values": [{"key": v.key, "name": v.name[locale]} for v in a.values],
            }
            for a in service.attributes
        ],
    }


def ticket_view(report: StoredReport) -> dict[str, Any]:
    """The answer to ``POST requests``: the ticket, in the language the citizen wrote in."""
    return {
        "service_request_id": report.ticket,
        "service_notice": message("notice", report.locale),
        "account_id": None,
    }


def request_view(
    report: StoredReport,
    catalog: Catalog,
    locale: str,
    zone: zoneinfo.ZoneInfo,
    media_base: str,
    agency: str | None,
    outcome: StoredReport | None = None,
    extended: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One entry of ``GET requests``: public fields only.

    ``outcome`` is the case whose status the citizen sees: the one this report was merged
    into, if it was. ``extended`` (asked for with ``extensions=true``) is added as
    ``extended_attributes``, as Chicago's and other Open311 servers do.
    """
    service = catalog.get(report.service_code)
    case = outcome or report
    view: dict[str, Any] = {
        "service_request_id": report.ticket,
        "status": open311_status(case.status),
        "status_notes": case.status_notes,
        "service_name": service.name[locale] if service else report.service_code,
        "service_code": report.service_code,
        "description": report.description,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": w3c_time(report.requested_at, zone),
        "updated_datetime": w3c_time(max(report.updated_at, case.updated_at), zone),
        "expected_datetime": w3c_time(case.due_at, zone) if case.due_at else None,
        "address": report.address,
        "address_id": report.facility_id,
        "zipcode": None,
        "lat": report.lat,
        "long": report.lng,
        "media_url": media_base + report.photos[0] if report.photos else None,
    }
    if extended is not None:
        view["extended_attributes"] = extended
    return view


def discovery_view(
    changeset: dt.datetime, endpoint_url: str, contact: str, zone: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    """The service discovery document, pointing at this GeoReport v2 endpoint."""
    stamp = w3c_time(changeset, zone)
    return {
        "changeset": stamp,
        "contact": contact,
        "key_service": "No API key is needed to submit a report.",
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": endpoint_url,
                "changeset": stamp,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def staff_view(
    report: StoredReport,
    history: list[StatusChange],
    zone: zoneinfo.ZoneInfo,
    media_base: str,
) -> dict[str, Any]:
    """Everything about a report, contact included: only for authenticated staff."""
    c = report.contact
    return {
        "ticket": report.ticket,
        "jurisdiction_id": report.jurisdiction,
        "status": report.status,
        "department": report.department,
        "priority": report.priority,
        "area": report.area,
        "due_datetime": w3c_time(report.due_at, zone) if report.due_at else None,
        "merged_into": report.merged_into,
        "open311_status": open311_status(report.status),
        "status_notes": report.status_notes,
        "service_code": report.service_code,
        "description": report.description,
        "lat": report.lat,
        "long": report.lng,
        "address": report.address,
        "facility_id": report.facility_id,
        "attributes": dict(report.attributes),
        "locale": report.locale,
        "media_urls": [media_base + name for name in report.photos],
        "requested_datetime": w3c_time(report.requested_at, zone),
        "updated_datetime": w3c_time(report.updated_at, zone),
        "contact": {
            "email": c.email,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "phone": c.phone,
            "device_id": c.device_id,
        },
        "history": [
            {
                "status": h.status,
                "action": h.action,
                "note": h.note,
                "internal_note": h.internal_note,
                "department": h.department,
                "by": h.changed_by,
                "at": w3c_time(h.changed_at, zone),
            }
            for h in history
        ],
    }
