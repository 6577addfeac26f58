"""Build the demo city's name cards in content/facilities/ from the open data in data/sources/.

Run from the repository root: ``python data/make_demo.py`` (``-v`` also lists merges and shared
points). The same sources always give byte-identical YAML. See data/sources/README.md for the
sources, their licences and their quirks; every quirk is handled (and reported) here.

Cards are written in source order (the position of the first source row of each card), so a
file reads like its source and a re-import of the same data never reorders it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import re
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
OUTPUT = ROOT / "content" / "facilities"

# ---------------------------------------------------------------------------------------------
# Sources and the card contract


@dataclass(frozen=True)
class Box:
    """A longitude/latitude box that a city's points must fall in."""

    west: float
    east: float
    south: float
    north: float

    def contains(self, lng: float, lat: float) -> bool:
        """True when the point lies inside the box (edges included)."""
        return self.west <= lng <= self.east and self.south <= lat <= self.north


# Taipei: the city's own extent. Checked against the data: no real point falls outside, and
# the nearest bad trash-can point (lng 121.679) sits just east of 121.67, so don't widen east.
TAIPEI = Box(west=121.45, east=121.67, south=24.96, north=25.21)
# Kaohsiung reaches into the Central Mountain Range (Taoyuan and Namaxia districts, about
# 23.47N / 121.0E at Yushan), so the box is wider than the data's own extent.
KAOHSIUNG = Box(west=120.10, east=121.05, south=22.45, north=23.48)


@dataclass(frozen=True)
class Dataset:
    """One output file: where its rows come from, and what its header says."""

    prefix: str  # id prefix, e.g. "tpe-toilet"
    category: str
    output: str  # path relative to content/facilities/
    box: Box
    title: str
    source: str
    licence: str


TAIPEI_LICENCE = "Taipei City Government open-data terms (attribution required)"
DATASETS = {
    "tpe-toilet": Dataset(
        "tpe-toilet",
        "toilet",
        "toilet/taipei.yaml",
        TAIPEI,
        "Taipei public toilets (臺北市公廁點位資訊), 2015 snapshot",
        "Taipei City open data, taipei_2015/taipeiToilet.xml",
        TAIPEI_LICENCE,
    ),
    "khh-toilet": Dataset(
        "khh-toilet",
        "toilet",
        "toilet/kaohsiung.yaml",
        KAOHSIUNG,
        "Kaohsiung public toilets (公廁), 2023 snapshot",
        "Kaohsiung City Government open data, kaohsiung_toilets.json",
        "Open Government Data License, version 1.0 (attribution required)",
    ),
    "tpe-water": Dataset(
        "tpe-water",
        "drinking_water",
        "drinking_water/taipei.yaml",
        TAIPEI,
        "Taipei drinking fountains (臺北市公共場所飲水機資訊), 2015",
        "Taipei City open data, taipei_2015/water_big5.csv",
        TAIPEI_LICENCE,
    ),
    "tpe-bin": Dataset(
        "tpe-bin",
        "litter_bin",
        "litter_bin/taipei.yaml",
        TAIPEI,
        "Taipei street litter bins (臺北市行人專用清潔箱), 2015",
        "Taipei City open data, taipei_2015/trash_can1.csv ... trash_can12.csv",
        TAIPEI_LICENCE,
    ),
}

# Keys after id/category/name/address/location, in the order the card contract lists them.
CATEGORY_FIELDS = {
    "toilet": (
        "opening_hours",
        "wheelchair",
        "changing_table",
        "unisex",
        "fee",
        "male",
        "female",
        "seats",
        "grade",
        "district",
        "operator",
    ),
    "drinking_water": (
        "opening_hours",
        "fountains",
        "location_note",
        "district",
        "operator",
        "phone",
    ),
    "litter_bin": ("location_note", "district"),
}
GRADES = ("特優級", "優等級", "普通級", "加強級")  # best first

# ---------------------------------------------------------------------------------------------
# Bookkeeping: what happened to every row


@dataclass(frozen=True)
class Issue:
    """Something about one source row: why it was skipped, or what was fixed in it."""

    file: str
    row: int
    reason: str
    detail: str = ""


