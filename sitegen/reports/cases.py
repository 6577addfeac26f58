"""The life of a report as staff handle it, and how each step shows in Open311."""

from __future__ import annotations

# In the order a case usually goes; staff may move a case to any of them except back to
# "received" (a reopened case goes to "accepted" or "in_progress").
STATUSES = (
    "received",
    "accepted",
    "dispatched",
    "in_progress",
    "resolved",
    "closed",
    "rejected",
)
OPEN_STATUSES = ("received", "accepted", "dispatched", "in_progress")
CLOSED_STATUSES = ("resolved", "closed", "rejected")
INITIAL_STATUS = "received"


def open311_status(status: str) -> str:
    """``open`` or ``closed``: the only two statuses GeoReport v2 knows."""
    return "closed" if status in CLOSED_STATUSES else "open"


def statuses_for(open311: str) -> tuple[str, ...]:
    """The case statuses an Open311 ``status`` filter value stands for."""
    if open311 == "open":
        return OPEN_STATUSES
    if open311 == "closed":
        return CLOSED_STATUSES
    raise ValueError(f'unknown status "{open311}"; use open or closed')


def check_transition(current: str, new: str) -> None:
    """Refuse a status change that makes no sense, with a message for staff."""
    if new not in STATUSES:
        raise ValueError(f'unknown status "{new}"; use one of {", ".join(STATUSES)}')
    if new == INITIAL_STATUS and current != INITIAL_STATUS:
        raise ValueError('a case cannot go back to "received"; use "accepted" to reopen it')
