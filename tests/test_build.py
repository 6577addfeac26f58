"""`sitegen build`: pages per locale, data files, determinism, atomic output, sub-paths."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path

import geojson
import jinja2
import jinja2.runtime
import pytest
from click.testing import CliRunner
from lxml import etree

from sitegen.build.stages import build, load_site
from sitegen.cli.main import main
from sitegen.errors import ContentError
from sitegen.pipeline.config import theme_dir
from sitegen.render import sitemap
from sitegen.render.renderer import Renderer
from sitegen.render.templates import make_environment

from .conftest import MakeSite

SCHEMAS = Path(__file__).parent / "schemas"
EPOCH = "1738108800"  # 2025-01-29 00:00 UTC: Spring Festival, a public holiday in China

GUIDE = """\
---
title: {zh-Hans: 莲花山公园游览指南, en: Lianhuashan Park guide}
summary: 从口岸到公园
entries:
  - facility: futian-0001
    tags: [免费, 无障碍]
    fee: 免费
    transport:
      - from: {zh-Hans: 福田口岸, en: Futian Port}
        text: 地铁4号线到少年宫站，步行10分钟
    links:
      - title: 停车场
        url: https://parking.example.org/lianhuashan
---
## 开放时间

公园 **6:00** 开门。<script>alert(1)</script>
"""

GUIDE_EN = """\
---
title: Lianhuashan Park for visitors
---
## Hours

