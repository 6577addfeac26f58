"""The keys of a mapping file and what each accepts, as sitegen schema records.

Unknown keys are errors that list the valid ones; ``mapping.py`` adds the rules that
span several keys and builds the checked ``Mapping``.
"""

from __future__ import annotations

import re
from typing import Any

from sitegen.errors import Mark, Report
from sitegen.source import schema as s
from sitegen.source.located import LocatedDict

FORMATS = ("csv", "xlsx", "json", "geojson", "xml")
CRS = ("wgs84", "gcj02", "bd09")
LOCALES = ("zh-Hans", "zh-Hant", "en")
HTML_MODES = ("text", "entities")


def _regex(value: Any) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise s.Invalid(f"expected a regular expression, got {s.describe(value)}")
    try:
        return re.compile(value)
    except re.error as exc:
        raise s.Invalid(f"invalid regular expression: {exc}") from None


def _scalar(value: Any) -> Any:
    if isinstance(value, dict | list):
        raise s.Invalid(f"expected a single value, got {s.describe(value)}")
    return value


def _scalar_map(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise s.Invalid(
            f"expected a mapping of source value to card value, got {s.describe(value)}"
        )
    return {str(key): _scalar(item) for key, item in value.items()}


def _box(value: Any) -> tuple[float, float, float, float]:
    pair = s.LngLat()
    ctx = s.Context(Report())
    if not isinstance(value, list) or len(value) != 2:
        raise s.Invalid("expected [[west, south], [east, north]]")
    (w, so), (e, n) = (pair.parse(v, Mark(""), ctx) for v in value)
    if not (w < e and so < n):
        raise s.Invalid("expected [[west, south], [east, north]] with west < east, south < north")
    return w, so, e, n


def _order(value: Any) -> str:
    if value in ("lng,lat", "lat,lng"):
        return str(value)
    hint = ""
    if value in ("lng", "lat"):  # `{column: p, order: lng,lat}`: the comma ended the value
        hint = '; write it in quotes inside {…}: order: "lng,lat"'
    raise s.Invalid(f'{s.describe(value)} is not one of "lng,lat", "lat,lng"{hint}')


def _spellings(value: Any, which: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise s.Invalid(f"bool.{which}: expected a list of spellings, got {s.describe(value)}")
    return tuple(str(_scalar(item)).strip().lower() for item in value)


def _bool_option(value: Any) -> dict[str, tuple[str, ...]]:
    """``bool: true`` (the common spellings) or ``bool: {yes: [...], no: [...]}`` (more)."""
    if value is True:
        return {"yes": (), "no": ()}
    if not isinstance(value, dict) or not value or set(value) - {"yes", "no"}:
        raise s.Invalid(
            "expected true (1/0, Y/N, yes/no, true/false, 是/否, 有/無) "
            "or {yes: [spellings], no: [spellings]} for more"
        )
    return {which: _spellings(value[which], which) if which in value else () for which in value}


def _date_option(value: Any) -> dict[str, str] | bool:
    """``date: true`` (ISO dates and timestamps) or ``date: {format: '%d/%m/%Y'}``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, LocatedDict) and set(value) == {"format"}:
        fmt = value["format"]
        if isinstance(fmt, str) and "%" in fmt:
            return {"format": fmt}
        raise s.Invalid(f"date.format: expected a format such as '%d/%m/%Y', got {s.describe(fmt)}")
    raise s.Invalid("expected true, or {format: '%d/%m/%Y'} (Python strptime codes)")


REGEX = s.Custom(_regex, {"type": "string"}, "regular expression")
SCALAR = s.Custom(_scalar, {}, "value")
SCALAR_MAP = s.Custom(_scalar_map, {"type": "object"}, "mapping")
BOX = s.Custom(_box, {"type": "array"}, "box")
TEXT = s.Text()
TEXT_LIST = s.ListOf(s.Text(), min_items=1)


def _required_regex() -> s.Field:
    return s.Custom(_regex, {"type": "string"}, "regular expression", required=True)


EXTRACT = s.Record(
    what="extract option",
    prefix="extract.",
    list_choices=True,
    fields={
        "pattern": _required_regex(),
        "group": s.Integer(min=0, default=0),
        "template": s.Text(doc="e.g. '{1}區': groups by number"),
        "as": s.Enum(["text", "int", "bool"], default="text"),
    },
)
REPLACE = s.Record(
    what="replace option",
    prefix="replace.",
    list_choices=True,
    fields={
        "pattern": _required_regex(),
        "with": s.Custom(
            lambda v: "" if v is None else str(v), {"type": "string"}, "text", default=""
        ),
    },
)
INT_RANGE = s.Record(
    what="int option",
    prefix="int.",
    list_choices=True,
    fields={"min": s.Integer(), "max": s.Integer()},
)
TRANSFORM = s.Record(
    what="transform",
    list_choices=True,
    fields={
        "strip_prefix": TEXT,
        "strip_suffix": TEXT,
        "replace": REPLACE,
        "extract": EXTRACT,
        "map": SCALAR_MAP,
        "suffix_if_missing": TEXT,
        "int": INT_RANGE,
        "bool": s.Custom(_bool_option, {}, "bool option"),
        "date": s.Custom(_date_option, {}, "date option"),
        "hours": s.Boolean(),
        "html": s.Enum(HTML_MODES),
        "split": REGEX,
        "drop": s.ListOf(SCALAR),
    },
)
_SOURCE_FIELDS: dict[str, s.Field] = {
    "column": TEXT,
    "columns": TEXT_LIST,
    "join": s.Custom(lambda v: str(v), {"type": "string"}, "text", default=""),
    "join_dedupe": s.Boolean(default=False),
    "value": SCALAR,
    "transforms": s.ListOf(TRANSFORM),
}


class _Spec(s.Field):
    """A record that may also be written as one string: ``name: Title`` is ``{column: Title}``."""

    def __init__(self, record: s.Record) -> None:
        super().__init__()
        self.record = record

    def parse(self, value: Any, mark: Mark, ctx: s.Context) -> Any:
        if isinstance(value, str) and value.strip():
            defaults = self.record.parse_items(LocatedDict(mark), ctx) or {}
            return {**defaults, "column": value.strip()}
        if not isinstance(value, LocatedDict):
            raise s.Invalid(f"expected a column name or a mapping, got {s.describe(value)}")
        return self.record.parse_items(value, ctx, prefix=self.record.prefix)

    def json_schema(self) -> s.JSON:
        return {"oneOf": [{"type": "string"}, self.record.json_schema()]}


LOCALE_SOURCE = _Spec(s.Record(what="field option", list_choices=True, fields=_SOURCE_FIELDS))
FIELD = _Spec(
    s.Record(
        what="field option",
        list_choices=True,
        fields={
            **_SOURCE_FIELDS,
            "learn_from": TEXT,
            **dict.fromkeys(LOCALES, LOCALE_SOURCE),
        },
    )
)
LOCATION = s.Record(
    what="location option",
    prefix="location.",
    list_choices=True,
    fields={
        "lng": TEXT,
        "lat": TEXT,
        "column": TEXT,
        "order": s.Custom(_order, {"enum": ["lng,lat", "lat,lng"]}, "order"),
    },
)
LABEL = s.Record(
    what="label option",
    list_choices=True,
    fields={"pattern": _required_regex(), "at": s.Enum(["end", "last"], default="end")},
)
MERGE = s.Record(
    what="merge option",
    prefix="merge.",
    list_choices=True,
    fields={"labels": s.ListOf(LABEL), "flags": s.Record(what="flag", extra=REGEX)},
)
SKIP = s.Record(
    what="skip option",
    list_choices=True,
    fields={
        "column": s.Text(required=True),
        "pattern": _required_regex(),
        "reason": s.Text(required=True),
    },
)
ID = s.Record(
    what="id option",
    prefix="id.",
    list_choices=True,
    fields={
        "prefix": s.Text(required=True, pattern=r"[a-z0-9][a-z0-9_-]*", pattern_doc="an id"),
        "key": s.ListOf(s.Text(), min_items=1, default=["name", "location"]),
    },
)
MAPPING = s.Record(
    what="mapping key",
    list_choices=True,
    fields={
        "format": s.Enum(list(FORMATS)),
        "encoding": s.ListOf(s.Text()),
        "sheet": s.Text(),
        "rows": s.Text(doc="xml: path of the row elements; json: path of the array of rows"),
        "namespaces": s.Record(what="namespace", extra=s.Text()),
        "category": s.Text(required=True),
        "output": s.Text(pattern=r"[^/].*\.ya?ml", pattern_doc="a .yaml path"),
        "header": s.ListOf(s.Custom(str, {"type": "string"}, "text")),
        "id": ID,
        "crs": s.Enum(list(CRS), default="wgs84"),
        "bounds": BOX,
        "location": LOCATION,
        "skip": s.ListOf(SKIP),
        "fields": s.Record(what="card field", extra=FIELD, required=True),
        "merge": MERGE,
    },
)
