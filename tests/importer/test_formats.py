"""Sources made in the test: GB18030 and Big5 CSV, .xlsx, GeoJSON, one "lat,lng" column."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from sitegen.importer.mapping import load_mapping
from sitegen.importer.run import Result, import_sources

MAPPING = """\
category: drinking_water
output: drinking_water/test.yaml
id: {prefix: t-water}
bounds: [[121.45, 24.96], [121.67, 25.21]]
"""


def _import(project: Path, source: Path, extra: str) -> Result:
    path = project / "mapping.yaml"
    path.write_text(MAPPING + textwrap.dedent(extra), encoding="utf-8")
    return import_sources([source], load_mapping(path), project)


def _cards(result: Result) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = yaml.safe_load(result.text)
    return cards


CSV_MAPPING = """\
location: {lng: 经度, lat: 纬度}
fields:
  name: {column: 名称}
  opening_hours: {column: 开放时间, transforms: [{hours: true}]}
"""
CSV_TEXT = (
    "名称,纬度,经度,开放时间\r\n饮水机甲,25.05,121.52,全天\r\n饮水机乙,25.06,121.53,6:00~22:00\r\n"
)


def test_gb18030_csv_detected_without_declaration(project: Path) -> None:
    source = project / "gb.csv"
    source.write_bytes(CSV_TEXT.encode("gb18030"))
    result = _import(project, source, CSV_MAPPING)
    assert [c["name"] for c in _cards(result)] == ["饮水机甲", "饮水机乙"]
    assert [c["opening_hours"] for c in _cards(result)] == ["24/7", "Mo-Su 06:00-22:00"]
    assert result.summary.notes["lines decoded as gb18030"] == 3


def _traditional(text: str) -> str:
    for simplified, traditional in [
        ("饮水机甲", "飲水機甲"),
        ("饮水机乙", "臺北車站飲水機"),
        ("名称", "名稱"),
        ("纬度", "緯度"),
        ("经度", "經度"),
        ("开放时间", "開放時間"),
    ]:
        text = text.replace(simplified, traditional)
    return text


def test_big5_csv_detected_without_declaration(project: Path) -> None:
    source = project / "big5.csv"
    source.write_bytes(_traditional(CSV_TEXT).encode("cp950"))
    result = _import(project, source, _traditional(CSV_MAPPING))
    assert [c["name"] for c in _cards(result)] == ["飲水機甲", "臺北車站飲水機"]


def test_undecodable_line_is_reported_not_fatal(project: Path) -> None:
    source = project / "bad.csv"
    lines = _traditional(CSV_TEXT).encode("cp950").splitlines(keepends=True)
    source.write_bytes(lines[0] + b"\xff\xfe\xff,25.0,121.5,\r\n" + lines[1])
    result = _import(project, source, _traditional(CSV_MAPPING) + "encoding: [big5]\n")
    assert [(i.row, i.reason) for i in result.summary.skipped] == [(2, "undecodable bytes")]
    assert [(c["name"], c["location"]) for c in _cards(result)] == [("飲水機甲", [121.52, 25.05])]


def test_xlsx_with_one_lat_lng_column(project: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Position", "Fountains"])
    sheet.append(["Park", "25.03, 121.56", 3])
    sheet.append(["No place", None, 1])
    sheet.append(["Station", "25.047,121.517", 2])
    source = project / "water.xlsx"
    book.save(source)
    result = _import(
        project,
        source,
        """\
        location: {column: Position, order: "lat,lng"}
        fields:
          name: {column: Name}
          fountains: {column: Fountains, transforms: [{int: {min: 1, max: 100}}]}
        """,
    )
    cards = _cards(result)
    assert [(c["name"], c["location"], c["fountains"]) for c in cards] == [
        ("Park", [121.56, 25.03], 3),
        ("Station", [121.517, 25.047], 2),
    ]
    assert [(i.row, i.reason) for i in result.summary.skipped] == [(3, "no coordinates")]


def test_geojson_points(project: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"title": "A"},
            "geometry": {"type": "Point", "coordinates": [121.52, 25.05]},
        },
        {"type": "Feature", "properties": {"title": "B"}, "geometry": None},
        {
            "type": "Feature",
            "properties": {"title": "Shanghai"},
            "geometry": {"type": "Point", "coordinates": [121.47, 31.23]},
        },
        {
            "type": "Feature",
            "properties": {"title": "Tamsui"},
            "geometry": {"type": "Point", "coordinates": [121.44, 25.17]},
        },
    ]
    source = project / "points.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    result = _import(project, source, "crs: wgs84\nfields:\n  name: {column: title}\n")
    assert [(c["name"], c["location"]) for c in _cards(result)] == [("A", [121.52, 25.05])]
    assert [(i.row, i.reason) for i in result.summary.skipped] == [
        (2, "no coordinates"),
        (3, "outside the site's bounds"),
        (4, "outside the source bounds"),
    ]


def test_geojson_paths_other_geometries_and_json_types(project: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"title": "A", "info": {"isOpen24h": True, "fountains": 2}},
            "geometry": {"type": "Point", "coordinates": [121.52, 25.05]},
        },
        {
            "type": "Feature",
            "properties": {"title": "Park", "info": {"isOpen24h": False}},
            "geometry": {"type": "Polygon", "coordinates": [[[121.5, 25.0], [121.6, 25.0]]]},
        },
    ]
    source = project / "nested.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    mapping = """\
    fields:
      name: properties.title
      fountains: info.fountains
      opening_hours: {column: info.isOpen24h, transforms: [{map: {"true": 24/7, "false": null}}]}
    """
    result = _import(project, source, mapping)
    assert _cards(result) == [
        {
            "id": _cards(result)[0]["id"],
            "category": "drinking_water",
            "name": "A",
            "location": [121.52, 25.05],
            "opening_hours": "24/7",  # the JSON true, mapped
            "fountains": 2,  # a JSON number stays a number
        }
    ]
    assert [(i.row, i.reason) for i in result.summary.skipped] == [
        (2, "geometry is a Polygon, not a Point")
    ]


def test_one_location_column_as_text_array_or_geometry(project: Path) -> None:
    rows = [
        {"name": "text", "at": "25.05, 121.52"},  # text: latitude first unless `order` says
        {"name": "array", "at": [121.53, 25.06]},  # an array: GeoJSON's [lng, lat]
        {"name": "geometry", "at": {"type": "Point", "coordinates": [121.54, 25.07]}},
        {"name": "nothing", "at": []},
    ]
    source = project / "rows.json"
    source.write_text(json.dumps(rows), "utf-8")
    result = _import(project, source, "location: {column: at}\nfields: {name: name}\n")
    assert [(c["name"], c["location"]) for c in _cards(result)] == [
        ("text", [121.52, 25.05]),
        ("array", [121.53, 25.06]),
        ("geometry", [121.54, 25.07]),
    ]
    assert [(i.row, i.reason) for i in result.summary.skipped] == [(4, "no coordinates")]


def test_json_rows_inside_an_object(project: Path) -> None:
    data = {"type": "StopList", "data": {"stops": [{"n": "A", "x": "121.5", "y": "25.0"}]}}
    source = project / "stops.json"
    source.write_text(json.dumps(data), "utf-8")
    mapping = "rows: data.stops\nlocation: {lng: x, lat: y}\nfields: {name: n}\n"
    result = _import(project, source, mapping)
    assert [(c["name"], c["location"]) for c in _cards(result)] == [("A", [121.5, 25.0])]
