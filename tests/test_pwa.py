"""Installable and offline: the manifests, icons, service worker and precache manifest."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from sitegen.build.stages import build, load_site
from sitegen.errors import BuildError
from sitegen.pipeline.config import theme_dir
from sitegen.render import precache
from sitegen.render.icons import icon_png
from sitegen.render.renderer import Renderer

from .conftest import MakeSite

SCHEMA = json.loads((Path(__file__).parent / "schemas/web-manifest.schema.json").read_text("utf-8"))
EPOCH = "1738108800"
LOCALES = ("zh-hans", "zh-hant", "en")


@pytest.fixture
def site(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site()


def worker_config(out: Path) -> dict[str, Any]:
    found = re.search(r"^const CONFIG = (\{.*\});$", (out / "sw.js").read_text("utf-8"), re.M)
    assert found, "sw.js has no injected config"
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def output_file(out: Path, url: str) -> Path:
    return out / (url + "index.html" if url.endswith("/") or not url else url)


@pytest.mark.parametrize(
    ("base_url", "base_path"),
    [(None, "/"), ("https://example.org/city/map", "/city/map/")],
)
def test_manifests_are_valid_and_honour_the_base_path(
    site: Path, tmp_path: Path, base_url: str | None, base_path: str
) -> None:
    out = tmp_path / "out"
    build(site, out, base_url=base_url)
    for locale, lang, name in (
        ("zh-hans", "zh-Hans", "深圳城市服务地图"),
        ("en", "en", "Shenzhen City Services"),
    ):
        manifest = json.loads((out / locale / "manifest.webmanifest").read_text("utf-8"))
        jsonschema.Draft4Validator(SCHEMA).validate(manifest)
        assert manifest["lang"] == lang and manifest["dir"] == "ltr"
        assert manifest["name"] == name and manifest["display"] == "standalone"
        assert manifest["start_url"] == manifest["id"] == f"{base_path}{locale}/"
        assert manifest["scope"] == base_path
        assert manifest["theme_color"] == "#0b57a4"
        sizes = set()
        for icon in manifest["icons"]:
            assert icon["src"].startswith(base_path + "assets/img/")
            path = out / icon["src"].removeprefix(base_path)
            width, height = Image.open(path).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add((icon["sizes"], icon["purpose"]))
        assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
        page = (out / locale / "index.html").read_text("utf-8")
        assert f'<link rel="manifest" href="{base_path}{locale}/manifest.webmanifest">' in page
        touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
        assert touch and Image.open(out / touch.group(1).removeprefix(base_path)).size == (180, 180)
        assert f'data-sw="{base_path}sw.js?locale={locale}"' in page
        assert f'data-scope="{base_path}"' in page
    assert (out / "sw.js").is_file()  # at the root of the base path: its scope is the site


def test_icons_are_drawn_the_same_every_time() -> None:
    first = icon_png(192, "#0b57a4")
    assert first == icon_png(192, "#0b57a4")
    assert b"tIME" not in first and b"tEXt" not in first  # no timestamps or metadata
    image = Image.open(io.BytesIO(first))
    assert image.size == (192, 192) and image.getpixel((2, 2)) == (11, 87, 164)
    # The maskable icon keeps the pin in the safe zone: its outer ring is only background.
    mask = Image.open(io.BytesIO(icon_png(512, "#0b57a4", maskable=True))).convert("RGB")
    for x, y in ((256, 40), (256, 472), (40, 256), (472, 256)):
        assert mask.getpixel((x, y)) == (11, 87, 164)


def test_precache_entries_exist_and_revisions_match(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out)
    config = worker_config(out)
    assert set(config["precache"]) == {"shared", *LOCALES}
    assert config["locales"] == list(LOCALES) and config["categories"] == ["toilet"]
    for entries in config["precache"].values():
        for entry in entries:
            content = output_file(out, entry["url"]).read_bytes()
            assert entry["revision"] == hashlib.sha256(content).hexdigest()[:16], entry["url"]
    shared = {e["url"] for e in config["precache"]["shared"]}
    assert any(re.fullmatch(r"assets/js/app\.\w+\.js", u) for u in shared)
    assert any(u.startswith("data/points/toilet.") for u in shared)
    assert any(u.startswith("data/pinyin/toilet.") for u in shared)
    assert any(u.startswith("data/hours.") for u in shared)
    assert not any("LICENSE" in u or u.endswith("package.json") for u in shared)
    en = {e["url"] for e in config["precache"]["en"]}
    assert {"en/", "en/toilet/", "en/offline/", "en/manifest.webmanifest"} <= en
    assert any(u.startswith("data/text/toilet.") for u in en)
    assert "en/toilet/futian-0001/" not in en  # name cards: cached as visited
    assert not any(u.endswith(".geojson") for u in shared | en)
    offline = (out / "en/offline/index.html").read_text("utf-8")
    assert "You are offline" in offline and 'href="/en/"' in offline
    assert "offline" not in (out / "sitemap.xml").read_text("utf-8")


def test_two_builds_give_identical_worker_and_icons(site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "a")
    build(site, tmp_path / "b")
    assert (tmp_path / "a/sw.js").read_bytes() == (tmp_path / "b/sw.js").read_bytes()
    icons = sorted(p.name for p in (tmp_path / "a/assets/img").glob("*.png"))
    assert len(icons) == 4
    for name in icons:
        a = (tmp_path / "a/assets/img" / name).read_bytes()
        assert a == (tmp_path / "b/assets/img" / name).read_bytes()


def test_a_changed_card_changes_the_worker(make_site: MakeSite, site: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "out")
    before = worker_config(tmp_path / "out")
    card = site / "content/facilities/toilet/futian-0001.yaml"
    card.write_text(card.read_text("utf-8").replace("莲花山", "荔枝公园"), "utf-8")
    build(site, tmp_path / "out")
    after = worker_config(tmp_path / "out")
    assert before["build"] != after["build"]
    old = {e["url"]: e["revision"] for e in before["precache"]["shared"]}
    kept = [e for e in after["precache"]["shared"] if old.get(e["url"]) == e["revision"]]
    assert kept and any(e["url"].startswith("assets/") for e in kept)


def test_precache_sizes_are_reported(site: Path) -> None:
    loaded, _ = load_site(site)
    renderer = Renderer(loaded, theme_dir(site, loaded.config.theme))
    for _ in renderer.render():
        pass
    assert set(renderer.precache_sizes) == {"zh-Hans", "zh-Hant", "en"}
    assert all(0 < size < 10_000_000 for size in renderer.precache_sizes.values())


def test_precache_budget(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded, _ = load_site(site)
    loaded.config = replace(loaded.config, precache_budget_mb=0.01)
    renderer = Renderer(loaded, theme_dir(site, loaded.config.theme))
    with pytest.raises(
        BuildError,
        match=r"the offline precache is over its budget of 0\.01 MB for zh-Hans 0\.\d\d MB, "
        r"zh-Hant 0\.\d\d MB, en 0\.\d\d MB: publish less data, or raise "
        r"offline\.precache_budget_mb",
    ):
        for _ in renderer.render():
            pass
    site_yaml = site / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "offline: {precache_budget_mb: 0.1}\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out/kept.txt").write_text("previous build")
    with pytest.raises(BuildError, match=r"over its budget of 0\.10 MB"):
        build(site, tmp_path / "out")
    assert (tmp_path / "out/kept.txt").is_file()  # a failed build leaves the old output


def test_files_over_two_mib_are_left_out_with_a_warning(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(precache, "MAX_PRECACHE_FILE", 2000)  # the real limit is 2 MiB
    build(site, tmp_path / "out")
    config = worker_config(tmp_path / "out")
    urls = {e["url"] for entries in config["precache"].values() for e in entries}
    large = [u for u in urls if output_file(tmp_path / "out", u).stat().st_size > 2000]
    assert large == []
    leaflet = "assets/vendor/leaflet-1.9.4/leaflet-src.esm.js"
    assert leaflet not in urls and (tmp_path / "out" / leaflet).is_file()
    assert re.search(
        f"precache: {re.escape(leaflet)} is [0-9.]+ KiB, over the limit of 2.0 KiB for one file; "
        "left out",
        caplog.text,
    )
