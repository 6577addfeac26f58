"""Which pages the site has: per locale the home page, category lists, name cards, guides,
the report pages and the 404 page; and which pages are "the same" in other locales."""

from __future__ import annotations

from sitegen.cache.memo import Memo
from sitegen.i18n.localize import slug
from sitegen.pipeline.model import Category, Site
from sitegen.render.page import Page
from sitegen.render.urls import (
    category_path,
    facility_path,
    guide_path,
    my_reports_path,
    report_path,
)

# The name-card pages of one category in one locale: most of the site, and what the build
# keeps or renders as a whole when none or some of its cards changed.
FacilityGroup = tuple[tuple[str, str], list[Page]]  # ((category id, locale), pages)


class PagePlan:
    """Every page of a site, in a fixed order, and each page's alternates in other locales."""

    def __init__(
        self, site: Site, memo: Memo, category_keys: dict[str, str], report_pages: bool
    ) -> None:
        self.site = site
        self.memo = memo
        self.category_keys = category_keys
        self.facility_groups: list[FacilityGroup] = []
        self.pages = self._plan(report_pages)
        # The offline pages are rendered with the offline files (not counted as site pages).
        self.offline_pages = [
            Page(f"{slug(loc)}/offline/", "offline.html", {}, loc, ("offline",), in_sitemap=False)
            for loc in site.config.locales
        ]
        self._by_key: dict[tuple[str, ...], dict[str, Page]] = {}
        for page in self.pages + self.offline_pages:
            self._by_key.setdefault(page.key, {})[page.locale] = page

    def alternates(self, page: Page) -> list[tuple[str, Page]]:
        """The same page in every locale, in the site's locale order."""
        group = self._by_key[page.key]
        return [(loc, group[loc]) for loc in self.site.config.locales if loc in group]

    def _plan(self, report_pages: bool) -> list[Page]:
        pages = []
        for locale in self.site.config.locales:
            pages.append(Page(f"{slug(locale)}/", "home.html", {}, locale, ("home",)))
            for category in self.site.categories:
                pages.extend(self._category_pages(category, locale))
                group = self.memo.get(
                    "facility-pages",
                    (self.category_keys[category.id], locale, id(category)),
                    lambda c=category, loc=locale: self._facility_pages(c, loc),  # type: ignore[misc]
                )
                self.facility_groups.append(((category.id, locale), group))
                pages.extend(group)
            for guide in self.site.guides:
                path = guide_path(locale, guide)
                pages.append(
                    Page(path, "guide.html", {"guide": guide}, locale, ("guide", guide.id))
                )
            if report_pages:
                for path, template, key in (
                    (report_path(locale), "report.html", "report"),
                    (my_reports_path(locale), "my-reports.html", "my-reports"),
                ):
                    pages.append(Page(path, template, {}, locale, (key,), in_sitemap=False))
            pages.append(
                Page(f"{slug(locale)}/404.html", "404.html", {}, locale, ("404",), in_sitemap=False)
            )
        return pages

    def _category_pages(self, category: Category, locale: str) -> list[Page]:
        size = self.site.config.page_size
        facilities = category.facilities
        chunks = [facilities[i : i + size] for i in range(0, len(facilities), size)] or [[]]
        return [
            Page(
                category_path(locale, category, number),
                "category.html",
                {
                    "category": category,
                    "facilities": chunk,
                    "page_number": number,
                    "page_count": len(chunks),
                },
                locale,
                ("category", category.id, str(number)),
            )
            for number, chunk in enumerate(chunks, start=1)
        ]

    def _facility_pages(self, category: Category, locale: str) -> list[Page]:
        pages = []
        for facility in category.facilities:
            # Keyed by the card object: a memoized page is that of this very card.
            pages.append(
                self.memo.get(
                    "facility-page",
                    (locale, id(facility), id(category)),
                    lambda f=facility: Page(  # type: ignore[misc]
                        facility_path(locale, f),
                        "facility.html",
                        {"facility": f, "category": category},
                        locale,
                        ("facility", f.id),
                    ),
                )
            )
        return pages
