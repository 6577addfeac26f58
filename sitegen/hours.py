"""Opening hours: parse OSM ``opening_hours`` (plus common Chinese forms), compile, describe."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, Protocol

DAY = 1440  # minutes in a day
Span = tuple[int, int]
Spans = tuple[Span, ...]
State = Literal["open", "closed", "unknown"]

ALL_DAYS = frozenset(range(7))
_WEEKDAYS = frozenset(range(5))
_WHOLE_DAY: Spans = ((0, DAY),)


class HoursSyntaxError(ValueError):
    """An opening-hours string could not be parsed; ``column`` is 0-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __reduce__(self) -> tuple[type[HoursSyntaxError], tuple[str, int]]:
        # Keep the column when pickled (e.g. sent back from a worker process).
        return (type(self), (self.message, self.column))


class Calendar(Protocol):
    """What the compiler needs to know about a day (see ``sitegen.calendar.HolidayCalendar``)."""

    def is_public_holiday(self, d: date, /) -> bool: ...

    def makeup_weekday(self, d: date, /) -> int | None: ...

    def __hash__(self) -> int: ...  # compiled day kinds are memoised per calendar


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: the days it selects and what it says about them (spans may end past 24:00)."""

    weekdays: frozenset[int]
    holiday: bool
    spans: Spans
    state: State
    additive: bool = False  # joined with "," to the previous rule: adds instead of overriding
    comment: str = ""
    any_day: bool = False  # no day selector at all

    def matches(self, weekday: int | None, holiday: bool) -> bool:
        """True if this rule applies to a day with ``weekday`` that is (or is not) a holiday."""
        return (weekday is not None and weekday in self.weekdays) or (holiday and self.holiday)


# --- parsing ---------------------------------------------------------------

_DAY_NAMES = {name: i for i, name in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))}
_DAY_NAMES |= {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_STATE_WORDS: dict[str, State] = {
    "off": "closed",
    "closed": "closed",
    "open": "open",
    "unknown": "unknown",
}
_ZH_NUMERAL = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_DAY_SETS = {"每日": ALL_DAYS, "每天": ALL_DAYS, "天天": ALL_DAYS, "平日": _WEEKDAYS}
_ZH_DAY_SETS.update({"週末": frozenset({5, 6}), "周末": frozenset({5, 6})})

_RE_WORD = re.compile(r"[A-Za-z]+")
_RE_TIME = re.compile(r"(\d{1,2}):(\d{2})(?!\d)")
_RE_ALL_DAY = re.compile(r"24/7|全天|全日|24小[时時]")
_RE_RANGE = re.compile(r"[-~至到]")
_RE_ZH_DAY = re.compile(r"(?:星期|礼拜|禮拜|週|周)([一二三四五六日天])")
_RE_ZH_BARE_DAY = re.compile(r"[一二三四五六日天]")
_RE_ZH_DAY_SET = re.compile("|".join(_ZH_DAY_SETS))
_RE_ZH_HOLIDAY = re.compile(r"法定[节節]假日|[国國]定假日|[节節]假日|公[众眾]假期")
_RE_ZH_OPEN = re.compile(r"开放|開放|营业|營業")
_RE_ZH_CLOSED = re.compile(r"不开放|不開放|休息|休[館馆]|公休|[闭閉][馆館]|[关關][闭閉]")
_RE_TOKEN = re.compile(r"[^\s;,、。\"“]+")
# NFKC folds full-width digits and punctuation (：；，～－); these are the rest.
_FOLD = str.maketrans({"〜": "~", "–": "-", "—": "-", "−": "-"})
_QUOTES = {'"': '"', "“": "”"}  # comment delimiters, opening to closing


def _fold(text: str) -> str:
    """Fold full-width forms and dash variants char by char, so columns stay those of ``text``."""
    folded = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char)
        folded.append(normal if len(normal) == 1 else char)
    return "".join(folded).translate(_FOLD)


class _Parser:
    def __init__(self, text: str) -> None:
        self.raw = text
        self.s = _fold(text)
        self.pos = 0

    def error(self, message: str) -> HoursSyntaxError:
        return HoursSyntaxError(message, self.pos)

    def ws(self) -> None:
        while self.pos < len(self.s) and self.s[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.s[self.pos : self.pos + 1]

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.s, self.pos)
        if m is not None:
            self.pos = m.end()
        return m

    def unrecognised(self) -> HoursSyntaxError:
        m = _RE_TOKEN.match(self.s, self.pos)
        end = m.end() if m else self.pos + 1
        return self.error(f'unrecognised text "{self.raw[self.pos : end][:24]}"')

    def parse(self) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        additive = False
        while True:
            self.ws()
            if self.pos >= len(self.s):
                break
            if self.peek() in ";。":
                self.pos += 1
                additive = False
                continue
            rule, additive = self.rule(additive)
            rules.append(rule)
        if not rules:
            raise HoursSyntaxError("empty opening hours", 0)
        return tuple(rules)

    def rule(self, additive: bool) -> tuple[Rule, bool]:
        selector = self.day_selector()
        self.ws()
        if selector is not None and self.peek() == ":":  # "Mo-Fr: 08:00-17:00", "週一：08:00"
            self.pos += 1
        spans = self.time_selector()
        state = self.state_word()
        comment = self.comment()
        if selector is None and not spans and state is None and comment is None:
            raise self.unrecognised()
        if state is None:
            # OSM: a bare day selector means open all day; a bare comment means unknown.
            state = "open" if spans or comment is None else "unknown"
        if state == "open" and not spans:
            spans = [(0, DAY)]
        elif state == "unknown":
            spans = []
        days, holiday = selector if selector is not None else (ALL_DAYS, True)
        rule = Rule(days, holiday, _merge(spans), state, additive, comment or "", selector is None)
        # What may follow: end, ";", "," + day selector (additional rule), or a new
        # day selector (tolerated: real data often omits the ";").
        self.ws()
        if self.pos >= len(self.s) or self.peek() in ";。":
            return rule, False
        if self.peek() == ",":
            self.pos += 1
            self.ws()
            if not self.at_day():
                raise self.error('expected weekday or time after ","')
            return rule, True
        if self.at_day():
            return rule, False
        raise self.unrecognised()

    def at_day(self) -> bool:
        start = self.pos
        found = self.day_item() is not None
        self.pos = start
        return found

    def day_selector(self) -> tuple[frozenset[int], bool] | None:
        item = self.day_item()
        if item is None:
            return None
        days, holiday = set(item[0]), item[1]
        while True:
            self.ws()
            if self.peek() not in (",", "、"):
                break
            comma = self.pos
            self.pos += 1
            self.ws()
            item = self.day_item()
            if item is None:
                raise self.error(f'expected weekday after "{self.s[comma]}"')
            days |= item[0]
            holiday = holiday or item[1]
        return frozenset(days), holiday

    def day_item(self) -> tuple[frozenset[int], bool] | None:
        start = self.pos
        if m := self.match(_RE_WORD):
            word = m[0].lower()
            if word == "ph":
                return frozenset(), True
            if word in _DAY_NAMES:
                return self.day_range(_DAY_NAMES[word], chinese=False), False
            self.pos = start
            return None
        if m := self.match(_RE_ZH_DAY):
            return self.day_range(_ZH_NUMERAL[m[1]], chinese=True), False
        if m := self.match(_RE_ZH_DAY_SET):
            return _ZH_DAY_SETS[m[0]], False
        if self.match(_RE_ZH_HOLIDAY):
            return frozenset(), True
        return None

    def day_range(self, first: int, chinese: bool) -> frozenset[int]:
        start = self.pos
        self.ws()
        dash = self.match(_RE_RANGE)
        if dash is None:
            self.pos = start
            return frozenset({first})
        self.ws()
        last: int | None = None
        if m := self.match(_RE_ZH_DAY):
            last = _ZH_NUMERAL[m[1]]
        elif chinese and (m := self.match(_RE_ZH_BARE_DAY)):  # "週一至五"
            last = _ZH_NUMERAL[m[0]]
        elif (m := _RE_WORD.match(self.s, self.pos)) and m[0].lower() in _DAY_NAMES:
            self.pos = m.end()
            last = _DAY_NAMES[m[0].lower()]
        if last is None:
            m = _RE_TOKEN.match(self.s, self.pos)
            found = self.raw[self.pos : m.end()] if m else self.raw[self.pos : self.pos + 1]
            suffix = f', found "{found}"' if found else ""
            raise self.error(f'expected weekday after "{dash[0]}"{suffix}')
        # Wrap-around ranges such as Sa-Mo run through Sunday.
        return frozenset((first + i) % 7 for i in range((last - first) % 7 + 1))

    def time_selector(self) -> list[Span]:
        spans: list[Span] = []
        while True:
            self.ws()
            item = self.time_item()
            if item is None:
                return spans
            spans.append(item)
            self.ws()
            if self.peek() in (",", "、"):
                comma = self.pos
                self.pos += 1
                self.ws()
                if not (self.peek().isdigit() or _RE_ALL_DAY.match(self.s, self.pos)):
                    self.pos = comma  # maybe "," before an additional rule
                    return spans

    def time_item(self) -> Span | None:
        if self.match(_RE_ALL_DAY):
            return (0, DAY)
        if not self.peek().isdigit():
            return None
        start = self.time(is_end=False)
        self.ws()
        dash = self.match(_RE_RANGE)
        if dash is None:
            raise self.error('expected "-" after opening time')
        self.ws()
        if not self.peek().isdigit():
            raise self.error(f'expected time after "{dash[0]}"')
        end = self.time(is_end=True)
        # An end at or before the start runs past midnight into the next day.
        return (start, end if end > start else end + DAY)

    def time(self, is_end: bool) -> int:
        m = _RE_TIME.match(self.s, self.pos)
        if m is None:
            raise self.error('expected time as "HH:MM"')
        hour, minute = int(m[1]), int(m[2])
        raw = self.raw[m.start() : m.end()]
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            raise self.error(f'invalid time "{raw}"')
        if hour == 24 and not is_end:
            raise self.error(f'opening time "{raw}" must be before 24:00')
        self.pos = m.end()
        return hour * 60 + minute

    def state_word(self) -> State | None:
        self.ws()
        m = _RE_WORD.match(self.s, self.pos)
        if m and m[0].lower() in _STATE_WORDS:
            self.pos = m.end()
            return _STATE_WORDS[m[0].lower()]
        if self.match(_RE_ZH_CLOSED):
            return "closed"
        if self.match(_RE_ZH_OPEN):
            return "open"
        return None

    def comment(self) -> str | None:
        self.ws()
        if self.peek() not in _QUOTES:
            return None
        end = self.s.find(_QUOTES[self.peek()], self.pos + 1)
        if end < 0:
            raise self.error("unterminated comment")
        text = self.raw[self.pos + 1 : end]
        self.pos = end + 1
        return text


@lru_cache(maxsize=8192)
def parse_hours(text: str) -> OpeningHours:
    """Parse an opening-hours string; memoised because many facilities share the same text."""
    return OpeningHours(text, _Parser(text).parse())


# --- compiling -------------------------------------------------------------


def _merge(spans: Spans | list[Span]) -> Spans:
    """Sort and merge overlapping or touching spans."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def _subtract(spans: Spans, cut: Spans) -> Spans:
    """Remove ``cut`` from ``spans`` (used for "12:00-13:00 off" breaks)."""
    out: list[Span] = []
    for start, end in spans:
        pieces = [(start, end)]
        for c_start, c_end in cut:
            pieces = [
                p
                for s, e in pieces
                for p in ((s, min(e, c_start)), (max(s, c_end), e))
                if p[0] < p[1]
            ]
        out.extend(pieces)
    return tuple(out)


