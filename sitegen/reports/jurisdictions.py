"""The jurisdictions one report server serves (a province docking its cities): each with
its site project, services, departments, deadlines, ticket prefix and staff token.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from sitegen.errors import ConfigError, ContentError, Problem
from sitegen.hours.calendar import HolidayCalendar
from sitegen.i18n.localize import Localizer, LText
from sitegen.pipeline.config import SiteConfig, load_config
from sitegen.pipeline.services import Catalog, build_catalog
from sitegen.reports.cases.deadlines import Deadlines
from sitegen.reports.facilities import FacilityIndex, load_places_apart
from sitegen.reports.records import TicketMaker, ticket_prefix
from sitegen.reports.server_config import (
    JurisdictionSpec,
    read_project_settings,
    read_server_file,
)
from sitegen.reports.settings import ReportSettings, env_name

DEFAULT_ID = "default"  # the jurisdiction of a single site that names none
RESERVED_IDS = {"login", "logout", "static", "requests", "media"}  # paths under /staff/


@dataclass(frozen=True)
class Department:
    code: str
    name: LText
    services: tuple[str, ...]


@dataclass
class Jurisdiction:
    """One city (or district) on the endpoint."""

    id: str
    config: SiteConfig
    catalog: Catalog
    tickets: TicketMaker
    zone: zoneinfo.ZoneInfo
    facilities: FacilityIndex
    departments: tuple[Department, ...]
    deadlines: Deadlines
    duplicate_radius_m: float
    staff_token: str | None

    def department(self, code: str | None) -> Department | None:
        return next((d for d in self.departments if d.code == code), None)

    def suggested_department(self, service_code: str) -> Department | None:
        """The department that usually handles a service, if one says so."""
        return next((d for d in self.departments if service_code in d.services), None)


def token_variable(jurisdiction_id: str) -> str:
    """``SITEGEN_REPORTS_STAFF_TOKEN_SZ_DEMO``: the default variable of a jurisdiction's token."""
    suffix = "".join(c if c.isalnum() else "_" for c in jurisdiction_id.upper())
    return f"{env_name('staff_token')}_{suffix}"


def load_jurisdictions(
    settings: ReportSettings, environ: Mapping[str, str] | None = None
) -> dict[str, Jurisdiction]:
    """Every jurisdiction the settings name, checked; in the order they were given."""
    env = os.environ if environ is None else environ
    if settings.config_file is not None:
        specs = read_server_file(settings.config_file)
    else:
        specs = [read_project_settings(p) for p in (settings.project_dir, *settings.more_projects)]
    several = len(specs) > 1
    if several and settings.staff_token:
        raise ConfigError(
            f"{env_name('staff_token')}: a server of several jurisdictions takes one token per "
            f"jurisdiction ({token_variable('ID')} or staff_token_env)"
        )
    found: dict[str, Jurisdiction] = {}
    for spec in specs:
        j = _jurisdiction(spec, settings, env, several)
        if j.id in found:
            raise ConfigError(f'{spec.source or spec.project}: the jurisdiction "{j.id}" is twice')
        found[j.id] = j
    prefixes = [j.tickets.prefix for j in found.values()]
    if len(set(prefixes)) != len(prefixes):
        raise ConfigError("two jurisdictions have the same ticket prefix; set ticket_prefix")
    return found


def _jurisdiction(
    spec: JurisdictionSpec, settings: ReportSettings, env: Mapping[str, str], several: bool
) -> Jurisdiction:
    config = load_config(spec.project)
    jid = _id(spec, config, several)
    zone = zoneinfo.ZoneInfo(config.timezone)
    catalog = build_catalog(config)
    _check_codes(spec, catalog)
    prefix = spec.ticket_prefix or (None if several else settings.ticket_prefix)
    if prefix is None:
        prefix = ticket_prefix(ReportSettings(spec.project), config.report_jurisdiction)
    localizer = Localizer(config.locales, config.source_locale, config.chinese_variant)
    deadlines = dict(spec.deadlines)
    default_hours = deadlines.pop("default", None)
    loader = partial(load_places_apart, spec.project) if settings.load_facilities else None
    token = env.get(spec.staff_token_env or token_variable(jid)) or (
        None if several else settings.staff_token
    )
    if token is not None and len(token) < 16:
        raise ConfigError(f"the staff token of {jid}: use at least 16 characters")
    return Jurisdiction(
        id=jid,
        config=config,
        catalog=catalog,
        tickets=TicketMaker(prefix.upper(), zone),
        zone=zone,
        facilities=FacilityIndex(loader),
        departments=tuple(
            Department(d.code, localizer.resolve(d.name), d.services) for d in spec.departments
        ),
        deadlines=Deadlines(
            spec.working_week, HolidayCalendar(config.holidays), zone, deadlines, default_hours
        ),
        duplicate_radius_m=spec.duplicate_radius_m,
        staff_token=token or None,
    )


def _id(spec: JurisdictionSpec, config: SiteConfig, several: bool) -> str:
    site = config.report_jurisdiction
    if spec.id and site and spec.id != site:
        raise ContentError(
            [Problem(spec.mark, f'id: "{spec.id}" differs from report.jurisdiction "{site}"')]
        )
    jid = spec.id or site
    if jid is None:
        if several:
            raise ConfigError(
                f"{spec.project}: give report.jurisdiction in site.yaml (or an id): "
                "several jurisdictions share this server"
            )
        jid = DEFAULT_ID
    if jid in RESERVED_IDS:
        raise ConfigError(f'{spec.project}: "{jid}" cannot be a jurisdiction id')
    return jid


def _check_codes(spec: JurisdictionSpec, catalog: Catalog) -> None:
    """Deadlines and departments may name only the site's services."""
    codes = {s.code for s in catalog.services}
    problems = [
        Problem(spec.deadline_marks.get(code, spec.mark), f'deadlines: unknown service "{code}"')
        for code in spec.deadlines
        if code != "default" and code not in codes
    ]
    for d in spec.departments:
        problems.extend(
            Problem(d.mark, f'departments: "{d.code}" names the unknown service "{code}"')
            for code in d.services
            if code not in codes
        )
    seen = [d.code for d in spec.departments]
    if len(set(seen)) != len(seen):
        problems.append(Problem(spec.mark, "departments: a department code is used twice"))
    if problems:
        raise ContentError(sorted(problems))
