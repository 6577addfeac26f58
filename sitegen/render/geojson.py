"""The open-data export of the map: RFC 7946 GeoJSON, one file per category and locale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sitegen.cache.memo import Memo
from sitegen.i18n.localize import slug
from sitegen.pipeline.model import Category, FacilityCard, Site
from sitegen.render.jsondata import json_dumps
from sitegen.render.urls import SiteUrls, facility_path


def geojson_files(
    site: Site, urls: SiteUrls, memo: Memo, category_keys: dict[str, str]
) -> Iterator[tuple[str, bytes]]:
    """``data/LOCALE/CATEGORY.geojson`` for every locale and category, in a fixed order."""
    for locale in site.config.locales:
        for category in site.categories:
            content = memo.get(
                "geojson",
                (category_keys[category.id], locale),
                lambda c=category, loc=locale: _collection(c, loc, urls),  # type: ignore[misc]
                lasting=True,
            )
            yield f"data/{slug(locale)}/{category.id}.geojson", content


def _collection(category: Category, locale: str, urls: SiteUrls) -> bytes:
    features = [_feature(f, locale, urls) for f in category.facilities]
    return json_dumps({"type": "FeatureCollection", "features": features}).encode()


def _feature(facility: FacilityCard, locale: str, urls: SiteUrls) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": facility.name[locale],
        "url": urls.url(facility_path(locale, facility)),
    }
    if facility.address is not None:
        props["address"] = facility.address[locale]
    if facility.schedule is not None:
        props["h"] = facility.schedule
    for name, fd in facility.category.fields.items():
        if fd.filter and name in facility.values:
            props[name] = facility.values[name]
    return {
        "type": "Feature",
        "id": facility.id,
        "geometry": {"type": "Point", "coordinates": [facility.lng, facility.lat]},
        "properties": props,
    }
