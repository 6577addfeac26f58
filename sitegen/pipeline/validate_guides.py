"""Checking guides: front matter, entries that point at facilities, and translations."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.errors import Mark
from sitegen.pipeline.categories import ID_PATTERN, Hours
from sitegen.pipeline.load import GuideSource
from sitegen.source import schema as s
from sitegen.source.located import LocatedDict, LocatedList

ID = re.compile(ID_PATTERN)

_LINK = s.Record(
    what="link field",
    fields={
        "title": s.LocalizedText(required=True),
        "url": s.Url(required=True),
    },
)
_TRANSPORT = s.Record(
    what="transport field",
    fields={
        "from": s.LocalizedText(required=True),
        "text": s.LocalizedText(required=True),
    },
)
GUIDE_ENTRY = s.Record(
    what="entry field",
    fields={
        "facility": s.Text(required=True),
        "title": s.LocalizedText(),
        "note": s.LocalizedText(),
        "tags": s.ListOf(s.LocalizedText()),
        "fee": s.LocalizedText(),
        "hours": Hours(),
        "transport": s.ListOf(_TRANSPORT),
        "links": s.ListOf(_LINK),
    },
)
GUIDE = s.Record(
    what="guide setting",
    fields={
        "id": s.Text(pattern=ID_PATTERN, pattern_doc="a lowercase id"),
        "title": s.LocalizedText(required=True),
        "summary": s.LocalizedText(),
        "order": s.Integer(default=100),
        "entries": s.Custom(lambda v: v, {"type": "array"}, "entries"),  # checked one by one below
    },
)
GUIDE_TRANSLATION = s.Record(
    what="guide setting",
    fields={
        "title": s.Text(),
        "summary": s.Text(),
    },
)


@dataclass
class CheckedGuide:
    id: str
    values: dict[str, Any]
    entries: list[dict[str, Any]]
    body: str
    translations: dict[str, tuple[dict[str, Any], str]]
    mark: Mark


def check_guides(
    guides: list[GuideSource],
    ctx: s.Context,
    facility_ids: Mapping[str, Mark],
    written_ids: set[str],
) -> list[CheckedGuide]:
    """Every guide that passed, in file order; the problems of the others go to the report."""
    checked: list[CheckedGuide] = []
    facilities = _Facilities(facility_ids, written_ids)
    seen: dict[str, Mark] = {}
    for source in guides:
        values = GUIDE.parse_items(source.front, ctx)
        entries = _entries(source.front, ctx, facilities)
        translations = _translations(source, ctx)
        bodies = [(source.path, source.body, source.body_line)] + [
            (tr.path, tr.body, tr.body_line) for tr in source.translations.values()
        ]
        renderable = [_check_body(*body, ctx) for body in bodies]
        if values is None or entries is None or not all(renderable):
            continue
        guide_id = values.get("id") or source.stem
        if "id" not in values and not ID.fullmatch(guide_id):
            ctx.report.error(
                Mark(source.path),
                f'the file name "{guide_id}" cannot be the guide\'s address: name the file with '
                "lowercase letters, digits, - and _, or give the guide an id",
            )
            continue
        if guide_id in seen:
            ctx.report.error(
                source.front.mark,
                f'duplicate guide id "{guide_id}", first defined at {seen[guide_id]}',
            )
            continue
        seen[guide_id] = source.front.mark
        checked.append(
            CheckedGuide(guide_id, values, entries, source.body, translations, source.front.mark)
        )
    return checked


@dataclass
class _Facilities:
    """The card ids a guide entry may point at, and those written on cards with errors."""

    valid: Mapping[str, Mark]
    written: set[str]
    _sorted: list[str] | None = None

    def unknown(self, facility: str) -> str | None:
        """Why ``facility`` cannot be pointed at; "" when its card has errors of its own."""
        if facility in self.valid:
            return None
        if facility in self.written:
            return ""  # the card's own problems are reported already
        if self._sorted is None:
            self._sorted = sorted(self.valid)
        close = difflib.get_close_matches(facility, self._sorted, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        return f'unknown facility "{facility}"{hint}'


def _entries(
    front: LocatedDict, ctx: s.Context, facilities: _Facilities
) -> list[dict[str, Any]] | None:
    """The checked entries of a guide, or None if any is wrong (each problem reported)."""
    raw_entries = front.get("entries")
    if raw_entries is None:
        return []
    if not isinstance(raw_entries, LocatedList):
        ctx.report.error(front.value_mark("entries"), "entries: expected a list")
        return None
    entries: list[dict[str, Any]] | None = []
    for index, entry in enumerate(raw_entries):
        prefix = f"entries[{index + 1}]."
        if not isinstance(entry, LocatedDict):
            mark = raw_entries.item_mark(index)
            ctx.report.error(mark, f"entries[{index + 1}]: expected a mapping with a facility")
            entries = None
            continue
        parsed = GUIDE_ENTRY.parse_items(entry, ctx, prefix=prefix)
        why = None if parsed is None else facilities.unknown(parsed["facility"])
        if why:
            ctx.report.error(entry.value_mark("facility"), f"{prefix}facility: {why}")
        if parsed is None or why is not None:
            entries = None
        elif entries is not None:
            entries.append(parsed)
    return entries


def _translations(source: GuideSource, ctx: s.Context) -> dict[str, tuple[dict[str, Any], str]]:
    """Translated front matter and bodies by locale; those with bad front matter left out."""
    translations: dict[str, tuple[dict[str, Any], str]] = {}
    for locale, translation in sorted(source.translations.items()):
        front: dict[str, Any] | None = {}
        if translation.front is not None:
            if isinstance(translation.front, LocatedDict):
                front = GUIDE_TRANSLATION.parse_items(translation.front, ctx)
            else:
                ctx.report.error(Mark(translation.path), "front matter must be a mapping")
                front = None
        if front is not None:
            translations[locale] = (front, translation.body)
    return translations


# Python-Markdown slows down with the square of the brackets and tags of one block (2,000
# "[" take seconds): a guide is bounded so that rendering it stays well under a second.
MAX_BODY = 100_000  # characters of a guide's Markdown
MAX_BRACKETS = 500  # "[" in one paragraph, list or table
MAX_TAGS = 2_000  # "<" in one paragraph, list or table
_BLOCK_END = re.compile(r"\n[ \t]*\n")


def _check_body(path: str, body: str, first_line: int, ctx: s.Context) -> bool:
    """Whether a guide's Markdown can be rendered quickly; if not, say where and why."""
    if len(body) > MAX_BODY:
        ctx.report.error(
            Mark(path, first_line + 1),
            f"the guide's text is {len(body):,} characters long; at most {MAX_BODY:,} are "
            "allowed: split it into several guides",
        )
        return False
    blocks = [0] + [m.end() for m in _BLOCK_END.finditer(body)]
    ends = [m.start() for m in _BLOCK_END.finditer(body)] + [len(body)]
    for start, end in zip(blocks, ends, strict=True):
        block = body[start:end]
        for char, limit in (("[", MAX_BRACKETS), ("<", MAX_TAGS)):
            if block.count(char) > limit:
                line = first_line + body.count("\n", 0, start) + 1
                ctx.report.error(
                    Mark(path, line),
                    f'this paragraph holds {block.count(char):,} "{char}" (at most {limit:,} '
                    "in one paragraph, list or table): split it with blank lines",
                )
                return False
    return True
