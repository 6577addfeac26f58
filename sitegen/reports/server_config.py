"""What a report server is told beyond site.yaml: its jurisdictions, and for each one the
departments, the deadlines of its services, its working hours and its duplicate radius.

Two ways to say it: one server file (``--config reports-server.yaml``) listing every
jurisdiction with its site project, or a ``reports.yaml`` inside each site project given
with ``-C``. Problems are reported all at once as ``path:line:col: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import ConfigError, ContentError, Mark, Problem, Report
from sitegen.pipeline.site_schema import LOCALES
from sitegen.reports.cases.deadlines import DEFAULT_WEEK, WorkingWeek, parse_week
from sitegen.reports.cases.duplicates import DEFAULT_RADIUS_M
from sitegen.source.fields import Context, Invalid, LocalizedText, Number, Text
from sitegen.source.located import (
    LocatedDict,
    LocatedList,
    YamlSyntaxError,
    parse_yaml,
    read_text,
)
from sitegen.source.records import Custom, ListOf, Record

PROJECT_FILE = "reports.yaml"  # a site project's own report-server settings
_ID = r"[a-z0-9][a-z0-9_-]*"


def _week(value: Any) -> WorkingWeek:
    if not isinstance(value, str):
        raise Invalid('expected working hours such as "Mo-Fr 09:00-12:00,14:00-18:00"')
    try:
        return parse_week(value)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


DEPARTMENT = Record(
    what="department field",
    fields={
        "code": Text(required=True, pattern=_ID, pattern_doc="a short lowercase code"),
        "name": LocalizedText(required=True),
        "services": ListOf(Text(), doc="Services this department usually handles."),
    },
)
JURISDICTION_FIELDS = {
    "id": Text(
        pattern=_ID, pattern_doc="a short lowercase id", doc="Default: report.jurisdiction."
    ),
    "ticket_prefix": Text(pattern=r"[A-Z0-9]{1,8}", pattern_doc="1 to 8 capital letters or digits"),
    "staff_token_env": Text(
        pattern=r"[A-Z_][A-Z0-9_]*", pattern_doc="an environment variable's name"
    ),
    "departments": ListOf(DEPARTMENT),
    "deadlines": Record(
        what="deadline",
        prefix="deadlines.",
        extra=Number(min=0, max=100_000),
        doc="Working hours per service code; `default` for the others.",
    ),
    "working_hours": Custom(_week, {"type": "string"}, "working hours"),
    "duplicate_radius_m": Number(min=1, max=5000, default=DEFAULT_RADIUS_M),
}
PROJECT_SETTINGS = Record(what="report server setting", fields=JURISDICTION_FIELDS)
SERVER_SETTINGS = Record(
    what="server setting",
    fields={
        "jurisdictions": ListOf(
            Record(
                what="jurisdiction field",
                fields={"project": Text(required=True), **JURISDICTION_FIELDS},
            ),
            min_items=1,
            required=True,
        )
    },
)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: dict[str, str]
    services: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class JurisdictionSpec:
    """One jurisdiction as configured, before its site project is read."""

    project: Path
    source: str  # the file it was read from, or "" for the defaults
    id: str | None = None
    ticket_prefix: str | None = None
    staff_token_env: str | None = None
    departments: tuple[DepartmentSpec, ...] = ()
    deadlines: dict[str, float] = field(default_factory=dict)
    deadline_marks: dict[str, Mark] = field(default_factory=dict)
    working_week: WorkingWeek = field(default_factory=lambda: parse_week(DEFAULT_WEEK))
    duplicate_radius_m: float = DEFAULT_RADIUS_M
    mark: Mark = field(default_factory=lambda: Mark(""))


def _load(path: Path, schema: Record) -> tuple[LocatedDict, dict[str, Any]]:
    display = str(path)
    report = Report()
    try:
        data = parse_yaml(read_text(path, display), display, report)
    except YamlSyntaxError as exc:
        raise ContentError([Problem(exc.mark, exc.message)]) from None
    if not isinstance(data, LocatedDict):
        raise ContentError([Problem(Mark(display), "expected a mapping of settings")])
    values = schema.parse_items(data, Context(report, LOCALES))
    if report.errors or values is None:
        raise ContentError(report.sorted())
    return data, values


def _spec(project: Path, source: str, raw: LocatedDict, v: dict[str, Any]) -> JurisdictionSpec:
    departments = tuple(
        DepartmentSpec(d["code"], d["name"], tuple(d.get("services") or ()), _item_mark(raw, i))
        for i, d in enumerate(v.get("departments") or ())
    )
    raw_deadlines = raw.get("deadlines")
    marks = (
        {str(k): raw_deadlines.key_mark(k) for k in raw_deadlines}
        if isinstance(raw_deadlines, LocatedDict)
        else {}
    )
    return JurisdictionSpec(
        project=project,
        source=source,
        id=v.get("id"),
        ticket_prefix=v.get("ticket_prefix"),
        staff_token_env=v.get("staff_token_env"),
        departments=departments,
        deadlines={str(k): float(h) for k, h in (v.get("deadlines") or {}).items()},
        deadline_marks=marks,
        working_week=v.get("working_hours") or parse_week(DEFAULT_WEEK),
        duplicate_radius_m=float(v["duplicate_radius_m"]),
        mark=raw.mark,
    )


def _item_mark(raw: LocatedDict, index: int) -> Mark:
    items = raw.get("departments")
    return items.item_mark(index) if isinstance(items, LocatedList) else raw.mark


def read_project_settings(project: Path) -> JurisdictionSpec:
    """The ``reports.yaml`` of a site project, or the defaults when it has none."""
    path = project / PROJECT_FILE
    if not path.is_file():
        return JurisdictionSpec(project=project, source="")
    raw, values = _load(path, PROJECT_SETTINGS)
    return _spec(project, str(path), raw, values)


def read_server_file(path: Path) -> list[JurisdictionSpec]:
    """Every jurisdiction of a server config file; projects are relative to the file."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such server config file")
    raw, values = _load(path, SERVER_SETTINGS)
    items = raw["jurisdictions"]
    specs = []
    for index, v in enumerate(values["jurisdictions"]):
        item = items[index]
        project = (path.parent / v["project"]).resolve()
        specs.append(_spec(project, str(path), item, v))
    return specs
