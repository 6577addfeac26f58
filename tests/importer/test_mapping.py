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
        'm.yaml:5:10: unknown field option "colum"; did you mean "column"?',
        "m.yaml:9:29: extract.pattern: invalid regular expression: "
        "missing ), unterminated subpattern at position 2",
        'm.yaml:9:42: extract.as: "number" is not one of "text", "int", "bool"',
        'm.yaml:10:9: unknown transform "strip_prefx"; did you mean "strip_prefix"?',
    ]


def test_missing_name_and_half_a_location(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "category: toilet\nlocation: {lng: x}\nfields:\n  address: {column: a, value: b}\n",
    )
    assert problems == [
        'm.yaml:2:11: location: give "lng" and "lat" columns, or one "column" (and "order")',
        'm.yaml:3:1: fields: missing the card field "name"',
        'm.yaml:4:12: fields.address: give exactly one of "column", "columns" or "value"',
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
