"""The JSON Schemas from ``sitegen schema`` agree with ``sitegen check`` on sample content."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from sitegen.build.stages import check
from sitegen.cli.editor import schema as schema_command
from sitegen.editor.schemas import all_schemas, load_categories
from sitegen.errors import ContentError, Report
from sitegen.source.located import parse_yaml, split_front_matter
from tests.conftest import SITE_YAML, TOILET_CARD, MakeSite

CARD_PATH = "content/facilities/toilet/futian-0001.yaml"
EXTRA_CATEGORY = "content/categories/extra.yaml"
GUIDE_PATH = "content/guides/walk.md"

# A second category with the field types the toilet lacks.
WATER_CATEGORY = """\
id: water
name: 饮水点
fields:
  tags: {type: list, item: text}
  phone: phone
  website: url
  flow: {type: number, min: 0, max: 10.5}
  installed: date
  kind: {type: enum, values: [tap, fountain]}
"""
WATER_CARD = """\
id: water-1
category: water
name: 饮水点一
location: [114.05, 22.55]
"""


def plain(value: Any) -> Any:
    """YAML as an editor's language server sees it: dates are strings (YAML 1.2 core)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def schema_valid(schema: dict[str, Any], text: str) -> bool:
    data = plain(parse_yaml(text, "sample.yaml", Report()))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return not list(validator.iter_errors(data))


def check_valid(project: Path) -> bool:
    try:
        check(project)
    except ContentError:
        return False
    return True


@pytest.fixture
def schemas(make_site: MakeSite) -> dict[str, dict[str, Any]]:
    project = make_site({"content/categories/water.yaml": WATER_CATEGORY})
    return all_schemas(load_categories(project))


def test_every_schema_is_valid_draft_07(schemas: dict[str, dict[str, Any]]) -> None:
    assert set(schemas) >= {
        "site.schema.json",
        "category.schema.json",
        "facility.schema.json",
        "facility.toilet.schema.json",
        "facility.water.schema.json",
        "guide.schema.json",
        "guide-translation.schema.json",
    }
    for schema in schemas.values():
        jsonschema.Draft7Validator.check_schema(schema)


def _card(**changes: str | None) -> str:
    lines = [line for line in TOILET_CARD.splitlines() if line.split(":")[0] not in changes]
    lines += [f"{k}: {v}" for k, v in changes.items() if v is not None]
    return "\n".join(lines) + "\n"


CARDS = {
    "as written": (TOILET_CARD, True),
    "name by locale": (_card(name="{zh-Hans: 公厕, en: Toilet}"), True),
    "verified date": (_card(verified="2025-06-01"), True),
    "no optional fields": (_card(grade=None, maintainer=None, stalls_male=None), True),
    "a list of cards": ("- " + TOILET_CARD.replace("\n", "\n  ").rstrip() + "\n", True),
    "typo in a field": (_card(acessible="true"), False),
    "missing required field": (_card(hours=None), False),
    "below the minimum": (_card(stalls_male="-1"), False),
    "not a whole number": (_card(stalls_male="1.5"), False),
    "not in the enum": (_card(grade="四类"), False),
    "empty name": (_card(name='""'), False),
    "unknown locale": (_card(name="{fr: Toilettes}"), False),
    "location not a pair": (_card(location="[114.05, 22.55, 3]"), False),
    "location text": (_card(location="here"), False),
    "bad id": (_card(id='"Bad ID"'), False),
    "unknown category": (_card(category="toilets"), False),
    "bool as text": (_card(accessible="yes"), False),
    "not a date": (_card(verified='"2025-13-01"'), False),
    "unknown crs": (_card(crs="utm"), False),
    "a scalar file": ("hello\n", False),
    "a list with one bad card": (
        "- " + WATER_CARD.replace("\n", "\n  ").rstrip() + "\n- 42\n",
        False,
    ),
    "water card": (WATER_CARD, True),
    "a single list item without a list": (WATER_CARD + "tags: 一楼\n", True),
    "a list": (WATER_CARD + "tags: [一楼, 室外]\n", True),
    "a mapping as list item": (WATER_CARD + "tags: {a: b}\n", False),
    "phone as number": (WATER_CARD + "phone: 12345678\n", True),
    "web address": (WATER_CARD + "website: https://example.org/\n", True),
    "not a web address": (WATER_CARD + "website: example.org\n", False),
    "number in range": (WATER_CARD + "flow: 2.5\n", True),
    "number above max": (WATER_CARD + "flow: 11\n", False),
    "date": (WATER_CARD + "installed: 2020-01-31\n", True),
    "enum": (WATER_CARD + "kind: tap\n", True),
    "field of another category": (WATER_CARD + "accessible: true\n", False),
}


