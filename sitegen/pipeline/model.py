"""The model stage: everything the pages need, derived once from the checked content.

Text is resolved for every locale here (OpenCC for the other Chinese script), opening
hours are compiled into concrete intervals for the coming weeks, and facilities are
grouped and sorted, so that rendering is a pure function of this ``Site``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.cache.keys import content_key
from sitegen.cache.memo import Memo
from sitegen.hours.calendar import HolidayCalendar
from sitegen.hours.compile import compile_schedule
from sitegen.hours.opening import OpeningHours
from sitegen.hours.sun import PlaceSun
from sitegen.i18n.linebreaks import join_cjk_lines
from sitegen.i18n.localize import Localizer, LText
from sitegen.pipeline.categories import CategoryDef, FieldDef
from sitegen.pipeline.config import SiteConfig, build_date
from sitegen.pipeline.guides import Guide, build_guide
from sitegen.pipeline.validate import CheckedCard, CheckedContent

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Category:
    id: str
    name: LText
    description: LText | None
    icon: str
    color: str
    order: int
    schema_type: str
    fields: Mapping[str, FieldDef]
    labels: Mapping[str, LText]  # field name -> label
    value_labels: Mapping[str, Mapping[str, LText]]  # enum field -> value -> label
    hours_field: str | None  # the field whose hours decide "open now"
    facilities: list[FacilityCard] = field(default_factory=list, compare=False, repr=False)


@dataclass(frozen=True)
class FacilityCard:
    """A place as the pages show it: resolved text, WGS-84 position, compiled hours."""

    id: str
    category: Category
    name: LText
    address: LText | None
    description: LText | None
    lng: float
    lat: float
    values: Mapping[str, Any]  # category fields; text and ltext already resolved to LText
    hours: OpeningHours | None
    schedule: int | None  # index into Site.schedules.rows
    photos: tuple[str, ...]
    verified: dt.date | None
    source: str  # "path:line:col" of the card, for messages
    digest: str = ""  # of the card as written, and of its compiled schedule (incremental build)


# Facilities whose hours follow the sun share a schedule per square of this many degrees
# (0.1° is about 11 km: sunrise moves by less than half a minute across it).
SUN_GRID = 0.1
_NOT_SEEN = -2


def sun_cell(lat: float, lng: float) -> tuple[float, float]:
    """The centre of the grid square of a position, where its sun times are computed."""
    return (
        round((lat // SUN_GRID) * SUN_GRID + SUN_GRID / 2, 6),
        round((lng // SUN_GRID) * SUN_GRID + SUN_GRID / 2, 6),
    )


@dataclass
class Schedules:
    """Compiled opening hours shared by all facilities.

    ``days`` are the distinct day patterns (lists of open intervals in minutes), ``rows``
    the distinct schedules: one pattern index per day from ``start``. Thousands of
    facilities share a handful of rows, which keeps the published data small.
    """

    start: dt.date
    length: int
    timezone: str = "Asia/Shanghai"
    days: list[Spans] = field(default_factory=list)
    rows: list[tuple[int, ...]] = field(default_factory=list)
    _day_index: dict[Spans, int] = field(default_factory=dict, repr=False)
    _row_index: dict[tuple[int, ...], int] = field(default_factory=dict, repr=False)
    _by_hours: dict[object, int] = field(default_factory=dict, repr=False)

    def add(
        self,
        hours: OpeningHours,
        calendar: HolidayCalendar,
        memo: Memo | None = None,
        place: tuple[float, float] | None = None,
        closed: frozenset[dt.date] = frozenset(),
    ) -> int | None:
        """The row index of ``hours``, compiling it the first time it is seen.

        ``place`` (lat, lng) matters only for hours with sun times, ``closed`` are the
        site's closure days for the facility's category. None: never open in the compiled
        days but unknown at times (a comment, an open end), so unknown, not closed.
        """
        cell = sun_cell(*place) if place is not None and hours.uses_sun else None
        key: object = hours if cell is None and not closed else (hours, cell, closed)
        found = self._by_hours.get(key, _NOT_SEEN)
        if found != _NOT_SEEN:
            return None if found < 0 else found
        sun = PlaceSun(cell[0], cell[1], self.timezone) if cell is not None else None
        memo_key = (hours, self.start, self.length, calendar.country, cell, closed)

        def compiled() -> tuple[Spans, ...]:
            return compile_schedule(hours, self.start, self.length, calendar, sun, closed)

        spans = memo.get("schedule", memo_key, compiled) if memo is not None else compiled()
        if hours.has_unknown and not any(spans):
            self._by_hours[key] = -1
            return None
        row = tuple(self._intern_day(day) for day in spans)
        index = self._row_index.setdefault(row, len(self.rows))
        if index == len(self.rows):
            self.rows.append(row)
        self._by_hours[key] = index
        return index

    def _intern_day(self, spans: Spans) -> int:
        index = self._day_index.setdefault(spans, len(self.days))
        if index == len(self.days):
            self.days.append(spans)
        return index

    def spans_on(self, row: int, day: dt.date) -> Spans | None:
        """Open intervals of a schedule on ``day``, or None outside the compiled range."""
        offset = (day - self.start).days
        if not 0 <= offset < self.length:
            return None
        return self.days[self.rows[row][offset]]


@dataclass
class Site:
    """The whole site, ready to render."""

    config: SiteConfig
    today: dt.date
    categories: list[Category]
    facilities: dict[str, FacilityCard]
    guides: list[Guide]
    schedules: Schedules
    localizer: Localizer
    title: LText
    # Digest of what every part of the model depends on (site.yaml, categories, the day):
    # with a card's digest, the key of memoized work in a long-lived process (cache/memo.py).
    epoch: str = ""


def build_site(
    checked: CheckedContent,
    config: SiteConfig,
    today: dt.date | None = None,
    memo: Memo | None = None,
) -> Site:
    """Derive the model from content that passed validation.

    With a ``memo`` kept from an earlier build, cards whose digest did not change keep the
    ``FacilityCard`` made then (resolving text in three locales is most of the work here).
    """
    memo = memo or Memo()
    today = today or build_date(config)
    epoch = f"{checked.epoch}:{today.isoformat()}"
    localizer = Localizer(
        config.locales, config.source_locale, config.chinese_variant, config.conversion_phrases
    )
    calendar = memo.get(
        "calendar",
        (config.holidays, today.year),
        lambda: HolidayCalendar(config.holidays, range(today.year - 1, today.year + 3)),
    )
    schedules = Schedules(today, config.hours_horizon_days, config.timezone)
    categories: dict[str, Category] = memo.get(
        "categories",
        epoch,
        lambda: {cid: _category(c, localizer) for cid, c in checked.categories.items()},
    )
    for category in categories.values():
        category.facilities.clear()  # the memoized categories are filled again
    closed = _closure_days(config, categories, today)
    facilities = _facilities(
        checked, categories, localizer, schedules, calendar, memo, epoch, closed
    )
    for category in categories.values():
        category.facilities.sort(key=lambda f: (f.name[config.source_locale], f.id))
    guides = [build_guide(g, facilities, localizer, config) for g in checked.guides]
    return Site(
        config=config,
        today=today,
        categories=sorted(categories.values(), key=lambda c: (c.order, c.id)),
        facilities=dict(sorted(facilities.items())),
        guides=sorted(guides, key=lambda g: (g.order, g.id)),
        schedules=schedules,
        localizer=localizer,
        title=localizer.resolve(config.title),
        epoch=epoch,
    )


def _facilities(
    checked: CheckedContent,
    categories: dict[str, Category],
    localizer: Localizer,
    schedules: Schedules,
    calendar: HolidayCalendar,
    memo: Memo,
    epoch: str,
    closed: Mapping[str, frozenset[dt.date]],
) -> dict[str, FacilityCard]:
    """Every card as the pages show it, each added to its category, in the cards' order."""
    facilities: dict[str, FacilityCard] = {}
    for file_key, batch in checked.batches:
        numbers = []
        for card in batch:
            # A schedule's number depends on the cards before it: found on every build.
            hours_field = categories[card.category].hours_field
            hours = card.values.get(hours_field) if hours_field else None
            numbers.append(
                None
                if hours is None
                else schedules.add(
                    hours,
                    calendar,
                    memo,
                    (round(card.lat, 6), round(card.lng, 6)),
                    closed.get(card.category, frozenset()),
                )
            )
        made = _file_facilities(file_key, batch, categories, localizer, memo, epoch)
        for card, facility, number in zip(batch, made, numbers, strict=True):
            if number is not None:
                facility = _numbered(facility, number, card)
            facilities[facility.id] = facility
            categories[card.category].facilities.append(facility)
    return facilities