The park opens at **6:00**.
"""


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(
        {"content/guides/lianhuashan.md": GUIDE, "content/guides/lianhuashan.en.md": GUIDE_EN}
    )


def test_pages_for_every_locale(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(site, out)
    for locale in ("zh-hans", "zh-hant", "en"):
        for page in ("", "toilet/", "toilet/futian-0001/", "guides/lianhuashan/"):
            assert (out / locale / page / "index.html").is_file(), (locale, page)
        assert (out / locale / "404.html").is_file()
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    assert result.pages == 21  # 5 kinds of page, the report form and "My reports", 3 locales
    hant = (out / "zh-hant/toilet/futian-0001/index.html").read_text()
    assert '<html lang="zh-Hant">' in hant
    assert "<h1>蓮花山公園南門公廁</h1>" in hant  # derived with OpenCC (Hong Kong variant)
    assert "福田區環衞所" in hant
    for locale in ("zh-Hans", "zh-Hant", "en"):
        href = f"https://map.example.org/{locale.lower()}/toilet/futian-0001/"
        assert f'<link rel="alternate" hreflang="{locale}" href="{href}">' in hant
    # The language switch stays on the same page.
    assert '<a href="/en/toilet/futian-0001/" hreflang="en" lang="en">English</a>' in hant


def test_name_card_page(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    html = (tmp_path / "out/en/toilet/futian-0001/index.html").read_text()
    # No English name was written: the Chinese one stands in, marked and with its language,
    # and with its pinyin for readers of English.
    assert (
        '<h1><span lang="zh-Hans" class="fallback">莲花山公园南门公厕</span> '
        '<span class="romanized" lang="zh-Latn-pinyin">Lian Hua Shan Gong Yuan Nan Men Gong Ce'
        "</span></h1>"
    ) in html
    assert "<strong>Today (2025-01-29):</strong> 06:00–23:00" in html
    assert "uri.amap.com/marker?position=114.0572,22.5535&amp;" in html
    assert "api.map.baidu.com/marker?location=22.5535,114.0572&amp;" in html
    # The sample site lists no report services: the card links to the full form only.
    assert '<a class="action" href="/en/report/?facility=futian-0001&amp;category=toilet">' in html
    assert (tmp_path / "out/en/report/index.html").is_file()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    jsonld = json.loads(html[start : html.index("</script>", start)])
    assert jsonld["@type"] == "Place"
    assert jsonld["geo"] == {"@type": "GeoCoordinates", "latitude": 22.5535, "longitude": 114.0572}


def test_guide_page_is_sanitised_and_translated(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    hans = (tmp_path / "out/zh-hans/guides/lianhuashan/index.html").read_text()
    assert "<h2>开放时间</h2>" in hans and "<strong>6:00</strong>" in hans
    assert "alert(1)" not in hans  # the script element is dropped whole by the sanitiser
    assert "从福田口岸出发" in hans and "地铁4号线到少年宫站" in hans
    hant = (tmp_path / "out/zh-hant/guides/lianhuashan/index.html").read_text()
    assert "<h2>開放時間</h2>" in hant  # the body converted to Traditional Chinese
    en = (tmp_path / "out/en/guides/lianhuashan/index.html").read_text()
    assert "<h1>Lianhuashan Park for visitors</h1>" in en
    assert "<h2>Hours</h2>" in en and "untranslated" not in en


def test_data_files(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out)
    collection = geojson.loads((out / "data/zh-hans/toilet.geojson").read_text())
    assert collection.is_valid and collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"]["coordinates"] == [114.0572, 22.5535]
    assert feature["properties"]["accessible"] is True
    [hours_file] = out.glob("data/hours.*.json")
    hours = json.loads(hours_file.read_text())
    assert hours["start"] == "2025-01-29"
    day = hours["days"][hours["rows"][feature["properties"]["h"]][0]]
    assert day == [[360, 1380]]
    sitemap = etree.parse(str(out / "sitemap.xml"))
    etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap-with-alternates.xsd"))).assertValid(sitemap)
    locs = sitemap.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    assert len(locs) == 12  # 4 pages x 3 locales; 404 pages are left out
    robots = (out / "robots.txt").read_text()
    assert "Sitemap: https://map.example.org/sitemap.xml" in robots


@pytest.mark.parametrize("limit", ["urls", "bytes"])
def test_a_big_sitemap_is_split_under_an_index(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    build(site, tmp_path / "whole")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    whole = etree.parse(str(tmp_path / "whole/sitemap.xml"))
    if limit == "urls":
        monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 5)
    else:  # three <url> elements with their alternates are about 1,300 bytes
        monkeypatch.setattr(sitemap, "SITEMAP_MAX_BYTES", 1500)
    out = tmp_path / "split"
    build(site, out)
    index = etree.parse(str(out / "sitemap.xml"))
    etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex-0.9.xsd"))).assertValid(index)
    locs = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    parts = sorted(out.glob("sitemap-*.xml"))
    assert len(parts) > 2
    assert locs == [f"https://map.example.org/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap-with-alternates.xsd")))
    urls = []
    for n in range(1, len(parts) + 1):
        part = out / f"sitemap-{n}.xml"
        schema.assertValid(etree.parse(str(part)))
        if limit == "urls":
            assert len(etree.parse(str(part)).findall("s:url", ns)) <= 5
        else:
            assert part.stat().st_size <= 1500
        urls += [etree.tostring(u) for u in etree.parse(str(part)).findall("s:url", ns)]
    # Together the parts list every URL of the single sitemap, in the same order.
    assert urls == [etree.tostring(u) for u in whole.findall("s:url", ns)]


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "a")
    build(site, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_rebuild_without_change_rewrites_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(site, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = build(site, out)
    assert second.stats.written == 0
    assert second.stats.unchanged == first.files
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_failed_build_leaves_previous_output(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out)
    before = tree_digest(out)
    card = site / "content/facilities/toilet/futian-0001.yaml"
    card.write_text(card.read_text().replace("stalls_male: 4", "stalls_male: -4"))
    with pytest.raises(ContentError) as error:
        build(site, out)
    assert [str(p) for p in error.value.problems] == [
        "content/facilities/toilet/futian-0001.yaml:8:14: stalls_male: -4 is below the minimum 0"
    ]
    assert tree_digest(out) == before
    # No staging folder left; the record of the last good build is still the right one.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.build-state.json", "out", "site"]


def test_failed_build_from_cli_says_output_kept(site: Path, tmp_path: Path) -> None:
    card = site / "content/facilities/toilet/futian-0001.yaml"
    card.write_text(card.read_text().replace("hours:", "hour:"))
    result = CliRunner().invoke(main, ["build", "-C", str(site), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'content/facilities/toilet/futian-0001.yaml:1:1: missing required field "hours" for '
        'category "toilet"',
        'content/facilities/toilet/futian-0001.yaml:6:1: unknown field "hour" for category '
        '"toilet"; did you mean "hours"?',
        "2 problem(s) found; the previous output was left as it was.",
    ]
    assert not (tmp_path / "o").exists()


def test_sub_path_base_url(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out, base_url="https://example.org/city/map")
    html = (out / "en/toilet/index.html").read_text()
    assert 'href="/city/map/en/toilet/futian-0001/"' in html
    assert 'href="/city/map/assets/css/main.' in html
    assert '<link rel="canonical" href="https://example.org/city/map/en/toilet/">' in html
    feature = json.loads((out / "data/en/toilet.geojson").read_text())["features"][0]
    assert feature["properties"]["url"] == "/city/map/en/toilet/futian-0001/"


def test_cli_build_reports_pages_and_time(site: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(site), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Not on a terminal: a line per stage (with its time), as a CI log shows them.
    stages = [line.split(":")[0] for line in lines if line.startswith("  ")]
    assert stages == [
        "  load, validate, model",
        "  plan pages, assets, data files",
        "  fingerprints",
        "  name-card and list pages",
        "  other pages, sitemap, service worker, headers",
        "  write",
        "  record and cache",
    ]
    built = next(line for line in lines if line.startswith("Built "))
    assert built.startswith("Built 21 pages (21 rendered;")
    assert " pages/s) into " in built  # every page was rendered: a rate means something
    card = site / "content/facilities/toilet/futian-0001.yaml"
    other = card.with_name("futian-0002.yaml")
    other.write_text(card.read_text().replace("0001", "0002"), "utf-8")
    CliRunner().invoke(main, ["build", "-C", str(site), "-o", str(tmp_path / "o")])
    other.write_text(other.read_text().replace("南门", "北门"), "utf-8")
    result = CliRunner().invoke(main, ["build", "-C", str(site), "-o", str(tmp_path / "o")])
    built = next(line for line in result.output.splitlines() if line.startswith("Built "))
    assert built.startswith("Built 24 pages (") and "pages/s" not in built


def test_bad_base_url_option(site: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-C", str(site), "--base-url", "/map/"])
    assert result.exit_code == 1
    assert result.output == (
        'error: --base-url: "/map/" is not an absolute http(s) address '
        "such as https://example.org/map/\n"
    )


MO_FR_OFFICE = """\
- id: futian-office
  category: toilet
  name: 区政府办事大厅公厕
  location: [114.0550, 22.5410]
  hours: "Mo-Fr 09:00-17:00; PH off"
