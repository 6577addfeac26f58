"""Front-end data: compact points, shared texts, hashed names, precompressed copies."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import re
from pathlib import Path

import brotli
import pytest

from sitegen.build.stages import build
from sitegen.render.appdata import delta_encode, spatial_order

from .conftest import MakeSite

MORE_TOILETS = """\
- id: nanshan-0001
  category: toilet
  name: {zh-Hans: 南山公园公厕, en: Nanshan Park Toilet}
  address: 南山区南山大道
  location: [113.9300, 22.5300]
  hours: "Mo-Fr 09:00-17:00; PH off"
  accessible: false
  grade: 三类
- id: luohu-0001
  category: toilet
  name: 罗湖口岸公厕
  location: [114.1180, 22.5330]
  hours: 24/7
"""


@pytest.fixture
def out(make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738108800")
    site = make_site({"content/facilities/toilet/more.yaml": MORE_TOILETS})
    build(site, tmp_path / "out")
    return tmp_path / "out"


def decode_xy(xy: list[int]) -> list[tuple[float, float]]:
    points, x, y = [], 0, 0
    for dx, dy in zip(xy[::2], xy[1::2], strict=True):
        x, y = x + dx, y + dy
        points.append((x / 100_000, y / 100_000))
    return points


def test_points_file_round_trips(out: Path) -> None:
    [path] = out.glob("data/points/toilet.*.json")
    points = json.loads(path.read_text())
    coords = dict(zip(points["ids"], decode_xy(points["xy"]), strict=True))
    assert coords == {
        "futian-0001": (114.0572, 22.5535),
        "nanshan-0001": (113.93, 22.53),
        "luohu-0001": (114.118, 22.533),
    }
    order = points["ids"]
    flags = {"futian-0001": "1", "nanshan-0001": "0", "luohu-0001": "-"}  # yes, no, not given
    assert points["bool"] == {"accessible": "".join(flags[i] for i in order)}
    assert set(points) == {"ids", "xy", "h", "bool"}  # grade is not a filter: not published
    hours = json.loads(next(out.glob("data/hours.*.json")).read_text())
    closed_today = hours["days"][hours["rows"][points["h"][order.index("nanshan-0001")]][0]]
    assert closed_today == []  # 2025-01-29 is Spring Festival: "PH off"


def test_texts_per_locale_share_identical_files(out: Path) -> None:
    texts = {p.name: json.loads(p.read_text()) for p in out.glob("data/text/toilet.*.json")}
    names = sorted(tuple(t["name"]) for t in texts.values())
    # zh-Hans, zh-Hant and en differ here (an English name was given for one toilet).
    assert len(texts) == 3
    assert any("南山公園公廁" in n for n in names) and any(
        "Nanshan Park Toilet" in n for n in names
    )
    for text in texts.values():
        assert len(text["name"]) == len(text["addr"]) == 3
    [english] = [t for t in texts.values() if "Nanshan Park Toilet" in t["name"]]
    # Chinese names on the English pages carry their pinyin; the translated one does not.
    romanized = dict(zip(english["name"], english["rom"], strict=True))
    assert romanized == {
        "莲花山公园南门公厕": "Lian Hua Shan Gong Yuan Nan Men Gong Ce",
        "Nanshan Park Toilet": None,
        "罗湖口岸公厕": "Luo Hu Kou An Gong Ce",
    }
    assert all(set(t) == {"name", "addr"} for t in texts.values() if t is not english)
    [pinyin] = out.glob("data/pinyin/toilet.*.json")
    assert "luo hu kou an gong ce" in json.loads(pinyin.read_text())["py"]


def test_card_data_holds_every_attribute_as_the_card_page_writes_it(out: Path) -> None:
    points = json.loads(next(out.glob("data/points/toilet.*.json")).read_text())
    by_locale = {}
    for path in out.glob("data/cards/toilet.*.json"):
        cards = json.loads(path.read_text())
        by_locale[cards["fields"][0]["label"]] = cards
    zh = by_locale["第三卫生间"]
    fields = ["accessible", "stalls_male", "grade", "maintainer"]
    assert [f["field"] for f in zh["fields"]] == fields
    i = points["ids"].index("futian-0001")

    def shown(cards: dict[str, object], field: str) -> object:
        code = cards["values"][field][i]  # type: ignore[index]
        return None if code < 0 else cards["table"][code]  # type: ignore[index]

    assert [shown(zh, f) for f in ("accessible", "stalls_male", "grade", "maintainer")] == [
        "是",
        "4",
        "一类",
        "福田区环卫所",
    ]
    assert zh["table"][zh["rule"][i]] == "每日 06:00–23:00"
    hant = by_locale["第三衞生間"]
    assert hant["table"][hant["values"]["maintainer"][i]] == "福田區環衞所"
    # English pages show the Chinese text where no translation is given, marked as such.
    en = by_locale["Accessible"]
    code = en["values"]["maintainer"][i]
    assert en["table"][code] == "福田区环卫所" and code in en["langs"]["zh-Hans"]
    j = points["ids"].index("luohu-0001")
    assert all(en["values"][f][j] == -1 for f in ("accessible", "stalls_male", "maintainer"))


def test_file_names_carry_content_hashes(out: Path) -> None:
    for path in out.glob("data/*/*.json"):
        digest = re.fullmatch(r".*\.([0-9a-f]{10})\.json", path.name)
        assert digest and hashlib.sha256(path.read_bytes()).hexdigest()[:10] == digest[1]


def test_precompressed_copies_match(out: Path) -> None:
    css = next(out.glob("assets/css/main.*.css"))
    assert gzip.decompress(css.with_name(css.name + ".gz").read_bytes()) == css.read_bytes()
    assert brotli.decompress(css.with_name(css.name + ".br").read_bytes()) == css.read_bytes()
    assert not list(out.glob("**/*.html.gz"))  # pages are left to the CDN


def test_import_map_is_allowed_by_its_csp_hash(out: Path) -> None:
    html = (out / "zh-hans/index.html").read_text()
    script = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script[1].encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None and f"&#39;sha256-{digest}&#39;" in csp[1]
    imports = json.loads(script[1])["imports"]
    assert all(target.startswith("/assets/") for target in imports.values())


def test_spatial_order_keeps_neighbours_close() -> None:
    class P:
        def __init__(self, i: int, lng: float, lat: float) -> None:
            self.id, self.lng, self.lat = f"p{i:03d}", lng, lat

    grid = [P(i, 114 + (i % 30) * 0.01, 22.45 + (i // 30) * 0.01) for i in range(900)]
    random.Random(7).shuffle(grid)
    bounds = ((113.9, 22.4), (114.4, 22.8))

    def path_length(points: list[P]) -> int:
        return sum(abs(s) for s in delta_encode((p.lng, p.lat) for p in points)[2:])

    ordered = spatial_order(grid, bounds)  # type: ignore[arg-type]
    assert sorted(p.id for p in ordered) == sorted(p.id for p in grid)
    # Along the curve, most steps are to a neighbouring cell: the deltas stay small.
    assert path_length(ordered) < path_length(grid) / 10


def test_gcj02_tiles_get_shifted_display_positions(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    site_yaml = site / "content/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text().replace(
            "    attribution: © OpenStreetMap contributors\n",
            "    attribution: © OpenStreetMap contributors\n"
            "  - id: amap\n"
            "    name: 高德地图\n"
            "    url: https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8\n"
            "    attribution: © 高德地图\n"
            "    crs: gcj02\n"
            "    approval_number: GS(2024)1234号\n",
        )
    )
    build(site, tmp_path / "out")
    points = json.loads(next((tmp_path / "out").glob("data/points/toilet.*.json")).read_text())
    [(lng, lat)] = decode_xy(points["xy"])
    [(glng, glat)] = decode_xy(points["gcj"])
    # In Shenzhen GCJ-02 lies about 300 m east and 300 m south-ish of WGS-84.
    assert (lng, lat) == (114.0572, 22.5535)
    assert 0.004 < glng - lng < 0.006 and -0.004 < glat - lat < -0.002
    html = (tmp_path / "out/zh-hans/index.html").read_text()
    assert '"approval":"GS(2024)1234号"' in html and '"crs":"gcj02"' in html


def test_category_data_made_in_workers_is_the_same(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first build makes each category's data files in forked workers when there are
    # thousands of cards: the same files, made elsewhere.
    import os

    from sitegen.render import appdata

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738108800")
    bins = 'id: bin\nname: {zh-Hans: 垃圾桶, en: Litter bin}\nicon: bin\ncolor: "#2e7d32"\n'
    site = make_site(
        {
            "content/facilities/toilet/more.yaml": MORE_TOILETS,
            "content/categories/bin.yaml": bins,
            "content/facilities/bin/one.yaml": "id: bin-1\ncategory: bin\nname: 垃圾桶\n"
            "location: [114.05, 22.55]\n",
        }
    )
    real, makers = appdata._category_data, []
    monkeypatch.setattr(
        appdata, "_category_data", lambda *a: makers.append(os.getpid()) or real(*a)
    )
    built = {}
    for parallel in (False, True):
        monkeypatch.setattr(appdata, "PARALLEL_DATA_MIN", 0 if parallel else 10**9)
        makers.clear()
        monkeypatch.setenv("SITEGEN_CACHE_DIR", str(tmp_path / f"cache-{parallel}"))
        out = tmp_path / f"out-{parallel}"
        build(site, out)
        built[parallel] = {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted((out / "data").rglob("*"))
            if p.is_file()
        }
        # Counted in this process only: none when the workers made them.
        assert len(makers) == (0 if parallel else 2)
    assert built[True] == built[False]
    assert any(name.startswith("data/cards/bin.") for name in built[True])
