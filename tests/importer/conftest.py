"""Fixtures of the importer tests: the real demo sources, and a small project of one's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.importer.mapping import load_mapping
from sitegen.importer.run import Result, import_sources

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
