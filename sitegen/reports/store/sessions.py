"""Staff sessions: a random token in the browser's cookie, only its SHA-256 in the database,
with a CSRF token, an absolute lifetime and an idle timeout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sitegen.reports.store.accounts import StaffDirectory, StaffUser
from sitegen.reports.store.base import ReportStore

SEEN_EVERY = dt.timedelta(minutes=1)  # how stale "last seen" may be before it is written


@dataclass(frozen=True)
class Session:
    token_hash: str
    user: StaffUser
    csrf_token: str
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionBook:
    """Sessions of one store."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def start(self, user_id: int, lifetime: dt.timedelta, address: str | None) -> tuple[str, str]:
        """A new session: returns the cookie's token and the session's CSRF token."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.store.now()
        p = self.store.time_param
        with self.store.transaction(write=True) as tx:
            tx.run(
                "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at,"
                " seen_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token_hash(token), user_id, csrf, p(now), p(now), p(now + lifetime), address),
            )
            # Expired sessions of anyone are removed as new ones begin: the table stays small.
            tx.run("DELETE FROM staff_sessions WHERE expires_at < ?", (p(now),))
        return token, csrf

    def lookup(self, token: str, idle: dt.timedelta) -> Session | None:
        """The live session of a cookie's token, or None (unknown, expired, idle, disabled)."""
        if not token or len(token) > 200:
            return None
        hashed, now = token_hash(token), self.store.now()
        with self.store.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT user_id, csrf_token, seen_at, expires_at FROM staff_sessions"
                " WHERE token_hash = ?",
                (hashed,),
            )
        if not rows:
            return None
        user_id, csrf, seen_raw, expires_raw = rows[0]
        seen, expires = self.store.time_value(seen_raw), self.store.time_value(expires_raw)
        user = StaffDirectory(self.store).by_id(int(user_id))
        if expires <= now or seen + idle <= now or user is None or user.disabled:
            self.end(token)
            return None
        if now - seen > SEEN_EVERY:
            with self.store.transaction(write=True) as tx:
                tx.run(
                    "UPDATE staff_sessions SET seen_at = ? WHERE token_hash = ?",
                    (self.store.time_param(now), hashed),
                )
        return Session(hashed, user, csrf, expires)

    def end(self, token: str) -> None:
        with self.store.transaction(write=True) as tx:
            tx.run("DELETE FROM staff_sessions WHERE token_hash = ?", (token_hash(token),))
