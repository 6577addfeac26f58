"""Re-import: what the importer last wrote, so an editor's hand edits are never overwritten.

Per output file ``content/facilities/X/Y.yaml`` the importer keeps
``content/facilities/.import-state/X/Y.json``: for each card it made, by id, the field values it
wrote. On the next import a field whose current value still equals that record is updated; one
the editor changed is kept (and a conflict reported if the source changed it too).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import SitegenError
from sitegen.importer.report import Summary

STATE_DIR = ".import-state"
# libyaml when available: an output file holds thousands of cards
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def state_path(output: Path, facilities: Path) -> Path:
    """Where the state of an output file lives."""
    try:
        rel = output.resolve().relative_to(facilities.resolve())
    except ValueError:  # an output outside content/facilities keeps its state beside it
        return output.parent / STATE_DIR / output.with_suffix(".json").name
    return facilities / STATE_DIR / rel.with_suffix(".json")


def plain(value: Any) -> Any:
    """A value as JSON would hold it, so that YAML and state values compare equal."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def read_cards(path: Path) -> list[dict[str, Any]]:
    """The cards of an existing output file (none if it does not exist yet)."""
    if not path.is_file():
        return []
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(c, dict) and "id" in c for c in data):
        raise SitegenError(f"{path}: expected a YAML list of cards with ids")
    return data


def read_state(path: Path) -> dict[str, dict[str, Any]] | None:
    """Card id -> the field values last imported; None when there is no state yet."""
    if not path.is_file():
        return None
    cards: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cards"]
    return cards


def state_text(cards: dict[str, dict[str, Any]]) -> str:
    """Deterministic JSON of the state (sorted ids, sorted fields)."""
    body = {"cards": {i: plain(cards[i]) for i in sorted(cards)}}
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@dataclass
class Outcome:
    """The cards to write and the new state."""

    cards: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, dict[str, Any]] = field(default_factory=dict)


def reconcile(
    imported: Sequence[dict[str, Any]],
    current: Sequence[dict[str, Any]],
    last: dict[str, dict[str, Any]] | None,
    prune: bool,
    summary: Summary,
) -> Outcome:
    """Merge freshly imported cards with the file's current cards, keeping hand edits.

    Without a state (first import over existing cards) nothing counts as hand-edited.
    """
    now = {card["id"]: card for card in current}
    out = Outcome()
    for card in imported:
        ident = card["id"]
        out.state[ident] = dict(card)
        if ident not in now:
            summary.written += 1
            out.cards.append(dict(card))
            continue
        mine = now[ident]
        before = (last or {}).get(ident, mine if last is None else {})
        merged = _merge_card(card, mine, before, summary)
        if plain(merged) == plain(mine):
            summary.unchanged += 1
        else:
            summary.updated += 1
        out.cards.append(merged)
    made = set(last or {}) if last is not None else set(now)
    fresh = {card["id"] for card in imported}
    for card in current:
        ident = card["id"]
        if ident in fresh:
            continue
        if ident in made:
            summary.gone.append(f"{ident} {card.get('name', '')}")
            if prune:
                summary.pruned += 1
                continue
            out.state[ident] = (last or {}).get(ident, card)
        out.cards.append(card)  # hand-added cards, and gone ones unless pruned
    return out


def _merge_card(
    new: dict[str, Any], mine: dict[str, Any], before: dict[str, Any], summary: Summary
) -> dict[str, Any]:
    """Field by field: untouched fields take the new value, edited ones keep the editor's."""
    result: dict[str, Any] = {}
    for key in [*mine, *(k for k in new if k not in mine)]:
        old, cur, fresh = plain(before.get(key)), plain(mine.get(key)), plain(new.get(key))
        if cur == old:
            value = new.get(key)
        else:
            value = mine.get(key)
            if key in before or key in new:
                summary.kept_edits += 1
            if fresh != old and fresh != cur:
                summary.conflicts.append(
                    f"{new['id']} {key}: editor wrote {cur!r}, source now {fresh!r} "
                    f"(was {old!r}); the editor's value was kept"
                )
        if value is not None:
            result[key] = value
    return result
