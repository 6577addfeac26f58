"""Bad submissions: each gets the right 4xx in the Open311 format and nothing is stored."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from sitegen.reports.app import create_app
from sitegen.reports.settings import ReportSettings

from . import images
from .conftest import MakeSettings
from .helpers import API, GOOD_REPORT, ORIGIN, media_names, post_report, stored_count


def assert_nothing_stored(settings: ReportSettings) -> None:
    assert stored_count(settings) == 0
    assert media_names(settings) == []


def assert_error(response: Any, status: int, starts: str) -> None:
    assert response.status_code == status, response.text
    errors = response.json()
    assert errors[0]["code"] == status
    assert any(e["description"].startswith(starts) for e in errors), errors


def photo(data: bytes, name: str = "photo.jpg") -> tuple[str, tuple[str, bytes, str]]:
    return ("media", (name, data, "image/jpeg"))


@pytest.fixture
def small_client(make_settings: MakeSettings) -> Iterator[tuple[TestClient, ReportSettings]]:
    """A service with a 64 KiB body limit and 20 KiB photos."""
    settings = make_settings(max_body_bytes=64 * 1024, max_photo_bytes=20 * 1024)
    with TestClient(create_app(settings)) as client:
        yield client, settings


def test_oversize_body_refused_by_content_length(
    small_client: tuple[TestClient, ReportSettings],
) -> None:
    client, settings = small_client
    big = b"x" * 70 * 1024
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=[photo(big)])
    assert_error(response, 413, "the request is larger than 64 KiB")
    assert_nothing_stored(settings)


def test_oversize_body_refused_while_streaming(
    small_client: tuple[TestClient, ReportSettings],
) -> None:
    client, settings = small_client

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b"service_code=toilet_dirty&lat=22.55&long=114.05&description="
        for _ in range(100):
            yield b"x" * 1024

    response = client.post(
        f"{API}requests.xml",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    root = ET.fromstring(response.content)
    assert root.findtext("error/description") == "the request is larger than 64 KiB"
    assert_nothing_stored(settings)


def test_oversize_photo(small_client: tuple[TestClient, ReportSettings]) -> None:
    client, settings = small_client
    big = images.jpeg() + b"x" * 30 * 1024  # under the body limit, over the photo limit
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=[photo(big)])
    assert_error(response, 413, "a photo is larger than 20 KiB")
    assert_nothing_stored(settings)


def test_too_many_photos(client: TestClient, settings: ReportSettings) -> None:
    files = [photo(images.jpeg())] * 4
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=files)
    assert_error(response, 400, "at most 3 photos per report")
    assert_nothing_stored(settings)


def test_non_image_named_jpg(client: TestClient, settings: ReportSettings) -> None:
    files = [photo(images.jpeg()), photo(images.not_an_image(), "holiday.jpg")]
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=files)
    assert_error(response, 415, "a photo is not a JPEG, PNG or WebP image")
    assert_nothing_stored(settings)


def test_decompression_bomb(client: TestClient, settings: ReportSettings) -> None:
    bomb = images.png_bomb()
    assert len(bomb) < 200
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=[photo(bomb, "a.png")])
    assert_error(response, 413, "a photo has too many pixels")
    assert_nothing_stored(settings)


def test_a_file_in_another_field(client: TestClient, settings: ReportSettings) -> None:
    files = [("description", ("a.jpg", images.jpeg(), "image/jpeg"))]
    response = client.post(f"{API}requests.json", data={"service_code": "x"}, files=files)
    assert_error(response, 400, 'only "media" may hold a file')
    assert_nothing_stored(settings)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lat": "north", "long": "114"}, "lat and long must be decimal degrees"),
        ({"lat": "95", "long": "114"}, "lat must be within -90..90"),
        ({"lat": "22.5", "long": "-181"}, "lat must be within -90..90"),
        ({"lat": "nan", "long": "114"}, "lat must be within -90..90"),
        ({"lat": "22.5", "long": None}, "lat and long go together"),
        ({"lat": "48.85", "long": "2.35"}, "the place is outside the area this site covers"),
        ({"lat": None, "long": None}, "give the place: lat and long, address_string or"),
        ({"service_code": None}, "service_code is required"),
        ({"service_code": "pothole"}, 'unknown service_code "pothole"'),
        ({"description": "x" * 4001}, "description is longer than 4000 characters"),
        ({"description": "bell\x07"}, "description contains control characters"),
        ({"email": "not-an-address"}, "email is not an email address"),
        ({"service_code": "toilet_broken"}, "attribute[what] is required"),
        (
            {"service_code": "toilet_broken", "attribute[what]": "roof"},
            "attribute[what]: unknown value 'roof'",
        ),
        (
            {"service_code": "toilet_broken", "attribute[what]": "door", "attribute[count]": "a"},
            "attribute[count] must be a number",
        ),
        ({"attribute[colour]": "red"}, 'service "toilet_dirty" has no attribute "colour"'),
        ({"attribute[facility]": "no-such-place"}, 'unknown facility "no-such-place"'),
    ],
)
def test_invalid_fields(
    client: TestClient, settings: ReportSettings, changes: dict[str, Any], message: str
) -> None:
    assert_error(post_report(client, changes), 400, message)
    assert_nothing_stored(settings)


def test_every_problem_is_told_at_once(client: TestClient) -> None:
    response = post_report(client, {"service_code": None, "lat": "95", "email": "x"})
    assert [e["description"].split(" ")[0] for e in response.json()] == [
        "service_code",
        "lat",
        "email",
    ]


def test_a_field_given_twice(client: TestClient, settings: ReportSettings) -> None:
    body = "service_code=toilet_dirty&service_code=wrong_information&lat=22.55&long=114.05"
    response = client.post(
        f"{API}requests.json",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_error(response, 400, "service_code is given more than once")
    assert_nothing_stored(settings)


def test_not_a_form(client: TestClient, settings: ReportSettings) -> None:
    response = client.post(f"{API}requests.json", json=GOOD_REPORT)
    assert_error(response, 415, "send the report as a form")
    assert_nothing_stored(settings)


def test_unknown_jurisdiction(client: TestClient, settings: ReportSettings) -> None:
    response = post_report(client, {"jurisdiction_id": "gz-demo"}, fmt="xml")
    assert response.status_code == 404
    assert ET.fromstring(response.content).findtext("error/code") == "404"
    assert_nothing_stored(settings)


def test_honeypot_filled(client: TestClient, settings: ReportSettings) -> None:
    response = post_report(client, {"website": "http://spam.example"})
    assert_error(response, 400, "the website field must be left empty")
    assert_nothing_stored(settings)
    assert post_report(client, {"website": ""}).status_code == 201  # people leave it empty


def test_foreign_origin(client: TestClient, settings: ReportSettings) -> None:
    foreign = {"Origin": "https://evil.example"}
    response = post_report(client, headers=foreign)
    assert_error(response, 403, "requests from https://evil.example are not allowed")
    preflight = client.options(
        f"{API}requests.json",
        headers={**foreign, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers
    assert_nothing_stored(settings)


def test_allowed_origin_gets_cors(client: TestClient) -> None:
    preflight = client.options(
        f"{API}requests.json",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "idempotency-key",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "Idempotency-Key" in preflight.headers["access-control-allow-headers"]
    response = post_report(client, headers={"Origin": ORIGIN})
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "Origin" in response.headers["vary"]


def test_script_in_description_is_stored_as_text_and_escaped(client: TestClient) -> None:
    script = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    ticket = post_report(client, {"description": script}).json()[0]["service_request_id"]
    as_json = client.get(f"{API}requests/{ticket}.json")
    assert "<script>" not in as_json.text and "<img" not in as_json.text
    assert "\\u003cscript\\u003e" in as_json.text
    assert as_json.json()[0]["description"] == script
    as_xml = client.get(f"{API}requests/{ticket}.xml")
    assert "<script>" not in as_xml.text
    assert "&lt;script&gt;" in as_xml.text
    assert ET.fromstring(as_xml.content).findtext("request/description") == script
    assert as_json.headers["x-content-type-options"] == "nosniff"


def test_rate_limit(make_settings: MakeSettings) -> None:
    settings = make_settings(submit_per_minute=1.0, submit_burst=2)
    with TestClient(create_app(settings)) as client:
        assert post_report(client).status_code == 201
        assert post_report(client).status_code == 201
        refused = post_report(client, fmt="xml")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert ET.fromstring(refused.content).findtext("error/code") == "429"
        assert client.get(f"{API}services.json").status_code == 200  # reads have their own
    assert stored_count(settings) == 2


def test_read_rate_limit(make_settings: MakeSettings) -> None:
    settings = make_settings(read_per_minute=6.0, read_burst=3)
    with TestClient(create_app(settings)) as client:
        codes = [client.get(f"{API}services.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_database_failure_asks_for_a_retry(
    client: TestClient, settings: ReportSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = client.app.state.reports.store  # type: ignore[attr-defined]

    def broken(*args: object) -> None:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(store, "create", broken)
    files = [photo(images.jpeg())]
    response = client.post(f"{API}requests.xml", data=GOOD_REPORT, files=files)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    description = ET.fromstring(response.content).findtext("error/description") or ""
    assert "send it again with the same idempotency key" in description
    monkeypatch.undo()
    assert_nothing_stored(settings)  # the photo written for it was removed again
