"""``sitegen new``: a skeleton that checks strictly and builds at once."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitegen.build.stages import build, check
from sitegen.cli.editor import new
from sitegen.errors import Report
from sitegen.source.located import parse_yaml


def test_new_site_checks_strictly_and_builds(tmp_path: Path) -> None:
    project = tmp_path / "city"
    result = CliRunner().invoke(new, [str(project)])
    assert result.exit_code == 0, result.output
    _, warnings = check(project)
    assert warnings == []  # no warnings either: --strict passes
    built = build(project, project / "public")
    assert built.pages > 0
    for locale in ("zh-hans", "zh-hant", "en"):
        assert (project / "public" / locale / "toilet/sample-0002/index.html").is_file()
        assert (project / "public" / locale / "guides/lianhuashan/index.html").is_file()


def test_new_site_has_every_locale_and_editor_settings(tmp_path: Path) -> None:
    project = tmp_path / "city"
    CliRunner().invoke(new, [str(project)])
    site_text = (project / "content/site.yaml").read_text("utf-8")
    site = parse_yaml(site_text, "site.yaml", Report())
    assert site["locales"] == ["zh-Hans", "zh-Hant", "en"]
    assert "# " in site_text  # commented for editors
    settings = json.loads((project / ".vscode/settings.json").read_text("utf-8"))
    for schema_file in settings["yaml.schemas"]:
        assert (project / schema_file).is_file()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    result = CliRunner().invoke(new, [str(tmp_path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_accepts_an_empty_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(new, [str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "content/site.yaml").is_file()
