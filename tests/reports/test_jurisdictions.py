"""Several jurisdictions on one endpoint (a province docking its cities): each sees only its
own reports, services, departments and staff; the server config file's errors are exact."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from sitegen.errors import ConfigError, ContentError
from sitegen.reports.app import create_app
from sitegen.reports.jurisdictions import load_jurisdictions
from sitegen.reports.settings import ReportSettings, load_settings

from .helpers import API, GOOD_REPORT
from .staff_helpers import PASSWORD, StaffBrowser, add_staff, write_second_site

SZ_TOKEN = "sz-machine-token-0123456789"
GZ_TOKEN = "gz-machine-token-0123456789"
TOKENS = {
    "SITEGEN_REPORTS_STAFF_TOKEN_SZ_DEMO": SZ_TOKEN,
    "SITEGEN_REPORTS_STAFF_TOKEN_GZ_DEMO": GZ_TOKEN,
}


@pytest.fixture(scope="session")
def second_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_second_site(tmp_path_factory.mktemp("gz-site"))


@pytest.fixture
def province_settings(
    console_site: Path, second_site: Path, tmp_path: Path, database_url: str | None
) -> ReportSettings:
    options: dict[str, Any] = {
        "database_url": database_url,
        "sqlite_path": tmp_path / "reports.sqlite3",
        "media_dir": tmp_path / "media",
        "more_projects": (second_site,),
        "submit_per_minute": 0.0,
        "read_per_minute": 0.0,
        "login_per_minute": 0.0,
        "password_time_cost": 1,
        "password_memory_kib": 64,
    }
    return load_settings(console_site, options, environ={})


@pytest.fixture
def province(province_settings: ReportSettings) -> Iterator[StaffBrowser]:
    app = create_app(province_settings, environ=TOKENS)
    with TestClient(app, base_url="https://testserver") as client:
        ctx = app.state.reports
        add_staff(ctx, "sz-demo")
        ctx.accounts.add("gao", "Gao", ctx.passwords.hash(PASSWORD))
        ctx.accounts.grant("gao", "gz-demo", "admin", None)
        yield StaffBrowser(client)


def post(client: TestClient, jurisdiction: str | None, **changes: str) -> Any:
    form = {**GOOD_REPORT, **changes}
    if jurisdiction:
        form["jurisdiction_id"] = jurisdiction
    return client.post(f"{API}requests.json", data=form)


def test_each_jurisdiction_sees_only_its_own(province: StaffBrowser) -> None:
    client = province.client
    sz = post(client, "sz-demo").json()[0]["service_request_id"]
    gz = post(client, "gz-demo", service_code="bin_full").json()[0]["service_request_id"]
    assert sz.startswith("SZ-") and gz.startswith("GZ-")

    codes = {
        j: [s["service_code"] for s in client.get(f"{API}services.json?jurisdiction_id={j}").json()]
        for j in ("sz-demo", "gz-demo")
    }
    assert codes == {
        "sz-demo": ["toilet_dirty", "toilet_broken", "wrong_information"],
        "gz-demo": ["bin_full", "toilet_dirty"],
    }
    listed = {
        j: [
            r["service_request_id"]
            for r in client.get(f"{API}requests.json?jurisdiction_id={j}").json()
        ]
        for j in ("sz-demo", "gz-demo")
    }
    assert listed == {"sz-demo": [sz], "gz-demo": [gz]}
    # Open311: with several jurisdictions, calls must say which one.
    missing = client.get(f"{API}services.json")
    assert missing.status_code == 400
    assert missing.json()[0]["description"] == (
        "jurisdiction_id is required: this endpoint serves sz-demo, gz-demo"
    )
    assert post(client, None).status_code == 400
    # A ticket says where it belongs: looked up alone it is found, under the other city not.
    assert client.get(f"{API}requests/{gz}.json").status_code == 200
    assert client.get(f"{API}requests/{gz}.json?jurisdiction_id=sz-demo").status_code == 404
    # A service of the other city is unknown here.
    refused = post(client, "sz-demo", service_code="bin_full")
    assert refused.status_code == 400
    assert "unknown service_code" in refused.json()[0]["description"]


def test_the_console_and_the_machine_api_keep_to_their_jurisdiction(
    province: StaffBrowser,
) -> None:
    client = province.client
    sz = post(client, "sz-demo").json()[0]["service_request_id"]
    gz = post(client, "gz-demo", service_code="bin_full").json()[0]["service_request_id"]
    province.login("mei")  # a supervisor of sz-demo only
    queue = province.get("/staff/sz-demo/")
    assert sz in queue.text and gz not in queue.text
    assert province.get("/staff/gz-demo/").status_code == 403
    assert province.get(f"/staff/gz-demo/requests/{gz}").status_code == 403
    assert province.get(f"/staff/sz-demo/requests/{gz}").status_code == 404
    assert province.post(f"/staff/sz-demo/requests/{gz}/act/accept").status_code == 404
    assert province.get("/staff/nowhere/").status_code == 404
    assert province.get("/staff/gz-demo/cases.json").status_code == 403

    province.login("gao")  # an admin of gz-demo sees its departments, not sz-demo's
    page = province.get(f"/staff/gz-demo/requests/{gz}")
    assert (
        "Cleansing department"
        in province.post(f"/staff/gz-demo/requests/{gz}/act/accept", follow_redirects=True).text
    )
    assert "Sanitation office" not in page.text
    assert province.get("/staff/sz-demo/audit").status_code == 403

    def machine(token: str, ticket: str) -> int:
        answer = client.get(
            f"/staff/requests/{ticket}", headers={"Authorization": f"Bearer {token}"}
        )
        return int(answer.status_code)

    assert (machine(SZ_TOKEN, sz), machine(SZ_TOKEN, gz)) == (200, 404)
    assert (machine(GZ_TOKEN, gz), machine(GZ_TOKEN, sz)) == (200, 404)
    assert machine("no-such-token-000000000", sz) == 401


def test_a_server_config_file_lists_the_jurisdictions(
    console_site: Path, second_site: Path, tmp_path: Path
) -> None:
    config = tmp_path / "reports-server.yaml"
    config.write_text(
        textwrap.dedent(
            f"""\
            jurisdictions:
              - project: {console_site}
                ticket_prefix: SZX
              - project: {second_site}
                id: gz-demo
                staff_token_env: GZ_TOKEN
                deadlines: {{bin_full: 4}}
            """
        ),
        encoding="utf-8",
    )
    settings = load_settings(tmp_path, {"config_file": config}, environ={})
    found = load_jurisdictions(settings, environ={"GZ_TOKEN": GZ_TOKEN})
    assert list(found) == ["sz-demo", "gz-demo"]
    assert found["sz-demo"].tickets.prefix == "SZX"
    assert found["gz-demo"].staff_token == GZ_TOKEN
    assert found["gz-demo"].deadlines.hours_for("bin_full") == 4
    assert found["sz-demo"].department("sanitation") is None  # the file's settings win
    assert settings.sqlite_file == tmp_path / ".reports" / "reports.sqlite3"


def test_server_config_problems_are_told_at_once(console_site: Path, tmp_path: Path) -> None:
    config = tmp_path / "reports-server.yaml"
    config.write_text(
        textwrap.dedent(
            f"""\
            jurisdictions:
              - project: {console_site}
                ticket_prefix: sz
                deadline: {{x: 1}}
                working_hours: "Mo-Fr 9-17"
                duplicate_radius_m: 0
            """
        ),
        encoding="utf-8",
    )
    settings = load_settings(tmp_path, {"config_file": config}, environ={})
    with pytest.raises(ContentError) as caught:
        load_jurisdictions(settings, environ={})
    assert [str(p) for p in caught.value.problems] == [
        f'{config}:3:20: ticket_prefix: "sz" is not 1 to 8 capital letters or digits',
        f'{config}:4:5: unknown jurisdiction field "deadline"; did you mean "deadlines"?',
        f'{config}:5:21: working_hours: "9-17" is not a time span such as 09:00-12:00',
        f"{config}:6:25: duplicate_radius_m: 0 is below the minimum 1",
    ]


def test_deadlines_and_departments_may_name_only_the_sites_services(tmp_path: Path) -> None:
    from .staff_helpers import write_site

    project = write_site(
        tmp_path / "site",
        reports_yaml=textwrap.dedent(
            """\
            departments:
              - {code: parks, name: {en: Parks}, services: [bench_broken]}
            deadlines: {toilet_dirty: 8, toilet_dirt: 4}
            """
        ),
    )
    with pytest.raises(ContentError) as caught:
        load_jurisdictions(load_settings(project, {}, environ={}), environ={})
    path = project / "reports.yaml"
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:2:5: departments: "parks" names the unknown service "bench_broken"',
        f'{path}:3:30: deadlines: unknown service "toilet_dirt"',
    ]


def test_one_staff_token_for_several_jurisdictions_is_refused(
    province_settings: ReportSettings,
) -> None:
    from dataclasses import replace

    with pytest.raises(ConfigError) as caught:
        load_jurisdictions(replace(province_settings, staff_token="x" * 20), environ={})
    assert str(caught.value) == (
        "SITEGEN_REPORTS_STAFF_TOKEN: a server of several jurisdictions takes one token per "
        "jurisdiction (SITEGEN_REPORTS_STAFF_TOKEN_ID or staff_token_env)"
    )
