"""Where each facility of the site is, so a report may name a place instead of coordinates."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import math
import multiprocessing
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
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


def load_places(project_dir: Path) -> Places:
    """Read and check the site's cards, keeping only each facility's position and address."""
    return Places(_place_table(project_dir))


def _place_table(project_dir: Path) -> dict[str, Place]:
    """The places by id. Stops after validation (no opening-hour tables, no translations):
    on a large site the rest would only cost the report server time."""
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


def load_places_apart(project_dir: Path) -> Places:
    """``load_places`` in a process of its own, for the report server.

    Reading a city's cards is seconds of Python: in a thread of the server it would hold the
    interpreter lock from the requests being served, and the reports sent in those seconds
    would wait up to a second each (benchmarks/report_hostile.py). The other process uses
    another core, and only its answer, a table of places, comes back.
    """
    context: ForkServerContext | SpawnContext = (
        multiprocessing.get_context("forkserver")
        if "forkserver" in multiprocessing.get_all_start_methods()  # not on Windows
        else multiprocessing.get_context("spawn")
    )
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_send_places, args=(project_dir, sender), name="sitegen-places", daemon=True
    )
    child.start()
    sender.close()
    try:
        outcome = receiver.recv()
    except EOFError:
        outcome = None
    finally:
        receiver.close()
        child.join(5)
    if outcome is None:
        raise SitegenError(
            f"the process reading the facilities ended without an answer "
            f"(exit code {child.exitcode})"
        )
    if isinstance(outcome, BaseException):
        raise outcome
    return Places(outcome)


def _send_places(project_dir: Path, sender: Connection) -> None:
    outcome: dict[str, Place] | BaseException
    try:
        outcome = _place_table(project_dir)  # the grid is made on the receiving side
    except (SitegenError, OSError) as exc:
        outcome = exc
    except Exception as exc:  # whatever it was, the server hears of it rather than waiting
        outcome = SitegenError(f"reading the facilities failed: {exc!r}")
    sender.send(outcome)
    sender.close()


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


CELL_DEG = 0.01  # grid cells of about a kilometre
METRES_PER_DEGREE = 111_000.0  # of latitude, rounded down: the cells scanned reach far enough


class Places(Mapping[str, Place]):
    """The site's places by id, with a grid of their positions for ``nearest``.

    A report by position asks for the nearest place on every submission, in the server's
    event loop: a scan of a city's 30,000 places there holds up every other request.
    """

    def __init__(self, places: Mapping[str, Place]) -> None:
        self._by_id = dict(places)
        grid: dict[tuple[int, int], list[Place]] = {}
        for place in self._by_id.values():
            grid.setdefault(_cell(place.lat, place.lng), []).append(place)
        self._grid = grid

    def __getitem__(self, key: str) -> Place:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def nearest(self, lat: float, lng: float, within_m: float) -> Place | None:
        """The place nearest a point, if one is within ``within_m`` metres."""
        reach_lat = within_m / METRES_PER_DEGREE
        reach_lng = min(reach_lat / max(math.cos(math.radians(lat)), 1e-6), 180.0)
        low, high = _cell(lat - reach_lat, lng - reach_lng), _cell(lat + reach_lat, lng + reach_lng)
        best, best_distance = None, within_m
        for row in range(low[0], high[0] + 1):
            for column in range(low[1], high[1] + 1):
                for place in self._grid.get((row, column), ()):
                    distance = haversine_m((lng, lat), (place.lng, place.lat))
                    if distance <= best_distance:
                        best, best_distance = place, distance
        return best


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lng / CELL_DEG)


def nearest_place(
    places: Mapping[str, Place], lat: float, lng: float, within_m: float
) -> Place | None:
    """The place nearest a point, if one is within ``within_m`` metres."""
    indexed = places if isinstance(places, Places) else Places(places)
    return indexed.nearest(lat, lng, within_m)


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
            loaded = self._loader()
            places = loaded if isinstance(loaded, Places) else Places(loaded)
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
