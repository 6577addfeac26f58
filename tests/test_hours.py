"""Tests for opening-hours parsing, compiling and describing, and the holiday calendar."""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest

from sitegen.hours.calendar import HolidayCalendar
from sitegen.hours.compile import compile_schedule
from sitegen.hours.opening import OpeningHours
from sitegen.hours.parse import parse_hours
from sitegen.hours.rules import HoursSyntaxError

# 2025-06-09 is an ordinary Monday in CN, TW, HK and MO: no holiday that week.
MONDAY = date(2025, 6, 9)
WHOLE = ((0, 1440),)
CLOSED = ()


@pytest.fixture(scope="module")
def cn() -> HolidayCalendar:
    return HolidayCalendar("CN", range(2024, 2027))


def week(hours: OpeningHours, calendar: HolidayCalendar | None = None) -> list[object]:
    """Intervals for Monday..Sunday of an ordinary week."""
    return [hours.day_intervals(MONDAY + timedelta(days=i), calendar) for i in range(7)]


DAY_6_23 = ((360, 1380),)
OFFICE = ((480, 720), (810, 1050))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Su 06:00-23:00", [DAY_6_23] * 7),
        ("24/7", [WHOLE] * 7),
        ("全天", [WHOLE] * 7),
        ("全日", [WHOLE] * 7),
        ("24小時", [WHOLE] * 7),
        ("24小时", [WHOLE] * 7),
        ("06:00~23:00", [DAY_6_23] * 7),
        ("06:00～23:00", [DAY_6_23] * 7),
        ("０６：００－２３：００", [DAY_6_23] * 7),
        ("每日 06:00-23:00", [DAY_6_23] * 7),
        ("00:00-24:00", [WHOLE] * 7),
        (
            "Mo-Fr 08:00-12:00,13:30-17:30; Sa 09:00-12:00",
            [OFFICE] * 5 + [((540, 720),), CLOSED],
        ),
        # Past midnight: Monday has no spill, Saturday gets Friday's tail.
        (
            "Mo-Fr 18:00-02:00",
            [((1080, 1440),)] + [((0, 120), (1080, 1440))] * 4 + [((0, 120),), CLOSED],
        ),
        ("Mo-Fr 09:00-17:00; PH off", [((540, 1020),)] * 5 + [CLOSED] * 2),
        ("Mo,We,Fr 10:00-11:00", [((600, 660),), CLOSED] * 2 + [((600, 660),), CLOSED, CLOSED]),
        ("Sa-Mo 10:00-12:00", [((600, 720),)] + [CLOSED] * 4 + [((600, 720),)] * 2),
        (
            "Mo-Fr 09:00-17:00; We off",
            [((540, 1020),)] * 2 + [CLOSED] + [((540, 1020),)] * 2 + [CLOSED] * 2,
        ),
        ("Mo-Su 08:00-20:00; Su 10:00-12:00", [((480, 1200),)] * 6 + [((600, 720),)]),
        # Additional rule ("," before a day selector) adds instead of overriding.
        (
            "Mo-Fr 08:00-12:00, We 14:00-18:00",
            [((480, 720),)] * 2 + [((480, 720), (840, 1080))] + [((480, 720),)] * 2 + [CLOSED] * 2,
        ),
        (
            "Mo-Fr 08:00-18:00; We 12:00-13:00 off",
            [((480, 1080),)] * 2
            + [((480, 720), (780, 1080))]
            + [((480, 1080),)] * 2
            + [CLOSED] * 2,
        ),
        ("Sa,Su", [CLOSED] * 5 + [WHOLE] * 2),
        # A comment without "open" makes the rule unknown (opening_hours.js): not open.
        ('Mo-Fr 08:00-17:00 "by appointment"', [CLOSED] * 7),
        ('Mo-Fr 08:00-17:00 open "by appointment"', [((480, 1020),)] * 5 + [CLOSED] * 2),
        (
            "週二至週六：08:30~21:00；週日、週一：09:00~17:00。",
            [((540, 1020),)] + [((510, 1260),)] * 5 + [((540, 1020),)],
        ),
        ("週一至週五 08:30~17:30", [((510, 1050),)] * 5 + [CLOSED] * 2),
        ("周一至周五 08:30-17:30", [((510, 1050),)] * 5 + [CLOSED] * 2),
        (
            "星期一至五 08:30-17:30 星期六 09:00-12:00",
            [((510, 1050),)] * 5 + [((540, 720),), CLOSED],
        ),
        ("週一休館", [CLOSED] * 7),
        ("全天开放", [WHOLE] * 7),
    ],
)
def test_parse_and_compile(text: str, expected: list[object]) -> None:
    assert week(parse_hours(text)) == expected


