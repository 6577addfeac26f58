"""Languages: OpenCC conversion of real phrases, and how missing translations resolve."""

from __future__ import annotations

import pytest

from sitegen.i18n.localize import Localizer, convert_script


@pytest.mark.parametrize(
    ("text", "source", "target", "variant", "expected"),
    [
        ("公厕", "zh-Hans", "zh-Hant", "hk", "公廁"),
        ("垃圾分类", "zh-Hans", "zh-Hant", "hk", "垃圾分類"),
        ("莲花山公园南门公厕", "zh-Hans", "zh-Hant", "hk", "蓮花山公園南門公廁"),
        ("福田区环卫所", "zh-Hans", "zh-Hant", "hk", "福田區環衞所"),  # Hong Kong: 衞
        ("福田区环卫所", "zh-Hans", "zh-Hant", "tw", "福田區環衛所"),  # Taiwan: 衛
        ("瓶装燃气供应点", "zh-Hans", "zh-Hant", "hk", "瓶裝燃氣供應點"),
        ("臺北市公廁", "zh-Hant", "zh-Hans", "tw", "台北市公厕"),
        ("行人專用清潔箱", "zh-Hant", "zh-Hans", "tw", "行人专用清洁箱"),
        ("垃圾分類", "zh-Hant", "zh-Hans", "hk", "垃圾分类"),
    ],
)
def test_opencc_converts_real_phrases(
    text: str, source: str, target: str, variant: str, expected: str
) -> None:
    assert convert_script(text, source, target, variant) == expected


def test_derived_script_and_english_fallback() -> None:
    localizer = Localizer(["zh-Hans", "zh-Hant", "en"], "zh-Hans", "hk")
    text = localizer.resolve({"": "公厕"})
    assert dict(text.values) == {"zh-Hans": "公厕", "zh-Hant": "公廁", "en": "公厕"}
    assert text.is_fallback("en") and text.lang("en") == "zh-Hans"
    assert not text.is_fallback("zh-Hant") and text.lang("zh-Hant") == "zh-Hant"


def test_editor_written_text_wins_over_conversion() -> None:
    localizer = Localizer(["zh-Hans", "zh-Hant", "en"], "zh-Hans", "hk")
    text = localizer.resolve({"zh-Hans": "软件园公厕", "zh-Hant": "軟體園公廁", "en": "Toilet"})
    assert dict(text.values) == {"zh-Hans": "软件园公厕", "zh-Hant": "軟體園公廁", "en": "Toilet"}
    assert not text.fallback


def test_traditional_source_derives_simplified() -> None:
    localizer = Localizer(["zh-Hant", "zh-Hans", "en"], "zh-Hant", "tw")
    text = localizer.resolve({"": "飲水機", "en": "Drinking fountain"})
    assert dict(text.values) == {
        "zh-Hant": "飲水機",
        "zh-Hans": "饮水机",
        "en": "Drinking fountain",
    }
