"""The fields of ``content/site.yaml``: what each setting may hold, its default and its doc."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import Mark, Report
from sitegen.pipeline.tiles import PRESETS, BadTemplate, template_hosts
from sitegen.source.fields import (
    JSON,
    Boolean,
    Context,
    Date,
    Enum,
    Integer,
    Invalid,
    LocalizedText,
    Number,
    Text,
    Url,
)
from sitegen.source.located import LocatedDict
from sitegen.source.records import Custom, ListOf, LngLat, Record

LOCALES = ("zh-Hans", "zh-Hant", "en")


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
    if parts.username is not None or parts.password is not None:
        raise Invalid(f'"{value}" must not hold a user name or password')
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:
        raise Invalid(f'"{value}" has a port that is not a number from 0 to 65535') from None
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
# {z}, {x} and {y} (or {-y}, rows from the south) in any order: Amap's tiles, for one, take
# them as ?x=..&y=..&z=..; absolute, protocol-relative (//host/...) or site-relative (/...).
_TILE_URL = re.compile(r"(?=\S*\{z\})(?=\S*\{x\})(?=\S*\{-?y\})(?:https?://|/)\S+")
_TILE_URL_DOC = "a tile URL template with {z}, {x} and {y}"
# Fields a tile layer must have unless a preset gives them.
_TILE_NEEDS = ("id", "name", "url", "attribution")


class TileRecord(Record):
    """A tile layer: a preset (with the settings it lets one change) or every field."""

    def parse(self, value: Any, mark: Mark, ctx: Context) -> dict[str, Any] | None:
        values = super().parse(value, mark, ctx)
        assert isinstance(value, LocatedDict)  # or super() raised
        # What follows reads the layer as written, so that it is checked even when a field
        # above was wrong: every problem of the layer at once.
        before = len(ctx.report.errors)
        preset = PRESETS.get(str(value.get("preset")))
        if "preset" not in value:
            for key in _TILE_NEEDS:
                if key not in value:
                    ctx.report.error(value.mark, f'missing required tile layer field "{key}"')
        elif preset is not None and preset.key_doc and "key" not in value:
            ctx.report.error(
                value.mark,
                f'missing required tile layer field "key": preset "{value["preset"]}" '
                f"needs {preset.key_doc}",
            )
        overlay = value.get("overlay")
        for where in (value, overlay if isinstance(overlay, LocatedDict) else None):
            if where is None or not isinstance(where.get("url"), str):
                continue
            subdomains = where.get("subdomains", value.get("subdomains"))
            try:
                template_hosts(where["url"], subdomains if isinstance(subdomains, str) else None)
            except BadTemplate as exc:
                prefix = "" if where is value else "overlay."
                ctx.report.error(where.value_mark("url"), f"{prefix}url: {exc}")
        return values if len(ctx.report.errors) == before else None

    def json_schema(self) -> JSON:
        schema = super().json_schema()
        schema["anyOf"] = [{"required": ["preset"]}, {"required": list(_TILE_NEEDS)}]
        return schema


TILE = TileRecord(
    what="tile layer field",
    fields={
        "preset": Enum(
            tuple(PRESETS),
            doc="A tile service whose settings are known (the fields below change them).",
        ),
        "key": Text(
            pattern=r"[A-Za-z0-9_-]+",
            pattern_doc="an API key of letters and digits",
            doc="The service's key for browsers, where it needs one (Tianditu).",
        ),
        "id": Text(pattern=_ID, pattern_doc="a short lowercase id"),
        "name": LocalizedText(),
        "url": Text(pattern=_TILE_URL.pattern, pattern_doc=_TILE_URL_DOC),
        "subdomains": Text(
            pattern=r"[a-z0-9]+", pattern_doc="letters or digits, one per subdomain"
        ),
        "attribution": Text(),
        "max_zoom": Integer(min=1, max=22, doc="Default 18 (or the preset's)."),
        "crs": Enum(
            ("wgs84", "gcj02"),
            doc="Coordinate system of the tiles: markers are shifted to match.",
        ),
        "overlay": Record(
            what="tile overlay field",
            prefix="overlay.",
            doc="A layer drawn over this one, such as Tianditu's annotation (place names).",
            fields={
                "url": Text(required=True, pattern=_TILE_URL.pattern, pattern_doc=_TILE_URL_DOC),
                "subdomains": Text(
                    pattern=r"[a-z0-9]+", pattern_doc="letters or digits, one per subdomain"
                ),
            },
        ),
        "approval_number": Text(doc="Map approval number (审图号) shown with the attribution."),
        "prefetch": Boolean(
            doc="Whether the tile source allows saving an area for offline use (default no)."
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
        "conversion": Record(
            what="conversion setting",
            prefix="conversion.",
            fields={
                "phrases": Record(
                    what="script",
                    prefix="conversion.phrases.",
                    fields={
                        script: Record(
                            what="phrase",
                            extra=Text(),
                            doc=f"Phrases written as given in {script} instead of converted, "
                            "as {phrase in the source script: phrase in this script}.",
                        )
                        for script in ("zh-Hans", "zh-Hant")
                    },
                ),
            },
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
        "closures": ListOf(
            Record(
                what="closure setting",
                prefix="closures.",
                fields={
                    "from": Date(required=True, doc="First day closed."),
                    "to": Date(doc="Last day closed (default: the first)."),
                    "name": LocalizedText(doc="Why, for people reading site.yaml."),
                    "categories": ListOf(
                        Text(), doc="Categories closed (default: every category)."
                    ),
                },
            ),
            doc="Days when facilities are closed whatever their opening hours say.",
        ),
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
        "icp": Text(
            pattern=r"[\u4e00-\u9fff]ICP[备证][0-9]+号(?:-[0-9]+)?",
            pattern_doc='an ICP filing number such as "粤ICP备12345678号-1"',
            doc="ICP filing number (ICP备案号), shown in every page footer with a link to MIIT.",
        ),
        "police_record": Text(
            pattern=r"[\u4e00-\u9fff]公网安备 ?[0-9]{6,20}号",
            pattern_doc='a public-security filing number such as "粤公网安备44030402000001号"',
            doc="Public-security filing number (公安备案号), shown in every page footer.",
        ),
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
                    min=0.1,
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
