"""The queue's query string: what staff filter, search and sort by, read once and written
back into links (pages, exports, the map) the same way.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, fields, replace

from starlette.datastructures import QueryParams

from sitegen.reports.cases.statuses import CLOSED_STATUSES, OPEN_STATUSES, PRIORITIES, STATUSES
from sitegen.reports.store.queue import NO_DEPARTMENT, SORTS, CaseFilter

STATUS_CHOICES = ("open", "closed", "all", *STATUSES)
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueQuery:
    q: str = ""
    status: str = "open"
    service: str = ""
    department: str = ""
    area: str = ""
    priority: str = ""
    start: str = ""  # YYYY-MM-DD in the jurisdiction's time zone
    end: str = ""
    overdue: str = ""
    sort: str = "requested"
    order: str = "desc"
    page: int = 1

    @classmethod
    def read(cls, params: QueryParams) -> QueueQuery:
        """The query of a request; unknown or odd values fall back to the defaults."""

        def one(name: str, default: str = "") -> str:
            return params.get(name, default).strip()[:200]

        status = one("status", "open")
        page = one("page", "1")
        return cls(
            q=one("q"),
            status=status if status in STATUS_CHOICES else "open",
            service=one("service"),
            department=one("department"),
            area=one("area"),
            priority=one("priority") if one("priority") in PRIORITIES else "",
            start=_date_text(one("from")),
            end=_date_text(one("to")),
            overdue="1" if one("overdue") == "1" else "",
            sort=one("sort") if one("sort") in SORTS else "requested",
            order="asc" if one("order") == "asc" else "desc",
            page=max(1, min(int(page), 100_000)) if page.isdigit() else 1,
        )

    def case_filter(
        self, jurisdiction: str, zone: zoneinfo.ZoneInfo, now: dt.datetime
    ) -> CaseFilter:
        """The store's filter for this query."""
        statuses: tuple[str, ...] = {
            "open": OPEN_STATUSES,
            "closed": CLOSED_STATUSES,
            "all": (),
        }.get(self.status, (self.status,))
        return CaseFilter(
            jurisdiction=jurisdiction,
            statuses=statuses,
            services=(self.service,) if self.service else (),
            departments=(self.department,) if self.department else (),
            areas=(self.area,) if self.area else (),
            priorities=(self.priority,) if self.priority else (),
            start=_local_midnight(self.start, zone),
            end=_local_midnight(self.end, zone, next_day=True),
            overdue_at=now if self.overdue else None,
            text=self.q,
            sort=self.sort,
            descending=self.order == "desc",
        )

    def params(self, page: bool = False) -> list[tuple[str, str]]:
        """The query as URL parameters (defaults left out), without the page unless asked."""
        names = {"start": "from", "end": "to"}
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "page" and not page:
                continue
            if value != f.default:
                out.append((names.get(f.name, f.name), str(value)))
        return out

    def at_page(self, page: int) -> QueueQuery:
        return replace(self, page=page)


def _date_text(text: str) -> str:
    """A date of the filter; an odd one (not a date, or far from any report) is no filter."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return ""
    return day.isoformat() if 1900 <= day.year <= 2999 else ""


def _local_midnight(
    text: str, zone: zoneinfo.ZoneInfo, next_day: bool = False
) -> dt.datetime | None:
    if not text:
        return None
    day = dt.date.fromisoformat(text) + dt.timedelta(days=1 if next_day else 0)
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


__all__ = ["NO_DEPARTMENT", "PAGE_SIZE", "QueueQuery"]
