"""Watching a project: file events debounced into one rebuild at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler

DEBOUNCE_SECONDS = 0.3
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif")


class Rebuilder(FileSystemEventHandler):
    """Debounces file events into one rebuild at a time."""

    def __init__(
        self, rebuild: Callable[[], object], other_changed: Callable[[], None] | None = None
    ) -> None:
        self._rebuild = rebuild
        self.other_changed = other_changed
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = str(event.src_path).lower()
        if path.endswith(IMAGE_SUFFIXES) and self.other_changed is not None:
            # Work kept from earlier builds is keyed by the text of content files; a photo
            # added or removed changes whether a card naming it is valid: start afresh.
            self.other_changed()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._rebuild)
            self._timer.daemon = True
            self._timer.start()
