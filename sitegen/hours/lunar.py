"""Lunar-calendar festival dates (除夕, 初一…, 端午, 中秋) from the ``lunardate`` library.

OSM syntax has no lunar dates, so a lunar day is written out as the Gregorian date it
falls on in each year of ``LUNAR_YEARS`` (see docs/hours.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunardate import LunarDate

# The years for which lunar dates are written out: fixed, so that the OSM form of a value
# does not depend on the day it is read.
LUNAR_YEARS = range(2024, 2036)


@lru_cache(maxsize=1024)
def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar ``month``/``day`` of the lunar year starting in ``year``."""
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar


def new_year_eve(year: int) -> date:
    """除夕: the last day of the lunar year before the one starting in ``year``."""
    return lunar_to_solar(year, 1, 1) - timedelta(days=1)
