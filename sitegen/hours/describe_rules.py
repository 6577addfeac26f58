"""One rule in words: its dates, days, times and state (see describe.py)."""

from __future__ import annotations

from sitegen.hours.describe_words import Words, clock
from sitegen.hours.rules import DAY, Rule
from sitegen.hours.selectors import (
    DateRange,
    DateSpec,
    DaySelector,
    Holiday,
    MonthRange,
    NumberRange,
    WeekdayRange,
)
from sitegen.hours.times import Moment, TimeSpan

_LONG_LIST = 3  # more year-dated ranges than this (lunar days written out): the comment says it


def _ordinal(n: int, words: Words) -> str:
    if n < 0:
        return words.last if n == -1 else f"{words.last}-{-n}"
    if words.through == "至":
        return f"第{n}个"
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _date(spec: DateSpec, words: Words) -> str:
    if spec.month == 0:
        text = words.easter
    elif spec.weekday is not None:
        day = words.day_names[spec.weekday]
        text = f"{words.month_names[spec.month - 1]} " + words.nth.format(
            n=_ordinal(spec.nth, words), day=day
        )
    else:
        text = words.day_date.format(month=words.month_names[spec.month - 1], day=spec.day)
    if spec.year is not None:
        text = f"{words.year.format(spec.year)}{words.space}{text}"
    if spec.offset:
        text += f" {spec.offset:+d}d"
    return text


def _selector(s: DaySelector, words: Words) -> str:
    if isinstance(s, WeekdayRange):
        days = words.days(s.days)
        if not s.nth:
            return days
        nth = words.day_list.join(_ordinal(n, words) for n in sorted(s.nth, key=abs))
        text = words.nth.format(n=nth, day=days)
        return text + (f" {s.offset:+d}d" if s.offset else "")
    if isinstance(s, Holiday):
        name = words.holiday if s.kind == "PH" else words.school_holiday
        return name + (f" {s.offset:+d}d" if s.offset else "")
    if isinstance(s, MonthRange):
        first, last = words.month_names[s.first - 1], words.month_names[s.last - 1]
        text = first if s.first == s.last else f"{first}{words.through}{last}"
        return f"{words.year.format(s.year)}{words.space}{text}" if s.year else text
    if isinstance(s, DateRange):
        text = _date(s.start, words)
        if s.end is not None:
            text += f"{words.through}{_date(s.end, words)}"
        return text + (f" /{s.period}" if s.period else "")
    assert isinstance(s, NumberRange)
    span = str(s.first) if s.last == s.first else f"{s.first}{words.through}{s.last or ''}"
    span += f"/{s.period}" if s.period else ""
    return words.week.format(span) if s.of == "week" else words.year.format(span)


def _moment(m: Moment, words: Words) -> str:
    if not m.event:
        return clock(m.minutes - DAY if m.minutes > DAY else m.minutes)
    name = words.events[m.event]
    return f"{name}{'+' if m.minutes > 0 else '-'}{clock(abs(m.minutes))}" if m.minutes else name


def _span(t: TimeSpan, words: Words) -> str:
    if t.open_end:
        return words.open_end.format(_moment(t.start, words))
    if t.always:
        return words.whole_day
    return f"{_moment(t.start, words)}–{_moment(t.end, words)}"


def describe_rule(rule: Rule, words: Words) -> str:
    """A rule in words: "Apr–Oct: Mon–Fri 08:00–17:00", "Dec 25 closed", "otherwise: …"."""
    wide = [*rule.years, *rule.months, *rule.weeks]
    long_list = sum(isinstance(s, DateRange) and s.start.year is not None for s in wide)
    parts: list[str] = []
    if long_list > _LONG_LIST and rule.comment:
        parts.append(rule.comment)
    else:
        if wide:
            parts.append(words.day_list.join(_selector(s, words) for s in wide) + words.colon)
        small = [*rule.holidays, *rule.weekdays]
        if small:
            parts.append(words.day_list.join(_selector(s, words) for s in small))
        # An open end comes before the span it extends: tell the span first.
        spans = sorted(rule.times, key=lambda t: t.open_end)
        if spans:
            parts.append(words.time_list.join(_span(t, words) for t in spans))
        if rule.state == "closed":
            parts.append(words.off)
        elif rule.state == "unknown" and not rule.comment:
            parts.append(words.unknown)
        if rule.comment:
            parts.append(f"({rule.comment})" if len(parts) else rule.comment)
    text = " ".join(parts).replace("： ", "：")
    if rule.separator == "fallback":
        text = f"{words.otherwise}{words.colon} {text}".replace("： ", "：")
    return text
