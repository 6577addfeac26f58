"""Settings of the report service: options, then environment variables, then defaults.

Secrets (the database URL, the staff token) come from the environment so that they stay out
of shell history and process lists; everything else may be given either way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError

ENV_PREFIX = "SITEGEN_REPORTS_"
MIB = 1024 * 1024


@dataclass(frozen=True)
class ReportSettings:
    """Everything the report service needs besides site.yaml."""

    project_dir: Path
    database_url: str | None = None  # PostgreSQL when set, SQLite otherwise
    sqlite_path: Path | None = None  # default: PROJECT/.reports/reports.sqlite3
    media_dir: Path | None = None  # default: PROJECT/.reports/media
    staff_token: str | None = None  # no token: the staff API answers 404
    allowed_origins: tuple[str, ...] | None = None  # default: the origin of site.yaml base_url
    prefix: str = "/open311/v2/"
    public_url: str | None = None  # where this service is reached; default: the request's host
    agency_responsible: str | None = None
    ticket_prefix: str | None = None  # default: first part of report.jurisdiction, upper case
    max_body_bytes: int = 32 * MIB
    max_photo_bytes: int = 10 * MIB
    max_photos: int = 3
    photo_max_edge: int = 2048
    photo_format: str = "jpeg"
    submit_burst: int = 10
    submit_per_minute: float = 10.0  # 0 turns the submission limit off
    read_burst: int = 120
    read_per_minute: float = 600.0  # 0 turns the read limit off
    enforce_bounds: bool = True
    load_facilities: bool = True

    @property
    def data_dir(self) -> Path:
        return self.project_dir / ".reports"

    @property
    def sqlite_file(self) -> Path:
        return self.sqlite_path or self.data_dir / "reports.sqlite3"

    @property
    def media_path(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @property
    def api_prefix(self) -> str:
        return "/" + self.prefix.strip("/") + "/"


_SECRETS = {"database_url", "staff_token"}
_CONVERTERS: dict[str, Any] = {
    "sqlite_path": Path,
    "media_dir": Path,
    "allowed_origins": lambda v: tuple(o.strip() for o in v.split(",") if o.strip()),
    "max_body_bytes": int,
    "max_photo_bytes": int,
    "max_photos": int,
    "photo_max_edge": int,
    "submit_burst": int,
    "submit_per_minute": float,
    "read_burst": int,
    "read_per_minute": float,
    "enforce_bounds": lambda v: _boolean(v),
    "load_facilities": lambda v: _boolean(v),
}


def _boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def env_name(field: str) -> str:
    """The environment variable that sets a field, e.g. ``SITEGEN_REPORTS_MAX_PHOTOS``."""
    return ENV_PREFIX + field.upper()


def load_settings(
    project_dir: Path,
    options: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ReportSettings:
    """Settings from options (``None`` ignored), then ``SITEGEN_REPORTS_*``, then defaults."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(ReportSettings):
        if f.name == "project_dir":
            continue
        raw = env.get(env_name(f.name))
        if raw is None or raw == "":
            continue
        convert = _CONVERTERS.get(f.name, str)
        try:
            values[f.name] = convert(raw)
        except ValueError as exc:
            raise ConfigError(f"{env_name(f.name)}: {exc}") from None
    for name, value in (options or {}).items():
        if value is not None:
            values[name] = value
    settings = ReportSettings(project_dir=project_dir, **values)
    check_settings(settings)
    return settings


def check_settings(settings: ReportSettings) -> None:
    """Refuse settings that cannot work, naming the setting."""
    positive = ("max_body_bytes", "max_photo_bytes", "photo_max_edge", "submit_burst", "read_burst")
    for name in positive:
        if getattr(settings, name) <= 0:
            raise ConfigError(f"{env_name(name)}: must be greater than 0")
    for name in ("max_photos", "submit_per_minute", "read_per_minute"):
        if getattr(settings, name) < 0:
            raise ConfigError(f"{env_name(name)}: must not be negative")
    if settings.photo_format not in ("jpeg", "webp"):
        raise ConfigError(f"{env_name('photo_format')}: use jpeg or webp")
    if settings.database_url is not None and not settings.database_url.startswith(
        ("postgresql://", "postgres://")
    ):
        raise ConfigError(
            f"{env_name('database_url')}: expected a postgresql:// URL "
            "(leave it unset to use SQLite)"
        )
    for origin in settings.allowed_origins or ():
        if origin != origin_of(origin):
            raise ConfigError(
                f"{env_name('allowed_origins')}: {origin!r} is not an origin such as "
                "https://map.example.org"
            )
    if settings.staff_token is not None and len(settings.staff_token) < 16:
        raise ConfigError(f"{env_name('staff_token')}: use at least 16 characters")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower case, as browsers send it in ``Origin``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    try:
        given_port = parts.port
    except ValueError:
        return ""
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets in an origin
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = "" if given_port in (None, default_port) else f":{given_port}"
    return f"{parts.scheme}://{host}{port}"


def is_secret(field: str) -> bool:
    """Whether a setting must never be logged or shown."""
    return field in _SECRETS


def human_size(count: int) -> str:
    """``32 MiB``, ``64 KiB`` or ``500 bytes``: limits as people read them."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size:
            return f"{count / size:g} {unit}"
    return f"{count} bytes"
