"""The position of a row: read from its columns or geometry, checked against the bounds,
swapped back when longitude and latitude were exchanged, converted to WGS-84.

Messages show the position as the source wrote it, not as converted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sitegen.geo.crs import to_wgs84
from sitegen.importer.mapping import Mapping
from sitegen.importer.paths import MISSING
from sitegen.importer.readers import Row
from sitegen.importer.report import Summary

Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Point:
    """A WGS-84 position rounded to 6 decimals (about 0.1 m), and the source's own writing."""

    lng: float
    lat: float
    written: str


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value is MISSING:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _written(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_written(item) for item in value) + "]"
    return str(value)


def _pair(first: Any, second: Any, order: str) -> tuple[float | None, float | None]:
    a, b = _number(first), _number(second)
    return (a, b) if order == "lng,lat" else (b, a)


def raw_point(row: Row, mapping: Mapping) -> tuple[float | None, float | None, str, str]:
    """(lng, lat) as numbers in the source's system, the source's writing, and why not."""
    if mapping.point_column:
        value = row.get(mapping.point_column)
        if isinstance(value, dict):  # a GeoJSON geometry: {type: Point, coordinates: [...]}
            return _geometry(value)
        if isinstance(value, list) and len(value) >= 2:
            lng, lat = _pair(value[0], value[1], mapping.point_order or "lng,lat")
            return lng, lat, _written(value[:2]), ""
        text = value if isinstance(value, str) else ""
        parts = re.split(r"[,\s;]+", text.strip())
        if len(parts) != 2:
            return None, None, text, "no coordinates"
        lng, lat = _pair(parts[0], parts[1], mapping.point_order or "lat,lng")
        return lng, lat, f'"{text}"', ""
    if mapping.lng and mapping.lat:
        lng, lat = row.get(mapping.lng), row.get(mapping.lat)
        return _number(lng), _number(lat), f"[{_written(lng)}, {_written(lat)}]", ""
    geometry = (row.feature or {}).get("geometry")
    return _geometry(geometry) if isinstance(geometry, dict) else (None, None, "", "")


def _geometry(geometry: dict[str, Any]) -> tuple[float | None, float | None, str, str]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind != "Point":
        return None, None, "", f"geometry is a {kind}, not a Point" if kind else ""
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None, None, "", ""
    lng, lat = _pair(coordinates[0], coordinates[1], "lng,lat")
    return lng, lat, _written(coordinates[:2]), ""


def _inside(box: Box, lng: float, lat: float) -> bool:
    return box[0] <= lng <= box[2] and box[1] <= lat <= box[3]


def locate(row: Row, mapping: Mapping, site: Box, summary: Summary) -> Point | None:
    """The row's WGS-84 point, swapped back if needed; None (and the reason) if unusable."""
    lng, lat, written, why = raw_point(row, mapping)
    if lng is None or lat is None:
        summary.skip(row.file, row.number, why or "no coordinates", written if why else "")
        return None
    boxes = [site, *([mapping.bounds] if mapping.bounds else [])]

    def fits(x: float, y: float) -> bool:
        return all(_inside(box, x, y) for box in boxes)

    if not fits(lng, lat) and fits(lat, lng):
        summary.flag(row.file, row.number, "lng/lat swapped, fixed", written)
        lng, lat = lat, lng
    lng, lat = to_wgs84(lng, lat, mapping.crs)
    if not _inside(site, lng, lat):
        summary.skip(row.file, row.number, "outside the site's bounds", written)
        return None
    if mapping.bounds and not _inside(mapping.bounds, lng, lat):
        summary.skip(row.file, row.number, "outside the source bounds", written)
        return None
    return Point(round(lng, 6), round(lat, 6), written)