def _evaluate(rules: tuple[Rule, ...], weekday: int | None, holiday: bool) -> Spans:
    """Spans starting on one kind of day; later matching rules override earlier ones (OSM)."""
    spans: Spans = ()
    for rule in rules:
        if not rule.matches(weekday, holiday):
            continue
        if rule.state == "closed":
            # "off" with times cuts a break out of the day; without times it closes the day.
            spans = _subtract(spans, rule.spans) if rule.spans else ()
        elif rule.additive:
            spans = _merge(spans + rule.spans)
        else:
            spans = rule.spans  # empty for "unknown"
    return spans


def _kind(d: date, calendar: Calendar | None) -> int:
    """0..6: an ordinary day evaluated as that weekday; 7..13: a public holiday on weekday k-7."""
    if calendar is None:
        return d.weekday()
    if calendar.is_public_holiday(d):
        return 7 + d.weekday()
    makeup = calendar.makeup_weekday(d)
    return d.weekday() if makeup is None else makeup


@lru_cache(maxsize=256)
def _day_kinds(calendar: Calendar | None, start: date, days: int) -> tuple[int, ...]:
    """Kinds of the day before ``start`` and of the ``days`` days from it (shared by facilities)."""
    return tuple(_kind(start + timedelta(days=i), calendar) for i in range(-1, days))


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Parsed opening hours with per-kind-of-day tables precomputed for cheap compiling."""

    text: str
    # Parsed from ``text``, so two equal texts have equal rules: equality and hashing look
    # at the text alone (schedules of 30,000 cards are grouped by it on every build).
    rules: tuple[Rule, ...] = field(compare=False)
    # Indexed by day kind (see _kind): spans starting that day (may end past
    # 24:00), the part within the day, and the part spilling into the next day.
    _own: tuple[Spans, ...] = field(init=False, repr=False, compare=False)
    _today: tuple[Spans, ...] = field(init=False, repr=False, compare=False)
    _spill: tuple[Spans, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        own = tuple(_evaluate(self.rules, k % 7, k >= 7) for k in range(14))
        object.__setattr__(self, "_own", own)
        object.__setattr__(
            self, "_today", tuple(_merge([(s, min(e, DAY)) for s, e in sp]) for sp in own)
        )
        object.__setattr__(
            self, "_spill", tuple(tuple((0, e - DAY) for _, e in sp if e > DAY) for sp in own)
        )

    @property
    def is_always_open(self) -> bool:
        """True if open around the clock on every day, holidays included."""
        return all(sp == _WHOLE_DAY for sp in self._today)

    @property
    def comments(self) -> tuple[str, ...]:
        """Distinct rule comments, in order of appearance."""
        return tuple(dict.fromkeys(r.comment for r in self.rules if r.comment))

    def day_intervals(self, d: date, calendar: Calendar | None = None) -> Spans:
        """Open intervals on ``d``: minutes since local midnight, sorted, merged, within 0..1440."""
        return self._intervals(_kind(d - timedelta(days=1), calendar), _kind(d, calendar))

    def _intervals(self, previous: int, kind: int) -> Spans:
        spill = self._spill[previous]
        return _merge(self._today[kind] + spill) if spill else self._today[kind]

    def describe(self, locale: str = "en") -> str:
        """Human-readable summary in ``en``, ``zh-Hans`` or ``zh-Hant``; comments are appended."""
        # Thousands of cards share a few texts (equal texts: equal hours): made once each.
        return _describe(self, locale)

    def _describe(self, locale: str) -> str:
        try:
            loc = _LOCALES[locale]
        except KeyError:
            raise ValueError(f"unsupported locale {locale!r}") from None
        groups: dict[Spans, list[int]] = {}
        for weekday in range(7):
            if self._own[weekday]:
                groups.setdefault(self._own[weekday], []).append(weekday)
        parts: list[str] = []
        if len(groups) == 1 and len(next(iter(groups.values()))) == 7:
            spans = next(iter(groups))
            parts.append(loc.always if spans == _WHOLE_DAY else f"{loc.daily} {loc.spans(spans)}")
        else:
            parts.extend(
                f"{loc.days(frozenset(days))} {loc.spans(spans)}" for spans, days in groups.items()
            )
        if any(r.holiday and not r.any_day for r in self.rules):
            holiday = _evaluate(self.rules, None, True)
            if not holiday:
                parts.append(loc.holiday_closed)
            elif set(self._own[:7]) != {holiday}:  # not when it would repeat "Daily …"
                parts.append(f"{loc.holiday} {loc.spans(holiday)}")
        if not parts and not self.comments:
            parts.append(loc.closed)
        if parts:  # sentence case for English; comments stay exactly as written
            parts[0] = parts[0][:1].upper() + parts[0][1:]
        return loc.separator.join(parts + list(self.comments))


@lru_cache(maxsize=4096)
def _describe(hours: OpeningHours, locale: str) -> str:
    return hours._describe(locale)


def compile_schedule(
    hours: OpeningHours | str, start: date, days: int, calendar: Calendar | None = None
) -> tuple[Spans, ...]:
    """Open intervals for each of ``days`` days from ``start`` (as ``day_intervals`` gives)."""
    parsed = parse_hours(hours) if isinstance(hours, str) else hours
    kinds = _day_kinds(calendar, start, days)
    return tuple(parsed._intervals(kinds[i], kinds[i + 1]) for i in range(days))


# --- humanizing ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Locale:
    day_names: tuple[str, ...]
    through: str
    day_list: str
    time_list: str
    separator: str
    daily: str
    always: str
    whole_day: str
    holiday: str
    holiday_closed: str
    closed: str

    def days(self, days: frozenset[int]) -> str:
        """Weekday set as runs ("Mon–Fri", "Sat–Mon" across the week end, "Sat, Sun")."""
        if days == ALL_DAYS:
            return self.daily
        # Start scanning just after a missing day so a run never splits at Sunday/Monday.
        first = next(d for d in range(7) if d not in days) + 1
        runs: list[list[int]] = []
        for offset in range(7):
            d = (first + offset) % 7
            if d not in days:
                continue
            if runs and runs[-1][-1] == (d - 1) % 7:
                runs[-1].append(d)
            else:
                runs.append([d])
        runs.sort(key=lambda run: min(run))
        names = self.day_names
        return self.day_list.join(
            f"{names[r[0]]}{self.through}{names[r[-1]]}"
            if len(r) > 2
            else self.day_list.join(names[d] for d in r)
            for r in runs
        )

    def spans(self, spans: Spans) -> str:
        """Spans as "08:00–12:00, 13:30–17:30"; an end past midnight is shown as clock time."""
        if spans == _WHOLE_DAY:
            return self.whole_day
        return self.time_list.join(
            f"{_clock(s)}–{_clock(e - DAY if e > DAY else e)}" for s, e in spans
        )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_LOCALES = {
    "en": _Locale(
        day_names=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        through="–",
        day_list=", ",
        time_list=", ",
        separator="; ",
        daily="Daily",
        always="Open 24 hours",
        whole_day="24 hours",
        holiday="public holidays",
        holiday_closed="public holidays closed",
        closed="Closed",
    ),
    "zh-Hans": _Locale(
        day_names=tuple(f"周{c}" for c in "一二三四五六日"),
        through="至",
        day_list="、",
        time_list="，",
        separator="；",
        daily="每日",
        always="全天开放",
        whole_day="全天",
        holiday="法定节假日",
        holiday_closed="法定节假日休息",
        closed="不开放",
    ),
}
_LOCALES["zh-Hant"] = replace(
    _LOCALES["zh-Hans"],
    day_names=tuple(f"週{c}" for c in "一二三四五六日"),
    always="全天開放",
    holiday="國定假日",
    holiday_closed="國定假日休息",
    closed="不開放",
)
