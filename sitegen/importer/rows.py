"""Row checks: one source row becomes a draft card, or is skipped with a reason."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..geo import to_wgs84
from .mapping import FieldSpec, Mapping
from .readers import GEOMETRY_LAT, GEOMETRY_LNG, Row, SourceError
from .report import Issue, Summary
from .transforms import Flag, apply

Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass
class Draft:
    """A card in the making; ``rows`` lists the source rows merged into it."""

    name: str
    lng: float
    lat: float
    data: dict[str, Any]
    rows: list[tuple[str, int]] = field(default_factory=list)
    id: str = ""


def _inside(box: Box, lng: float, lat: float) -> bool:
    return box[0] <= lng <= box[2] and box[1] <= lat <= box[3]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is no coordinate


def _raw_point(row: Row, mapping: Mapping) -> tuple[float | None, float | None]:
    if mapping.point_column:
        parts = re.split(r"[,\s;]+", row.fields.get(mapping.point_column, "").strip())
        if len(parts) != 2:
            return None, None
        first, second = (_number(part) for part in parts)
        return (first, second) if mapping.point_order == "lng,lat" else (second, first)
    lng_key, lat_key = mapping.lng or GEOMETRY_LNG, mapping.lat or GEOMETRY_LAT
    return _number(row.fields.get(lng_key, "")), _number(row.fields.get(lat_key, ""))


def locate(row: Row, mapping: Mapping, site: Box, summary: Summary) -> tuple[float, float] | None:
    """The row's WGS-84 [lng, lat] rounded to 6 dp, swapped back if needed; None if unusable."""
    lng, lat = _raw_point(row, mapping)
    if lng is None or lat is None:
        summary.skip(row.file, row.number, "no coordinates")
        return None
    boxes = [site, *([mapping.bounds] if mapping.bounds else [])]

    def fits(x: float, y: float) -> bool:
        return all(_inside(box, x, y) for box in boxes)

    if not fits(lng, lat) and fits(lat, lng):
        summary.flag(row.file, row.number, "lng/lat swapped, fixed", f"[{lng}, {lat}]")
        lng, lat = lat, lng
    lng, lat = to_wgs84(lng, lat, mapping.crs)
    if not _inside(site, lng, lat):
        summary.skip(row.file, row.number, "outside the site's bounds", f"[{lng}, {lat}]")
        return None
    if mapping.bounds and not _inside(mapping.bounds, lng, lat):
        summary.skip(row.file, row.number, "outside the source bounds", f"[{lng}, {lat}]")
        return None
    return round(lng, 6), round(lat, 6)


def _source_value(row: Row, spec: FieldSpec) -> Any:
    if not spec.columns:
        return spec.value
    parts = [row.fields.get(column, "") for column in spec.columns]
    if spec.join_dedupe:
        # "North Rd" + "North Rd 643" reads "North Rd 643", not the road twice
        nexts = [*parts[1:], ""]
        pairs = zip(parts, nexts, strict=True)
        parts = [p for p, after in pairs if not (p and after.startswith(p))]
    return spec.join.join(part for part in parts if part)


def field_values(row: Row, mapping: Mapping) -> tuple[dict[str, Any], list[Issue]]:
    """Every mapped field of a row after its transforms, and the flags they raised."""
    values: dict[str, Any] = {}
    flags: list[Issue] = []
    for spec in mapping.fields:
        raw = _source_value(row, spec)
        value = apply(raw, spec.transforms) if raw not in (None, "") else None
        if isinstance(value, Flag):
            flags.append(Issue(row.file, row.number, f"{spec.name}: {value.reason}", value.detail))
        elif value is not None:
            values[spec.name] = value
    return values, flags


def learn(rows: Sequence[Row], values: Sequence[dict[str, Any]], spec: FieldSpec) -> dict[str, Any]:
    """``learn_from`` column value -> field value, where at least two rows agree and none differ."""
    assert spec.learn_from is not None
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row, found in zip(rows, values, strict=True):
        key = row.fields.get(spec.learn_from, "")
        if key and spec.name in found:
            seen[key][found[spec.name]] += 1
    return {
        key: next(iter(counts))
        for key, counts in seen.items()
        if len(counts) == 1 and counts.total() >= 2
    }


def check_columns(rows: Sequence[Row], mapping: Mapping) -> None:
    """Stop when a column the mapping names is in no row: the source format changed."""
    if not rows:
        return
    present = set().union(*(row.fields for row in rows))
    named = {c for spec in mapping.fields for c in (*spec.columns, spec.learn_from) if c}
    named |= {c for c in (mapping.lng, mapping.lat, mapping.point_column) if c}
    named |= {skip["column"] for skip in mapping.skips}
    missing = sorted(named - present)
    if missing:
        raise SourceError(f"{rows[0].file}: no column {', '.join(missing)}; did the format change?")


def drafts(rows: Sequence[Row], mapping: Mapping, site: Box, summary: Summary) -> list[Draft]:
    """Draft cards of the usable rows, in source order; every other row is reported."""
    check_columns(rows, mapping)
    values, flags = (
        zip(*(field_values(row, mapping) for row in rows), strict=True) if rows else ((), ())
    )
    tables = {s.name: learn(rows, values, s) for s in mapping.fields if s.learn_from}
    out = []
    for row, found, raised in zip(rows, values, flags, strict=True):
        skip = next(
            (s for s in mapping.skips if s["pattern"].search(row.fields.get(s["column"], ""))), None
        )
        name = found.get("name")
        if skip:
            summary.skip(row.file, row.number, skip["reason"], row.fields.get(skip["column"], ""))
            continue
        if not isinstance(name, str) or not name:
            summary.skip(row.file, row.number, "no name")
            continue
        point = locate(row, mapping, site, summary)
        if point is None:
            continue
        summary.flagged += raised
        data = {k: v for k, v in found.items() if k != "name"}
        for spec in mapping.fields:
            if spec.learn_from and spec.name not in data:
                learnt = tables[spec.name].get(row.fields.get(spec.learn_from, ""))
                if learnt is not None:
                    data[spec.name] = learnt
                    summary.notes[f"{spec.name} learnt from {spec.learn_from}"] += 1
        out.append(Draft(name, point[0], point[1], data, [(row.file, row.number)]))
    return out
