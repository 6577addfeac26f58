"""Cards as YAML in a hand-written style: one block per card, [lng, lat] in flow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from sitegen.importer.rows import Draft
from sitegen.source.yaml_loader import SCALAR_RESOLVERS

HEAD = ("id", "category", "name", "address", "location")
TAIL = ("verified",)


class _FlowList(list[Any]):
    """A list that YAML writes in flow style: [lng, lat]."""


# libyaml's emitter when PyYAML has it: the same text, several times faster (a city's
# export is tens of thousands of cards, written once to check them and once to keep).
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _CardDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """SafeDumper that writes ``_FlowList`` in flow style, and quotes every text that
    sitegen's own loader (YAML 1.2-style scalars) would read as a number or yes/no."""


_CardDumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Text of several lines (an HTML notice made plain) as a literal block, as an editor
    # would write it; the emitter falls back to quotes where a block cannot hold the text.
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", data, style="|" if "\n" in data else None
    )


_CardDumper.add_representer(str, _text)
for _tag, _pattern, _first in SCALAR_RESOLVERS:
    # PyYAML decides on quotes with YAML 1.1 rules: "09" or "1e5" would go unquoted there,
    # and sitegen would read them back as the numbers 9 and 100000.0.
    _CardDumper.add_implicit_resolver(_tag, _pattern, _first)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def draft_card(draft: Draft, category: str) -> dict[str, Any]:
    """A draft as a plain card mapping (empty values left out; false and 0 are values)."""
    card: dict[str, Any] = {"id": draft.id, "category": category, "name": draft.name}
    card["location"] = [draft.lng, draft.lat]
    card.update((k, v) for k, v in draft.data.items() if not _empty(v))
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


def card_blocks(cards: Sequence[dict[str, Any]], order: Sequence[str]) -> list[str]:
    """Each card as one block-style YAML list item."""
    return [
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


def render(cards: Sequence[dict[str, Any]], header: Sequence[str], order: Sequence[str]) -> str:
    """The whole file: header comment lines, then one block-style card per list item."""
    head = [f"# {line}".rstrip() for line in header]
    # no cards is an empty list, not an empty document (which sitegen check rejects)
    body = "\n".join(card_blocks(cards, order)) if cards else "[]\n"
    return "\n".join([*head, "", ""] if head else []) + body
