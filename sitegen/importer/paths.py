"""Paths into nested source data: ``properties.isOpen24h``, ``photos[0].url``, ``tel[*]``.

A path is matched against the keys as they are first, so a column whose name holds a dot
(``No. of seats``) is still found; only then is it split at a dot or a bracket. ``[N]`` picks
one item of a list, ``[*]`` every item (the value is then a list).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any


class _Missing:
    """No value at a path (distinct from a JSON null, which is a value that is empty)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_INDEX = re.compile(r"\[(\d+|\*)\]")


def lookup(data: Any, path: str) -> Any:
    """The value at ``path`` in ``data``, or ``MISSING``."""
    if isinstance(data, dict):
        if path in data:
            return data[path]
        for cut in _cuts(path):
            head, rest = path[:cut], path[cut:].removeprefix(".")
            if head in data:
                found = lookup(data[head], rest) if rest else data[head]
                if found is not MISSING:
                    return found
        return MISSING
    if isinstance(data, list):
        match = _INDEX.match(path) or re.match(r"(\d+)(?=\.|\[|$)", path)
        if not match:
            return MISSING
        rest = path[match.end() :].removeprefix(".")
        if match.group(1) == "*":
            items = [lookup(item, rest) if rest else item for item in data]
            return [item for item in items if item is not MISSING]
        index = int(match.group(1))
        if index >= len(data):
            return MISSING
        return lookup(data[index], rest) if rest else data[index]
    return MISSING


def _cuts(path: str) -> Iterator[int]:
    """Places where a path may be split into a key and the rest, longest key first."""
    places = [m.start() for m in re.finditer(r"\.|\[", path)]
    return reversed([p for p in places if p > 0])


def paths_of(data: Any, prefix: str = "") -> Iterator[str]:
    """Every path in ``data``: keys, nested keys and the first item of each list."""
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from paths_of(value, path)
    elif isinstance(data, list) and data and isinstance(data[0], dict | list):
        yield from paths_of(data[0], f"{prefix}[0]")


def available(rows: Iterable[Any]) -> list[str]:
    """The paths found in any of the rows, in the order they were first seen."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(paths_of(row)))
    return list(seen)
