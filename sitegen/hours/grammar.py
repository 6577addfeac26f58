"""The ``opening_hours`` grammar: a value is read into rules, as opening_hours.js reads it.

Rules are separated by ``;`` (a later rule for the same days replaces an earlier one),
``,`` after a complete rule (an additional rule: it adds) and ``||`` (a fallback: it
applies where nothing before it is open or unknown). Within a rule, selectors, times, the
state and a comment may come in any order, as in opening_hours.js.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.hours.grammar_dates import (
    Cursor,
    read_holidays,
    read_months,
    read_numbers,
    read_weekdays,
)
from sitegen.hours.rules import DAY, HoursSyntaxError, Rule, Separator, State
from sitegen.hours.selectors import DaySelector
from sitegen.hours.times import Moment, TimeSpan, open_end_until
from sitegen.hours.tokens import Token, tokenize

ALWAYS = TimeSpan(Moment(0), Moment(DAY))


@dataclass
class _Draft:
    """A rule while it is read."""

    separator: Separator
    start: int  # column
    years: list[DaySelector] = field(default_factory=list)
    holidays: list[DaySelector] = field(default_factory=list)
    months: list[DaySelector] = field(default_factory=list)
    weeks: list[DaySelector] = field(default_factory=list)
    weekdays: list[DaySelector] = field(default_factory=list)
    times: list[TimeSpan] = field(default_factory=list)
    state: State | None = None
    comment: str | None = None

    def rule(self, text: str) -> Rule:
        state: State = self.state or ("unknown" if self.comment is not None else "open")
        return Rule(
            tuple(self.years),
            tuple(self.holidays),
            tuple(self.months),
            tuple(self.weeks),
            tuple(self.weekdays),
            tuple(self.times),
            state,
            self.comment or "",
            self.separator,
            text.strip(),
        )


def parse_rules(text: str) -> tuple[Rule, ...]:
    """The rules of an OSM ``opening_hours`` value; raises ``HoursSyntaxError``."""
    tokens = tokenize(text)
    rules: list[Rule] = []
    separator: Separator = "first"
    group: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and not (token.is_punct(";") or token.is_punct("||")):
            group.append(token)
            continue
        if group:
            rules.extend(_read_group(group, text, separator))
        elif token is not None and token.is_punct("||"):
            raise HoursSyntaxError('expected a rule before "||"', token.column)
        if token is not None:
            separator = "fallback" if token.is_punct("||") else "normal"
        group = []
    if not rules:
        raise HoursSyntaxError("empty opening hours", 0)
    return tuple(rules)


def _read_group(tokens: list[Token], text: str, separator: Separator) -> list[Rule]:
    """One ``;``-separated part: a rule, and the additional rules joined to it by ``,``."""
    cur = Cursor(tokens, text)
    rules: list[Rule] = []
    while cur.at < len(tokens):
        draft = _Draft(separator, tokens[cur.at].column)
        _read_rule(cur, draft)
        end = tokens[cur.at - 1].column + len(tokens[cur.at - 1].text)
        rules.append(draft.rule(text[draft.start : end].rstrip(",")))
        separator = "additional"
    return rules


def _read_rule(cur: Cursor, draft: _Draft) -> None:
    """Read items until the rule ends (the tokens end, or a "," begins an additional rule)."""
    last_was_time = False
    while (token := cur.peek()) is not None:
        kind = token.kind
        time_now = False
        if kind == "weekday":
            draft.weekdays += read_weekdays(cur)
        elif kind == "holiday":
            items, joined = read_holidays(cur)
            (draft.weekdays if joined else draft.holidays).extend(items)
        elif kind == "always":
            cur.at += 1
            draft.times.append(ALWAYS)
        elif kind == "week":
            draft.weeks += read_numbers(cur, "week")
        elif cur.is_year() and cur.kind(1) not in ("month", "event"):
            draft.years += read_numbers(cur, "year")
        elif kind in ("month", "event") or cur.is_year():
            draft.months += read_months(cur)
        elif _at_time(cur):
            if _read_times(cur, draft):
                return
            time_now = True
        elif kind in ("state", "comment"):
            cur.at += 1
            if kind == "state":
                draft.state = token.value  # type: ignore[assignment]
            else:
                draft.comment = token.word
                draft.state = draft.state or "unknown"
            if cur.punct(","):  # "Mo off, Tu 10:00-12:00": an additional rule follows
                cur.at += 1
                return
        elif token.is_punct(":") and not last_was_time:
            cur.at += 1  # "Mo-Fr: 08:00-12:00", a separator for readability
        elif kind == "word":
            raise HoursSyntaxError(f'unrecognised text "{token.text[:24]}"', token.column)
        else:
            raise HoursSyntaxError(f'unexpected "{token.text}"', token.column)
        last_was_time = time_now


def _at_time(cur: Cursor) -> bool:
    if cur.kind() == "timevar" or (cur.punct("(") and cur.kind(1) == "timevar"):
        return True
    return cur.kind() == "number" and (cur.punct(":", 1) or cur.punct("-", 1))


def _read_times(cur: Cursor, draft: _Draft) -> bool:
    """Read a comma list of spans; True if a "," then begins an additional rule."""
    while True:
        draft.times += _read_span(cur)
        if not cur.punct(","):
            return False
        cur.at += 1
        if cur.peek() is None:  # "10:00-12:00," (a trailing comma, tolerated)
            return True
        if not _at_time(cur):
            return True


def _read_span(cur: Cursor) -> list[TimeSpan]:
    """One span; an open end after a range (``13:00-17:00+``) gives two, the open end first."""
    whole_hours = cur.kind() == "number" and cur.punct("-", 1) and cur.kind(2) == "number"
    if whole_hours and not cur.punct(":", 3):  # "10-12": whole hours
        first = cur.take().number * 60
        cur.at += 1
        last = cur.take().number * 60
        return [_span(cur, Moment(first), Moment(last if last >= first else last + DAY))]
    start_token = cur.peek()
    start = _moment(cur)
    if cur.punct("+"):
        cur.at += 1
        _check_start(start, start_token)
        return [_span(cur, start, Moment(open_end_until(start.default)), True)]
    if not cur.punct("-"):
        raise cur.error(f'expected "-" after opening time{cur.found()}')
    cur.at += 1
    if not (_at_time(cur) or cur.kind() == "number"):
        raise cur.error(f'expected time after "-"{cur.found()}')
    end = _moment(cur)
    _check_start(start, start_token)
    spans: list[TimeSpan] = []
    if cur.punct("+"):  # "13:00-17:00+": unknown from 17:00 on
        cur.at += 1
        extended = end.default + (DAY if end.default < start.default else 0)
        moved = end if end.event else Moment(extended)
        spans.append(_span(cur, moved, Moment(open_end_until(extended)), True))
    if not end.event and (
        end.minutes < start.default or (not start.event and end.minutes == start.minutes)
    ):
        end = Moment(end.minutes + DAY)
    spans.append(_span(cur, start, end))
    if cur.punct("/"):
        raise cur.error("repeating times (points in time) are not opening hours")
    return spans


def _check_start(start: Moment, token: Token | None) -> None:
    if start.default >= DAY and token is not None:
        shown = f"{start.minutes // 60:02d}:{start.minutes % 60:02d}"
        raise HoursSyntaxError(f'opening time "{shown}" must be before 24:00', token.column)


def _span(cur: Cursor, start: Moment, end: Moment, open_end: bool = False) -> TimeSpan:
    to = end.default
    if end.event and to < start.default:
        to += DAY
    if to > 2 * DAY:
        raise cur.error("a time range may not run past the next midnight")
    return TimeSpan(start, end, open_end, to > DAY)


def _moment(cur: Cursor) -> Moment:
    if cur.kind() == "timevar":
        return Moment(0, cur.take().word)
    if cur.punct("("):
        cur.at += 1
        event = cur.expect("timevar", "sunrise, sunset, dawn or dusk").word
        if not (cur.punct("+") or cur.punct("-")):
            raise cur.error(f'expected "+" or "-" after "{event}"{cur.found()}')
        sign = -1 if cur.take().value == "-" else 1
        offset = _clock(cur)
        if not cur.punct(")"):
            raise cur.error(f'expected ")"{cur.found()}')
        cur.at += 1
        return Moment(sign * offset, event)
    return Moment(_clock(cur))


def _clock(cur: Cursor) -> int:
    hours = cur.peek()
    if hours is None or hours.kind != "number" or not cur.punct(":", 1):
        raise cur.error(f'expected time as "HH:MM"{cur.found()}')
    cur.at += 2
    minutes = cur.peek()
    if minutes is None or minutes.kind != "number" or len(minutes.text) != 2:
        raise cur.error(f'expected time as "HH:MM"{cur.found()}')
    cur.at += 1
    if minutes.number > 59:
        raise HoursSyntaxError(f'invalid time "{hours.text}:{minutes.text}"', hours.column)
    return hours.number * 60 + minutes.number