@dataclass
class Summary:
    """Counts and row lists for one dataset, printed at the end of a run."""

    dataset: Dataset
    rows_read: int = 0
    cards_written: int = 0
    skipped: list[Issue] = field(default_factory=list)
    fixed: list[Issue] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    hours: Counter[str] = field(default_factory=Counter)
    merged_rows: int = 0
    merges: list[str] = field(default_factory=list)
    shared_points: list[str] = field(default_factory=list)

    def skip(self, file: str, row: int, reason: str, detail: str = "") -> None:
        """Record a row that produced no card."""
        self.skipped.append(Issue(file, row, reason, detail))

    def fix(self, file: str, row: int, reason: str, detail: str = "") -> None:
        """Record a row that was repaired or only partly used."""
        self.fixed.append(Issue(file, row, reason, detail))


@dataclass
class Record:
    """One source row as text fields, with the file and row it came from."""

    file: str
    row: int
    fields: dict[str, str]


@dataclass
class Card:
    """A name card in the making; ``rows`` lists the source rows merged into it."""

    name: str
    lng: float
    lat: float
    data: dict[str, Any]
    rows: list[tuple[str, int]]
    id: str = ""


# ---------------------------------------------------------------------------------------------
# Small text helpers

_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Trim (ideographic spaces too), drop stray BOMs and collapse inner whitespace."""
    return _SPACES.sub(" ", (text or "").replace("\ufeff", "")).strip()


def format_rows(rows: Iterable[int]) -> str:
    """Compact row numbers: 3, 5, 6, 7 -> "3, 5-7"."""
    parts: list[str] = []
    numbers = sorted(set(rows))
    start = prev = numbers[0] if numbers else 0
    for number in [*numbers[1:], None]:
        if number is not None and number == prev + 1:
            prev = number
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if number is not None:
            start = prev = number
    return ", ".join(parts) if numbers else ""


# ---------------------------------------------------------------------------------------------
# Coordinates


def parse_number(text: str) -> float | None:
    """A coordinate as a float, or None when the field is empty or not a number."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is no coordinate


def is_swapped(lng: float, lat: float) -> bool:
    """True when a Taiwan point has its latitude in the longitude field and vice versa."""
    return 21 <= lng <= 26 and 119 <= lat <= 123


def locate(
    record: Record, lng_key: str, lat_key: str, box: Box, summary: Summary
) -> tuple[float, float] | None:
    """The row's [lng, lat] rounded to 6 dp, swapped back if needed; None (reported) if unusable."""
    lng = parse_number(record.fields.get(lng_key, ""))
    lat = parse_number(record.fields.get(lat_key, ""))
    if lng is None or lat is None:
        summary.skip(record.file, record.row, "no coordinates")
        return None
    if is_swapped(lng, lat):
        summary.fix(
            record.file, record.row, "lng/lat swapped, fixed", f"lng {lng}, lat {lat} swapped"
        )
        lng, lat = lat, lng
    if not box.contains(lng, lat):
        summary.skip(record.file, record.row, "outside the city", f"[{lng}, {lat}]")
        return None
    return round(lng, 6), round(lat, 6)


# ---------------------------------------------------------------------------------------------
# Reading the source formats


def decode_lines(
    raw: bytes, encodings: Sequence[str], file: str, summary: Summary
) -> list[tuple[int, str]]:
    """Decode line by line with the first encoding that works; undecodable lines are reported.

    Splitting bytes on line breaks is safe for Big5: its trail bytes never take the values of
    CR or LF.
    """
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(raw.splitlines(keepends=True), 1):
        for index, encoding in enumerate(encodings):
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                continue
            if index:
                summary.fix(file, number, f"decoded as {encoding}")
            lines.append((number, text))
            break
        else:
            summary.skip(file, number, "undecodable bytes", repr(line[:40]))
    return lines


def read_csv(
    path: Path, encodings: Sequence[str], columns: Sequence[str], summary: Summary
) -> list[Record]:
    """Rows of a CSV as records keyed by header name; ``row`` is the row's line in the file."""
    lines = decode_lines(path.read_bytes(), encodings, path.name, summary)
    reader = csv.reader(text for _, text in lines)
    header = [clean(name) for name in next(reader, [])]
    missing = [name for name in columns if name not in header]
    if missing:
        raise SystemExit(f"{path.name}: missing columns {missing}; the source format changed")
    records: list[Record] = []
    start = reader.line_num
    for values in reader:
        # line_num counts lines consumed, so a quoted field spanning lines keeps its first line
        number, start = lines[start][0], reader.line_num
        if not any(value.strip() for value in values):
            continue
        summary.rows_read += 1
        if len(values) != len(header):
            summary.skip(path.name, number, "wrong number of columns", f"{len(values)}")
            continue
        fields = {name: clean(value) for name, value in zip(header, values, strict=True)}
        records.append(Record(path.name, number, fields))
    return records


