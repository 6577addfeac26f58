"""What every handler of one report service shares, built once by ``create_app``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from starlette.requests import Request

from sitegen.reports.inflight import InFlight
from sitegen.reports.jurisdictions import Jurisdiction
from sitegen.reports.language import negotiate
from sitegen.reports.limits import TokenBuckets
from sitegen.reports.open311 import ApiError
from sitegen.reports.passwords import Passwords
from sitegen.reports.photo_work import PhotoWork
from sitegen.reports.photos import PhotoRules
from sitegen.reports.settings import ReportSettings
from sitegen.reports.store.accounts import StaffDirectory
from sitegen.reports.store.audit import AuditLog
from sitegen.reports.store.base import ReportStore
from sitegen.reports.store.casework import CaseBook
from sitegen.reports.store.queue import CaseQueue
from sitegen.reports.store.ratings import RatingBook
from sitegen.reports.store.sessions import SessionBook


@dataclass
class ReportsContext:
    settings: ReportSettings
    jurisdictions: dict[str, Jurisdiction]
    store: ReportStore
    photo_rules: PhotoRules
    passwords: Passwords
    started: dt.datetime
    clock: Callable[[], dt.datetime]
    # Decoding photos takes memory and CPU: slots, per-client lanes and budgets.
    photo_work: PhotoWork
    login_limits: TokenBuckets | None = None  # login attempts per client address
    inflight: InFlight = field(default_factory=InFlight)  # submissions at work, by key

    def __post_init__(self) -> None:
        self.cases = CaseBook(self.store)
        self.queue = CaseQueue(self.store)
        self.accounts = StaffDirectory(self.store)
        self.sessions = SessionBook(self.store)
        self.audit = AuditLog(self.store)
        self.ratings = RatingBook(self.store)

    def now(self) -> dt.datetime:
        return self.clock().astimezone(dt.UTC)

    @property
    def first(self) -> Jurisdiction:
        return next(iter(self.jurisdictions.values()))

    def jurisdiction(self, given: str | None) -> Jurisdiction:
        """The jurisdiction a call names; it may be left out when there is only one (spec)."""
        if given:
            found = self.jurisdictions.get(given)
            if found is None:
                raise ApiError(404, f'unknown jurisdiction_id "{given}"')
            return found
        if len(self.jurisdictions) > 1:
            ids = ", ".join(self.jurisdictions)
            raise ApiError(400, f"jurisdiction_id is required: this endpoint serves {ids}")
        return self.first

    def locale(self, request: Request, j: Jurisdiction, given: str | None = None) -> str:
        """The locale of an answer: ``locale`` parameter, else Accept-Language, else source."""
        return negotiate(
            given if given is not None else request.query_params.get("locale"),
            request.headers.get("accept-language"),
            j.config.locales,
            j.config.source_locale,
        )

    def media_base(self, request: Request) -> str:
        """The public address photos are served under (``…/media/``)."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + "/media/"
        # Never the request's Host header: anyone can send any Host, and the link would be
        # handed to every reader of requests.json.
        return "/media/"


def context_of(request: Request) -> ReportsContext:
    """The context ``create_app`` stored on the application."""
    return cast(ReportsContext, request.app.state.reports)


def client_address(request: Request) -> str:
    """The client's address: the connection's, or X-Forwarded-For's from a trusted proxy."""
    return request.client.host if request.client else "unknown"
