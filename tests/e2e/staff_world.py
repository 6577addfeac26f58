"""The world of the staff console's browser tests: the e2e site built with its report
endpoint on a loopback port, and the report server on that port with a fixed clock, its
staff, departments and deadlines, on SQLite or on a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from sitegen.build.stages import build
from sitegen.reports.app import create_app
from sitegen.reports.context import ReportsContext
from sitegen.reports.settings import ReportSettings, load_settings
from sitegen.serve.static import SiteServer, static_server

from ..reports.helpers import served
from ..reports.staff_helpers import PASSWORD, FixedClock, add_staff
from .conftest import SITE, TileHandler, _serve

EPOCH = "1737504000"  # as conftest: hours compiled from 2025-01-22
WEDNESDAY_10AM = dt.datetime(2025, 1, 22, 2, 0, tzinfo=dt.UTC)
REPORTS_YAML = """\
departments:
  - code: sanitation
    name: {zh-Hans: 环卫所, en: Sanitation office}
    services: [toilet_dirty, toilet_broken]
  - code: water
    name: {zh-Hans: 供水所, en: Water works}
    services: [water_not_working]
deadlines: {default: 40, toilet_dirty: 8}
"""
__all__ = ["PASSWORD", "StaffWorld", "built_site", "running_server"]


@dataclass
class StaffWorld:
    project: Path
    site: str  # the site's base URL, with a trailing slash
    server: str  # the report server's root, with a trailing slash
    settings: ReportSettings
    clock: FixedClock
    ctx: ReportsContext | None = None

    @property
    def api(self) -> str:
        return self.server + "open311/v2/"

    def page_url(self, path: str) -> str:
        return self.site + path.lstrip("/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def built_site(root: Path) -> Iterator[tuple[Path, str, int]]:
    """The e2e site with its tiles and endpoint on loopback; yields (project, site URL, port)."""
    project = root / "site"
    shutil.copytree(SITE, project)
    (project / "reports.yaml").write_text(REPORTS_YAML, "utf-8")
    tile_server = SiteServer(("127.0.0.1", 0), TileHandler)
    tiles = _serve(tile_server)
    out = root / "public"
    site_server = static_server(out)
    site = _serve(site_server) + "/"
    port = _free_port()
    api = f"http://127.0.0.1:{port}/open311/v2/"
    template = (project / "content/site.yaml.in").read_text("utf-8")
    text = template.replace("TILE_URL", f"{tiles}/{{z}}/{{x}}/{{y}}.png")
    text = text.replace("https://reports.map.example.org/open311/v2/", api)
    # The server links name cards by site.yaml's base_url: the test's own site.
    text = text.replace("base_url: https://map.example.org/", f"base_url: {site}")
    (project / "content/site.yaml").write_text(text, "utf-8")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(project, out, base_url=site)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    try:
        yield project, site, port
    finally:
        for httpd in (site_server, tile_server):
            httpd.shutdown()
            httpd.server_close()


@contextmanager
def postgres_database(proc: PostgreSQLExecutor, name: str) -> Iterator[str]:
    janitor = DatabaseJanitor(
        user=proc.user,
        host=proc.host,
        port=proc.port,
        dbname=name,
        template_dbname=proc.template_dbname,
    )
    janitor.init()
    try:
        yield f"postgresql://{proc.user}@{proc.host}:{proc.port}/{name}"
    finally:
        janitor.drop()


@contextmanager
def running_server(
    project: Path, site: str, port: int, root: Path, database_url: str | None
) -> Iterator[StaffWorld]:
    """The report server on the port the site's pages post to, until the block ends."""
    settings = load_settings(
        project,
        {
            "database_url": database_url,
            "sqlite_path": root / "reports.sqlite3",
            "media_dir": root / "media",
            "allowed_origins": (site.rstrip("/"),),
            "submit_per_minute": 0.0,
            "read_per_minute": 0.0,
            "login_per_minute": 0.0,
            "password_time_cost": 1,
            "password_memory_kib": 64,
        },
        environ={},
    )
    clock = FixedClock(WEDNESDAY_10AM)
    app = create_app(settings, clock=clock, environ={})
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    try:
        with served(app, sock):
            ctx: ReportsContext = app.state.reports
            add_staff(ctx, "sz-test")
            yield StaffWorld(project, site, f"http://127.0.0.1:{port}/", settings, clock, ctx)
    finally:
        sock.close()
