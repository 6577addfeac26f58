"""Where each facility of the site is, so a report may name a place instead of coordinates."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import SiteConfig, load_config
from ..errors import ContentError, Report, SitegenError
from ..load import load_content
from ..validate import validate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """A facility as a report needs it: where it is and what kind of place it is."""

    id: str
    category: str
    lat: float
    lng: float
    address: str | None


def load_places(project_dir: Path) -> dict[str, Place]:
    """Read and check the site's cards, keeping only each facility's position and address.

    Stops after validation (no opening-hour tables, no translations): it runs inside the
    server, and on a large site the rest would only compete with requests for the CPU.
    """
    config = load_config(project_dir)
    report = Report()
    checked = validate(load_content(config.content_dir, config.locales, report), config, report)
    if report.errors:
        raise ContentError(report.sorted())
    return {
        card.id: Place(card.id, card.category, card.lat, card.lng, _address(card.values, config))
        for card in checked.cards
    }


def _address(values: Mapping[str, Any], config: SiteConfig) -> str | None:
    address = values.get("address")
    if isinstance(address, Mapping):  # localized: {"": text} or {locale: text}
        found = address.get("") or address.get(config.source_locale)
        return str(found) if found else next((str(v) for v in address.values()), None)
    return str(address) if address else None


class FacilityIndex:
    """Facility positions loaded once, in a background thread, so the server starts at once.

    Loading a large site takes seconds; a report naming a facility waits for it. If the
    content cannot be loaded, ``lookup`` answers ``None`` for "unknown" and reports are
    still accepted with the facility id alone (nothing is lost).
    """

    def __init__(self, loader: Callable[[], Mapping[str, Place]] | None) -> None:
        self._future: concurrent.futures.Future[Mapping[str, Place] | None] = (
            concurrent.futures.Future()
        )
        self._loader = loader
        self._lock = threading.Lock()
        if loader is None:
            self._future.set_result(None)

    def start(self) -> None:
        """Begin loading in a daemon thread (a stuck load never blocks shutdown)."""
        with self._lock:
            if self._loader is None or self._future.running() or self._future.done():
                return
            self._future.set_running_or_notify_cancel()
        threading.Thread(target=self._load, name="facility-index", daemon=True).start()

    def _load(self) -> None:
        assert self._loader is not None
        try:
            places = self._loader()
        except ContentError as exc:
            log.error(
                "facility index unavailable: %d problem(s) in the content, first: %s",
                len(exc.problems),
                exc.problems[0] if exc.problems else "-",
            )
            self._future.set_result(None)
        except (SitegenError, OSError) as exc:
            log.error("facility index unavailable: %s", exc)
            self._future.set_result(None)
        except BaseException as exc:  # the waiting requests must never hang
            log.exception("facility index failed to load")
            self._future.set_exception(exc)
        else:
            log.info("facility index loaded: %d places", len(places))
            self._future.set_result(places)

    async def places(self) -> Mapping[str, Place] | None:
        """All places, once loaded; ``None`` when the content could not be loaded."""
        self.start()
        try:
            return await asyncio.wrap_future(self._future)
        except Exception:
            return None

    def places_blocking(self, timeout: float | None = None) -> Mapping[str, Place] | None:
        """The same as ``places`` for synchronous callers (tests, the CLI)."""
        self.start()
        try:
            return self._future.result(timeout)
        except Exception:
            return None
