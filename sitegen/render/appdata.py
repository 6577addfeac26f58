"""Data files for the map front-end: compact, content-hashed, shared across locales.

See docs/front-end-data.md for the formats. Points are ordered along a Hilbert curve so
that the delta-encoded coordinates stay small; texts are per locale but identical files
(English falling back to the source names, say) get the same hash and are stored once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.cache.memo import Memo
from sitegen.geo.crs import wgs84_to_gcj02
from sitegen.i18n.romanize import romanized
from sitegen.i18n.search_keys import characters, fold_map_of_chars, pinyin_syllables
from sitegen.pipeline.model import Category, FacilityCard, Site
from sitegen.render.carddata import card_payload
from sitegen.render.jsondata import compact_json
from sitegen.render.strings import UiStrings
from sitegen.workers import default_jobs, forked_map

COORD_SCALE = 100_000  # 1e-5 degree, about 1 m: plenty for a map, and small deltas
# What a person decides on besides the category's filters (OpenStreetMap keys): in the points
# file too, so that the list and the card show them without waiting for the card data.
KEY_FACTS = ("wheelchair", "changing_table", "fee")


_FLAG = {True: "1", False: "0", None: "-"}


def fact_fields(category: Category) -> list[str]:
    """The yes/no and list fields published with the points: filters and key facts."""
    return [
        name
        for name, fd in category.fields.items()
        if fd.kind in ("bool", "enum") and (fd.filter or name in KEY_FACTS)
    ]


def hashed_name(prefix: str, content: bytes, suffix: str = ".json") -> str:
    return f"{prefix}.{hashlib.sha256(content).hexdigest()[:10]}{suffix}"


def _hilbert_index(x: int, y: int, order: int = 16) -> int:
    """Position of cell (x, y) along a Hilbert curve over a 2**order grid."""
    index = 0
    s = 1 << (order - 1)
    while s:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        index += s * s * ((3 * rx) ^ ry)
        if ry == 0:  # rotate the quadrant so the curve stays continuous
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        s >>= 1
    return index


def spatial_order(
    facilities: Sequence[FacilityCard], bounds: tuple[tuple[float, float], tuple[float, float]]
) -> list[FacilityCard]:
    """Facilities sorted along a Hilbert curve over the site's bounds (ties by id)."""
    (west, south), (east, north) = bounds
    size = (1 << 16) - 1

    def key(f: FacilityCard) -> tuple[int, str]:
        x = int((f.lng - west) / (east - west) * size)
        y = int((f.lat - south) / (north - south) * size)
        return _hilbert_index(min(max(x, 0), size), min(max(y, 0), size)), f.id

    return sorted(facilities, key=key)


def delta_encode(pairs: Iterable[tuple[float, float]]) -> list[int]:
    """``[x0, y0, dx1, dy1, ...]`` in integer units of 1e-5 degree."""
    out: list[int] = []
    px = py = 0
    for x, y in pairs:
        ix, iy = round(x * COORD_SCALE), round(y * COORD_SCALE)
        out += (ix - px, iy - py)
        px, py = ix, iy
    return out


def points_payload(
    category: Category, facilities: Sequence[FacilityCard], with_gcj02: bool
) -> dict[str, Any]:
    """The locale-independent map data of one category."""
    payload: dict[str, Any] = {
        "ids": [f.id for f in facilities],
        "xy": delta_encode((f.lng, f.lat) for f in facilities),
    }
    if with_gcj02:
        payload["gcj"] = delta_encode(wgs84_to_gcj02(f.lng, f.lat) for f in facilities)
    if category.hours_field:
        payload["h"] = [-1 if f.schedule is None else f.schedule for f in facilities]
    bools: dict[str, str] = {}
    enums: dict[str, Any] = {}
    for name in fact_fields(category):
        fd = category.fields[name]
        if fd.kind == "bool":
            # "1" yes, "0" no, "-" not given: a filter takes only "1", a card tells all three.
            bools[name] = "".join(_FLAG[f.values.get(name)] for f in facilities)
        elif fd.kind == "enum":
            values = list(getattr(fd.field, "values", []))
            codes = {v: i for i, v in enumerate(values)}
            enums[name] = {
                "values": values,
                "codes": [codes.get(f.values.get(name), -1) for f in facilities],
            }
    if bools:
        payload["bool"] = bools
    if enums:
        payload["enum"] = enums
    return payload


