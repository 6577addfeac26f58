"""Chinese forms of opening hours, marked as OSM tokens for the assembler (normalise.py).

Handled: 每/每日/每週 prefixes; weekday lists and ranges (星期一至五, 週六、日, 週二及週四);
上午/下午/晚上/凌晨 12-hour times, 時/分/半/正 and Chinese numerals; seasons (4月1日-10月31日,
7月及8月); lunar days (除夕, 初一–初十, 元宵, 端午, 中秋) written out per year; 全年/全天/24小時;
公休/休館/閉館 (off); 法定節假日/公眾假期 (PH).
"""

from __future__ import annotations

import re

from sitegen.hours.lunar import LUNAR_YEARS, lunar_to_solar, new_year_eve
from sitegen.hours.normalise_text import mark, sub_prose

_NUM = "零〇一二三四五六七八九十兩两"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_CHAR = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}

_ALWAYS = re.compile(
    r"(?:全年)?(?:全天|全日|每日|每天)?\s*(?:24|二十四)\s*小[時时](?:開放|开放|營業|营业)?"
    r"|全年(?:全天|全日|無休|无休)(?:開放|开放|營業|营业)?|全天候(?:開放|开放)"
    r"|(?:全天|全日)(?:開放|开放|營業|营业)?"
)
_PERIOD = r"(上午|早上|清晨|凌晨|中午|下午|晚上|夜間|夜间|傍晚)?\s*"
_HOUR = rf"(\d{{1,2}}|[{_NUM}]{{1,3}})"
_CLOCK = rf"{_HOUR}\s*(?::\s*(\d{{2}})|[時时点點]\s*(?:(\d{{1,2}}|[{_NUM}]{{1,3}})\s*分|(半)|正)?)"
_TIME_RANGE = re.compile(rf"{_PERIOD}{_CLOCK}\s*(?:至|到|-|~)?\s*{_PERIOD}{_CLOCK}")
_BARE_HOUR_RANGE = re.compile(r"(\d{1,2})\s*(至|到|-)\s*(\d{1,2})\s*([時时])")
_DAY_START = re.compile(r"(?:每)?(?:星期|禮拜|礼拜|週|周)\s*([一二三四五六日天])")
_DAY_NEXT = re.compile(
    r"\s*(至|到|-|~|、|,|及|和|與|与)\s*(?:星期|禮拜|礼拜|週|周)?\s*([一二三四五六日天])"
)
_DAY_SETS = re.compile(r"每日|每天|天天|每週七天|平日|週末|周末|工作日")
_HOLIDAY = re.compile(r"公眾假期|公众假期|法定[節节]假日|[國国]定假日|[節节]假日|例假日|假期")
_OFF = re.compile(
    r"(?:暫停|暂停)?(?:公休|休館|休馆|閉館|闭馆|休息|休園|休园|不開放|不开放|開放|开放|關閉|关闭|休站|停業|停业|休業|休业)"
)
_SEASON_DAY = re.compile(r"(?:每年)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日號号]")
_SEASON_MONTH = re.compile(r"(?:每年)?(\d{1,2})\s*月(?:份)?")
_LUNAR = r"(除夕|初[一二三四五六七八九十]|元宵[節节]?|端午[節节]?|中秋[節节]?)"
_LUNAR_RANGE = re.compile(rf"(?:[農农][曆历]|正月)?{_LUNAR}(?:\s*(?:至|到|-|~)\s*{_LUNAR})?")
_LUNAR_DAY = {"元宵": (1, 15), "端午": (5, 5), "中秋": (8, 15)}


