"""``/{locale}/manifest.webmanifest``: one Web App Manifest per locale, scoped to the base path."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sitegen.i18n.localize import slug
from sitegen.render.assets import ThemeAssets
from sitegen.render.icons import ICON_SIZES, MASKABLE_SIZE

BACKGROUND_COLOR = "#ffffff"


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