@pytest.mark.parametrize("name", list(CARDS))
def test_cards_agree(name: str, make_site: MakeSite, schemas: dict[str, dict[str, Any]]) -> None:
    text, valid = CARDS[name]
    project = make_site({"content/categories/water.yaml": WATER_CATEGORY, CARD_PATH: text})
    assert check_valid(project) is valid
    assert schema_valid(schemas["facility.schema.json"], text) is valid


def test_a_category_schema_takes_only_its_cards(schemas: dict[str, dict[str, Any]]) -> None:
    assert schema_valid(schemas["facility.toilet.schema.json"], TOILET_CARD)
    assert not schema_valid(schemas["facility.toilet.schema.json"], WATER_CARD)
    assert schema_valid(schemas["facility.water.schema.json"], WATER_CARD)


SITES = {
    "as written": (SITE_YAML, True),
    "two locales": (SITE_YAML.replace("[zh-Hans, zh-Hant, en]", "[zh-Hans, en]"), True),
    "with description": (SITE_YAML + "description: 说明\n", True),
    "tile options": (
        SITE_YAML.replace("contributors\n", "contributors\n    max_zoom: 19\n    crs: gcj02\n"),
        True,
    ),
    "typo in a setting": (SITE_YAML.replace("holidays:", "holiday:"), False),
    "missing title": ("\n".join(SITE_YAML.splitlines()[1:]) + "\n", False),
    "zoom too large": (SITE_YAML.replace("zoom: 12", "zoom: 30"), False),
    "unknown holidays": (SITE_YAML.replace("holidays: CN", "holidays: US"), False),
    "no tiles": (SITE_YAML.split("tiles:")[0] + "tiles: []\n", False),
    "tile url without z": (SITE_YAML.replace("{z}/", ""), False),
    "base url a number": (SITE_YAML.replace("https://map.example.org/", "42"), False),
    "unknown locale": (SITE_YAML.replace("[zh-Hans, zh-Hant, en]", "[zh-Hans, fr]"), False),
    "unknown report setting": (SITE_YAML + "  secret: x\n", False),
}


@pytest.mark.parametrize("name", list(SITES))
def test_sites_agree(name: str, make_site: MakeSite, schemas: dict[str, dict[str, Any]]) -> None:
    text, valid = SITES[name]
    assert check_valid(make_site({"content/site.yaml": text})) is valid
    assert schema_valid(schemas["site.schema.json"], text) is valid


CATEGORIES = {
    "water": (WATER_CATEGORY.replace("id: water", "id: extra"), True),
    "shorthand and labels": (
        "id: extra\nname: X\nfields:\n  kind: {type: enum, values: [a, b], labels: {a: 甲}}\n",
        True,
    ),
    "unknown type": ("id: extra\nname: X\nfields:\n  a: {type: string}\n", False),
    "unknown shorthand": ("id: extra\nname: X\nfields:\n  a: string\n", False),
    "reserved name": ("id: extra\nname: X\nfields:\n  address: text\n", False),
    "bad field name": ("id: extra\nname: X\nfields:\n  Bad-Name: text\n", False),
    "bad colour": ("id: extra\nname: X\ncolor: blue\nfields: {}\n", False),
    "typo in a setting": ("id: extra\nname: X\ncolour: '#123456'\n", False),
    "missing name": ("id: extra\n", False),
}


