"""The selectors of an ``opening_hours`` rule, and whether each matches a day.

Wide selectors (years, months and dates, weeks) and small ones (weekdays, holidays) choose
days; time spans choose minutes of a day. Their meaning follows opening_hours.js, the
evaluator OpenStreetMap editors use (see docs/hours.md for where and why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from dateutil.easter import easter


class DayFacts(Protocol):
    """What selectors need to know about a day beyond its date."""

    def weekday(self, d: date, /) -> int:
        """The weekday whose hours apply on ``d`` (0 = Monday; a make-up day's swap)."""
        ...

    def is_public_holiday(self, d: date, /) -> bool: ...

    def is_school_holiday(self, d: date, /) -> bool: ...


@lru_cache(maxsize=512)
def easter_of(year: int) -> date:
    """Western (Gregorian) Easter Sunday of ``year``, as opening_hours.js uses it."""
    return easter(year)


def nth_in_month(d: date) -> tuple[int, int]:
    """(n, -m): ``d`` is the n-th and the m-th last of its weekday in its month."""
    following = d + timedelta(days=7)
    from_end = 1
    while following.month == d.month:
        from_end += 1
        following += timedelta(days=7)
    return (d.day - 1) // 7 + 1, -from_end


@dataclass(frozen=True, slots=True)
class WeekdayRange:
    """``Mo-Fr``, ``Su``, ``Sa[-1]``, ``We[1,3] +2 days``: days of the week, maybe n-th."""

    days: frozenset[int]
    nth: frozenset[int] = frozenset()  # empty: every week; else 1..5 and -1..-5
    offset: int = 0  # "Sa[-1] +3 days": the day 3 days after the last Saturday

    def matches(self, d: date, facts: DayFacts) -> bool:
        """True if this selects ``d``."""
        if not self.nth:
            return facts.weekday(d) in self.days
        base = d - timedelta(days=self.offset)
        if base.weekday() not in self.days:
            return False
        first, last = nth_in_month(base)
        return first in self.nth or last in self.nth


@dataclass(frozen=True, slots=True)
class Holiday:
    """``PH``, ``SH``, ``PH +1 day``: public or school holidays (or the day before/after)."""

    kind: str  # "PH" or "SH"
    offset: int = 0

    def matches(self, d: date, facts: DayFacts) -> bool:
        """True if this selects ``d``."""
        day = d - timedelta(days=self.offset)
        if self.kind == "PH":
            return facts.is_public_holiday(day)
        return facts.is_school_holiday(day)


@dataclass(frozen=True, slots=True)
class DateSpec:
    """One end of a date range: ``Jan 05``, ``easter -2 days``, ``Dec Su[-1]``, ``2025 Jul 02``."""

    month: int  # 1..12; 0 for easter
    day: int = 0  # 0 with a weekday constraint or easter
    year: int | None = None
    weekday: int | None = None  # "Jan Su[-2]": with ``nth``
    nth: int = 0
    offset: int = 0  # days added

    def resolve(self, year: int) -> date | None:
        """This date in ``year`` (``self.year`` wins when given); None if it does not exist."""
        y = self.year if self.year is not None else year
        if self.month == 0:
            base: date | None = easter_of(y)
        elif self.weekday is not None:
            base = _nth_weekday(y, self.month, self.weekday, self.nth)
        else:
            try:
                base = date(y, self.month, self.day)
            except ValueError:  # Feb 29 in a common year
                base = None
        return None if base is None else base + timedelta(days=self.offset)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    if nth > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        nxt = date(year + month // 12, month % 12 + 1, 1)
        last = nxt - timedelta(days=1)
        d = last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))
    return d if d.month == month else None


@dataclass(frozen=True, slots=True)
class DateRange:
    """``Jan 23-Feb 12``, ``Dec 25``, ``Jan 01-31/8``, ``2025 Jul 02-2026 Jan 02``, ``easter``."""

    start: DateSpec
    end: DateSpec | None = None  # None: the single day ``start``
    period: int = 0  # "/8": every 8th day from the start

    def matches(self, d: date, facts: DayFacts) -> bool:
        """True if this selects ``d``."""
        if self.end is None:
            return self.start.resolve(d.year) == d
        if self.start.year is not None:
            first = self.start.resolve(self.start.year)
            end_year = self.end.year if self.end.year is not None else self.start.year
            last = self.end.resolve(end_year)
            return self._within(d, first, last)
        first, last = self.start.resolve(d.year), self.end.resolve(d.year)
        if first is None or last is None:
            return False
        if last < first:  # wraps over the new year: the season started last year
            if d >= first:
                return self._within(d, first, self.end.resolve(d.year + 1))
            return self._within(d, self.start.resolve(d.year - 1), last)
        return self._within(d, first, last)

    def _within(self, d: date, first: date | None, last: date | None) -> bool:
        if first is None or last is None or not first <= d <= last:
            return False
        return not self.period or (d - first).days % self.period == 0


@dataclass(frozen=True, slots=True)
class MonthRange:
    """``Apr-Oct``, ``Nov-Feb`` (over the new year), ``Aug``."""

    first: int
    last: int
    year: int | None = None  # "2025 Jul": that month of that year only

    def matches(self, d: date, facts: DayFacts) -> bool:
        """True if this selects ``d``."""
        if self.year is not None and d.year != self.year:
            return False
        if self.first <= self.last:
            return self.first <= d.month <= self.last
        return d.month >= self.first or d.month <= self.last


@dataclass(frozen=True, slots=True)
class NumberRange:
    """``week 01-53/2`` (ISO weeks) or ``2025-2027``, ``2026+`` (years)."""

    of: str  # "week" or "year"
    first: int
    last: int | None  # None: open ("2026+")
    period: int = 0

    def matches(self, d: date, facts: DayFacts) -> bool:
        """True if this selects ``d``."""
        n = d.isocalendar().week if self.of == "week" else d.year
        last = self.last
        if last is None:
            inside = n >= self.first
        elif self.first <= last:
            inside = self.first <= n <= last
        else:  # "week 50-02"
            inside = n >= self.first or n <= last
        if not inside or not self.period:
            return inside
        return (n - self.first) % self.period == 0


DaySelector = WeekdayRange | Holiday | DateRange | MonthRange | NumberRange
