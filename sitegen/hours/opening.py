"""``OpeningHours``: a parsed value, and its states on any day for a calendar and a place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sitegen.hours.describe import describe_hours
from sitegen.hours.evaluate import Part, day_segments, parts_of
from sitegen.hours.rules import DAY, WHOLE_DAY, Rule, Segment, Spans
from sitegen.hours.selectors import DayFacts
from sitegen.hours.times import FixedSun, SunTimes

_FIXED_SUN = FixedSun()


class PlainDays:
    """No holidays and no make-up days: every day is its own weekday."""

    country = ""

    def weekday(self, d: date, /) -> int:
        """``d``'s own weekday."""
        return d.weekday()

    def is_public_holiday(self, d: date, /) -> bool:
        """Never."""
        return False

    def is_school_holiday(self, d: date, /) -> bool:
        """Never."""
        return False


PLAIN_DAYS = PlainDays()


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Parsed opening hours: the text as written, the OSM form it was read as, its rules."""

    # Equal OSM forms have equal rules: equality and hashing look at ``osm`` alone
    # (schedules of 30,000 cards are grouped by it on every build).
    text: str = field(compare=False)
    osm: str
    rules: tuple[Rule, ...] = field(compare=False)
    parts: tuple[Part, ...] = field(init=False, repr=False, compare=False)
    # Only weekdays and PH choose days and no time is solar: a day's states then depend on
    # nothing but its weekday and whether it and the day before are holidays.
    week_stable: bool = field(init=False, repr=False, compare=False)
    uses_sun: bool = field(init=False, repr=False, compare=False)
    _by_kind: dict[tuple[int, bool, int, bool], tuple[Segment, ...]] = field(
        init=False, repr=False, compare=False
    )
    _always_open: list[bool] = field(init=False, repr=False, compare=False)  # [] until known

    def __post_init__(self) -> None:
        uses_sun = any(span.variable for rule in self.rules for span in rule.times)
        object.__setattr__(self, "parts", parts_of(self.rules))
        object.__setattr__(self, "uses_sun", uses_sun)
        object.__setattr__(
            self, "week_stable", not uses_sun and all(r.week_only for r in self.rules)
        )
        object.__setattr__(self, "_by_kind", {})
        object.__setattr__(self, "_always_open", [])

    def segments(
        self, d: date, facts: DayFacts = PLAIN_DAYS, sun: SunTimes | None = None
    ) -> tuple[Segment, ...]:
        """States of day ``d`` as segments ``(from, to, "o" | "c" | "u")`` over 00:00–24:00."""
        if not self.week_stable:
            return day_segments(self.parts, d, facts, sun or _FIXED_SUN)
        before = d - timedelta(days=1)
        key = (
            facts.weekday(before),
            facts.is_public_holiday(before),
            facts.weekday(d),
            facts.is_public_holiday(d),
        )
        found = self._by_kind.get(key)
        if found is None:
            found = self._by_kind[key] = day_segments(self.parts, d, facts, _FIXED_SUN)
        return found

    def open_spans(
        self, d: date, facts: DayFacts = PLAIN_DAYS, sun: SunTimes | None = None
    ) -> Spans:
        """Open intervals of ``d`` in minutes since local midnight (unknown is not open)."""
        return tuple((a, b) for a, b, code in self.segments(d, facts, sun) if code == "o")

    def day_intervals(self, d: date, calendar: DayFacts | None = None) -> Spans:
        """Open intervals on ``d`` with ``calendar``'s holidays (none if None), no position."""
        return self.open_spans(d, calendar or PLAIN_DAYS)

    @property
    def is_always_open(self) -> bool:
        """True if open around the clock on every day, holidays included."""
        # Asked for every card on every page (JSON-LD): worked out once per value.
        if not self._always_open:
            self._always_open.append(self._open_around_the_clock())
        return self._always_open[0]

    def _open_around_the_clock(self) -> bool:
        if not self.week_stable:
            return False
        return all(
            self._kind_spans((k - 1) % 7, h0, k, h) == WHOLE_DAY
            for k in range(7)
            for h0 in (False, True)
            for h in (False, True)
        )

    def _kind_spans(self, before: int, before_ph: bool, kind: int, ph: bool) -> Spans:
        facts = _KindFacts(before, before_ph, kind, ph)
        return self.open_spans(_KIND_DAY, facts)

    @property
    def comments(self) -> tuple[str, ...]:
        """Distinct rule comments, in order of appearance."""
        return tuple(dict.fromkeys(r.comment for r in self.rules if r.comment))

    @property
    def has_unknown(self) -> bool:
        """True if some rule says "unknown" (a comment alone, ``unknown``, an open end)."""
        return any(r.state == "unknown" or any(s.open_end for s in r.times) for r in self.rules)

    def describe(self, locale: str = "en") -> str:
        """Human-readable summary in ``en``, ``zh-Hans`` or ``zh-Hant``; comments are appended."""
        # Thousands of cards share a few values (equal OSM forms: equal hours): made once each.
        return describe_hours(self, locale)


_KIND_DAY = date(2001, 1, 2)  # any day: week-stable hours only look at the facts below


class _KindFacts:
    """Facts of a made-up day (and the day before) of given weekdays and holiday flags."""

    def __init__(self, before: int, before_ph: bool, kind: int, ph: bool) -> None:
        self._facts = {_KIND_DAY - timedelta(days=1): (before, before_ph), _KIND_DAY: (kind, ph)}

    def weekday(self, d: date, /) -> int:
        return self._facts[d][0]

    def is_public_holiday(self, d: date, /) -> bool:
        return self._facts[d][1]

    def is_school_holiday(self, d: date, /) -> bool:
        return False


__all__ = ["DAY", "PLAIN_DAYS", "OpeningHours", "PlainDays"]
