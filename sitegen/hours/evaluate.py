"""The state of every minute of a day, from rules: the core of compiling opening hours.

It follows opening_hours.js's evaluation step by step, because editors check values with
it: each rule whose spans run past midnight has a copy read on the next day; a rule with
day selectors that matches a day replaces the rules before it for that day (an "off" rule
or an additional or fallback one does not); then, minute by minute, the last matching span
decides, a fallback only where nothing is open or unknown yet. The day is cut where any
span starts or stops and each piece is evaluated at its start, as the library's iterator
(behind ``getOpenIntervals``) does.
"""

from __future__ import annotations

from datetime import date, timedelta

from sitegen.hours.rules import DAY, Rule, Segment, State
from sitegen.hours.selectors import DayFacts
from sitegen.hours.times import SunTimes, TimeSpan

# A rule as evaluated: the rule, and whether this is the copy read on the next day.
Part = tuple[Rule, bool]
_CODE: dict[State, str] = {"open": "o", "closed": "c", "unknown": "u"}


def parts_of(rules: tuple[Rule, ...]) -> tuple[Part, ...]:
    """Each rule, followed by its next-day copy when some of its spans run past midnight."""
    parts: list[Part] = []
    for rule in rules:
        parts.append((rule, False))
        if rule.wrapped_times:
            parts.append((rule, True))
    return tuple(parts)


def _matches(rule: Rule, d: date, facts: DayFacts) -> bool:
    return all(any(s.matches(d, facts) for s in group) for group in rule.groups)


def matching_parts(parts: tuple[Part, ...], d: date, facts: DayFacts) -> list[Part]:
    """The parts that apply on ``d``, after later rules have replaced earlier ones."""
    found: list[Part] = []
    before = 0  # number of selector kinds of the previous part
    for i, (rule, wrapped) in enumerate(parts):
        kinds = len(rule.groups)
        if _matches(rule, d - timedelta(days=1) if wrapped else d, facts):
            replaces = kinds > 0 or (i > 0 and rule.state == "open" and before == 0)
            if (
                replaces
                and rule.state != "closed"
                and not wrapped
                and rule.separator in ("first", "normal")
            ):
                found = []
            found.append((rule, wrapped))
        before = kinds
    return found


def _hit(span: TimeSpan, wrapped: bool, minute: int, d: date, sun: SunTimes) -> bool:
    if wrapped:
        return span.matches_wrapped(minute, d, sun)
    return span.matches(minute, d, sun)


def _hit_before(span: TimeSpan, wrapped: bool, minute: int, d: date, sun: SunTimes) -> bool:
    """Did ``span`` select the instant just before ``minute`` (the day before at 0)?"""
    if minute > 0:
        return _hit(span, wrapped, minute - 1, d, sun)
    return _hit(span, wrapped, DAY - 1, d - timedelta(days=1), sun)


def state_at(found: list[Part], minute: int, d: date, sun: SunTimes) -> State:
    """The state at ``minute`` of ``d`` given the matching parts (see the module text)."""
    state: State = "closed"
    for rule, wrapped in found:
        fallback = rule.separator == "fallback"
        if not rule.times:
            if not fallback or state == "closed":
                state = rule.state
            continue
        spans = rule.wrapped_times if wrapped else rule.times
        for i, span in enumerate(spans):
            if not _hit(span, wrapped, minute, d, sun):
                continue
            if fallback and state != "closed":
                continue
            state = rule.state
            if span.open_end and state != "closed":
                state = "unknown"
                # opening_hours.js: in "07:00+,12:00-16:00" the open end gives way
                # once the next span has been and gone.
                if i + 1 < len(spans):
                    nxt = spans[i + 1]
                    if (
                        not _hit(nxt, wrapped, minute, d, sun)
                        and not wrapped
                        and _hit_before(span, wrapped, minute, d, sun)
                    ):
                        state = "closed"
    return state


def day_segments(
    parts: tuple[Part, ...], d: date, facts: DayFacts, sun: SunTimes
) -> tuple[Segment, ...]:
    """The states of day ``d`` as consecutive segments covering 00:00 to 24:00."""
    found = matching_parts(parts, d, facts)
    cuts = {0}
    for rule, wrapped in found:
        for span in rule.wrapped_times if wrapped else rule.times:
            cuts.update(span.edges(d, sun, wrapped))
    points = sorted(cuts)
    segments: list[Segment] = []
    for start, end in zip(points, [*points[1:], DAY], strict=True):
        code = _CODE[state_at(found, start, d, sun)]
        if segments and segments[-1][2] == code:
            segments[-1] = (segments[-1][0], end, code)
        else:
            segments.append((start, end, code))
    return tuple(segments)
