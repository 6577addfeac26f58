"""The ``sitegen import`` command."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.options import PROJECT, examples, exit_on_errors
from sitegen.importer.mapping import load_mapping
from sitegen.importer.report import summary_lines
from sitegen.importer.report_file import report_text
from sitegen.importer.run import import_sources, write


@click.command(
    "import",
    epilog=examples(
        "sitegen import toilets.csv --mapping data/mappings/toilets.yaml --dry-run",
        "sitegen import exports/ --mapping data/mappings/toilets.yaml --prune",
    ),
)
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
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every skipped, flagged, merged and shared-point row to FILE "
    "(.json or .csv), to fix the source by.",
)
def import_command(
    sources: tuple[Path, ...],
    mapping_path: Path,
    project_dir: Path,
    dry_run: bool,
    out: Path | None,
    prune: bool,
    report_path: Path | None,
) -> None:
    """Import SOURCES (CSV, .xlsx, JSON, GeoJSON or XML files, or folders) as name cards.

    Every value is checked as `sitegen check` checks it: a card written here passes it.
    The mapping file (per-language columns, paths into JSON, transforms) is described in
    docs/import.md.
    """
    with exit_on_errors():
        mapping = load_mapping(mapping_path)
        result = import_sources(list(sources), mapping, project_dir, out, prune)
        report = report_text(report_path, result.summary) if report_path else None
    if not dry_run:
        write(result)
    if report_path is not None and report is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report, encoding="utf-8", newline="")
    click.echo("\n".join(summary_lines(result.summary, str(result.output), dry_run)))