def test_comment_is_kept_verbatim() -> None:
    hours = parse_hours('Mo-Fr 08:00-17:00 "by appointment"; Sa 10:00-12:00 "ring “twice”"')
    assert hours.comments == ("by appointment", "ring “twice”")
    assert hours.rules[0].comment == "by appointment"


def test_comment_only_is_unknown_not_open() -> None:
    hours = parse_hours('"call ahead"')
    assert week(hours) == [CLOSED] * 7
    assert hours.describe("en") == "call ahead"


def test_later_rule_overrides_only_named_days() -> None:
    hours = parse_hours("08:00-20:00; Sa,Su 10:00-16:00; PH off")
    assert week(hours) == [((480, 1200),)] * 5 + [((600, 960),)] * 2


def test_later_rule_for_the_next_day_closes_spilled_hours() -> None:
    # opening_hours.js: "Sa off" closes all of Saturday, Friday night's tail included.
    hours = parse_hours("Mo-Fr 20:00-03:00; Sa off")
    assert week(hours)[5] == CLOSED
    assert week(parse_hours("Mo-Fr 20:00-03:00"))[5] == ((0, 180),)


def test_parse_is_memoised() -> None:
    assert parse_hours("Mo-Fr 07:00-19:00") is parse_hours("Mo-Fr 07:00-19:00")


def test_is_always_open() -> None:
    assert parse_hours("24/7").is_always_open
    assert parse_hours("Mo-Su 00:00-24:00").is_always_open
    assert not parse_hours("24/7; PH off").is_always_open
    assert not parse_hours("Mo-Sa 00:00-24:00").is_always_open


# --- holidays ----------------------------------------------------------------


def test_ph_off_closed_on_spring_festival(cn: HolidayCalendar) -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00; PH off")
    assert hours.day_intervals(date(2025, 1, 29), cn) == CLOSED  # a Wednesday
    assert hours.day_intervals(date(2025, 1, 29)) == (
        (540, 1020),
    )  # no calendar: a plain Wednesday


def test_makeup_sunday_is_a_working_day(cn: HolidayCalendar) -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00")
    assert date(2025, 9, 28).weekday() == 6
    assert hours.day_intervals(date(2025, 9, 28), cn) == ((540, 1020),)
    assert hours.day_intervals(date(2025, 9, 21), cn) == CLOSED  # an ordinary Sunday
    assert hours.day_intervals(date(2025, 9, 24), cn) == ((540, 1020),)  # an ordinary Wednesday


def test_makeup_day_follows_swapped_weekday(cn: HolidayCalendar) -> None:
    # 2025-09-28 is worked for Tue 2025-10-07, 2025-10-11 for Wed 2025-10-08.
    hours = parse_hours("Mo 08:00-09:00; Tu 10:00-11:00; We 12:00-13:00")
    assert hours.day_intervals(date(2025, 9, 28), cn) == ((600, 660),)
    assert hours.day_intervals(date(2025, 10, 11), cn) == ((720, 780),)


def test_ph_hours_apply_on_national_day(cn: HolidayCalendar) -> None:
    hours = parse_hours("Mo-Fr 08:00-18:00; PH 10:00-16:00")
    assert hours.day_intervals(date(2025, 10, 1), cn) == ((600, 960),)
    assert hours.day_intervals(date(2025, 10, 15), cn) == ((480, 1080),)


