"""What an opening-hours text says, once parsed: rules of selectors, times and a state.

Shared vocabulary of the package: minutes, spans, states, the syntax error, and ``Rule``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sitegen.hours.selectors import DaySelector, Holiday, WeekdayRange
from sitegen.hours.times import TimeSpan

DAY = 1440  # minutes in a day
Span = tuple[int, int]
Spans = tuple[Span, ...]
State = Literal["open", "closed", "unknown"]
Separator = Literal["first", "normal", "additional", "fallback"]
# One stretch of a day with one state: (from, to, "o" | "c" | "u"), minutes in 0..1440.
Segment = tuple[int, int, str]

ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WHOLE_DAY: Spans = ((0, DAY),)


class HoursSyntaxError(ValueError):
    """An opening-hours string could not be parsed; ``column`` is 0-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __reduce__(self) -> tuple[type[HoursSyntaxError], tuple[str, int]]:
        # Keep the column when pickled (e.g. sent back from a worker process).
        return (type(self), (self.message, self.column))


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: day selectors of each kind (each kind a list read as "any of"; the kinds
    all have to match), time spans in the order opening_hours.js tries them, a state."""

    years: tuple[DaySelector, ...] = ()
    holidays: tuple[DaySelector, ...] = ()
    months: tuple[DaySelector, ...] = ()
    weeks: tuple[DaySelector, ...] = ()
    weekdays: tuple[DaySelector, ...] = ()
    times: tuple[TimeSpan, ...] = ()
    state: State = "open"
    comment: str = ""
    separator: Separator = "normal"  # how it joins the rule before: ";", ",", "||"
    text: str = ""  # the rule as written, for explanations

    @property
    def groups(self) -> tuple[tuple[DaySelector, ...], ...]:
        """The non-empty selector kinds, widest first (all must match a day)."""
        return tuple(
            g for g in (self.years, self.holidays, self.months, self.weeks, self.weekdays) if g
        )

    @property
    def wrapped_times(self) -> tuple[TimeSpan, ...]:
        """The spans that run past midnight, whose tails are read on the next day."""
        return tuple(t for t in self.times if t.wraps)

    @property
    def week_only(self) -> bool:
        """True if only weekdays and plain public holidays choose its days (no dates)."""
        if self.years or self.months or self.weeks:
            return False
        return all(
            (isinstance(s, WeekdayRange) and not s.nth)
            or (isinstance(s, Holiday) and s.kind == "PH" and not s.offset)
            for s in self.holidays + self.weekdays
        )
