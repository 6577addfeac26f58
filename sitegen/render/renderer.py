"""The render stage: a pure function from the ``Site`` model to output files.

``Renderer`` puts the parts together, one module per output kind: the page plan
(``plan``), the HTML pages from the theme's templates (``templates``, with ``fields``,
``jsonld``, ``report_form`` and ``urls`` as their helpers), the front-end's data
(``appdata``, ``appconfig``), the GeoJSON exports (``geojson``), the sitemap
(``sitemap``), the offline app (``offline``) and the theme's assets (``assets``).
Nothing here reads the clock or the disk outside the theme, so the same model always
gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen.cache.memo import Memo
from sitegen.i18n.localize import LOCALE_NAMES, LOCALE_SHORT, slug
from sitegen.i18n.romanize import romanized
from sitegen.pipeline.guides import Guide
from sitegen.pipeline.model import FacilityCard, Site
from sitegen.render import icons, precache, sitemap
from sitegen.render.appconfig import app_config
from sitegen.render.appdata import build_app_data, category_key
from sitegen.render.assets import ThemeAssets, collect_assets, import_map_script
from sitegen.render.csp import content_security_policy, origin
from sitegen.render.fields import CardFormatter, localized
from sitegen.render.geojson import geojson_files
from sitegen.render.headers import (
    caddy_headers,
    header_rules,
    headers_file,
    nginx_maps,
    site_headers,
)
from sitegen.render.jsondata import json_script
from sitegen.render.jsonld import facility_jsonld
from sitegen.render.media import media_files, media_path
from sitegen.render.navlinks import nav_links
from sitegen.render.offline import OfflineApp
from sitegen.render.page import Page
from sitegen.render.plan import PagePlan
from sitegen.render.ratings import PlaceRatings
from sitegen.render.report_form import ReportForm
from sitegen.render.sitemap import robots_txt
from sitegen.render.strings import load_strings
from sitegen.render.templates import Templates, make_environment, theme_key
from sitegen.render.urls import SiteUrls


class Renderer:
    """Renders every page and data file of a site with one theme."""

    def __init__(
        self,
        site: Site,
        theme: Path,
        pinyin_memo: dict[str, str] | None = None,
        memo: Memo | None = None,
        ratings: PlaceRatings | None = None,
    ) -> None:
        self.site = site
        self.ratings = ratings or PlaceRatings()  # baked by ``sitegen build --ratings``
        self.pinyin_memo = pinyin_memo
        config = site.config
        # A memo kept from an earlier build in the same process (sitegen serve) holds what
        # did not change: theme assets, each category's data, pages, exports (cache/memo.py).
        self.memo = memo = memo or Memo()
        self.category_keys = {c.id: category_key(site, c) for c in site.categories}
        key = theme_key(theme)
        self.strings = memo.get(
            "strings", (key, config.locales), lambda: load_strings(theme, config.locales)
        )
        self.theme_color = icons.theme_color(theme)
        category_css = _category_css(site)
        self.assets: ThemeAssets = memo.get(
            "assets",
            (key, category_css, self.theme_color),
            lambda: _assets(theme, category_css, self.theme_color),
        )
        self.urls = SiteUrls(config.base_url, config.base_path, self.assets.paths, theme)
        self.app_data = build_app_data(site, self.strings, pinyin_memo, memo, self.category_keys)
        self.import_map, import_map_hash = import_map_script(self.assets.imports, config.base_path)
        self.csp = content_security_policy(config, import_map_hash)  # the <meta> fallback
        self.header_csp = content_security_policy(config, import_map_hash, header=True)
        self.report_form = ReportForm(config, theme)
        self.plan = PagePlan(site, memo, self.category_keys, self.report_form.enabled)
        self.pages = self.plan.pages
        self.facility_groups = self.plan.facility_groups
        self.offline = OfflineApp(
            site, theme, self.assets, self.app_data, self.plan, self.strings, self.theme_color
        )
        self._guides_by_facility = _guides_by_facility(site.guides)
        self.cards = CardFormatter(site, self.strings, self.urls.url)
        self.templates = Templates(memo.get("jinja", key, lambda: make_environment(theme)))
        self.templates.env.globals.update(self._globals())

    def _globals(self) -> dict[str, Any]:
        """What every template may call (docs/theming in the templates' own comments)."""
        site, urls, cards, form = self.site, self.urls, self.cards, self.report_form
        return {
            "site": site,
            "config": site.config,
            "asset": urls.asset_url,
            "module_preloads": self.assets.static_imports,
            "text": localized,
            "romanized": lambda value, locale: romanized(value, locale, self.pinyin_memo),
            "url": urls.url,
            "media_url": lambda rel: urls.url(media_path(rel)),
            "absolute": urls.absolute_url,
            "locale_slug": slug,
            "json": json_script,
            "field_value": cards.field_value,
            "field_rows": cards.field_rows,
            "next_days": cards.next_days,
            "spans_text": cards.spans_text,
            "weekday_name": cards.weekday_name,
            "hours_days": cards.hours_days,
            "LOCALE_NAMES": LOCALE_NAMES,
            "LOCALE_SHORT": LOCALE_SHORT,
            # Connections the home page opens early: its map tiles load after the library.
            "tile_origins": sorted({origin(t.url.replace("{s}", "a")) for t in site.config.tiles}),
            "site_title": site.title,
            "resolve": site.localizer.resolve,
            "facility_jsonld": lambda facility, locale: facility_jsonld(facility, locale, urls),
            "guides_with": self.guides_with,
            "report_config": form.settings,
            "report_quick_services": form.quick_services,
            "place_rating": self.ratings.of,
            "has_report_form": form.enabled,
            "theme_color": self.theme_color,
            "app_config": self.app_config,
            "once": self.templates.once,
            "paths": urls,
            "all_strings": self.strings,
        }

    @property
    def precache_sizes(self) -> dict[str, int]:
        """Per locale, what a phone downloads for offline use (known once ``sw.js`` is made)."""
        return self.offline.sizes

    def guides_with(self, facility: FacilityCard) -> list[Guide]:
        return self._guides_by_facility.get(facility.id, [])

    def app_config(self, locale: str, for_home: bool = False) -> dict[str, Any]:
        """The JSON the map front-end reads (docs/front-end-data.md)."""
        return app_config(self.site, locale, self.urls, self.app_data, self.strings, for_home)

    def alternates(self, page: Page) -> list[tuple[str, Page]]:
        return self.plan.alternates(page)

    def precache_plan(self) -> precache.PrecachePlan:
        return self.offline.precache_plan()

    # -- output -----------------------------------------------------------------------

    def render(self, progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, bytes]]:
        """Every output file as ``(relative path, bytes)``, in a fixed order.

        The build (sitegen/build/stages.py) calls the parts below itself, to skip unchanged
        pages and render on every core; this is the whole site in one process.
        """
        plan = self.precache_plan()
        kept: dict[str, bytes] = {}  # the precached files, whose bytes give their revisions
        pages = ((page.output, self.render_page(page)) for page in self.pages)
        made: list[str] = []
        for rel, content in chain(self.shared_files(), pages):
            if plan.wants(rel):
                kept[rel] = content
            made.append(rel)
            yield rel, content
            if progress is not None and rel.endswith(".html"):
                progress(1)
        for rel, content in self.closing_files(plan, kept):
            made.append(rel)
            yield rel, content
        yield from self.header_files(made)

    def shared_files(self) -> Iterator[tuple[str, bytes]]:
        """Theme assets, the front-end's data and search files, the GeoJSON exports."""
        yield from sorted(self.assets.files.items())
        yield from media_files(self.site)
        yield from sorted(self.app_data.files.items())
        yield from geojson_files(self.site, self.urls, self.memo, self.category_keys)

    def render_page(self, page: Page) -> bytes:
        return self.templates.render(page.template, self._context(page), page.path)

    def closing_files(
        self, plan: precache.PrecachePlan, kept: dict[str, bytes]
    ) -> Iterator[tuple[str, bytes]]:
        """What is made from all pages at once: root pages, sitemap, offline files, sw.js."""
        kept["index.html"] = root = self._render_root("root.html")  # the language chooser
        yield "index.html", root
        yield "404.html", self._render_root("404.html")
        paths = hashlib.blake2b("\0".join(p.path for p in self.pages).encode()).hexdigest()
        key = (self.site.epoch, self.site.config.base_url, paths, *sitemap.limits())
        yield from self.memo.get(
            "sitemap",
            key,
            lambda: sitemap.sitemaps(self.pages, self.alternates, self.urls),
            lasting=True,
        )
        yield "robots.txt", robots_txt(self.urls)
        yield from self.offline.files(plan, kept, self.render_page)

    def header_files(self, files: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """``_headers`` and its nginx and Caddy forms, for the output's ``files`` (made last)."""
        config = self.site.config
        common = site_headers(config, self.header_csp)
        rules = header_rules(files, config.base_path, common, self.memo)
        yield "_headers", headers_file(rules)
        yield "_headers.nginx", nginx_maps(rules, config.base_path)
        yield "_headers.caddy", caddy_headers(rules, config.base_path)

    def _context(self, page: Page) -> dict[str, Any]:
        locale = page.locale
        return {
            **page.context,
            "page": page,
            "locale": locale,
            "t": self.strings[locale],
            "alternates": self.alternates(page),
            "csp": self.csp,
            "paths": self.urls,
            "nav_links": nav_links,
            "import_map": Markup(self.import_map),
            "app_config_json": (
                json_script(self.app_config(locale, for_home=True)) if page.key == ("home",) else ""
            ),
        }

    def _render_root(self, template: str) -> bytes:
        locale = self.site.config.source_locale
        page = Page("", template, {}, locale, ("root", template), in_sitemap=False)
        context = {
            "page": page,
            "locale": locale,
            "t": self.strings[locale],
            "alternates": [],
            "csp": self.csp,
            "paths": self.urls,
            "all_strings": self.strings,
            "import_map": Markup(self.import_map),
            "app_config_json": "",
        }
        return self.templates.render(template, context, template)


def _assets(theme: Path, category_css: bytes, color: str) -> ThemeAssets:
    assets = collect_assets(theme, {"css/categories.css": category_css})
    icons.add_icons(assets, color)
    return assets


def _category_css(site: Site) -> bytes:
    # Category colours come from content; the CSP forbids inline styles, so they are
    # published as a small generated stylesheet.
    return "".join(
        f'[data-category="{c.id}"]{{--category-color:{c.color}}}\n' for c in site.categories
    ).encode()


def _guides_by_facility(guides: list[Guide]) -> dict[str, list[Guide]]:
    found: dict[str, list[Guide]] = {}
    for guide in guides:
        for entry in guide.entries:
            listed = found.setdefault(entry.facility.id, [])
            if guide not in listed:
                listed.append(guide)
    return found
