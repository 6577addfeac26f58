"""Free-text opening hours (the Chinese forms of real exports) rewritten in OSM syntax.

``sitegen.hours`` already reads these forms; cards carry the OSM form so that every editor and
tool reads them the same way. Whatever is produced is checked with ``sitegen.hours``.
"""

from __future__ import annotations

import re

from ..hours import HoursSyntaxError, parse_hours

_DAY = {
    "一": "Mo",
    "二": "Tu",
    "三": "We",
    "四": "Th",
    "五": "Fr",
    "六": "Sa",
    "日": "Su",
    "天": "Su",
}
_ASCII = str.maketrans({"：": ":", "～": "~", "；": ";", "，": ",", "、": ","})
_TIME = r"(\d{1,2}):(\d{2})"
_SPAN = re.compile(rf"{_TIME}\s*[~\-至到]\s*{_TIME}")
_DAY_RANGE = re.compile(
    r"(?:週|周|星期)([一二三四五六日天])(?:\s*[至到~\-]\s*(?:週|周|星期)?([一二三四五六日天]))?"
)
_ALL_DAY = re.compile(r"24\s*(?:小時|小时|hr?s?)|全天|全日|0?0:00\s*~\s*24:00", re.IGNORECASE)


def _span(text: str) -> str | None:
    match = _SPAN.fullmatch(text.strip())
    if not match:
        return None
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        return None
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def _days(text: str) -> str | None:
    parts = []
    for item in text.split(","):
        match = _DAY_RANGE.fullmatch(item.strip())
        if not match:
            return None
        first, last = match.groups()
        parts.append(_DAY[first] + (f"-{_DAY[last]}" if last else ""))
    return ",".join(parts)


def _convert(text: str) -> str | None:
    text = text.translate(_ASCII).strip().rstrip("。.")
    if _ALL_DAY.fullmatch(text):
        return "24/7"
    span = _span(text)
    if span:
        return f"Mo-Su {span}"
    rules = []
    for rule in text.split(";"):
        days, colon, hours = rule.partition(":")
        day_spec, span = _days(days), _span(hours)
        if not colon or not day_spec or not span:
            return None
        rules.append(f"{day_spec} {span}")
    return "; ".join(rules)


def _valid(text: str) -> bool:
    try:
        parse_hours(text)
    except HoursSyntaxError:
        return False
    return True


def normalize_hours(text: str) -> str | None:
    """OSM opening_hours for a text, or None when neither form can be read unambiguously."""
    converted = _convert(text)
    if converted is not None and _valid(converted):
        return converted
    return text if _valid(text) else None