@pytest.mark.parametrize("name", list(CATEGORIES))
def test_categories_agree(
    name: str, make_site: MakeSite, schemas: dict[str, dict[str, Any]]
) -> None:
    text, valid = CATEGORIES[name]
    assert check_valid(make_site({EXTRA_CATEGORY: text})) is valid
    assert schema_valid(schemas["category.schema.json"], text) is valid


GUIDES = {
    "entries": (
        "title: {zh-Hans: 散步, en: A walk}\nentries:\n"
        "  - facility: futian-0001\n    fee: 免费\n    tags: [公园]\n"
        "    links: [{title: 官网, url: 'https://example.org/'}]\n",
        True,
    ),
    "title only": ("title: 散步\n", True),
    "missing title": ("summary: 说明\n", False),
    "typo in a setting": ("title: 散步\nsumary: 说明\n", False),
    "entry without facility": ("title: 散步\nentries:\n  - fee: 免费\n", False),
    "link without url": (
        "title: 散步\nentries:\n  - facility: futian-0001\n    links: [{title: 官网}]\n",
        False,
    ),
}


@pytest.mark.parametrize("name", list(GUIDES))
def test_guides_agree(name: str, make_site: MakeSite, schemas: dict[str, dict[str, Any]]) -> None:
    front, valid = GUIDES[name]
    project = make_site({GUIDE_PATH: f"---\n{front}---\n正文。\n"})
    assert check_valid(project) is valid
    text = split_front_matter((project / GUIDE_PATH).read_text("utf-8"))[0]
    assert schema_valid(schemas["guide.schema.json"], text) is valid


# What only ``sitegen check`` can tell (docs/editing.md lists these for editors).
BEYOND_JSON_SCHEMA = {
    "location outside the bounds": (CARD_PATH, _card(location="[113.0, 22.5]")),
    "opening hours syntax": (CARD_PATH, _card(hours='"Mo-Xx 06:00-23:00"')),
    "photo file missing": (CARD_PATH, _card(photos="[photos/none.jpg]")),
    "unknown time zone": ("content/site.yaml", SITE_YAML.replace("Asia/Shanghai", "Mars/Base")),
    "center outside bounds": ("content/site.yaml", SITE_YAML.replace("[114.06, 22.55]", "[1, 2]")),
}


@pytest.mark.parametrize("name", list(BEYOND_JSON_SCHEMA))
def test_checks_json_schema_cannot_express(
    name: str, make_site: MakeSite, schemas: dict[str, dict[str, Any]]
) -> None:
    path, text = BEYOND_JSON_SCHEMA[name]
    schema = schemas["site.schema.json" if path.endswith("site.yaml") else "facility.schema.json"]
    assert schema_valid(schema, text)
    assert not check_valid(make_site({path: text}))


def test_schema_command_writes_files(make_site: MakeSite, tmp_path: Path) -> None:
    project = make_site()
    out = tmp_path / "schemas"
    result = CliRunner().invoke(schema_command, ["-C", str(project), "-o", str(out)])
    assert result.exit_code == 0, result.output
    site = json.loads((out / "site.schema.json").read_text("utf-8"))
    assert site["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert (out / "facility.toilet.schema.json").is_file()


def test_schema_command_reports_category_problems(make_site: MakeSite) -> None:
    project = make_site({EXTRA_CATEGORY: "id: extra\nname: X\nfields:\n  a: string\n"})
    result = CliRunner().invoke(schema_command, ["-C", str(project)])
    assert result.exit_code == 1
    assert "content/categories/extra.yaml:4:" in result.output
    assert not (project / "schemas").exists()


def test_image_pattern_is_ecma_262(schemas: dict[str, dict[str, Any]]) -> None:
    text = json.dumps(schemas["facility.schema.json"])
    assert "(?i)" not in text  # editors' regular expressions have no inline flags
