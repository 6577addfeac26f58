"""Time spans of a rule (``08:00-12:00``, ``sunset-sunrise``, ``17:00+``) and which minutes
of a day they select, with the same arithmetic as opening_hours.js.

A span that ends past midnight has a second part, read on the next day (``wrapped``).
Variable times are resolved per day by a ``SunTimes`` (see ``sitegen.hours.sun``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

DAY = 1440
# Used when no position is known, as opening_hours.js does.
EVENT_DEFAULTS = {"dawn": 330, "sunrise": 360, "sunset": 1080, "dusk": 1110}


class SunTimes(Protocol):
    """Minutes after local midnight of a solar event on a day."""

    def minutes(self, event: str, d: date, /) -> int: ...


class FixedSun:
    """Solar events at fixed times (dawn 05:30, sunrise 06:00, sunset 18:00, dusk 18:30)."""

    def minutes(self, event: str, d: date, /) -> int:
        """The default minute of ``event``, whatever the day."""
        return EVENT_DEFAULTS[event]


@dataclass(frozen=True, slots=True)
class Moment:
    """A time of day: fixed minutes, or a solar event plus an offset in minutes."""

    minutes: int
    event: str = ""

    @property
    def default(self) -> int:
        """The minutes used to classify the span when it is parsed (events at defaults)."""
        return self.minutes + (EVENT_DEFAULTS[self.event] if self.event else 0)

    def on(self, d: date, sun: SunTimes) -> int:
        """The minutes of this moment on ``d``."""
        return self.minutes + sun.minutes(self.event, d) if self.event else self.minutes


def open_end_until(start: int) -> int:
    """Where the unknown part of an open end (``17:00+``) stops, from its start in minutes."""
    if start >= 22 * 60:
        return start + 8 * 60
    if start >= 17 * 60:
        return start + 10 * 60
    return DAY


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """``start-end`` on a day; ``end`` may be past 24:00 (up to 48:00)."""

    start: Moment
    end: Moment
    open_end: bool = False
    # Part of the span falls on the next day: decided when parsed, with default event times.
    wraps: bool = False

    @property
    def always(self) -> bool:
        """``00:00-24:00`` (and ``24/7``): every minute, with no part on the next day."""
        return (
            not self.start.event
            and not self.end.event
            and not self.open_end
            and self.start.minutes == 0
            and self.end.minutes == DAY
        )

    @property
    def variable(self) -> bool:
        """True if an end is a solar event."""
        return bool(self.start.event or self.end.event)

    def matches(self, minute: int, d: date, sun: SunTimes) -> bool:
        """True if ``minute`` of day ``d`` is inside the part of the span that starts on ``d``."""
        if self.always:
            return True
        start = self.start.on(d, sun)
        end = self.end.on(d, sun)
        if self.wraps or (self.start.event and not self.open_end):
            if self.end.event and end <= start:
                end += DAY
            if end > DAY:
                return minute >= start
        return start <= minute < end

    def matches_wrapped(self, minute: int, d: date, sun: SunTimes) -> bool:
        """True if ``minute`` of day ``d`` is inside the part spilled from the day before."""
        # As in opening_hours.js, the events are those of ``d`` itself: "sunset-sunrise"
        # runs until ``d``'s sunrise, and not at all when the events do not cross midnight.
        end = self.end.on(d, sun) if self.end.event else self.end.minutes - DAY
        if self.variable:
            start = self.start.on(d, sun)
            if end > start:
                return False
        return minute < end

    def edges(self, d: date, sun: SunTimes, wrapped: bool) -> tuple[int, ...]:
        """Minutes of ``d`` where this span may start or stop selecting."""
        if self.always:
            return ()
        if wrapped:
            end = self.end.on(d, sun) if self.end.event else self.end.minutes - DAY
            return (end,) if 0 < end < DAY else ()
        start, end = self.start.on(d, sun), self.end.on(d, sun)
        return tuple(m for m in (start, end) if 0 < m < DAY)
