"""Mistakes found when a mapping meets the project and the source, word for word: each names
the mapping's line, says what is wrong and what exists instead."""

from __future__ import annotations

import contextlib
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen.cli.importer import import_command


def _run(project: Path, mapping: str, name: str, text: str) -> Result:
    (project / "m.yaml").write_text(textwrap.dedent(mapping), encoding="utf-8")
    (project / name).write_text(text, encoding="utf-8")
    args = [name, "--mapping", "m.yaml", "-C", ".", "--dry-run"]
    with contextlib.chdir(project):  # messages name the files as given: m.yaml, t.csv
        return CliRunner().invoke(import_command, args, catch_exceptions=False)


POIS = json.dumps(
    {
        "status": "1",
        "pois": [
            {
                "name": "公廁",
                "location": "121.52,25.05",
                "biz_ext": {"rating": "4.5", "open_time": "08:00-22:00"},
                "photos": [{"url": "https://example.org/1.jpg"}],
            }
        ],
    },
    ensure_ascii=False,
)


def test_a_missing_path_lists_the_paths_that_exist(project: Path) -> None:
    result = _run(
        project,
        """\
        format: json
        rows: pois
        category: toilet
        output: toilet/t.yaml
        location: {column: location, order: "lng,lat"}
        fields:
          name: nmae
          opening_hours: biz_ext.opentime
        """,
        "pois.json",
        POIS,
    )
    assert result.exit_code == 1
    listed = "name, location, biz_ext, biz_ext.rating, biz_ext.open_time, photos, photos[0].url"
    assert result.output.splitlines() == [
        f'm.yaml:7:9: fields.name: no column "nmae" in pois.json; did you mean "name"? '
        f"(it has: {listed})",
        f'm.yaml:8:18: fields.opening_hours: no column "biz_ext.opentime" in pois.json; '
        f'did you mean "biz_ext.open_time"? (it has: {listed})',
        "2 problem(s) found.",
    ]


def test_a_json_object_says_where_its_rows_may_be(project: Path) -> None:
    mapping = "format: json\ncategory: toilet\nfields: {name: name}\n"
    result = _run(project, mapping, "pois.json", POIS)
    assert result.output == (
        "error: pois.json: expected a JSON array of objects; "
        "set rows: to the path of its array of rows (pois)\n"
    )
    result = _run(project, mapping + "rows: status\n", "pois.json", POIS)
    assert result.output == (
        "error: pois.json: no array of rows at rows: status; arrays in the file: pois, "
        "pois[0].photos\n"
    )


def test_fields_the_category_cannot_hold(project: Path) -> None:
    result = _run(
        project,
        """\
        category: toilet
        location: {lng: lng, lat: lat}
        fields:
          name: {zh-Hant: name}
          location: pos
          accessible: wheelchair
          seats: {zh-Hant: a, en: b}
        """,
        "t.csv",
        "name,lng,lat\nA,121.5,25.0\n",
    )
    fields = (
        "name, address, description, verified, photos, opening_hours, wheelchair, "
        "changing_table, unisex, fee, male, female, seats, grade, district, operator"
    )
    assert result.output.splitlines() == [
        "m.yaml:5:13: fields.location: the position comes from the mapping's location: (and crs:)",
        'm.yaml:6:15: fields.accessible: "accessible" is not a field of category "toilet" '
        f"(its fields: {fields})",
        "m.yaml:7:10: fields.seats: one column per language needs a localized field "
        '(name, address, description or an ltext field); "seats" is of type int',
        "3 problem(s) found.",
    ]


