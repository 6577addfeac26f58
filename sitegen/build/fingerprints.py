"""What each page depends on: the incremental build's fingerprints.

The dependency model is explicit and small (docs/editing.md, "Fast rebuilds"):

- every output depends on the *site digest* (build/snapshot.py): site.yaml, the category
  definitions, the theme, the sitegen code, the build date and the base URL. Change one of
  them and every page is rendered again;
- a name-card page depends on its card as written, the index of its compiled opening
  hours (shown on the page, and able to move when another card's hours change) and the
  titles of the guides that point at it;
- a category list page depends on the cards listed on it, their number and the number
  of pages;
- everything else (home pages, guides, data and search files, the sitemap, manifests and
  the service worker with its precache list) is made on every build: there are a few
  dozen of them, and they depend on all cards at once.

A page whose fingerprint (its inputs, hashed) equals the one recorded by the last build
(build/record.py) is not rendered: the file already in the output is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitegen.cache.keys import content_key
from sitegen.cache.memo import Memo

if TYPE_CHECKING:
    from sitegen.pipeline.guides import Guide
    from sitegen.pipeline.model import Category, FacilityCard
    from sitegen.render.page import Page


def _hash(*parts: str) -> str:
    return content_key(*parts, size=16)  # a page's fingerprint in the record: 16 bytes do


@dataclass
class Dependencies:
    """Fingerprints of the pages that can be skipped when their inputs did not change."""

    site: str
    guides_with: Callable[[FacilityCard], list[Guide]]
    locales: tuple[str, ...]
    memo: Memo = field(default_factory=Memo)
    category_keys: dict[str, str] = field(default_factory=dict)  # render.appdata.category_key
    _guide_titles: dict[str, str] = field(default_factory=dict)

    def page(self, page: Page) -> str | None:
        """The fingerprint of a page that can be skipped; None for pages always made."""
        kind, context = page.key[0], page.context
        if kind == "facility":
            return self.facility_page(page)
        if kind == "category":
            category, number, count = (
                context["category"],
                context["page_number"],
                context["page_count"],
            )
            # The category's key covers its cards in order, so which ones are on this page.
            key = (self.site, page.locale, self.category_keys[category.id], number, count)
            return self.memo.get(
                "list-fingerprint",
                key,
                lambda: _hash(
                    page.locale, self.category_page(category, context["facilities"], number, count)
                ),
            )
        return None

    def facility_page(self, page: Page) -> str:
        return f"{self.facility(page.context['facility'])}:{page.locale}"

    def facility(self, facility: FacilityCard) -> str:
        guides = self._guides_of(facility)
        key = (self.site, facility.digest, guides)
        return self.memo.get("fingerprint", key, lambda: _hash(*key[:2], "facility", guides))

    def category_page(
        self, category: Category, facilities: Iterable[FacilityCard], number: int, count: int
    ) -> str:
        # The page shows its cards, where it is among the pages, and how many cards there are.
        cards = ",".join(f.digest for f in facilities)
        total = str(len(category.facilities))
        return _hash(self.site, "category", category.id, str(number), str(count), total, cards)

    def guides_key(self, guides: Iterable[Guide]) -> str:
        """What of the guides name-card pages show: which guides list which card, titled how."""
        parts = []
        for guide in guides:
            title = "|".join(guide.title[loc] for loc in self.locales)
            parts.append(f"{guide.id}={title}:" + ",".join(e.facility.id for e in guide.entries))
        return _hash(*parts)

    def _guides_of(self, facility: FacilityCard) -> str:
        parts = []
        for guide in self.guides_with(facility):
            title = self._guide_titles.get(guide.id)
            if title is None:
                title = "|".join(guide.title[loc] for loc in self.locales)
                self._guide_titles[guide.id] = title
            parts.append(f"{guide.id}={title}")
        return ";".join(parts)