def _numbered(facility: FacilityCard, number: int, card: CheckedCard) -> FacilityCard:
    """The card with the number of its schedule, which changes when cards before it do."""
    numbered = object.__new__(FacilityCard)  # a copy, quicker than dataclasses.replace
    numbered.__dict__.update(
        facility.__dict__, schedule=number, digest=f"{card.digest}:{number}:{card.category}"
    )
    return numbered


def _file_facilities(
    file_key: str,
    batch: list[CheckedCard],
    categories: dict[str, Category],
    localizer: Localizer,
    memo: Memo,
    epoch: str,
) -> list[FacilityCard]:
    """The cards of one file, their schedules not numbered yet.

    They are kept together in the build cache, for the next process; each card alone in
    memory, for the next build of this one (sitegen serve).
    """

    def make() -> list[FacilityCard]:
        return [
            memo.get(
                "facility",
                (epoch, card.digest),  # the card's mark is not on its pages
                lambda card=card: _facility(card, categories[card.category], localizer),  # type: ignore[misc]
            )
            for card in batch
        ]

    if not file_key:
        return make()
    return memo.get(
        "facilities",
        (epoch, file_key, content_key(*(card.digest for card in batch))),
        make,
        lasting=True,
        shared=categories,  # a card points to its category: kept by its id
    )


