"""Problems as GitHub Actions workflow commands (``--format github``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli.problems import (
    escape_data,
    escape_property,
    format_problems,
    github_command,
    path_prefix,
)
from sitegen.errors import Mark, Problem


def test_error_command() -> None:
    problem = Problem(Mark("content/facilities/a.yaml", 9, 13), 'unknown field "x"')
    assert github_command(problem) == (
        '::error file=content/facilities/a.yaml,line=9,col=13::unknown field "x"'
    )


def test_warning_command() -> None:
    problem = Problem(Mark("content/site.yaml", 1, 1), "old setting", "warning")
    assert github_command(problem).startswith("::warning file=content/site.yaml,line=1,col=1::")


def test_message_escaping() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"


def test_property_escaping() -> None:
    assert escape_property("content/a,b:c%.yaml") == "content/a%2Cb%3Ac%25.yaml"
    problem = Problem(Mark("content/a,b.yaml", 2, 3), "x: 50%\nmore")
    assert (
        github_command(problem) == "::error file=content/a%2Cb.yaml,line=2,col=3::x: 50%25%0Amore"
    )


def test_format_problems() -> None:
    problems = [Problem(Mark("a.yaml", 1, 2), "bad")]
    assert format_problems(problems, "text") == ["a.yaml:1:2: bad"]
    assert format_problems(problems, "github") == ["::error file=a.yaml,line=1,col=2::bad"]
    with pytest.raises(ValueError):
        format_problems(problems, "json")


def test_path_prefix_for_a_project_in_a_subfolder() -> None:
    problem = Problem(Mark("content/site.yaml", 3, 1), "bad")
    assert github_command(problem, "site/").startswith("::error file=site/content/site.yaml,")


def test_path_prefix(tmp_path: Path) -> None:
    assert path_prefix(tmp_path, tmp_path) == ""
    assert path_prefix(tmp_path / "site", tmp_path) == "site/"
    assert path_prefix(tmp_path / "a" / "b", tmp_path) == "a/b/"
