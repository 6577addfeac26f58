"""Links that open a facility in the common map apps, for the "navigate here" buttons."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

PROVIDERS: Final = ("amap", "baidu", "tencent", "apple", "google")

# Our own app name, which Baidu (src) and Tencent (referer) ask callers to identify with.
_APP_NAME: Final = "sitegen"


@dataclass(frozen=True, slots=True)
class NavLink:
    """A link to one map provider's page for a place."""

    provider: str
    url: str


def _coord(value: float) -> str:
    # Fixed-point at 6 decimals (~0.1 m) so floats never print as 1e-05 or with binary noise
    # like 116.39712800000001, then drop trailing zeros: the same point always gives the same
    # URL. A value that rounds to zero is written "0", never "-0".
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nav_links(lng: float, lat: float, name: str) -> list[NavLink]:
    """Navigation links for a WGS-84 point, in the order of ``PROVIDERS``.

    Coordinates are not converted: each URL tells its provider that they are WGS-84.
    """
    if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
        raise ValueError(f"not a WGS-84 position: lng={lng!r}, lat={lat!r}")
    x = _coord(lng)
    y = _coord(lat)
    # safe="" escapes "&", "=", ";", ":" and "/" too, so a name cannot break out of its
    # parameter (or out of Tencent's "key:value;..." marker syntax).
    q = quote(name, safe="")
    return [
        # Amap wants lng,lat; the others want lat,lng.
        NavLink(
            "amap",
            f"https://uri.amap.com/marker?position={x},{y}&name={q}&coordinate=wgs84&callnative=1",
        ),
        NavLink(
            "baidu",
            f"https://api.map.baidu.com/marker?location={y},{x}&title={q}&content={q}"
            f"&output=html&coord_type=wgs84&src={_APP_NAME}",
        ),
        NavLink(
            "tencent",
            # coord_type=1 is Tencent's code for GPS (WGS-84) input.
            f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{y},{x};title:{q};addr:{q}"
            f"&coord_type=1&referer={_APP_NAME}",
        ),
        NavLink("apple", f"https://maps.apple.com/?ll={y},{x}&q={q}"),
        NavLink("google", f"https://www.google.com/maps/search/?api=1&query={y},{x}"),
    ]
