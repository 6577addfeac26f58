"""Citizens' ratings over the public API: satisfaction with a closed case (once per closing,
only by the reporting device) and quick ratings of a place, published as aggregates only."""

from __future__ import annotations

from .helpers import API
from .staff_helpers import CONSOLE, StaffBrowser
from .test_console_loop import ctx_of, public, report

PLACE = f"{API}places/futian-0001/ratings.json"


def rate_place(console: StaffBrowser, **form: str) -> object:
    return console.client.post(PLACE, data=form)


def test_place_ratings_are_deduplicated_per_device_and_published_as_counts(
    console: StaffBrowser,
) -> None:
    first = rate_place(console, device_id="phone-a", cleanliness="2", information="wrong")
    assert first.status_code == 201  # type: ignore[attr-defined]
    rate_place(console, device_id="phone-a", cleanliness="1")  # the same phone changes its mind
    rate_place(console, device_id="phone-b", cleanliness="4", information="right")
    rate_place(console, device_id="phone-c", information="wrong")
    one = console.client.get(PLACE).json()
    assert {k: v for k, v in one.items() if k != "updated_datetime"} == {
        "ratings": 3,
        "cleanliness": {"count": 2, "average": 2.5},
        "information": {"right": 1, "wrong": 1},
    }
    everything = console.client.get(f"{API}places/ratings.json")
    assert everything.headers["cache-control"] == "public, max-age=300"
    document = everything.json()
    assert document["jurisdiction_id"] == "sz-demo"
    assert list(document["places"]) == ["futian-0001"]
    assert "phone-a" not in everything.text and "device" not in everything.text
    unrated = console.client.get(f"{API}places/futian-0002/ratings.json").json()
    assert (unrated["ratings"], unrated["cleanliness"]["average"]) == (0, None)


def test_place_ratings_are_checked(console: StaffBrowser) -> None:
    def refused(form: dict[str, str], path: str = PLACE) -> list[str]:
        answer = console.client.post(path, data=form)
        assert answer.status_code in (400, 404, 415), answer.text
        return [e["description"] for e in answer.json()]

    assert refused({"device_id": "p"}) == [
        "give cleanliness (1-5), information (right or wrong), or both"
    ]
    assert refused({"cleanliness": "6", "information": "maybe"}) == [
        "cleanliness must be a whole number from 1 to 5",
        "information must be right or wrong",
    ]
    assert refused({"cleanliness": "3"}, f"{API}places/nowhere/ratings.json") == [
        'unknown facility "nowhere"'
    ]
    xml = console.client.post(f"{API}places/futian-0001/ratings.xml", data={"cleanliness": "3"})
    assert xml.status_code == 404 and "ratings are JSON only: use .json" in xml.text
    assert refused({"cleanliness": "3\x00"}) == ["cleanliness contains control characters"]
    answer = console.client.post(PLACE, json={"cleanliness": 3})
    assert answer.status_code == 415


def test_without_a_device_id_the_address_and_browser_stand_in(console: StaffBrowser) -> None:
    for score in ("5", "1", "3"):
        assert console.client.post(PLACE, data={"cleanliness": score}).status_code == 201
    assert console.client.get(PLACE).json()["ratings"] == 1


def test_low_rated_places_are_a_queue_for_staff(console: StaffBrowser) -> None:
    rate_place(console, device_id="a", cleanliness="1")
    rate_place(console, device_id="b", cleanliness="2", information="wrong")
    console.client.post(
        f"{API}places/futian-0002/ratings.json", data={"device_id": "a", "cleanliness": "5"}
    )
    console.login("vic")
    page = console.get(f"{CONSOLE}places")
    assert page.status_code == 200
    assert "莲花山公园南门公厕" in page.text and "1.5" in page.text
    assert "福田公园东门公厕" not in page.text  # rated well
    assert "https://map.example.org/en/toilet/futian-0001/" in page.text  # its name card


def test_satisfaction_is_checked(console: StaffBrowser) -> None:
    ticket = report(console, key="the-key")
    path = f"{API}requests/{ticket}/satisfaction.json"
    answer = console.client.post(path, data={"satisfaction": "great", "comment": "x" * 501})
    assert [e["description"] for e in answer.json()] == [
        "idempotency_key is required: the key the report was sent with",
        "satisfaction must be one of satisfied, basically_satisfied, dissatisfied",
        "comment is longer than 500 characters",
    ]
    early = console.client.post(
        path, data={"idempotency_key": "the-key", "satisfaction": "satisfied"}
    )
    assert early.status_code == 409
    assert early.json()[0]["description"] == "the case is not closed; rate it once it is closed"
    unknown = f"{API}requests/SZ-2501-ZZZZZZ/satisfaction.json"
    assert (
        console.client.post(
            unknown, data={"idempotency_key": "k", "satisfaction": "satisfied"}
        ).status_code
        == 404
    )


def test_ratings_are_rate_limited(console_settings: object, clock: object) -> None:
    from dataclasses import replace

    from starlette.testclient import TestClient

    from sitegen.reports.app import create_app

    app = create_app(replace(console_settings, rating_per_minute=1.0, rating_burst=2), environ={})  # type: ignore[type-var]
    with TestClient(app) as client:
        statuses = [
            client.post(PLACE, data={"device_id": f"d{n}", "cleanliness": "3"}).status_code
            for n in range(3)
        ]
    assert statuses == [201, 201, 429]


def test_merged_reports_show_the_outcome_of_their_case(console: StaffBrowser) -> None:
    primary = report(console, key="first-phone")
    duplicate = report(console, key="second-phone", lat="22.5536", long="114.0573")
    console.login("mei")
    page = console.get(f"{CONSOLE}requests/{primary}")
    assert duplicate in page.text and "Possible duplicates" in page.text
    assert (
        console.post(f"{CONSOLE}requests/{duplicate}/merge", {"into": primary}).status_code == 303
    )
    assert public(console, duplicate)["extended_attributes"] == {
        "case_status": "received",
        "merged_into": primary,
        "rating_open": False,
        "rated": False,
    }
    console.act(primary, "accept")
    console.act(primary, "dispatch", department="sanitation")
    console.login("wang")
    console.act(primary, "handle", note="Both cubicles cleaned.")
    console.login("mei")
    console.act(primary, "verify")
    console.act(primary, "close", note="Cleaned.")
    seen = public(console, duplicate)
    assert (seen["status"], seen["status_notes"]) == ("closed", "Cleaned.")
    rated = console.client.post(
        f"{API}requests/{duplicate}/satisfaction.json",
        data={"idempotency_key": "second-phone", "satisfaction": "satisfied"},
    )
    assert rated.status_code == 201
    page = console.get(f"{CONSOLE}requests/{primary}").text
    assert "Reports merged into this case" in page and "Satisfied" in page
    assert ctx_of(console).store.get(duplicate).status == "merged"  # type: ignore[union-attr]
    assert console.post(f"{CONSOLE}requests/{primary}/merge", {"into": primary}).status_code == 409
