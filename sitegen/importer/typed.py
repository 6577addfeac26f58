"""Typed import: every value is checked by the parser ``sitegen check`` uses for its field.

Source text is first read as the field's type where there is only one reading ("12" for a
whole number, "2015-08-31T00:00:00+08:00" for a date, 12 for a phone number); what the
parser then rejects is left out with the reason, so a written card always passes the check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from sitegen.errors import Mark
from sitegen.importer.target import FieldType
from sitegen.importer.transforms import Flag, shown
from sitegen.source import schema as s
from sitegen.source.located import LocatedDict, LocatedList

_INT = re.compile(r"[+-]?\d+(?:\.0*)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def located(value: Any, mark: Mark) -> Any:
    """A plain value as the YAML loader would give it: mappings and lists with marks."""
    if isinstance(value, dict):
        out = LocatedDict(mark)
        for key, item in value.items():
            out[key] = located(item, mark)
            out.key_marks[key] = out.value_marks[key] = mark
        return out
    if isinstance(value, list):
        items = LocatedList(mark)
        for item in value:
            items.append(located(item, mark))
            items.item_marks.append(mark)
        return items
    return value


def _as_text(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return Flag(f"expected text, got {s.describe(value)}", shown(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_number(value: Any, whole: bool) -> Any:
    kind = "a whole number" if whole else "a number"
    if isinstance(value, str):
        text = value.strip()
        if _THOUSANDS.fullmatch(text):  # 1,234
            text = text.replace(",", "")
        if not (_INT if whole else _NUMBER).fullmatch(text):
            return Flag(f"not {kind}", shown(value))
        value = float(text) if "." in text else int(text)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return Flag(f"not {kind}", shown(value))
    if whole and isinstance(value, float):
        return int(value) if value.is_integer() else Flag(f"not {kind}", shown(value))
    return value


def _as_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return Flag("not true or false; convert it with {bool: true} or {map: …}", shown(value))


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip()).date()
    except ValueError:
        return Flag(
            "not a date (YYYY-MM-DD); give its format with {date: {format: …}}", shown(value)
        )


def coerce(value: Any, kind: str) -> Any:
    """The value read as the field's type where that reading is the only one, else a Flag."""
    if kind in ("text", "ltext", "hours", "url", "image"):
        return _as_text(value) if kind != "ltext" or not isinstance(value, dict) else value
    if kind in ("int", "number"):
        return _as_number(value, kind == "int")
    if kind == "bool":
        return _as_bool(value)
    if kind == "date":
        return _as_date(value)
    if kind == "phone" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _reason(kind: str, field: s.Field, value: Any, exc: s.Invalid) -> str:
    """What was wrong with a value, in words that do not repeat the value itself."""
    if isinstance(field, s.Integer) and isinstance(value, int | float):
        if field.min is not None and value < field.min:
            return f"below the minimum {field.min}"
        if field.max is not None and value > field.max:
            return f"above the maximum {field.max}"
    if isinstance(field, s.Enum):
        choices = ", ".join(f'"{v}"' for v in field.values)
        hint = s.did_you_mean(str(value), field.values)
        return f"not one of {choices}{hint}; convert it with {{map: …}}"
    return {
        "hours": "unparseable hours",
        "phone": "not a phone number",
        "url": "not a web address (http:// or https://)",
    }.get(kind, exc.message)


def check_value(value: Any, kind: str, field: s.Field, ctx: s.Context, mark: Mark) -> Any:
    """The value to write, or a Flag saying why the field's parser rejects it."""
    if kind == "ltext" and isinstance(value, dict):
        texts = {locale: _as_text(text) for locale, text in value.items()}
        bad = next((text for text in texts.values() if isinstance(text, Flag)), None)
        if bad is not None:
            return bad
        value = texts
    else:
        value = coerce(value, kind)
        if isinstance(value, Flag):
            return value
    try:
        parsed = field.parse(located(value, mark), mark, ctx)
    except s.Invalid as exc:
        return Flag(_reason(kind, field, value, exc), shown(value))
    return parsed if kind == "enum" else value


def convert(value: Any, ftype: FieldType, ctx: s.Context, mark: Mark) -> tuple[Any, list[Flag]]:
    """A field's value checked against its type: (value or None, the flags it raised)."""
    if ftype.kind == "list":
        assert isinstance(ftype.field, s.ListOf)
        kept, flags = [], []
        for item in value if isinstance(value, list) else [value]:
            result = check_value(item, ftype.item, ftype.field.item, ctx, mark)
            if isinstance(result, Flag):
                flags.append(result)
            elif result not in kept:
                kept.append(result)
        return (kept or None), flags
    if isinstance(value, list):
        if len(value) != 1:
            return None, [
                Flag(
                    f"{len(value)} values for a field that holds one; "
                    "pick one with extract, or make it a list field",
                    shown(value),
                )
            ]
        value = value[0]
    result = check_value(value, ftype.kind, ftype.field, ctx, mark)
    return (None, [result]) if isinstance(result, Flag) else (result, [])
