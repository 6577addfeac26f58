"""Imported cards on the built pages: the publisher's own text in every language, plain
text where the source had HTML, derived Chinese only where the source gave none."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from sitegen.build.stages import build

from .conftest import FIXTURES, import_extract

BUILT = ("hk_kmb_bus_stops", "hk_lcsd_basketball_courts", "amap_haikou_toilets")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three real extracts imported and built once; the built site's folder."""
    root = tmp_path_factory.mktemp("pages")
    project = root / "project"
    shutil.copytree(FIXTURES / "project", project)
    for name in BUILT:
        import_extract(name, project)
    build(project, root / "public", jobs=2)
    return root / "public"


def _h1(site: Path, locale: str, category: str, card: str) -> str:
    page = (site / locale / category / card / "index.html").read_text("utf-8")
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert match, page[:200]
    return match.group(1)


def _card_id(site: Path, category: str, name_part: str) -> str:
    """The id of the card whose zh-Hant page names it so (found on the built pages)."""
    for page in sorted((site / "zh-hant" / category).glob("*/index.html")):
        if name_part in page.read_text("utf-8"):
            return page.parent.name
    raise AssertionError(name_part)


def test_each_language_shows_the_publishers_own_text(site: Path) -> None:
    stops = json.loads((FIXTURES / "hk_kmb_bus_stops.json").read_text("utf-8"))
    pages = {p.parent.name for p in (site / "zh-hans" / "bus_stop").glob("kmb-*/index.html")}
    assert len(pages) == len(stops)
    card = _card_id(site, "bus_stop", "雲滙 (PA207)")
    assert _h1(site, "zh-hant", "bus_stop", card) == "雲滙 (PA207)"
    assert _h1(site, "zh-hans", "bus_stop", card) == "云滙 (PA207)"  # OpenCC: 云汇
    assert _h1(site, "en", "bus_stop", card) == "St MARTIN (PA207)"  # not a fallback
    given = {" ".join(s["name_sc"].split()) for s in stops}
    shown = {html.unescape(_h1(site, "zh-hans", "bus_stop", card)) for card in pages}
    assert shown == given  # every Simplified name as published, none converted


def test_html_from_the_source_is_text_on_the_page(site: Path) -> None:
    for page in (site / "en" / "basketball_court").glob("*/index.html"):
        text = page.read_text("utf-8")
        for escaped in ("&lt;br", "&lt;strong", "&lt;table", "&amp;nbsp;", "&amp;bull;"):
            assert escaped not in text, (page, escaped)
    card = _card_id(site, "basketball_court", "粉嶺遊樂場")
    page = (site / "en" / "basketball_court" / card / "index.html").read_text("utf-8")
    assert "For enquiries, please contact the venue in charge at 2675 6925. )" in page


def test_chinese_is_derived_only_where_the_source_has_none(site: Path) -> None:
    card = _card_id(site, "toilet", "無障礙公共廁所")
    assert _h1(site, "zh-hans", "toilet", card) == "无障碍公共厕所"  # as Amap wrote it
    assert _h1(site, "zh-hant", "toilet", card) == "無障礙公共廁所"  # derived with OpenCC
    assert _h1(site, "en", "toilet", card) == (
        '<span lang="zh-Hans" class="fallback">无障碍公共厕所</span> '
        '<span class="romanized" lang="zh-Latn-pinyin">Wu Zhang Ai Gong Gong Ce Suo</span>'
    )  # with its pinyin, for those who cannot read Chinese
