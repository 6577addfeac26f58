"""The model stage: everything the pages need, derived once from the checked content.

Text is resolved for every locale here (OpenCC for the other Chinese script), opening
hours are compiled into concrete intervals for the coming weeks, and facilities are
grouped and sorted, so that rendering is a pure function of this ``Site``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import markdown
import nh3

from .calendar import HolidayCalendar
from .categories import CategoryDef, FieldDef
from .config import SiteConfig, build_date
from .hours import OpeningHours, compile_schedule
from .i18n import CHINESE, Localizer, LText, convert_script
from .memo import Memo
from .validate import CheckedCard, CheckedContent, CheckedGuide

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
    values: Mapping[str, Any]  # category fields; localized text already resolved to LText
    hours: OpeningHours | None
    schedule: int | None  # index into Site.schedules.rows
    photos: tuple[str, ...]
    verified: dt.date | None
    source: str  # "path:line:col" of the card, for messages
    digest: str = ""  # of the card as written, and of its compiled schedule (incremental build)


@dataclass(frozen=True)
class Transport:
    origin: LText
    text: LText


@dataclass(frozen=True)
class Link:
    title: LText
    url: str


@dataclass(frozen=True)
class GuideEntry:
    facility: FacilityCard
    title: LText
    note: LText | None
    tags: tuple[LText, ...]
    fee: LText | None
    hours: OpeningHours | None
    transport: tuple[Transport, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Guide:
    id: str
    title: LText
    summary: LText | None
    order: int
    body_html: Mapping[str, str]
    body_lang: Mapping[str, str]  # the language each locale's body is really written in
    entries: tuple[GuideEntry, ...]


@dataclass
class Schedules:
    """Compiled opening hours shared by all facilities.

    ``days`` are the distinct day patterns (lists of open intervals in minutes), ``rows``
    the distinct schedules: one pattern index per day from ``start``. Thousands of
    facilities share a handful of rows, which keeps the published data small.
    """

    start: dt.date
    length: int
    days: list[Spans] = field(default_factory=list)
    rows: list[tuple[int, ...]] = field(default_factory=list)
    _day_index: dict[Spans, int] = field(default_factory=dict, repr=False)
    _row_index: dict[tuple[int, ...], int] = field(default_factory=dict, repr=False)
    _by_hours: dict[OpeningHours, int] = field(default_factory=dict, repr=False)

    def add(self, hours: OpeningHours, calendar: HolidayCalendar, memo: Memo | None = None) -> int:
        """The row index of ``hours``, compiling it the first time it is seen."""
        found = self._by_hours.get(hours)
        if found is not None:
            return found
        key = (hours, self.start, self.length, calendar.country)
        compiled = (
            memo.get(
                "schedule", key, lambda: compile_schedule(hours, self.start, self.length, calendar)
            )
            if memo is not None
            else compile_schedule(hours, self.start, self.length, calendar)
        )
        row = tuple(self._intern_day(spans) for spans in compiled)
        index = self._row_index.setdefault(row, len(self.rows))
        if index == len(self.rows):
            self.rows.append(row)
        self._by_hours[hours] = index
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
    # with a card's digest, the key of memoized work in a long-lived process (sitegen/memo.py).
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
    localizer = Localizer(config.locales, config.source_locale, config.chinese_variant)
    calendar = memo.get(
        "calendar",
        (config.holidays, today.year),
        lambda: HolidayCalendar(config.holidays, range(today.year - 1, today.year + 3)),
    )
    schedules = Schedules(today, config.hours_horizon_days)
    categories: dict[str, Category] = memo.get(
        "categories",
        epoch,
        lambda: {cid: _category(c, localizer) for cid, c in checked.categories.items()},
    )
    for category in categories.values():
        category.facilities.clear()  # the memoized categories are filled again
    facilities: dict[str, FacilityCard] = {}
    for card in checked.cards:
        category = categories[card.category]
        key = (epoch, card.digest)  # the card's mark is not on its pages
        facility = memo.get(
            "facility",
            key,
            lambda card=card, category=category: _facility(card, category, localizer),  # type: ignore[misc]
        )
        if facility.hours is not None:
            # A schedule's number depends on the cards before it: set on every build.
            schedule = schedules.add(facility.hours, calendar, memo)
            facility = memo.get(
                "facility-schedule",
                (key, schedule),
                lambda f=facility, n=schedule, c=card: replace(  # type: ignore[misc]
                    f, schedule=n, digest=f"{c.digest}:{n}:{c.category}"
                ),
            )
        facilities[facility.id] = facility
        category.facilities.append(facility)
    for category in categories.values():
        category.facilities.sort(key=lambda f: (f.name[config.source_locale], f.id))
    guides = [_guide(g, facilities, localizer, config) for g in checked.guides]
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
    """A card as the pages show it; its schedule number is set by ``build_site``."""
    v = card.values
    values: dict[str, Any] = {}
    for name, fd in category.fields.items():
        if name not in v:
            continue
        if fd.kind == "ltext":
            values[name] = localizer.resolve(v[name])
        elif fd.kind == "list" and v[name] and isinstance(v[name][0], dict):
            values[name] = [localizer.resolve(item) for item in v[name]]
        else:
            values[name] = v[name]
    hours = values.get(category.hours_field) if category.hours_field else None
    return FacilityCard(
        id=card.id,
        category=category,
        name=localizer.resolve(v["name"]),
        address=localizer.resolve(v["address"]) if "address" in v else None,
        description=localizer.resolve(v["description"]) if "description" in v else None,
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


_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "caption"}


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML; one converter is reused for every guide."""
    _MARKDOWN.reset()
    return str(nh3.clean(_MARKDOWN.convert(text), tags=_ALLOWED_TAGS))


