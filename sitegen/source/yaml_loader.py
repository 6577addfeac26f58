"""The YAML loader behind ``located.parse_yaml``: YAML 1.2 scalars, safe tags only, and limits.

YAML 1.1 reads ``off``/``no`` as false, ``6:00`` as the number 360 and ``010`` as 8; in
opening hours and Chinese place data all three are common, so scalars follow YAML 1.2's core
schema: only ``true``/``false`` are booleans, ``010`` is ten, ``0o10`` is eight. Only plain
data is constructed (text, numbers, booleans, null, dates, lists, mappings); any other tag is
a problem at its place. Before anything is constructed the document is measured, so a file
cannot make the build slow or deep: nesting, the values its aliases expand to, and the
length of one text are bounded.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from sitegen.errors import Mark, Report

MAX_DEPTH = 64  # lists and mappings inside each other
MAX_VALUES = 500_000  # values of a document with its aliases expanded (a "billion laughs")
MAX_TEXT = 1_000_000  # characters of one scalar
MAX_DIGITS = 100  # digits of one number

try:  # libyaml's C parser; the pure-Python one is ~10x slower on a city's worth of cards
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SAFE_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class LocatedLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader with YAML 1.2 scalars, limits, and located containers (see ``located``)."""

    path = "<string>"
    line_offset = 0
    report: Report | None = None
    map_type: Any = dict  # set by ``located`` to LocatedDict
    seq_type: Any = list  # set by ``located`` to LocatedList

    def mark(self, node: yaml.Node) -> Mark:
        m = node.start_mark
        # A quoted scalar's mark points at its first character, not at the quote, so that
        # a column inside the value (an opening-hours error, say) can be added to it.
        quoted = isinstance(node, yaml.ScalarNode) and node.style in ('"', "'")
        return Mark(self.path, m.line + 1 + self.line_offset, m.column + 1 + quoted)

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        measure(node)
        return self.construct_document(node)

    def construct_located_map(self, node: yaml.MappingNode) -> Any:
        data = self.map_type(self.mark(node))
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            if key in data and self.report is not None:
                first = data.key_marks[key]
                self.report.error(
                    self.mark(key_node),
                    f'duplicate key "{key}" (first written at line {first.line})',
                )
            data[key] = self.construct_object(value_node, deep=True)
            data.key_marks[key] = self.mark(key_node)
            data.value_marks[key] = self.mark(value_node)
        return data

    def construct_located_seq(self, node: yaml.SequenceNode) -> Any:
        data = self.seq_type(self.mark(node))
        for item in node.value:
            data.append(self.construct_object(item, deep=True))
            data.item_marks.append(self.mark(item))
        return data

    def construct_int(self, node: yaml.ScalarNode) -> int:
        text = self._number_text(node)
        if not _INT.fullmatch(text):
            raise _problem(node, f'"{text[:40]}" is not a whole number')
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)

    def construct_float(self, node: yaml.ScalarNode) -> float:
        text = self._number_text(node)
        if not _FLOAT.fullmatch(text):
            raise _problem(node, f'"{text[:40]}" is not a number')
        if text.lstrip("+-").lower() == ".inf":
            return float("-inf") if text.startswith("-") else float("inf")
        return float("nan") if text.lower() == ".nan" else float(text)

    def construct_bool(self, node: yaml.ScalarNode) -> bool:
        text = str(self.construct_scalar(node))
        if text not in _BOOL:
            raise _problem(node, f'"{text[:40]}" is not true or false')
        return _BOOL[text]

    def construct_date(self, node: yaml.ScalarNode) -> Any:
        # An impossible date such as 2025-13-01 stays text, so the field that expects a date
        # reports it at its place instead of the whole file failing to load.
        try:
            found: dt.date = yaml.SafeLoader.construct_yaml_timestamp(self, node)
        except (ValueError, TypeError, AttributeError):
            return self.construct_scalar(node)
        return found

    def construct_unsafe(self, node: yaml.Node) -> Any:
        raise _problem(
            node,
            f"the YAML tag {_short(node.tag)} is not supported here; "
            "write text, numbers, true/false, dates, lists and mappings",
        )

    def _number_text(self, node: yaml.ScalarNode) -> str:
        text = str(self.construct_scalar(node)).strip()
        digits = sum(char.isdigit() for char in text)
        if digits > MAX_DIGITS:
            raise _problem(node, f"a number of {digits} digits is too long (at most {MAX_DIGITS})")
        return text


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def _problem(node: yaml.Node, message: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


def measure(root: yaml.Node) -> None:
    """Refuse a document nested too deep, too long a text, or aliases that expand too far.

    Iterative, so that the measuring itself cannot overflow the stack; an alias that
    refers to itself is refused too. Name cards have no aliases: one quick walk shows that
    no node is reached twice and nothing is over a limit (a 1,000-card file: 0.04 s instead
    of 0.16 s); otherwise the exact walk finds the problem and its place.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        key = id(node)
        if key in seen or depth > MAX_DEPTH or len(seen) >= MAX_VALUES:
            break
        seen.add(key)
        value = node.value
        if isinstance(node, yaml.ScalarNode):
            if len(value) > MAX_TEXT:
                break
        elif isinstance(node, yaml.MappingNode):
            for pair in value:
                stack.append((pair[0], depth + 1))
                stack.append((pair[1], depth + 1))
        else:
            stack.extend((child, depth + 1) for child in value)
    else:
        return
    _measure_exactly(root)


def _measure_exactly(root: yaml.Node) -> None:
    expanded: dict[int, int] = {}  # node id -> values below it, aliases expanded
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            if expanded[key] > MAX_VALUES:
                raise _problem(node, f"aliases here expand to more than {MAX_VALUES:,} values")
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise _problem(node, "an alias refers to the value it is part of")
        if depth > MAX_DEPTH:
            raise _problem(node, f"lists and mappings are nested more than {MAX_DEPTH} deep")
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_TEXT:
            raise _problem(node, f"a text of {len(node.value):,} characters is too long")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


LocatedLoader.yaml_constructors = {
    "tag:yaml.org,2002:null": LocatedLoader.construct_yaml_null,
    "tag:yaml.org,2002:str": LocatedLoader.construct_yaml_str,
    "tag:yaml.org,2002:bool": LocatedLoader.construct_bool,
    "tag:yaml.org,2002:int": LocatedLoader.construct_int,
    "tag:yaml.org,2002:float": LocatedLoader.construct_float,
    "tag:yaml.org,2002:timestamp": LocatedLoader.construct_date,
    "tag:yaml.org,2002:map": LocatedLoader.construct_located_map,
    "tag:yaml.org,2002:seq": LocatedLoader.construct_located_seq,
    None: LocatedLoader.construct_unsafe,  # every other tag
}
assert set(LocatedLoader.yaml_constructors) - {None} == _SAFE_TAGS
# Replace the YAML 1.1 implicit resolvers for booleans, ints and floats with YAML 1.2's.
LocatedLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# The YAML 1.2 scalars sitegen reads: (tag, pattern, first characters). The importer's
# writer quotes any text these would read as something else.
SCALAR_RESOLVERS: tuple[tuple[str, re.Pattern[str], list[str]], ...] = (
    ("tag:yaml.org,2002:bool", re.compile("^(?:" + "|".join(_BOOL) + ")$"), list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(f"^(?:{_INT.pattern})$"), list("-+0123456789")),
    ("tag:yaml.org,2002:float", re.compile(f"^(?:{_FLOAT.pattern})$"), list("-+0123456789.")),
)
for _tag, _pattern, _first in SCALAR_RESOLVERS:
    LocatedLoader.add_implicit_resolver(_tag, _pattern, _first)
