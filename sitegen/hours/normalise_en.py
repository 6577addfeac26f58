"""English forms of opening hours (Hong Kong and Taiwan registers), marked as OSM tokens.

Handled: "7 am to 11 pm daily", "6:00 a.m. to 2:00 a.m.", "0700 - 2300 hrs", "12:00 noon",
"Mid-night", "Mon - Fri", "Mondays to Fridays", "Sat/Sun", "Mon&We", "daily", "24 hours",
"Public Holidays", "Close(d)".
"""

from __future__ import annotations

import re

from sitegen.hours.normalise_text import mark, sub_prose

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_LONG = r"(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|rsday|rs|r|urday|t|e|n|i|u|d)?s?\.?"
_SHORT = r"(mo|tu|we|th|fr|sa|su)"
_DAY_WORD = rf"(?:{_LONG}|{_SHORT}(?=[-&,/]))"
_DAY = re.compile(
    rf"\b{_DAY_WORD}(?:\s*(-|to|through|/|&|and|,)\s*(?:{_LONG}|{_SHORT})(?![a-z]))?(?![a-z])",
    re.IGNORECASE,
)
_AMPM = r"(a\.?\s*m\.?|p\.?\s*m\.?|noon|midnight)"
# A time: "7 am", "7:30 p.m.", "07:30", "0730" (before a dash or "hrs"), "midnight".
_AT = rf"(\d{{1,2}})(?:[:.](\d{{2}}))?\s*{_AMPM}|(\d{{1,2}})[:.](\d{{2}})"
_CLOCK = rf"(?:{_AT}|(\d{{2}})(\d{{2}})(?=\s*(?:-|to|hrs?\b))|(mid-?night))"
_END = rf"(?:{_AT}|(\d{{2}})(\d{{2}})|(mid-?night))"
_RANGE = re.compile(
    rf"(?<![\d:]){_CLOCK}\s*(?:-|to|until|till)\s*{_END}(?:\s*hrs?\b|hr\b)?", re.IGNORECASE
)
_ALWAYS = re.compile(r"\b(?:open\s+)?24\s*(?:hours|hrs?|-hour)(?:\s+a\s+day)?\b", re.IGNORECASE)
_DAILY = re.compile(r"\b(?:daily|every\s*day|7\s+days\s+a\s+week)\b", re.IGNORECASE)
_HOLIDAY = re.compile(r"\b(?:public|statutory|general)\s+holidays?\b", re.IGNORECASE)
_OFF = re.compile(r"\b(?:closed?)\b(?!\s*(?:day|on))", re.IGNORECASE)


def _hours(hour: str, minute: str, ampm: str, end: bool) -> str:
    h, m = int(hour), int(minute or 0)
    word = ampm.lower().replace(".", "").replace(" ", "")
    if word == "pm" and h < 12:
        h += 12
    elif word == "am" and h == 12:
        h = 0
    elif word == "midnight":
        h, m = (24, 0) if end else (0, 0)
    return f"{h:02d}:{m:02d}"


def _moment(groups: tuple[str | None, ...], end: bool) -> str:
    h1, m1, ap, h2, m2, h3, m3, midnight = (g or "" for g in groups)
    if midnight:
        return "24:00" if end else "00:00"
    if h1:
        return _hours(h1, m1, ap, end)
    if h2:
        return f"{int(h2):02d}:{m2}"
    return f"{h3}:{m3}"


def _range(m: re.Match[str]) -> str:
    groups = m.groups()
    start, end = _moment(groups[:8], False), _moment(groups[8:], True)
    # "9:00 - 5:00pm": an end with am/pm and a bare start share the half of the day.
    if groups[2] is None and groups[10] and groups[10].lower().startswith("p"):
        hour = int(start[:2])
        if hour < 12 and hour + 12 < int(end[:2]):
            start = f"{hour + 12:02d}{start[2:]}"
    return mark(f"{start}-{end}")


def _day(m: re.Match[str]) -> str:
    words = [g for g in m.groups() if g]
    first = _DAYS.index(words[0][:2].title())
    if len(words) < 3:
        return mark(_DAYS[first])
    last = _DAYS.index(words[2][:2].title())
    joiner = "-" if words[1].lower() in ("-", "to", "through") else ","
    return mark(f"{_DAYS[first]}{joiner}{_DAYS[last]}")


def mark_english(text: str) -> str:
    """``text`` with every English form it knows replaced by a marked OSM token."""
    text = sub_prose(_ALWAYS, lambda m: mark("24/7"), text)
    text = sub_prose(_RANGE, _range, text)
    text = sub_prose(_DAY, _day, text)
    text = sub_prose(_DAILY, lambda m: mark("Mo-Su"), text)
    text = sub_prose(_HOLIDAY, lambda m: mark("PH"), text)
    return sub_prose(_OFF, lambda m: mark("off"), text)