NS = {
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
    "epb": "http://epb.taipei.gov.tw/",
    "diffgr": "urn:schemas-microsoft-com:xml-diffgram-v1",
}
# The rows sit inside the diffgram; NewDataSet resets the default namespace to none.
TOILET_ROWS = "soap:Body/epb:GetToiletResponse/epb:GetToiletResult/diffgr:diffgram/NewDataSet/Table"


def read_dataset_xml(path: Path, summary: Summary) -> list[Record]:
    """Rows of the .NET SOAP/DataSet response; ``row`` is the 1-based row order."""
    root = ET.parse(path).getroot()
    tables = root.findall(TOILET_ROWS, NS)
    if not tables:
        raise SystemExit(f"{path.name}: no DataSet rows found; the source format changed")
    records = []
    for number, table in enumerate(tables, 1):
        summary.rows_read += 1
        fields = {child.tag: clean(child.text) for child in table}
        records.append(Record(path.name, number, fields))
    return records


def read_json_rows(path: Path, summary: Summary) -> list[Record]:
    """Objects of a JSON array with BOMs stripped from keys; ``row`` is the 1-based index."""
    rows = json.loads(path.read_bytes().decode("utf-8-sig"))
    records = []
    for number, row in enumerate(rows, 1):
        summary.rows_read += 1
        # The export glues a BOM to the first key ("\ufeffname"); clean() removes it.
        fields = {clean(key): clean(str(value)) for key, value in row.items()}
        records.append(Record(path.name, number, fields))
    return records


# ---------------------------------------------------------------------------------------------
# Taipei toilets (taipeiToilet.xml)

_COUNT = re.compile(r"(座數|特優級|優等級|普通級|加強級)\s*[：:]\s*(\d+)")


def parse_toilet_content(text: str) -> dict[str, Any]:
    """Fields packed into the Content prose, e.g. "座數：8，特優級：2，…，無障礙設施"."""
    counts = {label: int(number) for label, number in _COUNT.findall(text)}
    fields: dict[str, Any] = {}
    if counts.get("座數"):  # 0 comes with all grades 0: the toilet was not rated, so unknown
        fields["seats"] = counts["座數"]
    grade = next((g for g in GRADES if counts.get(g)), None)
    if grade:
        fields["grade"] = grade
    if "無障礙" in text:
        fields["wheelchair"] = True
    if "親子" in text or "尿布" in text:
        fields["changing_table"] = True
    if "性別友善" in text:
        fields["unisex"] = True
    return fields


_TAIPEI_CITY = re.compile(r"^([臺台]北市)(?:[臺台]北市)+")
_TAIPEI_DISTRICT = re.compile(r"^(?:[臺台]北市)?([\u4e00-\u9fff]{2}區)")


def clean_taipei_address(address: str) -> str:
    """Collapse the doubled city name some rows carry ("臺北市台北市士林區…")."""
    return _TAIPEI_CITY.sub(r"\1", address)


def taipei_district(address: str) -> str | None:
    """The district an address names right after the city, e.g. 士林區."""
    match = _TAIPEI_DISTRICT.match(address)
    return match.group(1) if match else None


def verified_date(text: str) -> dt.date | None:
    """The date part of an ISO timestamp such as 2015-08-31T00:00:00+08:00 (local date)."""
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def taipei_toilet_card(record: Record, summary: Summary) -> Card | None:
    """A card from one Table row of taipeiToilet.xml, or None (reported)."""
    fields = record.fields
    name = clean(fields.get("Title", "").removeprefix("公廁坐落："))
    if not name:
        summary.skip(record.file, record.row, "no name")
        return None
    point = locate(record, "Lng", "Lat", summary.dataset.box, summary)
    if point is None:
        return None
    data: dict[str, Any] = {}
    address = fields.get("Address", "")
    if address:
        fixed = clean_taipei_address(address)
        if fixed != address:
            summary.notes["doubled city name removed from address"] += 1
        data["address"] = fixed
        district = taipei_district(fixed)
        if district:
            data["district"] = district
        else:
            summary.notes["no district in address (district left out)"] += 1
    content = parse_toilet_content(fields.get("Content", ""))
    if "seats" not in content:
        summary.notes["seats 0 and no grade (not rated: both left out)"] += 1
    data.update(content)
    verified = verified_date(fields.get("ModifyDate", ""))
    if verified:
        data["verified"] = verified
    return Card(name, point[0], point[1], data, [(record.file, record.row)])