def test_weekday_and_ph_selector(cn: HolidayCalendar) -> None:
    hours = parse_hours("Mo-Fr,PH 09:00-12:00")
    assert hours.day_intervals(date(2025, 5, 31), cn) == ((540, 720),)  # Dragon Boat, a Saturday
    assert hours.day_intervals(date(2025, 6, 7), cn) == CLOSED  # ordinary Saturday


def test_holiday_without_ph_rule_uses_weekday(cn: HolidayCalendar) -> None:
    assert parse_hours("Mo-Fr 09:00-17:00").day_intervals(date(2025, 10, 1), cn) == ((540, 1020),)


def test_spill_into_holiday(cn: HolidayCalendar) -> None:
    # Tuesday 2025-09-30 evening runs into National Day: "PH off" closes all of it.
    hours = parse_hours("Mo-Fr 20:00-02:00; PH off")
    assert hours.day_intervals(date(2025, 10, 1), cn) == CLOSED
    assert hours.day_intervals(date(2025, 10, 9), cn) == ((0, 120), (1200, 1440))


def test_compile_schedule_matches_day_intervals(cn: HolidayCalendar) -> None:
    hours = parse_hours("Mo-Fr 18:00-01:00; Sa 10:00-12:00; PH off")
    start = date(2025, 9, 20)
    schedule = compile_schedule(hours, start, 30, cn)
    assert len(schedule) == 30
    assert schedule == tuple(hours.day_intervals(start + timedelta(days=i), cn) for i in range(30))
    assert compile_schedule("Mo-Fr 18:00-01:00; Sa 10:00-12:00; PH off", start, 30, cn) == schedule
    assert schedule[11] == ()  # 2025-10-01: "PH off" closes all of it, Tuesday's tail too
    assert schedule[8] == ((1080, 1440),)  # Sunday 2025-09-28 worked as Tuesday, no spill from Sat


def test_calendar_facts(cn: HolidayCalendar) -> None:
    assert cn.is_public_holiday(date(2025, 1, 29))
    assert cn.is_public_holiday(date(2025, 10, 8))  # substituted day off
    assert not cn.is_public_holiday(date(2025, 9, 28))
    assert not cn.is_public_holiday(date(2025, 6, 11))
    assert cn.makeup_weekday(date(2025, 9, 28)) == 1
    assert cn.makeup_weekday(date(2025, 1, 26)) == 0
    assert cn.makeup_weekday(date(2025, 9, 27)) is None
    assert cn.makeup_weekday(date(2025, 9, 24)) is None
    # Loaded on demand, including a swap across New Year (worked 2001-12-29 for 2002-01-02).
    assert cn.makeup_weekday(date(2001, 12, 29)) == 2


@pytest.mark.parametrize(
    ("country", "holiday", "workday"),
    [
        ("TW", date(2025, 10, 10), date(2025, 2, 8)),
        ("HK", date(2025, 7, 1), None),
        ("MO", date(2025, 12, 20), None),
    ],
)
def test_other_regions(country: str, holiday: date, workday: date | None) -> None:
    calendar = HolidayCalendar(country, [2025])
    assert calendar.is_public_holiday(holiday)
    assert not calendar.is_public_holiday(MONDAY)
    if workday is not None:
        assert calendar.makeup_weekday(workday) == 0  # TW 2025-02-08 paid back on Mon 01-27


def test_unknown_country() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        HolidayCalendar("XX")


