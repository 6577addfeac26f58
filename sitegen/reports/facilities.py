"""Where each facility of the site is, so a report may name a place instead of coordinates."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError, Report, SitegenError
from sitegen.geo.distance import haversine_m
from sitegen.pipeline.config import SiteConfig, load_config
from sitegen.pipeline.load import load_content
from sitegen.pipeline.validate import validate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """A facility as a report needs it: where it is and what kind of place it is."""

    id: str
    category: str
    lat: float
    lng: float
    address: str | None
    name: str = ""
    area: str | None = None  # the district, from the card's own field or its address


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
    places = {}
    for card in checked.cards:
        address = _text(card.values.get("address"), config)
        area = _text(card.values.get("district") or card.values.get("area"), config)
        name = _text(card.values.get("name"), config) or card.id
        places[card.id] = Place(
            card.id, card.category, card.lat, card.lng, address, name, area or area_of(address)
        )
    return places


def _text(value: Any, config: SiteConfig) -> str | None:
    if isinstance(value, Mapping):  # localized: {"": text} or {locale: text}
        found = value.get("") or value.get(config.source_locale)
        return str(found) if found else next((str(v) for v in value.values()), None)
    return str(value) if value else None


# A Chinese address names its district first: 福田区红荔路…, 臺北市中正區…, 高雄市前鎮區….
_AREA = re.compile(
    r"^(?:[^省市区區县縣]{1,6}省)?(?:[^市区區县縣]{1,6}市)?([^市区區县縣]{1,6}[区區县縣旗])"
)


def area_of(address: str | None) -> str | None:
    """The district at the start of a Chinese address, e.g. 福田区 or 中正區; else None."""
    match = _AREA.match(address or "")
    return match.group(1) if match else None


def nearest_place(
    places: Mapping[str, Place], lat: float, lng: float, within_m: float
) -> Place | None:
    """The place nearest a point, if one is within ``within_m`` metres (a plain scan)."""
    best, best_distance = None, within_m
    for place in places.values():
        if abs(place.lat - lat) > 0.01 or abs(place.lng - lng) > 0.01:
            continue  # about a kilometre: never within reach, skip the trigonometry
        distance = haversine_m((lng, lat), (place.lng, place.lat))
        if distance <= best_distance:
            best, best_distance = place, distance
    return best


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

    def ready(self) -> Mapping[str, Place] | None:
        """The places if they are loaded by now, else None (never waits)."""
        if not self._future.done() or self._future.exception() is not None:
            return None
        return self._future.result()

    def places_blocking(self, timeout: float | None = None) -> Mapping[str, Place] | None:
        """The same as ``places`` for synchronous callers (tests, the CLI)."""
        self.start()
        try:
            return self._future.result(timeout)
        except Exception:
            return None
