"""What a long-lived process (``sitegen serve``) keeps from one build to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build.planner import GroupId, PageGroup
from sitegen.build.record import BuildState, output_id
from sitegen.build.runner import settle_heap
from sitegen.cache.memo import Memo
from sitegen.cache.store import BuildCache


@dataclass
class BuildSession:
    """The memo holds each step's results by the digest of their inputs (cache/memo.py),
    so a rebuild after one edit redoes the work of that edit only. ``compress`` turns the
    .gz/.br copies off for a local preview, where nobody downloads over a slow link.
    """

    memo: Memo = field(default_factory=Memo)
    cache: BuildCache | None = None
    compress: bool = True
    keep_heap_frozen: bool = False
    # Write the record of each build next to the output (a new process reads it). A
    # long-lived one keeps it in memory only, with the kept groups of name-card pages.
    save_record: bool = True
    builds: int = 0
    state: BuildState | None = None
    groups: dict[GroupId, PageGroup] = field(default_factory=dict)
    written: dict[str, bytes] = field(default_factory=dict)  # large files, as last written

    def previous_state(self, out_dir: Path) -> BuildState | None:
        """The record of the last build into ``out_dir``: this session's, or the one on disk."""
        if self.state is not None and self.state.output_id == output_id(out_dir):
            return self.state
        self.state, self.groups, self.written = None, {}, {}
        return BuildState.load(out_dir)

    def last_groups(self, previous: BuildState | None) -> dict[GroupId, PageGroup]:
        """The name-card groups of the last build, if ``previous`` is this session's record."""
        return self.groups if previous is not None and previous is self.state else {}

    def known_files(self, previous: BuildState | None) -> dict[str, bytes]:
        """The large files this session last wrote, if ``previous`` is its record."""
        return self.written if previous is self.state else {}

    def remember(self, out_dir: Path, state: BuildState, groups: dict[GroupId, PageGroup]) -> None:
        if self.save_record:
            state.save(out_dir)
            return
        self.state, self.groups = state, groups

    def settle(self) -> None:
        """After a build: count it, and keep a long-lived process's heap out of the way."""
        self.builds += 1
        if self.keep_heap_frozen:
            settle_heap(self.builds)
