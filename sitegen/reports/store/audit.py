"""The audit log: who changed what, when and from which address. Written in the same
transaction as the change it records, so no change goes unlogged; read by admins.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitegen.reports.store.base import ReportStore, Transaction

MAX_DETAIL = 8000  # characters of the JSON detail kept per entry


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    jurisdiction: str
    action: str
    ticket: str | None
    detail: Mapping[str, Any]
    address: str | None


def write_entry(
    store: ReportStore,
    tx: Transaction,
    *,
    actor: str,
    jurisdiction: str,
    action: str,
    ticket: str | None = None,
    detail: Mapping[str, Any] | None = None,
    address: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an entry inside the caller's transaction."""
    text = json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_DETAIL:
        text = json.dumps({"truncated": text[:MAX_DETAIL]}, ensure_ascii=False)
    tx.run(
        "INSERT INTO audit_log (at, actor, jurisdiction, action, ticket, detail, address)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (store.time_param(at or store.now()), actor, jurisdiction, action, ticket, text, address),
    )


class AuditLog:
    """Reading and writing the log of one store."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def write(self, **entry: Any) -> None:
        """Add an entry in a transaction of its own (logins, exports, account changes)."""
        with self.store.transaction(write=True) as tx:
            write_entry(self.store, tx, **entry)

    def entries(
        self,
        jurisdiction: str | None,
        *,
        action: str | None = None,
        actor: str | None = None,
        ticket: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[list[AuditEntry], int]:
        """Entries, newest first, and how many match in all. ``None``: every jurisdiction."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("jurisdiction", jurisdiction),
            ("action", action),
            ("actor", actor),
            ("ticket", ticket),
        ):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        with self.store.transaction(write=False) as tx:
            total = int(tx.rows(f"SELECT COUNT(*) FROM audit_log{clause}", params)[0][0])
            rows = tx.rows(
                "SELECT at, actor, jurisdiction, action, ticket, detail, address FROM audit_log"
                f"{clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        moment = self.store.time_value
        found = [
            AuditEntry(moment(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows
        ]
        return found, total
