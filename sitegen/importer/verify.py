"""The invariant, checked before anything is written: every card the import made passes
``sitegen check``. The cards are written out as YAML, read back with sitegen's loader and
checked by the validate stage itself, exactly as ``sitegen check`` would."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sitegen.errors import Report, SitegenError
from sitegen.importer.target import Target
from sitegen.importer.writer import card_blocks
from sitegen.pipeline.load import RawContent, SourceFile
from sitegen.pipeline.validate import validate
from sitegen.source.located import YamlSyntaxError, parse_yaml


def failing_cards(
    cards: Sequence[dict[str, Any]], order: Sequence[str], target: Target, display: str
) -> dict[int, list[str]]:
    """Index of each card that ``sitegen check`` would reject -> its problems' messages."""
    if not cards:
        return {}
    blocks = card_blocks(cards, order)
    starts, line = [], 1
    for block in blocks:
        starts.append(line)
        line += block.count("\n")
    report = Report()
    try:
        data = parse_yaml("".join(blocks), display, report)
    except YamlSyntaxError as exc:  # a bug in the writer: say so, write nothing
        raise SitegenError(f"the imported cards could not be read back: {exc.message}") from None
    raw = RawContent([target.category_file], [SourceFile(display, data)], [])
    validate(raw, target.config, report)
    failing: defaultdict[int, list[str]] = defaultdict(list)
    for problem in report.errors:
        if problem.mark.path != display:  # site-wide problems (site.yaml) are not the card's
            continue
        index = max(0, bisect.bisect_right(starts, problem.mark.line) - 1)
        failing[index].append(problem.message)
    return dict(failing)
