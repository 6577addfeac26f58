"""Problems as GitHub Actions workflow commands, so CI annotates the lines they are about.

Escaping follows the Actions runner: ``%``, CR and LF in the message; additionally ``:``
and ``,`` in property values (file names), which would otherwise end the property.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sitegen.errors import Problem

FORMATS = ("text", "github")


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (file, title, ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(problem: Problem, path_prefix: str = "") -> str:
    """``::error file=PATH,line=L,col=C::MESSAGE`` (``::warning`` for warnings); ``path_prefix``
    turns the project-relative path into a repository-relative one."""
    level = "warning" if problem.severity == "warning" else "error"
    mark = problem.mark
    path = escape_property(path_prefix + mark.path)
    props = f"file={path},line={mark.line},col={mark.col}"
    return f"::{level} {props}::{escape_data(problem.message)}"


def format_problems(
    problems: Iterable[Problem], fmt: str = "text", path_prefix: str = ""
) -> list[str]:
    """One output line per problem, as ``text`` (path:line:col: message) or ``github``."""
    if fmt == "github":
        return [github_command(p, path_prefix) for p in problems]
    if fmt == "text":
        return [str(p) for p in problems]
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def path_prefix(project_dir: Path, cwd: Path | None = None) -> str:
    """What turns a project-relative path into one relative to ``cwd`` (CI: the repository)."""
    rel = os.path.relpath(project_dir.resolve(), (cwd or Path.cwd()).resolve())
    return "" if rel == "." else Path(rel).as_posix() + "/"