# ---------------------------------------------------------------------------------------------
# Opening hours (water_big5.csv)

_DAY = {
    "一": "Mo",
    "二": "Tu",
    "三": "We",
    "四": "Th",
    "五": "Fr",
    "六": "Sa",
    "日": "Su",
    "天": "Su",
}
_HOURS_ASCII = str.maketrans({"：": ":", "～": "~", "；": ";", "，": ",", "、": ","})
_TIME = r"(\d{1,2}):(\d{2})"
_SPAN = re.compile(rf"{_TIME}\s*[~\-至到]\s*{_TIME}")
_DAY_RANGE = re.compile(
    r"(?:週|周|星期)([一二三四五六日天])(?:\s*[至到~\-]\s*(?:週|周|星期)?([一二三四五六日天]))?"
)
_ALL_DAY = re.compile(r"24\s*(?:小時|hr?s?)|全天|全日|0?0:00\s*~\s*24:00", re.IGNORECASE)


def osm_span(text: str) -> str | None:
    """One time span in OSM form, 8:30~21:00 -> 08:30-21:00; None if it is anything else."""
    match = _SPAN.fullmatch(text.strip())
    if not match:
        return None
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        return None
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def osm_days(text: str) -> str | None:
    """Days in OSM form, 週二至週六 -> Tu-Sa, 週日,週一 -> Su,Mo; None if anything is left over."""
    parts = []
    for item in text.split(","):
        match = _DAY_RANGE.fullmatch(item.strip())
        if not match:
            return None
        first, last = match.groups()
        parts.append(_DAY[first] + (f"-{_DAY[last]}" if last else ""))
    return ",".join(parts)


def parse_hours(text: str) -> str | None:
    """Free-text opening hours as OSM opening_hours, or None when not unambiguous."""
    text = text.translate(_HOURS_ASCII).strip().rstrip("。.")
    if _ALL_DAY.fullmatch(text):
        return "24/7"
    span = osm_span(text)
    if span:
        return f"Mo-Su {span}"
    rules = []
    for rule in text.split(";"):
        days, colon, hours = rule.partition(":")
        day_spec, span = osm_days(days), osm_span(hours)
        if not colon or not day_spec or not span:
            return None
        rules.append(f"{day_spec} {span}")
    return "; ".join(rules)


# ---------------------------------------------------------------------------------------------
# Taipei drinking fountains (water_big5.csv)

WATER_COLUMNS = (
    "行政區",
    "場所名稱",
    "場所地址",
    "管理單位",
    "連絡電話",
    "場所開放時間",
    "飲水台數",
    "設置地點",
    "緯度",
    "經度",
)


def with_district_suffix(name: str) -> str | None:
    """A district name with its 區: 北投 -> 北投區; 中山區 stays as it is."""
    if not name:
        return None
    return name if name.endswith("區") else f"{name}區"


def water_hours(record: Record, summary: Summary) -> str | None:
    """The row's opening hours in OSM syntax; counts every outcome and reports failures."""
    text = record.fields.get("場所開放時間", "")
    if not text:
        summary.hours["none given"] += 1
        return None
    hours = parse_hours(text)
    if hours is None:
        summary.hours["unparseable (left out)"] += 1
        summary.fix(record.file, record.row, "unparseable hours (left out)", text)
    else:
        summary.hours["24/7" if hours == "24/7" else "converted"] += 1
    return hours


def fountain_count(record: Record, summary: Summary) -> int | None:
    """飲水台數 as an int in the contract's range 1..100, else None (reported)."""
    text = record.fields.get("飲水台數", "")
    if not text.isdigit() or not 1 <= int(text) <= 100:
        if text:
            summary.fix(record.file, record.row, "fountains outside 1..100 (left out)", text)
        return None
    return int(text)


