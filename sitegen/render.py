"""The render stage: a pure function from the ``Site`` model to output files.

Pages come from the theme's Jinja templates (autoescaped), one URL tree per locale;
data files are compact GeoJSON per category and locale plus a shared hours table.
Nothing here reads the clock or the disk outside the theme, so the same model always
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from . import pwa
from .appdata import build_app_data, category_key
from .assets import ThemeAssets, collect_assets, import_map_script
from .errors import BuildError, ConfigError, Report
from .i18n import LOCALE_NAMES, LText, slug
from .memo import Memo
from .model import Category, FacilityCard, Guide, Site, Spans
from .navlinks import nav_links
from .reports.catalog import build_catalog
from .source import LocatedDict, YamlSyntaxError, parse_yaml

# The sitemaps.org protocol's limits for one sitemap file.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 2**20


@dataclass(frozen=True)
class HoursDay:
    """One day of a name card's hours table."""

    date: str  # ISO 8601
    weekday: str
    hours: str


@dataclass(frozen=True)
class Page:
    """One HTML page: its path below the site root (``en/toilet/``) and how to make it."""

    path: str
    template: str
    context: dict[str, Any]
    locale: str
    key: tuple[str, ...]  # identifies "the same page" across locales
    in_sitemap: bool = True

    @cached_property
    def output(self) -> str:
        """The file written: ``en/toilet/`` is ``en/toilet/index.html``."""
        return self.path + "index.html" if self.path.endswith("/") else self.path


