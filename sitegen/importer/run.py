"""One import: sources + mapping -> cards reconciled with the existing file -> written files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..config import load_config
from ..errors import SitegenError
from .mapping import Mapping
from .merge import assign_ids, merge, split_label
from .readers import read_rows
from .report import Summary
from .rows import Box, drafts
from .state import read_cards, read_state, reconcile, state_path, state_text
from .writer import draft_card, render

DEFAULT_HEADER = ("Imported by `sitegen import`; hand edits are kept when it is run again.",)


@dataclass
class Result:
    """What an import produced: output path, texts (None when the run was dry) and summary."""

    output: Path
    state: Path
    text: str
    state_json: str
    summary: Summary


def natural_key(path: Path) -> list[Any]:
    """file2 before file10: numbers in names compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def source_files(source: Path, mapping: Mapping) -> list[Path]:
    """A file as given; a folder's files of the mapping's format (by extension)."""
    if not source.is_dir():
        return [source]
    suffix = f".{mapping.format}" if mapping.format else ""
    return [p for p in source.iterdir() if p.is_file() and p.name.lower().endswith(suffix)]


def category_order(project: Path, category: str, mapping: Mapping) -> list[str]:
    """Field order of the category definition, so cards list fields as the category does."""
    path = project / "content" / "categories" / f"{category}.yaml"
    if path.is_file():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        fields = data.get("fields") if isinstance(data, dict) else None
        if isinstance(fields, dict):
            return list(fields)
    return [spec.name for spec in mapping.fields]


def output_path(project: Path, mapping: Mapping, out: Path | None) -> Path:
    """-o, else the mapping's ``output`` (relative to content/facilities)."""
    if out is not None:
        return out
    if mapping.output is None:
        raise SitegenError(f"{mapping.path}: no `output:` in the mapping; give -o FILE")
    return project / "content" / "facilities" / mapping.output


def import_sources(
    sources: Sequence[Path],
    mapping: Mapping,
    project: Path,
    out: Path | None = None,
    prune: bool = False,
) -> Result:
    """Read, check, merge and reconcile; nothing is written (see ``write``)."""
    (west, south), (east, north) = load_config(project).bounds
    site: Box = (west, south, east, north)
    summary = Summary()
    files = sorted((f for s in sources for f in source_files(s, mapping)), key=natural_key)
    cards = []
    for path in files:
        cards += drafts(read_rows(path, mapping, summary), mapping, site, summary)
    if mapping.labels:
        for card in cards:
            card.name, flags = split_label(card.name, mapping)
            card.data.update(flags)
    cards = merge(cards, summary)
    try:
        assign_ids(cards, mapping)
    except ValueError as exc:
        raise SitegenError(str(exc)) from None
    summary.cards = len(cards)
    output = output_path(project, mapping, out)
    state = state_path(output, project / "content" / "facilities")
    outcome = reconcile(
        [draft_card(card, mapping.category) for card in cards],
        read_cards(output),
        read_state(state),
        prune,
        summary,
    )
    order = category_order(project, mapping.category, mapping)
    text = render(outcome.cards, mapping.header or DEFAULT_HEADER, order)
    return Result(output, state, text, state_text(outcome.state), summary)


def write(result: Result) -> None:
    """Write the cards and the state as UTF-8 with LF line ends."""
    for path, text in ((result.output, result.text), (result.state, result.state_json)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