def _guide(
    g: CheckedGuide,
    facilities: Mapping[str, FacilityCard],
    localizer: Localizer,
    config: SiteConfig,
) -> Guide:
    v = g.values
    titles = dict(v["title"])
    summaries = dict(v.get("summary") or {})
    bodies: dict[str, str] = {config.source_locale: g.body}
    for locale, (front, body) in g.translations.items():
        bodies[locale] = body
        if "title" in front:
            titles[locale] = front["title"]
        if "summary" in front:
            summaries[locale] = front["summary"]
    body_html: dict[str, str] = {}
    body_lang: dict[str, str] = {}
    for locale in config.locales:
        if locale in bodies:
            source, text = locale, bodies[locale]
        else:
            chinese = next((c for c in CHINESE if c in bodies), None)
            if locale in CHINESE and chinese is not None:
                source = locale
                text = convert_script(bodies[chinese], chinese, locale, config.chinese_variant)
            else:
                source, text = config.source_locale, g.body
        body_html[locale] = render_markdown(text)
        body_lang[locale] = source
    entries = tuple(
        GuideEntry(
            facility=facilities[e["facility"]],
            title=localizer.resolve(e["title"]) if "title" in e else facilities[e["facility"]].name,
            note=localizer.resolve(e["note"]) if "note" in e else None,
            tags=tuple(localizer.resolve(t) for t in e.get("tags") or ()),
            fee=localizer.resolve(e["fee"]) if "fee" in e else None,
            hours=e.get("hours"),
            transport=tuple(
                Transport(localizer.resolve(t["from"]), localizer.resolve(t["text"]))
                for t in e.get("transport") or ()
            ),
            links=tuple(
                Link(localizer.resolve(link["title"]), link["url"]) for link in e.get("links") or ()
            ),
        )
        for e in g.entries
    )
    return Guide(
        id=g.id,
        title=localizer.resolve(titles),
        summary=localizer.resolve(summaries) if summaries else None,
        order=v["order"],
        body_html=body_html,
        body_lang=body_lang,
        entries=entries,
    )
