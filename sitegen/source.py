"""YAML and front-matter reading that remembers where every value was written.

Mappings and sequences come back as ``LocatedDict`` / ``LocatedList``: ordinary
``dict``/``list`` objects that also carry the ``Mark`` of themselves, of each key and
of each value, so that every later error can name ``path:line:col``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Mark, Report

try:  # libyaml's C parser; the pure-Python one is ~10x slower on a city's worth of cards
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class LocatedDict(dict[Any, Any]):
    """A mapping that knows where it, its keys and its values were written."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[Any, Mark] = {}
        self.value_marks: dict[Any, Mark] = {}

    def key_mark(self, key: Any) -> Mark:
        return self.key_marks.get(key, self.mark)

    def value_mark(self, key: Any) -> Mark:
        return self.value_marks.get(key, self.mark)


class LocatedList(list[Any]):
    """A sequence that knows where it and each of its items were written."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []

    def item_mark(self, index: int) -> Mark:
        return self.item_marks[index] if 0 <= index < len(self.item_marks) else self.mark


def mark_of(value: Any, default: Mark) -> Mark:
    """The mark of a located container, or ``default`` for a scalar."""
    mark = getattr(value, "mark", None)
    return mark if isinstance(mark, Mark) else default


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader with YAML 1.2-style scalars and located containers.

    YAML 1.1 reads ``off``/``no`` as false and ``6:00`` as the number 360; in opening
    hours and Chinese place data both are common, so only ``true``/``false`` are
    booleans and base-60 numbers are not numbers.
    """

    path = "<string>"
    line_offset = 0
    report: Report | None = None

    def _mark(self, node: yaml.Node) -> Mark:
        m = node.start_mark
        # A quoted scalar's mark points at its first character, not at the quote, so that
        # a column inside the value (an opening-hours error, say) can be added to it.
        quoted = isinstance(node, yaml.ScalarNode) and node.style in ('"', "'")
        return Mark(self.path, m.line + 1 + self.line_offset, m.column + 1 + quoted)

    def construct_located_map(self, node: yaml.MappingNode) -> LocatedDict:
        data = LocatedDict(self._mark(node))
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            if key in data and self.report is not None:
                first = data.key_marks[key]
                self.report.error(
                    self._mark(key_node),
                    f'duplicate key "{key}" (first written at line {first.line})',
                )
            data[key] = self.construct_object(value_node, deep=True)
            data.key_marks[key] = self._mark(key_node)
            data.value_marks[key] = self._mark(value_node)
        return data

    def construct_located_seq(self, node: yaml.SequenceNode) -> LocatedList:
        data = LocatedList(self._mark(node))
        for item in node.value:
            data.append(self.construct_object(item, deep=True))
            data.item_marks.append(self._mark(item))
        return data


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2025-13-01 stays text, so the field that expects a date
    # reports it at its place instead of the whole file failing to load.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_seq)
# Replace the YAML 1.1 implicit resolvers for booleans, ints and floats.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


class YamlSyntaxError(Exception):
    """A file that is not valid YAML; carries the place the parser stopped."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def parse_yaml(text: str, path: str, report: Report, line_offset: int = 0) -> Any:
    """Parse YAML text into located values; syntax errors raise ``YamlSyntaxError``."""
    loader = _Loader(text)
    loader.path = path
    loader.line_offset = line_offset
    loader.report = report
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        mark = Mark(path, m.line + 1 + line_offset, m.column + 1) if m else Mark(path)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise YamlSyntaxError(mark, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        raise YamlSyntaxError(Mark(path), f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 content file (a leading BOM is tolerated)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(
            Mark(display), f"file is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``---`` front matter from a Markdown body.

    Returns the YAML text, the body, and the line number (0-based) where the body starts.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text, 0
    yaml_text = match.group(1) or ""
    body_start = text.count("\n", 0, match.end())
    return yaml_text, text[match.end() :], body_start


def source_digest(value: Any) -> str:
    """A short, stable digest of a parsed value: what was written, not where.

    Located mappings and lists print as plain ones, so moving a card inside its file keeps
    its digest; the incremental build (sitegen/incremental.py) keys pages on it.
    """
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=12).hexdigest()
