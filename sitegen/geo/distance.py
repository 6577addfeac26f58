"""Distances on the Earth, for checks that need metres, not map precision."""

from __future__ import annotations

import math
from typing import Final

LngLat = tuple[float, float]

# IUGG mean Earth radius; good to ~0.5% anywhere, which is all a distance check needs.
_EARTH_RADIUS_M: Final = 6371008.8


def haversine_m(a: LngLat, b: LngLat) -> float:
    """Great-circle distance in metres between two (lng, lat) points on a spherical Earth."""
    lng1, lat1 = map(math.radians, a)
    lng2, lat2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2.0) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2.0) ** 2
    )
    # Clamp: rounding can push h a hair above 1 for antipodal points, and asin would fail.
    return 2.0 * _EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))
