"""The validate stage: check every category, name card and guide, collecting all problems.

Each problem names ``path:line:col`` and the field; a typo in a name suggests the right one.
Only content with no errors at all goes on to the model.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.cache.keys import content_key
from sitegen.cache.memo import Memo
from sitegen.errors import Mark, Problem, Report
from sitegen.geo.crs import CRS_NAMES, to_wgs84
from sitegen.pipeline.categories import ID_PATTERN, CategoryDef, parse_category
from sitegen.pipeline.config import SiteConfig
from sitegen.pipeline.load import RawContent, SourceFile, is_broken, parsed
from sitegen.pipeline.validate_guides import CheckedGuide, check_guides
from sitegen.source import schema as s
from sitegen.source.located import LocatedDict, LocatedList, source_digest
from sitegen.workers import default_jobs, forked_map

CARD_COMMON: dict[str, s.Field] = {
    "id": s.Text(
        required=True,
        pattern=ID_PATTERN,
        pattern_doc="an id of at most 100 lowercase letters, digits, - and _",
    ),
    "category": s.Text(required=True),
    "name": s.LocalizedText(required=True),
    "address": s.LocalizedText(),
    "location": s.LngLat(required=True),
    "crs": s.Enum(CRS_NAMES, default="wgs84"),
    "photos": s.ListOf(s.Image()),
    "verified": s.Date(),
    "description": s.LocalizedText(max_length=20_000),
}


@dataclass
class CheckedCard:
    id: str
    category: str
    values: dict[str, Any]
    lng: float  # WGS-84, whatever the card's crs
    lat: float
    mark: Mark
    digest: str = ""  # of the card as written: the incremental build's key (build/fingerprints.py)


@dataclass
class CheckedContent:
    categories: dict[str, CategoryDef] = field(default_factory=dict)
    # The valid cards, by the key of the file they came from ("": a file with no key).
    batches: list[tuple[str, list[CheckedCard]]] = field(default_factory=list)
    guides: list[CheckedGuide] = field(default_factory=list)
    # Ids written on any card, valid or not: a guide pointing at a card that has its own
    # errors is not reported again as pointing at an unknown facility.
    written_ids: set[str] = field(default_factory=set)
    # Digest of site.yaml and the category definitions, which every card is checked against.
    epoch: str = ""
    card_ids: Mapping[str, Mark] = field(default_factory=dict)

    @property
    def cards(self) -> list[CheckedCard]:
        """Every valid card, in the files' order."""
        return [card for _, batch in self.batches for card in batch]


@dataclass
class _FileCheck:
    """What checking one facility file found, before ids are compared across files."""

    problems: list[Problem]
    written_ids: list[str]
    cards: list[tuple[CheckedCard, Mark]]  # each valid card, with the mark of its id
    ids: dict[str, Mark] | None = None  # of those cards, if they all differ


def validate(
    raw: RawContent, config: SiteConfig, report: Report, memo: Memo | None = None
) -> CheckedContent:
    """Check everything; the result holds only what passed, the report holds the rest.

    With a ``memo`` from an earlier build, a facility file whose text, site.yaml and
    category definitions are unchanged is not parsed or checked again: the result is kept
    in memory, and in the build cache for the next process (sitegen/cache/memo.py).
    """
    ctx = s.Context(report, config.locales, config.content_dir)
    checked = CheckedContent()
    checked.epoch = source_digest((repr(config), [c.data for c in raw.categories]))
    _check_categories(raw, ctx, checked)
    _check_services(config, ctx, checked)
    _check_cards(raw, config, ctx, checked, memo or Memo())
    checked.guides = check_guides(raw.guides, ctx, checked.card_ids, checked.written_ids)
    return checked


def _check_categories(raw: RawContent, ctx: s.Context, checked: CheckedContent) -> None:
    first_seen: dict[str, Mark] = {}
    for source in raw.categories:
        if is_broken(source.data):
            continue
        category = parse_category(source.data, Mark(source.path), ctx)
        if category is None:
            continue
        if category.id in first_seen:
            ctx.report.error(
                source.data.value_mark("id"),
                f'id: duplicate category id "{category.id}", first defined at '
                f"{first_seen[category.id]}",
            )
            continue
        first_seen[category.id] = source.data.value_mark("id")
        checked.categories[category.id] = category