def json_dumps(value: Any) -> str:
    """Compact, key-sorted JSON: deterministic and small."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Renderer:
    """Renders every page and data file of a site with one theme."""

    def __init__(
        self,
        site: Site,
        theme: Path,
        precache_budget_mb: float = pwa.DEFAULT_BUDGET_MB,
        pinyin_memo: dict[str, str] | None = None,
        memo: Memo | None = None,
    ) -> None:
        self.site = site
        self.config = site.config
        self.theme = theme
        self.base_path = self.config.base_path
        # A memo kept from an earlier build in the same process (sitegen serve) holds what
        # did not change: theme assets, each category's data, pages, exports (sitegen/memo.py).
        self.memo = memo = memo or Memo()
        self.category_keys = {c.id: category_key(site, c) for c in site.categories}
        theme_key = _tree_key(theme)
        self.strings = memo.get("strings", (theme_key, self.config.locales), self._load_strings)
        # Offline/PWA (sitegen/pwa.py): the app icons are drawn here, the rest is in render().
        self.theme_color = pwa.theme_color(theme)
        category_css = self._category_css()
        self.assets = memo.get(
            "assets", (theme_key, category_css, self.theme_color), self._make_assets
        )
        self.precache_budget = pwa.budget_bytes(precache_budget_mb)
        self.precache_sizes: dict[str, int] = {}  # locale -> bytes, filled in by render()
        self.app_data = build_app_data(site, pinyin_memo, memo, self.category_keys)
        self.import_map, import_map_hash = import_map_script(self.assets.imports, self.base_path)
        self.env = memo.get("jinja", theme_key, self._make_environment)
        self.env.globals.update(
            site=site,
            config=self.config,
            asset=self.asset_url,
            text=self.text,
            url=self.url,
            absolute=self.absolute_url,
            locale_slug=slug,
            json=_json_script,
            field_value=self.field_value,
            next_days=self.next_days,
            spans_text=self.spans_text,
            LOCALE_NAMES=LOCALE_NAMES,
            site_title=site.title,
            resolve=site.localizer.resolve,
            facility_jsonld=self.facility_jsonld,
            guides_with=self.guides_with,
            report_config=self.report_config,
            weekday_name=self.weekday_name,
            hours_days=self.hours_days,
            report_quick_services=self.report_quick_services,
            once=self.once,
            paths=self,
            all_strings=self.strings,
        )
        self._guides_by_facility: dict[str, list[Guide]] = {}
        for guide in site.guides:
            for entry in guide.entries:
                listed = self._guides_by_facility.setdefault(entry.facility.id, [])
                if guide not in listed:
                    listed.append(guide)
        self.csp = self._csp(import_map_hash)
        self._templates: dict[str, jinja2.Template] = {}
        self._fragments: dict[tuple[Any, ...], Markup] = {}
        self._days: dict[tuple[int, str], list[HoursDay]] = {}
        self._report_configs: dict[str, dict[str, Any]] = {}
        self._quick_services: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._report_catalog = build_catalog(self.config)
        self.pages = self._plan_pages()
        self._by_key: dict[tuple[str, ...], dict[str, Page]] = {}
        for page in self.pages:
            self._by_key.setdefault(page.key, {})[page.locale] = page
        # The offline pages are rendered with the offline files (not counted as site pages).
        self.offline_pages = self._offline_pages()
        for page in self.offline_pages:
            self._by_key.setdefault(page.key, {})[page.locale] = page

    def _make_assets(self) -> ThemeAssets:
        assets = collect_assets(self.theme, {"css/categories.css": self._category_css()})
        pwa.add_icons(assets, self.theme_color)
        return assets

    def _make_environment(self) -> jinja2.Environment:
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.theme / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- URLs -------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """A root-relative URL that honours a sub-path base URL."""
        return self.base_path + path

    def absolute_url(self, path: str) -> str:
        return self.config.base_url + path

    def asset_url(self, name: str) -> str:
        if name not in self.assets.paths:
            raise BuildError(f"{self.theme / 'static' / name}: the theme has no such file")
        return self.url(self.assets.paths[name])

    @staticmethod
    def facility_path(locale: str, facility: FacilityCard) -> str:
        return f"{slug(locale)}/{facility.category.id}/{facility.id}/"

    @staticmethod
    def category_path(locale: str, category: Category, page: int = 1) -> str:
        suffix = "" if page == 1 else f"page/{page}/"
        return f"{slug(locale)}/{category.id}/{suffix}"

    @staticmethod
    def guide_path(locale: str, guide: Guide) -> str:
        return f"{slug(locale)}/guides/{guide.id}/"

    # -- text -------------------------------------------------------------------------

    @staticmethod
    def text(value: LText | None, locale: str) -> Markup:
        """Localized text; a stand-in in another language is marked and carries its ``lang``."""
        if value is None:
            return Markup("")
        if value.is_fallback(locale):
            return Markup('<span lang="{}" class="fallback">{}</span>').format(
                value.lang(locale), value[locale]
            )
        return escape(value[locale])

    def field_value(self, facility: FacilityCard, name: str, locale: str) -> Markup:
        """A category field of a facility, formatted for people reading ``locale``."""
        value = facility.values[name]
        fd = facility.category.fields[name]
        strings = self.strings[locale]
        if fd.kind == "bool":
            return escape(strings["yes"] if value else strings["no"])
        if fd.kind == "enum":
            return self.text(facility.category.value_labels[name][value], locale)
        if fd.kind == "ltext":
            return self.text(value, locale)
        if fd.kind == "hours":
            return escape(value.describe(locale))
        if fd.kind == "phone":
            return Markup('<a href="tel:{}">{}</a>').format(value.replace(" ", ""), value)
        if fd.kind == "url":
            return Markup('<a href="{}" rel="noopener">{}</a>').format(value, value)
        if fd.kind == "image":
            return Markup('<img src="{}" alt="" loading="lazy">').format(self.url(value))
        if fd.kind == "date":
            return escape(value.isoformat())
        if fd.kind == "list":
            items = [
                self.text(v, locale) if isinstance(v, LText) else escape(str(v)) for v in value
            ]
            return Markup("、" if locale.startswith("zh") else ", ").join(items)
        return escape(str(value))

    def next_days(self, facility: FacilityCard, count: int = 7) -> list[tuple[dt.date, Spans]]:
        """The facility's open intervals for the ``count`` days from the build date."""
        if facility.schedule is None:
            return []
        days = []
        for offset in range(count):
            day = self.site.today + dt.timedelta(days=offset)
            spans = self.site.schedules.spans_on(facility.schedule, day)
            if spans is not None:
                days.append((day, spans))
        return days

    def hours_days(self, facility: FacilityCard, locale: str) -> list[HoursDay]:
        """``next_days`` as the page writes it: date, weekday and hours text of each day.

        Facilities share schedules (``facility.schedule``), so each is worked out once.
        """
        if facility.schedule is None:
            return []
        key = (facility.schedule, locale)
        days = self._days.get(key)
        if days is None:
            days = self._days[key] = [
                HoursDay(
                    day.isoformat(),
                    self.weekday_name(day, locale),
                    self.spans_text(spans, locale),
                )
                for day, spans in self.next_days(facility)
            ]
        return days

    def once(self, *key: Any, caller: Callable[[], str]) -> Markup:
        """``{% call once(name, locale) %}...{% endcall %}``: the body, rendered once per key.

        For the parts of a page that are the same on every page of a locale (the links in
        the head, the footer): 90,000 name cards render them once instead of 90,000 times.
        The body must depend on nothing but the key and the site; output is the same.
        """
        fragment = self._fragments.get(key)
        if fragment is None:
            fragment = self._fragments[key] = Markup(caller())
        return fragment

    def guides_with(self, facility: FacilityCard) -> list[Guide]:
        return self._guides_by_facility.get(facility.id, [])

    def weekday_name(self, day: dt.date, locale: str) -> str:
        return self.strings[locale]["weekday_names"].split(",")[day.weekday()]

    def facility_jsonld(self, facility: FacilityCard, locale: str) -> dict[str, Any]:
        """schema.org description of a facility for search engines."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": facility.category.schema_type,
            "@id": self.absolute_url(self.facility_path(locale, facility)),
            "name": facility.name[locale],
            "url": self.absolute_url(self.facility_path(locale, facility)),
            "geo": {"@type": "GeoCoordinates", "latitude": facility.lat, "longitude": facility.lng},
        }
        if facility.address is not None:
            data["address"] = facility.address[locale]
        if facility.hours is not None and facility.hours.is_always_open:
            data["openingHours"] = "Mo-Su 00:00-23:59"
        return data

    def spans_text(self, spans: Spans, locale: str) -> str:
        strings = self.strings[locale]
        if not spans:
            return strings["closed"]
        if spans == ((0, 1440),):
            return strings["open_24h"]
        return ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in spans)

    # -- planning ---------------------------------------------------------------------

    def _facility_pages(self, category: Category, locale: str) -> list[Page]:
        pages = []
        for facility in category.facilities:
            # Keyed by the card object: a memoized page is that of this very card.
            pages.append(
                self.memo.get(
                    "facility-page",
                    (locale, id(facility), id(category)),
                    lambda f=facility: Page(  # type: ignore[misc]
                        self.facility_path(locale, f),
                        "facility.html",
                        {"facility": f, "category": category},
                        locale,
                        ("facility", f.id),
                    ),
                )
            )
        return pages

    def _plan_pages(self) -> list[Page]:
        site, pages = self.site, []
        # The name-card pages of one category in one locale: most of the site, and what the
        # build keeps or renders as a whole when none or some of its cards changed.
        self.facility_groups: list[tuple[tuple[str, str], list[Page]]] = []
        size = self.config.page_size
        for locale in self.config.locales:
            pages.append(Page(f"{slug(locale)}/", "home.html", {}, locale, ("home",)))
            for category in site.categories:
                chunks = [
                    category.facilities[i : i + size]
                    for i in range(0, len(category.facilities), size)
                ] or [[]]
                for number, chunk in enumerate(chunks, start=1):
                    pages.append(
                        Page(
                            self.category_path(locale, category, number),
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
                    )
                group = self.memo.get(
                    "facility-pages",
                    (self.category_keys[category.id], locale, id(category)),
                    lambda c=category, loc=locale: self._facility_pages(c, loc),  # type: ignore[misc]
                )
                self.facility_groups.append(((category.id, locale), group))
                pages.extend(group)
            for guide in site.guides:
                pages.append(
                    Page(
                        self.guide_path(locale, guide),
                        "guide.html",
                        {"guide": guide},
                        locale,
                        ("guide", guide.id),
                    )
                )
            if self.has_report_form:
                for path, template, key in (
                    (self.report_path(locale), "report.html", "report"),
                    (self.my_reports_path(locale), "my-reports.html", "my-reports"),
                ):
                    pages.append(Page(path, template, {}, locale, (key,), in_sitemap=False))
            pages.append(
                Page(f"{slug(locale)}/404.html", "404.html", {}, locale, ("404",), in_sitemap=False)
            )
        return pages

    # -- reporting (docs/reports.md) ----------------------------------------------------

    @cached_property
    def has_report_form(self) -> bool:
        """The report and "My reports" pages exist when site.yaml names an endpoint and the
        theme has their templates (a project's own theme may leave reporting out)."""
        templates = self.theme / "templates"
        return bool(self.config.report_endpoint) and all(
            (templates / name).is_file() for name in ("report.html", "my-reports.html")
        )

    @staticmethod
    def report_path(locale: str) -> str:
        return f"{slug(locale)}/report/"

    @staticmethod
    def my_reports_path(locale: str) -> str:
        return f"{slug(locale)}/report/mine/"

    def report_config(self, locale: str) -> dict[str, Any]:
        """What the report form needs: the Open311 endpoint and the problem categories."""
        config = self._report_configs.get(locale)
        if config is None:
            config = self._report_configs[locale] = self._make_report_config(locale)
        return config

    def report_quick_services(self, category: Category, locale: str) -> list[dict[str, Any]]:
        """The problems a name card's short form offers: those of its category (or of any)
        that ask no required question, since the short form asks none."""
        key = (category.id, locale)
        services = self._quick_services.get(key)
        if services is None:
            services = self._quick_services[key] = [
                service
                for service in self.report_config(locale)["services"]
                if (not service["categories"] or category.id in service["categories"])
                and not any(a["required"] for a in service["attributes"])
            ]
        return services

    def _make_report_config(self, locale: str) -> dict[str, Any]:
        catalog = self._report_catalog
        return {
            "endpoint": self.config.report_endpoint,
            "jurisdiction": self.config.report_jurisdiction,
            "locale": locale,
            "services": [
                {
                    "code": s.code,
                    "name": s.name[locale],
                    "description": s.description[locale] if s.description else None,
                    "group": s.group[locale] if s.group else None,
                    "categories": list(s.categories),
                    "attributes": [
                        {
                            "code": a.code,
                            "datatype": a.datatype,
                            "required": a.required,
                            "description": a.description[locale],
                            "values": [[v.key, v.name[locale]] for v in a.values],
                        }
                        for a in s.attributes
                    ],
                }
                for s in catalog.services
            ],
        }

    def alternates(self, page: Page) -> list[tuple[str, Page]]:
        """The same page in every locale, in the site's locale order."""
        group = self._by_key[page.key]
        return [(loc, group[loc]) for loc in self.config.locales if loc in group]

    # -- output -----------------------------------------------------------------------

    def render(self, progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, bytes]]:
        """Every output file as ``(relative path, bytes)``, in a fixed order.

        The build (sitegen/build.py) calls the parts below itself, to skip unchanged pages
        and render on every core; this is the whole site in one process.
        """
        plan = self.precache_plan()
        kept: dict[str, bytes] = {}  # the precached files, whose bytes give their revisions
        pages = ((page.output, self.render_page(page)) for page in self.pages)
        for rel, content in chain(self.shared_files(), pages):
            if plan.wants(rel):
                kept[rel] = content
            yield rel, content
            if progress is not None and rel.endswith(".html"):
                progress(1)
        yield from self.closing_files(plan, kept)

    def shared_files(self) -> Iterator[tuple[str, bytes]]:
        """Theme assets, the front-end's data and search files, the GeoJSON exports."""
        yield from sorted(self.assets.files.items())
        yield from sorted(self.app_data.files.items())
        yield from self._geojson_files()

    def render_page(self, page: Page) -> bytes:
        template = self._templates.get(page.template)
        if template is None:
            template = self._templates[page.template] = self._template(page.template)
        try:
            return template.render(self._context(page)).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise _template_error(exc, page.path) from None

    def closing_files(
        self, plan: pwa.PrecachePlan, kept: dict[str, bytes]
    ) -> Iterator[tuple[str, bytes]]:
        """What is made from all pages at once: root pages, sitemap, offline files, sw.js."""
        kept["index.html"] = root = self._render_root("root.html")  # the language chooser
        yield "index.html", root
        yield "404.html", self._render_root("404.html")
        paths = hashlib.blake2b("\0".join(p.path for p in self.pages).encode()).hexdigest()
        key = (self.site.epoch, self.config.base_url, paths)
        yield from self.memo.get("sitemap", key, self._sitemaps)
        yield (
            "robots.txt",
            (f"User-agent: *\nAllow: /\n\nSitemap: {self.absolute_url('sitemap.xml')}\n").encode(),
        )
        yield from self._offline_files(plan, kept)

    # -- offline and installable (sitegen/pwa.py, docs/offline.md) ---------------------

    def _offline_pages(self) -> list[Page]:
        return [
            Page(f"{slug(loc)}/offline/", "offline.html", {}, loc, ("offline",), in_sitemap=False)
            for loc in self.config.locales
        ]

    def manifest_path(self, locale: str) -> str:
        return f"{slug(locale)}/manifest.webmanifest"

    def precache_plan(self) -> pwa.PrecachePlan:
        """The app shell and the data a visitor of one locale needs offline."""
        data = self.app_data
        plan = pwa.PrecachePlan()
        plan.shared |= {rel for rel in self.assets.files if pwa.is_precached_asset(rel)}
        plan.shared |= {*data.points.values(), *data.pinyin.values(), data.hours, data.fold}
        plan.shared.add("index.html")  # the language chooser at the root
        # Name cards are never precached (they are made from the data offline).
        candidates = [p for p in self.pages if p.key[0] != "facility"] + self.offline_pages
        for locale in self.config.locales:
            own = {self.manifest_path(locale)}
            own |= {data.texts[(c.id, locale)] for c in self.site.categories}
            for page in candidates:
                kind = page.key[0]
                first_list = kind == "category" and page.key[2] == "1"
                shell = ("home", "guide", "offline", "report", "my-reports")
                if page.locale == locale and (kind in shell or first_list):
                    own.add(page.path + "index.html")
            plan.by_locale[locale] = own
        return plan

    def _offline_files(
        self, plan: pwa.PrecachePlan, kept: dict[str, bytes]
    ) -> Iterator[tuple[str, bytes]]:
        """Offline pages and manifests, then ``sw.js`` with the precache manifest."""
        source = self.theme / "sw" / "sw.js"
        # A theme without a worker (a project's own) gets the manifests only: online only.
        with_worker = source.is_file()
        for page in self.offline_pages if with_worker else []:
            template = self._template("offline.html")
            try:
                html = template.render(self._context(page)).encode("utf-8")
            except jinja2.TemplateError as exc:
                raise _template_error(exc, page.path) from None
            kept[page.path + "index.html"] = html
            yield page.path + "index.html", html
        for locale in self.config.locales:
            strings = self.strings[locale]
            title = self.site.title[locale]
            description = self.config.description
            manifest = pwa.web_manifest(
                pwa.Manifest(
                    locale=locale,
                    name=title,
                    short_name=(
                        title if len(title) <= 12 else strings.get("app_short_name", title[:12])
                    ),
                    description=(
                        self.site.localizer.resolve(description)[locale]
                        if description
                        else strings.get("app_description", title)
                    ),
                ),
                self.base_path,
                self.assets,
                self.theme_color,
            )
            kept[self.manifest_path(locale)] = manifest
            yield self.manifest_path(locale), manifest
        if not with_worker:
            return
        result = pwa.precache_manifest(plan, kept, self.precache_budget)
        self.precache_sizes = result.sizes
        config: dict[str, Any] = {
            # The worker knows locales by their URL slug (zh-hans), as in sw.js?locale=.
            "precache": {
                group if group == "shared" else slug(group): entries
                for group, entries in result.entries.items()
            },
            "locales": [slug(loc) for loc in self.config.locales],
            "categories": [c.id for c in self.site.categories],
            "tiles": [
                {"id": t.id, "url": t.url, "subdomains": t.subdomains, "prefetch": t.prefetch}
                for t in self.config.tiles
            ],
            "tileLimits": {"entries": pwa.TILE_MAX_ENTRIES, "bytes": pwa.TILE_MAX_BYTES},
            # The report outbox the worker imports for Background Sync (docs/reports.md).
            "outbox": self.assets.paths.get("js/report-outbox.js"),
        }
        config["build"] = pwa.build_id(config)
        yield "sw.js", pwa.service_worker(source, config)

    def _context(self, page: Page) -> dict[str, Any]:
        locale = page.locale
        return {
            **page.context,
            "page": page,
            "locale": locale,
            "t": self.strings[locale],
            "alternates": self.alternates(page),
            "csp": self.csp,
            "paths": self,
            "nav_links": nav_links,
            "import_map": Markup(self.import_map),
            "app_config_json": (
                _json_script(self.app_config(locale)) if page.key == ("home",) else ""
            ),
        }

    def _render_root(self, template: str) -> bytes:
        locale = self.config.source_locale
        page = Page("", template, {}, locale, ("root", template), in_sitemap=False)
        try:
            return self._template(template).render(self._context_root(page)).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise _template_error(exc, template) from None

    def _template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, name) from None

    def _context_root(self, page: Page) -> dict[str, Any]:
        return {
            "page": page,
            "locale": page.locale,
            "t": self.strings[page.locale],
            "alternates": [],
            "csp": self.csp,
            "paths": self,
            "all_strings": self.strings,
            "import_map": Markup(self.import_map),
            "app_config_json": "",
        }

    def _csp(self, import_map_hash: str) -> str:
        tile_origins = sorted(
            {
                _origin(t.url.replace("{s}", "a"))
                for t in self.config.tiles
                if urlsplit(t.url).scheme
            }
        )
        report = [_origin(self.config.report_endpoint)] if self.config.report_endpoint else []
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' {import_map_hash}",
                "worker-src 'self'",
                "style-src 'self'",
                "img-src " + " ".join(["'self'", "data:", *tile_origins]),
                "connect-src " + " ".join(["'self'", *report]),
                "form-action " + " ".join(["'self'", *report]),
                "object-src 'none'",
                "base-uri 'self'",
            ]
        )

    # -- assets and strings -----------------------------------------------------------

    def _category_css(self) -> bytes:
        # Category colours come from content; the CSP forbids inline styles, so they are
        # published as a small generated stylesheet.
        return "".join(
            f'[data-category="{c.id}"]{{--category-color:{c.color}}}\n'
            for c in self.site.categories
        ).encode()

    def _load_strings(self) -> dict[str, dict[str, str]]:
        strings: dict[str, dict[str, str]] = {}
        for locale in self.config.locales:
            path = self.theme / "strings" / f"{locale}.yaml"
            if not path.is_file():
                raise ConfigError(f"{path}: the theme has no UI strings for {locale}")
            try:
                data = parse_yaml(path.read_text("utf-8"), str(path), Report())
            except YamlSyntaxError as exc:
                raise ConfigError(f"{exc.mark}: {exc.message}") from None
            if not isinstance(data, LocatedDict):
                raise ConfigError(f"{path}: UI strings must be a mapping of key to text")
            strings[locale] = {str(k): str(v) for k, v in data.items()}
        reference = set(strings[self.config.locales[0]])
        for locale, table in strings.items():
            missing = reference - set(table)
            if missing:
                raise ConfigError(f"theme strings/{locale}.yaml lacks {', '.join(sorted(missing))}")
        return strings

    # -- data files -------------------------------------------------------------------

    def _geojson_files(self) -> Iterator[tuple[str, bytes]]:
        """RFC 7946 GeoJSON per category and locale: the open-data export of the map."""
        for locale in self.config.locales:
            for category in self.site.categories:
                content = self.memo.get(
                    "geojson",
                    (self.category_keys[category.id], locale),
                    lambda c=category, loc=locale: self._geojson(c, loc),  # type: ignore[misc]
                    lasting=True,
                )
                yield f"data/{slug(locale)}/{category.id}.geojson", content

    def _geojson(self, category: Category, locale: str) -> bytes:
        features = [self._feature(f, locale) for f in category.facilities]
        return json_dumps({"type": "FeatureCollection", "features": features}).encode()

    def app_config(self, locale: str) -> dict[str, Any]:
        """The JSON the map front-end reads from the home page (docs/front-end-data.md)."""
        data, url = self.app_data, self.url
        return {
            "locale": locale,
            "base": self.base_path,
            "timezone": self.config.timezone,
            "map": {
                "center": list(self.config.center),
                "zoom": self.config.zoom,
                "bounds": [list(corner) for corner in self.config.bounds],
            },
            "tiles": [
                {
                    "id": t.id,
                    "name": t.name.get(locale) or next(iter(t.name.values())),
                    "url": t.url,
                    "subdomains": t.subdomains,
                    "attribution": t.attribution,
                    "maxZoom": t.max_zoom,
                    "crs": t.crs,
                    "approval": t.approval_number,
                    "prefetch": t.prefetch,
                }
                for t in self.config.tiles
            ],
            "hours": url(data.hours),
            "fold": url(data.fold),
            "report": (
                self.config.report_endpoint + "requests.json"
                if self.config.report_endpoint
                else None
            ),
            "locales": [
                {"code": code, "name": LOCALE_NAMES[code], "home": url(f"{slug(code)}/")}
                for code in self.config.locales
            ],
            "strings": self.strings[locale],
            "assets": {name: url(path) for name, path in sorted(self.assets.paths.items())},
            "categories": [self._category_config(c, locale) for c in self.site.categories],
        }

    def _category_config(self, category: Category, locale: str) -> dict[str, Any]:
        filters: list[dict[str, Any]] = []
        for name, fd in category.fields.items():
            if not fd.filter:
                continue
            entry: dict[str, Any] = {
                "field": name,
                "kind": fd.kind,
                "label": category.labels[name][locale],
            }
            if fd.kind == "enum":
                labels = category.value_labels[name]
                entry["values"] = [[v, labels[v][locale]] for v in labels]
            filters.append(entry)
        return {
            "id": category.id,
            "name": category.name[locale],
            "color": category.color,
            "icon": category.icon,
            "count": len(category.facilities),
            "points": self.url(self.app_data.points[category.id]),
            "text": self.url(self.app_data.texts[(category.id, locale)]),
            "pinyin": self.url(self.app_data.pinyin[category.id]),
            "pages": self.url(self.category_path(locale, category)),
            "filters": filters,
        }

    def _feature(self, facility: FacilityCard, locale: str) -> dict[str, Any]:
        props: dict[str, Any] = {
            "name": facility.name[locale],
            "url": self.url(self.facility_path(locale, facility)),
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

    def _sitemaps(self) -> list[tuple[str, bytes]]:
        """``sitemap.xml``; past the protocol's limits for one file (50,000 URLs, 50 MB), an
        index of ``sitemap-1.xml``, ``sitemap-2.xml``... A sitemap may only list URLs below
        its own folder, so the parts lie at the root too."""
        # The three pages of a group (one per locale) share their list of alternates.
        links: dict[tuple[str, ...], str] = {}
        entries = []
        for page in self.pages:
            if not page.in_sitemap:
                continue
            alternates = links.get(page.key)
            if alternates is None:
                alternates = links[page.key] = "\n".join(
                    f'<xhtml:link rel="alternate" hreflang="{locale}" '
                    f'href="{escape(self.absolute_url(alt.path))}"/>'
                    for locale, alt in self.alternates(page)
                )
            loc = escape(self.absolute_url(page.path))
            entries.append(f"<url><loc>{loc}</loc>\n{alternates}\n</url>")  # itself among them
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        )
        tail = "</urlset>\n"
        parts: list[list[str]] = [[]]
        size = len(head) + len(tail) + 1
        for entry in entries:
            length = len(entry.encode("utf-8")) + 1
            if len(parts[-1]) == SITEMAP_MAX_URLS or size + length > SITEMAP_MAX_BYTES:
                parts.append([])
                size = len(head) + len(tail) + 1
            parts[-1].append(entry)
            size += length
        files = ["\n".join([head, *part, tail]).encode("utf-8") for part in parts]
        if len(files) == 1:
            return [("sitemap.xml", files[0])]
        names = [f"sitemap-{number}.xml" for number in range(1, len(files) + 1)]
        index = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            *(f"<sitemap><loc>{escape(self.absolute_url(name))}</loc></sitemap>" for name in names),
            "</sitemapindex>\n",
        ]
        return [("sitemap.xml", "\n".join(index).encode("utf-8")), *zip(names, files, strict=True)]


def _tree_key(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the files below ``root``: a theme's key."""
    entries = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            st = path.stat()
            entries.append((path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(entries)


def _template_error(exc: jinja2.TemplateError, page: str) -> BuildError:
    """A theme error as ``template:line: message``, naming the page being rendered."""
    where = ""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}:{exc.lineno}: "
    else:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")
        ]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}: "
    return BuildError(f"{where}theme error while rendering {page}: {exc.message or exc}")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _json_script(value: Any) -> Markup:
    """JSON safe to place inside a ``<script type="application/ld+json">`` element."""
    text = json_dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
