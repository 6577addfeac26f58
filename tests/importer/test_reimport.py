"""Re-import: hand edits survive, untouched fields update, conflicts and gone cards are reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from sitegen.cli.importer import import_command

MAPPING = """\
category: drinking_water
output: drinking_water/test.yaml
id: {prefix: t-water, key: [name, location]}
location: {lng: lng, lat: lat}
fields:
  name: {column: name}
  address: {column: address}
  phone: {column: phone}
"""
FIRST = """\
name,lat,lng,address,phone
Park,25.03,121.56,1 Park Rd,2222
Station,25.047,121.517,9 Station Sq,3333
Library,25.04,121.55,5 Book St,4444
"""


def _run(project: Path, csv_text: str, *extra: str) -> Result:
    (project / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    (project / "water.csv").write_text(csv_text, encoding="utf-8")
    args = [str(project / "water.csv"), "--mapping", str(project / "mapping.yaml")]
    return CliRunner().invoke(
        import_command, [*args, "-C", str(project), *extra], catch_exceptions=False
    )


def _output(project: Path) -> Path:
    return project / "content" / "facilities" / "drinking_water" / "test.yaml"


def _cards(project: Path) -> dict[str, dict[str, Any]]:
    cards = yaml.safe_load(_output(project).read_text(encoding="utf-8"))
    return {card["name"]: card for card in cards}


def test_dry_run_writes_nothing(project: Path) -> None:
    result = _run(project, FIRST, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output and "would be new 3" in result.output
    assert not (project / "content" / "facilities").exists()


def test_first_import_writes_cards_and_state(project: Path) -> None:
    result = _run(project, FIRST)
    assert result.exit_code == 0, result.output
    assert list(_cards(project)) == ["Park", "Station", "Library"]
    state = project / "content" / "facilities" / ".import-state" / "drinking_water" / "test.json"
    assert state.is_file()
    before = _output(project).read_bytes(), state.read_bytes()
    assert "unchanged 3" in _run(project, FIRST).output
    assert (_output(project).read_bytes(), state.read_bytes()) == before  # deterministic


def test_hand_edits_survive_a_reimport(project: Path) -> None:
    _run(project, FIRST)
    text = _output(project).read_text(encoding="utf-8")
    # The editor fixes Park's address, fixes Station's phone and adds a description.
    text = text.replace("address: 1 Park Rd", "address: 1 Park Road (north gate)")
    text = text.replace("phone: '3333'", "phone: '3333-1'")
    text = text.replace("  phone: '4444'\n", "  phone: '4444'\n  description: Ask at the desk\n")
    _output(project).write_text(text, encoding="utf-8")
    # The newer export changes Park's phone (untouched), Station's phone (edited: conflict)
    # and drops the library.
    newer = FIRST.replace(",2222", ",2299").replace(",3333", ",3399")
    newer = "\n".join(line for line in newer.splitlines() if "Library" not in line) + "\n"
    result = _run(project, newer)
    assert result.exit_code == 0, result.output
    cards = _cards(project)
    assert cards["Park"]["address"] == "1 Park Road (north gate)"  # hand edit kept
    assert cards["Park"]["phone"] == "2299"  # untouched field updated
    assert cards["Station"]["phone"] == "3333-1"  # edited and changed in the source: kept
    assert "conflicts: 1" in result.output
    assert "phone: editor wrote '3333-1', source now '3399'" in result.output
    assert cards["Library"]["description"] == "Ask at the desk"  # gone, but not deleted
    assert "cards gone from the source: 1" in result.output
    pruned = _run(project, newer, "--prune")
    assert "Library" not in _cards(project) and "pruned 1" in pruned.output


def test_cards_added_by_hand_are_kept(project: Path) -> None:
    _run(project, FIRST)
    with _output(project).open("a", encoding="utf-8") as file:
        file.write("\n- id: mine-1\n  category: drinking_water\n  name: Mine\n")
        file.write("  location: [121.5, 25.0]\n")
    result = _run(project, FIRST, "--prune")
    assert "Mine" in _cards(project) and "cards gone from the source: 0" in result.output
