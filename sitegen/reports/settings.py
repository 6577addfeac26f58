"""Settings of the report service: options, then environment variables, then defaults.

Secrets (the database URL, the staff token) come from the environment so that they stay out
of shell history and process lists; everything else may be given either way.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import ConfigError

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
    # Where this service is reached, for media_url; never taken from a request's Host header.
    # The command sets it to the address it listens on; unset, photo links are relative.
    public_url: str | None = None
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
    photo_megapixels_per_minute: float = 120.0  # decoded per client IP, after a burst
    photo_megapixels_burst: int = 120
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For is believed; none by
    # default: the client address is the connection's.
    trusted_proxies: tuple[str, ...] = ()
    header_timeout: float = 10.0  # seconds for a request's line and headers to arrive
    body_idle_timeout: float = 30.0  # seconds a body may pause
    body_timeout: float = 300.0  # seconds for a whole body (3 photos on a slow phone)
    keep_alive_timeout: float = 5.0  # seconds an idle connection is kept open
    max_connections_per_client: int = 20  # open connections per client IP (proxies exempt)
    enforce_bounds: bool = True
    load_facilities: bool = True
    # Several jurisdictions: a server config file, or more site projects besides project_dir.
    config_file: Path | None = None
    more_projects: tuple[Path, ...] = ()
    # The staff console.
    cookie_secure: bool = True  # off only to try the console over plain http on another host
    session_hours: float = 12.0  # a login lasts at most this long
    session_idle_minutes: float = 120.0  # and ends after this long without a request
    login_max_failures: int = 5  # failed logins in a row that lock an account
    login_lockout_minutes: float = 15.0
    login_per_minute: float = 10.0  # login attempts per client IP and minute, after a burst
    login_burst: int = 5
    rating_per_minute: float = 30.0  # ratings per client IP and minute, after a burst
    rating_burst: int = 10
    password_time_cost: int = 3  # Argon2id cost; lower only for tests
    password_memory_kib: int = 65536

    @property
    def data_dir(self) -> Path:
        if self.config_file is not None:
            return self.config_file.parent / ".reports"
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
    "photo_megapixels_per_minute": float,
    "photo_megapixels_burst": int,
    "trusted_proxies": lambda v: tuple(p.strip() for p in v.split(",") if p.strip()),
    "header_timeout": float,
    "body_idle_timeout": float,
    "body_timeout": float,
    "keep_alive_timeout": float,
    "max_connections_per_client": int,
    "enforce_bounds": lambda v: _boolean(v),
    "load_facilities": lambda v: _boolean(v),
    "config_file": Path,
    "more_projects": lambda v: tuple(Path(p) for p in v.split(",") if p.strip()),
    "cookie_secure": lambda v: _boolean(v),
    "session_hours": float,
    "session_idle_minutes": float,
    "login_max_failures": int,
    "login_lockout_minutes": float,
    "login_per_minute": float,
    "login_burst": int,
    "rating_per_minute": float,
    "rating_burst": int,
    "password_time_cost": int,
    "password_memory_kib": int,
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
    positive = (
        *("max_body_bytes", "max_photo_bytes", "photo_max_edge", "submit_burst", "read_burst"),
        *("session_hours", "session_idle_minutes", "login_max_failures", "login_burst"),
        *("login_lockout_minutes", "rating_burst", "password_time_cost"),
        *("header_timeout", "body_idle_timeout", "body_timeout", "keep_alive_timeout"),
        *("max_connections_per_client",),
    )
    for name in positive:
        if getattr(settings, name) <= 0:
            raise ConfigError(f"{env_name(name)}: must be greater than 0")
    if settings.password_memory_kib < 64:
        raise ConfigError(f"{env_name('password_memory_kib')}: use at least 64 (KiB)")
    for name in (
        "max_photos",
        "submit_per_minute",
        "read_per_minute",
        "login_per_minute",
        "rating_per_minute",
        "photo_megapixels_per_minute",
    ):
        if getattr(settings, name) < 0:
            raise ConfigError(f"{env_name(name)}: must not be negative")
    if settings.photo_megapixels_burst < 25:
        # A report of one large photo (16 megapixels and more) must fit in the burst.
        raise ConfigError(f"{env_name('photo_megapixels_burst')}: use at least 25")
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy)
        except ValueError:
            raise ConfigError(
                f"{env_name('trusted_proxies')}: {proxy!r} is not an IP address or a network "
                "such as 10.0.0.0/8"
            ) from None
    if settings.public_url is not None and origin_of(settings.public_url) == "":
        raise ConfigError(
            f"{env_name('public_url')}: {settings.public_url!r} is not an address such as "
            "https://reports.example.org"
        )
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
