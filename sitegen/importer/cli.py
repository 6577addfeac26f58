"""The ``sitegen import`` command."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_options import PROJECT, exit_on_errors
from .mapping import load_mapping
from .report import summary_lines
from .run import import_sources, write


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--mapping",
    "mapping_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The mapping file (YAML) that says how columns become card fields.",
)
@PROJECT
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file [default: the mapping's output, under content/facilities/].",
)
@click.option("--prune", is_flag=True, help="Delete cards that are no longer in the source.")
def import_command(
    sources: tuple[Path, ...],
    mapping_path: Path,
    project_dir: Path,
    dry_run: bool,
    out: Path | None,
    prune: bool,
) -> None:
    """Import SOURCES (CSV, .xlsx, JSON, GeoJSON or XML files, or folders) as name cards."""
    with exit_on_errors():
        mapping = load_mapping(mapping_path)
        result = import_sources(list(sources), mapping, project_dir, out, prune)
    if not dry_run:
        write(result)
    click.echo("\n".join(summary_lines(result.summary, str(result.output), dry_run)))
