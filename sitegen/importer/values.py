"""The card fields of one row: read from its columns (one per language, where the mapping
says so), transformed, then checked against the category's field types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.errors import Mark, Report
from sitegen.importer.html import has_html
from sitegen.importer.mapping import FieldSpec, Mapping, Source
from sitegen.importer.paths import MISSING
from sitegen.importer.readers import Row
from sitegen.importer.report import Summary
from sitegen.importer.target import Target
from sitegen.importer.transforms import Flag, apply, shown
from sitegen.importer.typed import check_value, convert
from sitegen.source import schema as s

_TEXT = s.Text()


@dataclass(frozen=True)
class FieldFlag:
    """A value left out: which field (``name.en`` for one language), and why."""

    field: str
    flag: Flag


def empty(value: Any) -> bool:
    """No value: missing, null, empty text, ``[]`` (Amap's "nothing") or ``{}``."""
    return value is MISSING or value is None or value == "" or value == [] or value == {}


def _text(value: Any) -> str:
    return "" if empty(value) else value if isinstance(value, str) else shown(value)


def source_value(row: Row, src: Source) -> Any:
    """The raw value of a source: a column's value with its type, columns joined, a constant."""
    if not src.columns:
        return src.value
    if len(src.columns) == 1:
        value = row.get(src.columns[0])
        return None if empty(value) else value
    parts = [_text(row.get(column)) for column in src.columns]
    if src.join_dedupe:
        # "North Rd" + "North Rd 643" reads "North Rd 643", not the road twice
        nexts = [*parts[1:], ""]
        pairs = zip(parts, nexts, strict=True)
        parts = [p for p, after in pairs if not (p and after.startswith(p))]
    return src.join.join(part for part in parts if part) or None


def _reads_html(transforms: tuple[dict[str, Any], ...]) -> bool:
    return any("html" in transform for transform in transforms)


def _watch_html(
    row: Row, src: Source, where: str, later: tuple[Any, ...], summary: Summary
) -> None:
    """Warn about markup in a column that no ``html`` transform reads."""
    if _reads_html(src.transforms) or _reads_html(later):
        return
    for column in src.columns:
        value = row.get(column)
        if isinstance(value, str) and has_html(value):
            sample = shown(value if len(value) <= 60 else value[:57] + "...")
            summary.saw_html(where, column, row.file, row.number, sample)


class RowReader:
    """Reads the mapped fields of rows for one target, with the context the parsers need."""

    def __init__(self, mapping: Mapping, target: Target, summary: Summary) -> None:
        self.mapping, self.target, self.summary = mapping, target, summary
        self.ctx = target.context(Report())  # parsers raise; nothing is collected
        self.source_locale = target.config.source_locale

    def values(self, row: Row) -> tuple[dict[str, Any], list[FieldFlag]]:
        """Every mapped field of a row after transforms and type checks, and the flags raised."""
        values: dict[str, Any] = {}
        flags: list[FieldFlag] = []
        mark = Mark(row.file, row.number)
        for spec in self.mapping.fields:
            value = self._field(row, spec, flags, mark)
            if value is None:
                continue
            result, raised = convert(value, self.target.types[spec.name], self.ctx, mark)
            flags += [FieldFlag(spec.name, flag) for flag in raised]
            if result is not None:
                values[spec.name] = result
        return values, flags

    def _field(self, row: Row, spec: FieldSpec, flags: list[FieldFlag], mark: Mark) -> Any:
        if spec.source is not None:
            _watch_html(row, spec.source, f"fields.{spec.name}", (), self.summary)
            raw = source_value(row, spec.source)
            value = None if raw is None else apply(raw, spec.source.transforms)
            if isinstance(value, Flag):
                flags.append(FieldFlag(spec.name, value))
                return None
            return value
        texts: dict[str, str] = {}
        for locale, src in spec.locales:
            where = f"{spec.name}.{locale}"
            _watch_html(row, src, f"fields.{where}", spec.transforms, self.summary)
            raw = source_value(row, src)
            value = None if raw is None else apply(raw, src.transforms + spec.transforms)
            if value is not None and not isinstance(value, Flag):
                value = check_value(value, "text", _TEXT, self.ctx, mark)
            if isinstance(value, Flag):
                flags.append(FieldFlag(where, value))
            elif value is not None:
                texts[locale] = value
        if list(texts) == [self.source_locale]:
            return texts[self.source_locale]  # written as plain text: the source language
        ordered = {lo: texts[lo] for lo in self.target.config.locales if lo in texts}
        return ordered or None
