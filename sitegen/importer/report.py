"""What happened to every source row, and the printed summary of a run."""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """Something about one source row: why it was skipped, or what was fixed or flagged in it."""

    file: str
    row: int
    reason: str
    detail: str = ""


@dataclass
class Summary:
    """Counts and row lists of one import."""

    rows_read: int = 0
    skipped: list[Issue] = field(default_factory=list)
    flagged: list[Issue] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    merged_rows: int = 0
    cards: int = 0
    written: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    kept_edits: int = 0
    gone: list[str] = field(default_factory=list)
    pruned: int = 0

    def skip(self, file: str, row: int, reason: str, detail: str = "") -> None:
        """Record a row that produced no card."""
        self.skipped.append(Issue(file, row, reason, detail))

    def flag(self, file: str, row: int, reason: str, detail: str = "") -> None:
        """Record a row that was repaired or only partly used."""
        self.flagged.append(Issue(file, row, reason, detail))


def format_rows(rows: Iterable[int]) -> str:
    """Compact row numbers: 3, 5, 6, 7 -> "3, 5-7"."""
    runs: list[list[int]] = []
    for number in sorted(set(rows)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def issue_lines(issues: Sequence[Issue]) -> list[str]:
    """Issues grouped by file and reason; rows with details one per line."""
    grouped: defaultdict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        grouped[(issue.file, issue.reason)].append(issue)
    lines = []
    for (file, reason), group in grouped.items():
        if any(issue.detail for issue in group):
            lines += [f"    {file} row {i.row}: {reason}: {i.detail}" for i in group]
        else:
            rows = format_rows(issue.row for issue in group)
            text = f"{file} rows {rows}: {reason} ({len(group)})"
            lines.append(textwrap.fill(text, 96, initial_indent="    ", subsequent_indent="      "))
    return lines


def summary_lines(summary: Summary, output: str, dry_run: bool) -> list[str]:
    """The printed report of one import."""
    verb = "would be " if dry_run else ""
    lines = [
        f"== {output}{'  (dry run: nothing written)' if dry_run else ''}",
        f"  rows read:      {summary.rows_read}",
        f"  rows skipped:   {len(summary.skipped)}",
        *(f"    {n} {reason}" for reason, n in Counter(i.reason for i in summary.skipped).items()),
        f"  rows flagged:   {len(summary.flagged)}",
        *(f"    {n} {reason}" for reason, n in Counter(i.reason for i in summary.flagged).items()),
        f"  rows merged:    {summary.merged_rows}",
        f"  cards:          {summary.cards} ({verb}new {summary.written}, "
        f"{verb}updated {summary.updated}, unchanged {summary.unchanged})",
        f"  hand edits kept: {summary.kept_edits}, conflicts: {len(summary.conflicts)}",
        f"  cards gone from the source: {len(summary.gone)}"
        + (f" ({verb}pruned {summary.pruned})" if summary.pruned else ""),
    ]
    lines += [f"  note: {n} {what}" for what, n in sorted(summary.notes.items())]
    if summary.skipped:
        lines += ["  skipped rows:", *issue_lines(summary.skipped)]
    if summary.flagged:
        lines += ["  flagged rows:", *issue_lines(summary.flagged)]
    if summary.conflicts:
        lines += ["  conflicts (the editor's value was kept):"]
        lines += [f"    {c}" for c in summary.conflicts]
    if summary.gone:
        lines += ["  gone from the source:", *(f"    {g}" for g in summary.gone)]
    return lines
