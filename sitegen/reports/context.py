"""What every handler of one report service shares, built once by ``create_app``."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import cast

import anyio
from starlette.requests import Request

from ..config import SiteConfig
from .catalog import Catalog
from .facilities import FacilityIndex
from .language import negotiate
from .open311 import ApiError
from .photos import PhotoRules
from .settings import ReportSettings
from .store import ReportStore


@dataclass
class ReportsContext:
    settings: ReportSettings
    config: SiteConfig
    catalog: Catalog
    store: ReportStore
    facilities: FacilityIndex
    photo_rules: PhotoRules
    zone: zoneinfo.ZoneInfo
    started: dt.datetime
    # Decoding photos takes memory and CPU: at most this many at once (set in the lifespan,
    # since a limiter belongs to the running event loop).
    photo_slots: anyio.CapacityLimiter | None = field(default=None)

    def check_jurisdiction(self, given: str | None) -> None:
        """A missing jurisdiction_id is fine (there is one); another one is unknown."""
        if given and given != self.config.report_jurisdiction:
            raise ApiError(404, f'unknown jurisdiction_id "{given}"')

    def locale(self, request: Request, given: str | None = None) -> str:
        """The locale of an answer: ``locale`` parameter, else Accept-Language, else source."""
        return negotiate(
            given if given is not None else request.query_params.get("locale"),
            request.headers.get("accept-language"),
            self.config.locales,
            self.config.source_locale,
        )

    def media_base(self, request: Request) -> str:
        """The public address photos are served under (``…/media/``)."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + "/media/"
        return str(request.base_url) + "media/"


def context_of(request: Request) -> ReportsContext:
    """The context ``create_app`` stored on the application."""
    return cast(ReportsContext, request.app.state.reports)
