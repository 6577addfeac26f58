"""``sitemap.xml`` with ``hreflang`` alternates, and ``robots.txt`` pointing at it.

Past the sitemaps.org protocol's limits for one file (50,000 URLs, 50 MB) the sitemap is an
index of ``sitemap-1.xml``, ``sitemap-2.xml``... A sitemap may only list URLs below its own
folder, so the parts lie at the root too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import escape

from sitegen.render.page import Page
from sitegen.render.urls import SiteUrls

SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 2**20

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)
_TAIL = "</urlset>\n"


def limits() -> tuple[int, int]:
    """URLs and bytes of one sitemap file at most (a key of the kept sitemaps)."""
    return SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES


def robots_txt(urls: SiteUrls) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute_url('sitemap.xml')}\n".encode()


def sitemaps(
    pages: Sequence[Page],
    alternates: Callable[[Page], list[tuple[str, Page]]],
    urls: SiteUrls,
) -> list[tuple[str, bytes]]:
    """The sitemap file, or the index and its parts, as ``(path, bytes)``."""
    files = [
        "\n".join([_HEAD, *part, _TAIL]).encode("utf-8") for part in _parts(pages, alternates, urls)
    ]
    if len(files) == 1:
        return [("sitemap.xml", files[0])]
    names = [f"sitemap-{number}.xml" for number in range(1, len(files) + 1)]
    index = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"<sitemap><loc>{escape(urls.absolute_url(name))}</loc></sitemap>" for name in names),
        "</sitemapindex>\n",
    ]
    return [("sitemap.xml", "\n".join(index).encode("utf-8")), *zip(names, files, strict=True)]


def _parts(
    pages: Sequence[Page],
    alternates: Callable[[Page], list[tuple[str, Page]]],
    urls: SiteUrls,
) -> list[list[str]]:
    """The ``<url>`` entries, split into parts within the protocol's limits."""
    links: dict[tuple[str, ...], str] = {}  # the pages of a group share their alternates
    parts: list[list[str]] = [[]]
    empty = len(_HEAD) + len(_TAIL) + 1
    size = empty
    for page in pages:
        if not page.in_sitemap:
            continue
        same = links.get(page.key)
        if same is None:
            same = links[page.key] = "\n".join(
                f'<xhtml:link rel="alternate" hreflang="{locale}" '
                f'href="{escape(urls.absolute_url(alt.path))}"/>'
                for locale, alt in alternates(page)
            )
        loc = escape(urls.absolute_url(page.path))
        entry = f"<url><loc>{loc}</loc>\n{same}\n</url>"  # itself among its alternates
        length = len(entry.encode("utf-8")) + 1
        if len(parts[-1]) == SITEMAP_MAX_URLS or size + length > SITEMAP_MAX_BYTES:
            parts.append([])
            size = empty
        parts[-1].append(entry)
        size += length
    return parts
