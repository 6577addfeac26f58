"""Small parts on their own: token buckets, settings, languages, the staff API's door."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sitegen.errors import ConfigError
from sitegen.reports.app import create_app
from sitegen.reports.language import negotiate
from sitegen.reports.limits import TokenBuckets
from sitegen.reports.settings import load_settings, origin_of

from .conftest import MakeSettings
from .helpers import STAFF_TOKEN, post_report


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=6, burst=2, clock=clock)
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(10.0)
    assert buckets.take("b") == 0.0  # every client has its own bucket
    clock.now += 10
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0


def test_token_buckets_forget_idle_clients() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=60, burst=1, clock=clock, max_clients=3)
    for client in "abc":
        buckets.take(client)
    clock.now += 5
    buckets.take("d")
    assert set(buckets._buckets) == {"d"}


def test_a_zero_rate_turns_the_limit_off() -> None:
    buckets = TokenBuckets(per_minute=0, burst=1)
    assert all(buckets.take("a") == 0.0 for _ in range(100))


def test_settings_from_environment(tmp_path: Path) -> None:
    env = {
        "SITEGEN_REPORTS_DATABASE_URL": "postgresql://reports@db/reports",
        "SITEGEN_REPORTS_MAX_PHOTOS": "5",
        "SITEGEN_REPORTS_ALLOWED_ORIGINS": "https://a.example, https://b.example:8443",
        "SITEGEN_REPORTS_ENFORCE_BOUNDS": "no",
    }
    settings = load_settings(tmp_path, {"max_photos": None}, environ=env)
    assert settings.database_url == "postgresql://reports@db/reports"
    assert settings.max_photos == 5
    assert settings.allowed_origins == ("https://a.example", "https://b.example:8443")
    assert settings.enforce_bounds is False
    assert load_settings(tmp_path, {"max_photos": 1}, environ=env).max_photos == 1
    assert settings.sqlite_file == tmp_path / ".reports" / "reports.sqlite3"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SITEGEN_REPORTS_MAX_PHOTOS": "three"}, "SITEGEN_REPORTS_MAX_PHOTOS: invalid literal"),
        ({"SITEGEN_REPORTS_STAFF_TOKEN": "short"}, "use at least 16 characters"),
        ({"SITEGEN_REPORTS_ALLOWED_ORIGINS": "https://a.example/map/"}, "is not an origin"),
        ({"SITEGEN_REPORTS_PHOTO_FORMAT": "gif"}, "use jpeg or webp"),
    ],
)
def test_bad_settings_name_the_variable(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path, environ=env)


def test_origin_of() -> None:
    assert origin_of("https://Map.Example.org/city/") == "https://map.example.org"
    assert origin_of("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert origin_of("https://x.example:443/") == "https://x.example"
    assert origin_of("ftp://x.example/") == ""


@pytest.mark.parametrize(
    ("requested", "accept", "expected"),
    [
        (None, None, "zh-Hans"),
        ("en", "zh-TW", "en"),
        ("zh-hant", None, "zh-Hant"),
        (None, "zh-HK,zh;q=0.9", "zh-Hant"),
        (None, "zh-CN", "zh-Hans"),
        (None, "zh", "zh-Hans"),
        (None, "de-DE, en-GB;q=0.7, zh-TW;q=0.5", "en"),
        (None, "en;q=0, zh-TW;q=0.1", "zh-Hant"),
        ("xx", "fr", "zh-Hans"),
    ],
)
def test_negotiate(requested: str | None, accept: str | None, expected: str) -> None:
    assert negotiate(requested, accept, ("zh-Hans", "zh-Hant", "en"), "zh-Hans") == expected


def test_staff_api_needs_the_token(client: TestClient) -> None:
    ticket = post_report(client).json()[0]["service_request_id"]
    path = f"/staff/requests/{ticket}"
    assert client.get(path).status_code == 401
    wrong = client.get(path, headers={"Authorization": "Bearer " + "x" * 32})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    right = client.get(path, headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert right.status_code == 200
    assert right.json()["contact"]["phone"] == "+86 755 1234 5678"
    bad = client.patch(
        f"{path}/status",
        data={"status": "lost"},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    assert bad.status_code == 400 and "unknown status" in bad.json()[0]["description"]


def test_staff_api_is_off_without_a_token(make_settings: MakeSettings) -> None:
    with TestClient(create_app(make_settings(staff_token=None))) as client:
        ticket = post_report(client).json()[0]["service_request_id"]
        response = client.post(
            f"/staff/requests/{ticket}/status",
            json={"status": "closed"},
            headers={"Authorization": "Bearer anything-at-all-here"},
        )
    assert response.status_code == 404
    assert "staff API is off" in response.json()[0]["description"]
