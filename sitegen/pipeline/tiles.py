"""Map tile sources: the presets site.yaml may name, and the hosts a URL template reaches.

A preset is the settings of a well-known tile service, so that ``- preset: tianditu`` with
a key is a whole tile layer. The host functions expand a Leaflet URL template (``{s}``
subdomains, protocol-relative URLs) into the origins the browser will fetch tiles from:
the Content Security Policy lists exactly those, and ``sitegen check`` judges them.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

# Leaflet's subdomains when a template has {s} and the layer names none.
DEFAULT_SUBDOMAINS = "abc"
_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
_IPV6 = re.compile(r"\[[0-9a-f:.]+\]")
_PORT = re.compile(r"[0-9]{1,5}")


@dataclass(frozen=True)
class OverlayPreset:
    url: str
    subdomains: str | None = None


@dataclass(frozen=True)
class TilePreset:
    """The settings of one tile service; ``{key}`` in a URL is the site's key for it."""

    name: dict[str, str]
    url: str
    attribution: str
    max_zoom: int
    crs: str = "wgs84"
    subdomains: str | None = None
    overlay: OverlayPreset | None = None
    key_doc: str = ""  # where to get a key, for services that need one


def _tianditu(layer: str) -> str:
    # WMTS in Web Mercator ("_w"); CGCS2000 is within centimetres of WGS-84, so no shift.
    return (
        f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
        f"&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}"
    )


_TIANDITU_NAME = {"zh-Hans": "天地图", "zh-Hant": "天地圖", "en": "Tianditu"}
_TIANDITU_KEY = "a browser key (浏览器端) from https://console.tianditu.gov.cn/"
_TIANDITU_CREDIT = "© 天地图 国家地理信息公共服务平台"
_AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
_AMAP_IMAGERY = "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}"

PRESETS: dict[str, TilePreset] = {
    "osm": TilePreset(
        name={"zh-Hans": "OpenStreetMap", "zh-Hant": "OpenStreetMap", "en": "OpenStreetMap"},
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution="© OpenStreetMap contributors",
        max_zoom=19,
    ),
    # Base map and its annotation (place names) are two layers drawn together.
    "tianditu": TilePreset(
        name=_TIANDITU_NAME,
        url=_tianditu("vec"),
        subdomains="01234567",
        overlay=OverlayPreset(_tianditu("cva")),
        attribution=_TIANDITU_CREDIT,
        max_zoom=18,
        key_doc=_TIANDITU_KEY,
    ),
    "tianditu-imagery": TilePreset(
        name={"zh-Hans": "天地图影像", "zh-Hant": "天地圖影像", "en": "Tianditu imagery"},
        url=_tianditu("img"),
        subdomains="01234567",
        overlay=OverlayPreset(_tianditu("cia")),
        attribution=_TIANDITU_CREDIT,
        max_zoom=18,
        key_doc=_TIANDITU_KEY,
    ),
    # Amap and Tencent draw their maps in GCJ-02: markers are shifted to match.
    "amap": TilePreset(
        name={"zh-Hans": "高德地图", "zh-Hant": "高德地圖", "en": "Amap"},
        url=_AMAP,
        subdomains="1234",
        attribution="© 高德地图 AutoNavi",
        max_zoom=18,
        crs="gcj02",
    ),
    "amap-imagery": TilePreset(
        name={"zh-Hans": "高德卫星图", "zh-Hant": "高德衛星圖", "en": "Amap satellite"},
        url=_AMAP_IMAGERY,
        subdomains="1234",
        overlay=OverlayPreset(_AMAP.replace("webrd0", "webst0")),
        attribution="© 高德地图 AutoNavi",
        max_zoom=18,
        crs="gcj02",
    ),
    # Tencent numbers tile rows from the south ({-y}, as TMS does).
    "tencent": TilePreset(
        name={"zh-Hans": "腾讯地图", "zh-Hant": "騰訊地圖", "en": "Tencent Maps"},
        url="https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&styleid=1&scene=0",
        subdomains="0123",
        attribution="© 腾讯地图 Tencent",
        max_zoom=18,
        crs="gcj02",
    ),
}

# Tile hosts that are reachable in mainland China and publish maps with an approval number
# (审图号): the services of the presets above.
MAINLAND_HOSTS = ("tianditu.gov.cn", "autonavi.com", "amap.com", "gtimg.com", "map.qq.com")


class BadTemplate(ValueError):
    """A tile URL template whose host is not a host name."""


def template_hosts(url: str, subdomains: str | None) -> list[tuple[str, str]]:
    """Every ``(scheme, host[:port])`` a template reaches; scheme "" when protocol-relative.

    Relative templates (``/tiles/{z}/{x}/{y}.png``) reach the site itself: none.
    """
    if url.startswith("//"):
        parts = urlsplit("x:" + url)
        scheme = ""
    elif re.match(r"[a-z][a-z0-9+.-]*://", url, re.I):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
    else:
        return []
    netloc = parts.netloc.lower()
    if "{s}" in netloc:
        choices = subdomains or DEFAULT_SUBDOMAINS
        netlocs = [netloc.replace("{s}", s) for s in dict.fromkeys(choices)]
    else:
        netlocs = [netloc]
    for each in netlocs:
        check_netloc(each)
    return [(scheme, each) for each in netlocs]


def check_netloc(netloc: str) -> None:
    """Raise ``BadTemplate`` unless ``netloc`` is ``host`` or ``host:port`` (no user, no tricks)."""
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    if not host or (port and not _PORT.fullmatch(port)):
        host, port = netloc, ""
    if not (_HOST.fullmatch(host) or _IPV6.fullmatch(host)) or (port and int(port) > 65535):
        raise BadTemplate(f'"{netloc}" is not a host name')


def template_origins(url: str, subdomains: str | None, base_url: str) -> list[str]:
    """The origins (``https://t0.example.org``) of a template's tiles, other than the site's.

    A protocol-relative template takes the scheme of the site's base URL, as the browser does.
    """
    site = urlsplit(base_url)
    own = f"{site.scheme}://{site.netloc}".lower()
    found = []
    for scheme, netloc in template_hosts(url, subdomains):
        origin = f"{scheme or site.scheme}://{netloc}"
        if origin != own:
            found.append(origin)
    return found


def reachable_in_mainland(url: str, subdomains: str | None, base_url: str) -> bool:
    """Whether tiles from this template can be used in mainland China, as far as one knows.

    Yes for the site's own host, hosts under .cn, loopback and private addresses (a city's
    own tile server) and the services of the presets; no for everything else (OpenStreetMap,
    Google, Mapbox, …: blocked, or without an approval number).
    """
    own = urlsplit(urljoin(base_url, "/")).hostname or ""
    for _, netloc in template_hosts(url, subdomains):
        host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
        if host == own or host.endswith(".cn") or _is_local(host):
            continue
        if not any(host == h or host.endswith("." + h) for h in MAINLAND_HOSTS):
            return False
    return True


def _is_local(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    return address.is_loopback or address.is_private
