"""Text as readers see it: every text in the page's script, no IT phrase swaps, the site's own
phrases, one vocabulary per locale, Chinese line breaks without spaces, pinyin on English pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitegen.build.stages import build
from sitegen.errors import ContentError
from sitegen.i18n.linebreaks import join_cjk_lines, join_cjk_lines_html
from sitegen.i18n.localize import Localizer, convert_script
from sitegen.i18n.romanize import romanize
from sitegen.pipeline.config import load_config
from sitegen.pipeline.guides import render_markdown

from .conftest import REPO, MakeSite


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一日行程", "一日行程"),  # the Taiwan phrase table would make it 一日进程 (a process)
        ("軟體園區", "软体园区"),  # and 软件 here: a place name keeps its words
        ("資訊大樓", "资讯大楼"),  # not 信息大楼
        ("臺北市中山區", "台北市中山区"),
    ],
)
def test_traditional_to_simplified_converts_characters_not_phrases(
    text: str, expected: str
) -> None:
    assert convert_script(text, "zh-Hant", "zh-Hans", "tw") == expected


def test_the_sites_phrases_are_written_as_given_and_the_rest_converted() -> None:
    localizer = Localizer(
        ["zh-Hant", "zh-Hans", "en"],
        "zh-Hant",
        "tw",
        {"zh-Hans": {"回報": "报告", "計程車": "出租车"}},
    )
    text = localizer.resolve({"": "搭計程車後回報問題"})
    assert text["zh-Hans"] == "搭出租车后报告问题" and text["zh-Hant"] == "搭計程車後回報問題"


def test_a_text_field_is_shown_in_the_pages_script(make_site: MakeSite, tmp_path: Path) -> None:
    category = (REPO / "tests/e2e/site/content/categories/recycling.yaml").read_text("utf-8")
    cards = """\
- id: rc-1
  category: recycling
  name: 中山区回收点
  location: [114.06, 22.55]
  materials: 纸类、塑料
  district: 中山区
"""
    site = make_site(
        {
            "content/categories/recycling.yaml": category,
            "content/facilities/recycling/rc.yaml": cards,
        }
    )
    build(site, tmp_path / "out")
    hant = (tmp_path / "out/zh-hant/recycling/rc-1/index.html").read_text("utf-8")
    assert "<dd>中山區</dd>" in hant and "<dd>紙類、塑料</dd>" in hant
    english = (tmp_path / "out/en/recycling/rc-1/index.html").read_text("utf-8")
    assert '<dd><span lang="zh-Hans" class="fallback">中山区</span></dd>' in english


def test_the_site_yaml_phrase_table_reaches_the_pages(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    site_yaml = site / "content/site.yaml"
    text = site_yaml.read_text("utf-8").replace(
        "source_locale: zh-Hans\n",
        "source_locale: zh-Hans\nconversion:\n  phrases:\n    zh-Hant: {公厕: 洗手間}\n",
    )
    site_yaml.write_text(text, "utf-8")
    build(site, tmp_path / "out")
    page = (tmp_path / "out/zh-hant/toilet/futian-0001/index.html").read_text("utf-8")
    assert "<h1>蓮花山公園南門洗手間</h1>" in page


def test_a_misspelt_phrase_table_is_reported(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    site_yaml = site / "content/site.yaml"
    before = site_yaml.read_text("utf-8")
    site_yaml.write_text(before + "conversion:\n  phrase:\n    zh-Hant: {a: b}\n", "utf-8")
    line = before.count("\n") + 2  # the line of "phrase:"
    with pytest.raises(ContentError) as raised:
        build(site, tmp_path / "out")
    assert [str(p) for p in raised.value.problems] == [
        f'content/site.yaml:{line}:3: unknown conversion setting "conversion.phrase"; '
        'did you mean "phrases"?'
    ]


@pytest.mark.parametrize(
    ("locale", "forbidden"),
    [
        ("zh-Hans", ["您", "回报"]),  # 你 throughout; "report" is 报告
        ("zh-Hant", ["您", "報告"]),  # 你 throughout; "report" is 回報
    ],
)
def test_one_vocabulary_per_locale_in_the_themes_strings(locale: str, forbidden: list[str]) -> None:
    strings = yaml.safe_load((REPO / f"themes/default/strings/{locale}.yaml").read_text("utf-8"))
    for word in forbidden:
        assert [key for key, text in strings.items() if word in str(text)] == [], word


def test_chinese_soft_breaks_join_without_a_space() -> None:
    assert join_cjk_lines("評鑑等級，\n特優級") == "評鑑等級，特優級"
    assert join_cjk_lines("English\nwords") == "English\nwords"
    assert join_cjk_lines("中文\nEnglish") == "中文\nEnglish"  # a space is right between these
    html = render_markdown("評鑑等級，\n**特優級**與**優等級**\n的清潔度最好。")
    assert html == "<p>評鑑等級，<strong>特優級</strong>與<strong>優等級</strong>的清潔度最好。</p>"
    assert join_cjk_lines_html("<pre>中\n文</pre>") == "<pre>中\n文</pre>"


def test_card_descriptions_join_chinese_lines(make_site: MakeSite, tmp_path: Path) -> None:
    # The sample card, with a description written on two lines.
    site = make_site(
        {
            "content/facilities/toilet/futian-0001.yaml": (
                "id: futian-0001\ncategory: toilet\nname: 莲花山公园南门公厕\n"
                "location: [114.0572, 22.5535]\nhours: 24/7\n"
                "description: |-\n  公园南门旁，\n  全天开放。\n"
            )
        }
    )
    build(site, tmp_path / "out")
    page = (tmp_path / "out/zh-hans/toilet/futian-0001/index.html").read_text("utf-8")
    assert '<p class="card-description">公园南门旁，全天开放。</p>' in page


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("士林官邸", "Shi Lin Guan Di"),
        ("臺北101大樓", "Tai Bei 101 Da Lou"),
        ("呂光公園", "Lü Guang Gong Yuan"),  # ü, as the search keys' v is typed
        ("蓮花山公園 B1 男廁", "Lian Hua Shan Gong Yuan B1 Nan Ce"),
    ],
)
def test_pinyin_of_chinese_names_for_english_pages(name: str, pinyin: str) -> None:
    assert romanize(name) == pinyin


def test_the_demo_uses_the_themes_word_for_report_on_simplified_pages(
    tmp_path: Path,
) -> None:
    guide = (REPO / "content/guides/taipei-landmarks.md").read_text("utf-8")
    assert "「回報問題」" in guide
    config = load_config(REPO)
    localizer = Localizer(
        config.locales, config.source_locale, config.chinese_variant, config.conversion_phrases
    )
    assert (
        localizer.convert("每個地點的頁面「回報問題」", "zh-Hant", "zh-Hans")
        == "每个地点的页面「报告问题」"
    )
