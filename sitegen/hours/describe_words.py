"""The words the describer uses, per locale: weekdays, months, times, states."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sitegen.hours.rules import ALL_DAYS, DAY, WHOLE_DAY, Spans


@dataclass(frozen=True, slots=True)
class Words:
    """Words and joiners of one locale."""

    day_names: tuple[str, ...]
    month_names: tuple[str, ...]
    through: str
    day_list: str
    time_list: str
    separator: str
    daily: str
    always: str
    whole_day: str
    holiday: str
    holiday_closed: str
    school_holiday: str
    closed: str
    off: str
    unknown: str
    otherwise: str
    easter: str
    events: dict[str, str]
    open_end: str  # "{} onwards, closing time not fixed"
    nth: str  # "{n} {day} of the month"
    last: str  # "last"
    week: str  # "weeks {}"
    day_date: str  # "{month} {day}"
    year: str  # "{}"
    offset: str  # "{} days after"/"…"
    space: str = " "  # between a year and a date
    colon: str = ":"  # after dates and seasons

    def days(self, days: frozenset[int]) -> str:
        """Weekday set as runs ("Mon–Fri", "Sat–Mon" across the week end, "Sat, Sun")."""
        if days == ALL_DAYS:
            return self.daily
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
        if spans == WHOLE_DAY:
            return self.whole_day
        return self.time_list.join(
            f"{clock(s)}–{clock(e - DAY if e > DAY else e)}" for s, e in spans
        )


def clock(minutes: int) -> str:
    """Minutes as "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_EN = Words(
    day_names=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    month_names=(
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
    through="–",
    day_list=", ",
    time_list=", ",
    separator="; ",
    daily="Daily",
    always="Open 24 hours",
    whole_day="24 hours",
    holiday="public holidays",
    holiday_closed="public holidays closed",
    school_holiday="school holidays",
    closed="Closed",
    off="closed",
    unknown="hours not known",
    otherwise="otherwise",
    easter="Easter",
    events={"sunrise": "sunrise", "sunset": "sunset", "dawn": "dawn", "dusk": "dusk"},
    open_end="from {}, closing time not fixed",
    nth="{n} {day} of the month",
    last="last",
    week="weeks {}",
    day_date="{month} {day}",
    year="{}",
    offset="{}",
)
_HANS = Words(
    day_names=tuple(f"周{c}" for c in "一二三四五六日"),
    month_names=tuple(f"{m}月" for m in range(1, 13)),
    through="至",
    day_list="、",
    time_list="，",
    separator="；",
    daily="每日",
    always="全天开放",
    whole_day="全天",
    holiday="法定节假日",
    holiday_closed="法定节假日休息",
    school_holiday="学校假期",
    closed="不开放",
    off="休息",
    unknown="时间不定",
    otherwise="其余时间",
    easter="复活节",
    events={"sunrise": "日出", "sunset": "日落", "dawn": "黎明", "dusk": "黄昏"},
    open_end="{}起，关门时间不定",
    nth="每月{n}{day}",
    last="最后一个",
    week="第{}周",
    day_date="{month}{day}日",
    year="{}年",
    offset="{}",
    space="",
    colon="：",
)
LOCALES = {
    "en": _EN,
    "zh-Hans": _HANS,
    "zh-Hant": replace(
        _HANS,
        day_names=tuple(f"週{c}" for c in "一二三四五六日"),
        always="全天開放",
        holiday="國定假日",
        holiday_closed="國定假日休息",
        school_holiday="學校假期",
        closed="不開放",
        unknown="時間不定",
        otherwise="其餘時間",
        easter="復活節",
        events={"sunrise": "日出", "sunset": "日落", "dawn": "黎明", "dusk": "黃昏"},
        open_end="{}起，關門時間不定",
        last="最後一個",
        week="第{}週",
    ),
}
