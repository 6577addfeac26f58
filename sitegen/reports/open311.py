"""GeoReport v2 on the wire: JSON and XML encodings of answers and of errors.

The payloads are plain dicts and lists built by ``views``; this module only encodes them the
way the spec shows, so a change of format never touches what is said.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, Literal

from starlette.responses import Response

from sitegen.reports.characters import xml_safe

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
MEDIA_TYPES: dict[Format, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}

# XML needs a name for each item of a list; the spec names them after the list.
_ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class ApiError(Exception):
    """An answer in the spec's error format: ``[{code, description}]`` with an HTTP status.

    Several descriptions make several entries, so a form's problems are all told at once.
    """

    def __init__(
        self,
        status: int,
        description: str | list[str],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.descriptions = [description] if isinstance(description, str) else description
        super().__init__("; ".join(self.descriptions))
        self.status = status
        self.headers = dict(headers or {})


def parse_format(value: str) -> Format:
    """The format named by a resource's extension, or a 404 for any other extension."""
    if value == "json":
        return "json"
    if value == "xml":
        return "xml"
    raise ApiError(404, f'unknown format ".{value}"; use .json or .xml')


def format_of_path(path: str) -> Format:
    """The format an error should use when the path may not even match a route."""
    return "xml" if path.lower().endswith(".xml") else "json"


def encode_json(payload: Any) -> bytes:
    """JSON with ``<``, ``>`` and ``&`` escaped, so no text can ever be taken for markup."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()


def encode_xml(payload: Any, root: str) -> bytes:
    """XML as the spec shows it: ``<root>`` holding one element per list item or field."""
    element = ET.Element(root)
    _fill(element, root, payload)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), key, item)
    elif isinstance(value, list | tuple):
        item_name = _ITEM_NAMES.get(name, "item")
        for item in value:
            _fill(ET.SubElement(element, item_name), item_name, item)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        # Input with such characters is refused, but older data may hold them: an answer
        # must parse whatever is stored.
        element.text = xml_safe(str(value))


def render(
    payload: Any,
    fmt: Format,
    root: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An answer in the requested format; ``root`` names the XML root element."""
    body = encode_json(payload) if fmt == "json" else encode_xml(payload, root)
    response = Response(body, status_code=status, headers=headers, media_type=MEDIA_TYPES[fmt])
    # Browsers must never guess another type (HTML) from what a citizen wrote.
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def error_response(
    status: int,
    description: str | list[str],
    fmt: Format,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error in the spec's format (``<errors><error><code/><description/>``)."""
    descriptions = [description] if isinstance(description, str) else description
    payload = [{"code": status, "description": d} for d in descriptions]
    return render(payload, fmt, "errors", status, headers)
