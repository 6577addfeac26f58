"""Tests of data/make_demo.py, the demo-content import, on the real source files."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"
SCRIPT = REPO / "data" / "make_demo.py"


def _load_script() -> ModuleType:
    """Import data/make_demo.py by path (data/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_demo", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


md = _load_script()


@pytest.fixture(scope="module")
def built() -> tuple[dict[str, str], dict[str, Any]]:
    """One full conversion: output texts by path, and summaries by id prefix."""
    outputs, summaries = md.build(SOURCES)
    return outputs, {summary.dataset.prefix: summary for summary in summaries}


def _cards(outputs: dict[str, str], rel: str) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = yaml.safe_load(outputs[rel])
    return cards


def _by_name(cards: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [card for card in cards if card["name"] == name]


# --- Big5 drinking-fountain CSV ----------------------------------------------------------------


def test_big5_csv_decodes_to_real_names() -> None:
    summary = md.Summary(md.DATASETS["tpe-water"])
    path = SOURCES / "taipei_2015" / "water_big5.csv"
    records = md.read_csv(path, ("cp950", "big5hkscs"), md.WATER_COLUMNS, summary)
    assert len(records) == 182 == summary.rows_read
    first = records[0]
    assert first.row == 2  # line 1 is the header
    assert first.fields["場所名稱"] == "關渡站"
    assert first.fields["行政區"] == "北投"
    assert first.fields["緯度"] == "25.125539" and first.fields["經度"] == "121.467283"
    assert not summary.skipped


def test_water_card_uses_latitude_column_as_latitude(built: Any) -> None:
    outputs, _ = built
    (card,) = _by_name(_cards(outputs, "drinking_water/taipei.yaml"), "關渡站")
    assert card["location"] == [121.467283, 25.125539]  # [lng, lat] though the CSV has lat first
    assert card["district"] == "北投區"
    assert card["opening_hours"] == "Mo-Su 06:00-23:00"
    assert card["phone"] == "21812345"  # text, not a number


def test_undecodable_big5_line_is_reported_not_fatal(tmp_path: Path) -> None:
    good = "行政區,場所名稱\r\n北投,關渡站\r\n".encode("cp950")
    path = tmp_path / "bad.csv"
    path.write_bytes(good + b"\xff\xff,\x80\x40\r\n" + "大安,大安站\r\n".encode("cp950"))
    summary = md.Summary(md.DATASETS["tpe-water"])
    records = md.read_csv(path, ("cp950", "big5hkscs"), ("場所名稱",), summary)
    assert [r.fields["場所名稱"] for r in records] == ["關渡站", "大安站"]
    assert [r.row for r in records] == [2, 4]
    assert [(i.row, i.reason) for i in summary.skipped] == [(3, "undecodable bytes")]


# --- Taipei toilets (SOAP/DataSet XML) -----------------------------------------------------------


def test_swapped_toilet_row_is_detected_and_fixed(built: Any) -> None:
    outputs, summaries = built
    fixed = [(i.file, i.row) for i in summaries["tpe-toilet"].fixed if "swapped" in i.reason]
    assert fixed == [("taipeiToilet.xml", 202)]
    (card,) = _by_name(_cards(outputs, "toilet/taipei.yaml"), "建成公園地下停車場")
    assert card["location"] == [121.518102, 25.054122]


def test_taipei_toilets_read_through_namespaces(built: Any) -> None:
    outputs, summaries = built
    cards = _cards(outputs, "toilet/taipei.yaml")
    assert summaries["tpe-toilet"].rows_read == 1777 == len(cards)
    first = cards[0]
    assert first["name"] == "士林官邸"  # "公廁坐落：" prefix stripped
    assert first["district"] == "士林區"
    assert first["verified"].isoformat() == "2013-03-25"
    assert not any(card["name"].startswith("公廁坐落") for card in cards)
    assert not any(card["name"] != card["name"].strip() for card in cards)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "座數：8，特優級：2，優等級：6，普通級：0，加強級：0，無障礙設施",
            {"seats": 8, "grade": "特優級", "wheelchair": True},
        ),
        ("座數：1，特優級：0，優等級：1，普通級：0，加強級：0", {"seats": 1, "grade": "優等級"}),
        ("座數：3，特優級：0，優等級：0，普通級：0，加強級：3", {"seats": 3, "grade": "加強級"}),
        ("座數：0，特優級：0，優等級：0，普通級：0，加強級：0", {}),
        (
            "座數：2，特優級：0，優等級：0，普通級：2，加強級：0，親子廁所，性別友善廁所",
            {"seats": 2, "grade": "普通級", "changing_table": True, "unisex": True},
        ),
    ],
)
def test_toilet_content_prose(content: str, expected: dict[str, Any]) -> None:
    assert md.parse_toilet_content(content) == expected


