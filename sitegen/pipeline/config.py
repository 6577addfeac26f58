"""``content/site.yaml``: the typed site configuration."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from sitegen.errors import ConfigError, ContentError, Mark, Problem, Report
from sitegen.pipeline.site_schema import LOCALES, SITE
from sitegen.pipeline.tiles import PRESETS, reachable_in_mainland, template_hosts
from sitegen.source.fields import Context
from sitegen.source.located import LocatedDict, YamlSyntaxError, parse_yaml, read_text


@dataclass(frozen=True)
class TileOverlay:
    """A tile layer drawn over another (Tianditu's annotation: place names)."""

    url: str
    subdomains: str | None = None


@dataclass(frozen=True)
class TileLayer:
    id: str
    name: dict[str, str]
    url: str
    attribution: str
    max_zoom: int
    crs: str
    prefetch: bool
    subdomains: str | None = None
    approval_number: str | None = None
    overlay: TileOverlay | None = None

    def templates(self) -> list[tuple[str, str | None]]:
        """``(url, subdomains)`` of the layer and of its overlay: every tile it fetches."""
        found = [(self.url, self.subdomains)]
        if self.overlay is not None:
            found.append((self.overlay.url, self.overlay.subdomains))
        return found


@dataclass(frozen=True)
class ReportService:
    """A problem category of the Open311 endpoint (``report.services`` in site.yaml)."""

    code: str
    name: dict[str, str]
    description: dict[str, str] | None
    group: dict[str, str] | None
    keywords: tuple[str, ...]
    categories: tuple[str, ...]
    attributes: tuple[dict[str, Any], ...]
    # Where ``categories`` was written: the validate stage checks them against the categories.
    categories_mark: Mark = field(default=Mark(""), repr=False, compare=False)


@dataclass(frozen=True)
class DataSource:
    name: dict[str, str]
    url: str | None
    license: dict[str, str] | None


@dataclass(frozen=True)
class Closure:
    """Days of ``closures`` in site.yaml: closed whatever the hours say."""

    first: dt.date
    last: dt.date
    categories: tuple[str, ...]  # empty: every category

    def applies_to(self, category: str) -> bool:
        """True if this closure closes facilities of ``category``."""
        return not self.categories or category in self.categories


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, checked and with defaults applied."""

    project_dir: Path
    title: dict[str, str]
    description: dict[str, str] | None
    locales: tuple[str, ...]
    source_locale: str
    chinese_variant: str
    base_url: str
    timezone: str
    holidays: str
    hours_horizon_days: int
    page_size: int
    center: tuple[float, float]
    zoom: int
    bounds: tuple[tuple[float, float], tuple[float, float]]
    tiles: tuple[TileLayer, ...]
    report_endpoint: str | None
    report_jurisdiction: str | None
    report_services: tuple[ReportService, ...]
    theme: str
    precache_budget_mb: float
    data_sources: tuple[DataSource, ...]
    icp: str | None = None  # ICP 备案号, in every page footer
    police_record: str | None = None  # 公安备案号, in every page footer
    warnings: tuple[Problem, ...] = ()  # what site.yaml allows but probably should not say
    closures: tuple[Closure, ...] = ()
    # conversion.phrases: target script -> {source phrase: target phrase} (sitegen/i18n)
    conversion_phrases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.project_dir / "content"

    @property
    def police_record_code(self) -> str:
        """The digits of the public-security filing number: its page on beian.mps.gov.cn."""
        return "".join(c for c in self.police_record or "" if c.isdigit())

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. ``/map/``: every link starts with it."""
        return urlsplit(self.base_url).path or "/"


def find_site_file(project_dir: Path) -> Path:
    """The site.yaml of a project folder, or a clear error naming where it was looked for."""
    path = project_dir / "content" / "site.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: no site.yaml here; is {project_dir} a sitegen project?")
    return path