def _closure_days(
    config: SiteConfig, categories: Mapping[str, Category], today: dt.date
) -> dict[str, frozenset[dt.date]]:
    """Per category, the closure days of site.yaml within the compiled days."""
    last = today + dt.timedelta(days=config.hours_horizon_days)
    out: dict[str, frozenset[dt.date]] = {}
    for cid in categories:
        days = set()
        for c in config.closures:
            if not c.applies_to(cid):
                continue
            d = max(c.first, today)
            while d <= min(c.last, last):
                days.add(d)
                d += dt.timedelta(days=1)
        if days:
            out[cid] = frozenset(days)
    return out


def _category(c: CategoryDef, localizer: Localizer) -> Category:
    labels = {
        name: localizer.resolve(fd.label) if fd.label else localizer.same(name.replace("_", " "))
        for name, fd in c.fields.items()
    }
    value_labels = {
        name: {
            str(v): localizer.resolve({"": str(v), **fd.value_labels.get(str(v), {})})
            for v in getattr(fd.field, "values", [])
        }
        for name, fd in c.fields.items()
        if fd.kind == "enum"
    }
    hours_field = next((n for n, fd in c.fields.items() if fd.kind == "hours"), None)
    return Category(
        id=c.id,
        name=localizer.resolve(c.name),
        description=localizer.resolve(c.description) if c.description else None,
        icon=c.icon,
        color=c.color,
        order=c.order,
        schema_type=c.schema_type,
        fields=c.fields,
        labels=labels,
        value_labels=value_labels,
        hours_field=hours_field,
    )


def _facility(card: CheckedCard, category: Category, localizer: Localizer) -> FacilityCard:
    """A card as the pages show it; its schedule is numbered by ``_facilities``."""
    v = card.values
    values: dict[str, Any] = {}
    for name, fd in category.fields.items():
        if name not in v:
            continue
        if fd.kind == "ltext":
            values[name] = localizer.resolve(v[name])
        elif fd.kind == "text":
            # One text for every page, but shown in the page's script where it is Chinese.
            values[name] = localizer.text(v[name])
        elif fd.kind == "list" and v[name] and isinstance(v[name][0], dict):
            values[name] = [localizer.resolve(item) for item in v[name]]
        elif fd.kind == "list" and v[name] and isinstance(v[name][0], str):
            values[name] = [localizer.text(item) for item in v[name]]
        else:
            values[name] = v[name]
    hours = values.get(category.hours_field) if category.hours_field else None
    return FacilityCard(
        id=card.id,
        category=category,
        name=localizer.resolve(v["name"]),
        address=localizer.resolve(v["address"]) if "address" in v else None,
        description=(
            localizer.resolve({k: join_cjk_lines(t) for k, t in v["description"].items()})
            if "description" in v
            else None
        ),
        lng=round(card.lng, 6),
        lat=round(card.lat, 6),
        values=values,
        hours=hours,
        schedule=None,
        photos=tuple(v.get("photos") or ()),
        verified=v.get("verified"),
        source=str(card.mark),
        # The schedule number can move when another card's hours change: it is on the page.
        digest=f"{card.digest}:None:{category.id}",
    )
