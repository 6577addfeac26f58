"""A retried submission (same idempotency key) is stored once, with SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sitegen.reports.app import create_app
from sitegen.reports.settings import ReportSettings

from . import images
from .conftest import MakeSettings
from .helpers import API, GOOD_REPORT, media_names, post_report, stored_count


@pytest.fixture
def backend_settings(make_settings: MakeSettings, database_url: str | None) -> ReportSettings:
    return make_settings(database_url)


@pytest.fixture
def any_client(backend_settings: ReportSettings) -> Iterator[TestClient]:
    with TestClient(create_app(backend_settings)) as client:
        yield client


def test_same_key_twice_gives_the_first_ticket(
    any_client: TestClient, backend_settings: ReportSettings
) -> None:
    key = {"Idempotency-Key": "offline-queue-0001"}
    first = post_report(any_client, headers=key)
    second = post_report(any_client, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    assert stored_count(backend_settings) == 1


def test_key_in_a_form_field(any_client: TestClient, backend_settings: ReportSettings) -> None:
    first = post_report(any_client, {"idempotency_key": "field-key"}).json()
    again = post_report(any_client, {"idempotency_key": "field-key"}, fmt="xml")
    assert first[0]["service_request_id"] in again.text
    assert stored_count(backend_settings) == 1


def test_same_key_with_photo_stores_one_photo(
    any_client: TestClient, backend_settings: ReportSettings
) -> None:
    files = [("media", ("a.jpg", images.jpeg(), "image/jpeg"))]
    key = {"Idempotency-Key": "with-photo"}
    tickets = {
        any_client.post(f"{API}requests.json", data=GOOD_REPORT, files=files, headers=key).json()[
            0
        ]["service_request_id"]
        for _ in range(3)
    }
    assert len(tickets) == 1
    assert stored_count(backend_settings) == 1
    assert len(media_names(backend_settings)) == 1


def test_key_reused_for_another_report(
    any_client: TestClient, backend_settings: ReportSettings
) -> None:
    key = {"Idempotency-Key": "reused"}
    ticket = post_report(any_client, headers=key).json()[0]["service_request_id"]
    other = post_report(any_client, {"description": "something else"}, headers=key)
    assert other.status_code == 422
    description = other.json()[0]["description"]
    assert "already used for a different report" in description and ticket in description
    assert stored_count(backend_settings) == 1


def test_key_holds_across_a_restart(backend_settings: ReportSettings) -> None:
    key = {"Idempotency-Key": "before-restart"}
    with TestClient(create_app(backend_settings)) as client:
        first = post_report(client, headers=key).json()
    with TestClient(create_app(backend_settings)) as client:
        again = post_report(client, headers=key).json()
    assert again == first
    assert stored_count(backend_settings) == 1


def test_concurrent_retries_store_one_row(
    any_client: TestClient, backend_settings: ReportSettings
) -> None:
    barrier = threading.Barrier(6)
    answers: list[tuple[int, str]] = []

    def submit() -> None:
        barrier.wait()
        response = post_report(any_client, headers={"Idempotency-Key": "raced"})
        answers.append((response.status_code, response.json()[0]["service_request_id"]))

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 6
    assert {status for status, _ in answers} == {201}
    assert len({ticket for _, ticket in answers}) == 1
    assert stored_count(backend_settings) == 1


def test_header_and_field_must_agree(any_client: TestClient) -> None:
    response = post_report(any_client, {"idempotency_key": "a"}, headers={"Idempotency-Key": "b"})
    assert response.status_code == 400


def test_key_must_be_visible_ascii(any_client: TestClient) -> None:
    assert post_report(any_client, {"idempotency_key": "key with spaces"}).status_code == 400
