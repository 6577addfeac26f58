"""Tile layers in site.yaml: presets, overlays, their hosts, and the mainland-China warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.build.stages import check
from sitegen.cli.main import main
from sitegen.editor.schemas import all_schemas, load_categories
from sitegen.pipeline.config import TileOverlay, load_config
from sitegen.pipeline.tiles import BadTemplate, reachable_in_mainland, template_origins

from .conftest import SITE_YAML, MakeSite
from .test_schema_export import schema_valid

BASE = "https://map.example.org/"
OSM_ONLY = SITE_YAML.split("  - preset: tianditu")[0] + SITE_YAML.split("0123456789abcdef\n")[1]


def with_tiles(tiles: str, site: str = SITE_YAML) -> str:
    head, rest = site.split("tiles:\n")
    return head + "tiles:\n" + tiles + "report:" + rest.split("report:")[1]


def run_check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "-C", str(root)])
    return result.exit_code, result.output.splitlines()


def test_tianditu_preset_is_a_whole_layer_with_its_annotation(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": with_tiles("  - preset: tianditu\n    key: abc123\n")})
    (tile,) = load_config(root).tiles
    assert (tile.id, tile.crs, tile.max_zoom, tile.subdomains) == (
        "tianditu",
        "wgs84",
        18,
        "01234567",
    )
    assert tile.name == {"zh-Hans": "天地图", "zh-Hant": "天地圖", "en": "Tianditu"}
    assert tile.url == (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=abc123"
    )
    assert tile.overlay == TileOverlay(
        tile.url.replace("vec_w", "cva_w").replace("LAYER=vec", "LAYER=cva"), "01234567"
    )
    assert tile.attribution == "© 天地图 国家地理信息公共服务平台"


def test_a_preset_takes_changes_and_gcj02_presets_say_so(make_site: MakeSite) -> None:
    tiles = (
        "  - preset: amap\n    approval_number: GS(2025)0001号\n    max_zoom: 17\n"
        "  - preset: tencent\n    id: qq\n    name: {zh-Hans: 腾讯, en: Tencent}\n"
        "  - preset: osm\n    prefetch: true\n"
    )
    amap, tencent, osm = load_config(make_site({"content/site.yaml": with_tiles(tiles)})).tiles
    assert (amap.crs, amap.max_zoom, amap.approval_number) == ("gcj02", 17, "GS(2025)0001号")
    assert amap.url.startswith("https://webrd0{s}.is.autonavi.com/") and amap.subdomains == "1234"
    assert (tencent.id, tencent.name, tencent.crs) == (
        "qq",
        {"zh-Hans": "腾讯", "en": "Tencent"},
        "gcj02",
    )
    assert "y={-y}" in tencent.url  # Tencent counts rows from the south
    assert (osm.url, osm.prefetch, osm.overlay) == (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        True,
        None,
    )


def test_a_layer_of_ones_own_may_have_an_overlay(make_site: MakeSite) -> None:
    tiles = (
        "  - id: city\n    name: 市政底图\n    url: https://t{s}.city.example.cn/base/{z}/{x}/{y}.png\n"
        "    subdomains: ab\n    attribution: © 市规划局\n"
        "    overlay: {url: 'https://labels.example.cn/{z}/{x}/{y}.png'}\n"
    )
    (tile,) = load_config(make_site({"content/site.yaml": with_tiles(tiles)})).tiles
    assert tile.overlay == TileOverlay("https://labels.example.cn/{z}/{x}/{y}.png", "ab")
    assert tile.max_zoom == 18 and tile.crs == "wgs84" and not tile.prefetch


def test_bad_tile_layers_are_reported_all_at_once(make_site: MakeSite) -> None:
    tiles = (
        "  - preset: tianditu\n"
        "  - preset: tiandtu\n"
        "  - id: bad\n    name: x\n"
        "    url: https://a;b.example.org/{z}/{x}/{y}.png\n    attribution: x\n"
        "  - id: half\n    url: //tiles.example.org/{z}/{x}/{-y}.png\n"
        "    overlay: {url: 'https://{s}.x:99999/{z}/{x}/{y}.png'}\n"
    )
    code, lines = run_check(make_site({"content/site.yaml": with_tiles(tiles)}))
    assert code == 1
    assert lines == [
        'content/site.yaml:12:5: missing required tile layer field "key": preset "tianditu" '
        "needs a browser key (浏览器端) from https://console.tianditu.gov.cn/",
        'content/site.yaml:13:13: preset: "tiandtu" is not one of "osm", "tianditu", '
        '"tianditu-imagery", "amap", "amap-imagery", "tencent"; did you mean "tianditu"?',
        'content/site.yaml:16:10: url: "a;b.example.org" is not a host name',
        'content/site.yaml:18:5: missing required tile layer field "attribution"',
        'content/site.yaml:18:5: missing required tile layer field "name"',
        'content/site.yaml:20:21: overlay.url: "a.x:99999" is not a host name',
        "6 problem(s) found.",
    ]


def test_tile_origins_cover_every_subdomain_and_protocol_relative_urls() -> None:
    assert template_origins("https://t{s}.example.cn/{z}/{x}/{y}.png", "012", BASE) == [
        "https://t0.example.cn",
        "https://t1.example.cn",
        "https://t2.example.cn",
    ]
    # Leaflet's own subdomains when the layer names none.
    assert template_origins("https://{s}.tile.example.org/{z}/{x}/{y}.png", None, BASE) == [
        "https://a.tile.example.org",
        "https://b.tile.example.org",
        "https://c.tile.example.org",
    ]
    # Protocol-relative: the site's scheme; relative and same-origin ones need no entry.
    assert template_origins("//tiles.example.org:8443/{z}/{x}/{y}.png", None, BASE) == [
        "https://tiles.example.org:8443"
    ]
    assert template_origins("//tiles.example.org/{z}/{x}/{y}.png", None, "http://a.org/") == [
        "http://tiles.example.org"
    ]
    assert template_origins("/tiles/{z}/{x}/{y}.png", None, BASE) == []
    assert template_origins("https://map.example.org/t/{z}/{x}/{y}.png", None, BASE) == []
    with pytest.raises(BadTemplate):
        template_origins("https://evil;script-src/{z}/{x}/{y}.png", None, BASE)


def test_which_tiles_count_as_usable_in_mainland_china() -> None:
    usable = [
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&z={z}",
        "https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}",
        "https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}",
        "https://tiles.sz.gov.cn/{z}/{x}/{y}.png",
        "/tiles/{z}/{x}/{y}.png",
        "https://map.example.org/tiles/{z}/{x}/{y}.png",
        "http://127.0.0.1:8080/{z}/{x}/{y}.png",
        "http://10.1.2.3/{z}/{x}/{y}.png",
    ]
    unusable = [
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "https://mt{s}.google.com/vt?x={x}&y={y}&z={z}",
        "https://8.8.8.8/{z}/{x}/{y}.png",
    ]
    assert all(reachable_in_mainland(url, "0123", BASE) for url in usable)
    assert not any(reachable_in_mainland(url, "0123", BASE) for url in unusable)


def test_check_warns_a_cn_site_with_only_foreign_tiles(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": OSM_ONLY})
    code, lines = run_check(root)
    assert (code, lines) == (
        0,
        [
            "content/site.yaml:12:3: warning: tiles: holidays is CN, but no tile layer is "
            "reachable and approved in mainland China (tile.openstreetmap.org); add one such "
            'as "preset: tianditu" (with its key), "preset: amap" or "preset: tencent"',
            "1 warning(s).",
        ],
    )
    strict = CliRunner().invoke(main, ["check", "--strict", "-C", str(root)])
    assert strict.exit_code == 1


def test_no_warning_with_a_mainland_layer_or_outside_the_mainland(make_site: MakeSite) -> None:
    assert check(make_site())[1] == []  # OpenStreetMap and Tianditu
    hong_kong = OSM_ONLY.replace("holidays: CN", "holidays: HK")
    assert check(make_site({"content/site.yaml": hong_kong}))[1] == []


def test_json_schema_takes_a_preset_alone_and_wants_all_fields_without(
    make_site: MakeSite,
) -> None:
    schema = all_schemas(load_categories(make_site()))["site.schema.json"]
    assert schema_valid(schema, SITE_YAML)
    assert schema_valid(schema, with_tiles("  - preset: amap\n"))
    assert not schema_valid(schema, with_tiles("  - id: x\n    name: x\n    attribution: x\n"))
    assert not schema_valid(schema, with_tiles("  - preset: google\n"))
    json.dumps(schema)  # plain JSON


def test_the_new_site_skeleton_has_a_mainland_layer(tmp_path: Path) -> None:
    project = tmp_path / "city"
    CliRunner().invoke(main, ["new", str(project)])
    assert [t.id for t in load_config(project).tiles] == ["osm", "amap"]
