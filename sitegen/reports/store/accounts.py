"""Staff accounts: user names, password hashes, roles per jurisdiction, lockout after
failed logins. Passwords are hashed by the caller (``sitegen.reports.passwords``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sitegen.reports.cases.roles import check_role
from sitegen.reports.records import StoreError
from sitegen.reports.store.base import ReportStore, Transaction

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
_USER_COLUMNS = "id, username, display_name, password_hash, disabled, failed_logins, locked_until"


class AccountError(StoreError):
    """An account change that cannot be made (unknown user, name taken, bad role)."""


@dataclass(frozen=True)
class Grant:
    """A user's role in one jurisdiction, and the department a handler works for."""

    role: str
    department: str | None = None


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    display_name: str
    password_hash: str
    disabled: bool
    failed_logins: int
    locked_until: dt.datetime | None
    grants: dict[str, Grant] = field(default_factory=dict)

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def check_username(name: str) -> str:
    """A user name: 2 to 40 lower-case letters, digits, dots, dashes or underscores."""
    if not USERNAME.fullmatch(name):
        raise AccountError(
            f'"{name}" is not a user name: use 2 to 40 lower-case letters, digits, ".", "-", "_"'
        )
    return name


class StaffDirectory:
    """The staff accounts of one store."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def _user(self, tx: Transaction, where: str, value: object) -> StaffUser | None:
        rows = tx.rows(f"SELECT {_USER_COLUMNS} FROM staff_users WHERE {where} = ?", (value,))
        if not rows:
            return None
        i, name, display, hashed, disabled, failures, locked = rows[0]
        grants = {
            j: Grant(role, department)
            for j, role, department in tx.rows(
                "SELECT jurisdiction, role, department FROM staff_roles WHERE user_id = ?"
                " ORDER BY jurisdiction",
                (i,),
            )
        }
        until = self.store.time_value(locked) if locked is not None else None
        return StaffUser(i, name, display, hashed, bool(disabled), int(failures), until, grants)

    def find(self, username: str) -> StaffUser | None:
        with self.store.transaction(write=False) as tx:
            return self._user(tx, "username", username)

    def by_id(self, user_id: int) -> StaffUser | None:
        with self.store.transaction(write=False) as tx:
            return self._user(tx, "id", user_id)

    def users(self) -> list[StaffUser]:
        with self.store.transaction(write=False) as tx:
            names = [r[0] for r in tx.rows("SELECT username FROM staff_users ORDER BY username")]
            found = [self._user(tx, "username", n) for n in names]
        return [u for u in found if u is not None]

    def add(self, username: str, display_name: str, password_hash: str) -> StaffUser:
        """A new account, with no role yet."""
        check_username(username)
        now = self.store.time_param(self.store.now())
        try:
            with self.store.transaction(write=True) as tx:
                tx.run(
                    "INSERT INTO staff_users (username, display_name, password_hash,"
                    " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
                    (username, display_name or username, password_hash, now, now),
                )
        except Exception as exc:
            if self.store.is_unique_violation(exc):
                raise AccountError(f'the user "{username}" exists already') from None
            raise
        return self._must(username)

    def _must(self, username: str) -> StaffUser:
        user = self.find(username)
        if user is None:
            raise AccountError(f'no user "{username}"')
        return user

    def grant(self, username: str, jurisdiction: str, role: str, department: str | None) -> None:
        """Give (or change) a user's role in a jurisdiction."""
        try:
            check_role(role)
        except ValueError as exc:
            raise AccountError(str(exc)) from None
        user = self._must(username)
        with self.store.transaction(write=True) as tx:
            tx.run(
                "DELETE FROM staff_roles WHERE user_id = ? AND jurisdiction = ?",
                (user.id, jurisdiction),
            )
            tx.run(
                "INSERT INTO staff_roles (user_id, jurisdiction, role, department)"
                " VALUES (?, ?, ?, ?)",
                (user.id, jurisdiction, role, department),
            )

    def revoke(self, username: str, jurisdiction: str) -> None:
        user = self._must(username)
        with self.store.transaction(write=True) as tx:
            tx.run(
                "DELETE FROM staff_roles WHERE user_id = ? AND jurisdiction = ?",
                (user.id, jurisdiction),
            )

    def set_password(self, username: str, password_hash: str) -> None:
        """A new password; it also unlocks the account and ends its sessions."""
        user = self._must(username)
        now = self.store.time_param(self.store.now())
        with self.store.transaction(write=True) as tx:
            tx.run(
                "UPDATE staff_users SET password_hash = ?, password_changed_at = ?,"
                " failed_logins = 0, locked_until = NULL WHERE id = ?",
                (password_hash, now, user.id),
            )
            tx.run("DELETE FROM staff_sessions WHERE user_id = ?", (user.id,))

    def rehash(self, user_id: int, password_hash: str) -> None:
        """Store a stronger hash of the same password (after a login)."""
        with self.store.transaction(write=True) as tx:
            tx.run(
                "UPDATE staff_users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
            )

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (ending every session) or enable an account."""
        user = self._must(username)
        with self.store.transaction(write=True) as tx:
            tx.run("UPDATE staff_users SET disabled = ? WHERE id = ?", (int(disabled), user.id))
            if disabled:
                tx.run("DELETE FROM staff_sessions WHERE user_id = ?", (user.id,))

    def login_failed(self, user_id: int, max_failures: int, lockout: dt.timedelta) -> bool:
        """Count a failed login; lock the account after ``max_failures``. True if now locked."""
        now = self.store.now()
        with self.store.transaction(write=True) as tx:
            rows = tx.rows(
                f"SELECT failed_logins FROM staff_users WHERE id = ?{self.store.lock_clause}",
                (user_id,),
            )
            failures = int(rows[0][0]) + 1 if rows else 1
            locked = failures >= max_failures
            tx.run(
                "UPDATE staff_users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                (
                    0 if locked else failures,
                    self.store.time_param(now + lockout) if locked else None,
                    user_id,
                ),
            )
        return locked

    def login_succeeded(self, user_id: int) -> None:
        with self.store.transaction(write=True) as tx:
            tx.run(
                "UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                (user_id,),
            )
