"""``content/site.yaml``: the typed site configuration."""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError, ContentError, Mark, Problem, Report
from .schema import (
    Boolean,
    Context,
    Custom,
    Enum,
    Integer,
    Invalid,
    ListOf,
    LngLat,
    LocalizedText,
    Number,
    Record,
    Text,
    Url,
)
from .source import LocatedDict, YamlSyntaxError, parse_yaml, read_text

LOCALES = ("zh-Hans", "zh-Hant", "en")
CRS_NAMES = ("wgs84", "gcj02", "bd09")


def _base_url(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a web address such as https://example.org/map/, got {value!r}")
    return normalize_base_url(value)


def normalize_base_url(value: str) -> str:
    """Check a base URL and give it exactly one trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise Invalid(
            f'"{value}" is not an absolute http(s) address such as https://example.org/map/'
        )
    return value.strip().rstrip("/") + "/"


def _timezone(value: Any) -> str:
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            f'unknown time zone "{value}"; use an IANA name such as "Asia/Shanghai"'
        ) from None
    return str(value)


def _bounds(value: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    pair = LngLat()
    if not isinstance(value, list) or len(value) != 2:
        raise Invalid("expected [[west, south], [east, north]]")
    mark = Mark("")
    ctx = Context(Report())
    (w, s), (e, n) = (pair.parse(value[0], mark, ctx), pair.parse(value[1], mark, ctx))
    if not (w < e and s < n):
        raise Invalid("expected [[west, south], [east, north]] with west < east and south < north")
    return (w, s), (e, n)


_ID = r"[a-z0-9][a-z0-9_-]*"
# {z}, {x} and {y} in any order: Amap's tiles, for one, take them as ?x=..&y=..&z=..
_TILE_URL = re.compile(r"(?=\S*\{z\})(?=\S*\{x\})(?=\S*\{y\})(?:https?://|/)\S+")

TILE = Record(
    what="tile layer field",
    fields={
        "id": Text(
            required=True, pattern=r"[a-z0-9][a-z0-9_-]*", pattern_doc="a short lowercase id"
        ),
        "name": LocalizedText(required=True),
        "url": Text(
            required=True,
            pattern=_TILE_URL.pattern,
            pattern_doc="a tile URL template with {z}, {x} and {y}",
        ),
        "subdomains": Text(),
        "attribution": Text(required=True),
        "max_zoom": Integer(min=1, max=22, default=18),
        "crs": Enum(
            ("wgs84", "gcj02"),
            default="wgs84",
            doc="Coordinate system of the tiles: markers are shifted to match.",
        ),
        "approval_number": Text(doc="Map approval number (审图号) shown with the attribution."),
        "prefetch": Boolean(
            default=False, doc="Whether the tile source allows saving an area for offline use."
        ),
    },
)

SERVICE_ATTRIBUTE = Record(
    what="service attribute field",
    fields={
        "code": Text(required=True, pattern=_ID, pattern_doc="a short lowercase code"),
        "description": LocalizedText(required=True),
        "datatype": Enum(
            ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"),
            default="string",
        ),
        "required": Boolean(default=False),
        "values": ListOf(
            Record(
                what="value field",
                fields={
                    "key": Text(required=True),
                    "name": LocalizedText(required=True),
                },
            )
        ),
    },
)

SERVICE = Record(
    what="service field",
    fields={
        "code": Text(required=True, pattern=_ID, pattern_doc="a short lowercase code"),
        "name": LocalizedText(required=True),
        "description": LocalizedText(),
        "group": LocalizedText(),
        "keywords": ListOf(Text()),
        "categories": ListOf(Text(), doc="Facility categories this problem applies to."),
        "attributes": ListOf(SERVICE_ATTRIBUTE),
    },
)

SITE = Record(
    what="site setting",
    fields={
        "title": LocalizedText(required=True),
        "description": LocalizedText(),
        "locales": ListOf(Enum(LOCALES), min_items=1, default=list(LOCALES)),
        "source_locale": Enum(
            ("zh-Hans", "zh-Hant"), default="zh-Hans", doc="The language editors write in."
        ),
        "chinese_variant": Enum(
            ("hk", "tw"), default="hk", doc="Traditional Chinese variant used for conversions."
        ),
        "base_url": Custom(
            _base_url, {"type": "string", "format": "uri"}, "base URL", required=True
        ),
        "timezone": Custom(_timezone, {"type": "string"}, "time zone", default="Asia/Shanghai"),
        "holidays": Enum(
            ("CN", "HK", "MO", "TW"),
            default="CN",
            doc="Public-holiday calendar used for opening hours.",
        ),
        "hours_horizon_days": Integer(min=7, max=400, default=56),
        "page_size": Integer(min=10, max=2000, default=200),
        "map": Record(
            what="map setting",
            prefix="map.",
            required=True,
            fields={
                "center": LngLat(required=True),
                "zoom": Integer(min=1, max=20, default=12),
                "bounds": Custom(_bounds, {"type": "array"}, "bounds", required=True),
            },
        ),
        "tiles": ListOf(TILE, min_items=1, required=True),
        "report": Record(
            what="report setting",
            prefix="report.",
            fields={
                "endpoint": Url(required=True, doc="Base URL of the Open311 GeoReport v2 API."),
                "jurisdiction": Text(pattern=_ID, pattern_doc="a short lowercase id"),
                "services": ListOf(SERVICE, doc="Problem categories citizens can report."),
            },
        ),
        "offline": Record(
            what="offline setting",
            prefix="offline.",
            fields={
                "precache_budget_mb": Number(
                    min=0,
                    max=500,
                    default=10,
                    doc="Most a visitor's phone downloads for offline use, per locale (MB).",
                ),
            },
        ),
        "theme": Text(default="default"),
        "data_sources": ListOf(
            Record(
                what="data source field",
                fields={
                    "name": LocalizedText(required=True),
                    "url": Url(),
                    "license": LocalizedText(),
                },
            )
        ),
    },
)


@dataclass(frozen=True)
class TileLayer:
    id: str
    name: dict[str, str]
    url: str
    attribution: str
    max_zoom: int
    crs: str
    prefetch: bool
    subdomains: str | None = None
    approval_number: str | None = None


@dataclass(frozen=True)
class ReportService:
    """A problem category of the Open311 endpoint (``report.services`` in site.yaml)."""

    code: str
    name: dict[str, str]
    description: dict[str, str] | None
    group: dict[str, str] | None
    keywords: tuple[str, ...]
    categories: tuple[str, ...]
    attributes: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class DataSource:
    name: dict[str, str]
    url: str | None
    license: dict[str, str] | None


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, checked and with defaults applied."""

    project_dir: Path
    title: dict[str, str]
    description: dict[str, str] | None
    locales: tuple[str, ...]
    source_locale: str
    chinese_variant: str
    base_url: str
    timezone: str
    holidays: str
    hours_horizon_days: int
    page_size: int
    center: tuple[float, float]
    zoom: int
    bounds: tuple[tuple[float, float], tuple[float, float]]
    tiles: tuple[TileLayer, ...]
    report_endpoint: str | None
    report_jurisdiction: str | None
    report_services: tuple[ReportService, ...]
    theme: str
    precache_budget_mb: float
    data_sources: tuple[DataSource, ...]

    @property
    def content_dir(self) -> Path:
        return self.project_dir / "content"

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. ``/map/``: every link starts with it."""
        return urlsplit(self.base_url).path or "/"


def find_site_file(project_dir: Path) -> Path:
    """The site.yaml of a project folder, or a clear error naming where it was looked for."""
    path = project_dir / "content" / "site.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: no site.yaml here; is {project_dir} a sitegen project?")
    return path


def load_config(project_dir: Path, display_root: Path | None = None) -> SiteConfig:
    """Read and check site.yaml; every problem is reported at once as a ContentError."""
    path = find_site_file(project_dir)
    display = _display(path, display_root or project_dir)
    report = Report()
    try:
        data = parse_yaml(read_text(path, display), display, report)
    except YamlSyntaxError as exc:
        raise ContentError([Problem(exc.mark, exc.message)]) from None
    if not isinstance(data, LocatedDict):
        report.error(Mark(display), "site.yaml must be a mapping of settings")
        raise ContentError(report.problems)
    ctx = Context(report, LOCALES, project_dir / "content")
    values = SITE.parse_items(data, ctx)
    if values is not None:
        _check_consistency(values, data, report)
    if report.errors or values is None:
        raise ContentError(report.sorted())
    return _build_config(project_dir, values)


def _check_consistency(values: dict[str, Any], data: LocatedDict, report: Report) -> None:
    locales = values["locales"]
    if len(set(locales)) != len(locales):
        report.error(data.value_mark("locales"), "locales: a locale is listed twice")
    if values["source_locale"] not in locales:
        report.error(
            data.value_mark("source_locale"),
            f'source_locale: "{values["source_locale"]}" is not in locales',
        )
    (w, s), (e, n) = values["map"]["bounds"]
    lng, lat = values["map"]["center"]
    if not (w <= lng <= e and s <= lat <= n):
        report.error(data["map"].value_mark("center"), "map.center: outside map.bounds")
    ids = [t["id"] for t in values["tiles"]]
    if len(set(ids)) != len(ids):
        report.error(data.value_mark("tiles"), "tiles: two tile layers have the same id")


def _build_config(project_dir: Path, v: dict[str, Any]) -> SiteConfig:
    report = v.get("report") or {}
    return SiteConfig(
        project_dir=project_dir,
        title=v["title"],
        description=v.get("description"),
        locales=tuple(v["locales"]),
        source_locale=v["source_locale"],
        chinese_variant=v["chinese_variant"],
        base_url=v["base_url"],
        timezone=v["timezone"],
        holidays=v["holidays"],
        hours_horizon_days=v["hours_horizon_days"],
        page_size=v["page_size"],
        center=v["map"]["center"],
        zoom=v["map"]["zoom"],
        bounds=v["map"]["bounds"],
        tiles=tuple(
            TileLayer(
                id=t["id"],
                name=t["name"],
                url=t["url"],
                attribution=t["attribution"],
                max_zoom=t["max_zoom"],
                crs=t["crs"],
                prefetch=t["prefetch"],
                subdomains=t.get("subdomains"),
                approval_number=t.get("approval_number"),
            )
            for t in v["tiles"]
        ),
        report_endpoint=report.get("endpoint"),
        report_jurisdiction=report.get("jurisdiction"),
        report_services=tuple(
            ReportService(
                code=r["code"],
                name=r["name"],
                description=r.get("description"),
                group=r.get("group"),
                keywords=tuple(r.get("keywords") or ()),
                categories=tuple(r.get("categories") or ()),
                attributes=tuple(r.get("attributes") or ()),
            )
            for r in report.get("services") or ()
        ),
        theme=v["theme"],
        precache_budget_mb=(v.get("offline") or {}).get("precache_budget_mb", 10),
        data_sources=tuple(
            DataSource(d["name"], d.get("url"), d.get("license"))
            for d in v.get("data_sources") or ()
        ),
    )


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def build_date(config: SiteConfig) -> dt.date:
    """Today in the site's time zone, or the day of ``SOURCE_DATE_EPOCH`` (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    zone = zoneinfo.ZoneInfo(config.timezone)
    moment = (
        dt.datetime.fromtimestamp(int(epoch), zone)
        if epoch and epoch.isdigit()
        else dt.datetime.now(zone)
    )
    return moment.date()


def theme_dir(config_project: Path, name: str) -> Path:
    """The theme folder: the project's own ``themes/NAME``, else the one shipped with sitegen."""
    for root in (config_project / "themes", Path(__file__).resolve().parent.parent / "themes"):
        if (root / name / "templates").is_dir():
            return root / name
    raise ConfigError(f'theme "{name}" not found in {config_project / "themes"} or built in')