def water_card(record: Record, summary: Summary) -> Card | None:
    """A card from one row of water_big5.csv, or None (reported)."""
    fields = record.fields
    name = fields["場所名稱"]
    if not name:
        summary.skip(record.file, record.row, "no name")
        return None
    # The CSV puts 緯度 (latitude) before 經度 (longitude); reading by header name handles it.
    point = locate(record, "經度", "緯度", summary.dataset.box, summary)
    if point is None:
        return None
    data: dict[str, Any] = {
        "address": fields["場所地址"],
        "opening_hours": water_hours(record, summary),
        "fountains": fountain_count(record, summary),
        "location_note": fields["設置地點"],
        "district": with_district_suffix(fields["行政區"]),
        "operator": fields["管理單位"],
        "phone": fields["連絡電話"],
    }
    return Card(name, point[0], point[1], data, [(record.file, record.row)])


# ---------------------------------------------------------------------------------------------
# Taipei litter bins (trash_can1.csv ... trash_can12.csv)

BIN_COLUMNS = ("行政區", "路名", "段、號及其他註明", "經度", "緯度")


def bin_name(road: str, note: str) -> str:
    """A readable name from road and section/number, e.g. 北安路 + 643號前 -> 北安路643號前."""
    return note if note.startswith(road) else road + note


def bin_card(record: Record, summary: Summary) -> Card | None:
    """A card from one row of a trash_can*.csv file, or None (reported)."""
    fields = record.fields
    road, note = fields["路名"], fields["段、號及其他註明"]
    name = bin_name(road, note)
    if not name:
        summary.skip(record.file, record.row, "no name (no road or section)")
        return None
    point = locate(record, "經度", "緯度", summary.dataset.box, summary)
    if point is None:
        return None
    data = {"location_note": note, "district": fields["行政區"]}
    return Card(name, point[0], point[1], data, [(record.file, record.row)])


def trash_can_files(folder: Path) -> list[Path]:
    """trash_can1.csv ... trash_can12.csv in numeric order (not 1, 10, 11, 12, 2, ...)."""
    files = folder.glob("trash_can*.csv")
    return sorted(files, key=lambda path: int(re.sub(r"\D", "", path.stem) or 0))


# ---------------------------------------------------------------------------------------------
# Kaohsiung toilets (kaohsiung_toilets.json)

# A room label: who it is for, then what kind of room. "?" stands for a character lost in the
# export ("(男?)" is "(男廁)"); 萴, 側 and 混和 are typos found in the data.
_WHO = r"(?:男女|男|女|無障礙|無礙障|殘障|殘|身障|親子|性別友善)"
_MIXED = r"(?:混合|混和|共用|共|合|用)?"
_JOIN = r"\s*[&＆、及與和.．]\s*"
_OPEN, _CLOSE = r"[(（﹙〈]\s*", r"\s*[)）﹚〉]"
_SEP = r"[-－_\s]*"
# At the end of a name even a bare 男 or 殘 is a label ("台糖成功站-殘").
_END_ROOM = rf"{_WHO}+生?{_MIXED}(?:廁所|廁|萴|側|\?)?"
_END_ROOMS = rf"(?:廁所|公廁)?{_END_ROOM}(?:{_JOIN}{_END_ROOM})*"
_ROOM_AT_END = re.compile(rf"{_SEP}(?:{_OPEN}{_END_ROOMS}{_CLOSE}|{_END_ROOMS}){_SEP}$")
# Inside a name only words with 廁 count, so 高雄女子高級中學 is no women's room.
_IN_ROOM = rf"{_WHO}+生?{_MIXED}(?:廁所|廁|萴)"
_IN_ROOMS = rf"{_IN_ROOM}(?:{_JOIN}{_IN_ROOM})*"
_ROOM_INSIDE = re.compile(rf"{_OPEN}{_IN_ROOMS}{_CLOSE}|{_IN_ROOMS}")


def room_flags(label: str) -> dict[str, bool]:
    """Card flags for a room label such as 男廁, 女&殘障合廁, 男女混合, 親子廁所."""
    flags: dict[str, bool] = {}
    male, female = "男" in label, "女" in label
    if male:
        flags["male"] = True
    if female:
        flags["female"] = True
    if "障" in label or "殘" in label:
        flags["wheelchair"] = True
    if "親子" in label:
        flags["changing_table"] = True
    # 男女混合/共用 is one room for everyone; 女&殘障合廁 is not (it has no 男).
    if "性別友善" in label or (male and female and re.search(r"混|共|合", label)):
        flags["unisex"] = True
    return flags


