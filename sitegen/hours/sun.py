"""Sunrise, sunset, dawn and dusk for a place, from the ``astral`` library.

opening_hours.js (through suncalc) takes the sun's centre at 0.833° below the horizon for
sunrise and sunset and 6° below for dawn and dusk (civil twilight), with no further
refraction, and the minute of the event (seconds dropped) on the local day; so do we, with
astral's ``time_of_transit`` at those angles. The two agree to a second or two.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from astral import Observer, SunDirection
from astral.sun import time_of_transit

from sitegen.hours.times import EVENT_DEFAULTS

# Zenith angle (degrees) and direction of each event.
_EVENTS = {
    "dawn": (96.0, SunDirection.RISING),
    "sunrise": (90.833, SunDirection.RISING),
    "sunset": (90.833, SunDirection.SETTING),
    "dusk": (96.0, SunDirection.SETTING),
}


class PlaceSun:
    """Solar events at one position, in one time zone, memoised per day."""

    __slots__ = ("_cache", "_observer", "_zone", "key")

    def __init__(self, lat: float, lon: float, timezone: str) -> None:
        """Events at latitude ``lat`` and longitude ``lon`` (degrees), in ``timezone``."""
        self._observer = Observer(latitude=lat, longitude=lon)
        self._zone = ZoneInfo(timezone)
        self._cache: dict[tuple[str, date], int] = {}
        self.key = (lat, lon, timezone)

    def minutes(self, event: str, d: date, /) -> int:
        """Minutes after local midnight of ``event`` on ``d`` (defaults where it never occurs)."""
        key = (event, d)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._compute(event, d)
        return found

    def _compute(self, event: str, d: date) -> int:
        zenith, direction = _EVENTS[event]
        # astral counts days in UTC: the event of local day ``d`` may be on the UTC day
        # before or after (as opening_hours.js also checks).
        for shift in (0, -1, 1):
            try:
                at = time_of_transit(
                    self._observer, d + timedelta(days=shift), zenith, direction, False
                )
            except ValueError:  # polar day or night: the sun never crosses that angle
                continue
            local = at.astimezone(self._zone)
            if local.date() == d:
                return local.hour * 60 + local.minute
        return EVENT_DEFAULTS[event]
