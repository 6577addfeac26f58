"""Citizens' ratings: satisfaction with a closed case, and quick ratings of a place.

A case may be rated once per closing, by the device that reported it (it proves this with
the report's idempotency key, which only that device and the server know). A place is
rated at most once per device: a new rating from the same device replaces its last one.
Only counts and averages of place ratings are ever published.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from sitegen.reports.cases.statuses import RATEABLE_STATUSES
from sitegen.reports.records import CaseRating, StoreError, normalize_ticket
from sitegen.reports.store.base import ReportStore, Transaction

SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")
INFORMATION = ("right", "wrong")


class RatingRefused(StoreError):
    """A rating that cannot be taken; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PlaceAggregate:
    """What is published of a place's ratings: counts and averages, never an entry."""

    facility_id: str
    ratings: int
    cleanliness_count: int
    cleanliness_average: float | None
    right: int
    wrong: int
    last_rated: dt.datetime


@dataclass(frozen=True)
class RatingState:
    """For the citizen: may this case be rated now, and was this closing rated already."""

    open: bool
    given: bool


class RatingBook:
    """Ratings kept in one store."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    # -- satisfaction with a case ---------------------------------------------------------

    def _outcome(self, tx: Transaction, report_id: int) -> tuple[str, int]:
        """Status and closings of the case a report's citizen sees (its primary if merged)."""
        for _ in range(8):
            status, closures, merged_into = tx.rows(
                "SELECT status, closures, merged_into FROM reports WHERE id = ?", (report_id,)
            )[0]
            if merged_into is None:
                return str(status), int(closures)
            report_id = int(merged_into)
        return "merged", 0

    def state(self, ticket: str) -> RatingState:
        with self.store.transaction(write=False) as tx:
            rows = tx.rows("SELECT id FROM reports WHERE ticket = ?", (normalize_ticket(ticket),))
            if not rows:
                return RatingState(False, False)
            status, closures = self._outcome(tx, int(rows[0][0]))
            given = bool(
                tx.rows(
                    "SELECT 1 FROM case_ratings WHERE report_id = ? AND closure = ?",
                    (rows[0][0], closures),
                )
            )
        rateable = status in RATEABLE_STATUSES and closures > 0
        return RatingState(rateable and not given, given)

    def rate_case(
        self, ticket: str, jurisdiction: str, key: str, satisfaction: str, comment: str
    ) -> CaseRating:
        """Take a citizen's rating of a closed case, or raise ``RatingRefused``."""
        now = self.store.now()
        with self.store.transaction(write=True) as tx:
            rows = tx.rows(
                "SELECT id, ticket, idempotency_key FROM reports"
                f" WHERE ticket = ? AND jurisdiction = ?{self.store.lock_clause}",
                (normalize_ticket(ticket), jurisdiction),
            )
            if not rows:
                raise RatingRefused(404, f'no service request "{ticket}"')
            report_id, stored_ticket, stored_key = rows[0]
            if not stored_key or not hmac.compare_digest(str(stored_key).encode(), key.encode()):
                raise RatingRefused(403, "only the device that sent the report may rate it")
            status, closures = self._outcome(tx, int(report_id))
            if status not in RATEABLE_STATUSES or closures == 0:
                raise RatingRefused(409, "the case is not closed; rate it once it is closed")
            if tx.rows(
                "SELECT 1 FROM case_ratings WHERE report_id = ? AND closure = ?",
                (report_id, closures),
            ):
                raise RatingRefused(409, "this case was rated already")
            tx.run(
                "INSERT INTO case_ratings (report_id, closure, satisfaction, comment, rated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (report_id, closures, satisfaction, comment, self.store.time_param(now)),
            )
        return CaseRating(stored_ticket, closures, satisfaction, comment, now)

    def of_cases(self, tickets: list[str]) -> dict[str, list[CaseRating]]:
        """The ratings of each case, oldest first."""
        found: dict[str, list[CaseRating]] = {}
        if not tickets:
            return found
        marks = ", ".join("?" for _ in tickets)
        with self.store.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT r.ticket, c.closure, c.satisfaction, c.comment, c.rated_at"
                " FROM case_ratings c JOIN reports r ON r.id = c.report_id"
                f" WHERE r.ticket IN ({marks}) ORDER BY c.id",
                tickets,
            )
        for t, closure, satisfaction, comment, at in rows:
            rating = CaseRating(t, int(closure), satisfaction, comment, self.store.time_value(at))
            found.setdefault(t, []).append(rating)
        return found

    # -- places ---------------------------------------------------------------------------

    def rate_place(
        self,
        jurisdiction: str,
        facility_id: str,
        device: str,
        cleanliness: int | None,
        information: str | None,
    ) -> None:
        """Keep a device's rating of a place, replacing its earlier one."""
        with self.store.transaction(write=True) as tx:
            tx.run(
                "INSERT INTO place_ratings (jurisdiction, facility_id, device, cleanliness,"
                " information, rated_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (jurisdiction, facility_id, device) DO UPDATE SET"
                " cleanliness = excluded.cleanliness, information = excluded.information,"
                " rated_at = excluded.rated_at",
                (
                    jurisdiction,
                    facility_id,
                    device,
                    cleanliness,
                    information,
                    self.store.time_param(self.store.now()),
                ),
            )

    def places(self, jurisdiction: str, facility_id: str | None = None) -> list[PlaceAggregate]:
        """Aggregates per rated place of a jurisdiction (or of one place), by facility id."""
        where, params = "jurisdiction = ?", [jurisdiction]
        if facility_id is not None:
            where += " AND facility_id = ?"
            params.append(facility_id)
        with self.store.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT facility_id, COUNT(*), COUNT(cleanliness), AVG(cleanliness),"
                " SUM(CASE WHEN information = 'right' THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN information = 'wrong' THEN 1 ELSE 0 END), MAX(rated_at)"
                f" FROM place_ratings WHERE {where} GROUP BY facility_id ORDER BY facility_id",
                params,
            )
        return [
            PlaceAggregate(
                str(f),
                int(n),
                int(nc),
                round(float(avg), 1) if avg is not None else None,
                int(right or 0),
                int(wrong or 0),
                self.store.time_value(last),
            )
            for f, n, nc, avg, right, wrong, last in rows
        ]

    def low_rated(self, jurisdiction: str, min_ratings: int = 1) -> list[PlaceAggregate]:
        """Places whose ratings call for a look, worst first: low cleanliness, wrong details."""
        worrying = [
            p
            for p in self.places(jurisdiction)
            if p.ratings >= min_ratings
            and (
                (p.cleanliness_average is not None and p.cleanliness_average < 3.0)
                or p.wrong > p.right
                or p.wrong >= 3
            )
        ]
        return sorted(
            worrying,
            key=lambda p: (
                p.cleanliness_average if p.cleanliness_average is not None else 5.0,
                -p.wrong,
                p.facility_id,
            ),
        )
