"""Compiling opening hours into open intervals for a run of days (what the front-end reads)."""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta

from sitegen.hours.opening import PLAIN_DAYS, OpeningHours
from sitegen.hours.parse import parse_hours
from sitegen.hours.rules import Spans
from sitegen.hours.selectors import DayFacts
from sitegen.hours.times import SunTimes


def compile_schedule(
    hours: OpeningHours | str,
    start: date,
    days: int,
    calendar: DayFacts | None = None,
    sun: SunTimes | None = None,
    closed: Set[date] = frozenset(),
) -> tuple[Spans, ...]:
    """Open intervals for each of ``days`` days from ``start`` (as ``open_spans`` gives).

    ``calendar`` gives holidays and make-up days, ``sun`` the solar events of the place
    (needed only when ``hours.uses_sun``), ``closed`` the site's closure dates: closed all
    day whatever the hours say. Unknown stretches (comments, open ends) are not open.
    """
    parsed = parse_hours(hours) if isinstance(hours, str) else hours
    facts = calendar or PLAIN_DAYS
    out: list[Spans] = []
    for i in range(days):
        d = start + timedelta(days=i)
        out.append(() if d in closed else parsed.open_spans(d, facts, sun))
    return tuple(out)