def test_every_real_content_string_parses() -> None:
    xml = (SOURCES / "taipei_2015" / "taipeiToilet.xml").read_text(encoding="utf-8")
    contents = re.findall(r"<Content>([^<]*)</Content>", xml)
    assert len(contents) == 1777
    for content in contents:
        fields = md.parse_toilet_content(content)
        numbers = [int(n) for n in re.findall(r"\d+", content)]
        assert fields.get("seats", 0) == numbers[0]
        assert ("grade" in fields) == (sum(numbers[1:]) > 0)
        assert fields.get("wheelchair", False) == ("無障礙" in content)


def test_taipei_address_cleanup() -> None:
    assert md.clean_taipei_address("臺北市台北市士林區克強路11號") == "臺北市士林區克強路11號"
    assert md.taipei_district("臺北市士林區福林路60號") == "士林區"
    assert md.taipei_district("臺北市中正路439號7樓") is None


# --- Kaohsiung toilets (JSON) --------------------------------------------------------------------


def test_kaohsiung_bom_key_is_stripped() -> None:
    raw = (SOURCES / "kaohsiung_toilets.json").read_text(encoding="utf-8")
    assert '"\\ufeffname"' in raw  # the quirk is really there
    summary = md.Summary(md.DATASETS["khh-toilet"])
    records = md.read_json_rows(SOURCES / "kaohsiung_toilets.json", summary)
    assert len(records) == 4597
    assert set(records[0].fields) == {"name", "行政區域代碼", "address", "Lng", "Lat"}
    assert records[0].fields["name"] == "鹽埕戶政事務所"


def test_kaohsiung_rows_without_coordinates_are_reported(built: Any) -> None:
    _, summaries = built
    no_point = [i for i in summaries["khh-toilet"].skipped if i.reason == "no coordinates"]
    assert len(no_point) == 696
    assert all(i.file == "kaohsiung_toilets.json" for i in no_point)
    assert no_point[0].row == 88  # 1-based index in the JSON array


def test_kaohsiung_mens_and_womens_rooms_are_merged(built: Any) -> None:
    outputs, summaries = built
    cards = _cards(outputs, "toilet/kaohsiung.yaml")
    (office,) = _by_name(cards, "仁武區地政事務所")
    assert office["male"] is True and office["female"] is True
    (station,) = _by_name(cards, "台糖成功站")  # -男, -女 and -殘 rows
    assert station["male"] and station["female"] and station["wheelchair"]
    assert not any(re.search(r"[男女]廁$", card["name"]) for card in cards)
    summary = summaries["khh-toilet"]
    assert summary.merged_rows > 1000
    assert len(cards) + summary.merged_rows + len(summary.skipped) == summary.rows_read


@pytest.mark.parametrize(
    ("name", "base", "flags"),
    [
        ("仁武區地政事務所男廁", "仁武區地政事務所", {"male": True}),
        ("SOTO日本家庭料理-澄清店-女廁", "SOTO日本家庭料理-澄清店", {"female": True}),
        ("正興國小3棟東側-(女廁)", "正興國小3棟東側", {"female": True}),
        ("仁美派出所女廁&無障礙廁所", "仁美派出所", {"female": True, "wheelchair": True}),
        ("凹子底森林公園(男?)", "凹子底森林公園", {"male": True}),
        ("台糖成功站-殘", "台糖成功站", {"wheelchair": True}),
        (
            "湖內國中北棟1F廁所男女混合",
            "湖內國中北棟1F",
            {"male": True, "female": True, "unisex": True},
        ),
        ("鳥松區立圖書館4F女&殘障合廁", "鳥松區立圖書館4F", {"female": True, "wheelchair": True}),
        ("澄清湖風景區(水族館男廁)", "澄清湖風景區(水族館)", {"male": True}),
        ("高雄女子高級中學", "高雄女子高級中學", {}),
        ("男廁", "男廁", {"male": True}),
    ],
)
def test_room_labels(name: str, base: str, flags: dict[str, bool]) -> None:
    assert md.split_room_label(name) == (base, flags)


def test_kaohsiung_address_and_district() -> None:
    assert md.strip_phone("寶隆村光華路20號；6752998") == "寶隆村光華路20號"
    assert md.strip_phone("彌陀鄉213號6176300") == "彌陀鄉213號"
    assert md.strip_phone("鹽埕區大仁路6號") == "鹽埕區大仁路6號"
    assert md.kaohsiung_address_district("前鎮區中華五路") == "前鎮區"
    assert md.kaohsiung_address_district("高市小港區平和路") == "小港區"
    assert md.kaohsiung_address_district("鳥松鄉鳥松村中正路96號") == "鳥松區"
    assert md.kaohsiung_address_district("覺民路362號") is None