def _check_services(config: SiteConfig, ctx: s.Context, checked: CheckedContent) -> None:
    """The categories a report service applies to must exist."""
    for index, service in enumerate(config.report_services, start=1):
        for category in service.categories:
            if category not in checked.categories:
                hint = s.did_you_mean(category, list(checked.categories))
                ctx.report.error(
                    service.categories_mark,
                    f'report.services[{index}].categories: unknown category "{category}"{hint}',
                )


def _check_cards(
    raw: RawContent, config: SiteConfig, ctx: s.Context, checked: CheckedContent, memo: Memo
) -> None:
    schemas = {cid: c.card_schema(CARD_COMMON) for cid, c in checked.categories.items()}
    # A card's check says whether the images it names exist: kept checks hold for these.
    epoch = f"{checked.epoch}:{_image_files(config.content_dir)}"
    fresh = _check_new_files(raw, config, schemas, ctx, memo, epoch)
    first_seen: dict[str, Mark] = {}
    for source in raw.facilities:
        if is_broken(source.data):
            continue
        found = (
            memo.get(
                "check",
                (epoch, source.key),
                lambda source=source: (
                    fresh.get(source.key)  # type: ignore[misc]
                    or _check_file(source, config, schemas, ctx)
                ),
                lasting=True,
            )
            if source.key
            else _check_file(source, config, schemas, ctx)
        )
        ctx.report.problems.extend(found.problems)
        checked.written_ids.update(found.written_ids)
        if found.ids is not None and first_seen.keys().isdisjoint(found.ids):  # all at once
            first_seen.update(found.ids)
            batch = [result for result, _ in found.cards]
        else:
            batch = []
            for result, id_mark in found.cards:
                if result.id in first_seen:
                    ctx.report.error(
                        id_mark,
                        f'id: duplicate id "{result.id}", first defined at {first_seen[result.id]}',
                    )
                    continue
                first_seen[result.id] = id_mark
                batch.append(result)
        checked.batches.append((source.key, batch))
    checked.card_ids = first_seen


def _image_files(content_dir: Path) -> str:
    """A digest of the image files below the content folder, and of where links among them
    point (a link out of the folder is a problem of the card that names it)."""
    found = []
    for folder, dirs, files in os.walk(content_dir):
        dirs.sort()
        for name in dirs:  # not walked into when they are links: where they point, then
            path = os.path.join(folder, name)
            if os.path.islink(path):
                found.append(f"{os.path.relpath(path, content_dir)}/\0{os.path.realpath(path)}")
        for name in sorted(files):
            if name.lower().endswith(s.Image.suffixes):
                path = os.path.join(folder, name)
                link = os.path.realpath(path) if os.path.islink(path) else ""
                found.append(f"{os.path.relpath(path, content_dir)}\0{link}")
    return content_key(*found)


PARALLEL_CHECK_MIN = 2_000_000  # characters of name-card files to check: worth the workers


def _check_new_files(
    raw: RawContent,
    config: SiteConfig,
    schemas: dict[str, s.Record],
    ctx: s.Context,
    memo: Memo,
    epoch: str,
) -> dict[str, _FileCheck]:
    """The checks of the files no earlier build checked, on every core when they are many
    (a city's first build: 30,000 cards to parse and check, the largest part of its model)."""
    new = [
        source
        for source in raw.facilities
        if source.key
        and source.text is not None
        and not memo.known("check", (epoch, source.key), lasting=True)
    ]
    if len(new) < 2 or sum(len(source.text or "") for source in new) < PARALLEL_CHECK_MIN:
        return {}
    found = forked_map(
        lambda source: _check_file(source, config, schemas, ctx), new, default_jobs()
    )
    return {source.key: check for source, check in zip(new, found, strict=True)}