def load_config(project_dir: Path, display_root: Path | None = None) -> SiteConfig:
    """Read and check site.yaml; every problem is reported at once as a ContentError."""
    path = find_site_file(project_dir)
    display = _display(path, display_root or project_dir)
    report = Report()
    try:
        data = parse_yaml(read_text(path, display), display, report)
    except YamlSyntaxError as exc:
        raise ContentError([Problem(exc.mark, exc.message)]) from None
    if not isinstance(data, LocatedDict):
        report.error(Mark(display), "site.yaml must be a mapping of settings")
        raise ContentError(report.problems)
    ctx = Context(report, LOCALES, project_dir / "content")
    values = SITE.parse_items(data, ctx)
    if values is not None:
        _check_consistency(values, data, report)
    if report.errors or values is None:
        raise ContentError(report.sorted())
    config = _build_config(project_dir, values, data)
    warnings = mainland_tile_warnings(config, data.value_mark("tiles"))
    return replace(config, warnings=tuple(warnings)) if warnings else config


def _check_consistency(values: dict[str, Any], data: LocatedDict, report: Report) -> None:
    locales = values["locales"]
    if len(set(locales)) != len(locales):
        report.error(data.value_mark("locales"), "locales: a locale is listed twice")
    if values["source_locale"] not in locales:
        report.error(
            data.value_mark("source_locale"),
            f'source_locale: "{values["source_locale"]}" is not in locales',
        )
    (w, s), (e, n) = values["map"]["bounds"]
    lng, lat = values["map"]["center"]
    if not (w <= lng <= e and s <= lat <= n):
        report.error(data["map"].value_mark("center"), "map.center: outside map.bounds")
    for i, closure in enumerate(values.get("closures") or ()):
        if closure.get("to") and closure["to"] < closure["from"]:
            mark = data["closures"][i].value_mark("to")
            report.error(mark, f"closures.to: {closure['to']} is before closures.from")
    ids = [t.get("id", t.get("preset")) for t in values["tiles"]]
    if len(set(ids)) != len(ids):
        report.error(data.value_mark("tiles"), "tiles: two tile layers have the same id")
    services = (values.get("report") or {}).get("services") or []
    codes = [service["code"] for service in services]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            report.error(
                _service_node(data, index).value_mark("code"),
                f'report.services[{index + 1}].code: "{code}" is the code of service '
                f"{codes.index(code) + 1} too; each service needs its own code",
            )


def _service_node(data: LocatedDict, index: int) -> LocatedDict:
    node = data["report"]["services"][index]
    assert isinstance(node, LocatedDict)
    return node


def _build_config(project_dir: Path, v: dict[str, Any], data: LocatedDict) -> SiteConfig:
    report = v.get("report") or {}
    return SiteConfig(
        project_dir=project_dir,
        title=v["title"],
        description=v.get("description"),
        locales=tuple(v["locales"]),
        source_locale=v["source_locale"],
        chinese_variant=v["chinese_variant"],
        base_url=v["base_url"],
        timezone=v["timezone"],
        holidays=v["holidays"],
        hours_horizon_days=v["hours_horizon_days"],
        page_size=v["page_size"],
        center=v["map"]["center"],
        zoom=v["map"]["zoom"],
        bounds=v["map"]["bounds"],
        tiles=tuple(tile_layer(t, v["locales"]) for t in v["tiles"]),
        report_endpoint=report.get("endpoint"),
        report_jurisdiction=report.get("jurisdiction"),
        report_services=tuple(
            ReportService(
                code=r["code"],
                name=r["name"],
                description=r.get("description"),
                group=r.get("group"),
                keywords=tuple(r.get("keywords") or ()),
                categories=tuple(r.get("categories") or ()),
                attributes=tuple(r.get("attributes") or ()),
                categories_mark=_service_node(data, i).value_mark("categories"),
            )
            for i, r in enumerate(report.get("services") or ())
        ),
        theme=v["theme"],
        precache_budget_mb=(v.get("offline") or {}).get("precache_budget_mb", 10),
        data_sources=tuple(
            DataSource(d["name"], d.get("url"), d.get("license"))
            for d in v.get("data_sources") or ()
        ),
        icp=v.get("icp"),
        police_record=v.get("police_record"),
        closures=tuple(
            Closure(c["from"], c.get("to") or c["from"], tuple(c.get("categories") or ()))
            for c in v.get("closures") or ()
        ),
        conversion_phrases={
            script: dict(table)
            for script, table in ((v.get("conversion") or {}).get("phrases") or {}).items()
        },
    )


