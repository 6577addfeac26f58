"""The importer on the real demo files in data/sources/: every quirk handled and reported."""

from __future__ import annotations

from typing import Any

import yaml

from sitegen.importer.report import Issue
from sitegen.importer.run import Result

from .conftest import REPO

_PARSED: dict[int, list[dict[str, Any]]] = {}


def _cards(result: Result) -> list[dict[str, Any]]:
    # parsed once per file, with libyaml: thousands of cards
    if id(result) not in _PARSED:
        _PARSED[id(result)] = yaml.load(result.text, Loader=yaml.CSafeLoader)
    return _PARSED[id(result)]


def _named(result: Result, name: str) -> list[dict[str, Any]]:
    return [card for card in _cards(result) if card["name"] == name]


def _issues(issues: list[Issue], reason: str) -> list[tuple[str, int]]:
    return [(i.file, i.row) for i in issues if i.reason == reason]


def _body(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def test_demo_cards_are_the_committed_content(demo: dict[str, Result]) -> None:
    # Same cards, same bytes; only the header comment says who made the file.
    for rel, result in demo.items():
        committed = (REPO / "content" / "facilities" / rel).read_text(encoding="utf-8")
        assert _body(result.text) == _body(committed), rel


def test_big5_csv_with_latitude_first(demo: dict[str, Result]) -> None:
    result = demo["drinking_water/taipei.yaml"]
    assert result.summary.rows_read == 182 and not result.summary.skipped
    (card,) = _named(result, "關渡站")
    assert card["location"] == [121.467283, 25.125539]  # [lng, lat] though the CSV has lat first
    assert card["district"] == "北投區"  # 北投 + 區
    assert card["opening_hours"] == "Mo-Su 06:00-23:00"
    assert card["phone"] == "21812345"


def test_free_text_hours_converted_or_flagged(demo: dict[str, Result]) -> None:
    result = demo["drinking_water/taipei.yaml"]
    hours = [c.get("opening_hours") for c in _cards(result)]
    assert "Tu-Sa 08:30-21:00; Su,Mo 09:00-17:00" in hours and "24/7" in hours
    flagged = _issues(result.summary.flagged, "opening_hours: unparseable hours (left out)")
    assert flagged == [("water_big5.csv", 183)]
    assert _issues(result.summary.flagged, "fountains: outside 1..100 (left out)") == [
        ("water_big5.csv", 183)
    ]
    (hall,) = _named(result, "臺北市政府大樓")
    assert "opening_hours" not in hall and "fountains" not in hall


def test_soap_xml_swapped_row_and_prose(demo: dict[str, Result]) -> None:
    result = demo["toilet/taipei.yaml"]
    assert result.summary.rows_read == 1777 == len(_cards(result))
    assert _issues(result.summary.flagged, "lng/lat swapped, fixed") == [("taipeiToilet.xml", 202)]
    (parking,) = _named(result, "建成公園地下停車場")
    assert parking["location"] == [121.518102, 25.054122]
    (first, *_) = _cards(result)
    assert first["name"] == "士林官邸"  # prefix 公廁坐落： stripped
    assert (first["seats"], first["grade"], first["wheelchair"]) == (8, "特優級", True)
    assert first["verified"].isoformat() == "2013-03-25"
    unrated = [c for c in _cards(result) if "seats" not in c]
    assert len(unrated) == 24 and not any("grade" in c for c in unrated)
    assert not any(c["address"].startswith("臺北市台北市") for c in _cards(result))


def test_kaohsiung_json_bom_keys_no_coordinates_and_rooms(demo: dict[str, Result]) -> None:
    result = demo["toilet/kaohsiung.yaml"]
    summary = result.summary
    no_point = _issues(summary.skipped, "no coordinates")
    assert len(no_point) == 696 and no_point[0] == ("kaohsiung_toilets.json", 88)
    assert len(_issues(summary.skipped, "marked void (作廢) in the source")) == 2
    cards = _cards(result)
    (first, *_) = cards
    assert first["name"] == "鹽埕戶政事務所"  # the "\ufeffname" key was read
    (office,) = _named(result, "仁武區地政事務所")
    assert office["male"] is True and office["female"] is True
    (station,) = _named(result, "台糖成功站")
    assert station["male"] and station["female"] and station["wheelchair"]
    assert summary.merged_rows > 1000
    assert len(cards) + summary.merged_rows + len(summary.skipped) == summary.rows_read


def test_trash_can_bom_outliers_and_duplicates(demo: dict[str, Result]) -> None:
    result = demo["litter_bin/taipei.yaml"]
    summary = result.summary
    assert summary.rows_read == 2517
    outside = _issues(summary.skipped, "outside the source bounds")
    assert len(outside) == 20 and ("trash_can12.csv", 108) in outside
    assert summary.merged_rows == 66
    first = _cards(result)[0]
    assert first["name"] == "北安路643號前" and first["district"] == "中山區"


def test_nothing_written_by_a_dry_import(demo: dict[str, Result]) -> None:
    for result in demo.values():
        assert not result.output.exists() and not result.state.exists()