def test_a_language_the_site_does_not_have(project: Path) -> None:
    site = project / "content" / "site.yaml"
    text = site.read_text("utf-8").replace("[zh-Hant, zh-Hans, en]", "[zh-Hant, en]")
    site.write_text(text, "utf-8")
    for path in (project / "content" / "categories").glob("*.yaml"):
        path.unlink()
    category = "id: toilet\nname: {zh-Hant: 公廁, en: Toilet}\nfields: {}\n"
    (project / "content" / "categories" / "toilet.yaml").write_text(category, "utf-8")
    mapping = """\
    category: toilet
    location: {lng: lng, lat: lat}
    fields:
      name: {zh-Hant: tc, zh-Hans: sc}
    """
    result = _run(project, mapping, "t.csv", "tc,sc,lng,lat\n甲,甲,121.5,25.0\n")
    assert result.output.splitlines() == [
        'm.yaml:4:9: fields.name.zh-Hans: "zh-Hans" is not one of the site\'s locales '
        "(zh-Hant, en)",
        "1 problem(s) found.",
    ]


def test_id_key_names_card_fields_or_source_columns(project: Path) -> None:
    mapping = """\
    category: toilet
    id: {prefix: t, key: [name, district, NUMBER]}
    location: {lng: lng, lat: lat}
    fields: {name: name}
    """
    result = _run(project, mapping, "t.csv", "name,number,lng,lat\nA,1,121.5,25.0\n")
    assert result.output.splitlines() == [
        'm.yaml:2:29: id.key: the mapping does not fill the field "district"',
        'm.yaml:2:39: id.key: "NUMBER" is neither a field the mapping fills (name, location) '
        'nor a column of t.csv; did you mean "number"? (it has: name, number, lng, lat)',
        "2 problem(s) found.",
    ]


def test_two_cards_with_one_id_key(project: Path) -> None:
    mapping = """\
    category: toilet
    id: {prefix: t, key: [number]}
    location: {lng: lng, lat: lat}
    fields: {name: name}
    """
    rows = "name,number,lng,lat\nA,1,121.5,25.0\nB,1,121.6,25.1\nC,2,121.5,25.0\n"
    result = _run(project, mapping, "t.csv", rows)
    assert result.output.splitlines() == [
        "error: id.key [number]: 1 keys are shared by several cards:",
        '  "1": t.csv row 2, t.csv row 3 (A · B)',
        "  add to id.key a field or column that tells them apart",
    ]


def test_a_table_without_a_location(project: Path) -> None:
    result = _run(project, "category: toilet\nfields: {name: name}\n", "t.csv", "name\nA\n")
    assert result.output.splitlines() == [
        "m.yaml:1:1: location: t.csv is not GeoJSON, so the mapping needs a location: "
        '(give "lng" and "lat" columns, or one "column")',
        "1 problem(s) found.",
    ]


def test_an_unknown_category(project: Path) -> None:
    result = _run(project, "category: toliet\nfields: {name: name}\n", "t.csv", "name\nA\n")
    assert result.output == (
        'error: category "toliet" is not defined in content/categories/; did you mean '
        '"toilet"? (defined: drinking_water, litter_bin, park, recycling, toilet)\n'
    )


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ("", "no opening_hours (a required field)"),
        ("ask the caretaker", "opening_hours: unparseable hours (a required field: row skipped)"),
    ],
)
def test_a_row_without_a_required_field_is_skipped(project: Path, hours: str, reason: str) -> None:
    category = project / "content" / "categories" / "toilet.yaml"
    category.write_text(
        category.read_text("utf-8").replace(
            "opening_hours: {type: hours,", "opening_hours: {type: hours, required: true,"
        ),
        "utf-8",
    )
    mapping = """\
    category: toilet
    output: toilet/t.yaml
    location: {lng: lng, lat: lat}
    fields: {name: name, opening_hours: hours}
    """
    rows = f"name,hours,lng,lat\nA,{hours},121.5,25.0\nB,24/7,121.5,25.01\n"
    result = _run(project, mapping, "t.csv", rows)
    detail = f': "{hours}"' if hours else ""
    assert "  rows skipped:   1" in result.output.splitlines()
    assert f"    t.csv row 2: {reason}{detail}" in result.output.splitlines()
