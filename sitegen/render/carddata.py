"""The full name cards for offline use: every attribute of every place, as the map app shows it.

A name-card page per place and locale is far too much to precache (90,000 pages for a city),
so the app carries the same facts as data: one file per category and locale, in point order
(the order of the points file), every value already formatted as the card page writes it.
Values repeat a lot (yes/no, districts, operators), so each file has one table of distinct
texts and every column holds indexes into it. See docs/front-end-data.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sitegen.i18n.localize import LText
from sitegen.pipeline.model import Category, FacilityCard

ABSENT = -1  # in a column: the place has no value for it


class _Table:
    """Distinct texts, each with its index; the fallbacks (in another language) noted."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.texts: list[str] = []
        self.index: dict[tuple[str, str], int] = {}
        self.langs: dict[str, list[int]] = {}  # language -> indexes of texts written in it

    def code(self, text: str, lang: str = "") -> int:
        key = (text, lang)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.texts)
            self.texts.append(text)
            if lang:
                self.langs.setdefault(lang, []).append(found)
        return found

    def ltext(self, value: LText) -> int:
        lang = value.lang(self.locale) if value.is_fallback(self.locale) else ""
        return self.code(value[self.locale], lang)


def value_text(
    facility: FacilityCard, name: str, locale: str, strings: dict[str, str], table: _Table
) -> int:
    """A field's value as an index into ``table``: the text the card page shows for it."""
    value = facility.values[name]
    fd = facility.category.fields[name]
    if fd.kind == "bool":
        return table.code(strings["yes"] if value else strings["no"])
    if fd.kind == "enum":
        return table.ltext(facility.category.value_labels[name][value])
    if isinstance(value, LText):
        return table.ltext(value)
    if fd.kind == "hours":
        return table.code(value.describe(locale))
    if fd.kind == "date":
        return table.code(value.isoformat())
    if fd.kind == "list":
        parts = [v[locale] if isinstance(v, LText) else str(v) for v in value]
        return table.code(("、" if locale.startswith("zh") else ", ").join(parts))
    return table.code(str(value))


# Values whose text depends on nothing else (yes/no, an enum's key, a number, a date).
_PLAIN = (str, bool, int, float, dt.date)


def _column(
    facilities: Sequence[FacilityCard],
    name: str,
    locale: str,
    strings: dict[str, str],
    table: _Table,
) -> list[int]:
    """One field of every facility as indexes into ``table``; each distinct plain value is
    formatted once (values repeat: nine thousand toilets, two answers to "free?")."""
    column: list[int] = []
    seen: dict[tuple[type, Any], int] = {}
    for f in facilities:
        value = f.values.get(name, _ABSENT_VALUE)
        if value is _ABSENT_VALUE:
            column.append(ABSENT)
        elif type(value) in _PLAIN:
            key = (type(value), value)
            code = seen.get(key)
            if code is None:
                code = seen[key] = value_text(f, name, locale, strings, table)
            column.append(code)
        else:
            column.append(value_text(f, name, locale, strings, table))
    return column


_ABSENT_VALUE = object()


def _micro_deltas(facilities: Sequence[FacilityCard]) -> list[int]:
    """``[lng0, lat0, dlng1, dlat1, ...]`` in integer millionths of a degree."""
    out: list[int] = []
    px = py = 0
    for f in facilities:
        x, y = round(f.lng * 1_000_000), round(f.lat * 1_000_000)
        out += (x - px, y - py)
        px, py = x, y
    return out


def shown_fields(category: Category) -> list[str]:
    """The category fields the card's details list shows (hours and images have their own)."""
    return [n for n, fd in category.fields.items() if fd.kind not in ("hours", "image")]


def card_payload(
    category: Category,
    facilities: Sequence[FacilityCard],
    locale: str,
    strings: dict[str, str],
) -> dict[str, Any]:
    """Every category's facts of ``facilities`` in ``locale``: labels, columns, text table."""
    table = _Table(locale)
    names = shown_fields(category)
    columns = {name: _column(facilities, name, locale, strings, table) for name in names}
    payload: dict[str, Any] = {
        "fields": [
            {"field": n, "kind": category.fields[n].kind, "label": category.labels[n][locale]}
            for n in names
        ],
        "values": {n: c for n, c in columns.items() if any(v != ABSENT for v in c)},
        "rule": [table.code(f.hours.describe(locale)) if f.hours else ABSENT for f in facilities],
        "desc": [table.ltext(f.description) if f.description else ABSENT for f in facilities],
        "verified": [
            table.code(f.verified.isoformat()) if f.verified else ABSENT for f in facilities
        ],
        "photos": [i for i, f in enumerate(facilities) if f.photos],
        # The position as the card page writes it (6 decimals; the points file has 5).
        "xy": _micro_deltas(facilities),
        "table": table.texts,
    }
    if table.langs:
        payload["langs"] = table.langs
    return payload
