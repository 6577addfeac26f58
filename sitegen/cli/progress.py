"""What ``sitegen build`` shows while it works: a live counter on a terminal, and in a log
(CI, an editor's output panel) a line per stage and a line every few seconds while pages
are rendered, so that a long build is seen to move."""

from __future__ import annotations

import time
from typing import TextIO

LOG_EVERY_SECONDS = 5.0


class BuildProgress:
    """``pages`` and ``stage`` are the build's callbacks (build/stages.py)."""

    def __init__(self, stream: TextIO, on_terminal: bool) -> None:
        self.stream = stream
        self.on_terminal = on_terminal
        self.last_line = 0.0

    def pages(self, done: int, total: int) -> None:
        if self.on_terminal:
            end = "\n" if done >= total else ""
            self._write(f"\rrendering {done}/{total} pages{end}")
            return
        now = time.monotonic()
        if now - self.last_line >= LOG_EVERY_SECONDS and done < total:
            self.last_line = now
            self._write(f"  pages: {done:,} of {total:,} ({done * 100 // max(total, 1)} %)\n")

    def stage(self, name: str, seconds: float) -> None:
        if not self.on_terminal:
            self._write(f"  {name}: {seconds:.1f} s\n")
            self.last_line = time.monotonic()

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
