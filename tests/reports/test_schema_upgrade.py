"""An existing database of the first schema is upgraded in place: its reports are kept and
given to the server's (first) jurisdiction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from starlette.testclient import TestClient

from sitegen.reports.app import create_app
from sitegen.reports.settings import load_settings
from sitegen.reports.store.migrations import MIGRATIONS

from .helpers import API


def test_a_first_schema_database_is_upgraded(console_site: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0].format(serial="INTEGER", real="REAL", time="TEXT"))
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.execute(
            "INSERT INTO reports (ticket, fingerprint, service_code, status, description,"
            " attributes, locale, requested_at, updated_at) VALUES ('SZ-2412-AAA001', 'f',"
            " 'toilet_dirty', 'resolved', 'old', '{}', 'zh-Hans',"
            " '2024-12-01T00:00:00.000000Z', '2024-12-02T00:00:00.000000Z')"
        )
    settings = load_settings(
        console_site, {"sqlite_path": path, "media_dir": tmp_path / "m"}, environ={}
    )
    with TestClient(create_app(settings, environ={})) as client:
        (found,) = client.get(f"{API}requests/SZ-2412-AAA001.json").json()
        assert (found["status"], found["expected_datetime"]) == ("closed", None)
        store = client.app.state.reports.store  # type: ignore[attr-defined]
        assert store.get("SZ-2412-AAA001").jurisdiction == "sz-demo"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone() == (
            len(MIGRATIONS),
        )