def split_room_label(name: str) -> tuple[str, dict[str, bool]]:
    """Remove the room label: 仁武區地政事務所男廁 -> 仁武區地政事務所 + {"male": True}.

    A label at the end goes first; otherwise the last one inside the name (文德國小女廁1-1 ->
    文德國小1-1). The returned base name is never empty.
    """
    match = _ROOM_AT_END.search(name)
    if match:
        base = name[: match.start()]
    else:
        inside = list(_ROOM_INSIDE.finditer(name))
        if not inside:
            return name, {}
        match = inside[-1]
        head, tail = name[: match.start()], name[match.end() :]
        # 旗山社福館一F女廁A -> 旗山社福館一F A, not 一FA
        gap = " " if head[-1:].isalnum() and tail[:1].isalnum() and tail[:1].isascii() else ""
        base = head + gap + tail
    return (clean(base) or name), room_flags(match.group())


_PHONE_TAIL = re.compile(r"[；;，,\s]*(?<!\d)\d{7,8}$")
# A district named right after an optional city prefix (typos of 高雄市 included), either as
# today's 區 or as the 鄉/鎮/市 it was before Kaohsiung County merged into the city in 2010.
_KHH_DISTRICT = re.compile(r"^(?:高雄[市縣]|高熊市|高市|雄市)?([\u4e00-\u9fff]{2,3}?)(區|鄉|鎮|市)")


def strip_phone(address: str) -> str:
    """Drop a phone number glued to the end of an address ("…20號；6752998")."""
    return _PHONE_TAIL.sub("", address)


def kaohsiung_address_district(address: str) -> str | None:
    """The district an address names, former townships given their post-2010 name (X鄉 -> X區)."""
    match = _KHH_DISTRICT.match(address)
    return f"{match.group(1)}區" if match else None


def learn_district_codes(records: Sequence[Record]) -> dict[str, str]:
    """行政區域代碼 -> district, learnt from the rows' own addresses where they all agree.

    No outside table is used: a code gets a district only if at least two addresses with that
    code name a district and every one of them names the same.
    """
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        district = kaohsiung_address_district(record.fields.get("address", ""))
        if district:
            seen[record.fields.get("行政區域代碼", "")][district] += 1
    return {
        code: next(iter(names))
        for code, names in seen.items()
        if code and len(names) == 1 and names.total() >= 2
    }


def kaohsiung_district(record: Record, codes: dict[str, str], summary: Summary) -> str | None:
    """The row's district from its address, else from its learnt area code, else None."""
    code_district = codes.get(record.fields.get("行政區域代碼", ""))
    district = kaohsiung_address_district(record.fields.get("address", ""))
    if district and code_district and district != code_district:
        summary.fix(
            record.file, record.row, "address district differs from area code (address used)"
        )
    if district:
        summary.notes["district from address"] += 1
        return district
    if code_district:
        summary.notes["district from area code (learnt from other rows' addresses)"] += 1
        return code_district
    summary.notes["district unknown (left out)"] += 1
    return None


def kaohsiung_card(record: Record, codes: dict[str, str], summary: Summary) -> Card | None:
    """A card from one object of kaohsiung_toilets.json, or None (reported)."""
    fields = record.fields
    full_name = fields.get("name", "")
    if not full_name:
        summary.skip(record.file, record.row, "no name")
        return None
    if "作廢" in full_name:  # e.g. 鳥松區戶政事務所女廁(無，作廢): the room no longer exists
        summary.skip(record.file, record.row, "marked void (作廢) in the source", full_name)
        return None
    point = locate(record, "Lng", "Lat", summary.dataset.box, summary)
    if point is None:
        return None
    if "?" in full_name:
        summary.notes["name has a character lost in the export ('?'), kept"] += 1
    name, flags = split_room_label(full_name)
    data: dict[str, Any] = dict(flags)
    address = strip_phone(fields.get("address", ""))
    if address != fields.get("address", ""):
        summary.notes["phone number removed from the end of the address"] += 1
    if address:
        data["address"] = address
    data["district"] = kaohsiung_district(record, codes, summary)
    return Card(name, point[0], point[1], data, [(record.file, record.row)])


# ---------------------------------------------------------------------------------------------
# Merging, ids and output


