"""Opening hours in words, in English, Simplified and Traditional Chinese.

Hours that depend only on the weekday and public holidays are summarised by weekday
groups ("Mon–Fri 08:00–17:00; Sat 09:00–12:00; public holidays closed"); anything else
(seasons, dates, weeks, n-th weekdays, sun times, fallbacks) is told rule by rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from sitegen.hours.describe_rules import describe_rule
from sitegen.hours.describe_words import LOCALES, Words
from sitegen.hours.rules import WHOLE_DAY, Rule, Span, Spans
from sitegen.hours.selectors import Holiday, WeekdayRange

if TYPE_CHECKING:
    from sitegen.hours.opening import OpeningHours


@dataclass(frozen=True, slots=True)
class _Week:
    """Spans starting on each weekday (may end past 24:00), and on a public holiday."""

    days: tuple[Spans, ...]
    holiday: Spans | None  # None: holidays are like any other day


def _merge(spans: list[Span]) -> Spans:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return tuple(out)


def _subtract(spans: Spans, cut: Spans) -> Spans:
    out: list[Span] = []
    for start, end in spans:
        pieces = [(start, end)]
        for c0, c1 in cut:
            pieces = [
                p for s, e in pieces for p in ((s, min(e, c0)), (max(s, c1), e)) if p[0] < p[1]
            ]
        out.extend(pieces)
    return tuple(out)


def _selects(rule: Rule, weekday: int | None, holiday: bool) -> bool:
    def one(s: object) -> bool:
        if isinstance(s, WeekdayRange):
            return weekday is not None and weekday in s.days
        return isinstance(s, Holiday) and holiday

    return all(any(one(s) for s in group) for group in rule.groups)


def _own(rules: tuple[Rule, ...], weekday: int | None, holiday: bool) -> Spans:
    """Spans starting on such a day, as the rules say (later rules replace earlier ones)."""
    spans: Spans = ()
    before = 0
    for i, rule in enumerate(rules):
        kinds = len(rule.groups)
        if _selects(rule, weekday, holiday):
            times = _merge([(t.start.minutes, t.end.minutes) for t in rule.times]) or WHOLE_DAY
            if rule.state == "closed" or rule.state == "unknown":
                spans = _subtract(spans, times) if rule.times else ()
            elif rule.separator in ("additional", "fallback"):
                spans = _merge([*spans, *times])
            elif kinds > 0 or (i > 0 and before == 0):
                spans = times
            else:
                spans = _merge([*spans, *times])
        before = kinds
    return spans


def _week(rules: tuple[Rule, ...]) -> _Week | None:
    """The week, or None when holidays differ by weekday (then told rule by rule)."""
    days = tuple(_own(rules, k, False) for k in range(7))
    holidays = tuple(_own(rules, k, True) for k in range(7))
    if holidays == days:
        return _Week(days, None)
    if len(set(holidays)) > 1:
        return None
    return _Week(days, holidays[0])


def _by_weekday(hours: OpeningHours, words: Words) -> list[str] | None:
    week = _week(hours.rules)
    if week is None:
        return None
    groups: dict[Spans, list[int]] = {}
    for weekday, spans in enumerate(week.days):
        if spans:
            groups.setdefault(spans, []).append(weekday)
    parts: list[str] = []
    if len(groups) == 1 and len(next(iter(groups.values()))) == 7:
        spans = next(iter(groups))
        parts.append(words.always if spans == WHOLE_DAY else f"{words.daily} {words.spans(spans)}")
    else:
        parts.extend(
            f"{words.days(frozenset(days))} {words.spans(spans)}" for spans, days in groups.items()
        )
    if week.holiday is not None:
        if not week.holiday:
            parts.append(words.holiday_closed)
        else:
            parts.append(f"{words.holiday} {words.spans(week.holiday)}")
    return parts


@lru_cache(maxsize=4096)
def describe_hours(hours: OpeningHours, locale: str) -> str:
    """Human-readable summary in ``en``, ``zh-Hans`` or ``zh-Hant``; comments are appended."""
    try:
        words = LOCALES[locale]
    except KeyError:
        raise ValueError(f"unsupported locale {locale!r}") from None
    simple = hours.week_stable and not any(
        r.separator == "fallback" or r.state == "unknown" or any(t.open_end for t in r.times)
        for r in hours.rules
    )
    by_weekday = _by_weekday(hours, words) if simple else None
    if by_weekday is not None:
        parts = by_weekday
        comments = list(hours.comments)
    else:
        parts = [describe_rule(rule, words) for rule in hours.rules]
        comments = []
    if not parts and not comments:
        parts.append(words.closed)
    if parts and parts[0] not in hours.comments:  # sentence case; comments stay as written
        parts[0] = parts[0][:1].upper() + parts[0][1:]
    return words.separator.join(parts + comments)
