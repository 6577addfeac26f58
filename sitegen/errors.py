"""Problems found in content, and the exceptions the CLI turns into exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Mark:
    """A place in a source file; line and column are 1-based, as editors show them."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, tied to where it was written."""

    mark: Mark
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.mark}: {prefix}{self.message}"


@dataclass
class Report:
    """Collects every problem of a run so that all of them are shown at once."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(mark, message))

    def warning(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(mark, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.mark, p.message))


class SitegenError(Exception):
    """Base of every error the CLI reports as a message and exit code 1, never a traceback."""


class ConfigError(SitegenError):
    """The project cannot be read at all (no site.yaml, unknown theme, ...)."""


class ContentError(SitegenError):
    """The content has problems; each one names its file, line and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


class BuildError(SitegenError):
    """Rendering or writing the site failed; the previous output is left as it was."""
