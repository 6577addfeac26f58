"""schema.org JSON-LD of a name card, for search engines."""

from __future__ import annotations

from typing import Any

from sitegen.pipeline.model import FacilityCard
from sitegen.render.urls import SiteUrls, facility_path


def facility_jsonld(facility: FacilityCard, locale: str, urls: SiteUrls) -> dict[str, Any]:
    """schema.org description of a facility for search engines."""
    url = urls.absolute_url(facility_path(locale, facility))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": facility.category.schema_type,
        "@id": url,
        "name": facility.name[locale],
        "url": url,
        "geo": {"@type": "GeoCoordinates", "latitude": facility.lat, "longitude": facility.lng},
    }
    if facility.address is not None:
        data["address"] = facility.address[locale]
    if facility.hours is not None and facility.hours.is_always_open:
        data["openingHours"] = "Mo-Su 00:00-23:59"
    return data
