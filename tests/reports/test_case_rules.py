"""The case loop's rules, deadlines in working hours and nearby duplicates, on their own."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from sitegen.hours.calendar import HolidayCalendar
from sitegen.reports.cases.deadlines import Deadlines, parse_week
from sitegen.reports.cases.duplicates import Spot, box, likely_duplicates
from sitegen.reports.cases.loop import (
    ActionInput,
    Actor,
    CaseRuleError,
    CaseState,
    available,
    plan,
    plan_merge,
)
from sitegen.reports.cases.roles import allows
from sitegen.reports.cases.statuses import check_transition

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEPARTMENTS = ("sanitation", "repairs")
MEI = Actor("mei", "supervisor")
WANG = Actor("wang", "handler", "sanitation")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def deadlines(week: str = "Mo-Fr 09:00-12:00,14:00-18:00") -> Deadlines:
    return Deadlines(parse_week(week), HolidayCalendar("CN"), SHANGHAI, {"quick": 2}, 40)


def test_working_hours_skip_lunch_nights_weekends_and_holidays() -> None:
    d = deadlines()
    assert d.add(local(2025, 1, 22, 10, 0), 8) == local(2025, 1, 23, 11, 0)
    assert d.add(local(2025, 1, 22, 12, 30), 1) == local(2025, 1, 22, 15, 0)  # from lunch
    assert d.add(local(2025, 1, 24, 17, 0), 2) == local(2025, 1, 26, 10, 0)  # Sunday is worked
    # Spring Festival: 28 January to 4 February off.
    assert d.add(local(2025, 1, 27, 17, 0), 2) == local(2025, 2, 5, 10, 0)
    assert d.between(local(2025, 1, 27, 17, 0), local(2025, 2, 5, 10, 0)) == 2.0
    assert d.between(local(2025, 2, 5, 10, 0), local(2025, 1, 27, 17, 0)) == -2.0
    assert d.due(local(2025, 1, 22, 10, 0), "quick") == local(2025, 1, 22, 12, 0)
    assert d.hours_for("other") == 40


def test_a_week_is_read_with_clear_messages() -> None:
    week = parse_week("Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00")
    assert week.days[0] == ((510, 720), (810, 1050)) and week.days[5] == ((540, 720),)
    assert week.days[6] == ()
    for text, message in (
        ("Mo-Fr", '"Mo-Fr" is not like "Mo-Fr 09:00-12:00,14:00-18:00"'),
        ("Xx 09:00-10:00", '"Xx" is not a day or a range of days such as Mo-Fr'),
        ("Mo 10:00-09:00", '"10:00-09:00" is not a time span within one day'),
        ("Mo 09:00-12:00,11:00-13:00", "working periods of a day overlap"),
    ):
        with pytest.raises(ValueError) as caught:
            parse_week(text)
        assert str(caught.value) == message


def test_no_working_time_means_no_deadline() -> None:
    d = Deadlines(parse_week(""), HolidayCalendar("CN"), SHANGHAI, {}, 8)
    assert d.due(local(2025, 1, 22, 10, 0), "any") is None


def test_each_action_starts_from_its_statuses() -> None:
    state = CaseState("received")
    assert available(state, MEI) == ["accept", "reject", "inform"]
    assert available(state, WANG) == []
    assert available(CaseState("dispatched", "sanitation"), WANG) == ["start", "handle"]
    assert available(CaseState("dispatched", "repairs"), WANG) == []  # another department
    handled = CaseState("handled", "sanitation", "mei")
    assert "verify" not in available(handled, MEI)  # mei handled it herself
    assert available(handled, Actor("li", "supervisor")) == ["verify", "send_back", "inform"]
    assert available(CaseState("closed"), MEI) == ["reopen", "inform"]
    assert available(CaseState("merged"), MEI) == []


def test_plan_says_which_rule_is_broken() -> None:
    def code(name: str, state: CaseState, actor: Actor, **given: str) -> str:
        with pytest.raises(CaseRuleError) as caught:
            plan(name, state, actor, ActionInput(**given), DEPARTMENTS)
        return caught.value.code

    assert code("accept", CaseState("received"), Actor("vic", "viewer")) == "role"
    assert code("close", CaseState("received"), MEI) == "wrong_status"
    assert code("reject", CaseState("received"), MEI) == "reason_required"
    assert code("dispatch", CaseState("accepted"), MEI) == "department_required"
    assert code("dispatch", CaseState("accepted"), MEI, department="x") == "unknown_department"
    assert code("handle", CaseState("dispatched", "sanitation"), WANG) == "note_required"
    assert (
        code("handle", CaseState("dispatched", "repairs"), WANG, note="x") == "not_your_department"
    )
    assert code("verify", CaseState("handled", None, "mei"), MEI) == "same_person"
    assert code("accept", CaseState("received"), MEI, note="x" * 4001) == "too_long"
    assert code("fly", CaseState("received"), MEI) == "unknown_action"


def test_steps_carry_notes_department_and_handler() -> None:
    step = plan(
        "dispatch", CaseState("accepted"), MEI, ActionInput(department="repairs"), DEPARTMENTS
    )
    assert (step.status, step.department, step.handled_by) == ("dispatched", "repairs", None)
    step = plan(
        "handle",
        CaseState("dispatched", "sanitation"),
        WANG,
        ActionInput(note=" Done "),
        DEPARTMENTS,
    )
    assert (step.status, step.public_note, step.handled_by) == ("handled", "Done", "wang")
    back = plan(
        "send_back",
        CaseState("handled", "sanitation", "wang"),
        MEI,
        ActionInput(reason="no"),
        DEPARTMENTS,
    )
    assert (back.status, back.public_note, back.internal_note, back.handled_by) == (
        "dispatched",
        "",
        "no",
        None,
    )
    reject = plan(
        "reject",
        CaseState("received"),
        MEI,
        ActionInput(reason="Not ours", note="Call 12345"),
        DEPARTMENTS,
    )
    assert reject.public_note == "Not ours\nCall 12345"
    assert plan("close", CaseState("verified"), MEI, ActionInput(), DEPARTMENTS).closes
    inform = plan(
        "inform",
        CaseState("dispatched", "repairs"),
        MEI,
        ActionInput(note="Parts ordered"),
        DEPARTMENTS,
    )
    assert (inform.status, inform.public_note, inform.department) == (
        "dispatched",
        "Parts ordered",
        "repairs",
    )
    assert plan(
        "reopen", CaseState("closed"), MEI, ActionInput(reason="again"), DEPARTMENTS
    ).restarts_deadline


def test_merge_rules() -> None:
    open_case, closed = CaseState("accepted"), CaseState("closed")
    assert plan_merge(open_case, open_case, MEI, same=False).status == "merged"
    for state, primary, same, actor, rule in (
        (open_case, open_case, True, MEI, "merge_self"),
        (closed, open_case, False, MEI, "wrong_status"),
        (open_case, CaseState("merged"), False, MEI, "merge_target"),
        (open_case, open_case, False, WANG, "role"),
    ):
        with pytest.raises(CaseRuleError) as caught:
            plan_merge(state, primary, actor, same=same)
        assert caught.value.code == rule


def test_roles_are_ranked() -> None:
    assert allows("admin", "decide") and allows("supervisor", "decide")
    assert not allows("handler", "decide") and allows("handler", "contact")
    assert not allows("viewer", "contact") and allows("viewer", "view")
    assert not allows("supervisor", "audit") and not allows("nobody", "view")


def test_the_free_status_change_keeps_its_two_limits() -> None:
    check_transition("received", "handled")
    with pytest.raises(ValueError, match='cannot go back to "received"'):
        check_transition("closed", "received")
    with pytest.raises(ValueError, match="merge a case in the staff console"):
        check_transition("received", "merged")


def test_duplicates_are_near_and_of_the_same_place() -> None:
    me = Spot("A", 22.5535, 114.0572, "futian-0001")
    south, west, north, east = box(me.lat or 0, me.lng or 0, 50)
    assert north - south == pytest.approx(2 * 50 / 111_320)
    assert east - west > north - south  # a degree of longitude is shorter here
    candidates = [
        Spot("A", 22.5535, 114.0572, None),  # itself
        Spot("B", 22.5537, 114.0573, None),  # about 25 m
        Spot("C", 22.5545, 114.0572, None),  # about 110 m
        Spot("D", None, None, "futian-0001"),  # the same facility, no position
    ]
    found = likely_duplicates(me, candidates, 50)
    assert [(s.ticket, None if d is None else round(d)) for s, d in found] == [
        ("B", 24),
        ("D", None),
    ]
