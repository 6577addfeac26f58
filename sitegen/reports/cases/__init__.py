"""The case loop as a city runs it, with no storage and no web in it.

Statuses and how each shows in Open311 (``statuses``), staff roles (``roles``), the actions
staff take and the rules each must obey (``loop``), deadlines in working hours with the
public-holiday calendar (``deadlines``) and nearby reports that may be duplicates
(``duplicates``). It may import the foundations (``sitegen.hours``' public calendar,
``sitegen.geo``) and nothing else of sitegen; the rest of ``sitegen.reports`` imports it.
"""

from sitegen.reports.cases.statuses import (
    CLOSED_STATUSES,
    INITIAL_STATUS,
    OPEN_STATUSES,
    STATUSES,
    check_transition,
    open311_status,
    statuses_for,
)

__all__ = [
    "CLOSED_STATUSES",
    "INITIAL_STATUS",
    "OPEN_STATUSES",
    "STATUSES",
    "check_transition",
    "open311_status",
    "statuses_for",
]
