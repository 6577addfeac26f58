"""``sitegen report-server``: run the Open311 endpoint and the staff console."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import click

from sitegen.cli.reports_common import errors, examples, store_options
from sitegen.errors import ConfigError
from sitegen.reports.settings import ReportSettings, load_settings
from sitegen.reports.store.base import ReportStore


@click.command(
    "report-server",
    epilog=examples(
        "sitegen report-server -C city-map --port 8311",
        "sitegen report-server --config reports-server.yaml",
        "sitegen report-server -C city-map --public-url https://reports.example.org "
        "--trusted-proxy 127.0.0.1",
        "sitegen report-server -C city-map --host 0.0.0.0 --public-url http://10.0.0.5:8311 "
        "--header-timeout 5 --body-timeout 120",
    ),
)
@store_options
@click.option(
    "--also-project",
    "more_projects",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Another site project served as its own jurisdiction (repeatable).",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@click.option("--port", default=8311, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--media",
    "media_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for photos [default: PROJECT/.reports/media].",
)
@click.option(
    "--allow-origin",
    "allowed_origins",
    multiple=True,
    help="A web origin allowed to post reports (repeatable) [default: site.yaml base_url].",
)
@click.option(
    "--public-url",
    default=None,
    help="Address citizens reach this service at, for photo links "
    "[default: http://HOST:PORT; required with --host 0.0.0.0 or ::].",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    help="Address or network of a reverse proxy whose X-Forwarded-For is believed "
    "(repeatable) [default: none].",
)
@click.option(
    "--header-timeout",
    type=float,
    default=None,
    help="Seconds a request line and headers may take to arrive [default: 10].",
)
@click.option(
    "--body-timeout",
    type=float,
    default=None,
    help="Seconds a whole request body may take to arrive [default: 300].",
)
@click.option(
    "--submit-per-minute",
    type=float,
    default=None,
    help="Reports per client and minute after a burst of 10 (0: no limit) [default: 10].",
)
@click.option("--no-bounds-check", is_flag=True, help="Accept places outside map.bounds.")
@click.option(
    "--access-log/--no-access-log", default=True, show_default=True, help="Log every request."
)
def report_server(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    more_projects: tuple[Path, ...],
    host: str,
    port: int,
    media_dir: Path | None,
    allowed_origins: tuple[str, ...],
    public_url: str | None,
    trusted_proxies: tuple[str, ...],
    header_timeout: float | None,
    body_timeout: float | None,
    submit_per_minute: float | None,
    no_bounds_check: bool,
    access_log: bool,
) -> None:
    """Serve the Open311 GeoReport v2 endpoint and the staff console (/staff/)."""
    import uvicorn

    from sitegen.reports.app import create_app
    from sitegen.reports.serving import server_config

    logging.getLogger("sitegen.reports").setLevel(logging.INFO)
    with errors():
        settings = load_settings(
            project_dir,
            {
                "database_url": database_url,
                "sqlite_path": sqlite_path,
                "config_file": config_file,
                "more_projects": more_projects or None,
                "media_dir": media_dir,
                "allowed_origins": allowed_origins or None,
                "public_url": public_url,
                "trusted_proxies": trusted_proxies or None,
                "header_timeout": header_timeout,
                "body_timeout": body_timeout,
                "submit_per_minute": submit_per_minute,
                "enforce_bounds": False if no_bounds_check else None,
            },
        )
        settings = _with_public_url(settings, host, port)
        app = create_app(settings)
        _check_store(settings, app.state.reports.store)
    config = server_config(app, settings, host, port, log_level="info", access_log=access_log)
    uvicorn.Server(config).run()


def _with_public_url(settings: ReportSettings, host: str, port: int) -> ReportSettings:
    """Photo links need the address citizens reach; never the Host header of a request."""
    if settings.public_url:
        return settings
    if host in ("0.0.0.0", "::", ""):
        raise ConfigError(
            f"--public-url: listening on {host or 'every address'}, give the address "
            "citizens reach this service at (https://reports.example.org), for photo links"
        )
    shown = f"[{host}]" if ":" in host else host
    return replace(settings, public_url=f"http://{shown}:{port}")


def _check_store(settings: ReportSettings, store: ReportStore) -> None:
    # Fail here with a message rather than in the server's startup with a traceback.
    store.open()
    store.close()
    where = "PostgreSQL" if settings.database_url else str(settings.sqlite_file)
    click.echo(f"reports are stored in {where}, photos in {settings.media_path}", err=True)
