"""`sitegen check`: every problem in one run, as path:line:col: message, word for word."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitegen.cli.main import main

from .conftest import MakeSite

BAD_CARDS = """\
- id: futian-0001
  category: toilet
  name: 重复的公厕
  location: [114.06, 22.55]
  hours: "Mo-Su 06:00-23:00"
- id: futian-0002
  category: toilet
  name: 拼错字段
  location: [22.55, 114.06]
  hours: "Mo-Xx 08:00-09:00"
  acessible: true
  stalls_male: 120
  grade: 四类
- id: futian-0003
  category: toliet
  name: 未知分类
  location: [114.06, 22.55]
- id: futian-0004
  category: toilet
  name: 缺少开放时间
  location: [100.0, 30.0]
  stalls_male: many
- id: futian-0005
  category: toilet
  name: 图片不存在
  location: [114.06, 22.55]
  hours: 全天
  photos: [photos/missing.jpg]
"""

GUIDE = """\
---
title: {zh-Hans: 公园指南, en: Park guide}
entries:
  - facility: futian-0001
  - facility: futian-0009
---
正文
"""


def run_check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "-C", str(root)])
    return result.exit_code, result.output.splitlines()


def test_valid_site_passes(make_site: MakeSite) -> None:
    code, lines = run_check(make_site())
    assert (code, lines) == (0, ["No problems found."])


def test_every_problem_reported_at_once(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/facilities/toilet/bad.yaml": BAD_CARDS,
            "content/facilities/toilet/broken.yaml": "id: x\nname: [unclosed\n",
            "content/guides/parks.md": GUIDE,
        }
    )
    code, lines = run_check(root)
    assert code == 1
    bad = "content/facilities/toilet/bad.yaml"
    assert lines == [
        f"{bad}:9:13: location: [22.55, 114.06] has longitude and latitude swapped; "
        "write [114.06, 22.55] (longitude first)",
        f'{bad}:10:14: hours: expected weekday after "-", found "Xx"',
        f'{bad}:11:3: unknown field "acessible" for category "toilet"; did you mean "accessible"?',
        f"{bad}:12:16: stalls_male: 120 is above the maximum 100",
        f'{bad}:13:10: grade: "四类" is not one of "一类", "二类", "三类"',
        f'{bad}:15:13: category: unknown category "toliet"; did you mean "toilet"?',
        f'{bad}:18:3: missing required field "hours" for category "toilet"',
        f"{bad}:21:13: location: [100, 30] is outside the site's bounds "
        "[[113.7, 22.4], [114.7, 22.9]]",
        f'{bad}:22:16: stalls_male: expected a whole number, got "many"',
        f'{bad}:28:12: photos: item 1: image file "photos/missing.jpg" not found in content/',
        "content/facilities/toilet/broken.yaml:3:1: YAML syntax error: did not find expected "
        "',' or ']'",
        'content/facilities/toilet/futian-0001.yaml:1:5: id: duplicate id "futian-0001", '
        "first defined at content/facilities/toilet/bad.yaml:1:7",
        'content/guides/parks.md:5:15: entries[2].facility: unknown facility "futian-0009"; '
        'did you mean "futian-0001"?',
        "13 problem(s) found.",
    ]


def test_site_yaml_problems_name_the_setting(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/site.yaml": """\
        title: 测试
        base_url: not-a-url
        timezone: Asia/Shenzen
        map:
          center: [114.06, 22.55]
          zom: 12
          bounds: [[113.7, 22.4], [114.7, 22.9]]
        tiles:
          - id: osm
            name: OSM
            url: https://tile.example.org/tiles.png
            attribution: x
        themes: default
        """
        }
    )
    code, lines = run_check(root)
    assert code == 1
    assert lines == [
        'content/site.yaml:2:11: base_url: "not-a-url" is not an absolute http(s) address such '
        "as https://example.org/map/",
        'content/site.yaml:3:11: timezone: unknown time zone "Asia/Shenzen"; use an IANA name '
        'such as "Asia/Shanghai"',
        'content/site.yaml:6:3: unknown map setting "map.zom"; did you mean "zoom"?',
        'content/site.yaml:11:10: url: "https://tile.example.org/tiles.png" is not a tile URL '
        "template with {z}, {x} and {y}",
        'content/site.yaml:13:1: unknown site setting "themes"; did you mean "theme"?',
        "5 problem(s) found.",
    ]


def test_category_declaration_problems(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/categories/toilet.yaml": """\
        id: toilet
        name: 公厕
        fields:
          hours: {type: hours, required: true}
          accessible: {type: boolean}
          stalls: {type: int, min: 0, max: many}
          name: {type: text}
        """
        }
    )
    code, lines = run_check(root)
    assert code == 1
    cat = "content/categories/toilet.yaml"
    assert lines[:3] == [
        f'{cat}:5:22: fields.accessible.type: "boolean" is not one of "text", "ltext", "int", '
        '"number", "bool", "hours", "phone", "url", "image", "date", "enum", "list"; '
        'did you mean "bool"?',
        f'{cat}:6:36: fields.stalls.max: expected a number, got "many"',
        f'{cat}:7:3: field name "name" is reserved for every name card',
    ]


def test_duplicate_yaml_key_is_an_error(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/facilities/toilet/futian-0001.yaml": """\
        id: futian-0001
        category: toilet
        name: 公厕
        name: 另一个名字
        location: [114.0572, 22.5535]
        hours: 24/7
        """
        }
    )
    code, lines = run_check(root)
    assert code == 1
    assert lines[0] == (
        'content/facilities/toilet/futian-0001.yaml:4:1: duplicate key "name" '
        "(first written at line 3)"
    )


def test_missing_site_yaml_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "-C", str(tmp_path)])
    assert result.exit_code == 1
    assert "no site.yaml here" in result.output
    assert "Traceback" not in result.output


def test_unquoted_comma_in_flow_mapping_gets_a_hint(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/facilities/toilet/futian-0001.yaml": """\
        id: futian-0001
        category: toilet
        name: {zh-Hans: 公厕, en: Toilet, south gate}
        location: [114.0572, 22.5535]
        hours: 24/7
        """
        }
    )
    code, lines = run_check(root)
    assert (code, lines[0]) == (
        1,
        "content/facilities/toilet/futian-0001.yaml:3:33: name: "
        'unknown locale "south gate"; put text with a comma inside '
        "{…} in quotes",
    )


def test_guide_entries_not_a_list_and_impossible_date(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/guides/parks.md": "---\ntitle: 公园\nentries: futian-0001\n---\n正文\n",
            "content/facilities/toilet/futian-0001.yaml": TOILET_CARD_WITH_BAD_DATE,
        }
    )
    code, lines = run_check(root)
    assert code == 1
    assert lines == [
        "content/facilities/toilet/futian-0001.yaml:6:11: verified: expected a date as "
        'YYYY-MM-DD, got "2025-13-01"',
        "content/guides/parks.md:3:10: entries: expected a list",
        "2 problem(s) found.",
    ]


TOILET_CARD_WITH_BAD_DATE = """\
id: futian-0001
category: toilet
name: 公厕
location: [114.0572, 22.5535]
hours: 24/7
verified: 2025-13-01
"""