# --- errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("Mo-Xx 08:00-09:00", 3, 'expected weekday after "-", found "Xx"'),
        ("25:00-26:00", 0, 'opening time "25:00" must be before 24:00'),
        ("08:00-", 6, 'expected time after "-"'),
        ("", 0, "empty opening hours"),
        ("  ;", 2, "empty opening hours"),
        ("Mo-Fr 08:60-09:00", 6, 'invalid time "08:60"'),
        ("24:00-02:00", 0, 'opening time "24:00" must be before 24:00'),
        ("Mo-Fr 08:00 17:00", 12, 'expected "-" after opening time, found "17"'),
        ("Jan 32 08:00-09:00", 4, 'invalid day of the month "32"'),
        ("Mo-Fr 08:00-17:00 foo", 18, 'unrecognised text "foo"'),
        ("Mo, 08:00", 4, 'expected weekday after ","'),
        ("Mo[0] 08:00-09:00", 3, "expected a number from -5 to 5 in [ ]"),
        ("Mo 08:00-50:00", 14, "a time range may not run past the next midnight"),
        ("Mo-Fr 10:00-12:00/01:00", 17, "repeating times (points in time) are not opening hours"),
        ("|| Mo 10:00-12:00", 0, 'expected a rule before "||"'),
        ('Mo "abc', 3, "unterminated comment"),
        # Full-width text keeps columns: one column per character.
        ("週一至週五 25:00-26:00", 0, 'unrecognised text "週一至週五"'),
    ],
)
def test_syntax_errors(text: str, column: int, message: str) -> None:
    with pytest.raises(HoursSyntaxError) as info:
        parse_hours(text)
    assert (info.value.column, info.value.message, str(info.value)) == (column, message, message)


def test_syntax_error_pickles() -> None:
    error = pickle.loads(pickle.dumps(HoursSyntaxError("bad", 4)))
    assert (error.message, error.column) == ("bad", 4)


# --- describing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "en", "hans", "hant"),
    [
        (
            "Mo-Fr 08:00-17:00; Sa 09:00-12:00; PH off",
            "Mon–Fri 08:00–17:00; Sat 09:00–12:00; public holidays closed",
            "周一至周五 08:00–17:00；周六 09:00–12:00；法定节假日休息",
            "週一至週五 08:00–17:00；週六 09:00–12:00；國定假日休息",
        ),
        ("24/7", "Open 24 hours", "全天开放", "全天開放"),
        ("24小時", "Open 24 hours", "全天开放", "全天開放"),
        ("06:00~23:00", "Daily 06:00–23:00", "每日 06:00–23:00", "每日 06:00–23:00"),
        (
            "Mo-Fr 08:00-12:00,13:30-17:30",
            "Mon–Fri 08:00–12:00, 13:30–17:30",
            "周一至周五 08:00–12:00，13:30–17:30",
            "週一至週五 08:00–12:00，13:30–17:30",
        ),
        (
            "Sa,Su 10:00-02:00; PH 10:00-16:00",
            "Sat, Sun 10:00–02:00; public holidays 10:00–16:00",
            "周六、周日 10:00–02:00；法定节假日 10:00–16:00",
            "週六、週日 10:00–02:00；國定假日 10:00–16:00",
        ),
        ("Sa-Mo 00:00-24:00", "Sat–Mon 24 hours", "周六至周一 全天", "週六至週一 全天"),
        (
            'Mo-Fr 08:00-17:00 "by appointment"',
            "Mon–Fri 08:00–17:00 (by appointment)",
            "周一至周五 08:00–17:00 (by appointment)",
            "週一至週五 08:00–17:00 (by appointment)",
        ),
        (
            'Mo-Fr 08:00-17:00 open "by appointment"',
            "Mon–Fri 08:00–17:00; by appointment",
            "周一至周五 08:00–17:00；by appointment",
            "週一至週五 08:00–17:00；by appointment",
        ),
        (
            "PH 10:00-16:00",
            "Public holidays 10:00–16:00",
            "法定节假日 10:00–16:00",
            "國定假日 10:00–16:00",
        ),
        ("Mo-Su off", "Closed", "不开放", "不開放"),
    ],
)
def test_describe(text: str, en: str, hans: str, hant: str) -> None:
    hours = parse_hours(text)
    assert (hours.describe("en"), hours.describe("zh-Hans"), hours.describe("zh-Hant")) == (
        en,
        hans,
        hant,
    )


def test_describe_unknown_locale() -> None:
    with pytest.raises(ValueError, match="locale"):
        parse_hours("24/7").describe("fr")


def test_chinese_quotes_delimit_comments() -> None:
    assert parse_hours("週一至週五 09:00-17:00 “需預約”").comments == ("需預約",)
