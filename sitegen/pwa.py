"""The installable, offline-capable side of the site: manifest, icons and the service worker.

* Icons are drawn with Pillow (it cannot render the theme's SVG): a white pin on the theme
  colour, taken from the first ``fill`` of ``static/img/icon.svg``. Drawing at four times the
  size and scaling down gives smooth edges; PNGs carry no timestamp, so builds are identical.
* ``/{locale}/manifest.webmanifest`` is one Web App Manifest per locale, scoped to the base path.
* ``sw.js`` is written to the site root (a worker only controls URLs below its own folder) with
  the precache manifest injected: ``{url, revision}`` entries, shared and per locale, where the
  revision is the SHA-256 of the bytes, so a new build re-downloads only files that changed.
  See docs/offline.md for the caching strategy of each kind of request.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from .assets import ThemeAssets
from .errors import BuildError
from .i18n import slug

log = logging.getLogger(__name__)

DEFAULT_COLOR = "#0b57a4"
BACKGROUND_COLOR = "#ffffff"
ICON_SIZES = (192, 512)
APPLE_TOUCH_SIZE = 180
MASKABLE_SIZE = 512
# The maskable safe zone is a centred circle of 80 % of the width; the pin drawn for "any"
# fills ~70 % of its square, so the maskable one is shrunk to fit inside that circle.
MASKABLE_SCALE = 0.72
DEFAULT_BUDGET_MB = 10.0
MAX_PRECACHE_FILE = 2 * 2**20  # one larger file would stall the install on a phone
# Runtime tile cache: the least recently used tiles go first past either limit.
TILE_MAX_ENTRIES = 3000
TILE_MAX_BYTES = 60 * 2**20
TILE_PREFETCH_MAX_ZOOM = 17
TILE_PREFETCH_MAX_TILES = 600
SW_PLACEHOLDER = "/*SITEGEN_CONFIG*/null"

# Files of the theme folder that are published but never fetched by a browser.
_NOT_WEB = re.compile(r"(^|/)(LICENSE[^/]*|README[^/]*|package\.json)$")


def theme_color(theme: Path) -> str:
    """The first ``fill="#rrggbb"`` of the theme's icon, the colour the app is known by."""
    icon = theme / "static" / "img" / "icon.svg"
    if icon.is_file():
        found = re.search(r'fill="(#[0-9a-fA-F]{6})"', icon.read_text("utf-8"))
        if found:
            return found.group(1).lower()
    return DEFAULT_COLOR


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def icon_png(size: int, color: str, maskable: bool = False) -> bytes:
    """A square PNG: a white map pin on ``color``; ``maskable`` keeps it in the safe zone."""
    scale = 4
    big = size * scale
    image = Image.new("RGB", (big, big), _rgb(color))
    draw = ImageDraw.Draw(image)
    k = big * (MASKABLE_SCALE if maskable else 1.0)
    cx, cy = big / 2, big / 2 - 0.04 * k
    radius = 0.26 * k
    tip = cy + 0.40 * k
    # The pin: a circle and the triangle from its sides down to the tip.
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 255, 255))
    draw.polygon(
        [
            (cx - radius * 0.87, cy + radius * 0.5),
            (cx + radius * 0.87, cy + radius * 0.5),
            (cx, tip),
        ],
        fill=(255, 255, 255),
    )
    hole = radius * 0.42
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=_rgb(color))
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # Pillow writes no tIME chunk unless asked: the same drawing gives the same bytes.
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def add_icons(assets: ThemeAssets, color: str) -> None:
    """Publishes the app icons as content-hashed assets (``img/icon-192.png`` …)."""
    for size in ICON_SIZES:
        assets.add_hashed(f"img/icon-{size}.png", icon_png(size, color))
    assets.add_hashed(
        f"img/icon-maskable-{MASKABLE_SIZE}.png", icon_png(MASKABLE_SIZE, color, True)
    )
    assets.add_hashed(f"img/apple-touch-icon-{APPLE_TOUCH_SIZE}.png", icon_png(180, color))


def budget_bytes(budget_mb: float) -> int:
    """The precache budget (``offline.precache_budget_mb`` in site.yaml) in bytes."""
    return int(budget_mb * 1_000_000)


@dataclass
class Manifest:
    """A Web App Manifest's localized parts."""

    locale: str
    name: str
    short_name: str
    description: str
    dir: str = "ltr"


