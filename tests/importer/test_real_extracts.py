"""The importer on real extracts it was not written for (tests/fixtures/import/README.md):
a trilingual JSON register, a trilingual CSV with a BOM and shared points, GeoJSON with HTML
in its properties, a register with one row per toilet room, Amap dumps in GCJ-02.

For each: what the report counts, what the cards hold, and that `sitegen check` passes on
everything `sitegen import` wrote.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sitegen.geo.crs import to_wgs84
from sitegen.importer.mapping import load_mapping
from sitegen.importer.osm_hours import normalize_hours
from sitegen.importer.report import Summary, summary_lines
from sitegen.importer.run import import_sources

from .conftest import EXTRACTS, FIXTURES, Imported


def _counts(summary: Summary) -> dict[str, Any]:
    return {
        "read": summary.rows_read,
        "skipped": Counter(i.reason for i in summary.skipped),
        "flagged rows": summary.flagged_rows,
        "flags": Counter(i.reason for i in summary.flagged),
        "merged": summary.merged_rows,
        "cards": summary.cards,
        "shared points": len(summary.shared),
        "html": {key: seen.rows for key, seen in summary.html.items()},
    }


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _by(cards: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {str(card[key]): card for card in cards}


def test_sitegen_check_passes_on_every_imported_card(imported: Imported) -> None:
    assert imported.check == []
    written = sum(len(imported.cards(name)) for name in EXTRACTS)
    assert written == sum(r.summary.cards for r in imported.results.values()) == 1190
    for result in imported.results.values():  # the importer's own check rejected nothing
        assert not [i for i in result.summary.skipped if "fails sitegen check" in i.reason]


def test_trilingual_json_register_keeps_each_language_as_published(imported: Imported) -> None:
    summary = imported.results["hk_kmb_bus_stops"].summary
    assert _counts(summary) == {
        "read": 297,
        "skipped": Counter(),
        "flagged rows": 0,
        "flags": Counter(),
        "merged": 0,
        "cards": 297,
        "shared points": 6,
        "html": {},
    }
    stops = json.loads((FIXTURES / "hk_kmb_bus_stops.json").read_text("utf-8"))
    cards = _by(imported.cards("hk_kmb_bus_stops"), "stop_id")
    assert len(cards) == len(stops)
    for stop in stops:  # the publisher's own text in every language, none derived
        card = cards[stop["stop"]]
        assert card["name"] == {  # spaces collapsed, as in every imported text
            "zh-Hant": _spaced(stop["name_tc"]),
            "zh-Hans": _spaced(stop["name_sc"]),
            "en": _spaced(stop["name_en"]),
        }
        # id.key names a source column: the id is the hash of the publisher's stop id
        assert card["id"] == "kmb-" + hashlib.sha1(stop["stop"].encode()).hexdigest()[:6]
        assert card["location"] == [float(stop["long"]), float(stop["lat"])]
    # OpenCC would write 云汇 and 风釆: the given Simplified text is kept as it is
    assert cards["07AB149DAD888683"]["name"]["zh-Hans"] == "云滙 (PA207)"


def test_trilingual_csv_with_bom_shared_points_and_entities(imported: Imported) -> None:
    summary = imported.results["hk_epd_wasteless"].summary
    differs = "differs from the row it was merged into (that row's value kept)"
    assert _counts(summary) == {
        "read": 364,
        "skipped": Counter({"outside the site's bounds": 4}),
        "flagged rows": 8,
        "flags": Counter(
            {
                "duplicate point and name: merged into an earlier row": 8,
                f"contact: {differs}": 1,
                f"hours_note: {differs}": 1,
            }
        ),
        "merged": 8,
        "cards": 352,
        "shared points": 13,
        "html": {},
    }
    # the source's own writing of the point, not a converted float
    assert {(i.row, i.detail) for i in summary.skipped} == {
        (row, "[0.000000, 0.000000]") for row in (54, 55, 56, 57)
    }
    cards = imported.cards("hk_epd_wasteless")
    merged = {tuple(c["source_ids"]) for c in cards if len(c["source_ids"]) > 1}
    assert ("538", "9641") in merged and len(merged) == 8  # every cp_id of a merged point kept
    (lung_wai,) = [c for c in cards if c["source_ids"] == ["538", "9641"]]
    assert lung_wai["waste_types"] == ["Metals", "Paper", "Plastics"]  # split at the commas
    (mcd,) = [c for c in cards if c["source_ids"] == ["4510"]]
    assert mcd["name"]["en"] == "McDonald`s - G/F & M/F, 78-86 Yen Chow Street, Sham Shui Po"
    assert mcd["kind"] == "bin" and mcd["waste_types"] == ["Rechargeable Batteries"]
    (bay,) = [c for c in cards if c["source_ids"] == ["3193"]]
    # OpenCC would write 黄竹湾廻旋处: the publisher's Simplified text is kept as written
    assert bay["name"]["zh-Hant"] == "近大網仔路黃竹灣廻旋處"
    assert bay["name"]["zh-Hans"] == "近大网仔路黃竹湾回旋处"
    first = summary.shared[0]
    assert (first.point, first.rows) == (
        "[114.021950, 22.416300]",
        (("hk_epd_wasteless.csv", 2), ("hk_epd_wasteless.csv", 3)),
    )


def test_geojson_with_html_in_its_properties(imported: Imported) -> None:
    summary = imported.results["hk_lcsd_basketball_courts"].summary
    assert _counts(summary)["read"] == 120 and summary.cards == 120 and not summary.flagged
    cards = imported.cards("hk_lcsd_basketball_courts")
    text = json.dumps(cards, ensure_ascii=False, default=str)
    for markup in ("<br", "<strong", "<u>", "<table", "<li", "&nbsp;", "&bull;", "&ndash;"):
        assert markup not in text, markup
    fanling = next(c for c in cards if c["name"]["en"] == "Fanling Recreation Ground")
    assert fanling["hours_note"]["en"].endswith(". )\n\n7 am to 11 pm daily")
    assert fanling["verified"].isoformat() == "2009-07-15"  # from "15/7/2009 12:09"
    two = [c for c in cards if c.get("phone") == ["2706 5813", "2762 2083"]]
    assert len(two) == 1  # "2706 5813/ 2762 2083" split into two numbers
    notes = [c["hours_note"]["zh-Hant"] for c in cards if "hours_note" in c]
    listed = [note for note in notes if "• 網球場" in note]
    assert listed[0].startswith("• 七人足球場兼手球場及籃球場\n上午7時至晚上10時\n• 網球場")
    assert Counter(type(c.get("courts")).__name__ for c in cards) == Counter({"int": 120})


def test_geojson_register_report_groups_identical_hours(imported: Imported) -> None:
    summary = imported.results["hk_fehd_toilets"].summary
    features = json.loads((FIXTURES / "hk_fehd_facilities.geojson").read_text("utf-8"))
    rows = [f["properties"] for f in features["features"]]
    toilets = [n for n, p in enumerate(rows, 1) if p["Type"] == "PUBLIC TOILETS"]
    assert (summary.rows_read, summary.cards) == (169, len(toilets)) == (169, 110)
    assert Counter(i.reason for i in summary.skipped) == Counter({"not a public toilet": 59})
    # hours normalisation is sitegen.hours' job: the report lists exactly what it cannot read
    unread = [n for n in toilets if rows[n - 1]["開放時間"] != "N.A."]
    unread = [n for n in unread if normalize_hours(rows[n - 1]["開放時間"]) is None]
    hours = [i for i in summary.flagged if i.field == "opening_hours"]
    assert [i.row for i in hours] == unread
    assert {i.reason for i in hours} <= {"opening_hours: unparseable hours (left out)"}
    cards = imported.cards("hk_fehd_toilets")
    for card in cards:  # id.key [ID]: the register's own number makes the id
        (number,) = card["source_ids"]
        assert card["id"] == "fehd-toilet-" + hashlib.sha1(number.encode()).hexdigest()[:6]
    lin = next(c for c in cards if c["name"]["en"] == "Lin Tong Mei Public Toilet")
    assert lin["opening_hours"] == "24/7" and "phone" not in lin  # "24 小時"; "N.A." dropped
    assert lin["verified"].isoformat() == "2014-06-03"


def test_one_row_per_toilet_room_becomes_one_card(imported: Imported) -> None:
    summary = imported.results["tw_taipei_toilets_per_stall"].summary
    assert _counts(summary) == {
        "read": 300,
        "skipped": Counter(),
        "flagged rows": 68,
        "flags": Counter({"duplicate point and name: merged into an earlier row": 68}),
        "merged": 68,
        "cards": 232,
        "shared points": 29,
        "html": {},
    }
    cards = imported.cards("tw_taipei_toilets_per_stall")
    (shrine,) = [c for c in cards if c["name"] == "忠烈祠"]
    assert shrine["source_ids"] == ["A040000467", "A040000468"]  # 忠烈祠男, 忠烈祠女
    assert shrine["male"] is True and shrine["female"] is True
    assert sum(len(c["source_ids"]) for c in cards) == 300  # no register number dropped
    hall = summary.shared[0]
    assert hall.point == "[121.536379, 25.062601]"
    assert hall.hint == (
        "{pattern: '(?:家屬休息室|丙級廳1|丙級廳3|丙級廳|懷德廳|拜飯區|景行廳)$', at: end} "
        'in merge.labels would make them one "第一殯儀館"'
    )


def test_amap_dumps_in_gcj02(imported: Imported) -> None:
    haikou = imported.results["amap_haikou_toilets"].summary
    assert (haikou.rows_read, haikou.cards, len(haikou.skipped), haikou.flagged_rows) == (
        59,
        59,
        0,
        0,
    )
    source = json.loads((FIXTURES / "amap_haikou_toilets.json").read_text("utf-8"))
    cards = _by(imported.cards("amap_haikou_toilets"), "id")
    assert sum("address" not in c for c in cards.values()) == 5  # "address": [] is nothing
    first = next(c for c in cards.values() if c["source_ids"] == [source[0]["id"]])
    lng, lat = to_wgs84(*source[0]["location"]["coordinates"], "gcj02")
    assert first["location"] == [round(lng, 6), round(lat, 6)]
    assert first["name"] == {"zh-Hans": "无障碍公共厕所"}  # zh-Hant is derived at build time
    bars = imported.cards("amap_shenzhen_bars")
    assert len(bars) == 20 and imported.results["amap_shenzhen_bars"].summary.flagged_rows == 0
    origin = next(c for c in bars if c["name"] == {"zh-Hans": "origin清吧"})
    assert origin["rating"] == 5.0 and origin["phone"] == ["13723475697"]  # "5.0" read as a number
    assert origin["photo"].startswith("http://store.is.autonavi.com/showpic/")
    assert sum("rating" not in c for c in bars) == sum(
        1
        for p in json.loads((FIXTURES / "amap_shenzhen_poi_page.json").read_text())["pois"]
        if p["biz_ext"]["rating"] == []
    )
    assert max(len(c.get("phone", [])) for c in bars) == 2  # "a;b" is two numbers


NAIVE_COURTS = """\
format: geojson
category: basketball_court
output: basketball_court/naive.yaml
fields:
  name: {zh-Hant: NAME_TC, en: NAME_EN}
  hours_note: {zh-Hant: NSEARCH02_TC, en: NSEARCH02_EN}
  courts: No__of_Basketball_Courts_EN
  phone: NSEARCH03_TC
