"""Cards as YAML in a hand-written style: one block per card, [lng, lat] in flow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .rows import Draft

HEAD = ("id", "category", "name", "address", "location")
TAIL = ("verified",)


class _FlowList(list[Any]):
    """A list that YAML writes in flow style: [lng, lat]."""


class _CardDumper(yaml.SafeDumper):
    """SafeDumper that writes ``_FlowList`` in flow style."""


_CardDumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)


def draft_card(draft: Draft, category: str) -> dict[str, Any]:
    """A draft as a plain card mapping (empty and false values left out)."""
    card: dict[str, Any] = {"id": draft.id, "category": category, "name": draft.name}
    card["location"] = [draft.lng, draft.lat]
    card.update((k, v) for k, v in draft.data.items() if v not in (None, "", False))
    return card


def ordered(card: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """Keys in card-contract order: id, category, name, address, location, the category's
    fields, verified, then anything else in the order it came."""
    rank = {key: index for index, key in enumerate((*HEAD, *order, *TAIL))}
    keys = sorted(card, key=lambda k: (rank.get(k, len(rank)), list(card).index(k)))
    out = {key: card[key] for key in keys}
    if isinstance(out.get("location"), list):
        out["location"] = _FlowList(out["location"])
    return out


def render(cards: Sequence[dict[str, Any]], header: Sequence[str], order: Sequence[str]) -> str:
    """The whole file: header comment lines, then one block-style card per list item."""
    head = [f"# {line}".rstrip() for line in header]
    blocks = [
        yaml.dump(
            [ordered(card, order)],
            Dumper=_CardDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=1000,
        )
        for card in cards
    ]
    return "\n".join([*head, "", ""] if head else []) + "\n".join(blocks)
