"""What the import writes into: the project's site settings and the category of the cards.

The category's fields are read with the same code ``sitegen check`` uses, so every value
can be checked by the parser that will check the written card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import ContentError, Mark, Problem, Report, SitegenError
from sitegen.importer.mapping import Mapping
from sitegen.pipeline.categories import SCALAR_TYPES, CategoryDef, parse_category
from sitegen.pipeline.config import SiteConfig, load_config
from sitegen.pipeline.load import SourceFile, display_path
from sitegen.pipeline.validate import CARD_COMMON
from sitegen.source import schema as s
from sitegen.source.located import LocatedDict, YamlSyntaxError, parse_yaml, read_text

# Card keys every category has, as the importer may fill them.
LOCALIZED_KEYS = ("name", "address", "description")
KEY_KINDS = {"name": "ltext", "address": "ltext", "description": "ltext", "verified": "date"}
MADE_BY_IMPORT = {
    "id": "ids are made by the importer; see id.prefix and id.key",
    "category": "the category is the mapping's category:",
    "location": "the position comes from the mapping's location: (and crs:)",
    "crs": "positions are converted to WGS-84; give the source's crs: in the mapping",
}


@dataclass(frozen=True)
class FieldType:
    """A card field as its category declares it, with the parser that checks it."""

    name: str
    kind: str  # text, ltext, int, number, bool, enum, hours, phone, url, image, date, list
    field: s.Field
    item: str = ""  # the kind of a list's items
    required: bool = False


@dataclass(frozen=True)
class Target:
    """The site and the category the cards are written for."""

    config: SiteConfig
    category: CategoryDef
    category_file: SourceFile
    types: dict[str, FieldType]

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The site's map bounds as west, south, east, north."""
        (west, south), (east, north) = self.config.bounds
        return west, south, east, north

    def context(self, report: Report) -> s.Context:
        """The context field parsers need: the site's locales and content folder."""
        return s.Context(report, self.config.locales, self.config.content_dir)


def _category_file(project: Path, category: str) -> SourceFile:
    folder = project / "content" / "categories"
    found: list[str] = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        display = display_path(path, project)
        try:
            data = parse_yaml(read_text(path, display), display, Report())
        except YamlSyntaxError as exc:
            raise ContentError([Problem(exc.mark, exc.message)]) from None
        if isinstance(data, LocatedDict) and data.get("id") == category:
            return SourceFile(display, data)
        if isinstance(data, LocatedDict) and isinstance(data.get("id"), str):
            found.append(data["id"])
    hint = s.did_you_mean(category, found)
    listed = f" (defined: {', '.join(sorted(found))})" if found else ""
    raise SitegenError(f'category "{category}" is not defined in content/categories/{hint}{listed}')


def _types(category: CategoryDef) -> dict[str, FieldType]:
    types = {
        key: FieldType(key, KEY_KINDS[key], CARD_COMMON[key], required=key == "name")
        for key in KEY_KINDS
    }
    types["photos"] = FieldType("photos", "list", CARD_COMMON["photos"], item="image")
    for name, fd in category.fields.items():
        item = ""
        if isinstance(fd.field, s.ListOf):
            item = next(k for k, cls in SCALAR_TYPES.items() if type(fd.field.item) is cls)
        types[name] = FieldType(name, fd.kind, fd.field, item, fd.field.required)
    return types


def load_target(project: Path, category: str) -> Target:
    """The project's settings and the category, checked as ``sitegen check`` checks them."""
    config = load_config(project)
    source = _category_file(project, category)
    report = Report()
    ctx = s.Context(report, config.locales, config.content_dir)
    definition = parse_category(source.data, Mark(source.path), ctx)
    if definition is None or report.errors:
        raise ContentError(report.sorted())
    return Target(config, definition, source, _types(definition))


def check_fields(target: Target, mapping: Mapping) -> list[Problem]:
    """Mapping fields the category does not have, or per-language columns it cannot hold."""
    problems: list[Problem] = []
    category = target.category.id
    for spec in mapping.fields:
        where = f"fields.{spec.name}"
        ftype = target.types.get(spec.name)
        if spec.name in MADE_BY_IMPORT:
            problems.append(Problem(spec.mark, f"{where}: {MADE_BY_IMPORT[spec.name]}"))
        elif ftype is None:
            names = list(target.types)
            problems.append(
                Problem(
                    spec.mark,
                    f'{where}: "{spec.name}" is not a field of category "{category}"'
                    f"{s.did_you_mean(spec.name, names)} (its fields: {', '.join(names)})",
                )
            )
        elif spec.locales and ftype.kind != "ltext":
            problems.append(
                Problem(
                    spec.mark,
                    f"{where}: one column per language needs a localized field (name, address, "
                    f'description or an ltext field); "{spec.name}" is of type {ftype.kind}',
                )
            )
        for locale, _ in spec.locales:
            if locale not in target.config.locales:
                problems.append(
                    Problem(
                        spec.mark,
                        f'{where}.{locale}: "{locale}" is not one of the site\'s locales '
                        f"({', '.join(target.config.locales)})",
                    )
                )
    return problems