def merge_cards(cards: Sequence[Card], summary: Summary) -> list[Card]:
    """One card per (name, point): rows of one facility are merged, flags OR-ed, first wins."""
    merged: dict[tuple[str, float, float], Card] = {}
    for card in cards:
        key = (card.name, card.lng, card.lat)
        first = merged.setdefault(key, card)
        if first is card:
            continue
        for name, value in card.data.items():
            if value is True or first.data.get(name) in (None, ""):
                first.data[name] = value
        first.rows.extend(card.rows)
        summary.merged_rows += 1
    for card in merged.values():
        if len(card.rows) > 1:
            rows = "+".join(str(row) for _, row in card.rows)
            summary.merges.append(f"{card.rows[0][0]} rows {rows} -> {card.name}")
    return list(merged.values())


def note_shared_points(cards: Sequence[Card], summary: Summary) -> None:
    """Count (and list) cards that share a point with a differently named card; all are kept."""
    by_point: defaultdict[tuple[float, float], list[Card]] = defaultdict(list)
    for card in cards:
        by_point[(card.lng, card.lat)].append(card)
    for (lng, lat), group in by_point.items():
        if len(group) > 1:
            names = "; ".join(card.name for card in group)
            summary.shared_points.append(f"[{lng}, {lat}] {len(group)} cards: {names}")
            summary.notes["cards sharing a point with another name (kept)"] += len(group)


def stable_key(card: Card) -> str:
    """What a card's id is hashed from: name and point, which survive re-imports."""
    return f"{card.name}|{card.lng:.6f}|{card.lat:.6f}"


def assign_ids(prefix: str, cards: Sequence[Card]) -> None:
    """prefix + first 6 hex of sha1(stable key); every card in a collision gets 8 (then 10...)."""
    digests = {id(card): hashlib.sha1(stable_key(card).encode()).hexdigest() for card in cards}
    if len(set(digests.values())) != len(cards):
        raise ValueError(f"{prefix}: two cards have the same name and point")
    length = {id(card): 6 for card in cards}
    while True:
        taken = Counter(digests[id(card)][: length[id(card)]] for card in cards)
        clashing = [card for card in cards if taken[digests[id(card)][: length[id(card)]]] > 1]
        if not clashing:
            break
        for card in clashing:
            length[id(card)] += 2
    for card in cards:
        card.id = f"{prefix}-{digests[id(card)][: length[id(card)]]}"


class _FlowList(list[float]):
    """A list that YAML writes in flow style: [lng, lat]."""


class _CardDumper(yaml.SafeDumper):
    """SafeDumper that writes ``_FlowList`` in flow style."""


_CardDumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)


def card_mapping(card: Card, category: str) -> dict[str, Any]:
    """The card as an ordered mapping, leaving out empty and false values."""
    out: dict[str, Any] = {"id": card.id, "category": category, "name": card.name}
    if card.data.get("address"):
        out["address"] = card.data["address"]
    out["location"] = _FlowList([card.lng, card.lat])
    for key in (*CATEGORY_FIELDS[category], "verified"):
        value = card.data.get(key)
        if value not in (None, "", False):
            out[key] = value
    return out


def render(dataset: Dataset, cards: Sequence[Card]) -> str:
    """The whole YAML file: header comment, then one block-style card per list item."""
    header = [
        f"# {dataset.title}.",
        f"# Source: {dataset.source}.",
        f"# Licence: {dataset.licence}.",
        "# Generated by data/make_demo.py from data/sources/ - do not edit; re-run the script.",
        "",
        "",
    ]
    blocks = [
        yaml.dump(
            [card_mapping(card, dataset.category)],
            Dumper=_CardDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=1000,
        )
        for card in cards
    ]
    return "\n".join(header) + "\n".join(blocks)


# ---------------------------------------------------------------------------------------------
# Putting it together


def convert(
    dataset: Dataset,
    records: Sequence[Record],
    make: Callable[[Record], Card | None],
    summary: Summary,
) -> list[Card]:
    """Records -> merged cards with ids, in source order."""
    cards = [card for record in records if (card := make(record)) is not None]
    cards = merge_cards(cards, summary)
    note_shared_points(cards, summary)
    assign_ids(dataset.prefix, cards)
    summary.cards_written = len(cards)
    return cards


def build_taipei_toilets(sources: Path, summary: Summary) -> list[Card]:
    """Cards for toilet/taipei.yaml."""
    records = read_dataset_xml(sources / "taipei_2015" / "taipeiToilet.xml", summary)
    return convert(summary.dataset, records, lambda r: taipei_toilet_card(r, summary), summary)


