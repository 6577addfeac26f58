"""The staff's work on cases: actions of the case loop, merging, notes and priority.

Each change reads the case under a write lock, asks the rules (``cases.loop``) whether it
may happen, applies it and writes the audit entry in the same transaction: two staff
members acting at once never both succeed from the same state, and no change goes
unlogged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sitegen.reports.cases.loop import (
    ActionInput,
    Actor,
    CaseRuleError,
    CaseState,
    Step,
    check_note,
    plan,
    plan_merge,
)
from sitegen.reports.cases.statuses import PRIORITIES
from sitegen.reports.records import CaseNote, StoredReport, UnknownTicket, normalize_ticket
from sitegen.reports.store.audit import write_entry
from sitegen.reports.store.base import ReportStore, Transaction

MAX_NOTE = 4000
DueFor = Callable[[str, dt.datetime], dt.datetime | None]  # (service code, start) -> deadline


@dataclass(frozen=True)
class _Row:
    id: int
    ticket: str
    service_code: str
    state: CaseState
    closures: int


class CaseBook:
    """Changes to cases of one store, each checked, recorded in the history and audited."""

    def __init__(self, store: ReportStore) -> None:
        self.store = store

    def _case(self, tx: Transaction, ticket: str, jurisdiction: str) -> _Row:
        rows = tx.rows(
            "SELECT id, ticket, service_code, status, department, handled_by, closures"
            f" FROM reports WHERE ticket = ? AND jurisdiction = ?{self.store.lock_clause}",
            (normalize_ticket(ticket), jurisdiction),
        )
        if not rows:
            raise UnknownTicket(f"no report with ticket {ticket}")
        i, t, service, status, department, handled_by, closures = rows[0]
        return _Row(i, t, service, CaseState(status, department, handled_by), int(closures))

    def act(
        self,
        ticket: str,
        jurisdiction: str,
        name: str,
        actor: Actor,
        given: ActionInput,
        *,
        departments: Collection[str],
        due_for: DueFor,
        photos: Sequence[str] = (),
        address: str | None = None,
    ) -> StoredReport:
        """Apply an action of the case loop, or raise ``CaseRuleError``."""
        store, now = self.store, self.store.now()
        with store.transaction(write=True) as tx:
            case = self._case(tx, ticket, jurisdiction)
            step = plan(name, case.state, actor, given, departments)
            self._apply(tx, case, step, now, due_for)
            change = (step.status, step.public_note, actor.username, now, step.action)
            store.add_change(tx, case.id, *change, step.internal_note, step.department)
            self._add_photos(tx, case.id, photos)
            detail = {
                "from": case.state.status,
                "to": step.status,
                "note": step.public_note,
                "reason": step.internal_note,
                "department": step.department,
                "photos": list(photos),
            }
            audit = partial(write_entry, store, tx, actor=actor.username, address=address, at=now)
            audit(jurisdiction=jurisdiction, action=name, ticket=case.ticket, detail=detail)
        return self._get(case.ticket)

    def _apply(
        self, tx: Transaction, case: _Row, step: Step, now: dt.datetime, due_for: DueFor
    ) -> None:
        store = self.store
        sets = ["status = ?", "department = ?", "handled_by = ?", "updated_at = ?"]
        params: list[Any] = [step.status, step.department, step.handled_by, store.time_param(now)]
        if step.public_note:
            sets.append("status_notes = ?")
            params.append(step.public_note)
        if step.closes:
            sets.append("closures = closures + 1")
        if step.restarts_deadline:
            sets.append("due_at = ?")
            params.append(store.maybe_time(due_for(case.service_code, now)))
        tx.run(f"UPDATE reports SET {', '.join(sets)} WHERE id = ?", [*params, case.id])

    def _add_photos(self, tx: Transaction, report_id: int, names: Sequence[str]) -> None:
        if not names:
            return
        last = tx.rows(
            "SELECT COALESCE(MAX(seq), -1) FROM report_photos WHERE report_id = ?", (report_id,)
        )[0][0]
        for offset, name in enumerate(names, start=1):
            tx.run(
                "INSERT INTO report_photos (report_id, seq, name, kind) VALUES (?, ?, ?, 'result')",
                (report_id, int(last) + offset, name),
            )

    def merge(
        self,
        ticket: str,
        primary_ticket: str,
        jurisdiction: str,
        actor: Actor,
        address: str | None = None,
    ) -> StoredReport:
        """Merge a duplicate into a primary case of the same jurisdiction."""
        store, now = self.store, self.store.now()
        with store.transaction(write=True) as tx:
            case = self._case(tx, ticket, jurisdiction)
            try:
                primary = self._case(tx, primary_ticket, jurisdiction)
            except UnknownTicket:
                message = f"no open case {primary_ticket} to merge into"
                raise CaseRuleError("merge_target", message) from None
            step = plan_merge(case.state, primary.state, actor, same=case.id == primary.id)
            tx.run(
                "UPDATE reports SET status = ?, merged_into = ?, updated_at = ? WHERE id = ?",
                (step.status, primary.id, store.time_param(now), case.id),
            )
            # Reports merged into this one before follow it to the new primary.
            tx.run(
                "UPDATE reports SET merged_into = ? WHERE merged_into = ?", (primary.id, case.id)
            )
            who = (actor.username, now)
            store.add_change(tx, case.id, step.status, "", *who, "merge", f"into {primary.ticket}")
            here = f"{case.ticket} merged into this case"
            store.add_change(tx, primary.id, primary.state.status, "", *who, "merged_here", here)
            audit = partial(write_entry, store, tx, actor=actor.username, address=address, at=now)
            audit(
                jurisdiction=jurisdiction,
                action="merge",
                ticket=case.ticket,
                detail={"into": primary.ticket},
            )
        return self._get(case.ticket)

    def add_note(
        self, ticket: str, jurisdiction: str, actor: Actor, body: str, address: str | None = None
    ) -> CaseNote:
        """An internal note on a case (handler or above)."""
        body = body.strip()
        if not body:
            raise CaseRuleError("note_required", "write the note first")
        check_note("note", body)
        store, now = self.store, self.store.now()
        with store.transaction(write=True) as tx:
            case = self._case(tx, ticket, jurisdiction)
            tx.run(
                "INSERT INTO case_notes (report_id, author, body, created_at) VALUES (?, ?, ?, ?)",
                (case.id, actor.username, body, store.time_param(now)),
            )
            write_entry(
                store,
                tx,
                actor=actor.username,
                jurisdiction=jurisdiction,
                action="note",
                ticket=case.ticket,
                detail={"note": body},
                address=address,
                at=now,
            )
        return CaseNote(actor.username, body, now)

    def set_priority(
        self,
        ticket: str,
        jurisdiction: str,
        actor: Actor,
        priority: str,
        address: str | None = None,
    ) -> StoredReport:
        """Change a case's priority (supervisor or above)."""
        if priority not in PRIORITIES:
            raise CaseRuleError("unknown_priority", f'unknown priority "{priority}"')
        store, now = self.store, self.store.now()
        with store.transaction(write=True) as tx:
            case = self._case(tx, ticket, jurisdiction)
            old = tx.rows("SELECT priority FROM reports WHERE id = ?", (case.id,))[0][0]
            tx.run("UPDATE reports SET priority = ? WHERE id = ?", (priority, case.id))
            write_entry(
                store,
                tx,
                actor=actor.username,
                jurisdiction=jurisdiction,
                action="priority",
                ticket=case.ticket,
                detail={"from": old, "to": priority},
                address=address,
                at=now,
            )
        return self._get(case.ticket)

    # -- reading ----------------------------------------------------------------------------

    def _get(self, ticket: str) -> StoredReport:
        report = self.store.get(ticket)
        assert report is not None
        return report

    def notes(self, ticket: str) -> list[CaseNote]:
        """A case's internal notes, oldest first."""
        with self.store.transaction(write=False) as tx:
            rows = tx.rows(
                "SELECT n.author, n.body, n.created_at FROM case_notes n"
                " JOIN reports r ON r.id = n.report_id WHERE r.ticket = ? ORDER BY n.id",
                (normalize_ticket(ticket),),
            )
        return [CaseNote(a, b, self.store.time_value(t)) for a, b, t in rows]

    def result_photos(self, ticket: str) -> list[str]:
        """Photos staff took of the result, in the order they were added."""
        with self.store.transaction(write=False) as tx:
            ids = [
                r[0]
                for r in tx.rows(
                    "SELECT id FROM reports WHERE ticket = ?", (normalize_ticket(ticket),)
                )
            ]
            return self.store.photos_of(tx, ids, "result").get(ids[0], []) if ids else []

    def merged_into_this(self, ticket: str) -> list[StoredReport]:
        """The reports merged into a case, oldest first."""
        return self.store.select(
            "WHERE merged_into = (SELECT p.id FROM reports p WHERE p.ticket = ?)"
            " ORDER BY requested_at, id",
            (normalize_ticket(ticket),),
        )

    def outcome_of(self, report: StoredReport) -> StoredReport:
        """The case whose status a citizen sees: the report, or the case it was merged into."""
        seen = {report.ticket}
        while report.merged_into and report.merged_into not in seen:
            primary = self.store.get(report.merged_into)
            if primary is None:
                break
            seen.add(primary.ticket)
            report = primary
        return report
