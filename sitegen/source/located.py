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

from sitegen.errors import Mark, Report
from sitegen.source.yaml_loader import LocatedLoader


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


class YamlSyntaxError(Exception):
    """A file that is not valid YAML; carries the place the parser stopped."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def parse_yaml(text: str, path: str, report: Report, line_offset: int = 0) -> Any:
    """Parse YAML text into located values; any problem raises ``YamlSyntaxError``."""
    loader = LocatedLoader(text)
    loader.path = path
    loader.line_offset = line_offset
    loader.report = report
    try:
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:  # a control character: no mark, a position
        at = exc.position
        if isinstance(exc.name, str) and not isinstance(loader, yaml.SafeLoader):
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))  # libyaml: bytes
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlSyntaxError(
            Mark(path, line + line_offset, col),
            f"the control character U+{ord(char):04X} is not allowed in YAML; remove it",
        ) from None
    except yaml.constructor.ConstructorError as exc:  # a value the loader refuses
        m = exc.problem_mark
        mark = Mark(path, m.line + 1 + line_offset, m.column + 1) if m else Mark(path)
        raise YamlSyntaxError(mark, " ".join(str(exc.problem).split())) from None
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        mark = Mark(path, m.line + 1 + line_offset, m.column + 1) if m else Mark(path)
        problem = " ".join((exc.problem or exc.context or "invalid YAML").split())
        raise YamlSyntaxError(mark, f"YAML syntax error: {problem}") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Not expected (the loader checks what it constructs): still one clear line.
        message = " ".join(str(exc).split())[:200]
        raise YamlSyntaxError(Mark(path), f"YAML could not be read: {message}") from None
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
    its digest; the incremental build (sitegen/build/fingerprints.py) keys pages on it.
    """
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=12).hexdigest()


LocatedLoader.map_type = LocatedDict
LocatedLoader.seq_type = LocatedList
