"""Guides as the pages show them: Markdown bodies sanitised, per locale, and their entries
pointing at facilities, with text resolved in every locale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import markdown
import nh3

from sitegen.hours.opening import OpeningHours
from sitegen.i18n.linebreaks import join_cjk_lines_html
from sitegen.i18n.localize import CHINESE, Localizer, LText
from sitegen.pipeline.config import SiteConfig
from sitegen.pipeline.validate_guides import CheckedGuide

if TYPE_CHECKING:
    from sitegen.pipeline.model import FacilityCard


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


_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "caption"}


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML; one converter is reused for every guide.

    A soft line break between Chinese characters is joined without a space.
    """
    _MARKDOWN.reset()
    return join_cjk_lines_html(str(nh3.clean(_MARKDOWN.convert(text), tags=_ALLOWED_TAGS)))


def build_guide(
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
                text = localizer.convert(bodies[chinese], chinese, locale)
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