- id: baidu-point
  category: toilet
  name: 百度坐标的公厕
  location: [114.0637, 22.5589]
  crs: bd09
  hours: 24/7
"""


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        ("1738108800", "<strong>Today (2025-01-29):</strong> Closed"),  # Spring Festival
        ("1759017600", "<strong>Today (2025-09-28):</strong> 09:00–17:00"),  # working Sunday
        ("1759017600", "<strong>Today (2025-09-28):</strong> 09:00–17:00"),
        ("1758412800", "<strong>Today (2025-09-21):</strong> Closed"),  # an ordinary Sunday
    ],
)
def test_todays_hours_follow_the_holiday_calendar(
    make_site: MakeSite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    epoch: str,
    expected: str,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    site = make_site({"content/facilities/toilet/more.yaml": MO_FR_OFFICE})
    build(site, tmp_path / "out")
    assert expected in (tmp_path / "out/en/toilet/futian-office/index.html").read_text()


def test_bd09_card_is_published_in_wgs84(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/facilities/toilet/more.yaml": MO_FR_OFFICE})
    build(site, tmp_path / "out")
    features = json.loads((tmp_path / "out/data/en/toilet.geojson").read_text())["features"]
    lng, lat = next(f for f in features if f["id"] == "baidu-point")["geometry"]["coordinates"]
    # BD-09 is about 1.1 km north-east of WGS-84 in Shenzhen.
    assert (round(lng, 3), round(lat, 3)) == (114.052, 22.556)


def test_each_card_has_the_week_of_its_own_schedule(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tables of a schedule are rendered once and reused: each card must still get its own.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1758412800")  # Sunday 2025-09-21
    site = make_site({"content/facilities/toilet/more.yaml": MO_FR_OFFICE})
    build(site, tmp_path / "out")

    def week(card: str) -> str:
        html = (tmp_path / f"out/en/toilet/{card}/index.html").read_text()
        start = html.index('<details class="next-days">')
        return html[start : html.index("</details>", start)]

    office, always = week("futian-office"), week("baidu-point")
    assert '<th scope="row">2025-09-22 Mon</th><td>09:00–17:00</td>' in office
    assert '<th scope="row">2025-09-27 Sat</th><td>Closed</td>' in office
    assert '<th scope="row">2025-09-27 Sat</th><td>Open 24 hours</td>' in always


def test_once_renders_its_body_once_per_key(site: Path) -> None:
    loaded, _ = load_site(site)
    renderer = Renderer(loaded, theme_dir(site, loaded.config.theme))
    template = renderer.templates.env.from_string(
        "{% for i in [1, 2, 3, 4] %}{% call once('n', i % 2) %}{{ i }}{% endcall %}{% endfor %}"
    )
    assert template.render() == "1212"


def test_templates_call_functions_as_jinja_does(tmp_path: Path) -> None:
    # The theme's context calls plain functions directly: those that ask for the context,
    # and callable objects, must still get what Jinja gives them.
    (tmp_path / "templates").mkdir()
    env = make_environment(tmp_path)

    @jinja2.pass_context
    def where(context: jinja2.runtime.Context) -> str:
        return str(context["place"])

    class Greeter:
        def __call__(self, name: str) -> str:
            return f"hi {name}"

    def stops() -> str:
        raise StopIteration

    template = env.from_string(
        "{{ where() }}|{{ greet('x') }}|{{ upper('a<b') }}|"
        "{% for i in [1] %}{{ where() }}{{ loop.index }}{% endfor %}|{{ stops() is undefined }}"
    )
    rendered = template.render(
        place="<here>", where=where, greet=Greeter(), upper=str.upper, stops=stops
    )
    assert rendered == "&lt;here&gt;|hi x|A&lt;B|&lt;here&gt;1|True"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing() }}").render()


@pytest.mark.parametrize("enabled", [True, False])
def test_build_leaves_the_garbage_collector_as_it_was(
    site: Path, tmp_path: Path, enabled: bool
) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        build(site, tmp_path / "out")
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0  # nothing of the build held back from collection
    finally:
        gc.enable() if was else gc.disable()
