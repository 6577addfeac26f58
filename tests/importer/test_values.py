"""The pieces a value passes through: paths into nested data, HTML made plain, transforms,
and the typed check with the parsers `sitegen check` uses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from sitegen.errors import Mark, Report
from sitegen.importer.html import decode_entities, has_html, html_to_text
from sitegen.importer.paths import MISSING, available, lookup
from sitegen.importer.transforms import Flag, apply
from sitegen.importer.typed import check_value, convert
from sitegen.pipeline.categories import SCALAR_TYPES
from sitegen.source import schema as s

POI = {
    "name": "origin清吧",
    "biz_ext": {"cost": [], "rating": "5.0"},
    "photos": [{"url": "http://a/1"}, {"url": "http://a/2"}],
    "No. of courts": 2,
    "tags": {"name:en": "Origin"},
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("name", "origin清吧"),
        ("biz_ext.rating", "5.0"),
        ("biz_ext.cost", []),
        ("photos[0].url", "http://a/1"),
        ("photos.1.url", "http://a/2"),
        ("photos[*].url", ["http://a/1", "http://a/2"]),
        ("No. of courts", 2),  # a key with a dot is found as it is
        ("tags.name:en", "Origin"),
        ("photos[2].url", MISSING),
        ("biz_ext.ratings", MISSING),
        ("name.en", MISSING),
    ],
)
def test_paths_into_nested_data(path: str, value: Any) -> None:
    assert lookup(POI, path) == value


def test_available_paths_in_the_order_seen() -> None:
    assert available([POI, {"extra": {"x": 1}}]) == [
        "name",
        "biz_ext",
        "biz_ext.cost",
        "biz_ext.rating",
        "photos",
        "photos[0].url",
        "No. of courts",
        "tags",
        "tags.name:en",
        "extra",
        "extra.x",
    ]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("Queen&#039;s Road", "Queen's Road"),
        ("每日上午7時至晚上11時<br />(定期保養日除外)", "每日上午7時至晚上11時\n(定期保養日除外)"),
        ("<strong>暫停開放</strong><br /><br />7 am", "暫停開放\n\n7 am"),
        ("<ul><li>A &amp; B</li><li><p>C</p></li></ul>after", "• A & B\n• C\nafter"),
        (
            "<table><tr><td>&bull;</td><td><u>網球場</u></td></tr>"
            "<tr><td>&nbsp;</td><td>上午7時</td></tr></table>",
            "• 網球場\n上午7時",
        ),
        (
            "<center><table><tr><th>NAME</th><td>Adam Road</td></tr></table></center>",
            "NAME: Adam Road",
        ),
        ("a<script>x()</script> b", "a b"),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_html_is_noticed_and_entities_decoded() -> None:
    assert has_html("G/F &amp; M/F") and has_html("7 am<br/>") and has_html("&nbsp;")
    assert not has_html("A & B") and not has_html("<5 歲") and not has_html("&unknown;")
    assert decode_entities("G/F &amp; M/F&nbsp;") == "G/F & M/F"


@pytest.mark.parametrize(
    ("value", "transforms", "result"),
    [
        ("Y", ({"bool": {"yes": (), "no": ()}},), True),
        ("無", ({"bool": {"yes": (), "no": ()}},), False),
        ("設有", ({"bool": {"yes": (), "no": ()}},), True),
        ("提供", ({"bool": {"yes": ("提供",), "no": ()}},), True),
        ("limited", ({"bool": {"yes": (), "no": ()}},), Flag("not yes or no", '"limited"')),
        (True, ({"bool": {"yes": (), "no": ()}},), True),
        ("15/7/2009 12:09", ({"date": {"format": "%d/%m/%Y %H:%M"}},), dt.date(2009, 7, 15)),
        ("2009-07-15", ({"date": {"format": "%d/%m/%Y"}},), Flag("not a date", '"2009-07-15"')),
        ("a;b; ;c", ({"split": re.compile(";")},), ["a", "b", "c"]),
        ("N.A.", ({"drop": ["N.A."]}, {"hours": True}), None),
        ("Metals,Paper", ({"split": re.compile(",")}, {"map": {"Paper": "紙"}}), ["Metals", "紙"]),
        (
            {"x": 1},
            ({"strip_prefix": "a"},),
            Flag("an object, not a value: name a path inside it", "{x: 1}"),
        ),
    ],
)
def test_transforms(value: Any, transforms: tuple[dict[str, Any], ...], result: Any) -> None:
    assert apply(value, transforms) == result


def _field(kind: str, **options: Any) -> s.Field:
    if kind == "enum":
        return s.Enum(options.pop("values"))
    return SCALAR_TYPES[kind](**options)


CTX = s.Context(Report())
MARK = Mark("x.csv", 3)


@pytest.mark.parametrize(
    ("kind", "options", "value", "result"),
    [
        ("int", {}, "12", 12),
        ("int", {}, "12.0", 12),
        ("int", {}, 12.0, 12),
        ("int", {}, "1,234", 1234),
        (
            "int",
            {},
            "1 (Basketball practice court)",
            Flag("not a whole number", '"1 (Basketball practice court)"'),
        ),
        ("int", {"max": 500}, "600", Flag("above the maximum 500", "600")),
        ("int", {"min": 0}, -1, Flag("below the minimum 0", "-1")),
        ("int", {}, True, Flag("not a whole number", "true")),
        ("number", {}, "5.0", 5.0),
        ("number", {}, "nan", Flag("not a number", '"nan"')),
        ("bool", {}, True, True),
        ("bool", {}, "True", True),
        (
            "bool",
            {},
            "Y",
            Flag("not true or false; convert it with {bool: true} or {map: …}", '"Y"'),
        ),
        ("text", {}, 12, "12"),
        ("text", {}, 5.5, "5.5"),
        ("text", {}, False, Flag("expected text, got false", "false")),
        ("date", {}, "2015-08-31T00:00:00+08:00", dt.date(2015, 8, 31)),
        (
            "date",
            {},
            "2014/06/03",
            Flag(
                "not a date (YYYY-MM-DD); give its format with {date: {format: …}}", '"2014/06/03"'
            ),
        ),
        ("phone", {}, 21812345, "21812345"),
        ("phone", {}, "2706 5813/ 2762 2083", Flag("not a phone number", '"2706 5813/ 2762 2083"')),
        (
            "url",
            {},
            "store.is.autonavi.com/x",
            Flag("not a web address (http:// or https://)", '"store.is.autonavi.com/x"'),
        ),
        ("hours", {}, "全天", "全天"),
        ("hours", {}, "ask the caretaker", Flag("unparseable hours", '"ask the caretaker"')),
        (
            "enum",
            {"values": ["特優級", "優等級"]},
            "Good",
            Flag('not one of "特優級", "優等級"; convert it with {map: …}', '"Good"'),
        ),
        ("enum", {"values": ["1", "2"]}, 2, "2"),
    ],
)
def test_values_are_checked_by_the_fields_own_parser(
    kind: str, options: dict[str, Any], value: Any, result: Any
) -> None:
    assert check_value(value, kind, _field(kind, **options), CTX, MARK) == result


def test_list_fields_keep_good_items_and_flag_the_others() -> None:
    from sitegen.importer.target import FieldType

    phones = FieldType("phone", "list", s.ListOf(s.Phone()), "phone")
    assert convert(["2675 6925", "n/a", "2675 6925"], phones, CTX, MARK) == (
        ["2675 6925"],
        [Flag("not a phone number", '"n/a"')],
    )
    one = FieldType("phone", "phone", s.Phone())
    assert convert(["1", "2"], one, CTX, MARK) == (
        None,
        [
            Flag(
                "2 values for a field that holds one; "
                "pick one with extract, or make it a list field",
                '["1", "2"]',
            )
        ],
    )
