"""Mapping-file errors come back as path:line:col: message, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.importer.mapping import load_mapping
from sitegen.importer.merge import split_label

from .conftest import MAPPINGS


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_mapping(path, "m.yaml")
    return [str(problem) for problem in info.value.problems]


def test_demo_mappings_are_valid() -> None:
    for path in sorted(MAPPINGS.glob("*.yaml")):
        assert load_mapping(path).fields, path


FIELD_OPTIONS = (
    "column, columns, join, join_dedupe, value, transforms, learn_from, zh-Hans, zh-Hant, en"
)
TRANSFORMS = (
    "strip_prefix, strip_suffix, replace, extract, map, suffix_if_missing, int, bool, date, "
    "hours, html, split, drop"
)


def test_errors_name_line_and_column_with_hints(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """\
category: toilet
crs: gcj2
location: {lng: x, lat: y}
fields:
  name: {colum: Title}
  seats:
    column: Content
    transforms:
      - extract: {pattern: '座數(\\d+', as: number}
      - strip_prefx: a
""",
    )
    assert problems == [
        'm.yaml:2:6: crs: "gcj2" is not one of "wgs84", "gcj02", "bd09"; did you mean "gcj02"?',
        'm.yaml:5:9: fields.name: give exactly one of "column", "columns" or "value", '
        "or one of them per language (zh-Hans, zh-Hant, en)",
        f'm.yaml:5:10: unknown field option "colum"; did you mean "column"? '
        f"(valid: {FIELD_OPTIONS})",
        "m.yaml:9:29: extract.pattern: invalid regular expression: "
        "missing ), unterminated subpattern at position 2",
        'm.yaml:9:42: extract.as: "number" is not one of "text", "int", "bool"',
        f'm.yaml:10:9: unknown transform "strip_prefx"; did you mean "strip_prefix"? '
        f"(valid: {TRANSFORMS})",
    ]


def test_missing_name_and_half_a_location(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "category: toilet\nlocation: {lng: x}\nfields:\n  address: {column: a, value: b}\n",
    )
    assert problems == [
        'm.yaml:2:11: location: give "lng" and "lat" columns, or one "column" (and "order")',
        'm.yaml:3:1: fields: missing the card field "name"',
        'm.yaml:4:12: fields.address: give exactly one of "column", "columns" or "value", '
        "or one of them per language (zh-Hans, zh-Hant, en)",
    ]


def test_per_language_sources_are_checked_with_the_rest(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """\
category: toilet
fields:
  name:
    zh-hant: nameTC
    zh-Hans: {column: nameSC, value: x}
    en: {columns: [a, b], transfroms: []}
  address: {column: a, zh-Hant: b}
  district: {zh-Hant: d, learn_from: c}
merge:
  labels:
    - {pattern: '(男|女)?$', at: end}
    - {pattern: '男$'}
""",
    )
    assert problems == [
        f'm.yaml:4:5: unknown field option "zh-hant"; did you mean "zh-Hant"? '
        f"(valid: {FIELD_OPTIONS})",
        'm.yaml:5:14: fields.name.zh-Hans: give exactly one of "column", "columns" or "value"',
        'm.yaml:6:27: unknown field option "transfroms"; did you mean "transforms"? '
        "(valid: column, columns, join, join_dedupe, value, transforms)",
        'm.yaml:7:12: fields.address: give "column" or one source per language (zh-Hant), not both',
        "m.yaml:8:13: fields.district: learn_from works only with one source for all languages",
        "m.yaml:11:7: merge.labels: label 1 can match an empty label, so it would stop the "
        "labels after it; make it match at least one character",
    ]


def test_options_of_the_new_transforms(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """\
category: toilet
location: {column: pos, order: lng,lat}
id: {prefix: x, keys: [a]}
fields:
  name: n
  wheelchair: {column: w, transforms: [{bool: {yes: [設有], maybe: [?]}}]}
  verified: {column: v, transforms: [{date: {fmt: x}}, {html: markup}, {split: '('}]}
""",
    )
    assert problems == [
        'm.yaml:2:32: location.order: "lng" is not one of "lng,lat", "lat,lng"; '
        'write it in quotes inside {…}: order: "lng,lat"',
        "m.yaml:2:39: location.lat: expected text, got nothing",
        'm.yaml:3:17: unknown id option "id.keys"; did you mean "key"? (valid: prefix, key)',
        "m.yaml:6:47: bool: expected true (1/0, Y/N, yes/no, true/false, 是/否, 有/無) "
        "or {yes: [spellings], no: [spellings]} for more",
        "m.yaml:7:45: date: expected true, or {format: '%d/%m/%Y'} (Python strptime codes)",
        'm.yaml:7:63: html: "markup" is not one of "text", "entities"',
        "m.yaml:7:81: split: invalid regular expression: "
        "missing ), unterminated subpattern at position 0",
    ]


def test_shorthands_and_per_language_sources_are_read(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        """\
category: bus_stop
fields:
  name:
    zh-Hant: name_tc
    en: {column: name_en, transforms: [{strip_suffix: ")"}]}
    transforms: [{html: text}]
  stop_id: stop
""",
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    name, stop = mapping.fields
    assert name.source is None and [lo for lo, _ in name.locales] == ["zh-Hant", "en"]
    assert name.locales[1][1].columns == ("name_en",)
    assert name.locales[1][1].transforms == ({"strip_suffix": ")"},)
    assert name.transforms == ({"html": "text"},)
    assert stop.source is not None and stop.source.columns == ("stop",)
    assert [(ref.path, ref.where, str(ref.mark)) for ref in mapping.columns] == [
        ("name_tc", "fields.name.zh-Hant", f"{path.as_posix()}:4:14"),
        ("name_en", "fields.name.en", f"{path.as_posix()}:5:18"),
        ("stop", "fields.stop_id", f"{path.as_posix()}:7:12"),
    ]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "category: [toilet\n")
    assert problem.startswith("m.yaml:2:1: YAML syntax error")


@pytest.mark.parametrize(
    ("name", "base", "flags"),
    [
        ("仁武區地政事務所男廁", "仁武區地政事務所", {"male"}),
        ("SOTO日本家庭料理-澄清店-女廁", "SOTO日本家庭料理-澄清店", {"female"}),
        ("正興國小3棟東側-(女廁)", "正興國小3棟東側", {"female"}),
        ("仁美派出所女廁&無障礙廁所", "仁美派出所", {"female", "wheelchair"}),
        ("凹子底森林公園(男?)", "凹子底森林公園", {"male"}),
        ("台糖成功站-殘", "台糖成功站", {"wheelchair"}),
        ("湖內國中北棟1F廁所男女混合", "湖內國中北棟1F", {"male", "female", "unisex"}),
        ("鳥松區立圖書館4F女&殘障合廁", "鳥松區立圖書館4F", {"female", "wheelchair"}),
        ("澄清湖風景區(水族館男廁)", "澄清湖風景區(水族館)", {"male"}),
        ("旗山社福館一F女廁A", "旗山社福館一F A", {"female"}),
        ("高雄女子高級中學", "高雄女子高級中學", set()),
        ("男廁", "男廁", {"male"}),
    ],
)
def test_kaohsiung_room_labels(name: str, base: str, flags: set[str]) -> None:
    mapping = load_mapping(MAPPINGS / "kaohsiung_toilets.yaml")
    assert split_label(name, mapping) == (base, dict.fromkeys(flags, True))
