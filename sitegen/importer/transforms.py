"""Value transforms of a mapping file: each turns one field's value into the next."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .osm_hours import normalize_hours


@dataclass(frozen=True)
class Flag:
    """A value a transform could not use: the field is left out and the row flagged."""

    reason: str
    detail: str


Result = Any  # the new value; None drops the field; a Flag drops it and flags the row


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
            return Flag("not a whole number (left out)", str(text))
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
        return Flag("not a whole number (left out)", str(value))
    low, high = opts.get("min"), opts.get("max")
    if (low is not None and number < low) or (high is not None and number > high):
        return Flag(f"outside {low}..{high} (left out)", str(number))
    return number


def _date(value: Any, enabled: bool) -> Result:
    if not enabled or isinstance(value, dt.date):
        return value
    try:
        # ISO timestamps such as 2015-08-31T00:00:00+08:00 keep their local date
        return dt.datetime.fromisoformat(str(value)).date()
    except ValueError:
        return Flag("not a date (left out)", str(value))


def _hours(value: Any, enabled: bool) -> Result:
    if not enabled:
        return value
    hours = normalize_hours(str(value))
    return Flag("unparseable hours (left out)", str(value)) if hours is None else hours


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
    "date": _date,
    "hours": _hours,
    "drop": _drop,
}


def apply(value: Any, transforms: tuple[dict[str, Any], ...]) -> Result:
    """Run the transforms in order; stops at the first None (dropped) or Flag."""
    for transform in transforms:
        ((name, opts),) = transform.items()
        value = TRANSFORMS[name](value, opts)
        if value is None or value == "" or isinstance(value, Flag):
            return value or None
    return value
