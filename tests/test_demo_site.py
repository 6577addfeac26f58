"""The demo city in content/: it checks clean, builds in three locales, and its HTML is valid."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.build import BuildResult, build
from sitegen.cli import main

from .conftest import REPO

VNU = REPO / "tools/node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("demo") / "public"
    return build(REPO, out), out


def test_demo_checks_without_problems_or_warnings() -> None:
    result = CliRunner().invoke(main, ["check", "--strict", "-C", str(REPO)])
    assert (result.exit_code, result.output) == (0, "No problems found.\n")


def test_demo_has_thousands_of_facilities_in_three_locales(
    demo: tuple[BuildResult, Path],
) -> None:
    result, out = demo
    site = result.site
    assert site.config.locales == ("zh-Hant", "zh-Hans", "en")
    counts = {c.id: len(c.facilities) for c in site.categories}
    assert len(counts) >= 3 and all(n >= 100 for n in counts.values())
    assert sum(counts.values()) >= 5000
    assert len(site.guides) >= 2
    for facility in site.facilities.values():
        for locale in ("zh-hant", "zh-hans", "en"):
            page = out / locale / facility.category.id / facility.id / "index.html"
            assert page.is_file(), page
    features = json.loads((out / "data/en/toilet.geojson").read_text())["features"]
    assert len(features) == counts["toilet"]


def _sample_pages(out: Path) -> list[Path]:
    """Every kind of page in every locale: what the HTML checker looks at."""
    pages = [out / "index.html", out / "404.html"]
    for locale in ("zh-hant", "zh-hans", "en"):
        root = out / locale
        pages += [root / "index.html", root / "404.html"]
        pages += [root / "report/index.html", root / "report/mine/index.html"]
        pages += sorted(root.glob("guides/*/index.html"))
        for category in ("toilet", "drinking_water", "litter_bin"):
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
