"""The actions staff take on a case, and the rules each must obey.

Every rule is checked here, on the server, whatever a page offered: which statuses an
action starts from, the role it needs, the reason or department it needs, that a handler
works on their own department's cases, and that the one who verifies is not the one who
handled. ``plan`` turns an action into the ``Step`` the store records, or refuses it with a
``CaseRuleError`` whose code the console words in each language.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sitegen.reports.cases.roles import allows
from sitegen.reports.cases.statuses import OPEN_STATUSES, STATUSES
from sitegen.reports.characters import control_problem

MAX_NOTE = 4000


@dataclass(frozen=True)
class CaseState:
    """What the rules need to know of a case as it is now."""

    status: str
    department: str | None = None
    handled_by: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member's user name, role in this jurisdiction and department."""

    username: str
    role: str
    department: str | None = None


@dataclass(frozen=True)
class ActionInput:
    """What the form of an action gave: a note for the citizen, a reason, a department."""

    note: str = ""
    reason: str = ""
    department: str | None = None


@dataclass(frozen=True)
class Step:
    """A change the store records: new status, notes, department and handler."""

    action: str
    status: str
    public_note: str
    internal_note: str
    department: str | None
    handled_by: str | None
    closes: bool = False  # the case is closed once more (a new rating may be given)
    restarts_deadline: bool = False  # a reopened case gets a new deadline


class CaseRuleError(Exception):
    """An action the rules refuse; ``code`` names the rule for the console's wording."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str  # the new status; "" keeps the case's own
    permission: str
    reason: str = ""  # "public" or "internal" when the action needs a reason
    needs_note: bool = False
    needs_department: bool = False
    own_department: bool = False  # a handler bound to a department acts on its cases only
    not_the_handler: bool = False
    closes: bool = False
    restarts_deadline: bool = False


def _action(
    name: str, sources: tuple[str, ...], target: str, permission: str, **kw: object
) -> Action:
    return Action(name, frozenset(sources), target, permission, **kw)  # type: ignore[arg-type]


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _action("accept", ("received",), "accepted", "decide"),
        _action("reject", ("received", "accepted"), "rejected", "decide", reason="public"),
        _action(
            "dispatch",
            ("accepted", "dispatched", "in_progress"),
            "dispatched",
            "decide",
            needs_department=True,
        ),
        _action("start", ("dispatched",), "in_progress", "handle", own_department=True),
        _action(
            "handle",
            ("dispatched", "in_progress"),
            "handled",
            "handle",
            needs_note=True,
            own_department=True,
        ),
        _action("verify", ("handled",), "verified", "decide", not_the_handler=True),
        _action("send_back", ("handled", "verified"), "dispatched", "decide", reason="internal"),
        _action("close", ("verified",), "closed", "decide", closes=True),
        _action(
            "reopen",
            ("closed", "resolved", "rejected"),
            "accepted",
            "decide",
            reason="public",
            restarts_deadline=True,
        ),
        # A note for the citizen without a change of step (FixMyStreet's public update).
        _action(
            "inform", tuple(s for s in STATUSES if s != "merged"), "", "decide", needs_note=True
        ),
    )
}
MERGEABLE = frozenset(OPEN_STATUSES)


def available(state: CaseState, actor: Actor) -> list[str]:
    """The actions this actor may take on this case now, in the loop's order."""
    found = []
    for action in ACTIONS.values():
        try:
            _check(action, state, actor)
        except CaseRuleError:
            continue
        found.append(action.name)
    return found


def _check(action: Action, state: CaseState, actor: Actor) -> None:
    if not allows(actor.role, action.permission):
        raise CaseRuleError("role", f'the role "{actor.role}" may not {action.name} a case')
    if state.status not in action.sources:
        raise CaseRuleError(
            "wrong_status", f'a case that is "{state.status}" cannot be given "{action.name}"'
        )
    bound = actor.role == "handler" and actor.department is not None
    if action.own_department and bound and state.department != actor.department:
        raise CaseRuleError("not_your_department", "this case is not dispatched to your department")
    if action.not_the_handler and state.handled_by == actor.username:
        raise CaseRuleError(
            "same_person", "the case must be verified by someone other than its handler"
        )


def plan(
    name: str,
    state: CaseState,
    actor: Actor,
    given: ActionInput,
    departments: Collection[str],
) -> Step:
    """The step an action makes of a case, or a ``CaseRuleError`` saying which rule it breaks."""
    action = ACTIONS.get(name)
    if action is None:
        raise CaseRuleError("unknown_action", f'unknown action "{name}"')
    _check(action, state, actor)
    note, reason = given.note.strip(), given.reason.strip()
    check_note("note", note)
    check_note("reason", reason)
    if action.reason and not reason:
        raise CaseRuleError("reason_required", f'"{name}" needs a reason')
    if action.needs_note and not note:
        raise CaseRuleError("note_required", f'"{name}" needs a note saying what was done')
    department = state.department
    if action.needs_department:
        if not given.department:
            raise CaseRuleError("department_required", "choose the department to dispatch to")
        if given.department not in departments:
            raise CaseRuleError("unknown_department", f'unknown department "{given.department}"')
        department = given.department
    public = reason if action.reason == "public" else note
    if action.reason == "public" and note:
        public = f"{reason}\n{note}"
    return Step(
        action=name,
        status=action.target or state.status,
        public_note=public,
        internal_note=reason if action.reason == "internal" else "",
        department=department,
        handled_by=_handler_after(action, state, actor),
        closes=action.closes,
        restarts_deadline=action.restarts_deadline,
    )


def check_note(field: str, text: str) -> None:
    """Refuse a note that is too long or holds a character XML cannot carry (U+000C…)."""
    if len(text) > MAX_NOTE:
        raise CaseRuleError("too_long", f"a note may have at most {MAX_NOTE} characters")
    problem = control_problem(field, text)
    if problem:
        raise CaseRuleError("control_characters", problem)


def _handler_after(action: Action, state: CaseState, actor: Actor) -> str | None:
    if action.name == "handle":
        return actor.username
    if action.name in ("send_back", "reopen", "dispatch"):
        return None  # handled again from the start
    return state.handled_by


def plan_merge(state: CaseState, primary: CaseState, actor: Actor, same: bool) -> Step:
    """Merging a duplicate into a primary case: both open, not the same, by a supervisor."""
    if not allows(actor.role, "decide"):
        raise CaseRuleError("role", f'the role "{actor.role}" may not merge cases')
    if same:
        raise CaseRuleError("merge_self", "a case cannot be merged into itself")
    if state.status not in MERGEABLE:
        raise CaseRuleError("wrong_status", f'a case that is "{state.status}" cannot be merged')
    if primary.status not in MERGEABLE:
        raise CaseRuleError(
            "merge_target", "merge into an open case that is not itself merged or closed"
        )
    return Step("merge", "merged", "", "", state.department, state.handled_by)
