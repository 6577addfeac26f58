"""Where each page and file of the site lives, and links to them that honour the base URL."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import BuildError
from sitegen.i18n.localize import slug
from sitegen.pipeline.guides import Guide
from sitegen.pipeline.model import Category, FacilityCard


def facility_path(locale: str, facility: FacilityCard) -> str:
    return f"{slug(locale)}/{facility.category.id}/{facility.id}/"


def category_path(locale: str, category: Category, page: int = 1) -> str:
    suffix = "" if page == 1 else f"page/{page}/"
    return f"{slug(locale)}/{category.id}/{suffix}"


def guide_path(locale: str, guide: Guide) -> str:
    return f"{slug(locale)}/guides/{guide.id}/"


def report_path(locale: str) -> str:
    return f"{slug(locale)}/report/"


def my_reports_path(locale: str) -> str:
    return f"{slug(locale)}/report/mine/"


def manifest_path(locale: str) -> str:
    return f"{slug(locale)}/manifest.webmanifest"


class SiteUrls:
    """Paths below the site root, and the links a page writes to them (``paths`` in templates)."""

    facility_path = staticmethod(facility_path)
    category_path = staticmethod(category_path)
    guide_path = staticmethod(guide_path)
    report_path = staticmethod(report_path)
    my_reports_path = staticmethod(my_reports_path)
    manifest_path = staticmethod(manifest_path)

    def __init__(self, base_url: str, base_path: str, assets: dict[str, str], theme: Path) -> None:
        self.base_url = base_url
        self.base_path = base_path
        self.assets = assets  # theme file name -> output path (sitegen.render.assets)
        self.theme = theme

    def url(self, path: str) -> str:
        """A root-relative URL that honours a sub-path base URL."""
        return self.base_path + path

    def absolute_url(self, path: str) -> str:
        return self.base_url + path

    def asset_url(self, name: str) -> str:
        if name not in self.assets:
            raise BuildError(f"{self.theme / 'static' / name}: the theme has no such file")
        return self.url(self.assets[name])