def build_kaohsiung_toilets(sources: Path, summary: Summary) -> list[Card]:
    """Cards for toilet/kaohsiung.yaml."""
    records = read_json_rows(sources / "kaohsiung_toilets.json", summary)
    codes = learn_district_codes(records)
    return convert(summary.dataset, records, lambda r: kaohsiung_card(r, codes, summary), summary)


def build_water(sources: Path, summary: Summary) -> list[Card]:
    """Cards for drinking_water/taipei.yaml."""
    path = sources / "taipei_2015" / "water_big5.csv"
    # cp950 is Microsoft's Big5; Big5-HKSCS adds characters some Taiwan exports still use.
    records = read_csv(path, ("cp950", "big5hkscs"), WATER_COLUMNS, summary)
    return convert(summary.dataset, records, lambda r: water_card(r, summary), summary)


def build_bins(sources: Path, summary: Summary) -> list[Card]:
    """Cards for litter_bin/taipei.yaml, from all twelve trash-can files."""
    records: list[Record] = []
    for path in trash_can_files(sources / "taipei_2015"):
        records += read_csv(path, ("utf-8-sig",), BIN_COLUMNS, summary)
    return convert(summary.dataset, records, lambda r: bin_card(r, summary), summary)


BUILDERS: dict[str, Callable[[Path, Summary], list[Card]]] = {
    "tpe-toilet": build_taipei_toilets,
    "khh-toilet": build_kaohsiung_toilets,
    "tpe-water": build_water,
    "tpe-bin": build_bins,
}


def build(sources: Path = SOURCES) -> tuple[dict[str, str], list[Summary]]:
    """Every output file's text by path (relative to content/facilities/), plus the summaries."""
    outputs: dict[str, str] = {}
    summaries = []
    for prefix, builder in BUILDERS.items():
        dataset = DATASETS[prefix]
        summary = Summary(dataset)
        outputs[dataset.output] = render(dataset, builder(sources, summary))
        summaries.append(summary)
    return outputs, summaries


def write_outputs(outputs: dict[str, str], out_dir: Path) -> None:
    """Write each file as UTF-8 with LF line ends."""
    for rel, text in outputs.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def issue_lines(issues: Sequence[Issue]) -> list[str]:
    """Issues grouped by file and reason; rows with details are listed one per line."""
    grouped: defaultdict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        grouped[(issue.file, issue.reason)].append(issue)
    lines = []
    for (file, reason), group in grouped.items():
        if any(issue.detail for issue in group):
            lines += [f"    {file} row {i.row}: {reason}: {i.detail}" for i in group]
        else:
            rows = format_rows(issue.row for issue in group)
            text = f"{file} rows {rows}: {reason} ({len(group)})"
            lines.append(textwrap.fill(text, 96, initial_indent="    ", subsequent_indent="      "))
    return lines


def summary_lines(summary: Summary, verbose: bool) -> list[str]:
    """The printed report for one dataset."""
    lines = [
        f"== {summary.dataset.output}  ({summary.dataset.source})",
        f"  rows read:     {summary.rows_read}",
        f"  cards written: {summary.cards_written}",
        f"  rows skipped:  {len(summary.skipped)}",
    ]
    lines += [
        f"    {n} {reason}" for reason, n in Counter(i.reason for i in summary.skipped).items()
    ]
    folded = summary.merged_rows + len(summary.merges)
    lines.append(
        f"  rows merged:   {summary.merged_rows} ({folded} rows became {len(summary.merges)} cards)"
    )
    if summary.hours:
        lines.append("  opening hours: " + ", ".join(f"{k} {n}" for k, n in summary.hours.items()))
    lines += [f"  note: {n} {what}" for what, n in sorted(summary.notes.items())]
    if summary.skipped:
        lines += ["  skipped rows:", *issue_lines(summary.skipped)]
    if summary.fixed:
        lines += ["  fixed or partly used rows:", *issue_lines(summary.fixed)]
    if verbose:
        lines += ["  merges:", *(f"    {m}" for m in summary.merges)]
        lines += ["  shared points:", *(f"    {s}" for s in summary.shared_points)]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=SOURCES, help="default: data/sources")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="default: content/facilities")
    parser.add_argument("-v", "--verbose", action="store_true", help="list merges too")
    args = parser.parse_args(argv)
    outputs, summaries = build(args.sources)
    write_outputs(outputs, args.out)
    for summary in summaries:
        print("\n".join(summary_lines(summary, args.verbose)))
    total = sum(summary.cards_written for summary in summaries)
    print(f"== {total} cards in {len(outputs)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
