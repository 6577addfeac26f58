"""Reports for the city's case system: CSV, or GeoJSON (RFC 7946) points. Staff data."""

from __future__ import annotations

import csv
import io
import json
import zoneinfo
from collections.abc import Iterable
from typing import Any

from sitegen.pipeline.services import Catalog
from sitegen.reports.cases.statuses import open311_status
from sitegen.reports.records import StoredReport
from sitegen.reports.views import w3c_time

CSV_COLUMNS = (
    "ticket",
    "status",
    "open311_status",
    "service_code",
    "service_name",
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
    "status_notes",
    "photos",
)
# Spreadsheets run a cell that starts like a formula; citizens' text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _record(report: StoredReport, catalog: Catalog, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    service = catalog.get(report.service_code)
    c = report.contact
    return {
        "ticket": report.ticket,
        "status": report.status,
        "open311_status": open311_status(report.status),
        "service_code": report.service_code,
        "service_name": service.name[catalog.source_locale] if service else None,
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
        "requested_datetime": w3c_time(report.requested_at, zone),
        "updated_datetime": w3c_time(report.updated_at, zone),
        "status_notes": report.status_notes,
        "photos": list(report.photos),
    }


def spreadsheet_cell(value: Any) -> str:
    """A CSV cell: lists joined, mappings as JSON, text that looks like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if isinstance(value, list):
        return " ".join(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(reports: Iterable[StoredReport], catalog: Catalog, zone: zoneinfo.ZoneInfo) -> str:
    """One row per report, contact included; text that looks like a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        record = _record(report, catalog, zone)
        writer.writerow([spreadsheet_cell(record[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def to_geojson(reports: Iterable[StoredReport], catalog: Catalog, zone: zoneinfo.ZoneInfo) -> str:
    """A FeatureCollection of WGS-84 points (long, lat); a report without a position has none."""
    features = []
    for report in reports:
        properties = _record(report, catalog, zone)
        del properties["lat"], properties["long"]
        has_point = report.lat is not None and report.lng is not None
        features.append(
            {
                "type": "Feature",
                "id": report.ticket,
                "geometry": (
                    {"type": "Point", "coordinates": [report.lng, report.lat]}
                    if has_point
                    else None
                ),
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
