"""``sitegen check --explain-hours``: how each distinct opening-hours value was read."""

from __future__ import annotations

from sitegen.hours.opening import OpeningHours
from sitegen.pipeline.model import Site


def explain_hours(site: Site, locale: str = "en") -> list[str]:
    """One line per distinct hours value: where it is first written, the OSM form read, in
    words, and how many cards carry it; values rewritten from Chinese or English first."""
    seen: dict[str, tuple[str, OpeningHours, int]] = {}
    for facility in site.facilities.values():
        category = facility.category
        for name, fd in category.fields.items():
            value = facility.values.get(name)
            if fd.kind != "hours" or not isinstance(value, OpeningHours):
                continue
            source, hours, count = seen.get(value.text, (facility.source, value, 0))
            seen[value.text] = (source, hours, count + 1)
    lines = []
    ordered = sorted(seen.values(), key=lambda v: v[1].text.strip() == v[1].osm)
    for source, hours, count in ordered:
        how = "as written" if hours.text.strip() == hours.osm else f'as "{hours.osm}"'
        cards = "1 card" if count == 1 else f"{count} cards"
        lines.append(
            f'{source}: hours "{hours.text}" read {how}: {hours.describe(locale)} ({cards})'
        )
    return lines
