"""What happened to every source row, and the printed summary of a run.

Identical messages are printed once with their count and rows; the full list, one line per
row, goes to the ``--report`` file (``report_file``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SHOWN = 10  # lines of one kind printed before "... and N more"
RUNS = 12  # row ranges printed on one line before "..."
DETAIL = 160  # characters of a value printed (the --report file has it all)


@dataclass(frozen=True)
class Issue:
    """Something about one source row: why it was skipped, or what was fixed or flagged in it.

    ``detail`` is the value or point as the source wrote it; ``field`` the card field.
    """

    file: str
    row: int
    reason: str
    detail: str = ""
    field: str = ""


@dataclass(frozen=True)
class SharedPoint:
    """Cards at one point under different names, kept apart: where, which rows, which names."""

    point: str
    rows: tuple[tuple[str, int], ...]
    names: tuple[str, ...]
    cards: tuple[str, ...]
    hint: str = ""  # a merge label that would join them


@dataclass
class HtmlSeen:
    """Markup found in a column read as plain text."""

    rows: int
    file: str
    row: int
    sample: str


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
    shared: list[SharedPoint] = field(default_factory=list)
    html: dict[tuple[str, str], HtmlSeen] = field(default_factory=dict)  # (field, column)
    row_cards: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # id, name

    def skip(self, file: str, row: int, reason: str, detail: str = "", field: str = "") -> None:
        """Record a row that produced no card."""
        self.skipped.append(Issue(file, row, reason, detail, field))

    def flag(self, file: str, row: int, reason: str, detail: str = "", field: str = "") -> None:
        """Record a row that was repaired or only partly used."""
        self.flagged.append(Issue(file, row, reason, detail, field))

    def saw_html(self, where: str, column: str, file: str, row: int, sample: str) -> None:
        """Record markup in a plain-text column (the first row is kept as the sample)."""
        seen = self.html.get((where, column))
        if seen is None:
            self.html[(where, column)] = HtmlSeen(1, file, row, sample)
        else:
            seen.rows += 1

    @property
    def flagged_rows(self) -> int:
        """Rows with at least one flag (a row may have several)."""
        return len({(issue.file, issue.row) for issue in self.flagged})


def format_rows(rows: Iterable[int], runs_shown: int = RUNS) -> str:
    """Compact row numbers: 3, 5, 6, 7 -> "3, 5-7"; past ``runs_shown`` runs, "…"."""
    runs: list[list[int]] = []
    for number in sorted(set(rows)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:runs_shown])
    return text + (", …" if len(runs) > runs_shown else "")


def _group_line(file: str, reason: str, detail: str, rows: list[int]) -> str:
    if len(detail) > DETAIL:
        detail = detail[: DETAIL - 1] + "…"
    tail = f"{reason}: {detail}" if detail else reason
    if len(rows) == 1:
        return f"    {file} row {rows[0]}: {tail}"
    return f"    {file} rows {format_rows(rows)} ({len(rows)} rows): {tail}"


def issue_lines(issues: Sequence[Issue]) -> list[str]:
    """Identical issues (same file, reason and detail) on one line with their rows; at most
    ``SHOWN`` lines for one reason, then how many more rows have it."""
    groups: defaultdict[tuple[str, str, str], list[int]] = defaultdict(list)
    for issue in issues:
        groups[(issue.file, issue.reason, issue.detail)].append(issue.row)
    lines: list[str] = []
    shown: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for (file, reason, detail), rows in groups.items():
        if shown[reason] < SHOWN:
            shown[reason] += 1
            lines.append(_group_line(file, reason, detail, rows))
        else:
            hidden[reason] += len(rows)
    for reason, count in hidden.items():
        lines.append(f'    … and {count} more rows with "{reason}" (--report FILE lists every row)')
    return lines


def _counts(issues: Sequence[Issue]) -> list[str]:
    return [f"    {n} {reason}" for reason, n in Counter(i.reason for i in issues).items()]


def shared_lines(points: Sequence[SharedPoint]) -> list[str]:
    """Points with several differently named cards, with the rule that would merge them."""
    lines = []
    for point in points[:SHOWN]:
        files = sorted({file for file, _ in point.rows})
        where = "; ".join(
            f"{file} rows {format_rows(row for f, row in point.rows if f == file)}"
            for file in files
        )
        lines.append(f"    {point.point} {where}: {' · '.join(point.names)}")
        if point.hint:
            lines.append(f"      to merge them: {point.hint}")
    if len(points) > SHOWN:
        more = len(points) - SHOWN
        lines.append(f"    … and {more} more points (--report FILE lists every row)")
    return lines


def html_lines(summary: Summary) -> list[str]:
    """One warning per column that holds markup but is read as plain text."""
    return [
        f'    {where}: column "{column}" holds HTML in {seen.rows} '
        f"row{'s' if seen.rows > 1 else ''}, e.g. {seen.file} row {seen.row}: {seen.sample}; "
        "add {html: text} to its transforms"
        for (where, column), seen in summary.html.items()
    ]


def summary_lines(summary: Summary, output: str, dry_run: bool) -> list[str]:
    """The printed report of one import."""
    verb = "would be " if dry_run else ""
    lines = [
        f"== {output}{'  (dry run: nothing written)' if dry_run else ''}",
        f"  rows read:      {summary.rows_read}",
        f"  rows skipped:   {len(summary.skipped)}",
        *_counts(summary.skipped),
        f"  rows flagged:   {summary.flagged_rows}",
        *_counts(summary.flagged),
        f"  rows merged:    {summary.merged_rows}",
        f"  cards:          {summary.cards} ({verb}new {summary.written}, "
        f"{verb}updated {summary.updated}, unchanged {summary.unchanged})",
        f"  hand edits kept: {summary.kept_edits}, conflicts: {len(summary.conflicts)}",
        f"  cards gone from the source: {len(summary.gone)}"
        + (f" ({verb}pruned {summary.pruned})" if summary.pruned else ""),
    ]
    lines += [f"  note: {n} {what}" for what, n in sorted(summary.notes.items())]
    if summary.html:
        lines += ["  warnings:", *html_lines(summary)]
    if summary.skipped:
        lines += ["  skipped rows:", *issue_lines(summary.skipped)]
    if summary.flagged:
        lines += ["  flagged rows:", *issue_lines(summary.flagged)]
    if summary.shared:
        lines += [
            f"  points with more than one card ({len(summary.shared)}, kept apart):",
            *shared_lines(summary.shared),
        ]
    if summary.conflicts:
        lines += ["  conflicts (the editor's value was kept):"]
        lines += [f"    {c}" for c in summary.conflicts]
    if summary.gone:
        lines += ["  gone from the source:", *(f"    {g}" for g in summary.gone)]
    return lines
