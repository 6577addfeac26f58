"""Coordinate systems of Chinese web maps: WGS-84, GCJ-02 ("Mars") and BD-09 (Baidu).

Coordinates are ``(lng, lat)`` pairs in degrees, as in GeoJSON. GCJ-02 is WGS-84 plus a
deliberate, smoothly varying offset of a few hundred metres that Chinese law requires of maps
of mainland China; BD-09 is Baidu's further obfuscation of GCJ-02. Outside mainland China
(including Hong Kong, Macau and Taiwan) the providers do not shift, so there all three systems
coincide with WGS-84 and every transform here leaves such points unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

from sitegen.geo.china import in_mainland_china

LngLat = tuple[float, float]
_Transform = Callable[[float, float], LngLat]

CRS_NAMES: Final = ("wgs84", "gcj02", "bd09")

# GCJ-02 is defined on the Krasovsky 1940 ellipsoid (the datum of the old Chinese maps), not
# on WGS-84's, so these two constants are part of the algorithm rather than geodesy choices.
_KRASOVSKY_A: Final = 6378245.0
_KRASOVSKY_EE: Final = 0.00669342162296594323

# Baidu's constant: BD-09 perturbs the polar form of a GCJ-02 coordinate by terms of this period.
_X_PI: Final = math.pi * 3000.0 / 180.0

# Inverses are solved by iteration down to ~1e-10 degrees (about 0.01 mm), far below the 1 m
# we need, because each step is cheap and converges by two to three digits.
_TOLERANCE_DEG: Final = 1e-10
_MAX_ITERATIONS: Final = 30

# --- Raw transforms (no region test) -------------------------------------------------------


def _gcj02_offset(lng: float, lat: float) -> LngLat:
    # The published GCJ-02 formula: two polynomial-plus-sine "noise" functions of the position
    # relative to (105E, 35N), in metres, then turned into degrees on the Krasovsky ellipsoid.
    x = lng - 105.0
    y = lat - 35.0
    pi = math.pi
    shared = (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += shared
    d_lat += (20.0 * math.sin(y * pi) + 40.0 * math.sin(y / 3.0 * pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * pi) + 320.0 * math.sin(y * pi / 30.0)) * 2.0 / 3.0
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lng += shared
    d_lng += (20.0 * math.sin(x * pi) + 40.0 * math.sin(x / 3.0 * pi)) * 2.0 / 3.0
    d_lng += (150.0 * math.sin(x / 12.0 * pi) + 300.0 * math.sin(x / 30.0 * pi)) * 2.0 / 3.0
    # Metres to degrees: divide by the meridian radius of curvature M for latitude and by the
    # parallel's radius N*cos(lat) for longitude (M, N of the Krasovsky ellipsoid).
    rad_lat = math.radians(lat)
    w2 = 1.0 - _KRASOVSKY_EE * math.sin(rad_lat) ** 2
    meridian_radius = _KRASOVSKY_A * (1.0 - _KRASOVSKY_EE) / (w2 * math.sqrt(w2))
    parallel_radius = _KRASOVSKY_A / math.sqrt(w2) * math.cos(rad_lat)
    return (math.degrees(d_lng / parallel_radius), math.degrees(d_lat / meridian_radius))


def _gcj02_forward(lng: float, lat: float) -> LngLat:
    d_lng, d_lat = _gcj02_offset(lng, lat)
    return (lng + d_lng, lat + d_lat)


def _bd09_forward(lng: float, lat: float) -> LngLat:
    # GCJ-02 -> BD-09: nudge radius and angle of the polar form, then shift by a constant.
    z = math.hypot(lng, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return (z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006)


def _refine_inverse(forward: _Transform, target: LngLat, guess: LngLat) -> LngLat:
    # Solve forward(p) == target by fixed-point iteration p -= forward(p) - target. Both
    # transforms are the identity plus a perturbation whose derivative is tiny (~1e-3), so the
    # step is a strong contraction: each round gains about three digits.
    lng, lat = guess
    for _ in range(_MAX_ITERATIONS):
        f_lng, f_lat = forward(lng, lat)
        err_lng = f_lng - target[0]
        err_lat = f_lat - target[1]
        lng -= err_lng
        lat -= err_lat
        if abs(err_lng) < _TOLERANCE_DEG and abs(err_lat) < _TOLERANCE_DEG:
            break
    return (lng, lat)


def _gcj02_inverse(lng: float, lat: float) -> LngLat:
    # The usual one-step answer (subtract the offset computed at the GCJ-02 point) is off by up
    # to ~4 m across China (measured on a 0.1 degree grid); it serves as the starting guess.
    d_lng, d_lat = _gcj02_offset(lng, lat)
    return _refine_inverse(_gcj02_forward, (lng, lat), (lng - d_lng, lat - d_lat))


def _bd09_inverse(lng: float, lat: float) -> LngLat:
    # Baidu's closed-form inverse evaluates the perturbation at the wrong point, so it is off by
    # up to ~0.2 m (2e-6 degrees) across China; refine it like the GCJ-02 inverse.
    x = lng - 0.0065
    y = lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    guess = (z * math.cos(theta), z * math.sin(theta))
    return _refine_inverse(_bd09_forward, (lng, lat), guess)


# --- Public transforms -------------------------------------------------------------------
#
# Each transform shifts a point only if that point, as given, is in mainland China. So a point
# outside (Hong Kong, Macau, Taiwan, abroad) is left exactly as it is by every transform. The
# price is paid at those borders: a mainland point within one offset of them (up to ~0.6 km
# for GCJ-02, ~1.3 km for BD-09) can be shifted across, and is then not shifted back. Deciding on
# the WGS-84 preimage instead would move that failure onto the other side of the border, where
# it hits much more of Macau; keeping non-mainland points fixed is the firmer guarantee.


def wgs84_to_gcj02(lng: float, lat: float) -> LngLat:
    """Convert WGS-84 to GCJ-02 (identity outside mainland China)."""
    if not in_mainland_china(lng, lat):
        return (lng, lat)
    return _gcj02_forward(lng, lat)


def gcj02_to_wgs84(lng: float, lat: float) -> LngLat:
    """Convert GCJ-02 to WGS-84, iterated to well under a millimetre."""
    if not in_mainland_china(lng, lat):
        return (lng, lat)
    return _gcj02_inverse(lng, lat)


def gcj02_to_bd09(lng: float, lat: float) -> LngLat:
    """Convert GCJ-02 to BD-09 (identity outside mainland China)."""
    if not in_mainland_china(lng, lat):
        return (lng, lat)
    return _bd09_forward(lng, lat)


def bd09_to_gcj02(lng: float, lat: float) -> LngLat:
    """Convert BD-09 to GCJ-02: Baidu's closed form, refined by iteration."""
    if not in_mainland_china(lng, lat):
        return (lng, lat)
    return _bd09_inverse(lng, lat)