def web_manifest(m: Manifest, base_path: str, assets: ThemeAssets, color: str) -> bytes:
    """``/{locale}/manifest.webmanifest``: start URL and scope honour a sub-path base."""
    home = f"{base_path}{slug(m.locale)}/"

    def icon(name: str, size: int, purpose: str) -> dict[str, str]:
        return {
            "src": base_path + assets.paths[name],
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    data = {
        "id": home,
        "name": m.name,
        "short_name": m.short_name,
        "description": m.description,
        "lang": m.locale,
        "dir": m.dir,
        "start_url": home,
        # The whole base path, not just the locale: links between locales stay in the app.
        "scope": base_path,
        "display": "standalone",
        "theme_color": color,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            *(icon(f"img/icon-{s}.png", s, "any") for s in ICON_SIZES),
            icon(f"img/icon-maskable-{MASKABLE_SIZE}.png", MASKABLE_SIZE, "maskable"),
        ],
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


@dataclass
class PrecachePlan:
    """Which output files go into the precache: shared ones and each locale's own."""

    shared: set[str] = field(default_factory=set)
    by_locale: dict[str, set[str]] = field(default_factory=dict)

    def wants(self, rel: str) -> bool:
        return rel in self.shared or any(rel in paths for paths in self.by_locale.values())


def url_of(rel: str) -> str:
    """The URL (relative to the base path) a browser uses for an output file."""
    return rel.removesuffix("index.html")


@dataclass
class PrecacheResult:
    entries: dict[str, list[dict[str, str]]]  # "shared" and each locale -> [{url, revision}]
    sizes: dict[str, int]  # locale -> bytes the worker downloads for it (shared included)


def precache_manifest(plan: PrecachePlan, files: dict[str, bytes], budget: int) -> PrecacheResult:
    """The ``{url, revision}`` lists; raises BuildError past the budget."""
    entries: dict[str, list[dict[str, str]]] = {}
    sizes: dict[str, int] = {}
    shared_size = 0
    groups: list[tuple[str, Iterable[str]]] = [("shared", plan.shared)]
    groups += list(plan.by_locale.items())  # in the site's locale order
    for group, paths in groups:
        listed, total = [], 0
        for rel in sorted(paths):
            content = files.get(rel)
            if content is None:
                raise BuildError(f"precache: {rel} was planned but not rendered")
            if len(content) > MAX_PRECACHE_FILE:
                log.warning(
                    "precache: %s is %s, over the limit of %s for one file; left out, so it is "
                    "only available online (split it or publish less)",
                    rel,
                    _size(len(content)),
                    _size(MAX_PRECACHE_FILE),
                )
                continue
            listed.append(
                {"url": url_of(rel), "revision": hashlib.sha256(content).hexdigest()[:16]}
            )
            total += len(content)
        entries[group] = listed
        if group == "shared":
            shared_size = total
        else:
            sizes[group] = shared_size + total
    for locale, size in sizes.items():
        log.info("precache for %s: %.2f MB", locale, size / 1_000_000)
    over = [
        f"{locale} {size / 1_000_000:.2f} MB" for locale, size in sizes.items() if size > budget
    ]
    if over:
        raise BuildError(
            f"the offline precache is over its budget of {budget / 1_000_000:.2f} MB for "
            f"{', '.join(over)}: publish less data, or raise offline.precache_budget_mb "
            "in site.yaml"
        )
    return PrecacheResult(entries, sizes)


def service_worker(source: Path, config: dict[str, Any]) -> bytes:
    """The worker script with its config (precache manifest, tiles, …) injected."""
    text = source.read_text("utf-8")
    if SW_PLACEHOLDER not in text:
        raise BuildError(f"{source}: the worker source lacks the {SW_PLACEHOLDER} placeholder")
    payload = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # The build id names the cache generation: it changes exactly when anything cached does.
    return text.replace(SW_PLACEHOLDER, payload).encode("utf-8")


def build_id(config: dict[str, Any]) -> str:
    text = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def is_precached_asset(rel: str) -> bool:
    """Theme assets the app shell needs (not licences and package files of vendored libs)."""
    return rel.startswith("assets/") and not _NOT_WEB.search(rel)


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count / 1024:.1f} KiB"