def zh_number(text: str) -> int:
    """Digits or Chinese numerals up to 99 (十一, 二十四, 兩) as an int."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "兩": 2, "两": 2}
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
    return digits[text]


def _hour24(period: str, hour: int) -> int:
    if period in ("下午", "晚上", "夜間", "夜间", "傍晚") and hour < 12:
        return hour + 12
    if period == "中午" and hour < 11:
        return hour + 12
    if period in ("上午", "早上", "清晨") and hour == 12:
        return 0
    return hour


def _clock(period: str, hour: str, minute: str, zh_minute: str, half: str) -> str:
    h = _hour24(period, zh_number(hour))
    m = 30 if half else zh_number(zh_minute) if zh_minute else int(minute) if minute else 0
    return f"{h:02d}:{m:02d}"


def _time_range(m: re.Match[str]) -> str:
    p1, h1, m1, zm1, half1, p2, h2, m2, zm2, half2 = (g or "" for g in m.groups())
    start = _clock(p1, h1, m1, zm1, half1)
    end = _clock(p2 or p1, h2, m2, zm2, half2)  # "上午7至9時": the end keeps the period
    if p2 == "凌晨" and end == "12:00":
        end = "24:00"
    return mark(f"{start}-{end}")


def _days(text: str) -> str:
    """Weekday lists and ranges as OSM selectors (``星期一,三至六`` -> ``Mo,We-Sa``)."""
    out: list[str] = []
    pos = 0
    while m := _DAY_START.search(text, pos):
        out.append(text[pos : m.start()])
        parts = [[_DAY_CHAR[m[1]]]]
        pos = m.end()
        while n := _DAY_NEXT.match(text, pos):
            if n[1] in ("至", "到", "-", "~"):
                parts[-1].append(_DAY_CHAR[n[2]])
            else:
                parts.append([_DAY_CHAR[n[2]]])
            pos = n.end()
        out.append(mark(",".join("-".join(_DAYS[d] for d in p[:2]) for p in parts)))
    out.append(text[pos:])
    return "".join(out)


def _day_set(m: re.Match[str]) -> str:
    word = m[0]
    if word in ("平日", "工作日"):
        return mark("Mo-Fr")
    if word in ("週末", "周末"):
        return mark("Sa,Su")
    return mark("Mo-Su")


def _lunar_date(word: str, year: int) -> str:
    if word == "除夕":
        d = new_year_eve(year)
    elif word.startswith("初"):
        d = lunar_to_solar(year, 1, zh_number(word[1:]))
    else:
        d = lunar_to_solar(year, *_LUNAR_DAY[word[:2]])
    return f"{d.year}_{_MONTHS[d.month - 1]}_{d.day:02d}"


def _lunar(m: re.Match[str]) -> str:
    first, last = m[1], m[2] or m[1]
    ranges = []
    for year in LUNAR_YEARS:
        a, b = _lunar_date(first, year), _lunar_date(last, year)
        ranges.append(a if a == b else f"{a}-{b}")
    # The lunar words go along as the rule's comment, for people reading the dates.
    return mark(",".join(ranges) + "#" + m[0].replace("-", "至"))


def _season_day(m: re.Match[str]) -> str:
    month, day = int(m[1]), int(m[2])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m[0]
    return mark(f"{_MONTHS[month - 1]}_{day:02d}")


def _season_month(m: re.Match[str]) -> str:
    month = int(m[1])
    return mark(_MONTHS[month - 1]) if 1 <= month <= 12 else m[0]


def mark_chinese(text: str) -> str:
    """``text`` with every Chinese form it knows replaced by a marked OSM token."""
    text = sub_prose(_ALWAYS, lambda m: mark("24/7"), text)
    text = sub_prose(_LUNAR_RANGE, _lunar, text)
    text = sub_prose(_SEASON_DAY, _season_day, text)
    text = sub_prose(_SEASON_MONTH, _season_month, text)
    text = _BARE_HOUR_RANGE.sub(lambda m: f"{m[1]}{m[4]}{m[2]}{m[3]}{m[4]}", text)
    text = sub_prose(_TIME_RANGE, _time_range, text)
    text = _days(text)
    text = sub_prose(_DAY_SETS, _day_set, text)
    text = sub_prose(_HOLIDAY, lambda m: mark("PH"), text)
    return sub_prose(_OFF, lambda m: mark("open" if m[0] in ("開放", "开放") else "off"), text)
