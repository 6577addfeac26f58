"""Reading the day selectors of a rule: years, months and dates, weeks, weekdays, holidays.

Each ``read_*`` takes the token list and a position and returns the selectors it read and
the position after them. Comma lists stay in one selector kind, as opening_hours.js reads
them: ``Su,PH`` is "Sundays or holidays", while ``PH Mo-Fr`` is "holidays on Mon–Fri".
"""

from __future__ import annotations

from sitegen.hours.rules import HoursSyntaxError
from sitegen.hours.selectors import (
    DateRange,
    DateSpec,
    DaySelector,
    Holiday,
    MonthRange,
    NumberRange,
    WeekdayRange,
)
from sitegen.hours.tokens import Token


class Cursor:
    """Tokens and a position, with the small look-ahead helpers the readers share."""

    def __init__(self, tokens: list[Token], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.at = 0

    def peek(self, ahead: int = 0) -> Token | None:
        i = self.at + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def kind(self, ahead: int = 0) -> str:
        token = self.peek(ahead)
        return "" if token is None else token.kind

    def punct(self, char: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.is_punct(char)

    def is_year(self, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return (
            token is not None
            and token.kind == "number"
            and len(token.text) == 4
            and 1900 <= token.number <= 2200
            and not self.punct(":", ahead + 1)
        )

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.error("unexpected end of opening hours")
        self.at += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        token = self.peek()
        if token is None or token.kind != kind:
            raise self.error(f"expected {what}{self.found()}")
        self.at += 1
        return token

    def found(self) -> str:
        token = self.peek()
        return f', found "{token.text}"' if token is not None else ""

    def error(self, message: str) -> HoursSyntaxError:
        token = self.peek()
        return HoursSyntaxError(message, token.column if token is not None else len(self.text))


def read_weekdays(cur: Cursor) -> list[DaySelector]:
    """``Mo-Fr``, ``Sa[-1] +3 days``, ``Su,PH``: a comma list of weekdays and holidays."""
    items: list[DaySelector] = []
    while True:
        if cur.kind() == "holiday":
            items.append(_holiday(cur))
        else:
            items.append(_weekday(cur))
        if cur.punct(",") and cur.kind(1) in ("weekday", "holiday"):
            cur.at += 1
            continue
        if cur.punct(","):
            cur.at += 1
            raise cur.error('expected weekday after ","')
        return items


def read_holidays(cur: Cursor) -> tuple[list[DaySelector], bool]:
    """``PH``, ``SH``, ``PH +1 day``; with a following comma the list joins the weekdays."""
    first = _holiday(cur)
    if cur.punct(",") and cur.kind(1) in ("weekday", "holiday"):
        cur.at += 1
        return [first, *read_weekdays(cur)], True
    return [first], False


def _weekday(cur: Cursor) -> WeekdayRange:
    first = cur.expect("weekday", "weekday").number
    last = first
    if cur.punct("-") and cur.kind(1) != "number":
        cur.at += 1
        last = cur.expect("weekday", 'weekday after "-"').number
    days = frozenset((first + i) % 7 for i in range((last - first) % 7 + 1))
    if not cur.punct("["):
        return WeekdayRange(days)
    cur.at += 1
    nth: set[int] = set()
    while True:
        negative = cur.punct("-")
        if negative:
            cur.at += 1
        low = cur.expect("number", "a number from -5 to 5 in [ ]")
        a = -low.number if negative else low.number
        b = a
        if not negative and cur.punct("-") and cur.kind(1) == "number":
            cur.at += 1
            b = cur.take().number
        if a == 0 or not -5 <= a <= 5 or not -5 <= b <= 5 or b < a:
            raise HoursSyntaxError("expected a number from -5 to 5 in [ ]", low.column)
        nth.update(n for n in range(a, b + 1) if n)
        if cur.punct(","):
            cur.at += 1
            continue
        break
    if not cur.punct("]"):
        raise cur.error(f'expected "]"{cur.found()}')
    cur.at += 1
    return WeekdayRange(days, frozenset(nth), _day_offset(cur))


def _holiday(cur: Cursor) -> Holiday:
    kind = cur.expect("holiday", "PH or SH").word
    return Holiday(kind, _day_offset(cur))


def _day_offset(cur: Cursor) -> int:
    """`` +3 days`` / `` -1 day`` after a date or an n-th weekday; 0 when absent."""
    if not (cur.punct("+") or cur.punct("-")):
        return 0
    if cur.kind(1) != "number" or cur.kind(2) != "days":
        return 0
    sign = -1 if cur.punct("-") else 1
    cur.at += 1
    n = cur.take().number
    cur.at += 1
    return sign * n


def read_numbers(cur: Cursor, of: str) -> list[DaySelector]:
    """``week 01-53/2,week 03`` or ``2025-2027/2``, ``2026+``: week or year ranges."""
    items: list[DaySelector] = []
    while True:
        if of == "week" and cur.kind() == "week":
            cur.at += 1
        first = cur.expect("number", "week number" if of == "week" else "year").number
        last: int | None = first
        period = 0
        if cur.punct("-") and cur.kind(1) == "number":
            cur.at += 1
            last = cur.take().number
        elif of == "year" and cur.punct("+"):
            cur.at += 1
            last = None
        if cur.punct("/") and cur.kind(1) == "number":
            cur.at += 1
            period = cur.take().number
        if of == "week" and not all(1 <= n <= 53 for n in (first, last or first)):
            raise cur.error("expected week numbers from 1 to 53")
        items.append(NumberRange(of, first, last, period))
        more = cur.punct(",") and (
            cur.kind(1) == "week" or (of == "week" and cur.kind(1) == "number") or cur.is_year(1)
        )
        if not more:
            return items
        cur.at += 1


def read_months(cur: Cursor) -> list[DaySelector]:
    """``Apr-Oct``, ``Jan 23-Feb 12``, ``Dec 24,31``, ``easter -2 days``: months and dates."""
    items: list[DaySelector] = []
    month = 0
    while True:
        if cur.kind() == "number" and not cur.is_year() and month:
            items.append(_date_range(cur, DateSpec(month, _day(cur))))
        else:
            item = _month_item(cur)
            items.append(item)
            month = item.start.month if isinstance(item, DateRange) else 0
        if cur.punct(",") and (
            cur.kind(1) in ("month", "event")
            or cur.is_year(1)
            or (month and cur.kind(1) == "number" and not cur.punct(":", 2))
        ):
            cur.at += 1
            continue
        return items


def _month_item(cur: Cursor) -> DaySelector:
    year = cur.take().number if cur.is_year() else None
    if cur.kind() == "event" or _at_date(cur):
        return _date_range(cur, _date_spec(cur, year))
    return _month_range(cur, year)


def _at_date(cur: Cursor) -> bool:
    """A month followed by a day ("Jan 02", not "Apr 08:00") or by "Su[-1]"."""
    if cur.kind() != "month":
        return False
    if cur.kind(1) == "weekday":
        return cur.punct("[", 2)
    if cur.kind(1) != "number":
        return False
    # "Jan 02: 18:00" and "Dec 31: off" are dates; "Apr 08:00-12:00" is a month and a time.
    return not (cur.punct(":", 2) and cur.kind(3) == "number" and not cur.punct(":", 4))


def _month_range(cur: Cursor, year: int | None) -> MonthRange:
    first = cur.expect("month", "month").number
    last = first
    if cur.punct("-") and cur.kind(1) == "month":
        cur.at += 1
        last = cur.take().number
    return MonthRange(first, last, year)


def _date_spec(cur: Cursor, year: int | None) -> DateSpec:
    if cur.kind() == "event":
        cur.at += 1
        return DateSpec(0, 0, year, offset=_day_offset(cur))
    month = cur.expect("month", "month").number
    if cur.kind() == "weekday":
        wd = cur.take().number
        if not cur.punct("["):
            raise cur.error(f'expected "[" after a weekday in a date{cur.found()}')
        cur.at += 1
        negative = cur.punct("-")
        cur.at += negative
        nth = cur.expect("number", "a number from -5 to 5 in [ ]").number * (-1 if negative else 1)
        if not cur.punct("]"):
            raise cur.error(f'expected "]"{cur.found()}')
        cur.at += 1
        return DateSpec(month, 0, year, wd, nth, _day_offset(cur))
    return DateSpec(month, _day(cur), year, offset=_day_offset(cur))


def _day(cur: Cursor) -> int:
    token = cur.expect("number", "day of the month")
    if not 1 <= token.number <= 31:
        raise HoursSyntaxError(f'invalid day of the month "{token.text}"', token.column)
    return token.number


def _date_range(cur: Cursor, start: DateSpec) -> DateRange:
    if not cur.punct("-") or cur.punct(":", 2):
        return DateRange(start)
    nxt = cur.kind(1)
    if nxt == "number" and not cur.is_year(1) and start.month and start.weekday is None:
        cur.at += 1  # "Jan 23-31": the same month
        end = DateSpec(start.month, _day(cur), start.year)
    elif nxt in ("month", "event") or cur.is_year(1):
        cur.at += 1
        year = cur.take().number if cur.is_year() else None
        end = _date_spec(cur, year)
    else:
        return DateRange(start)
    period = 0
    if cur.punct("/") and cur.kind(1) == "number":
        cur.at += 1
        period = cur.take().number
    return DateRange(start, end, period)
