"""Every GeoReport v2 call in JSON and XML, with the spec's names, through Starlette's client."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from starlette.testclient import TestClient

from .helpers import API, GOOD_REPORT, post_report

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
CONTACT_VALUES = ["citizen@example.org", "Mei", "Lin", "1234 5678", "device-42"]


def xml_of(response: object) -> ET.Element:
    text = response.text  # type: ignore[attr-defined]
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert response.headers["content-type"].startswith("text/xml")  # type: ignore[attr-defined]
    return ET.fromstring(response.content)  # type: ignore[attr-defined]


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_discovery(client: TestClient) -> None:
    data = client.get(f"{API}discovery.json").json()
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://reports.example.org/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml_of(client.get(f"{API}discovery.xml"))
    assert root.tag == "discovery"
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint_xml = root.find("endpoints/endpoint")
    assert endpoint_xml is not None
    assert [f.text for f in endpoint_xml.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_json_in_each_language(client: TestClient) -> None:
    services = client.get(f"{API}services.json").json()
    assert [s["service_code"] for s in services] == [
        "toilet_dirty",
        "toilet_broken",
        "wrong_information",
    ]
    dirty, broken, wrong = services
    assert dirty == {
        "service_code": "toilet_dirty",
        "service_name": "厕所不清洁",  # the source locale by default
        "description": "地面或厕位脏污",
        "metadata": False,
        "type": "realtime",
        "keywords": "toilet, clean",
        "group": "公厕",
    }
    assert broken["metadata"] is True
    assert wrong["group"] == ""
    english = client.get(f"{API}services.json", params={"locale": "en"}).json()
    assert english[0]["service_name"] == "Toilet is dirty"
    hant = client.get(f"{API}services.json", headers={"Accept-Language": "zh-TW,en;q=0.5"})
    assert hant.json()[0]["service_name"] == "廁所不清潔"  # derived with OpenCC
    preferred = client.get(f"{API}services.json", headers={"Accept-Language": "fr, en;q=0.8"})
    assert preferred.json()[0]["service_name"] == "Toilet is dirty"


def test_services_xml(client: TestClient) -> None:
    root = xml_of(client.get(f"{API}services.xml", params={"locale": "en"}))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == 3
    assert children(services[0]) == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert services[1].findtext("metadata") == "true"
    assert services[0].findtext("service_name") == "Toilet is dirty"


def test_service_definition_json_and_xml(client: TestClient) -> None:
    definition = client.get(f"{API}services/toilet_broken.json?locale=en").json()
    assert definition["service_code"] == "toilet_broken"
    what, also, count = definition["attributes"]
    assert what == {
        "variable": True,
        "code": "what",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "Choose one of the values",
        "order": 1,
        "description": "What is broken?",
        "values": [{"key": "flush", "name": "Flush"}, {"key": "door", "name": "Door lock"}],
    }
    assert (also["datatype"], also["order"], also["required"]) == ("multivaluelist", 2, False)
    assert (count["datatype"], count["values"]) == ("number", [])

    root = xml_of(client.get(f"{API}services/toilet_broken.xml"))
    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    attribute = root.find("attributes/attribute")
    assert attribute is not None
    assert children(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert attribute.findtext("required") == "true"
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["flush", "door"]
    assert attribute.findtext("values/value/name") == "冲水"


def test_unknown_service_definition_is_404_in_both_formats(client: TestClient) -> None:
    response = client.get(f"{API}services/nope.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": 'unknown service_code "nope"'}]
    root = xml_of(client.get(f"{API}services/nope.xml"))
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"


def test_post_form_then_get_request_json(client: TestClient) -> None:
    response = post_report(client, {"locale": "en"})
    assert response.status_code == 201
    (ticket,) = response.json()
    assert set(ticket) == {"service_request_id", "service_notice", "account_id"}
    assert ticket["service_notice"].startswith("Thank you")
    ticket_id = ticket["service_request_id"]
    (found,) = client.get(f"{API}requests/{ticket_id}.json").json()
    assert list(found) == REQUEST_FIELDS
    assert found["service_request_id"] == ticket_id
    assert found["status"] == "open"
    assert found["service_name"] == "厕所不清洁"
    assert found["description"] == "The floor is wet."
    assert (found["lat"], found["long"]) == (22.5535, 114.0572)
    assert found["requested_datetime"].endswith("+08:00")
    assert found["media_url"] is None
    text = client.get(f"{API}requests/{ticket_id}.json").text
    assert not any(value in text for value in CONTACT_VALUES)


def test_post_xml_and_get_request_xml(client: TestClient) -> None:
    root = xml_of(post_report(client, fmt="xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert children(request) == ["service_request_id", "service_notice", "account_id"]
    ticket_id = request.findtext("service_request_id")
    response = client.get(f"{API}requests/{ticket_id}.xml")
    found = xml_of(response).find("request")
    assert found is not None
    assert children(found) == REQUEST_FIELDS
    assert found.findtext("status") == "open"
    assert found.findtext("lat") == "22.5535"
    assert not any(value in response.text for value in CONTACT_VALUES)


def test_multipart_with_photos_gives_media_url(client: TestClient) -> None:
    files = [("media", ("a.jpg", jpeg_bytes(), "image/jpeg"))] * 2
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=files)
    assert response.status_code == 201, response.text
    ticket_id = response.json()[0]["service_request_id"]
    (found,) = client.get(f"{API}requests/{ticket_id}.json").json()
    # Without a public URL the link is relative to this service, whatever Host was sent.
    assert found["media_url"].startswith("/media/")
    photo = client.get(found["media_url"])
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert Image.open(io.BytesIO(photo.content)).size == (64, 48)


def test_get_requests_filters(client: TestClient) -> None:
    first = post_report(client).json()[0]["service_request_id"]
    form = {"service_code": "toilet_broken", "attribute[what]": "door"}
    second = post_report(client, form).json()[0]["service_request_id"]
    everything = client.get(f"{API}requests.json").json()
    assert [r["service_request_id"] for r in everything] == [second, first]

    by_id = client.get(f"{API}requests.json", params={"service_request_id": f"{first},{second}"})
    assert {r["service_request_id"] for r in by_id.json()} == {first, second}
    by_code = client.get(f"{API}requests.json", params={"service_code": "toilet_broken"})
    assert [r["service_request_id"] for r in by_code.json()] == [second]
    assert client.get(f"{API}requests.json", params={"status": "closed"}).json() == []
    assert len(client.get(f"{API}requests.json", params={"status": "open"}).json()) == 2
    window = {"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-02-01T00:00:00+08:00"}
    assert client.get(f"{API}requests.json", params=window).json() == []

    root = xml_of(client.get(f"{API}requests.xml"))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [second, first]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "pending"}, 'unknown status "pending"; use open or closed'),
        ({"start_date": "yesterday"}, "start_date must look like 2026-11-05T08:15:30+08:00"),
        ({"start_date": "2026-01-01T00:00:00"}, "start_date needs a time zone"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            "start_date and end_date may be at most 90 days apart",
        ),
    ],
)
def test_get_requests_bad_filters(client: TestClient, params: dict[str, str], message: str) -> None:
    response = client.get(f"{API}requests.json", params=params)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(message)


def test_unknown_request_is_404(client: TestClient) -> None:
    response = client.get(f"{API}requests/SZ-2611-ZZZZZZ.json")
    assert response.status_code == 404
    assert xml_of(client.get(f"{API}requests/SZ-2611-ZZZZZZ.xml")).findtext("error/code") == "404"


def test_unknown_format_and_path(client: TestClient) -> None:
    assert client.get(f"{API}services.html").status_code == 404
    assert client.get(f"{API}nothing.xml").status_code == 404
    assert xml_of(client.get(f"{API}nothing.xml")).tag == "errors"


@pytest.mark.parametrize("path", ["services", "services/toilet_dirty", "requests"])
def test_jurisdiction(client: TestClient, path: str) -> None:
    assert client.get(f"{API}{path}.json", params={"jurisdiction_id": "sz-demo"}).status_code == 200
    other = client.get(f"{API}{path}.xml", params={"jurisdiction_id": "gz-demo"})
    assert other.status_code == 404
    assert xml_of(other).findtext("error/description") == 'unknown jurisdiction_id "gz-demo"'


def test_status_seen_by_citizens_follows_staff_changes(client: TestClient) -> None:
    ticket = post_report(client).json()[0]["service_request_id"]
    auth = {"Authorization": "Bearer staff-token-for-tests-0123456789"}
    change = client.post(
        f"/staff/requests/{ticket}/status",
        json={"status": "resolved", "note": "Cleaned at 10:00", "by": "desk-7"},
        headers=auth,
    )
    assert change.status_code == 200, change.text
    staff = change.json()
    assert staff["contact"]["email"] == "citizen@example.org"
    assert [h["status"] for h in staff["history"]] == ["received", "resolved"]
    (public,) = client.get(f"{API}requests/{ticket}.json").json()
    assert (public["status"], public["status_notes"]) == ("closed", "Cleaned at 10:00")
    assert "desk-7" not in client.get(f"{API}requests/{ticket}.json").text
