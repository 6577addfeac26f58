"""The mapping file: what a source looks like and how its columns become card fields.

Checked with sitegen's own schema machinery, so every mistake is reported as
``path:line:col: message`` (with "did you mean" for misspelt keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema as s
from ..errors import ContentError, Mark, Problem, Report
from ..source import LocatedDict, YamlSyntaxError, parse_yaml, read_text

FORMATS = ("csv", "xlsx", "json", "geojson", "xml")
CRS = ("wgs84", "gcj02", "bd09")


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


REGEX = s.Custom(_regex, {"type": "string"}, "regular expression")
SCALAR = s.Custom(_scalar, {}, "value")
SCALAR_MAP = s.Custom(_scalar_map, {"type": "object"}, "mapping")
BOX = s.Custom(_box, {"type": "array"}, "box")
TEXT = s.Text()
TEXT_LIST = s.ListOf(s.Text(), min_items=1)

EXTRACT = s.Record(
    what="extract option",
    prefix="extract.",
    fields={
        "pattern": s.Custom(_regex, {"type": "string"}, "regular expression", required=True),
        "group": s.Integer(min=0, default=0),
        "template": s.Text(doc="e.g. '{1}區': groups by number"),
        "as": s.Enum(["text", "int", "bool"], default="text"),
    },
)
REPLACE = s.Record(
    what="replace option",
    prefix="replace.",
    fields={
        "pattern": s.Custom(_regex, {"type": "string"}, "regular expression", required=True),
        "with": s.Custom(
            lambda v: "" if v is None else str(v), {"type": "string"}, "text", default=""
        ),
    },
)
INT_RANGE = s.Record(
    what="int option", prefix="int.", fields={"min": s.Integer(), "max": s.Integer()}
)
TRANSFORM = s.Record(
    what="transform",
    fields={
        "strip_prefix": TEXT,
        "strip_suffix": TEXT,
        "replace": REPLACE,
        "extract": EXTRACT,
        "map": SCALAR_MAP,
        "suffix_if_missing": TEXT,
        "int": INT_RANGE,
        "date": s.Boolean(),
        "hours": s.Boolean(),
        "drop": s.ListOf(SCALAR),
    },
)
FIELD = s.Record(
    what="field option",
    fields={
        "column": TEXT,
        "columns": TEXT_LIST,
        "join": s.Custom(lambda v: str(v), {"type": "string"}, "text", default=""),
        "join_dedupe": s.Boolean(default=False),
        "value": SCALAR,
        "transforms": s.ListOf(TRANSFORM),
        "learn_from": TEXT,
    },
)
LOCATION = s.Record(
    what="location option",
    prefix="location.",
    fields={
        "lng": TEXT,
        "lat": TEXT,
        "column": TEXT,
        "order": s.Enum(["lng,lat", "lat,lng"], default="lat,lng"),
    },
)
LABEL = s.Record(
    what="label option",
    fields={
        "pattern": s.Custom(_regex, {"type": "string"}, "regular expression", required=True),
        "at": s.Enum(["end", "last"], default="end"),
    },
)
MERGE = s.Record(
    what="merge option",
    prefix="merge.",
    fields={
        "labels": s.ListOf(LABEL),
        "flags": s.Record(what="flag", extra=REGEX),
    },
)
SKIP = s.Record(
    what="skip option",
    fields={
        "column": s.Text(required=True),
        "pattern": s.Custom(_regex, {"type": "string"}, "regular expression", required=True),
        "reason": s.Text(required=True),
    },
)
ID = s.Record(
    what="id option",
    prefix="id.",
    fields={
        "prefix": s.Text(required=True, pattern=r"[a-z0-9][a-z0-9_-]*", pattern_doc="an id"),
        "key": s.ListOf(s.Text(), min_items=1, default=["name", "location"]),
    },
)
MAPPING = s.Record(
    what="mapping key",
    fields={
        "format": s.Enum(list(FORMATS)),
        "encoding": s.ListOf(s.Text()),
        "sheet": s.Text(),
        "rows": s.Text(doc="xml: path of the row elements"),
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


@dataclass(frozen=True)
class FieldSpec:
    """How one card field is made from a row."""

    name: str
    columns: tuple[str, ...]
    join: str = ""
    join_dedupe: bool = False
    value: Any = None
    transforms: tuple[dict[str, Any], ...] = ()
    learn_from: str | None = None


@dataclass(frozen=True)
class Mapping:
    """A checked mapping file."""

    path: Path
    format: str | None
    encodings: tuple[str, ...]
    sheet: str | None
    rows: str | None
    namespaces: dict[str, str]
    category: str
    output: str | None
    header: tuple[str, ...]
    prefix: str
    key: tuple[str, ...]
    crs: str
    bounds: tuple[float, float, float, float] | None
    lng: str | None
    lat: str | None
    point_column: str | None
    point_order: str
    skips: tuple[dict[str, Any], ...]
    fields: tuple[FieldSpec, ...]
    labels: tuple[tuple[re.Pattern[str], str], ...] = ()
    flags: dict[str, re.Pattern[str]] = field(default_factory=dict)


def load_mapping(path: Path, display: str | None = None) -> Mapping:
    """Read and check a mapping file; every problem is raised at once as a ContentError."""
    shown = display or path.as_posix()
    report = Report()
    try:
        data = parse_yaml(read_text(path, shown), shown, report)
    except YamlSyntaxError as exc:
        raise ContentError([Problem(exc.mark, exc.message)]) from None
    if not isinstance(data, LocatedDict):
        raise ContentError([Problem(Mark(shown), "a mapping file must be a YAML mapping")])
    values = MAPPING.parse_items(data, s.Context(report))
    if values is not None:
        _check(values, data, report)
    if report.errors or values is None:
        raise ContentError(report.sorted())
    return _build(path, values)


def _check(values: dict[str, Any], data: LocatedDict, report: Report) -> None:
    """Rules across keys that a field-by-field check cannot see."""
    fields = data["fields"]
    for name, spec in values["fields"].items():
        sources = [k for k in ("column", "columns", "value") if k in spec]
        if len(sources) != 1:
            report.error(
                fields.value_mark(name),
                f'fields.{name}: give exactly one of "column", "columns" or "value"',
            )
        for index, transform in enumerate(spec.get("transforms", [])):
            if len(transform) != 1:
                mark = fields[name]["transforms"].item_mark(index)
                report.error(mark, f"fields.{name}: each transform is a mapping with one key")
    if "name" not in values["fields"]:
        report.error(data.key_mark("fields"), 'fields: missing the card field "name"')
    location = values.get("location")
    if location is None:  # GeoJSON's geometry.lng/geometry.lat; others fail on the columns
        return
    by_pair = "lng" in location and "lat" in location
    if by_pair == ("column" in location) or ("lng" in location) != ("lat" in location):
        mark = data.value_mark("location") if "location" in data else data.mark
        report.error(mark, 'location: give "lng" and "lat" columns, or one "column" (and "order")')
    if values.get("format") == "xml" and "rows" not in values:
        report.error(data.value_mark("format"), 'format xml needs "rows" (the row element path)')


def _build(path: Path, v: dict[str, Any]) -> Mapping:
    location = v.get("location") or {}
    ident = v.get("id") or {"prefix": v["category"], "key": ["name", "location"]}
    merge = v.get("merge") or {}
    specs = tuple(
        FieldSpec(
            name=name,
            columns=tuple(spec.get("columns") or ([spec["column"]] if "column" in spec else [])),
            join=spec["join"],
            join_dedupe=spec["join_dedupe"],
            value=spec.get("value"),
            transforms=tuple(spec.get("transforms", [])),
            learn_from=spec.get("learn_from"),
        )
        for name, spec in v["fields"].items()
    )
    return Mapping(
        path=path,
        format=v.get("format"),
        encodings=tuple(v.get("encoding", [])),
        sheet=v.get("sheet"),
        rows=v.get("rows"),
        namespaces=dict(v.get("namespaces") or {}),
        category=v["category"],
        output=v.get("output"),
        header=tuple(v.get("header", [])),
        prefix=ident["prefix"],
        key=tuple(ident["key"]),
        crs=v["crs"],
        bounds=v.get("bounds"),
        lng=location.get("lng"),
        lat=location.get("lat"),
        point_column=location.get("column"),
        point_order=location.get("order", "lat,lng"),
        skips=tuple(v.get("skip", [])),
        fields=specs,
        labels=tuple((label["pattern"], label["at"]) for label in merge.get("labels", [])),
        flags=dict(merge.get("flags") or {}),
    )
