"""The mapping file: what a source looks like and how its columns become card fields.

Checked with sitegen's own schema machinery, so every mistake is reported as
``path:line:col: message`` (with "did you mean" for misspelt keys and the list of valid
ones). The keys themselves are declared in ``mapping_schema``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError, Mark, Problem, Report
from sitegen.importer.mapping_rules import check_rules
from sitegen.importer.mapping_schema import LOCALES, MAPPING
from sitegen.source import schema as s
from sitegen.source.located import (
    LocatedDict,
    LocatedList,
    YamlSyntaxError,
    parse_yaml,
    read_text,
)


@dataclass(frozen=True)
class ColumnRef:
    """A column (or path) the mapping names, where it names it, and what for."""

    path: str
    where: str  # e.g. "fields.name.en", "location.lng", "skip"
    mark: Mark


@dataclass(frozen=True)
class Source:
    """Where one value comes from: a column, several joined, or a constant."""

    columns: tuple[str, ...] = ()
    join: str = ""
    join_dedupe: bool = False
    value: Any = None
    transforms: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    """How one card field is made from a row: one source, or one per language."""

    name: str
    source: Source | None
    locales: tuple[tuple[str, Source], ...] = ()
    transforms: tuple[dict[str, Any], ...] = ()  # after each language's own transforms
    learn_from: str | None = None
    mark: Mark = field(default_factory=lambda: Mark(""))

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the field (one, or one per language)."""
        return (self.source,) if self.source else tuple(src for _, src in self.locales)


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
    point_order: str | None
    skips: tuple[dict[str, Any], ...]
    fields: tuple[FieldSpec, ...]
    labels: tuple[tuple[re.Pattern[str], str], ...] = ()
    flags: dict[str, re.Pattern[str]] = field(default_factory=dict)
    columns: tuple[ColumnRef, ...] = ()  # every column the mapping names
    key_marks: tuple[Mark, ...] = ()  # of each id.key item

    def spec(self, name: str) -> FieldSpec | None:
        """The spec of a card field, if the mapping fills it."""
        return next((spec for spec in self.fields if spec.name == name), None)


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
    check_rules(data, report)
    if report.errors or values is None:
        raise ContentError(report.sorted())
    return _build(path, values, data)


def _source(spec: dict[str, Any]) -> Source:
    columns = spec.get("columns") or ([spec["column"]] if "column" in spec else [])
    return Source(
        columns=tuple(columns),
        join=spec["join"],
        join_dedupe=spec["join_dedupe"],
        value=spec.get("value"),
        transforms=tuple(spec.get("transforms", [])),
    )


def _field(name: str, spec: dict[str, Any], mark: Mark) -> FieldSpec:
    languages = [k for k in LOCALES if k in spec]
    if not languages:
        return FieldSpec(name, _source(spec), learn_from=spec.get("learn_from"), mark=mark)
    return FieldSpec(
        name,
        None,
        tuple((locale, _source(spec[locale])) for locale in languages),
        tuple(spec.get("transforms", [])),
        mark=mark,
    )


def _column_refs(values: dict[str, Any], data: LocatedDict) -> list[ColumnRef]:
    """Every column the mapping names, with the mark of where it is named."""
    refs: list[ColumnRef] = []
    fields = data["fields"]
    for name, spec in values["fields"].items():
        raw = fields[name]
        places = [(name, spec, raw, fields.value_mark(name))]
        for locale in (k for k in LOCALES if k in spec):
            inner = raw[locale]
            places.append((f"{name}.{locale}", spec[locale], inner, raw.value_mark(locale)))
        for where, parsed, located, mark in places:
            refs += _refs_of(f"fields.{where}", parsed, located, mark)
    location = values.get("location") or {}
    for key in ("lng", "lat", "column"):
        if key in location:
            mark = data["location"].value_mark(key)
            refs.append(ColumnRef(location[key], f"location.{key}", mark))
    for index, skip in enumerate(values.get("skip", [])):
        mark = data["skip"][index].value_mark("column")
        refs.append(ColumnRef(skip["column"], "skip", mark))
    return refs


def _refs_of(where: str, parsed: dict[str, Any], located: Any, mark: Mark) -> list[ColumnRef]:
    if not isinstance(located, LocatedDict):  # `name: Title`
        return [ColumnRef(parsed["column"], where, mark)] if "column" in parsed else []
    refs = []
    if "column" in parsed:
        refs.append(ColumnRef(parsed["column"], where, located.value_mark("column")))
    if "learn_from" in parsed:
        refs.append(ColumnRef(parsed["learn_from"], f"{where}.learn_from", mark))
    listed = located.get("columns")
    for index, column in enumerate(parsed.get("columns") or []):
        at = listed.item_mark(index) if isinstance(listed, LocatedList) else mark
        refs.append(ColumnRef(column, where, at))
    return refs


def _build(path: Path, v: dict[str, Any], data: LocatedDict) -> Mapping:
    location = v.get("location") or {}
    ident = v.get("id") or {"prefix": v["category"], "key": ["name", "location"]}
    merge = v.get("merge") or {}
    fields = data["fields"]
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
        point_order=location.get("order"),
        skips=tuple(v.get("skip", [])),
        fields=tuple(_field(n, spec, fields.value_mark(n)) for n, spec in v["fields"].items()),
        labels=tuple((label["pattern"], label["at"]) for label in merge.get("labels", [])),
        flags=dict(merge.get("flags") or {}),
        columns=tuple(_column_refs(v, data)),
        key_marks=_key_marks(data, len(ident["key"])),
    )


def _key_marks(data: LocatedDict, count: int) -> tuple[Mark, ...]:
    """Where each id.key item is written (the id mapping, or the file, for the default)."""
    ident = data.get("id")
    if not isinstance(ident, LocatedDict) or "key" not in ident:
        return tuple(data.value_mark("id") if ident else data.mark for _ in range(count))
    keys = ident["key"]
    if isinstance(keys, LocatedList):
        return tuple(keys.item_mark(index) for index in range(count))
    return (ident.value_mark("key"),) * count
