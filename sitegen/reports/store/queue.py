"""The staff's queue: a jurisdiction's cases filtered, searched, sorted and paged, and the
open cases that may be duplicates of one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sitegen.reports.cases.duplicates import Spot, box, likely_duplicates
from sitegen.reports.cases.statuses import CLOSED_STATUSES, OPEN_STATUSES
from sitegen.reports.records import StoredReport
from sitegen.reports.store.base import ReportStore

_PRIORITY_RANK = (
    "CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END"
)
SORTS = {
    "requested": "requested_at",
    "updated": "updated_at",
    "due": "due_at",
    "priority": _PRIORITY_RANK,
    "status": "status",
    "service": "service_code",
}
NO_DEPARTMENT = "-"  # the filter value for cases not dispatched to any department yet


@dataclass(frozen=True)
class CaseFilter:
    """What the queue shows; empty tuples mean "any"."""

    jurisdiction: str
    statuses: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    start: dt.datetime | None = None  # received at or after
    end: dt.datetime | None = None  # received before
    overdue_at: dt.datetime | None = None  # only open cases whose deadline passed by then
    text: str = ""
    sort: str = "requested"
    descending: bool = True


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CaseQueue:
    """Queries over one store's cases."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def _where(self, f: CaseFilter) -> tuple[str, list[Any]]:
        where = ["jurisdiction = ?"]
        params: list[Any] = [f.jurisdiction]
        for column, values in (
            ("status", f.statuses),
            ("service_code", f.services),
            ("area", f.areas),
            ("priority", f.priorities),
        ):
            if values:
                where.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if f.departments:
            named = [d for d in f.departments if d != NO_DEPARTMENT]
            parts = [f"department IN ({', '.join('?' for _ in named)})"] if named else []
            if NO_DEPARTMENT in f.departments:
                parts.append("department IS NULL")
            where.append("(" + " OR ".join(parts) + ")")
            params.extend(named)
        for column, moment, op in (("requested_at", f.start, ">="), ("requested_at", f.end, "<")):
            if moment is not None:
                where.append(f"{column} {op} ?")
                params.append(self.store.time_param(moment))
        if f.overdue_at is not None:
            where.append(f"due_at < ? AND status IN ({', '.join('?' for _ in OPEN_STATUSES)})")
            params.extend([self.store.time_param(f.overdue_at), *OPEN_STATUSES])
        if f.text.strip():
            pattern = _like(f.text.strip())
            columns = ("ticket", "description", "address", "facility_id", "area")
            tests = [f"LOWER(COALESCE({c}, '')) LIKE ? ESCAPE '\\'" for c in columns]
            tests.append(
                "EXISTS (SELECT 1 FROM case_notes n WHERE n.report_id = reports.id"
                " AND LOWER(n.body) LIKE ? ESCAPE '\\')"
            )
            where.append("(" + " OR ".join(tests) + ")")
            params.extend([pattern] * len(tests))
        return "WHERE " + " AND ".join(where), params

    def _order(self, f: CaseFilter) -> str:
        column = SORTS.get(f.sort, "requested_at")
        direction = "DESC" if f.descending else "ASC"
        # NULLs (no deadline) last either way, the same in SQLite and PostgreSQL.
        return f" ORDER BY ({column}) IS NULL, {column} {direction}, id {direction}"

    def page(self, f: CaseFilter, offset: int, limit: int) -> tuple[list[StoredReport], int]:
        """One page of the filtered cases and how many match in all."""
        clause, params = self._where(f)
        with self.store.transaction(write=False) as tx:
            total = int(tx.rows(f"SELECT COUNT(*) FROM reports {clause}", params)[0][0])
        found = self.store.select(
            clause + self._order(f) + " LIMIT ? OFFSET ?", [*params, limit, offset]
        )
        return found, total

    def all(self, f: CaseFilter, limit: int | None = None) -> list[StoredReport]:
        """Every filtered case (for exports and the map), up to ``limit``."""
        clause, params = self._where(f)
        clause += self._order(f)
        if limit is not None:
            clause += " LIMIT ?"
            params.append(limit)
        return self.store.select(clause, params)

    def counts(self, jurisdiction: str, now: dt.datetime) -> dict[str, int]:
        """Cases per status, plus ``open``, ``closed`` and ``overdue``."""
        with self.store.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT status, COUNT(*) FROM reports WHERE jurisdiction = ? GROUP BY status",
                (jurisdiction,),
            )
            overdue = tx.rows(
                "SELECT COUNT(*) FROM reports WHERE jurisdiction = ? AND due_at < ?"
                f" AND status IN ({', '.join('?' for _ in OPEN_STATUSES)})",
                (jurisdiction, self.store.time_param(now), *OPEN_STATUSES),
            )[0][0]
        counts = {str(status): int(n) for status, n in rows}
        counts["open"] = sum(counts.get(s, 0) for s in OPEN_STATUSES)
        counts["closed"] = sum(counts.get(s, 0) for s in CLOSED_STATUSES)
        counts["overdue"] = int(overdue)
        return counts

    def areas(self, jurisdiction: str) -> list[str]:
        """The districts cases were reported in, for the filter."""
        with self.store.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT DISTINCT area FROM reports WHERE jurisdiction = ? AND area IS NOT NULL",
                (jurisdiction,),
            )
        return sorted(str(r[0]) for r in rows)

    def duplicates_of(
        self, report: StoredReport, radius_m: float
    ) -> list[tuple[StoredReport, float | None]]:
        """Open cases of the same service within ``radius_m`` or at the same facility."""
        if report.lat is None or report.lng is None:
            if report.facility_id is None:
                return []
            near = "facility_id = ?"
            params: list[Any] = [report.facility_id]
        else:
            south, west, north, east = box(report.lat, report.lng, radius_m)
            near = "(lat BETWEEN ? AND ? AND lng BETWEEN ? AND ?)"
            params = [south, north, west, east]
            if report.facility_id is not None:
                near = f"({near} OR facility_id = ?)"
                params.append(report.facility_id)
        statuses = ", ".join("?" for _ in OPEN_STATUSES)
        found = self.store.select(
            "WHERE jurisdiction = ? AND service_code = ? AND ticket <> ?"
            f" AND status IN ({statuses}) AND {near} ORDER BY requested_at LIMIT 200",
            [report.jurisdiction, report.service_code, report.ticket, *OPEN_STATUSES, *params],
        )
        by_ticket = {r.ticket: r for r in found}
        spots = [Spot(r.ticket, r.lat, r.lng, r.facility_id) for r in found]
        me = Spot(report.ticket, report.lat, report.lng, report.facility_id)
        return [(by_ticket[s.ticket], d) for s, d in likely_duplicates(me, spots, radius_m)]