def wgs84_to_bd09(lng: float, lat: float) -> LngLat:
    """Convert WGS-84 to BD-09 via GCJ-02 (identity outside mainland China)."""
    if not in_mainland_china(lng, lat):
        return (lng, lat)
    return _bd09_forward(*_gcj02_forward(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> LngLat:
    """Convert BD-09 to WGS-84 via GCJ-02, both steps iterated."""
    if not in_mainland_china(lng, lat):
        return (lng, lat)
    return _gcj02_inverse(*_bd09_inverse(lng, lat))


_TO_WGS84: Final[dict[str, _Transform]] = {
    "wgs84": lambda lng, lat: (lng, lat),
    "gcj02": gcj02_to_wgs84,
    "bd09": bd09_to_wgs84,
}
_FROM_WGS84: Final[dict[str, _Transform]] = {
    "wgs84": lambda lng, lat: (lng, lat),
    "gcj02": wgs84_to_gcj02,
    "bd09": wgs84_to_bd09,
}


def _lookup(table: dict[str, _Transform], crs: str) -> _Transform:
    try:
        return table[crs]
    except KeyError:
        known = ", ".join(CRS_NAMES)
        raise ValueError(f"unknown coordinate system {crs!r} (expected one of {known})") from None


def to_wgs84(lng: float, lat: float, crs: str) -> LngLat:
    """Convert a point given in ``crs`` ("wgs84", "gcj02" or "bd09") to WGS-84."""
    return _lookup(_TO_WGS84, crs)(lng, lat)


def from_wgs84(lng: float, lat: float, crs: str) -> LngLat:
    """Convert a WGS-84 point to ``crs`` ("wgs84", "gcj02" or "bd09")."""
    return _lookup(_FROM_WGS84, crs)(lng, lat)
