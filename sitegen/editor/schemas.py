"""JSON Schema (draft-07) for site.yaml, category files, name cards and guide front matter.

Generated from the very ``Field`` objects the build checks with, so editors and the build
agree. Checks JSON Schema cannot express (files exist, positions within the site's bounds,
opening-hours syntax, ...) stay with ``sitegen check``; see docs/editing.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError, Mark, Report
from sitegen.pipeline.categories import (
    CARD_KEYS,
    CATEGORY,
    FIELD_DECLARATION,
    FIELD_NAME,
    TYPE_NAMES,
    CategoryDef,
    parse_category,
)
from sitegen.pipeline.config import load_config
from sitegen.pipeline.load import is_broken, load_content
from sitegen.pipeline.site_schema import SITE
from sitegen.pipeline.validate import CARD_COMMON
from sitegen.pipeline.validate_guides import GUIDE, GUIDE_ENTRY, GUIDE_TRANSLATION
from sitegen.source import schema as s

DRAFT = "http://json-schema.org/draft-07/schema#"
JSON = dict[str, Any]


def field_schema(fld: s.Field) -> JSON:
    """A field's JSON Schema, recursing so nested lists and records get the fixes below."""
    schema = fld.json_schema()
    if isinstance(fld, s.Record):
        schema["properties"] = {k: field_schema(f) for k, f in fld.fields.items()}
        if fld.extra is not None:
            schema["additionalProperties"] = field_schema(fld.extra)
    elif isinstance(fld, s.ListOf):
        item = field_schema(fld.item)
        schema["items"] = item
        if fld.min_items <= 1:
            # The build takes a single item written without a list (but never a mapping).
            single = {"allOf": [item, {"not": {"type": ["object", "array", "null"]}}]}
            schema = {"anyOf": [schema, single]}
            if fld.doc:
                schema["description"] = fld.doc
    return schema


def _document(schema: JSON, title: str) -> JSON:
    return {"$schema": DRAFT, "title": title, **schema}


def site_schema() -> JSON:
    """The schema of ``content/site.yaml``."""
    return _document(field_schema(SITE), "sitegen site.yaml")


def category_schema() -> JSON:
    """The schema of a category file in ``content/categories/``."""
    schema = field_schema(CATEGORY)
    declaration = field_schema(FIELD_DECLARATION)
    schema["properties"]["fields"] = {
        "type": "object",
        "description": "The category's own fields, by name; `name: TYPE` is short for {type: TYPE}",
        "propertyNames": {
            "pattern": f"^(?:{FIELD_NAME.pattern})$",
            "not": {"enum": list(CARD_KEYS)},
        },
        "additionalProperties": {"anyOf": [{"enum": list(TYPE_NAMES)}, declaration]},
    }
    return _document(schema, "sitegen category")


def card_schema(category: CategoryDef) -> JSON:
    """The schema of one name card of ``category`` (no ``$schema`` key)."""
    schema = field_schema(category.card_schema(CARD_COMMON))
    schema["properties"]["category"] = {"const": category.id}
    schema["required"] = sorted({*schema.get("required", ()), "category"})
    return schema


def _one_or_many(card: JSON) -> JSON:
    return {"anyOf": [card, {"type": "array", "items": card}]}


def facility_file_schema(category: CategoryDef) -> JSON:
    """A facility file holding one card of ``category`` or a list of them."""
    return _document(_one_or_many(card_schema(category)), f"sitegen name card: {category.id}")


def any_facility_file_schema(categories: Iterable[CategoryDef]) -> JSON:
    """A facility file whose cards may be of any category (chosen by their ``category``)."""
    cats = list(categories)
    card: JSON = {
        "type": "object",
        "required": ["category"],
        "properties": {"category": {"enum": [c.id for c in cats]}},
        # if/then rather than oneOf: editors then report the problem in the right card schema.
        "allOf": [
            {
                "if": {"properties": {"category": {"const": c.id}}, "required": ["category"]},
                "then": {"$ref": f"#/definitions/{c.id}"},
            }
            for c in cats
        ],
    }
    schema = _one_or_many(card)
    schema["definitions"] = {c.id: card_schema(c) for c in cats}
    return _document(schema, "sitegen name cards")


def guide_schema() -> JSON:
    """The schema of a guide's front matter (``guides/NAME.md``)."""
    schema = field_schema(GUIDE)
    schema["properties"]["entries"] = {"type": "array", "items": field_schema(GUIDE_ENTRY)}
    return _document(schema, "sitegen guide front matter")


def guide_translation_schema() -> JSON:
    """The schema of a translated guide's front matter (``guides/NAME.en.md``)."""
    return _document(field_schema(GUIDE_TRANSLATION), "sitegen guide translation front matter")


def load_categories(project_dir: Path) -> list[CategoryDef]:
    """The project's valid categories; problems in them raise a ContentError."""
    config = load_config(project_dir)
    report = Report()
    raw = load_content(config.content_dir, config.locales, report)
    ctx = s.Context(report, config.locales, config.content_dir)
    categories = []
    for source in raw.categories:
        if not is_broken(source.data):
            category = parse_category(source.data, Mark(source.path), ctx)
            if category is not None:
                categories.append(category)
    # Facility and guide problems are none of the schema's business; categories' are.
    errors = [p for p in report.errors if p.mark.path.startswith("content/categories/")]
    if errors:
        raise ContentError(sorted(errors))
    return sorted(categories, key=lambda c: c.id)


def all_schemas(categories: Iterable[CategoryDef]) -> dict[str, JSON]:
    """Every schema by file name."""
    cats = list(categories)
    files: dict[str, JSON] = {
        "site.schema.json": site_schema(),
        "category.schema.json": category_schema(),
        "facility.schema.json": any_facility_file_schema(cats),
        "guide.schema.json": guide_schema(),
        "guide-translation.schema.json": guide_translation_schema(),
    }
    for category in cats:
        files[f"facility.{category.id}.schema.json"] = facility_file_schema(category)
    return files


def write_schemas(project_dir: Path, out_dir: Path) -> list[Path]:
    """Write every schema of the project into ``out_dir``; returns the files written."""
    schemas = all_schemas(load_categories(project_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas.items():
        path = out_dir / name
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
