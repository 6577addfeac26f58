"""One import: sources + mapping -> cards reconciled with the existing file -> written files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError, SitegenError
from sitegen.importer.mapping import Mapping
from sitegen.importer.merge import assign_ids, merge, name_text, split_labels
from sitegen.importer.readers import read_rows
from sitegen.importer.report import Summary
from sitegen.importer.rows import Draft, DraftMaker
from sitegen.importer.shared import shared_points
from sitegen.importer.state import read_cards, read_state, reconcile, state_path, state_text
from sitegen.importer.target import Target, check_fields, load_target
from sitegen.importer.verify import failing_cards
from sitegen.importer.writer import draft_card, render
from sitegen.pipeline.load import display_path

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


def output_path(project: Path, mapping: Mapping, out: Path | None) -> Path:
    """-o, else the mapping's ``output`` (relative to content/facilities)."""
    if out is not None:
        return out
    if mapping.output is None:
        raise SitegenError(f"{mapping.path}: no `output:` in the mapping; give -o FILE")
    return project / "content" / "facilities" / mapping.output


def _drafts(
    sources: Sequence[Path], mapping: Mapping, target: Target, summary: Summary
) -> list[Draft]:
    """Draft cards of every source file, labels removed, rows of one place merged."""
    files = sorted((f for s in sources for f in source_files(s, mapping)), key=natural_key)
    maker = DraftMaker(mapping, target, summary)
    cards: list[Draft] = []
    for path in files:
        cards += maker.drafts(read_rows(path, mapping, summary))
    if mapping.labels:
        for card in cards:
            card.name, flags = split_labels(card.name, mapping)
            card.data.update(flags)
    return merge(cards, target.types, target.config.source_locale, summary)


def _checked(
    cards: list[Draft], mapping: Mapping, target: Target, display: str, summary: Summary
) -> list[dict[str, Any]]:
    """The cards as written, leaving out (and reporting) any that ``sitegen check`` rejects."""
    drafted = [draft_card(card, mapping.category) for card in cards]
    failing = failing_cards(drafted, list(target.category.fields), target, display)
    for index in sorted(failing, reverse=True):
        card = cards.pop(index)
        drafted.pop(index)
        rows = set(card.rows)
        summary.merged_rows -= len(rows) - 1
        summary.flagged = [i for i in summary.flagged if (i.file, i.row) not in rows]
        for file, row in card.rows:
            summary.skip(file, row, f"the card fails sitegen check: {failing[index][0]}")
    return drafted


def import_sources(
    sources: Sequence[Path],
    mapping: Mapping,
    project: Path,
    out: Path | None = None,
    prune: bool = False,
) -> Result:
    """Read, check, merge and reconcile; nothing is written (see ``write``)."""
    target = load_target(project, mapping.category)
    problems = check_fields(target, mapping)
    if problems:
        raise ContentError(problems)
    summary = Summary()
    cards = _drafts(sources, mapping, target, summary)
    locale = target.config.source_locale
    assign_ids(cards, mapping, locale)
    output = output_path(project, mapping, out)
    drafted = _checked(cards, mapping, target, display_path(output, project), summary)
    summary.cards = len(cards)
    summary.shared = shared_points(cards, locale)
    summary.row_cards = {
        row: (card.id, name_text(card.name, locale)) for card in cards for row in card.rows
    }
    state = state_path(output, project / "content" / "facilities")
    outcome = reconcile(drafted, read_cards(output), read_state(state), prune, summary)
    text = render(outcome.cards, mapping.header or DEFAULT_HEADER, list(target.category.fields))
    return Result(output, state, text, state_text(outcome.state), summary)


def write(result: Result) -> None:
    """Write the cards and the state as UTF-8 with LF line ends."""
    for path, text in ((result.output, result.text), (result.state, result.state_json)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
