"""Command-line options shared by every ``sitegen`` command module."""

from __future__ import annotations

from pathlib import Path

import click

PROJECT = click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The site project folder (holds content/).",
)
