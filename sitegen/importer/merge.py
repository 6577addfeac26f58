"""Merging rows of one facility into one card, and the stable ids of cards."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from sitegen.errors import SitegenError
from sitegen.importer.mapping import Mapping
from sitegen.importer.report import Summary
from sitegen.importer.rows import Draft, LText
from sitegen.importer.state import plain
from sitegen.importer.target import FieldType
from sitegen.importer.transforms import shown

_SPACES = re.compile(r"\s+")


def name_text(name: LText, locale: str) -> str:
    """The name in one language (the given locale, else the first one the card has)."""
    if isinstance(name, str):
        return name
    return name.get(locale) or next(iter(name.values()))


def _label_match(name: str, pattern: re.Pattern[str], at: str) -> re.Match[str] | None:
    """The label a pattern finds: ending the name (``end``) or its last match (``last``).

    An empty match is no label: it would stop the labels after it from being tried.
    """
    found = [m for m in pattern.finditer(name) if m.end() > m.start()]
    if at == "end":
        found = [m for m in found if m.end() == len(name)][:1]
    return found[-1] if found else None


def split_label(name: str, mapping: Mapping) -> tuple[str, dict[str, bool]]:
    """Remove a label (e.g. a room of a building) from a name; its flags come from the label.

    Labels are tried in order; ``at: end`` must end the name, ``at: last`` takes the last match
    anywhere. The base name is never empty: a name that is all label stays as it is.
    """
    for pattern, at in mapping.labels:
        match = _label_match(name, pattern, at)
        if match is None:
            continue
        head, tail = name[: match.start()], name[match.end() :]
        # keep words apart: "1F" + "A" must not become "1FA"
        glue = " " if head[-1:].isalnum() and tail[:1].isalnum() and tail[:1].isascii() else ""
        base = head + glue + tail
        flags = {flag: True for flag, rx in mapping.flags.items() if rx.search(match.group())}
        return (_SPACES.sub(" ", base).strip() or name), flags
    return name, {}


def split_labels(name: LText, mapping: Mapping) -> tuple[LText, dict[str, bool]]:
    """``split_label`` for a name in one or several languages; flags from any of them."""
    if isinstance(name, str):
        return split_label(name, mapping)
    flags: dict[str, bool] = {}
    out = {}
    for locale, text in name.items():
        out[locale], found = split_label(text, mapping)
        flags.update(found)
    return out, flags


def _name_key(name: LText) -> Hashable:
    return name if isinstance(name, str) else tuple(sorted(name.items()))


def _texts(value: Any, locale: str) -> dict[str, str]:
    return {locale: value} if isinstance(value, str) else dict(value)


def _fold_texts(first: Draft, key: str, value: Any, locale: str) -> str:
    """Fold localized text: languages the card lacks are filled in; returns what differs."""
    mine, theirs = _texts(first.data[key], locale), _texts(value, locale)
    differ = {lo: text for lo, text in theirs.items() if lo in mine and mine[lo] != text}
    mine.update((lo, text) for lo, text in theirs.items() if lo not in mine)
    first.data[key] = mine[locale] if list(mine) == [locale] else mine
    return ", ".join(f"{lo}: {shown(text)}, kept {shown(mine[lo])}" for lo, text in differ.items())


def _fold(
    first: Draft, card: Draft, types: dict[str, FieldType], locale: str, summary: Summary
) -> None:
    """Fold a later row's values into the card: lists joined, true flags OR-ed, gaps filled;
    any other value that differs is reported, and the first row's is kept."""
    file, row = card.rows[0]
    for key, value in card.data.items():
        mine = first.data.get(key)
        kind = types[key].kind if key in types else ""
        differ = ""
        if kind == "list" and isinstance(mine, list):
            first.data[key] = mine + [item for item in value if item not in mine]
        elif mine is None or (value is True and mine is False):
            first.data[key] = value
        elif kind == "ltext":
            differ = _fold_texts(first, key, value, locale)
        elif plain(mine) != plain(value) and not (kind == "bool" and mine is True):
            differ = f"{shown(value)}, kept {shown(mine)}"
        if differ:
            reason = f"{key}: differs from the row it was merged into (that row's value kept)"
            summary.flag(file, row, reason, differ, key)


def merge(
    cards: Sequence[Draft], types: dict[str, FieldType], locale: str, summary: Summary
) -> list[Draft]:
    """One card per (name, point): lists joined, true flags OR-ed, else the first row wins."""
    merged: dict[tuple[Hashable, float, float], Draft] = {}
    for card in cards:
        first = merged.setdefault((_name_key(card.name), card.lng, card.lat), card)
        if first is card:
            continue
        _fold(first, card, types, locale, summary)
        first.rows.extend(card.rows)
        summary.merged_rows += 1
        file, row = card.rows[0]
        summary.flag(file, row, "duplicate point and name: merged into an earlier row")
    return list(merged.values())


def stable_key(card: Draft, key: Sequence[str], locale: str = "") -> str:
    """What a card's id is hashed from (by default its name and point)."""
    parts = []
    for item in key:
        if item == "name":
            parts.append(name_text(card.name, locale))
        elif item == "location":
            parts.append(f"{card.lng:.6f}|{card.lat:.6f}")
        elif item in card.keys:
            parts.append(card.keys[item])
        else:
            value = card.data.get(item, "")
            parts.append(value if isinstance(value, str) else shown(value) if value else "")
    return "|".join(parts)


def _clashes(cards: Sequence[Draft], digests: Sequence[str], mapping: Mapping, locale: str) -> str:
    groups: defaultdict[str, list[Draft]] = defaultdict(list)
    for card, digest in zip(cards, digests, strict=True):
        groups[digest].append(card)
    clashes = [group for group in groups.values() if len(group) > 1]
    lines = [f"id.key [{', '.join(mapping.key)}]: {len(clashes)} keys are shared by several cards:"]
    for group in clashes[:10]:
        rows = ", ".join(f"{file} row {row}" for card in group for file, row in card.rows[:1])
        names = " · ".join(name_text(card.name, locale) for card in group)
        lines.append(f'  "{stable_key(group[0], mapping.key, locale)}": {rows} ({names})')
    lines.append("  add to id.key a field or column that tells them apart")
    return "\n".join(lines)


def assign_ids(cards: Sequence[Draft], mapping: Mapping, locale: str = "") -> None:
    """prefix + first 6 hex of sha1(stable key); every card in a collision gets 8 (then 10...)."""
    keys = [stable_key(card, mapping.key, locale) for card in cards]
    digests = [hashlib.sha1(key.encode()).hexdigest() for key in keys]
    if len(set(digests)) != len(cards):
        raise SitegenError(_clashes(cards, digests, mapping, locale))
    length = [6] * len(cards)
    while True:
        taken = Counter(d[:n] for d, n in zip(digests, length, strict=True))
        clashing = [i for i, d in enumerate(digests) if taken[d[: length[i]]] > 1]
        if not clashing:
            break
        for index in clashing:
            length[index] += 2
    for card, digest, n in zip(cards, digests, length, strict=True):
        card.id = f"{mapping.prefix}-{digest[:n]}"
