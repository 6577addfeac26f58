"""Command-line options shared by every ``sitegen`` command module."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from sitegen.errors import ContentError, Problem, SitegenError

PROJECT = click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The site project folder (holds content/).",
)


@contextmanager
def exit_on_errors(
    after: str = "", print_problems: Callable[[list[Problem]], None] | None = None
) -> Iterator[None]:
    """Turn sitegen's errors into the CLI contract: messages on stderr, exit code 1.

    Content problems are printed one per line, then ``N problem(s) found{after}.``; any
    other ``SitegenError`` as ``error: message``. Never a traceback for bad input.
    """
    try:
        yield
    except ContentError as exc:
        if print_problems is not None:
            print_problems(exc.problems)
        else:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found{after}.", err=True)
        sys.exit(1)
    except SitegenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def examples(*commands: str) -> str:
    """A command's help epilog: ``Examples:`` and each command on its own line, unwrapped."""
    lines = "\n".join(f"  {command}" for command in commands)
    return f"Examples:\n\n\b\n{lines}"