def tile_layer(t: dict[str, Any], locales: list[str]) -> TileLayer:
    """A tile layer from its settings: a preset's, with what site.yaml changes of them."""
    preset = PRESETS.get(t.get("preset", ""))
    if preset is None:
        overlay = t.get("overlay")
        return TileLayer(
            id=t["id"],
            name=t["name"],
            url=t["url"],
            attribution=t["attribution"],
            max_zoom=t.get("max_zoom", 18),
            crs=t.get("crs", "wgs84"),
            prefetch=t.get("prefetch", False),
            subdomains=t.get("subdomains"),
            approval_number=t.get("approval_number"),
            overlay=TileOverlay(overlay["url"], overlay.get("subdomains") or t.get("subdomains"))
            if overlay
            else None,
        )
    key = quote(t.get("key", ""), safe="")
    subdomains = t.get("subdomains", preset.subdomains)
    overlay = t.get("overlay") or (
        {"url": preset.overlay.url, "subdomains": preset.overlay.subdomains}
        if preset.overlay
        else None
    )
    return TileLayer(
        id=t.get("id", t["preset"]),
        name=t.get("name") or {k: v for k, v in preset.name.items() if k in locales},
        url=t.get("url", preset.url).replace("{key}", key),
        attribution=t.get("attribution", preset.attribution),
        max_zoom=t.get("max_zoom", preset.max_zoom),
        crs=t.get("crs", preset.crs),
        prefetch=t.get("prefetch", False),
        subdomains=subdomains,
        approval_number=t.get("approval_number"),
        overlay=TileOverlay(
            overlay["url"].replace("{key}", key), overlay.get("subdomains") or subdomains
        )
        if overlay
        else None,
    )


def mainland_tile_warnings(config: SiteConfig, mark: Mark) -> list[Problem]:
    """A warning when a mainland-China site (``holidays: CN``) has no tiles usable there."""
    if config.holidays != "CN":
        return []
    layers = [
        t
        for t in config.tiles
        if all(reachable_in_mainland(url, sub, config.base_url) for url, sub in t.templates())
    ]
    if layers:
        return []
    hosts = sorted(
        {
            netloc
            for t in config.tiles
            for u, s in t.templates()
            for _, netloc in template_hosts(u, s)
        }
    )
    shown = ", ".join(hosts[:3]) + (", …" if len(hosts) > 3 else "")
    return [
        Problem(
            mark,
            f"tiles: holidays is CN, but no tile layer is reachable and approved in mainland "
            f'China ({shown}); add one such as "preset: tianditu" (with its key), '
            f'"preset: amap" or "preset: tencent"',
            "warning",
        )
    ]


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def build_date(config: SiteConfig) -> dt.date:
    """Today in the site's time zone, or the day of ``SOURCE_DATE_EPOCH`` (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    zone = zoneinfo.ZoneInfo(config.timezone)
    moment = (
        dt.datetime.fromtimestamp(int(epoch), zone)
        if epoch and epoch.isdigit()
        else dt.datetime.now(zone)
    )
    return moment.date()


def theme_dir(config_project: Path, name: str) -> Path:
    """The theme folder: the project's own ``themes/NAME``, else the one shipped with sitegen."""
    for root in (config_project / "themes", Path(__file__).resolve().parents[2] / "themes"):
        if (root / name / "templates").is_dir():
            return root / name
    raise ConfigError(f'theme "{name}" not found in {config_project / "themes"} or built in')
