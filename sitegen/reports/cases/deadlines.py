"""Deadlines in working hours: the office's week, less public holidays, plus make-up days.

A service's deadline (SLA) counts only the hours the city works: ``Mo-Fr 09:00-12:00,
14:00-18:00`` by default, never on a public holiday, and on a make-up working day (调休)
with the hours of the weekday it stands for. The calendar is the site's own
``HolidayCalendar`` (``holidays:`` of site.yaml), used through its public methods only.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field

from sitegen.hours.calendar import HolidayCalendar

DEFAULT_WEEK = "Mo-Fr 09:00-12:00,14:00-18:00"
MAX_DAYS = 800  # a deadline further than this is a configuration mistake, not a plan
_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_RULE = re.compile(r"\s*([A-Za-z,\- ]+?)\s+([0-9:,\- ]+)\s*")
_SPAN = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")

Period = tuple[int, int]  # minutes after midnight: start, end


@dataclass(frozen=True)
class WorkingWeek:
    """The working periods of each weekday (Monday first), in minutes after midnight."""

    days: tuple[tuple[Period, ...], ...]

    def is_empty(self) -> bool:
        return not any(self.days)


def parse_week(text: str) -> WorkingWeek:
    """``Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00`` as a ``WorkingWeek``."""
    days: list[list[Period]] = [[] for _ in _DAYS]
    for rule in filter(str.strip, text.split(";")):
        match = _RULE.fullmatch(rule)
        if not match:
            raise ValueError(f'"{rule.strip()}" is not like "Mo-Fr 09:00-12:00,14:00-18:00"')
        spans = [_span(s.strip()) for s in match.group(2).split(",") if s.strip()]
        for day in _weekdays(match.group(1)):
            days[day].extend(spans)
    for periods in days:
        periods.sort()
        for (_, end), (start, _) in itertools.pairwise(periods):
            if start < end:
                raise ValueError("working periods of a day overlap")
    return WorkingWeek(tuple(tuple(p) for p in days))


def _weekdays(text: str) -> list[int]:
    found: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, _, last = part.partition("-")
        try:
            a = _DAYS.index(first.strip().title())
            b = _DAYS.index(last.strip().title()) if last else a
        except ValueError:
            raise ValueError(f'"{part}" is not a day or a range of days such as Mo-Fr') from None
        found.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return found


def _span(text: str) -> Period:
    match = _SPAN.fullmatch(text)
    if not match:
        raise ValueError(f'"{text}" is not a time span such as 09:00-12:00')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or not 0 <= start < end <= 24 * 60:
        raise ValueError(f'"{text}" is not a time span within one day')
    return start, end


@dataclass
class Deadlines:
    """Deadlines of a jurisdiction's services, counted in its working hours."""

    week: WorkingWeek
    calendar: HolidayCalendar
    zone: zoneinfo.ZoneInfo
    hours_by_service: Mapping[str, float] = field(default_factory=dict)
    default_hours: float | None = None

    def hours_for(self, service_code: str) -> float | None:
        """The working hours a service's case has, or None when it has no deadline."""
        return self.hours_by_service.get(service_code, self.default_hours)

    def due(self, start: dt.datetime, service_code: str) -> dt.datetime | None:
        """When a case of this service received at ``start`` must be closed."""
        hours = self.hours_for(service_code)
        return None if hours is None or self.week.is_empty() else self.add(start, hours)

    def periods(self, day: dt.date) -> tuple[Period, ...]:
        """The working periods of a date: none on a holiday, a weekday's on a make-up day."""
        if self.calendar.is_public_holiday(day):
            return ()
        stands_for = self.calendar.makeup_weekday(day)
        return self.week.days[day.weekday() if stands_for is None else stands_for]

    def add(self, start: dt.datetime, hours: float) -> dt.datetime:
        """``start`` plus ``hours`` working hours."""
        remaining = dt.timedelta(hours=hours)
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS):
            for begin, end in self._day_spans(day):
                begin = max(begin, local)
                if end <= begin:
                    continue
                if remaining <= end - begin:
                    return (begin + remaining).astimezone(dt.UTC)
                remaining -= end - begin
            day += dt.timedelta(days=1)
        raise ValueError(f"no {hours} working hours within {MAX_DAYS} days")

    def between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working hours from ``start`` to ``end`` (negative when ``end`` comes first)."""
        if end < start:
            return -self.between(end, start)
        total = dt.timedelta()
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        day = first.date()
        for _ in range(MAX_DAYS):
            if day > last.date():
                break
            for begin, finish in self._day_spans(day):
                overlap = min(finish, last) - max(begin, first)
                if overlap > dt.timedelta():
                    total += overlap
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600

    def _day_spans(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=self.zone)
        return [
            (midnight + dt.timedelta(minutes=a), midnight + dt.timedelta(minutes=b))
            for a, b in self.periods(day)
        ]
