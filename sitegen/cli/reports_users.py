"""``sitegen reports users …`` and ``sitegen reports audit``: staff accounts, run by the
city's administrator on the machine with the database.

Passwords are typed at a hidden prompt (twice), or, for scripts, given in
``SITEGEN_REPORTS_NEW_PASSWORD``: never on the command line, where every user of the
machine could read it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from sitegen.cli.reports_common import (
    Reports,
    errors,
    examples,
    fail,
    jurisdiction_option,
    open_reports,
    store_options,
)
from sitegen.reports.cases.roles import ROLES
from sitegen.reports.passwords import Passwords, check_new_password
from sitegen.reports.store.accounts import AccountError, StaffDirectory

PASSWORD_VARIABLE = "SITEGEN_REPORTS_NEW_PASSWORD"


def _new_password(username: str) -> str:
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = click.prompt(
            f"New password for {username}", hide_input=True, confirmation_prompt=True
        )
    try:
        check_new_password(password, username)
    except ValueError as exc:
        fail(str(exc))
    return password


def _hasher(r: Reports) -> Passwords:
    s = r.settings
    return Passwords(time_cost=s.password_time_cost, memory_kib=s.password_memory_kib)


def _department(r: Reports, jurisdiction_id: str, department: str | None) -> str | None:
    if department is None:
        return None
    j = r.jurisdictions[jurisdiction_id]
    if j.department(department) is None:
        known = ", ".join(d.code for d in j.departments) or "none configured"
        fail(f'unknown department "{department}" of {j.id}; known: {known}')
    return department


@click.group(
    epilog=examples("sitegen reports users add mei --role supervisor", "sitegen reports users list")
)
def users() -> None:
    """Staff accounts of the console: add, list, grant, revoke, disable, enable, passwd."""


@users.command(
    "add", epilog=examples("sitegen reports users add wang --role handler --department sanitation")
)
@store_options
@jurisdiction_option
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="Role in the jurisdiction.")
@click.option("--department", default=None, help="A handler's department (its cases only).")
@click.option("--display-name", default=None, help="The name the console shows.")
def add_user(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    jurisdiction_id: str | None,
    username: str,
    role: str,
    department: str | None,
    display_name: str | None,
) -> None:
    """Add a staff account with a role in a jurisdiction; asks for its password."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        j = r.jurisdiction(jurisdiction_id)
        dept = _department(r, j.id, department)
        password = _new_password(username)
        accounts = StaffDirectory(r.store)
        accounts.add(username, display_name or username, _hasher(r).hash(password))
        accounts.grant(username, j.id, role, dept)
        r.audit(j.id, "user_add", detail={"user": username, "role": role, "department": dept})
        click.echo(f"{username}: {role} of {j.id}" + (f" ({dept})" if dept else ""))


@users.command(
    "grant",
    epilog=examples("sitegen reports users grant mei --role supervisor --jurisdiction gz-demo"),
)
@store_options
@jurisdiction_option
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="Role in the jurisdiction.")
@click.option("--department", default=None, help="A handler's department (its cases only).")
def grant(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    jurisdiction_id: str | None,
    username: str,
    role: str,
    department: str | None,
) -> None:
    """Give an existing account a role (or another role) in a jurisdiction."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        j = r.jurisdiction(jurisdiction_id)
        dept = _department(r, j.id, department)
        StaffDirectory(r.store).grant(username, j.id, role, dept)
        r.audit(j.id, "user_grant", detail={"user": username, "role": role, "department": dept})
        click.echo(f"{username}: {role} of {j.id}")


@users.command("revoke", epilog=examples("sitegen reports users revoke wang"))
@store_options
@jurisdiction_option
@click.argument("username")
def revoke(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    jurisdiction_id: str | None,
    username: str,
) -> None:
    """Take an account's role in a jurisdiction away."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        j = r.jurisdiction(jurisdiction_id)
        StaffDirectory(r.store).revoke(username, j.id)
        r.audit(j.id, "user_revoke", detail={"user": username})
        click.echo(f"{username}: no role in {j.id}")


@users.command("list", epilog=examples("sitegen reports users list"))
@store_options
def list_users(
    project_dir: Path, config_file: Path | None, database_url: str | None, sqlite_path: Path | None
) -> None:
    """Every account: name, state and roles."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        now = r.store.now()
        for user in StaffDirectory(r.store).users():
            state = "disabled" if user.disabled else "locked" if user.locked(now) else "active"
            grants = ", ".join(
                f"{jid}:{g.role}" + (f"/{g.department}" if g.department else "")
                for jid, g in user.grants.items()
            )
            click.echo(f"{user.username:<20} {state:<9} {user.display_name:<20} {grants or '-'}")


def _change(
    username: str, action: str, r: Reports, change: str, value: object | None = None
) -> None:
    accounts = StaffDirectory(r.store)
    user = accounts.find(username)
    if user is None:
        raise AccountError(f'no user "{username}"')
    if change == "disabled":
        accounts.set_disabled(username, bool(value))
    else:
        accounts.set_password(username, str(value))
    for jid in user.grants or ["*"]:
        r.audit(jid, action, detail={"user": username})


@users.command("disable", epilog=examples("sitegen reports users disable wang"))
@store_options
@click.argument("username")
def disable(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    username: str,
) -> None:
    """Disable an account: it can no longer sign in, and its sessions end at once."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        _change(username, "user_disable", r, "disabled", True)
        click.echo(f"{username}: disabled")


@users.command("enable", epilog=examples("sitegen reports users enable wang"))
@store_options
@click.argument("username")
def enable(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    username: str,
) -> None:
    """Enable a disabled account again."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        _change(username, "user_enable", r, "disabled", False)
        click.echo(f"{username}: enabled")


@users.command("passwd", epilog=examples("sitegen reports users passwd wang"))
@store_options
@click.argument("username")
def passwd(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    username: str,
) -> None:
    """Set a new password (this also unlocks the account and ends its sessions)."""
    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        if StaffDirectory(r.store).find(username) is None:
            fail(f'no user "{username}"')
        password = _new_password(username)
        _change(username, "user_passwd", r, "password", _hasher(r).hash(password))
        click.echo(f"{username}: new password set")


@click.command("audit", epilog=examples("sitegen reports audit --limit 20"))
@store_options
@jurisdiction_option
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Show at most this many entries.",
)
def audit(
    project_dir: Path,
    config_file: Path | None,
    database_url: str | None,
    sqlite_path: Path | None,
    jurisdiction_id: str | None,
    limit: int,
) -> None:
    """The audit log, newest first: time, who, what, ticket, from where, detail."""
    from sitegen.reports.store.audit import AuditLog

    with errors(), open_reports(project_dir, database_url, sqlite_path, config_file) as r:
        j = r.jurisdiction(jurisdiction_id)
        entries, _ = AuditLog(r.store).entries(j.id, limit=limit)
        for e in entries:
            detail = json.dumps(dict(e.detail), ensure_ascii=False, sort_keys=True)
            click.echo(
                f"{e.at.astimezone(j.zone):%Y-%m-%d %H:%M:%S}  {e.actor:<16} {e.action:<13} "
                f"{e.ticket or '-':<16} {e.address or '-':<15} {detail}"
            )
