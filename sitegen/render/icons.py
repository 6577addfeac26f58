"""The app icons, drawn with Pillow (it cannot render the theme's SVG): a white pin on the
theme colour, taken from the first ``fill`` of ``static/img/icon.svg``. Drawing at four times
the size and scaling down gives smooth edges; PNGs carry no timestamp, so builds are identical.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image, ImageDraw

from sitegen.render.assets import ThemeAssets

DEFAULT_COLOR = "#0b57a4"
ICON_SIZES = (192, 512)
APPLE_TOUCH_SIZE = 180
MASKABLE_SIZE = 512
# The maskable safe zone is a centred circle of 80 % of the width; the pin drawn for "any"
# fills ~70 % of its square, so the maskable one is shrunk to fit inside that circle.
MASKABLE_SCALE = 0.72


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