def _check_file(
    source: SourceFile, config: SiteConfig, schemas: dict[str, s.Record], outer: s.Context
) -> _FileCheck:
    ctx = s.Context(Report(), outer.locales, outer.content_root)
    found = _FileCheck(ctx.report.problems, [], [])
    data = parsed(source, ctx.report)
    if is_broken(data):
        return found
    if isinstance(data, LocatedDict):
        cards: list[Any] = [data]
    elif isinstance(data, LocatedList):
        cards = list(data)
    else:
        ctx.report.error(
            Mark(source.path), "a facility file holds one name card (a mapping) or a list of them"
        )
        return found
    for card in cards:
        if isinstance(card, LocatedDict) and isinstance(card.get("id"), str):
            found.written_ids.append(card["id"])
        result = _check_card(card, config, schemas, ctx, mark_default=Mark(source.path))
        if result is not None:
            found.cards.append((result, card.value_mark("id")))
    ids = {result.id: mark for result, mark in found.cards}
    if len(ids) == len(found.cards):  # else the merge reports the duplicates card by card
        found.ids = ids
    return found


def _check_card(
    card: Any, config: SiteConfig, schemas: dict[str, s.Record], ctx: s.Context, mark_default: Mark
) -> CheckedCard | None:
    if not isinstance(card, LocatedDict):
        ctx.report.error(
            getattr(card, "mark", mark_default),
            f"a name card must be a mapping of fields, got {s.describe(card)}",
        )
        return None
    category = card.get("category")
    if "category" not in card:
        ctx.report.error(card.mark, 'missing required field "category"')
        return None
    if not isinstance(category, str):
        ctx.report.error(
            card.value_mark("category"),
            f'category: expected a category id such as "toilet", got {s.describe(category)}',
        )
        return None
    if category not in schemas:
        hint = s.did_you_mean(str(category), list(schemas))
        ctx.report.error(
            card.value_mark("category"), f'category: unknown category "{category}"{hint}'
        )
        return None
    values = schemas[category].parse_items(
        card, ctx, context=f' for category "{category}"', skip=frozenset({"category"})
    )
    if values is None:
        _check_location_alone(card, config, ctx)
        return None
    written_lng, written_lat = values["location"]
    lng, lat = to_wgs84(written_lng, written_lat, values["crs"])
    if not _check_location(lng, lat, values["location"], card.value_mark("location"), config, ctx):
        return None
    return CheckedCard(values["id"], category, values, lng, lat, card.mark, source_digest(card))


def _check_location_alone(card: LocatedDict, config: SiteConfig, ctx: s.Context) -> None:
    """Check the position of a card that has other errors, so its problems come in one run."""
    quiet = s.Context(Report(), ctx.locales, ctx.content_root)
    mark = card.value_mark("location")
    try:
        location = s.LngLat().parse(card.get("location"), mark, quiet)
        crs = s.Enum(CRS_NAMES).parse(card.get("crs", "wgs84"), mark, quiet)
    except s.Invalid:
        return  # already reported by the full check
    lng, lat = to_wgs84(location[0], location[1], crs)
    _check_location(lng, lat, location, mark, config, ctx)


def _check_location(
    lng: float,
    lat: float,
    written: tuple[float, float],
    mark: Mark,
    config: SiteConfig,
    ctx: s.Context,
) -> bool:
    (west, south), (east, north) = config.bounds
    if west <= lng <= east and south <= lat <= north:
        return True
    a, b = (_num(v) for v in written)
    if west <= lat <= east and south <= lng <= north:
        ctx.report.error(mark, f"location: {s.swapped_message(a, b)}")
    else:
        ctx.report.error(
            mark,
            f"location: [{a}, {b}] is outside the site's bounds "
            f"[[{_num(west)}, {_num(south)}], [{_num(east)}, {_num(north)}]]",
        )
    return False


def _num(value: float) -> str:
    return repr(float(value)).removesuffix(".0") if float(value).is_integer() else repr(value)
