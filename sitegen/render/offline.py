"""The installable, offline-capable side of the site (docs/offline.md): which files a visitor's
phone precaches, the offline pages, one manifest per locale, and ``sw.js`` with its config."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sitegen.i18n.localize import slug
from sitegen.pipeline.model import Site
from sitegen.render import precache
from sitegen.render.appdata import AppData
from sitegen.render.assets import ThemeAssets
from sitegen.render.manifest import Manifest, web_manifest
from sitegen.render.page import Page
from sitegen.render.plan import PagePlan
from sitegen.render.strings import UiStrings
from sitegen.render.urls import manifest_path

# Pages of a locale that are its app shell (with the first page of each category list).
_SHELL = ("home", "guide", "offline", "report", "my-reports")


class OfflineApp:
    """The precache plan and the offline files of one site; ``sizes`` once they are made."""

    def __init__(
        self,
        site: Site,
        theme: Path,
        assets: ThemeAssets,
        data: AppData,
        plan: PagePlan,
        strings: UiStrings,
        theme_color: str,
    ) -> None:
        self.site = site
        self.theme = theme
        self.assets = assets
        self.data = data
        self.plan = plan
        self.strings = strings
        self.theme_color = theme_color
        self.budget = precache.budget_bytes(site.config.precache_budget_mb)
        self.sizes: dict[str, int] = {}  # locale -> bytes, filled in by ``files``

    def precache_plan(self) -> precache.PrecachePlan:
        """The app shell and the data a visitor of one locale needs offline."""
        data = self.data
        plan = precache.PrecachePlan()
        plan.shared |= {rel for rel in self.assets.files if precache.is_precached_asset(rel)}
        plan.shared |= {*data.points.values(), *data.pinyin.values(), data.hours, data.fold}
        plan.shared.add("index.html")  # the language chooser at the root
        # Name cards are never precached (they are made from the data offline).
        candidates = [p for p in self.plan.pages if p.key[0] != "facility"]
        candidates += self.plan.offline_pages
        for locale in self.site.config.locales:
            own = {manifest_path(locale)}
            own |= {data.texts[(c.id, locale)] for c in self.site.categories}
            # The full cards as data: every attribute offline, without a page per place.
            own |= {data.cards[(c.id, locale)] for c in self.site.categories}
            for page in candidates:
                kind = page.key[0]
                first_list = kind == "category" and page.key[2] == "1"
                if page.locale == locale and (kind in _SHELL or first_list):
                    own.add(page.path + "index.html")
            plan.by_locale[locale] = own
        return plan

    def files(
        self,
        plan: precache.PrecachePlan,
        kept: dict[str, bytes],
        render_page: Callable[[Page], bytes],
    ) -> Iterator[tuple[str, bytes]]:
        """Offline pages and manifests, then ``sw.js`` with the precache manifest.

        ``kept`` holds the bytes of every precached file made so far (their revisions).
        """
        source = self.theme / "sw" / "sw.js"
        # A theme without a worker (a project's own) gets the manifests only: online only.
        with_worker = source.is_file()
        for page in self.plan.offline_pages if with_worker else []:
            html = render_page(page)
            kept[page.output] = html
            yield page.output, html
        for locale in self.site.config.locales:
            manifest = self._manifest(locale)
            kept[manifest_path(locale)] = manifest
            yield manifest_path(locale), manifest
        if not with_worker:
            return
        result = precache.precache_manifest(plan, kept, self.budget)
        self.sizes = result.sizes
        config = self._worker_config(result)
        yield "sw.js", precache.service_worker(source, config)

    def _manifest(self, locale: str) -> bytes:
        strings = self.strings[locale]
        title = self.site.title[locale]
        description = self.site.config.description
        return web_manifest(
            Manifest(
                locale=locale,
                name=title,
                short_name=title if len(title) <= 12 else strings.get("app_short_name", title[:12]),
                description=(
                    self.site.localizer.resolve(description)[locale]
                    if description
                    else strings.get("app_description", title)
                ),
            ),
            self.site.config.base_path,
            self.assets,
            self.theme_color,
        )

    def _worker_config(self, result: precache.PrecacheResult) -> dict[str, Any]:
        config: dict[str, Any] = {
            # The worker knows locales by their URL slug (zh-hans), as in sw.js?locale=.
            "precache": {
                group if group == "shared" else slug(group): entries
                for group, entries in result.entries.items()
            },
            "locales": [slug(loc) for loc in self.site.config.locales],
            "categories": [c.id for c in self.site.categories],
            # Overlays (annotation layers) are cached as their layers are.
            "tiles": [
                {"id": t.id, "url": url, "subdomains": subdomains, "prefetch": t.prefetch}
                for t in self.site.config.tiles
                for url, subdomains in t.templates()
            ],
            "tileLimits": {"entries": precache.TILE_MAX_ENTRIES, "bytes": precache.TILE_MAX_BYTES},
            # The report outbox the worker imports for Background Sync (docs/reports.md).
            "outbox": self.assets.paths.get("js/report-outbox.js"),
        }
        config["build"] = precache.build_id(config)
        return config
