"""Rules of a mapping file that span several keys, checked on the file as written, so that
they are reported in the same run as every other mistake in it."""

from __future__ import annotations

import re
from typing import Any

from sitegen.errors import Mark, Report
from sitegen.importer.mapping_schema import LOCALES
from sitegen.source.located import LocatedDict, LocatedList

_SOURCES = ("column", "columns", "value")


def _given(spec: Any) -> list[str]:
    if isinstance(spec, str):
        return ["column"]
    return [k for k in _SOURCES if isinstance(spec, LocatedDict) and k in spec]


def _check_field(name: str, raw: Any, mark: Mark, report: Report) -> None:
    if not isinstance(raw, LocatedDict):
        return  # `name: Title`, or a value the schema already rejected
    languages = [k for k in LOCALES if k in raw]
    given = _given(raw)
    if languages and given:
        report.error(
            mark,
            f'fields.{name}: give "{given[0]}" or one source per language '
            f"({', '.join(languages)}), not both",
        )
    elif not languages and len(given) != 1:
        report.error(
            mark,
            f'fields.{name}: give exactly one of "column", "columns" or "value", '
            "or one of them per language (zh-Hans, zh-Hant, en)",
        )
    if languages and "learn_from" in raw:
        report.error(
            mark, f"fields.{name}: learn_from works only with one source for all languages"
        )
    for locale in languages:
        if isinstance(raw[locale], LocatedDict | str) and len(_given(raw[locale])) != 1:
            report.error(
                raw.value_mark(locale),
                f'fields.{name}.{locale}: give exactly one of "column", "columns" or "value"',
            )
    for spec in [raw, *(raw[locale] for locale in languages)]:
        listed = spec.get("transforms") if isinstance(spec, LocatedDict) else None
        if not isinstance(listed, LocatedList):
            continue
        for index, transform in enumerate(listed):
            if isinstance(transform, LocatedDict) and len(transform) != 1:
                report.error(
                    listed.item_mark(index),
                    f"fields.{name}: each transform is a mapping with one key",
                )


def _check_labels(data: LocatedDict, report: Report) -> None:
    merge = data.get("merge")
    labels = merge.get("labels") if isinstance(merge, LocatedDict) else None
    if not isinstance(labels, LocatedList):
        return
    for index, label in enumerate(labels):
        pattern = label.get("pattern") if isinstance(label, LocatedDict) else None
        try:
            empty = isinstance(pattern, str) and re.fullmatch(pattern, "") is not None
        except re.error:
            continue  # reported by the schema
        if empty:
            report.error(
                labels.item_mark(index),
                f"merge.labels: label {index + 1} can match an empty label, so it would stop "
                "the labels after it; make it match at least one character",
            )


def _check_location(data: LocatedDict, report: Report) -> None:
    location = data.get("location")
    if not isinstance(location, LocatedDict):
        return  # none: GeoJSON's geometry (other formats fail on their first row)
    if location.get("order") in ("lng", "lat"):
        return  # `order: lng,lat` unquoted in {…}: the schema's message says what to do
    by_pair = "lng" in location and "lat" in location
    if by_pair == ("column" in location) or ("lng" in location) != ("lat" in location):
        report.error(
            data.value_mark("location"),
            'location: give "lng" and "lat" columns, or one "column" (and "order")',
        )
    elif by_pair and "order" in location:
        report.error(location.key_mark("order"), 'location.order: only with one "column"')


def check_rules(data: LocatedDict, report: Report) -> None:
    """Every rule across keys; problems go to the report."""
    fields = data.get("fields")
    if isinstance(fields, LocatedDict):
        for name, raw in fields.items():
            _check_field(str(name), raw, fields.value_mark(name), report)
        if "name" not in fields:
            report.error(data.key_mark("fields"), 'fields: missing the card field "name"')
    _check_labels(data, report)
    if data.get("format") == "xml" and "rows" not in data:
        report.error(data.value_mark("format"), 'format xml needs "rows" (the row element path)')
    _check_location(data, report)
