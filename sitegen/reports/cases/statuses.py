"""The statuses of a case, in the order of the city's loop, and how each shows in Open311.

received → accepted (立案) → dispatched (派遣) → in_progress → handled (处置) → verified (核查)
→ closed (结案), with rejected, merged (into another case) and resolved (closed by the city's
own system through the API or the command line, without the console's verification).
"""

from __future__ import annotations

STATUSES = (
    "received",
    "accepted",
    "dispatched",
    "in_progress",
    "handled",
    "verified",
    "closed",
    "resolved",
    "rejected",
    "merged",
)
OPEN_STATUSES = ("received", "accepted", "dispatched", "in_progress", "handled", "verified")
CLOSED_STATUSES = ("closed", "resolved", "rejected", "merged")
# A citizen may rate the outcome of a case in one of these (not a rejection, not a merge:
# a merged report is rated through the case it was merged into).
RATEABLE_STATUSES = ("closed", "resolved")
INITIAL_STATUS = "received"
PRIORITIES = ("low", "normal", "high", "urgent")


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
    """The free status change of the machine API and the command line, with its two limits.

    The city's own case system may drive the status as it sees fit; the console's actions
    (``loop``) follow the case loop's rules instead.
    """
    if new not in STATUSES:
        raise ValueError(f'unknown status "{new}"; use one of {", ".join(STATUSES)}')
    if new == INITIAL_STATUS and current != INITIAL_STATUS:
        raise ValueError('a case cannot go back to "received"; use "accepted" to reopen it')
    if new == "merged" and current != "merged":
        raise ValueError('merge a case in the staff console; "merged" needs the case it joins')
