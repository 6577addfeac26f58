"""Typed fields: each turns a located YAML value into a checked Python value.

A field raises ``Invalid`` with a message shown as ``path:line:col: name: message``, and
describes itself as JSON Schema, so editors and the build agree. The scalar fields are
here; lists, positions and whole mappings are in ``records``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sitegen.errors import Mark, Report
from sitegen.source.located import LocatedDict

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
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, int | float):
        text = str(value)
        return f"the number {text}" if len(text) <= 40 else f"a number of {len(text)} digits"
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


MAX_PATH = 300  # characters of a file path
MAX_TEXT = 2_000  # characters of a text field, unless the field says otherwise
# C0 and C1 control characters but tab and line breaks: invisible, and invalid in HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def checked_text(value: str, max_length: int = MAX_TEXT) -> str:
    """``value`` stripped, or Invalid when it is empty, too long or holds a control character."""
    text = value.strip()
    if not text:
        raise Invalid("must not be empty")
    if len(text) > max_length:
        raise Invalid(f"is {len(text):,} characters long; at most {max_length:,} are allowed")
    control = _CONTROL.search(text)
    if control:
        raise Invalid(
            f"contains the control character U+{ord(control.group()):04X}, which cannot be "
            "shown; remove it"
        )
    return text


class Text(Field):
    type_name = "text"

    def __init__(
        self,
        *,
        pattern: str | None = None,
        pattern_doc: str = "",
        max_length: int = MAX_TEXT,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_doc = pattern_doc
        self.max_length = max_length

    def parse(self, value: Any, mark: Mark, ctx: Context) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected text, got {describe(value)}")
        text = checked_text(value, self.max_length)
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

    def __init__(self, *, max_length: int = MAX_TEXT, **kw: Any) -> None:
        super().__init__(**kw)
        self.max_length = max_length

    def parse(self, value: Any, mark: Mark, ctx: Context) -> dict[str, str]:
        if isinstance(value, str):
            return {"": checked_text(value, self.max_length)}  # "": the source locale
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
                try:
                    result[key] = checked_text(text, self.max_length)
                except Invalid as exc:
                    raise Invalid(f"{key}: {exc.message}", value.value_mark(key)) from None
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

    def __init__(self, *, min: float | None = None, max: float | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.min, self.max = min, max

    accepts: tuple[type, ...] = (int,)
    expected = "a whole number"

    def parse(self, value: Any, mark: Mark, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, self.accepts):
            raise Invalid(f"expected {self.expected}, got {describe(value)}")
        if isinstance(value, float) and not math.isfinite(value):
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
        parts = Path(rel).parts
        if len(rel) > MAX_PATH or any(len(part.encode()) > 200 for part in parts):
            raise Invalid(f"{describe(value)} is too long for a file path")
        if ".." in parts or not rel.lower().endswith(self.suffixes) or _CONTROL.search(rel):
            raise Invalid(f'"{value}" is not an image path inside the content folder')
        if ctx.content_root is not None:
            root = ctx.content_root.resolve()
            try:
                real = (root / rel).resolve()
                found = real.is_file()
            except OSError:
                found = False
            if not found:
                raise Invalid(f'image file "{rel}" not found in {ctx.content_root.name}/')
            if not real.is_relative_to(root):
                raise Invalid(
                    f'image file "{rel}" is a link to a file outside {ctx.content_root.name}/; '
                    "copy the file itself into the content folder"
                )
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
