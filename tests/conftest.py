"""Shared fixtures: small sample sites written into a temporary folder."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SITE_YAML = """\
title: {zh-Hans: 深圳城市服务地图, en: Shenzhen City Services}
locales: [zh-Hans, zh-Hant, en]
source_locale: zh-Hans
base_url: https://map.example.org/
timezone: Asia/Shanghai
holidays: CN
map:
  center: [114.06, 22.55]
  zoom: 12
  bounds: [[113.7, 22.4], [114.7, 22.9]]
tiles:
  - id: osm
    name: OpenStreetMap
    url: https://tile.openstreetmap.org/{z}/{x}/{y}.png
    attribution: © OpenStreetMap contributors
  - preset: tianditu
    key: 0123456789abcdef
report:
  endpoint: https://reports.example.org/open311/v2/
"""

TOILET_CATEGORY = """\
id: toilet
name: {zh-Hans: 公厕, en: Public toilet}
icon: toilet
color: "#1565c0"
fields:
  hours: {type: hours, required: true}
  accessible: {type: bool, filter: true, label: {zh-Hans: 第三卫生间, en: Accessible}}
  stalls_male: {type: int, min: 0, max: 100}
  grade: {type: enum, values: [一类, 二类, 三类]}
  maintainer: {type: ltext}
"""

TOILET_CARD = """\
id: futian-0001
category: toilet
name: 莲花山公园南门公厕
address: 福田区红荔路6030号
location: [114.0572, 22.5535]
hours: "Mo-Su 06:00-23:00"
accessible: true
stalls_male: 4
grade: 一类
maintainer: 福田区环卫所
"""

MakeSite = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def build_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build cache (sitegen/cache/store.py) of the tests, away from the user's own."""
    path = tmp_path_factory.mktemp("sitegen-cache")
    os.environ["SITEGEN_CACHE_DIR"] = str(path)
    return path


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a small valid site; ``files`` adds or replaces files (``None`` deletes one)."""

    def make(files: dict[str, str | None] | None = None) -> Path:
        root = tmp_path / "site"
        contents: dict[str, str | None] = {
            "content/site.yaml": SITE_YAML,
            "content/categories/toilet.yaml": TOILET_CATEGORY,
            "content/facilities/toilet/futian-0001.yaml": TOILET_CARD,
        }
        contents.update(files or {})
        for rel, text in contents.items():
            path = root / rel
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make
