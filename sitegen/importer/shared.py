"""Points that keep several differently named cards: listed, with a merge label that would
join them when their names differ only at the end ("忠烈祠男", "忠烈祠女")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from sitegen.importer.merge import name_text
from sitegen.importer.report import SharedPoint
from sitegen.importer.rows import Draft

LONGEST_LABEL = 6  # characters; a longer tail is another place, not a room label
MOST_LABELS = 8
_SPECIAL = re.compile(r"[.^$*+?{}\[\]\\|()]")


def _common_stem(names: Sequence[str]) -> str:
    """The names' common beginning, never cut inside a run of letters or digits."""
    first, last = min(names), max(names)  # the common prefix of all is theirs
    size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
    stem = first[: len(first) if size is None else size]
    while stem and any(
        len(name) > len(stem)
        and stem[-1].isascii()
        and stem[-1].isalnum()
        and name[len(stem)].isascii()
        and name[len(stem)].isalnum()
        for name in names
    ):
        stem = stem[:-1]
    return stem.rstrip(" -_(（")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def label_hint(names: Sequence[str]) -> str:
    """A merge label that would turn these names into one, or "" when none would be sensible."""
    stem = _common_stem(names)
    tails = sorted({name[len(stem) :] for name in names} - {""}, key=lambda t: (-len(t), t))
    if len(stem) < 2 or not tails or len(tails) > MOST_LABELS:
        return ""
    if any(len(tail) > LONGEST_LABEL for tail in tails):
        return ""
    # re.escape would also escape spaces and CJK punctuation: only what a pattern reads
    pattern = "(?:" + "|".join(_SPECIAL.sub(r"\\\g<0>", tail) for tail in tails) + ")$"
    return f'{{pattern: {_quoted(pattern)}, at: end}} in merge.labels would make them one "{stem}"'


def shared_points(cards: Sequence[Draft], locale: str) -> list[SharedPoint]:
    """Each point held by more than one card, in source order."""
    at: defaultdict[tuple[float, float], list[Draft]] = defaultdict(list)
    for card in cards:
        at[(card.lng, card.lat)].append(card)
    points = []
    for group in at.values():
        if len(group) < 2:
            continue
        names = tuple(name_text(card.name, locale) for card in group)
        points.append(
            SharedPoint(
                point=group[0].written,
                rows=tuple(row for card in group for row in card.rows),
                names=names,
                cards=tuple(card.id for card in group),
                hint=label_hint(names),
            )
        )
    return points
