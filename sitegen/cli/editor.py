"""Editor tooling commands (``sitegen schema``, ``sitegen new``), registered by ``cli.main``."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.options import PROJECT, examples, exit_on_errors


@click.command(
    epilog=examples(
        "sitegen schema -C city-map",
        "sitegen schema -C city-map -o .vscode/schemas",
    )
)
@PROJECT
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: PROJECT/schemas].",
)
def schema(project_dir: Path, out_dir: Path | None) -> None:
    """Write JSON Schemas of site.yaml, categories, name cards and guides for editors."""
    from sitegen.editor.schemas import write_schemas

    with exit_on_errors("; no schema written"):
        written = write_schemas(project_dir, out_dir or project_dir / "schemas")
    for path in written:
        click.echo(str(path))


@click.command(epilog=examples("sitegen new city-map"))
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def new(target: Path) -> None:
    """Create a new site project in TARGET (a new or empty folder)."""
    from sitegen.editor.skeleton import create_site

    with exit_on_errors():
        written = create_site(target)
    click.echo(f"Created {len(written)} files in {target}. Next:")
    click.echo(f"  sitegen check -C {target} --strict")
    click.echo(f"  sitegen serve -C {target}")
