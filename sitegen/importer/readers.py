"""Reading source files into rows of text fields, whatever their format."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SitegenError
from .encoding import candidates, decode_lines
from .mapping import Mapping
from .report import Summary

_SPACES = re.compile(r"\s+")
GEOMETRY_LNG, GEOMETRY_LAT = "geometry.lng", "geometry.lat"


class SourceError(SitegenError):
    """A source file that cannot be read at all (wrong format, missing columns)."""


@dataclass
class Row:
    """One source row as text fields, with the file and row number it came from."""

    file: str
    number: int
    fields: dict[str, str]


def clean(value: Any) -> str:
    """Text of a value: BOMs dropped, ideographic and other spaces trimmed and collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store 12 as 12.0
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    return _SPACES.sub(" ", str(value).replace("\ufeff", "")).strip()


def source_format(path: Path, mapping: Mapping) -> str:
    """The mapping's declared format, else the file's extension."""
    if mapping.format:
        return mapping.format
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv", "xlsx", "json", "geojson", "xml"):
        return suffix
    raise SourceError(f"{path.name}: unknown source format; set `format:` in the mapping")


def read_rows(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """Every row of one source file; problems with single rows go to the summary."""
    readers: dict[str, Callable[[Path, Mapping, Summary], list[Row]]] = {
        "csv": read_csv,
        "xlsx": read_xlsx,
        "json": read_json,
        "geojson": read_geojson,
        "xml": read_xml,
    }
    rows = readers[source_format(path, mapping)](path, mapping, summary)
    summary.rows_read += len(rows)
    return rows


def _rows(file: str, header: list[str], items: Iterable[tuple[int, list[Any]]]) -> list[Row]:
    rows = []
    for number, values in items:  # a spreadsheet row may stop before the header does
        if any(clean(value) for value in values):
            pairs = zip(header, values, strict=False)
            rows.append(Row(file, number, {k: clean(v) for k, v in pairs if k}))
    return rows


def read_csv(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """A CSV in any encoding; ``number`` is the row's (first) line in the file."""
    raw = path.read_bytes()
    lines = decode_lines(raw, candidates(raw, mapping.encodings))
    good = [(number, text) for number, text, _ in lines if text is not None]
    for number, text, info in lines:
        if text is None:
            summary.skip(path.name, number, "undecodable bytes", info)
        elif info != "utf-8":
            summary.notes[f"lines decoded as {info}"] += 1
    reader = csv.reader(text for _, text in good)
    header = [clean(name) for name in next(reader, [])]
    rows: list[Row] = []
    start = reader.line_num
    for values in reader:
        # line_num counts lines consumed, so a quoted field spanning lines keeps its first line
        number, start = good[start][0], reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            summary.rows_read += 1
            summary.skip(path.name, number, "wrong number of columns", str(len(values)))
            continue
        rows += _rows(path.name, header, [(number, list(values))])
    return rows


def read_xlsx(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """The first (or the named) sheet of a workbook; ``number`` is the sheet's row number."""
    import openpyxl  # imported here: only .xlsx sources need it

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[mapping.sheet] if mapping.sheet else book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [clean(name) for name in next(values, ())]
        return _rows(path.name, header, ((n, list(row)) for n, row in enumerate(values, 2)))
    finally:
        book.close()


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path.name}: not JSON text: {exc}") from None


def read_json(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """A JSON array of objects; ``number`` is the 1-based index. BOMs in keys are dropped."""
    data = _json(path)
    if not isinstance(data, list):
        raise SourceError(f"{path.name}: expected a JSON array of objects")
    rows = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict):
            summary.skip(path.name, number, "not an object")
            continue
        rows.append(Row(path.name, number, {clean(k): clean(v) for k, v in item.items()}))
    return rows


def read_geojson(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """A FeatureCollection: properties, plus a Point's position as geometry.lng/geometry.lat."""
    data = _json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path.name}: expected a GeoJSON FeatureCollection")
    rows = []
    for number, feature in enumerate(data.get("features") or [], 1):
        properties = feature.get("properties") or {}
        fields = {clean(k): clean(v) for k, v in properties.items()}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            fields[GEOMETRY_LNG], fields[GEOMETRY_LAT] = map(clean, geometry["coordinates"][:2])
        rows.append(Row(path.name, number, fields))
    return rows


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xml(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """Elements at the mapping's ``rows`` path; child elements and attributes become fields."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise SourceError(f"{path.name}: not XML: {exc}") from None
    assert mapping.rows is not None  # the mapping check requires it for xml
    elements = root.findall(mapping.rows, mapping.namespaces)
    if not elements:
        raise SourceError(f"{path.name}: no rows at {mapping.rows}; has the format changed?")
    rows = []
    for number, element in enumerate(elements, 1):
        fields = {_local(key): clean(value) for key, value in element.attrib.items()}
        fields.update({_local(child.tag): clean(child.text) for child in element})
        rows.append(Row(path.name, number, fields))
    return rows
