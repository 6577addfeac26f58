"""The service under a real uvicorn on 127.0.0.1, read by the PyPI ``georeport`` client."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from georeport import GeoReport

from sitegen.reports.app import create_app
from sitegen.reports.settings import ReportSettings

from .conftest import MakeSettings
from .helpers import API, GOOD_REPORT, served, stored_count


@pytest.fixture
def live_settings(make_settings: MakeSettings, database_url: str | None) -> ReportSettings:
    return make_settings(database_url)


@pytest.fixture
def server(live_settings: ReportSettings) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its root URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    with served(create_app(live_settings), sock):
        yield f"http://127.0.0.1:{port}"
    sock.close()


def submit(root: str, form: dict[str, str], key: str | None = None) -> tuple[int, Any]:
    """POST requests.json as a form with the standard library."""
    request = urllib.request.Request(
        f"{root}{API}requests.json",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Idempotency-Key": key} if key else {},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def as_list(value: Any) -> list[Any]:
    """xmltodict gives a dict for one element and a list for several: the client passes that on."""
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads_services_and_requests(server: str, fmt: str) -> None:
    client = GeoReport(f"{server}{API}", jurisdiction="sz-demo", output_format=fmt)

    services = as_list(client.get_service_list())
    assert [s["service_code"] for s in services] == [
        "toilet_dirty",
        "toilet_broken",
        "wrong_information",
    ]
    assert str(services[1]["metadata"]).lower() == "true"

    definition = client.get_service_definition("toilet_broken")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = as_list(attributes["attribute"])
    assert [a["code"] for a in attributes] == ["what", "also", "count"]

    status, answer = submit(
        server, {**GOOD_REPORT, "service_code": "toilet_broken"} | {"attribute[what]": "flush"}
    )
    assert status == 201
    ticket = answer[0]["service_request_id"]
    status, _ = submit(server, GOOD_REPORT)
    assert status == 201

    one = client.get_service_request(ticket)
    assert one["service_request_id"] == ticket
    assert one["service_code"] == "toilet_broken"
    assert one["status"] == "open"
    assert "email" not in one and "phone" not in one

    broken = as_list(client.get_service_requests(service_code="toilet_broken"))
    assert [r["service_request_id"] for r in broken] == [ticket]
    everything = as_list(client.get_service_requests(status="open"))
    assert len(everything) == 2
    assert as_list(client.get_service_requests(service_request_id=ticket))[0]["lat"] in (
        22.5535,
        "22.5535",
    )


def test_concurrent_retries_over_http_store_once(
    server: str, live_settings: ReportSettings
) -> None:
    barrier = threading.Barrier(10)
    answers: list[tuple[int, str]] = []

    def retry() -> None:
        barrier.wait()
        status, body = submit(server, GOOD_REPORT, key="phone-queue-17")
        answers.append((status, body[0]["service_request_id"]))

    threads = [threading.Thread(target=retry) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [201] * 10
    assert len({ticket for _, ticket in answers}) == 1
    assert stored_count(live_settings) == 1
