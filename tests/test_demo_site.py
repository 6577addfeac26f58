"""The demo city in content/: it checks clean, builds in three locales, and its HTML is valid."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.build.stages import BuildResult, build

from .conftest import REPO

VNU = REPO / "tools/node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("demo") / "public"
    return build(REPO, out), out


def test_demo_checks_without_problems_or_warnings(demo: tuple[BuildResult, Path]) -> None:
    # What `sitegen check --strict` reports (the same load and checks, test_check.py runs
    # the command itself): a build stops at the first error, and it found no warning.
    result, _ = demo
    assert result.site is not None and result.warnings == []


def test_demo_has_thousands_of_facilities_in_three_locales(
    demo: tuple[BuildResult, Path],
) -> None:
    result, out = demo
    site = result.site
    assert site.config.locales == ("zh-Hant", "zh-Hans", "en")
    counts = {c.id: len(c.facilities) for c in site.categories}
    # Every imported source gives hundreds; the parks are a short list written by hand from
    # cited pages (content/facilities/park/).
    assert len(counts) >= 3 and all(n >= 100 for k, n in counts.items() if k != "park")
    assert counts["park"] >= 3
    assert sum(counts.values()) >= 5000
    assert len(site.guides) >= 3
    # The headline question has answers: toilets with published hours, open at any hour.
    hours = [f for f in site.facilities.values() if f.category.id == "toilet" and f.hours]
    assert len(hours) >= 800 and sum(1 for f in hours if f.hours.is_always_open) >= 800
    parks = [f for f in site.facilities.values() if f.category.id == "park"]
    assert parks and all(f.hours and "fee" in f.values for f in parks)
    for facility in site.facilities.values():
        for locale in ("zh-hant", "zh-hans", "en"):
            page = out / locale / facility.category.id / facility.id / "index.html"
            assert page.is_file(), page
    features = json.loads((out / "data/en/toilet.geojson").read_text())["features"]
    assert len(features) == counts["toilet"]


def test_english_pages_show_the_publishers_english_where_it_gives_one(
    demo: tuple[BuildResult, Path],
) -> None:
    """Hong Kong publishes English and (for recycling points) Simplified Chinese: shown as given,
    not romanized or converted."""
    _, out = demo
    toilet = (out / "en/toilet/hk-toilet-7234fc/index.html").read_text()
    assert "<h1>Lin Tong Mei Public Toilet" in toilet
    assert "Food and Environmental Hygiene Department" in toilet and "蓮塘尾" not in toilet
    recycling = (out / "zh-hans/recycling/hk-recycling-1be2c6/index.html").read_text()
    # The publisher's own Simplified text, where OpenCC would write 社區 as 社区.
    assert "天耀小区中心" in recycling
    english = (out / "en/recycling/hk-recycling-1be2c6/index.html").read_text()
    assert "Jockey Club Tin Yiu Youth S.P.O.T." in english


def _sample_pages(out: Path) -> list[Path]:
    """Every kind of page in every locale: what the HTML checker looks at."""
    pages = [out / "index.html", out / "404.html"]
    for locale in ("zh-hant", "zh-hans", "en"):
        root = out / locale
        pages += [root / "index.html", root / "404.html"]
        pages += [root / "report/index.html", root / "report/mine/index.html"]
        pages += sorted(root.glob("guides/*/index.html"))
        for category in ("toilet", "drinking_water", "litter_bin", "recycling", "park"):
            pages += [root / category / "index.html"]
            pages += sorted((root / category).glob("page/*/index.html"))[:1]
            pages += sorted((root / category).glob("*-*/index.html"))[:3]
    return pages


def test_demo_pages_pass_the_nu_html_checker(demo: tuple[BuildResult, Path]) -> None:
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: run `make test`, which installs it"
    assert VNU.is_file(), f"{VNU} is missing: run `make test`, which installs it with npm"
    pages = _sample_pages(demo[1])
    assert len(pages) > 40 and all(p.is_file() for p in pages)
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]
    assert problems == []
    assert proc.returncode == 0


# Attributes through which a page loads something (links to other pages are not loads, nor
# is a preconnect to the tile server, which opens a connection and fetches nothing).
_LOADS = re.compile(
    r"<(script|img|iframe|source|audio|video|embed|object|input)\b[^>]*?\s(?:src|data)=\"([^\"]*)\""
    r"|<link\b(?![^>]*\brel=\"(?:canonical|alternate|preconnect)\")[^>]*?\shref=\"([^\"]*)\"",
    re.S,
)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


def _own(url: str, base_url: str) -> bool:
    """A URL of the site itself: relative, under its path, or ``data:``."""
    if url.startswith("data:"):
        return True
    if url.startswith("//") or re.match(r"[a-z][a-z0-9+.-]*:", url, re.I):
        return url.startswith(base_url)
    return True


def test_no_page_loads_a_font_script_or_style_from_another_host(
    demo: tuple[BuildResult, Path],
) -> None:
    result, out = demo
    assert result.site is not None
    base_url = result.site.config.base_url
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20000
    foreign = []
    for page in pages:
        html = page.read_text("utf-8")
        for match in _LOADS.finditer(html):
            url = match[2] or match[3] or ""
            if not _own(url, base_url):
                foreign.append(f"{page.relative_to(out)}: {url}")
        for imports in re.findall(r'<script type="importmap">(.*?)</script>', html, re.S):
            foreign += [
                f"{page}: {u}"
                for u in json.loads(imports)["imports"].values()
                if not _own(u, base_url)
            ]
    for sheet in out.rglob("*.css"):
        for match in _CSS_URL.finditer(sheet.read_text("utf-8")):
            if not _own(match[1] or match[2], base_url):
                foreign.append(f"{sheet.relative_to(out)}: {match[0]}")
    assert foreign == []
