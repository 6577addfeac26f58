"""``sitegen reports users …`` and ``sitegen reports audit``: accounts from the command line,
passwords never on it, every change in the audit log."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitegen.cli.reports import reports
from sitegen.reports.passwords import Passwords
from sitegen.reports.settings import ReportSettings, load_settings
from sitegen.reports.store.accounts import StaffDirectory

from .helpers import open_store

ENV = {"SITEGEN_REPORTS_PASSWORD_TIME_COST": "1", "SITEGEN_REPORTS_PASSWORD_MEMORY_KIB": "64"}


def settings_of(site: Path, tmp_path: Path) -> ReportSettings:
    return load_settings(site, {"sqlite_path": tmp_path / "r.sqlite3"}, environ={})


def run(
    settings: ReportSettings, *args: str, password: str | None = None, stdin: str | None = None
) -> tuple[int, str, str]:
    command, *rest = args
    place = ["-C", str(settings.project_dir), "--sqlite", str(settings.sqlite_file)]
    env = dict(ENV)
    if password is not None:
        env["SITEGEN_REPORTS_NEW_PASSWORD"] = password
    argv = (
        [command, *rest[:1], *place, *rest[1:]] if command == "users" else [command, *place, *rest]
    )
    result = CliRunner().invoke(reports, argv, env=env, input=stdin)
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_accounts_from_the_command_line(console_site: Path, tmp_path: Path) -> None:
    s = settings_of(console_site, tmp_path)
    code, out, _ = run(
        s,
        "users",
        "add",
        "wang",
        "--role",
        "handler",
        "--department",
        "sanitation",
        password="a long password 1",
    )
    assert (code, out.strip()) == (0, "wang: handler of sz-demo (sanitation)")
    code, out, _ = run(
        s,
        "users",
        "add",
        "mei",
        "--role",
        "supervisor",
        "--display-name",
        "Mei Lin",
        stdin="another password 2\nanother password 2\n",
    )
    assert code == 0
    code, out, _ = run(s, "users", "list")
    assert out.splitlines() == [
        "mei                  active    Mei Lin              sz-demo:supervisor",
        "wang                 active    wang                 sz-demo:handler/sanitation",
    ]
    store = open_store(s)
    try:
        wang = StaffDirectory(store).find("wang")
        assert wang is not None and wang.password_hash.startswith("$argon2id$")
        assert Passwords(time_cost=1, memory_kib=64).verify(wang.password_hash, "a long password 1")
    finally:
        store.close()
    assert run(s, "users", "disable", "wang")[1].strip() == "wang: disabled"
    assert "disabled" in run(s, "users", "list")[1]
    assert (
        run(s, "users", "passwd", "wang", password="a new password 3")[1].strip()
        == "wang: new password set"
    )
    assert (
        run(s, "users", "grant", "wang", "--role", "viewer")[1].strip() == "wang: viewer of sz-demo"
    )
    assert run(s, "users", "revoke", "mei")[1].strip() == "mei: no role in sz-demo"
    code, out, _ = run(s, "audit", "--limit", "10")
    actions = [line.split()[3] for line in out.splitlines()]
    assert actions == [
        "user_revoke",
        "user_grant",
        "user_passwd",
        "user_disable",
        "user_add",
        "user_add",
    ]
    assert all(line.split()[2].startswith("cli:") for line in out.splitlines())


def test_account_mistakes_are_messages(console_site: Path, tmp_path: Path) -> None:
    s = settings_of(console_site, tmp_path)
    add = ("users", "add", "wang", "--role", "handler")
    assert (
        run(s, *add, password="short")[2].strip()
        == "error: a password needs at least 12 characters"
    )
    assert run(s, *add, "--department", "parks", password="a long password 1")[2].strip() == (
        'error: unknown department "parks" of sz-demo; known: sanitation, repairs'
    )
    assert run(s, *add, password="a long password 1")[0] == 0
    assert (
        run(s, *add, password="a long password 1")[2].strip()
        == 'error: the user "wang" exists already'
    )
    assert run(s, "users", "add", "Wang Wei", "--role", "viewer", password="a long password 1")[
        2
    ].strip() == (
        'error: "Wang Wei" is not a user name: use 2 to 40 lower-case letters, digits, '
        '".", "-", "_"'
    )
    assert run(s, "users", "disable", "nobody")[2].strip() == 'error: no user "nobody"'
    assert run(s, "users", "passwd", "wang", password="wang")[2].strip() == (
        "error: a password needs at least 12 characters"
    )
    assert run(s, "users", "passwd", "wang", password="aaaaaaaaaaaaaaaa")[2].strip() == (
        "error: choose a password that is not the user name or one repeated character"
    )
