"""Fixtures of the importer tests: the real demo sources, the real extracts of
tests/fixtures/import/, and a small project of one's own."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen.build.stages import check
from sitegen.errors import ContentError
from sitegen.importer.mapping import load_mapping
from sitegen.importer.run import Result, import_sources, write

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "data" / "sources"
MAPPINGS = REPO / "data" / "mappings"
TPE = SOURCES / "taipei_2015"

DEMO = {
    "toilet/taipei.yaml": ("taipei_toilets.yaml", [TPE / "taipeiToilet.xml"]),
    "toilet/kaohsiung.yaml": ("kaohsiung_toilets.yaml", [SOURCES / "kaohsiung_toilets.json"]),
    "drinking_water/taipei.yaml": ("taipei_water.yaml", [TPE / "water_big5.csv"]),
    # a shell's glob order (1, 10, 11, 12, 2, ...) on purpose: the importer sorts naturally
    "litter_bin/taipei.yaml": ("taipei_bins.yaml", sorted(TPE.glob("trash_can*.csv"))),
    "toilet/hong-kong.yaml": (
        "hk_fehd_toilets.yaml",
        [SOURCES / "hk_fehd_2023" / "fehd_facilities_2023-03-14.geojson"],
    ),
    "recycling/hong-kong.yaml": (
        "hk_epd_recycling.yaml",
        [SOURCES / "hk_epd_2022" / "wasteless.csv"],
    ),
}


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """One dry import of each demo source (output in a temp dir), by output path."""
    out = tmp_path_factory.mktemp("demo")
    results = {}
    for rel, (mapping, sources) in DEMO.items():
        results[rel] = import_sources(sources, load_mapping(MAPPINGS / mapping), REPO, out / rel)
    return results


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the demo's site.yaml and categories and no facilities yet."""
    (tmp_path / "content").mkdir()
    shutil.copy(REPO / "content" / "site.yaml", tmp_path / "content" / "site.yaml")
    shutil.copytree(REPO / "content" / "categories", tmp_path / "content" / "categories")
    return tmp_path


FIXTURES = REPO / "tests" / "fixtures" / "import"
# The real extracts (tests/fixtures/import/README.md): mapping file -> source file.
EXTRACTS = {
    "hk_kmb_bus_stops": "hk_kmb_bus_stops.json",
    "hk_epd_wasteless": "hk_epd_wasteless.csv",
    "hk_lcsd_basketball_courts": "hk_lcsd_basketball_courts.geojson",
    "hk_fehd_toilets": "hk_fehd_facilities.geojson",
    "tw_taipei_toilets_per_stall": "tw_taipei_toilets_per_stall.csv",
    "amap_haikou_toilets": "amap_haikou_toilets.json",
    "amap_shenzhen_bars": "amap_shenzhen_poi_page.json",
}


@dataclass
class Imported:
    """The fixture project after every real extract was imported into it and written."""

    project: Path
    results: dict[str, Result]
    check: list[str]  # what `sitegen check` said about the project: nothing, or problems

    def cards(self, name: str) -> list[dict[str, Any]]:
        """The cards one import wrote, as plain YAML."""
        cards: list[dict[str, Any]] = yaml.safe_load(self.results[name].output.read_text("utf-8"))
        return cards


def import_extract(name: str, project: Path) -> Result:
    """Import one real extract into a project, the way `sitegen import` does (written)."""
    mapping = load_mapping(FIXTURES / "mappings" / f"{name}.yaml")
    result = import_sources([FIXTURES / EXTRACTS[name]], mapping, project)
    write(result)
    return result


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """Every real extract imported into a copy of the fixture project, then checked."""
    project = tmp_path_factory.mktemp("extracts") / "project"
    shutil.copytree(FIXTURES / "project", project)
    results = {name: import_extract(name, project) for name in EXTRACTS}
    try:
        check(project)
        problems: list[str] = []
    except ContentError as exc:
        problems = [str(problem) for problem in exc.problems]
    return Imported(project, results, problems)
