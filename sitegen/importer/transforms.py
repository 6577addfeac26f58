"""Value transforms of a mapping file: each turns one field's value into the next.

A list value (a JSON array, or text after ``split``) is transformed item by item.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.importer.html import decode_entities, html_to_text
from sitegen.importer.osm_hours import normalize_hours


@dataclass(frozen=True)
class Flag:
    """A value that could not be used: the field is left out and the row flagged.

    ``reason`` says what is wrong ("unparseable hours"); ``detail`` is the value.
    """

    reason: str
    detail: str


Result = Any  # the new value; None drops the field; a Flag drops it and flags the row

# Spellings of yes and no in real exports (compared in lower case, trimmed).
YES = ("1", "y", "yes", "true", "t", "是", "有", "設有", "设有", "✓", "✔")
NO = ("0", "n", "no", "false", "f", "否", "無", "无", "沒有", "没有", "✗", "✘")


def shown(value: Any) -> str:
    """A value as a message shows it: text in quotes, so spaces at the ends are visible."""
    if isinstance(value, str):
        return '"' + value.replace("\n", "\\n") + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {shown(item)}" for key, item in value.items()) + "}"
    return str(value)


def _strip_prefix(value: Any, prefix: str) -> Result:
    return str(value).removeprefix(prefix).strip()


def _strip_suffix(value: Any, suffix: str) -> Result:
    return str(value).removesuffix(suffix).strip()


def _replace(value: Any, opts: dict[str, Any]) -> Result:
    pattern: re.Pattern[str] = opts["pattern"]
    return pattern.sub(opts["with"], str(value)).strip()


def _extract(value: Any, opts: dict[str, Any]) -> Result:
    match = opts["pattern"].search(str(value))
    kind = opts["as"]
    if match is None:
        return None
    if kind == "bool":
        return True
    text = (
        opts["template"].format(match.group(0), *match.groups())
        if "template" in opts
        else (match.group(opts["group"]))
    )
    if kind == "int":
        try:
            return int(text)
        except (TypeError, ValueError):
            return Flag("not a whole number", shown(text))
    return text


def _map(value: Any, table: dict[str, Any]) -> Result:
    key = str(value).lower() if isinstance(value, bool) else str(value)
    return table.get(key, value)


def _suffix_if_missing(value: Any, suffix: str) -> Result:
    text = str(value)
    return text if text.endswith(suffix) else text + suffix


def _int(value: Any, opts: dict[str, Any]) -> Result:
    try:
        number = int(str(value).strip())
    except ValueError:
        return Flag("not a whole number", shown(value))
    low, high = opts.get("min"), opts.get("max")
    if (low is not None and number < low) or (high is not None and number > high):
        return Flag(f"outside {low}..{high}", str(number))
    return number


def _bool(value: Any, opts: dict[str, tuple[str, ...]]) -> Result:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES or text in opts.get("yes", ()):
        return True
    if text in NO or text in opts.get("no", ()):
        return False
    return Flag("not yes or no", shown(value))


def _date(value: Any, opts: dict[str, str] | bool) -> Result:
    if opts is False or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = str(value).strip()
    try:
        if isinstance(opts, dict):
            return dt.datetime.strptime(text, opts["format"]).date()
        # ISO timestamps such as 2015-08-31T00:00:00+08:00 keep their local date
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return Flag("not a date", shown(value))


def _hours(value: Any, enabled: bool) -> Result:
    if not enabled:
        return value
    hours = normalize_hours(str(value))
    return Flag("unparseable hours", shown(value)) if hours is None else hours


def _html(value: Any, mode: str) -> Result:
    if not isinstance(value, str):
        return value
    return html_to_text(value) if mode == "text" else decode_entities(value)


def _split(value: Any, pattern: re.Pattern[str]) -> Result:
    return [part.strip() for part in pattern.split(str(value)) if part.strip()]


def _drop(value: Any, values: list[Any]) -> Result:
    return None if value in values or str(value) in map(str, values) else value


TRANSFORMS: dict[str, Callable[[Any, Any], Result]] = {
    "strip_prefix": _strip_prefix,
    "strip_suffix": _strip_suffix,
    "replace": _replace,
    "extract": _extract,
    "map": _map,
    "suffix_if_missing": _suffix_if_missing,
    "int": _int,
    "bool": _bool,
    "date": _date,
    "hours": _hours,
    "html": _html,
    "split": _split,
    "drop": _drop,
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _each(items: list[Any], name: str, opts: Any) -> Result:
    """A transform applied to every item of a list; empty results are left out."""
    out: list[Any] = []
    for item in items:
        result = TRANSFORMS[name](item, opts)
        if isinstance(result, Flag):
            return result
        if isinstance(result, list):
            out.extend(result)
        elif not _empty(result):
            out.append(result)
    return out


def apply(value: Any, transforms: tuple[dict[str, Any], ...]) -> Result:
    """Run the transforms in order; stops at the first empty value (dropped) or Flag."""
    for transform in transforms:
        ((name, opts),) = transform.items()
        if isinstance(value, dict):
            return Flag("an object, not a value: name a path inside it", shown(value))
        if isinstance(value, list):
            value = _each(value, name, opts)
        else:
            value = TRANSFORMS[name](value, opts)
        if _empty(value) or isinstance(value, Flag):
            return None if _empty(value) else value
    return value
