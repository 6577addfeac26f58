"""Reading a ``POST requests`` form into a checked submission, every problem told at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.pipeline.services import FACILITY_ATTRIBUTE, Catalog, Service, ServiceAttribute
from sitegen.reports.characters import forbidden_in, shown
from sitegen.reports.facilities import Place
from sitegen.reports.open311 import ApiError
from sitegen.reports.records import Contact

HONEYPOT = "website"  # hidden in the form; people leave it empty, form-filling robots do not
MAX_DESCRIPTION = 4000  # the spec's limit
_LIMITS = {
    "address_string": 500,
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "phone": 40,
    "device_id": 200,
    "locale": 35,
    "idempotency_key": 255,
    "jurisdiction_id": 100,
}
_SINGLE = {"service_code", "lat", "long", "description", *_LIMITS}
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]+)\](\[\])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+()#*.\- ]{3,}")
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as header values allow

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Submission:
    """A report as the citizen sent it, checked against the service's definition."""

    service: Service
    description: str
    lat: float | None
    lng: float | None
    address: str | None
    facility_id: str | None
    attributes: dict[str, str | list[str]]
    contact: Contact


def fingerprint(fields: list[tuple[str, str]], photo_digests: list[str]) -> str:
    """A digest of a submission as sent, to tell a retry from a different report."""
    ignored = {"idempotency_key", HONEYPOT, "api_key"}
    canonical = sorted((k, v) for k, v in fields if k not in ignored)
    blob = json.dumps([canonical, photo_digests], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def single_values(fields: list[tuple[str, str]]) -> dict[str, str]:
    """The one-valued fields of a form; a field given twice is an error."""
    found: dict[str, str] = {}
    twice: list[str] = []
    for key, value in fields:
        if key in _SINGLE:
            if key in found:
                twice.append(f"{key} is given more than once")
            found[key] = value
    if twice:
        raise ApiError(400, twice)
    return found


def names_facility(fields: list[tuple[str, str]]) -> bool:
    """Whether the form points at a facility (then the facility index is needed)."""
    return any(key == f"attribute[{FACILITY_ATTRIBUTE}]" and value for key, value in fields)


def read_submission(
    fields: list[tuple[str, str]],
    catalog: Catalog,
    places: Mapping[str, Place] | None,
    bounds: Bounds | None,
) -> Submission:
    """Check a form; raise ApiError(400) listing every problem found."""
    problems: list[str] = []
    for key, value in fields:
        if forbidden_in(key) or forbidden_in(value):
            problems.append(f"{shown(key)} contains control characters")
    if problems:
        raise ApiError(400, problems)
    one = single_values(fields)
    for key, limit in _LIMITS.items():
        if len(one.get(key, "")) > limit:
            problems.append(f"{key} is longer than {limit} characters")

    service = _service(one, catalog, problems)
    description = one.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"description is longer than {MAX_DESCRIPTION} characters")

    lat, lng = _position(one, bounds, problems)
    address = one.get("address_string", "").strip() or None
    raw_attributes = _attribute_values(fields)
    facility_values = raw_attributes.pop(FACILITY_ATTRIBUTE, [])
    facility_id = facility_values[0].strip() if facility_values else None
    if len(facility_values) > 1:
        problems.append(f"attribute[{FACILITY_ATTRIBUTE}] is given more than once")
    if facility_id and places is not None:
        place = places.get(facility_id)
        if place is None:
            problems.append(f'unknown facility "{facility_id}"')
        else:
            if (
                service is not None
                and service.categories
                and place.category not in service.categories
            ):
                problems.append(f'service "{service.code}" does not apply to a {place.category}')
            if lat is None:
                lat, lng = place.lat, place.lng
            address = address or place.address
    position_given = bool(one.get("lat", "").strip() or one.get("long", "").strip())
    if lat is None and not address and not facility_id and not position_given:
        problems.append("give the place: lat and long, address_string or attribute[facility]")

    attributes = _check_attributes(service, raw_attributes, problems) if service else {}
    contact = _contact(one, problems)
    if problems or service is None:
        raise ApiError(400, problems)
    return Submission(
        service, description, lat, lng, address, facility_id or None, attributes, contact
    )


