"""Category definitions: a YAML file declares a kind of place and its typed fields.

Adding a kind of place is one file in ``content/categories/``; this module turns its
``fields:`` declarations into schema ``Field`` objects that check the name cards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sitegen.errors import Mark
from sitegen.hours.opening import OpeningHours
from sitegen.hours.parse import parse_hours
from sitegen.hours.rules import HoursSyntaxError
from sitegen.source import schema as s
from sitegen.source.located import LocatedDict

ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,99}"  # at most 100 characters: ids are folder names
# Category ids are the second segment of their pages' URLs (/en/toilet/): these are taken.
RESERVED_CATEGORY_IDS = ("guides", "offline", "report")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*(?::[a-z0-9_]+)*")  # OSM-style keys, e.g. toilets:disposal

# Keys every name card has; a category may not declare a field with one of these names.
CARD_KEYS = (
    "id",
    "category",
    "name",
    "address",
    "location",
    "crs",
    "photos",
    "verified",
    "description",
)


class Hours(s.Field):
    """Opening hours in OpenStreetMap syntax or the common Chinese forms."""

    type_name = "opening hours"

    def parse(self, value: Any, mark: Mark, ctx: s.Context) -> OpeningHours:
        if not isinstance(value, str):
            raise s.Invalid(
                f'expected opening hours as text such as "Mo-Fr 08:00-18:00", '
                f"got {s.describe(value)}; put the value in quotes"
            )
        try:
            return parse_hours(value)
        except HoursSyntaxError as exc:
            inside = None if "\n" in value else Mark(mark.path, mark.line, mark.col + exc.column)
            raise s.Invalid(exc.message, inside) from None

    def json_schema(self) -> s.JSON:
        return self._schema({"type": "string", "minLength": 1})


# The field types a category may declare, by the name used in YAML.
SCALAR_TYPES: dict[str, type[s.Field]] = {
    "text": s.Text,
    "ltext": s.LocalizedText,
    "int": s.Integer,
    "number": s.Number,
    "bool": s.Boolean,
    "hours": Hours,
    "phone": s.Phone,
    "url": s.Url,
    "image": s.Image,
    "date": s.Date,
}
TYPE_NAMES = (*SCALAR_TYPES, "enum", "list")

FIELD_DECLARATION = s.Record(
    what="field setting",
    fields={
        "type": s.Enum(TYPE_NAMES, required=True),
        "label": s.LocalizedText(),
        "required": s.Boolean(default=False),
        "min": s.Number(),
        "max": s.Number(),
        "values": s.ListOf(
            s.Custom(lambda v: str(v), {"type": ["string", "number"]}, "value"), min_items=1
        ),
        "labels": s.Record(what="label", extra=s.LocalizedText()),
        "item": s.Enum(tuple(SCALAR_TYPES)),
        "filter": s.Boolean(default=False, doc="Offer this yes/no field as a map filter."),
    },
)

CATEGORY = s.Record(
    what="category setting",
    fields={
        "id": s.Text(
            required=True,
            pattern=ID_PATTERN,
            pattern_doc="a lowercase id of at most 100 letters, digits, - and _",
        ),
        "name": s.LocalizedText(required=True),
        "description": s.LocalizedText(max_length=20_000),
        "icon": s.Text(default="pin"),
        "color": s.Text(
            pattern=r"#[0-9a-fA-F]{6}", pattern_doc="a colour such as #1565c0", default="#455a64"
        ),
        "order": s.Integer(default=100),
        "schema_type": s.Text(default="Place", doc="schema.org type of the places"),
        "fields": s.Record(what="field", extra=s.Custom(lambda v: v, {"type": "object"}, "field")),
    },
)


@dataclass(frozen=True)
class FieldDef:
    """One declared field of a category."""

    name: str
    kind: str  # the declared type name
    field: s.Field
    label: dict[str, str] | None
    filter: bool
    value_labels: dict[str, dict[str, str]]  # for enums: value -> localized label


@dataclass(frozen=True)
class CategoryDef:
    """A category as declared, before text is resolved for each locale."""

    id: str
    name: dict[str, str]
    description: dict[str, str] | None
    icon: str
    color: str
    order: int
    schema_type: str
    fields: dict[str, FieldDef]
    mark: Mark

    def card_schema(self, common: dict[str, s.Field]) -> s.Record:
        """The record schema for a name card of this category."""
        fields = dict(common)
        fields.update({name: fd.field for name, fd in self.fields.items()})
        return s.Record(what="field", fields=fields)


def parse_category(data: Any, mark: Mark, ctx: s.Context) -> CategoryDef | None:
    """Check one category file; problems go to ``ctx.report``."""
    if not isinstance(data, LocatedDict):
        ctx.report.error(mark, "a category file must be a mapping with id, name and fields")
        return None
    values = CATEGORY.parse_items(data, ctx)
    declared = data.get("fields")
    fields: dict[str, FieldDef] = {}
    if isinstance(declared, LocatedDict):
        for name, decl in declared.items():
            fd = _parse_field(
                str(name), decl, declared.key_mark(name), declared.value_mark(name), ctx
            )
            if fd is not None:
                fields[fd.name] = fd
    if values is not None and values["id"] in RESERVED_CATEGORY_IDS:
        ctx.report.error(
            data.value_mark("id"),
            f'id: "{values["id"]}" is taken by the site\'s own pages '
            f"({', '.join(RESERVED_CATEGORY_IDS)}); choose another id",
        )
        return None
    if values is None or (isinstance(declared, LocatedDict) and len(fields) != len(declared)):
        return None
    return CategoryDef(
        id=values["id"],
        name=values["name"],
        description=values.get("description"),
        icon=values["icon"],
        color=values["color"].lower(),
        order=values["order"],
        schema_type=values["schema_type"],
        fields=fields,
        mark=data.mark,
    )


def _parse_field(
    name: str, decl: Any, key_mark: Mark, mark: Mark, ctx: s.Context
) -> FieldDef | None:
    if not FIELD_NAME.fullmatch(name):
        ctx.report.error(key_mark, f'field name "{name}" must be lowercase letters, digits and _')
        return None
    if name in CARD_KEYS:
        ctx.report.error(key_mark, f'field name "{name}" is reserved for every name card')
        return None
    if isinstance(decl, str):  # shorthand: `maintainer: text`
        decl_map = LocatedDict(mark)
        decl_map["type"] = decl
        decl_map.value_marks["type"] = mark
        decl = decl_map
    if not isinstance(decl, LocatedDict):
        ctx.report.error(mark, f"fields.{name}: expected a mapping such as {{type: text}}")
        return None
    v = FIELD_DECLARATION.parse_items(decl, ctx, prefix=f"fields.{name}.")
    if v is None:
        return None
    kind = v["type"]
    bounds: dict[str, Any] = {k: v[k] for k in ("min", "max") if k in v}
    problem = _declaration_problem(kind, v, bounds)
    if problem:
        ctx.report.error(mark, f"fields.{name}: {problem}")
        return None
    field: s.Field
    required = v["required"]
    if kind == "enum":
        field = s.Enum(v["values"], required=required)
    elif kind == "list":
        field = s.ListOf(SCALAR_TYPES[v["item"]](), required=required)
    elif kind in ("int", "number"):
        field = SCALAR_TYPES[kind](required=required, **bounds)
    else:
        field = SCALAR_TYPES[kind](required=required)
    value_labels = v.get("labels") or {}
    unknown = [k for k in value_labels if k not in (v.get("values") or [])]
    if unknown:
        ctx.report.error(
            decl.value_mark("labels"),
            f'fields.{name}.labels: "{unknown[0]}" is not one of the values',
        )
        return None
    return FieldDef(
        name=name,
        kind=kind,
        field=field,
        label=v.get("label"),
        filter=v["filter"],
        value_labels=value_labels,
    )


def _declaration_problem(kind: str, v: dict[str, Any], bounds: dict[str, Any]) -> str:
    """What is wrong with a field declaration whose settings each passed, or ""."""
    if bounds and kind not in ("int", "number"):
        return "min and max apply only to int and number fields"
    if kind == "int" and not all(isinstance(b, int) for b in bounds.values()):
        return "min and max of an int field must be whole numbers"
    if kind == "enum" and "values" not in v:
        return 'an enum field needs "values"'
    if kind == "enum" and len(set(v["values"])) != len(v["values"]):
        twice = next(x for x in v["values"] if v["values"].count(x) > 1)
        return f'the value "{twice}" is listed twice in "values"'
    if kind == "list" and "item" not in v:
        return 'a list field needs "item", the type of its items'
    if v.get("filter") and kind not in ("bool", "enum"):
        return "only bool and enum fields can be filters"
    return ""