def text_payload(
    facilities: Sequence[FacilityCard], locale: str, pinyin_memo: dict[str, str] | None = None
) -> dict[str, Any]:
    """Names and addresses of one category's facilities in ``locale``, in point order.

    Where a page shows a Chinese name for want of a translation, ``rom`` has its pinyin.
    """
    payload: dict[str, Any] = {
        "name": [f.name[locale] for f in facilities],
        "addr": [f.address[locale] if f.address is not None else None for f in facilities],
    }
    rom = [romanized(f.name, locale, pinyin_memo) or None for f in facilities]
    if any(rom):
        payload["rom"] = rom
    return payload


@dataclass
class AppData:
    """Every front-end data file of a site, and the URLs each locale's config points at."""

    files: dict[str, bytes] = field(default_factory=dict)
    points: dict[str, str] = field(default_factory=dict)  # category id -> path
    texts: dict[tuple[str, str], str] = field(default_factory=dict)  # (category, locale) -> path
    cards: dict[tuple[str, str], str] = field(default_factory=dict)  # (category, locale) -> path
    pinyin: dict[str, str] = field(default_factory=dict)  # category id -> path
    hours: str = ""
    fold: str = ""

    def add(self, prefix: str, payload: Any) -> str:
        content = compact_json(payload)
        path = hashed_name(prefix, content)
        self.files[path] = content
        return path

    def take(self, category_id: str, part: _CategoryData) -> None:
        """A category's files, each under its kind."""
        for kind, locale, path, content in part.files:
            self.files[path] = content
            if kind == "points":
                self.points[category_id] = path
            elif kind == "pinyin":
                self.pinyin[category_id] = path
            elif kind == "cards":
                assert locale is not None
                self.cards[(category_id, locale)] = path
            else:
                assert locale is not None
                self.texts[(category_id, locale)] = path