def test_kaohsiung_area_codes_only_where_addresses_agree() -> None:
    summary = md.Summary(md.DATASETS["khh-toilet"])
    records = md.read_json_rows(SOURCES / "kaohsiung_toilets.json", summary)
    codes = md.learn_district_codes(records)
    assert codes["64000010"] == "鹽埕區"
    assert codes["64000130"] == "林園區"  # only ever written 林園鄉 in this file
    assert "64000360" not in codes  # no address names its district: left out, not guessed


# --- Litter bins (UTF-8 with BOM, twelve files) --------------------------------------------------


def test_litter_bins_bom_and_outliers(built: Any) -> None:
    outputs, summaries = built
    summary = summaries["tpe-bin"]
    assert summary.rows_read == 2517
    outside = [(i.file, i.row) for i in summary.skipped if i.reason == "outside the city"]
    assert len(outside) == 20
    assert ("trash_can12.csv", 108) in outside  # lng 121.0508453: a digit lost
    cards = _cards(outputs, "litter_bin/taipei.yaml")
    first = cards[0]
    assert first["name"] == "北安路643號前"  # first column read despite the BOM
    assert first["district"] == "中山區" and first["location_note"] == "643號前"
    box = md.TAIPEI
    assert all(box.contains(*card["location"]) for card in cards)


def test_trash_can_files_in_numeric_order() -> None:
    names = [p.name for p in md.trash_can_files(SOURCES / "taipei_2015")]
    assert names == [f"trash_can{n}.csv" for n in range(1, 13)]


# --- Opening hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06:00~23:00", "Mo-Su 06:00-23:00"),
        ("0:00~24:00", "24/7"),
        ("24小時", "24/7"),
        ("全天", "24/7"),
        (
            "週二至週六：08:30~21:00；週日、週一：09:00~17:00。",
            "Tu-Sa 08:30-21:00; Su,Mo 09:00-17:00",
        ),
        (
            "週二至週六：08:30~21:00；週日、週一：9:00~17:00。",
            "Tu-Sa 08:30-21:00; Su,Mo 09:00-17:00",
        ),
        ("西大門:07:00~22:00、東大門、南大門、北大門:07:00~20:00、假日不開放", None),
        ("25:00~26:00", None),
        ("看情況", None),
    ],
)
def test_parse_hours(text: str, expected: str | None) -> None:
    assert md.parse_hours(text) == expected


def test_hours_outcomes_are_counted(built: Any) -> None:
    _, summaries = built
    hours = summaries["tpe-water"].hours
    assert hours == {"converted": 144, "24/7": 37, "unparseable (left out)": 1}


# --- Whole run -----------------------------------------------------------------------------------


def test_two_runs_give_identical_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for run in ("a", "b"):
        assert md.main(["--sources", str(SOURCES), "--out", str(tmp_path / run)]) == 0
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert {str(p) for p in first} == {
        "toilet/taipei.yaml",
        "toilet/kaohsiung.yaml",
        "drinking_water/taipei.yaml",
        "litter_bin/taipei.yaml",
    }
    for rel in first:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    printed = capsys.readouterr().out
    assert "kaohsiung_toilets.json rows 88-90" in printed
    assert "trash_can12.csv row 108: outside the city" in printed


def test_committed_content_is_the_scripts_output(built: Any) -> None:
    outputs, _ = built
    for rel, text in outputs.items():
        path = REPO / "content" / "facilities" / rel
        assert path.read_text(encoding="utf-8") == text, f"re-run data/make_demo.py ({rel})"


def test_ids_are_unique_and_well_formed(built: Any) -> None:
    outputs, _ = built
    ids = [card["id"] for rel in outputs for card in _cards(outputs, rel)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(tpe|khh)-(toilet|water|bin)-[0-9a-f]{6,}", i) for i in ids)


def test_id_is_sha1_of_name_and_point(built: Any) -> None:
    outputs, _ = built
    (card,) = _by_name(_cards(outputs, "toilet/taipei.yaml"), "士林官邸")
    digest = hashlib.sha1("士林官邸|121.530152|25.094898".encode()).hexdigest()
    assert card["id"] == f"tpe-toilet-{digest[:6]}"


def test_colliding_ids_get_longer() -> None:
    seen: dict[str, int] = {}
    n = 0
    while True:  # find two names whose 6-hex ids collide (a few thousand tries)
        key = hashlib.sha1(f"n{n}|1.000000|2.000000".encode()).hexdigest()[:6]
        if key in seen:
            break
        seen[key] = n
        n += 1
    names = [f"n{seen[key]}", f"n{n}", "other"]
    cards = [md.Card(name, 1.0, 2.0, {}, []) for name in names]
    md.assign_ids("x", cards)
    assert [len(card.id) for card in cards] == [len("x-") + 8, len("x-") + 8, len("x-") + 6]
    assert cards[0].id != cards[1].id
