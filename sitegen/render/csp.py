"""The Content Security Policy: the site itself, the configured tile hosts and the report
endpoint, and nothing else; no inline script but the hashed import map.

One policy serves the pages and the workers. It is sent as a header (render/headers.py,
with ``frame-ancestors``, which a ``<meta>`` tag cannot carry) and repeated in every page's
``<meta>`` for hosts that set no headers. Tile hosts are in ``connect-src`` as well as
``img-src``: the service worker fetches tiles to cache them, and a worker's fetches are
governed by ``connect-src`` of the policy sent with ``sw.js``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitegen.pipeline.config import SiteConfig
from sitegen.pipeline.tiles import template_origins


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def tile_origins(config: SiteConfig) -> list[str]:
    """Every origin tiles come from: each subdomain of each layer and overlay, sorted."""
    found = {
        each
        for layer in config.tiles
        for url, subdomains in layer.templates()
        for each in template_origins(url, subdomains, config.base_url)
    }
    return sorted(found)


def content_security_policy(config: SiteConfig, import_map_hash: str, header: bool = False) -> str:
    """The policy text; ``import_map_hash`` is the CSP hash source of the page's import map.

    ``header`` adds what only a header can say (``frame-ancestors``: no framing at all).
    """
    tiles = tile_origins(config)
    report = [origin(config.report_endpoint)] if config.report_endpoint else []
    directives = [
        "default-src 'self'",
        f"script-src 'self' {import_map_hash}",
        "worker-src 'self'",
        "style-src 'self'",
        "img-src " + " ".join(["'self'", "data:", *tiles]),
        "connect-src " + " ".join(["'self'", *dict.fromkeys([*tiles, *report])]),
        "form-action " + " ".join(["'self'", *report]),
        "object-src 'none'",
        "base-uri 'self'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)
