"""The JSON the map front-end reads from the home page (docs/front-end-data.md)."""

from __future__ import annotations

from typing import Any

from sitegen.i18n.localize import LOCALE_NAMES, slug
from sitegen.pipeline.model import Category, Site
from sitegen.render.appdata import AppData, fact_fields
from sitegen.render.strings import UiStrings
from sitegen.render.urls import SiteUrls, category_path

# UI strings of the report pages (templates/report.html, my-reports.html): not sent with
# the home page's config, which is read before anything else is drawn.
REPORT_STRINGS = ("report_", "error_", "mine_", "my_reports", "state_", "status_")


def app_config(
    site: Site,
    locale: str,
    urls: SiteUrls,
    data: AppData,
    strings: UiStrings,
    for_home: bool = False,
) -> dict[str, Any]:
    """The app's settings in ``locale``: map, tiles, data files, strings, categories.

    ``for_home`` leaves out the report pages' strings (the report form embeds all of them).
    """
    config, url = site.config, urls.url
    words = strings[locale]
    if for_home:
        words = {k: v for k, v in words.items() if not k.startswith(REPORT_STRINGS)}
    return {
        "locale": locale,
        "base": config.base_path,
        "timezone": config.timezone,
        "map": {
            "center": list(config.center),
            "zoom": config.zoom,
            "bounds": [list(corner) for corner in config.bounds],
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
                "overlay": (
                    {"url": t.overlay.url, "subdomains": t.overlay.subdomains}
                    if t.overlay
                    else None
                ),
            }
            for t in config.tiles
        ],
        "hours": url(data.hours),
        "fold": url(data.fold),
        "report": (config.report_endpoint + "requests.json" if config.report_endpoint else None),
        "locales": [
            {"code": code, "name": LOCALE_NAMES[code], "home": url(f"{slug(code)}/")}
            for code in config.locales
        ],
        "strings": words,
        "assets": {name: url(path) for name, path in sorted(urls.assets.items())},
        "categories": [_category(c, locale, urls, data) for c in site.categories],
    }


def _field_entry(category: Category, name: str, locale: str) -> dict[str, Any]:
    fd = category.fields[name]
    entry: dict[str, Any] = {"field": name, "kind": fd.kind, "label": category.labels[name][locale]}
    if fd.kind == "enum":
        labels = category.value_labels[name]
        entry["values"] = [[v, labels[v][locale]] for v in labels]
    return entry


def _category(category: Category, locale: str, urls: SiteUrls, data: AppData) -> dict[str, Any]:
    with_hours = sum(1 for f in category.facilities if f.schedule is not None)
    return {
        "id": category.id,
        "name": category.name[locale],
        "color": category.color,
        "icon": category.icon,
        "count": len(category.facilities),
        # "Open now" can only speak for places whose hours are published: the app says so.
        "hours": "none" if not category.hours_field else f"{with_hours}",
        "points": urls.url(data.points[category.id]),
        "text": urls.url(data.texts[(category.id, locale)]),
        "pinyin": urls.url(data.pinyin[category.id]),
        "cards": urls.url(data.cards[(category.id, locale)]),
        "pages": urls.url(category_path(locale, category)),
        "filters": [
            _field_entry(category, name, locale)
            for name, fd in category.fields.items()
            if fd.filter
        ],
        # Shown on every row and card: the filters and the key facts (points file columns).
        "facts": [_field_entry(category, name, locale) for name in fact_fields(category)],
    }
