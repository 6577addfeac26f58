"""Which open reports may be the same problem: the same service, within a few metres.

The store narrows the candidates with a box around the report (cheap in SQL); this module
keeps those truly within the radius, and those that name the same facility, nearest first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.geo.distance import haversine_m

DEFAULT_RADIUS_M = 50.0
_METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude times cos(latitude)


@dataclass(frozen=True)
class Spot:
    """Where a report is: its ticket, position and facility (any may be missing)."""

    ticket: str
    lat: float | None
    lng: float | None
    facility_id: str | None


def box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """``(south, west, north, east)`` of a box holding the circle of ``radius_m`` around a point."""
    dlat = radius_m / _METRES_PER_DEGREE
    dlng = radius_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lng - dlng, lat + dlat, lng + dlng


def likely_duplicates(
    report: Spot, candidates: Iterable[Spot], radius_m: float
) -> list[tuple[Spot, float | None]]:
    """Candidates within ``radius_m`` or at the same facility, with their distance, nearest first.

    The distance is None for a candidate matched by facility alone (no position to measure).
    """
    found: list[tuple[Spot, float | None]] = []
    for other in candidates:
        if other.ticket == report.ticket:
            continue
        distance = _distance(report, other)
        same_place = report.facility_id is not None and other.facility_id == report.facility_id
        if (distance is not None and distance <= radius_m) or same_place:
            found.append((other, distance))
    found.sort(key=lambda pair: (pair[1] is None, pair[1] or 0.0, pair[0].ticket))
    return found


def _distance(a: Spot, b: Spot) -> float | None:
    if a.lat is None or a.lng is None or b.lat is None or b.lng is None:
        return None
    return haversine_m((a.lng, a.lat), (b.lng, b.lat))
