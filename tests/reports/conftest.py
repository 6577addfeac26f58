"""Fixtures of the report-service tests: a tiny site, both stores, clients, PostgreSQL.

PostgreSQL is a real server started once per session with pytest-postgresql's executor
through ``pg_ctl_as_postgres`` (PostgreSQL will not run as root; CI does). Each test that
asks for it gets a fresh database cloned from a template by pytest-postgresql's janitor.
If PostgreSQL is not installed the tests fail, never skip: ``make test`` installs it
(scripts/install-postgres).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import socket
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from psycopg import Connection
from pytest_postgresql import factories
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor
from starlette.testclient import TestClient

from sitegen.reports.app import create_app
from sitegen.reports.settings import ReportSettings, load_settings

from .helpers import HERE, SITE_YAML, STAFF_TOKEN, TOILET_CARD, TOILET_CATEGORY
from .staff_helpers import FixedClock, StaffBrowser, add_staff, write_site

PG_USER = "postgres"  # the user the server runs as when the tests run as root

# -- the site ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny valid project: three services, one toilet category, one facility."""
    root = tmp_path_factory.mktemp("report-site")
    for rel, text in {
        "content/site.yaml": SITE_YAML,
        "content/categories/toilet.yaml": TOILET_CATEGORY,
        "content/facilities/toilet/futian.yaml": TOILET_CARD,
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# -- PostgreSQL -------------------------------------------------------------------------


def find_pg_ctl() -> str | None:
    """``SITEGEN_TEST_PG_CTL`` if set, else Debian's pg_ctl (newest first), else one on PATH."""
    given = os.environ.get("SITEGEN_TEST_PG_CTL")
    if given:
        return given if os.access(given, os.X_OK) else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return found[0] if found else shutil.which("pg_ctl")


PG_CTL = find_pg_ctl()
if PG_CTL:
    os.environ["SITEGEN_TEST_PG_CTL"] = PG_CTL  # read by the wrapper in every pg_ctl call
    os.environ["SITEGEN_TEST_PG_USER"] = PG_USER


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgresql_proc() -> Iterator[PostgreSQLExecutor]:
    """One PostgreSQL server for the session, with a template database to clone per test.

    Its data lives in a folder of its own in the system temp dir, owned by the user the
    server runs as. Not under pytest's basetemp: that is private to root, and every pytest
    session that starts (other people's too) makes it private again.
    """
    if PG_CTL is None:
        pytest.fail(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): "
            "`make test` installs it, or run scripts/install-postgres"
        )
    folder = Path(tempfile.mkdtemp(prefix="sitegen-test-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, PG_USER)
    executor = PostgreSQLExecutor(
        executable=str(HERE / "pg_ctl_as_postgres"),
        host="127.0.0.1",
        port=free_port(),
        datadir=str(folder / "data"),
        unixsocketdir=str(folder),
        logfile=str(folder / "postgresql.log"),
        startparams="-w",
        dbname="reports_test",
        user="postgres",
    )
    try:
        executor.start()
        template = DatabaseJanitor(
            user=executor.user,
            host=executor.host,
            port=executor.port,
            dbname=executor.template_dbname,
            maintenance_dbname=executor.maintenance_dbname,
            as_template=True,
        )
        template.init()
        yield executor
    finally:
        if executor.running():
            executor.stop()
        shutil.rmtree(folder, ignore_errors=True)


# A fresh database per test, copied from the template (pytest-postgresql's client fixture).
postgresql = factories.postgresql("postgresql_proc")


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh, empty database on the session's PostgreSQL server."""
    conn: Connection[Any] = request.getfixturevalue("postgresql")
    info = conn.info
    return f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Run a test once with SQLite (None) and once with a real PostgreSQL (its URL)."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_url")
    return url


# -- settings, stores, clients ----------------------------------------------------------

MakeSettings = Callable[..., ReportSettings]


@pytest.fixture
def make_settings(site_dir: Path, tmp_path: Path) -> MakeSettings:
    """Settings for the tiny site with data in tmp_path; limits off unless a test sets them."""

    def make(database_url: str | None = None, **overrides: Any) -> ReportSettings:
        options: dict[str, Any] = {
            "database_url": database_url,
            "sqlite_path": tmp_path / "reports.sqlite3",
            "media_dir": tmp_path / "media",
            "staff_token": STAFF_TOKEN,
            "submit_per_minute": 0.0,
            "read_per_minute": 0.0,
        }
        options.update(overrides)
        return load_settings(site_dir, options, environ={})

    return make


@pytest.fixture
def settings(make_settings: MakeSettings) -> ReportSettings:
    return make_settings()


@pytest.fixture
def client(settings: ReportSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://testserver") as test_client:
        yield test_client


# -- the staff console ------------------------------------------------------------------

# Wednesday 2025-01-22 10:00 in Shanghai: an ordinary working day (before Spring Festival).
WEDNESDAY_10AM = dt.datetime(2025, 1, 22, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def console_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site with two toilets, departments, deadlines and working hours."""
    return write_site(tmp_path_factory.mktemp("console-site"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(WEDNESDAY_10AM)


@pytest.fixture
def console_settings(
    console_site: Path, tmp_path: Path, database_url: str | None
) -> ReportSettings:
    """Settings of the console tests, on SQLite and on PostgreSQL; cheap password hashing."""
    options: dict[str, Any] = {
        "database_url": database_url,
        "sqlite_path": tmp_path / "reports.sqlite3",
        "media_dir": tmp_path / "media",
        "submit_per_minute": 0.0,
        "read_per_minute": 0.0,
        "login_per_minute": 0.0,  # the lockout tests set it
        "password_time_cost": 1,
        "password_memory_kib": 64,
    }
    return load_settings(console_site, options, environ={})


@pytest.fixture
def console(console_settings: ReportSettings, clock: FixedClock) -> Iterator[StaffBrowser]:
    """The app at a fixed clock with its staff, and a browser-like client (https, cookies)."""
    app = create_app(console_settings, clock=clock, environ={})
    with TestClient(app, base_url="https://testserver") as test_client:
        add_staff(app.state.reports)
        yield StaffBrowser(test_client)
