"""Search data: pinyin of real facility names in either script, and the Traditional fold map."""

from __future__ import annotations

import pytest

from sitegen.i18n import search_keys as search
from sitegen.i18n.search_keys import fold_map, pinyin_syllables, read_pinyin


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("士林官邸", "shi lin guan di"),
        ("公廁2號", "gong ce 2 hao"),
        ("公厕2号", "gong ce 2 hao"),
        ("臺北車站", "tai bei che zhan"),
        ("台北车站", "tai bei che zhan"),
        ("飲水機", "yin shui ji"),
        ("行人專用清潔箱", "xing ren zhuan yong qing jie xiang"),
        ("深南大道辅道饮水机", "shen nan da dao fu dao yin shui ji"),
        # Phrase readings hold in Traditional too: 長 chang (not zhang), 行 hang, 重 chong.
        ("長春路公廁", "chang chun lu gong ce"),
        ("銀行前廣場", "yin hang qian guang chang"),
        ("重慶南路", "chong qing nan lu"),
        ("女廁", "nv ce"),  # ü as v, as pinyin keyboards type it
    ],
)
def test_pinyin_of_chinese_names(name: str, expected: str) -> None:
    assert pinyin_syllables(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Songshan Airport", "songshan airport"),
        ("B1停车场", "b1 ting che chang"),
        ("ＡＢＣ２號", "abc2 hao"),  # full-width folded by NFKC
        ("7-ELEVEN 松山店", "7 eleven song shan dian"),
        ("女厕（西侧）", "nv ce xi ce"),  # punctuation dropped
        ("", ""),
        ("（）", ""),
    ],
)
def test_pinyin_keeps_latin_and_digit_runs(name: str, expected: str) -> None:
    assert pinyin_syllables(name) == expected


def test_fold_map_maps_traditional_characters_of_real_phrases() -> None:
    folds = fold_map(["公廁", "臺北", "飲水機", "行人專用清潔箱"])
    expected = {"廁": "厕", "臺": "台", "飲": "饮", "機": "机", "專": "专", "潔": "洁"}
    assert expected.items() <= folds.items()
    # Characters that are the same in both scripts, and Simplified ones, are no keys.
    assert not {"公", "北", "水", "行", "人", "用", "清", "箱", "台"} & folds.keys()
    assert all(len(key) == 1 and len(value) == 1 for key, value in folds.items())


def test_fold_map_covers_the_other_script_and_regional_forms() -> None:
    # Simplified texts: a query typed in Traditional must fold to them too.
    folds = fold_map(["公厕", "台北", "饮水机", "环卫所"])
    assert {"廁": "厕", "臺": "台", "飲": "饮", "機": "机", "環": "环", "衛": "卫"}.items() <= (
        folds.items()
    )
    # Hong Kong's 衞 (which plain t2s leaves alone) and Taiwan's 衛 fold alike.
    assert fold_map(["福田區環衞所"])["衞"] == "卫"
    assert fold_map(["福田區環衛所"])["衛"] == "卫"


def test_fold_map_folds_in_one_pass_and_is_deterministic() -> None:
    texts = ["臺北市中正區重慶南路一段2號", "沿著河濱公園", "裏/裡", "公廁", "ＡＢＣ"]
    folds = fold_map(texts)
    # The browser folds once: no value may itself be a key.
    assert not set(folds.values()) & folds.keys()
    assert fold_map(reversed(texts)) == folds
    assert list(folds) == sorted(folds)
    assert not any(key.isascii() for key in folds)


def test_readings_made_on_several_processes_are_those_of_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "PARALLEL_PINYIN_MIN", 2)
    names = ["莲花山公园", "長春路公廁", "B1 停车场", "福田口岸", "绿色"]
    memo = {"福田口岸": "kept as it was"}
    read_pinyin(names + names, memo, jobs=2)
    assert memo == {
        **{name: pinyin_syllables(name) for name in names},
        "福田口岸": "kept as it was",  # a reading in the memo is not made again
    }
    assert memo["長春路公廁"] == "chang chun lu gong ce"