"""


def test_a_mapping_without_transforms_is_told_what_the_source_holds(tmp_path: Path) -> None:
    """The same GeoJSON mapped column for column, as a first try would: the HTML is named,
    and the values the fields cannot hold are listed (and left out of the cards)."""
    (tmp_path / "naive.yaml").write_text(NAIVE_COURTS, encoding="utf-8")
    source = FIXTURES / "hk_lcsd_basketball_courts.geojson"
    result = import_sources([source], load_mapping(tmp_path / "naive.yaml"), FIXTURES / "project")
    lines = summary_lines(result.summary, "naive.yaml", dry_run=True)
    file = "hk_lcsd_basketball_courts.geojson"
    assert lines[1:] == [
        "  rows read:      120",
        "  rows skipped:   0",
        "  rows flagged:   8",
        "    3 phone: not a phone number (left out)",
        "    5 courts: not a whole number (left out)",
        "  rows merged:    0",
        "  cards:          120 (would be new 120, would be updated 0, unchanged 0)",
        "  hand edits kept: 0, conflicts: 0",
        "  cards gone from the source: 0",
        "  warnings:",
        f'    fields.hours_note.zh-Hant: column "NSEARCH02_TC" holds HTML in 16 rows, e.g. {file} '
        'row 1: "<strong>(粉嶺遊樂場的籃球場將於<u>2025</u><u>年</u><u>3</u><u>月</u><u..."; '
        "add {html: text} to its transforms",
        f'    fields.hours_note.en: column "NSEARCH02_EN" holds HTML in 32 rows, e.g. {file} '
        'row 1: "<strong>(</strong><strong>The Basketball Court of Fanling..."; '
        "add {html: text} to its transforms",
        "  flagged rows:",
        f'    {file} row 4: phone: not a phone number (left out): "2706 5813/ 2762 2083"',
        f'    {file} row 58: phone: not a phone number (left out): "2334 3576 / 2762 2083"',
        f'    {file} row 62: phone: not a phone number (left out): "2330 1708 / 2762 2083"',
        f'    {file} row 80: courts: not a whole number (left out): "4 nos. of Basketball Courts"',
        f"    {file} row 83: courts: not a whole number (left out): "
        '"1 (can be served as 1 no. of 7-a-side soccer pitch)"',
        f'    {file} row 85: courts: not a whole number (left out): "1 Basketball Practice Court"',
        f"    {file} rows 92, 95 (2 rows): courts: not a whole number (left out): "
        '"1 (Basketball practice court)"',
    ]
    assert not result.output.exists()  # nothing written: the project stays as committed