def _service(one: dict[str, str], catalog: Catalog, problems: list[str]) -> Service | None:
    """The service the form names, or None with the problem noted."""
    code = one.get("service_code", "").strip()
    service = catalog.get(code) if code else None
    if not code:
        problems.append("service_code is required")
    elif service is None:
        problems.append(f'unknown service_code "{code}"; GET services lists the codes')
    return service


def _position(
    one: dict[str, str], bounds: Bounds | None, problems: list[str]
) -> tuple[float | None, float | None]:
    raw_lat, raw_lng = one.get("lat", "").strip(), one.get("long", "").strip()
    if not raw_lat and not raw_lng:
        return None, None
    if not raw_lat or not raw_lng:
        problems.append("lat and long go together: give both or neither")
        return None, None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except ValueError:
        problems.append("lat and long must be decimal degrees such as 25.0478 and 121.5170")
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lng)) or not (
        -90 <= lat <= 90 and -180 <= lng <= 180
    ):
        problems.append("lat must be within -90..90 and long within -180..180")
        return None, None
    if bounds is not None:
        (west, south), (east, north) = bounds
        if not (west <= lng <= east and south <= lat <= north):
            problems.append("the place is outside the area this site covers")
            return None, None
    return lat, lng


def _attribute_values(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, value in fields:
        match = _ATTRIBUTE.fullmatch(key)
        if match:
            values.setdefault(match.group(1), []).append(value)
    return values


def _check_attributes(
    service: Service, given: dict[str, list[str]], problems: list[str]
) -> dict[str, str | list[str]]:
    checked: dict[str, str | list[str]] = {}
    for code, values in given.items():
        attribute = service.attribute(code)
        if attribute is None:
            problems.append(f'service "{service.code}" has no attribute "{shown(code)}"')
            continue
        values = [v.strip() for v in values if v.strip()]
        if values:
            value = _attribute_value(attribute, values, problems)
            if value is not None:
                checked[code] = value
    for attribute in service.attributes:
        name = f"attribute[{attribute.code}]"
        already_told = any(p.startswith(name) for p in problems)
        if attribute.required and attribute.code not in checked and not already_told:
            problems.append(f"{name} is required")
    return checked


def _attribute_value(
    attribute: ServiceAttribute, values: list[str], problems: list[str]
) -> str | list[str] | None:
    name = f"attribute[{attribute.code}]"
    if attribute.datatype == "multivaluelist":
        unknown = [v for v in values if v not in attribute.value_keys()]
        if unknown:
            problems.append(f"{name}: unknown value {unknown[0]!r}")
            return None
        return sorted(set(values))
    if len(values) > 1:
        problems.append(f"{name} takes one value")
        return None
    value = values[0]
    if attribute.datatype == "singlevaluelist" and value not in attribute.value_keys():
        keys = ", ".join(sorted(attribute.value_keys()))
        problems.append(f"{name}: unknown value {value!r}; use one of {keys}")
        return None
    if attribute.datatype == "number":
        try:
            if not math.isfinite(float(value)):
                raise ValueError
        except ValueError:
            problems.append(f"{name} must be a number")
            return None
    if attribute.datatype == "datetime":
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            problems.append(f"{name} must be a date and time such as 2026-11-05T08:15:30+08:00")
            return None
    limit = MAX_DESCRIPTION if attribute.datatype == "text" else 500
    if len(value) > limit:
        problems.append(f"{name} is longer than {limit} characters")
        return None
    return value


def _contact(one: dict[str, str], problems: list[str]) -> Contact:
    email = one.get("email", "").strip() or None
    phone = one.get("phone", "").strip() or None
    if email and not _EMAIL.fullmatch(email):
        problems.append("email is not an email address")
    if phone and not _PHONE.fullmatch(phone):
        problems.append("phone may hold only digits, spaces and + ( ) - . # *")
    return Contact(
        email=email,
        first_name=one.get("first_name", "").strip() or None,
        last_name=one.get("last_name", "").strip() or None,
        phone=phone,
        device_id=one.get("device_id", "").strip() or None,
    )
