"""Reading source files into rows, whatever their format: text for CSV and XML, JSON types kept."""

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

from sitegen.errors import SitegenError
from sitegen.importer.encoding import candidates, decode_lines
from sitegen.importer.mapping import Mapping
from sitegen.importer.paths import MISSING, lookup, paths_of
from sitegen.importer.report import Summary

_SPACES = re.compile(r"\s+")


class SourceError(SitegenError):
    """A source file that cannot be read at all (wrong format, missing columns)."""


@dataclass
class Row:
    """One source row with the file and row number it came from.

    ``fields`` are the row's values: text for CSV and XML, JSON's own types (nested
    objects and arrays too) for JSON. A GeoJSON row's fields are the feature's properties,
    and ``feature`` is the whole feature, so ``geometry.coordinates`` can be named too.
    """

    file: str
    number: int
    fields: dict[str, Any]
    feature: dict[str, Any] | None = None

    def get(self, path: str) -> Any:
        """The value at a column or path, or ``MISSING``."""
        found = lookup(self.fields, path)
        if found is MISSING and self.feature is not None:
            found = lookup(self.feature, path)
        return found


def clean(value: Any) -> str:
    """Text of a value: BOMs dropped, ideographic and other spaces trimmed and collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store 12 as 12.0
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    return _SPACES.sub(" ", str(value).replace("\ufeff", "")).strip()


def clean_json(value: Any) -> Any:
    """A JSON value with its types kept: text cleaned as ``clean`` does, BOMs gone from keys."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(key): clean_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    return value


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


def _cell(value: Any) -> Any:
    """A spreadsheet cell with its type: numbers stay numbers (12.0 is 12), yes/no stays a bool."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool | int | float):
        return value
    return clean(value)


def _rows(
    file: str,
    header: list[str],
    items: Iterable[tuple[int, list[Any]]],
    cell: Callable[[Any], Any] = clean,
) -> list[Row]:
    rows = []
    for number, values in items:  # a spreadsheet row may stop before the header does
        if any(clean(value) for value in values):
            pairs = zip(header, values, strict=False)
            rows.append(Row(file, number, {k: cell(v) for k, v in pairs if k}))
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
        items = ((n, list(row)) for n, row in enumerate(values, 2))
        return _rows(path.name, header, items, _cell)
    finally:
        book.close()


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path.name}: not JSON text: {exc}") from None


def _rows_of(data: Any, path: Path, mapping: Mapping) -> list[Any]:
    """The array of rows: the document itself, or the array at the mapping's ``rows``."""
    if mapping.rows:
        found = lookup(data, mapping.rows)
        if not isinstance(found, list):
            arrays = [p for p in paths_of(data) if isinstance(lookup(data, p), list)]
            hint = f"; arrays in the file: {', '.join(arrays[:10])}" if arrays else ""
            raise SourceError(f"{path.name}: no array of rows at rows: {mapping.rows}{hint}")
        return found
    if isinstance(data, list):
        return data
    arrays = (
        [key for key, value in data.items() if isinstance(value, list)]
        if isinstance(data, dict)
        else []
    )
    hint = f"; set rows: to the path of its array of rows ({', '.join(arrays)})" if arrays else ""
    raise SourceError(f"{path.name}: expected a JSON array of objects{hint}")


def read_json(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """A JSON array of objects (or the array at ``rows:``); ``number`` is the 1-based index.

    Values keep their JSON types; BOMs in keys are dropped.
    """
    rows = []
    for number, item in enumerate(_rows_of(_json(path), path, mapping), 1):
        if not isinstance(item, dict):
            summary.skip(path.name, number, "not an object")
            continue
        rows.append(Row(path.name, number, clean_json(item)))
    return rows


def read_geojson(path: Path, mapping: Mapping, summary: Summary) -> list[Row]:
    """A FeatureCollection: each feature's properties, with the feature itself behind them."""
    data = _json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path.name}: expected a GeoJSON FeatureCollection")
    rows = []
    for number, feature in enumerate(data.get("features") or [], 1):
        if not isinstance(feature, dict):
            summary.skip(path.name, number, "not a feature")
            continue
        feature = clean_json(feature)
        properties = feature.get("properties")
        fields = properties if isinstance(properties, dict) else {}
        rows.append(Row(path.name, number, fields, feature))
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
