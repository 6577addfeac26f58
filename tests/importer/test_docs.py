"""docs/import.md shows the real mapping files the tests run, not copies that drift."""

from __future__ import annotations

import re

from .conftest import EXTRACTS, FIXTURES, REPO

_FIXTURE = re.compile(r"<!-- fixture: (\S+) -->\n```yaml\n(.*?)```\n", re.S)


def test_every_worked_example_is_the_tested_mapping_file() -> None:
    text = (REPO / "docs" / "import.md").read_text("utf-8")
    shown = {path: body for path, body in _FIXTURE.findall(text)}
    mappings = {f"tests/fixtures/import/mappings/{name}.yaml" for name in EXTRACTS}
    # every extract but the FEHD register (a second GeoJSON) is a worked example
    assert set(shown) == mappings - {"tests/fixtures/import/mappings/hk_fehd_toilets.yaml"}
    for path, body in shown.items():
        assert body == (REPO / path).read_text("utf-8"), path
    assert all((FIXTURES / "mappings" / f"{name}.yaml").is_file() for name in EXTRACTS)
