"""Merging rows of one facility into one card, and the stable ids of cards."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from .mapping import Mapping
from .report import Summary
from .rows import Draft

_SPACES = re.compile(r"\s+")


def split_label(name: str, mapping: Mapping) -> tuple[str, dict[str, bool]]:
    """Remove a label (e.g. a room of a building) from a name; its flags come from the label.

    Labels are tried in order; ``at: end`` must end the name, ``at: last`` takes the last match
    anywhere. The base name is never empty: a name that is all label stays as it is.
    """
    for pattern, at in mapping.labels:
        if at == "end":
            match = pattern.search(name)
            if not match or match.end() != len(name):
                continue
            base = name[: match.start()]
        else:
            matches = list(pattern.finditer(name))
            if not matches:
                continue
            match = matches[-1]
            head, tail = name[: match.start()], name[match.end() :]
            # keep words apart: "1F" + "A" must not become "1FA"
            glue = " " if head[-1:].isalnum() and tail[:1].isalnum() and tail[:1].isascii() else ""
            base = head + glue + tail
        label = match.group()
        flags = {flag: True for flag, rx in mapping.flags.items() if rx.search(label)}
        return (_SPACES.sub(" ", base).strip() or name), flags
    return name, {}


def merge(cards: Sequence[Draft], summary: Summary) -> list[Draft]:
    """One card per (name, point): true flags are OR-ed, otherwise the first row's value wins."""
    merged: dict[tuple[str, float, float], Draft] = {}
    for card in cards:
        first = merged.setdefault((card.name, card.lng, card.lat), card)
        if first is card:
            continue
        for key, value in card.data.items():
            if value is True or first.data.get(key) in (None, ""):
                first.data[key] = value
        first.rows.extend(card.rows)
        summary.merged_rows += 1
        file, row = card.rows[0]
        summary.flag(file, row, "duplicate point and name: merged into an earlier row")
    shared: defaultdict[tuple[float, float], int] = defaultdict(int)
    for lng, lat in ((c.lng, c.lat) for c in merged.values()):
        shared[(lng, lat)] += 1
    kept = sum(n for n in shared.values() if n > 1)
    if kept:
        summary.notes["cards sharing a point with a differently named card (kept)"] += kept
    return list(merged.values())


def stable_key(card: Draft, key: Sequence[str]) -> str:
    """What a card's id is hashed from (by default its name and point)."""
    parts = []
    for item in key:
        if item == "name":
            parts.append(card.name)
        elif item == "location":
            parts.append(f"{card.lng:.6f}|{card.lat:.6f}")
        else:
            parts.append(str(card.data.get(item, "")))
    return "|".join(parts)


def assign_ids(cards: Sequence[Draft], mapping: Mapping) -> None:
    """prefix + first 6 hex of sha1(stable key); every card in a collision gets 8 (then 10...)."""
    digests = [hashlib.sha1(stable_key(c, mapping.key).encode()).hexdigest() for c in cards]
    if len(set(digests)) != len(cards):
        raise ValueError(f"{mapping.prefix}: two cards have the same id key {list(mapping.key)}")
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
