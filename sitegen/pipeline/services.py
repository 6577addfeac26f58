"""The services citizens can report (site.yaml ``report.services``), resolved in every locale."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.i18n.localize import Localizer, LText
from sitegen.pipeline.config import ReportService, SiteConfig

# ``attribute[facility]`` names the place a report is about; it is not a service attribute.
FACILITY_ATTRIBUTE = "facility"


@dataclass(frozen=True)
class AttributeValue:
    key: str
    name: LText


@dataclass(frozen=True)
class ServiceAttribute:
    """One question of a service definition (Open311 ``attribute``)."""

    code: str
    order: int
    datatype: str
    required: bool
    description: LText
    values: tuple[AttributeValue, ...]

    def value_keys(self) -> set[str]:
        return {v.key for v in self.values}


@dataclass(frozen=True)
class Service:
    """A problem category with its texts resolved for every locale of the site."""

    code: str
    name: LText
    description: LText | None
    group: LText | None
    keywords: tuple[str, ...]
    categories: tuple[str, ...]
    attributes: tuple[ServiceAttribute, ...]

    def attribute(self, code: str) -> ServiceAttribute | None:
        return next((a for a in self.attributes if a.code == code), None)


@dataclass(frozen=True)
class Catalog:
    """All services of a site, in site.yaml order."""

    services: tuple[Service, ...]
    locales: tuple[str, ...]
    source_locale: str

    def get(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)


def build_catalog(config: SiteConfig) -> Catalog:
    """Resolve site.yaml's services with the same localizer the static site uses."""
    localizer = Localizer(
        config.locales, config.source_locale, config.chinese_variant, config.conversion_phrases
    )
    return Catalog(
        services=tuple(_service(s, localizer) for s in config.report_services),
        locales=config.locales,
        source_locale=config.source_locale,
    )


def _service(s: ReportService, localizer: Localizer) -> Service:
    return Service(
        code=s.code,
        name=localizer.resolve(s.name),
        description=localizer.resolve(s.description) if s.description else None,
        group=localizer.resolve(s.group) if s.group else None,
        keywords=s.keywords,
        categories=s.categories,
        attributes=tuple(
            ServiceAttribute(
                code=a["code"],
                order=index,
                datatype=a["datatype"],
                required=a["required"],
                description=localizer.resolve(a["description"]),
                values=tuple(
                    AttributeValue(v["key"], localizer.resolve(v["name"]))
                    for v in a.get("values") or ()
                ),
            )
            for index, a in enumerate(s.attributes, start=1)
        ),
    )