def zone_offsets(timezone: str, start: dt.date, length: int) -> list[list[int]]:
    """``[[utc_seconds, offset_minutes], ...]``: the zone's UTC offset from each moment on,
    over the compiled days, so that the browser knows local time without the costly Intl."""
    zone = zoneinfo.ZoneInfo(timezone)
    begin = dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), dt.UTC)
    end = begin + dt.timedelta(days=length + 2)

    def offset(at: dt.datetime) -> int:
        delta = at.astimezone(zone).utcoffset() or dt.timedelta()
        return int(delta.total_seconds() // 60)

    changes = [[int(begin.timestamp()), offset(begin)]]
    at = begin
    while at < end:
        after = at + dt.timedelta(hours=1)
        if offset(after) != changes[-1][1]:
            low, high = at, after  # the change is within this hour: find its minute
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == changes[-1][1] else (low, middle)
            changes.append([int(high.timestamp()), offset(high)])
        at = after
    return changes


def category_key(site: Site, category: Category) -> str:
    """Digest of a category's cards, in order: the key of everything made from all of them."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{site.epoch}\0{category.id}\0".encode())
    for facility in category.facilities:
        h.update(facility.digest.encode())
        h.update(b"\0")
    return h.hexdigest()


@dataclass
class _CategoryData:
    files: list[tuple[str, str | None, str, bytes]]  # (kind, locale, path, content)
    chars: frozenset[str]  # of the names and addresses, for the fold map


def build_app_data(
    site: Site,
    strings: UiStrings,
    pinyin_memo: dict[str, str] | None = None,
    memo: Memo | None = None,
    category_keys: dict[str, str] | None = None,
) -> AppData:
    """Compute all front-end data files of ``site``; ``pinyin_memo`` keeps readings made.

    With a ``memo`` from an earlier build, a category whose cards did not change keeps
    its files (``category_keys``, by ``category_key``, say which did not).
    """
    memo = memo or Memo()
    keys = category_keys or {c.id: category_key(site, c) for c in site.categories}
    data = AppData()
    with_gcj02 = any(t.crs == "gcj02" for t in site.config.tiles)
    all_chars: set[str] = set()
    # The card data holds UI words (yes, no): a change of the theme's strings remakes it.
    words = hashlib.blake2b(compact_json(strings), digest_size=8).hexdigest()

    def data_key(category: Category) -> tuple[str, bool, str]:
        return (keys[category.id], with_gcj02, words)

    def make(category: Category) -> _CategoryData:
        return _category_data(site, category, with_gcj02, strings, pinyin_memo)

    to_make = [c for c in site.categories if not memo.known("app-data", data_key(c), lasting=True)]
    made = _made_on_every_core(to_make, make)
    for category in site.categories:
        part = memo.get(
            "app-data",
            data_key(category),
            lambda c=category: made.get(c.id) or make(c),  # type: ignore[misc]
            lasting=True,
        )
        data.take(category.id, part)
        all_chars |= part.chars
    data.hours = data.add("data/hours", _hours_payload(site))
    fold = memo.get(
        "fold", tuple(keys[c.id] for c in site.categories), lambda: fold_map_of_chars(all_chars)
    )
    data.fold = data.add("data/fold", dict(sorted(fold.items())))
    return data


def _hours_payload(site: Site) -> dict[str, Any]:
    """The compiled opening hours of every card (docs/front-end-data.md)."""
    sched = site.schedules
    return {
        "start": sched.start.isoformat(),
        "length": sched.length,
        "timezone": site.config.timezone,
        "zone": zone_offsets(site.config.timezone, sched.start, sched.length),
        "days": [[list(span) for span in spans] for spans in sched.days],
        "rows": [list(row) for row in sched.rows],
    }


PARALLEL_DATA_MIN = 5_000  # cards of categories to make data of: worth forking workers


def _made_on_every_core(
    categories: list[Category], make: Callable[[Category], _CategoryData]
) -> dict[str, _CategoryData]:
    """The data of ``categories`` made in forked workers, largest first, when there are
    thousands of cards (a city's first build: 30,000 cards, 4 s on one core); else nothing,
    and each is made when asked for."""
    if len(categories) < 2 or sum(len(c.facilities) for c in categories) < PARALLEL_DATA_MIN:
        return {}
    ordered = sorted(categories, key=lambda c: -len(c.facilities))
    parts = forked_map(make, ordered, default_jobs())
    return {c.id: part for c, part in zip(ordered, parts, strict=True)}


def _category_data(
    site: Site,
    category: Category,
    with_gcj02: bool,
    strings: UiStrings,
    pinyin_memo: dict[str, str] | None,
) -> _CategoryData:
    part = _CategoryData([], frozenset())
    texts: list[str] = []

    def add(kind: str, locale: str | None, prefix: str, payload: Any) -> None:
        content = compact_json(payload)
        part.files.append((kind, locale, hashed_name(prefix, content), content))

    ordered = spatial_order(category.facilities, site.config.bounds)
    add("points", None, f"data/points/{category.id}", points_payload(category, ordered, with_gcj02))
    # Pinyin is only needed by search, and is the same in every locale: a file of its own.
    source = site.config.source_locale
    add(
        "pinyin",
        None,
        f"data/pinyin/{category.id}",
        {"py": [pinyin_syllables(f.name[source], pinyin_memo) for f in ordered]},
    )
    for locale in site.config.locales:
        text = text_payload(ordered, locale, pinyin_memo)
        texts += [t for t in text["name"] + text["addr"] if t]
        add("text", locale, f"data/text/{category.id}", text)
        cards = card_payload(category, ordered, locale, strings[locale])
        add("cards", locale, f"data/cards/{category.id}", cards)
    part.chars = characters(texts)
    return part
