"""A small typed-schema machinery shared by site.yaml, category definitions and name cards.

Each ``Field`` turns a located YAML value into a checked Python value or raises
``Invalid`` with a message that will be shown as ``path:line:col: name: message``.
``Record`` checks a whole mapping: unknown keys (with "did you mean"), required keys,
and every field, reporting all problems rather than stopping at the first.
Every field can also describe itself as JSON Schema, so editors and the build agree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .errors import Mark, Report
from .source import LocatedDict, LocatedList

JSON = dict[str, Any]


class Invalid(Exception):
    """A value that does not fit its field; ``mark`` points inside the value when known."""

    def __init__(self, message: str, mark: Mark | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


@dataclass
class Context:
    """What fields need to know beyond the value itself."""

    report: Report
    locales: Sequence[str] = ("zh-Hans", "zh-Hant", "en")
    content_root: Path | None = None


def describe(value: Any) -> str:
    """Name a YAML value the way an editor thinks of it, for error messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """A ``; did you mean "x"?`` suffix, or nothing when no choice is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


class Field:
    """Base of all field types."""

    type_name = "value"

    def __init__(self, *, required: bool = False, default: Any = None, doc: str = "") -> None:
        self.required = required
        self.default = default
        self.doc = doc

    def parse(self, value: Any, mark: Mark, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> JSON:
        raise NotImplementedError

    def _schema(self, schema: JSON) -> JSON:
        if self.doc:
            schema["description"] = self.doc
        return schema


class Text(Field):
    type_name = "text"

    def __init__(self, *, pattern: str | None = None, pattern_doc: str = "", **kw: Any) -> None:
        super().__init__(**kw)
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_doc = pattern_doc

    def parse(self, value: Any, mark: Mark, ctx: Context) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected text, got {describe(value)}")
        text = value.strip()
        if not text:
            raise Invalid("must not be empty")
        if self.pattern and not self.pattern.fullmatch(text):
            raise Invalid(f"{describe(text)} is not {self.pattern_doc}")
        return text

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "string", "minLength": 1}
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern.pattern})$"
        return self._schema(schema)


class LocalizedText(Field):
    """Text in the source locale, or a mapping of locale to text."""

    type_name = "localized text"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> dict[str, str]:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                raise Invalid("must not be empty")
            return {"": text}  # "" = the source locale, resolved by the model
        if isinstance(value, LocatedDict):
            result: dict[str, str] = {}
            for key, text in value.items():
                if key not in ctx.locales:
                    hint = did_you_mean(str(key), ctx.locales)
                    if " " in str(key):  # `{en: a, b}` splits at the comma: a common slip
                        hint = "; put text with a comma inside {…} in quotes"
                    raise Invalid(f'unknown locale "{key}"{hint}', value.key_mark(key))
                if not isinstance(text, str) or not text.strip():
                    raise Invalid(
                        f"{key}: expected text, got {describe(text)}", value.value_mark(key)
                    )
                result[key] = text.strip()
            if not result:
                raise Invalid("must not be empty")
            return result
        raise Invalid(f"expected text or a mapping of locale to text, got {describe(value)}")

    def json_schema(self) -> JSON:
        return self._schema(
            {
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "minProperties": 1,
                        "propertyNames": {"enum": ["zh-Hans", "zh-Hant", "en"]},
                        "additionalProperties": {"type": "string", "minLength": 1},
                    },
                ]
            }
        )


class Integer(Field):
    type_name = "whole number"

    def __init__(self, *, min: int | None = None, max: int | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.min, self.max = min, max

    accepts: tuple[type, ...] = (int,)
    expected = "a whole number"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, self.accepts):
            raise Invalid(f"expected {self.expected}, got {describe(value)}")
        number = cast(float, value)
        if self.min is not None and number < self.min:
            raise Invalid(f"{value} is below the minimum {self.min}")
        if self.max is not None and number > self.max:
            raise Invalid(f"{value} is above the maximum {self.max}")
        return value

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "integer"}
        if self.min is not None:
            schema["minimum"] = self.min
        if self.max is not None:
            schema["maximum"] = self.max
        return self._schema(schema)


class Number(Integer):
    type_name = "number"
    accepts = (int, float)
    expected = "a number"

    def json_schema(self) -> JSON:
        schema = super().json_schema()
        schema["type"] = "number"
        return schema


class Boolean(Field):
    type_name = "yes/no"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, got {describe(value)}")
        return value

    def json_schema(self) -> JSON:
        return self._schema({"type": "boolean"})


class Enum(Field):
    type_name = "one of a list"

    def __init__(self, values: Sequence[str], **kw: Any) -> None:
        super().__init__(**kw)
        self.values = list(values)

    def parse(self, value: Any, mark: Mark, ctx: Context) -> str:
        if isinstance(value, bool | int | float):
            value = str(value).lower() if isinstance(value, bool) else str(value)
        if value not in self.values:
            choices = ", ".join(f'"{v}"' for v in self.values)
            hint = did_you_mean(str(value), self.values) if isinstance(value, str) else ""
            raise Invalid(f"{describe(value)} is not one of {choices}{hint}")
        return str(value)

    def json_schema(self) -> JSON:
        return self._schema({"enum": list(self.values)})


class Date(Field):
    type_name = "date"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise Invalid(f"expected a date as YYYY-MM-DD, got {describe(value)}")

    def json_schema(self) -> JSON:
        return self._schema({"type": "string", "format": "date"})


_PHONE = re.compile(r"\+?[0-9][0-9 ()\-#*]{2,30}(?:\s*(?:ext\.?|轉|转|分机|分機)\s*[0-9]{1,6})?")


class Phone(Field):
    type_name = "phone number"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _PHONE.fullmatch(value.strip()):
            raise Invalid(f'expected a phone number such as "0755-12345678", got {describe(value)}')
        return value.strip()

    def json_schema(self) -> JSON:
        return self._schema({"type": ["string", "integer"]})


_URL = re.compile(r"https?://[^\s/$.?#][^\s]*")


class Url(Field):
    type_name = "web address"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> str:
        if not isinstance(value, str) or not re.fullmatch(
            r"https?://[^\s/$.?#][^\s]*", value.strip()
        ):
            raise Invalid(f"expected a web address starting with https://, got {describe(value)}")
        return value.strip()

    def json_schema(self) -> JSON:
        return self._schema({"type": "string", "format": "uri", "pattern": "^https?://"})


class Image(Field):
    """A path, relative to the content folder, of an image file that must exist."""

    type_name = "image"
    suffixes = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif")

    def parse(self, value: Any, mark: Mark, ctx: Context) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Invalid(f"expected the path of an image file, got {describe(value)}")
        rel = value.strip().lstrip("/")
        if ".." in Path(rel).parts or not rel.lower().endswith(self.suffixes):
            raise Invalid(f'"{value}" is not an image path inside the content folder')
        if ctx.content_root is not None and not (ctx.content_root / rel).is_file():
            raise Invalid(f'image file "{rel}" not found in {ctx.content_root.name}/')
        return rel

    def json_schema(self) -> JSON:
        # No inline (?i) flag: editors' ECMAScript regular expressions do not have it.
        return self._schema(
            {
                "type": "string",
                "pattern": r"\.([jJ][pP][eE]?[gG]|[pP][nN][gG]|"
                r"[wW][eE][bB][pP]|[gG][iI][fF]|[sS][vV][gG]|[aA][vV][iI][fF])$",
            }
        )


class ListOf(Field):
    type_name = "list"

    def __init__(
        self, item: Field, *, min_items: int = 0, max_items: int | None = None, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.item, self.min_items, self.max_items = item, min_items, max_items

    def parse(self, value: Any, mark: Mark, ctx: Context) -> list[Any]:
        if not isinstance(value, LocatedList):
            if self.min_items <= 1 and not isinstance(value, dict) and value is not None:
                value_list = LocatedList(mark)  # a single item may be written without a list
                value_list.append(value)
                value_list.item_marks.append(mark)
                value = value_list
            else:
                raise Invalid(f"expected a list, got {describe(value)}")
        if len(value) < self.min_items:
            raise Invalid(f"expected at least {self.min_items} items, got {len(value)}")
        if self.max_items is not None and len(value) > self.max_items:
            raise Invalid(f"expected at most {self.max_items} items, got {len(value)}")
        result = []
        for index, item in enumerate(value):
            item_mark = value.item_mark(index)
            try:
                result.append(self.item.parse(item, item_mark, ctx))
            except Invalid as exc:
                raise Invalid(f"item {index + 1}: {exc.message}", exc.mark or item_mark) from None
        return result

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return self._schema(schema)


class LngLat(Field):
    """A ``[lng, lat]`` pair of numbers (checked against the globe; bounds come later)."""

    type_name = "location"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> tuple[float, float]:
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise Invalid(f"expected [longitude, latitude] as two numbers, got {describe(value)}")
        lng, lat = float(value[0]), float(value[1])
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            if -180 <= lat <= 180 and -90 <= lng <= 90:
                raise Invalid(swapped_message(value[0], value[1]))
            raise Invalid(f"[{value[0]}, {value[1]}] is not a longitude and latitude")
        return lng, lat

    def json_schema(self) -> JSON:
        return self._schema(
            {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": [
                    {"type": "number", "minimum": -180, "maximum": 180},
                    {"type": "number", "minimum": -90, "maximum": 90},
                ],
            }
        )


def swapped_message(first: object, second: object) -> str:
    """The message for a ``[lat, lng]`` pair written where ``[lng, lat]`` belongs."""
    return (
        f"[{first}, {second}] has longitude and latitude swapped; "
        f"write [{second}, {first}] (longitude first)"
    )


class Custom(Field):
    """A field checked by a plain function ``(value) -> parsed`` that raises ``Invalid``."""

    def __init__(
        self, check: Callable[[Any], Any], schema: JSON, type_name: str, **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.check, self.schema, self.type_name = check, schema, type_name

    def parse(self, value: Any, mark: Mark, ctx: Context) -> Any:
        return self.check(value)

    def json_schema(self) -> JSON:
        return self._schema(dict(self.schema))


@dataclass
class Record(Field):
    """A mapping with named fields; every problem inside it goes to the report."""

    fields: Mapping[str, Field] = field(default_factory=dict)
    what: str = "field"
    extra: Field | None = None  # type of keys not in ``fields``; None = unknown keys are errors
    required: bool = False
    default: Any = None
    doc: str = ""
    prefix: str = ""  # e.g. "map." so nested problems read "map.zoom: ..."

    type_name = "mapping"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> dict[str, Any] | None:
        if not isinstance(value, LocatedDict):
            raise Invalid(f"expected a mapping, got {describe(value)}")
        return self.parse_items(value, ctx, prefix=self.prefix)

    def parse_items(
        self,
        data: LocatedDict,
        ctx: Context,
        prefix: str = "",
        context: str = "",
        skip: frozenset[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """Check every key; returns the parsed values, or None if anything was wrong."""
        before = len(ctx.report.errors)
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key in skip:
                continue
            fld = self.fields.get(key) if isinstance(key, str) else None
            if fld is None and self.extra is None:
                hint = did_you_mean(str(key), list(self.fields))
                ctx.report.error(
                    data.key_mark(key), f'unknown {self.what} "{prefix}{key}"{context}{hint}'
                )
                continue
            fld = fld or self.extra
            assert fld is not None
            vmark = data.value_mark(key)
            try:
                out[key] = fld.parse(value, vmark, ctx)
            except Invalid as exc:
                ctx.report.error(exc.mark or vmark, f"{prefix}{key}: {exc.message}")
        for key, fld in self.fields.items():
            if key in data or key in skip:
                continue
            if fld.required:
                ctx.report.error(
                    data.mark, f'missing required {self.what} "{prefix}{key}"{context}'
                )
            elif fld.default is not None:
                out[key] = fld.default
        return out if len(ctx.report.errors) == before else None

    def json_schema(self) -> JSON:
        schema: JSON = {
            "type": "object",
            "properties": {k: f.json_schema() for k, f in self.fields.items()},
            "additionalProperties": self.extra.json_schema() if self.extra else False,
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        return self._schema(schema)
