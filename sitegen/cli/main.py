"""The ``sitegen`` command line: the only place that decides what a user sees."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from sitegen import __version__
from sitegen.cli.lazy import LazyGroup
from sitegen.cli.options import PROJECT, examples, exit_on_errors
from sitegen.cli.progress import BuildProgress
from sitegen.errors import ContentError, Problem, SitegenError


def _print_problems(problems: list[Problem], output_format: str = "text", prefix: str = "") -> None:
    from sitegen.cli.problems import format_problems

    # The GitHub Actions runner reads workflow commands from standard output.
    for line in format_problems(problems, output_format, prefix):
        click.echo(line, err=output_format == "text")


# The commands that live with their parts (the report endpoint's with sitegen.reports, the
# editor's, the importer's) are imported when they are called or listed: ``sitegen build``
# does not wait for the report server's modules (a third of a second).
LAZY_COMMANDS = {
    "import": "sitegen.cli.importer:import_command",
    "new": "sitegen.cli.editor:new",
    "report-server": "sitegen.cli.reports:report_server",
    "reports": "sitegen.cli.reports:reports",
    "schema": "sitegen.cli.editor:schema",
}


@click.group(
    cls=LazyGroup,
    lazy_commands=LAZY_COMMANDS,
    epilog=examples(
        "sitegen new city-map && cd city-map",
        "sitegen check --strict",
        "sitegen serve",
        "sitegen build -o public",
    ),
)
@click.version_option(__version__, prog_name="sitegen")
@click.option("-v", "--verbose", is_flag=True, help="Show debug logging.")
def main(verbose: bool) -> None:
    """Build a static, multilingual city facility map from YAML name cards and guides."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@main.command(
    epilog=examples(
        "sitegen check -C city-map",
        "sitegen check -C city-map --strict --format github   # in a CI workflow",
    )
)
@PROJECT
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="Problems as path:line:col: message, or as GitHub Actions annotations.",
)
@click.option(
    "--explain-hours",
    is_flag=True,
    help="Also show how each distinct opening-hours value was read (its OSM form, in words).",
)
def check(project_dir: Path, strict: bool, output_format: str, explain_hours: bool) -> None:
    """Check all content and report every problem as path:line:col: message."""
    from sitegen.build.stages import check as run_check
    from sitegen.cli.explain import explain_hours as explain
    from sitegen.cli.problems import path_prefix

    prefix = path_prefix(project_dir)
    with exit_on_errors(print_problems=lambda p: _print_problems(p, output_format, prefix)):
        site, warnings = run_check(project_dir)
    if explain_hours:
        for line in explain(site):
            click.echo(prefix + line)
    _print_problems(warnings, output_format, prefix)
    if strict and warnings:
        sys.exit(1)
    click.echo("No problems found." if not warnings else f"{len(warnings)} warning(s).")


@main.command(
    epilog=examples(
        "sitegen build -C city-map",
        "sitegen build -C city-map -o /srv/www/map --base-url https://example.org/map/",
        "sitegen build -C city-map --clean -j 2",
    )
)
@PROJECT
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: PROJECT/public].",
)
@click.option(
    "--base-url",
    default=None,
    help="Public address of the site, e.g. https://example.org/map/ (overrides site.yaml).",
)
@click.option(
    "--clean",
    is_flag=True,
    help="Render every page, ignoring the record of the last build into the output folder.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering pages [default: one per core].",
)
@click.option(
    "--ratings",
    "ratings_source",
    default=None,
    metavar="URL_OR_FILE",
    help="Bake place ratings into the name cards: the report server's places/ratings.json.",
)
def build(
    project_dir: Path,
    out_dir: Path | None,
    base_url: str | None,
    clean: bool,
    jobs: int | None,
    ratings_source: str | None,
) -> None:
    """Build the site into the output folder (atomically; only what changed is made again)."""
    from sitegen.build.ratings import read_ratings
    from sitegen.build.stages import build as run_build

    out = out_dir or project_dir / "public"
    shown = BuildProgress(sys.stderr, sys.stderr.isatty())
    with exit_on_errors("; the previous output was left as it was"):
        ratings = read_ratings(ratings_source) if ratings_source else None
        result = run_build(
            project_dir,
            out,
            base_url,
            shown.pages,
            clean=clean,
            jobs=jobs,
            stage_done=shown.stage,
            ratings=ratings,
        )
    _print_problems(result.warnings)
    stats = result.stats
    if result.up_to_date:
        click.echo(
            f"Nothing changed since the last build: {out} is up to date "
            f"({result.pages} pages, checked in {result.seconds:.2f} s)"
        )
        return
    # A rate says something of a build that rendered every page, not of a one-card edit.
    rate = result.rendered / max(result.seconds, 1e-9)
    speed = f" ({rate:.0f} pages/s)" if result.rendered == result.pages else ""
    click.echo(
        f"Built {result.pages} pages ({result.rendered} rendered; {result.files} files, "
        f"{stats.written} written, {stats.unchanged} unchanged) in {result.seconds:.2f} s"
        f"{speed} into {out}"
    )
    offline = ", ".join(f"{loc} {size / 1e6:.2f} MB" for loc, size in result.precache_bytes.items())
    if offline:
        click.echo(f"Offline precache per locale: {offline}")


@main.command(
    epilog=examples(
        "sitegen serve -C city-map",
        "sitegen serve -C city-map --port 8080 --no-reload",
    )
)
@PROJECT
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-reload", is_flag=True, help="Do not reload browsers after a rebuild.")
def serve(project_dir: Path, host: str, port: int, no_reload: bool) -> None:
    """Build the site, serve it locally and rebuild when content changes."""
    from sitegen.serve.devserver import serve as run_serve

    try:
        run_serve(project_dir, host, port, reload=not no_reload)
    except ContentError as exc:
        _print_problems(exc.problems)
        sys.exit(1)
    except SitegenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@main.command(
    epilog=examples(
        "sitegen build -C city-map && sitegen preview -C city-map",
        "sitegen preview -C city-map -d /srv/www/map --port 8080",
    )
)
@PROJECT
@click.option(
    "-d",
    "--dir",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built folder [default: PROJECT/public].",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def preview(project_dir: Path, site_dir: Path | None, host: str, port: int) -> None:
    """Serve a built site as deploy/nginx.conf and deploy/Caddyfile do (headers, .br/.gz, 404)."""
    from sitegen.serve.production import base_path_of, production_server

    root = site_dir or project_dir / "public"
    base = base_path_of(root)
    if base is None:
        click.echo(f"error: {root}: no built site here (no _headers); run sitegen build", err=True)
        sys.exit(1)
    server = production_server(root, host, port)
    click.echo(f"Serving {root} at http://{host}:{server.server_address[1]}{base} (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def run() -> None:
    """The ``sitegen`` program (the console script): ``main``, then a quick exit.

    After a city's build the interpreter would spend a second freeing millions of objects one
    by one on the way out; everything is written and closed by then, so the process ends at
    once instead (output flushed first). Tests call ``main`` and are not affected.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"), as Python itself would show it
            print(exc.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
