"""``sitegen new DIR``: a small site that builds and passes ``sitegen check --strict`` at once."""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.editor.schemas import write_schemas
from sitegen.errors import SitegenError

SCHEMA_DIR = "schemas"

SITE_YAML = """\
# The site's settings. Text may be one string (in source_locale) or a mapping by locale;
# zh-Hant is derived from zh-Hans with OpenCC unless you write it, English falls back.
title: {zh-Hans: 城市设施地图, zh-Hant: 城市設施地圖, en: City Facility Map}
description: {zh-Hans: 公厕、饮水点等公共设施。, en: "Public toilets, drinking water and more."}

# The languages of the site, in this order; source_locale is the one editors write in.
locales: [zh-Hans, zh-Hant, en]
source_locale: zh-Hans
chinese_variant: hk          # hk or tw: which Traditional Chinese to derive

# Where the site will be published (`sitegen build --base-url` overrides it).
base_url: https://example.org/map/
timezone: Asia/Shanghai       # IANA name: opening hours are in this time zone
holidays: CN                  # CN, HK, MO or TW: public holidays for opening hours

# The map: [longitude, latitude] (WGS-84); every name card must lie within bounds.
map:
  center: [114.06, 22.55]
  zoom: 12
  bounds: [[113.7, 22.4], [114.7, 22.9]]   # [[west, south], [east, north]]

# Map tiles; the first layer is the default. A preset is a known tile service (osm,
# tianditu and tianditu-imagery with `key:`, amap, amap-imagery, tencent); its settings may
# be changed, or a layer given in full (id, name, url, attribution). A site in mainland
# China needs tiles reachable and approved there: Tianditu, Amap or Tencent.
tiles:
  - preset: osm
  - preset: amap
"""

CATEGORY_YAML = """\
# A kind of place: its name, colour, icon and the fields its name cards have.
id: toilet
name: {zh-Hans: 公厕, zh-Hant: 公廁, en: Public toilet}
icon: toilet
color: "#1565c0"
fields:
  opening_hours: {type: hours, required: true}
  wheelchair: {type: bool, filter: true, label: {zh-Hans: 无障碍厕位, en: Wheelchair accessible}}
  fee: {type: bool, label: {zh-Hans: 收费, en: Fee}}
"""

CARD_1 = """\
# One name card per file; a file may also hold a YAML list of cards.
id: sample-0001
category: toilet
name: {zh-Hans: 莲花山公园南门公厕, en: Lianhuashan Park South Gate Toilet}
address: 福田区红荔路6030号
location: [114.0572, 22.5535]   # [longitude, latitude]
opening_hours: "Mo-Su 06:00-23:00"
wheelchair: true
fee: false
verified: 2025-06-01
"""

CARD_2 = """\
id: sample-0002
category: toilet
name: 市民中心公厕
address: 福田区福中三路市民中心
location: [114.0596, 22.5431]
opening_hours: "24/7"
wheelchair: true
"""

GUIDE_MD = """\
---
title: {zh-Hans: 莲花山公园一日游, en: A day at Lianhuashan Park}
summary: {zh-Hans: 公园附近的公厕。, en: Toilets near the park.}
entries:
  - facility: sample-0001
    fee: {zh-Hans: 免费, en: Free}
  - facility: sample-0002
---
莲花山公园全天开放，山顶可以看到市民中心。
"""

GITIGNORE = """\
/public/
.sitegen-serve/
# The record of the last build, kept next to the output folder (sitegen/build/fingerprints.py).
.*.build-state.json
"""

FILES = {
    "content/site.yaml": SITE_YAML,
    "content/categories/toilet.yaml": CATEGORY_YAML,
    "content/facilities/toilet/sample-0001.yaml": CARD_1,
    "content/facilities/toilet/sample-0002.yaml": CARD_2,
    "content/guides/lianhuashan.md": GUIDE_MD,
    ".gitignore": GITIGNORE,
}


def vscode_settings() -> str:
    """``.vscode/settings.json`` mapping content files to the schemas (YAML extension)."""
    schemas = {
        f"./{SCHEMA_DIR}/site.schema.json": "content/site.yaml",
        f"./{SCHEMA_DIR}/category.schema.json": "content/categories/**/*.yaml",
        f"./{SCHEMA_DIR}/facility.schema.json": "content/facilities/**/*.yaml",
    }
    return json.dumps({"yaml.schemas": schemas}, indent=2) + "\n"


def create_site(target: Path) -> list[Path]:
    """Write the skeleton into ``target`` (missing or empty); returns the files written."""
    if target.exists() and not target.is_dir():
        raise SitegenError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise SitegenError(
            f"{target} is not empty; choose a new or empty folder (nothing was written)"
        )
    written = []
    for rel, text in {**FILES, ".vscode/settings.json": vscode_settings()}.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written += write_schemas(target, target / SCHEMA_DIR)
    return written
