"""Name-card values as people read them: localized text, each field type, and hours tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from sitegen.i18n.localize import LText
from sitegen.pipeline.model import FacilityCard, Site, Spans
from sitegen.render.media import media_path


@dataclass(frozen=True)
class HoursDay:
    """One day of a name card's hours table."""

    date: str  # ISO 8601
    weekday: str
    hours: str


def localized(value: LText | None, locale: str) -> Markup:
    """Localized text; a stand-in in another language is marked and carries its ``lang``."""
    if value is None:
        return Markup("")
    if value.is_fallback(locale):
        return Markup('<span lang="{}" class="fallback">{}</span>').format(
            value.lang(locale), value[locale]
        )
    return escape(value[locale])


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class CardFormatter:
    """Formats a facility's fields and hours for one site, in any of its locales."""

    def __init__(
        self, site: Site, strings: dict[str, dict[str, str]], url: Callable[[str], str]
    ) -> None:
        self.site = site
        self.strings = strings
        self.url = url
        self._days: dict[tuple[int, str], list[HoursDay]] = {}
        self._labels: dict[tuple[str, str], list[tuple[str, Markup]]] = {}

    def field_rows(self, facility: FacilityCard, locale: str) -> list[tuple[Markup, Markup]]:
        """A name card's details: ``(label, value)`` of each field of its category that it
        has, in the category's order; hours have a section of their own."""
        category = facility.category
        labels = self._labels.get((category.id, locale))
        if labels is None:  # the same for every card of the category
            labels = self._labels[category.id, locale] = [
                (name, localized(category.labels[name], locale))
                for name, fd in category.fields.items()
                if fd.kind != "hours"
            ]
        values = facility.values
        return [
            (label, self.field_value(facility, name, locale))
            for name, label in labels
            if name in values
        ]

    def field_value(self, facility: FacilityCard, name: str, locale: str) -> Markup:
        """A category field of a facility, formatted for people reading ``locale``."""
        value = facility.values[name]
        fd = facility.category.fields[name]
        strings = self.strings[locale]
        if fd.kind == "bool":
            return escape(strings["yes"] if value else strings["no"])
        if fd.kind == "enum":
            return localized(facility.category.value_labels[name][value], locale)
        if fd.kind in ("ltext", "text"):
            return localized(value, locale)
        if fd.kind == "hours":
            return escape(value.describe(locale))
        if fd.kind == "phone":
            return Markup('<a href="tel:{}">{}</a>').format(value.replace(" ", ""), value)
        if fd.kind == "url":
            return Markup('<a href="{}" rel="noopener">{}</a>').format(value, value)
        if fd.kind == "image":
            return Markup('<img src="{}" alt="" loading="lazy">').format(
                self.url(media_path(value))
            )
        if fd.kind == "date":
            return escape(value.isoformat())
        if fd.kind == "list":
            items = [
                localized(v, locale) if isinstance(v, LText) else escape(str(v)) for v in value
            ]
            return Markup("、" if locale.startswith("zh") else ", ").join(items)
        return escape(str(value))

    def next_days(self, facility: FacilityCard, count: int = 7) -> list[tuple[dt.date, Spans]]:
        """The facility's open intervals for the ``count`` days from the build date."""
        if facility.schedule is None:
            return []
        days = []
        for offset in range(count):
            day = self.site.today + dt.timedelta(days=offset)
            spans = self.site.schedules.spans_on(facility.schedule, day)
            if spans is not None:
                days.append((day, spans))
        return days

    def hours_days(self, facility: FacilityCard, locale: str) -> list[HoursDay]:
        """``next_days`` as the page writes it: date, weekday and hours text of each day.

        Facilities share schedules (``facility.schedule``), so each is worked out once.
        """
        if facility.schedule is None:
            return []
        key = (facility.schedule, locale)
        days = self._days.get(key)
        if days is None:
            days = self._days[key] = [
                HoursDay(
                    day.isoformat(),
                    self.weekday_name(day, locale),
                    self.spans_text(spans, locale),
                )
                for day, spans in self.next_days(facility)
            ]
        return days

    def weekday_name(self, day: dt.date, locale: str) -> str:
        return self.strings[locale]["weekday_names"].split(",")[day.weekday()]

    def spans_text(self, spans: Spans, locale: str) -> str:
        strings = self.strings[locale]
        if not spans:
            return strings["closed"]
        if spans == ((0, 1440),):
            return strings["open_24h"]
        return ", ".join(f"{clock(a)}–{clock(b)}" for a, b in spans)
