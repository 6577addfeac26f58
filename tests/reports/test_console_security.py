"""The console's doors: every staff route refuses an anonymous request and a wrong role,
forms need their CSRF token, repeated failed logins lock an account, cookies and headers
are strict, internal notes and contact data never reach a public answer, and the audit log
records each change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from .helpers import API
from .staff_helpers import CONSOLE, PASSWORD, FixedClock, StaffBrowser, csrf_of
from .test_console_loop import ctx_of, report

# Every console route, with the role it needs at least (None: any signed-in staff member).
GET_ROUTES = [
    ("", "viewer"),
    ("map.geojson", "viewer"),
    ("places", "viewer"),
    ("requests/{ticket}", "viewer"),
    ("export.csv", "handler"),
    ("export.geojson", "handler"),
    ("cases.json", "supervisor"),
    ("cases.csv", "supervisor"),
    ("audit", "admin"),
]
POST_ROUTES = [
    ("requests/{ticket}/act/accept", "supervisor"),
    ("requests/{ticket}/act/reject", "supervisor"),
    ("requests/{ticket}/act/dispatch", "supervisor"),
    ("requests/{ticket}/act/verify", "supervisor"),
    ("requests/{ticket}/act/close", "supervisor"),
    ("requests/{ticket}/act/reopen", "supervisor"),
    ("requests/{ticket}/act/send_back", "supervisor"),
    ("requests/{ticket}/act/inform", "supervisor"),
    ("requests/{ticket}/act/start", "handler"),
    ("requests/{ticket}/act/handle", "handler"),
    ("requests/{ticket}/merge", "supervisor"),
    ("requests/{ticket}/priority", "supervisor"),
    ("requests/{ticket}/note", "handler"),
]
RANK = ["viewer", "handler", "supervisor", "admin"]
USER_OF_ROLE = {"viewer": "vic", "handler": "wang", "supervisor": "mei", "admin": "ada"}
SECRETS = ["INTERNAL-NOTE-7731", "SEND-BACK-REASON-5512", "citizen@example.org", "1234 5678"]


def test_anonymous_requests_are_refused_everywhere(console: StaffBrowser) -> None:
    ticket = report(console)
    client = console.client
    for path, _ in GET_ROUTES:
        answer = client.get(CONSOLE + path.format(ticket=ticket), follow_redirects=False)
        if path.endswith((".csv", ".json", ".geojson")):
            assert answer.status_code == 401, path
        else:  # a page sends the visitor to the login page, and back afterwards
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/staff/login?next=%2Fstaff%2F")
        assert ticket not in answer.text and "citizen@example.org" not in answer.text
    for path, _ in POST_ROUTES:
        answer = client.post(CONSOLE + path.format(ticket=ticket), data={"note": "x"})
        assert answer.status_code == 401, path
    assert client.get("/staff/", follow_redirects=False).status_code == 303
    assert [h.status for h in ctx_of(console).store.history(ticket)] == ["received"]


@pytest.mark.parametrize("role", RANK[:-1])
def test_a_lower_role_is_refused(console: StaffBrowser, role: str) -> None:
    ticket = report(console)
    console.login(USER_OF_ROLE[role])
    for path, needed in GET_ROUTES:
        status = console.get(CONSOLE + path.format(ticket=ticket)).status_code
        assert (status == 403) == (RANK.index(role) < RANK.index(needed)), (role, path, status)
    for path, needed in POST_ROUTES:
        if RANK.index(role) < RANK.index(needed):
            answer = console.post(CONSOLE + path.format(ticket=ticket), {"note": "x"})
            assert answer.status_code == 403, (role, path)
    if role == "viewer":
        page = console.get(f"{CONSOLE}requests/{ticket}").text
        assert "citizen@example.org" not in page  # contact is for handlers and above
        assert 'name="csrf"' in page and "/act/" not in page  # no action forms offered
    assert [h.status for h in ctx_of(console).store.history(ticket)] == ["received"]


def test_forms_need_the_sessions_csrf_token(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("mei")
    path = f"{CONSOLE}requests/{ticket}/act/accept"
    assert console.client.post(path, data={}).status_code == 403
    assert console.client.post(path, data={"csrf": "forged"}).status_code == 403
    other = TestClient(console.client.app, base_url="https://testserver")
    StaffBrowser(other).login("li")
    stolen = csrf_of(other.get(CONSOLE).text)  # a token of another session
    assert console.client.post(path, data={"csrf": stolen}).status_code == 403
    assert [h.status for h in ctx_of(console).store.history(ticket)] == ["received"]
    assert console.act(ticket, "accept").status_code == 303
    # The login form has a token of its own (in a cookie and the form).
    console.client.cookies.clear()
    assert (
        console.client.post(
            "/staff/login", data={"username": "mei", "password": PASSWORD}
        ).status_code
        == 403
    )


def test_a_page_of_another_site_cannot_post(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("mei")
    path = f"{CONSOLE}requests/{ticket}/act/accept"
    for origin in ("https://evil.example", "https://map.example.org"):
        answer = console.client.post(path, data={"csrf": console.token}, headers={"Origin": origin})
        assert answer.status_code == 403, origin
    own = console.client.post(
        path,
        data={"csrf": console.token},
        headers={"Origin": "https://testserver"},
        follow_redirects=False,
    )
    assert own.status_code == 303


def test_failed_logins_lock_the_account(console: StaffBrowser, clock: FixedClock) -> None:
    for _ in range(5):
        answer = console.login("mei", "wrong password 123")
        assert answer.status_code == 401
        assert "Sign-in failed." in answer.text
    assert console.login("mei").status_code == 401  # locked: the right password is refused too
    assert console.login("nobody", "whatever 12345").status_code == 401  # the same answer
    user = ctx_of(console).accounts.find("mei")
    assert user is not None and user.locked(clock.now)
    clock.advance(minutes=16)
    assert console.login("mei").status_code == 303
    failed = ctx_of(console).audit.entries("sz-demo", action="login_failed")[0]
    assert len(failed) == 6 and failed[0].detail == {"locked": True, "user": "mei"}


def test_logins_from_one_address_are_rate_limited(console: StaffBrowser) -> None:
    from sitegen.reports.limits import TokenBuckets

    ctx_of(console).login_limits = TokenBuckets(per_minute=1, burst=2)
    assert [console.login("vic", "wrong password 123").status_code for _ in range(2)] == [401, 401]
    slow = console.login("vic")
    assert slow.status_code == 429 and int(slow.headers["retry-after"]) > 0


def test_cookies_and_headers(console: StaffBrowser) -> None:
    page = console.client.get("/staff/login")
    assert page.headers["content-security-policy"].startswith(
        "default-src 'none'; script-src 'self'"
    )
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    login = console.client.post(
        "/staff/login",
        data={
            "csrf": csrf_of(page.text),
            "username": "mei",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert login.headers["location"] == "/staff/"  # never an open redirect
    cookie = next(
        c for c in login.headers.get_list("set-cookie") if c.startswith("__Host-sitegen-staff=")
    )
    assert all(part in cookie for part in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"))
    assert "Domain" not in cookie
    token = re.match(r"__Host-sitegen-staff=([^;]+)", cookie).group(1)  # type: ignore[union-attr]
    stored = ctx_of(console).store
    with stored.transaction(write=False) as tx:
        hashes = [r[0] for r in tx.rows("SELECT token_hash FROM staff_sessions")]
    assert token not in hashes and len(hashes) == 1  # only its digest is kept


def test_logout_and_disabling_end_sessions(console: StaffBrowser) -> None:
    console.login("mei")
    assert console.get(CONSOLE).status_code == 200
    assert console.post("/staff/logout").status_code == 303
    assert console.get(CONSOLE, follow_redirects=False).status_code == 303
    console.login("wang")
    ctx_of(console).accounts.set_disabled("wang", True)
    assert console.get(CONSOLE, follow_redirects=False).status_code == 303
    assert console.login("wang").status_code == 401


def _public_texts(client: TestClient, ticket: str) -> list[str]:
    texts = []
    for path in (
        f"requests/{ticket}.json?extensions=true",
        f"requests/{ticket}.xml?extensions=true",
        "requests.json?extensions=true",
        "requests.xml",
        "services.json",
        "discovery.json",
        "places/ratings.json",
    ):
        answer = client.get(API + path)
        assert answer.status_code == 200, path
        texts.append(answer.text)
    return texts


def test_internal_notes_and_contact_stay_internal(console: StaffBrowser) -> None:
    ticket = report(console)
    console.login("mei")
    console.post(f"{CONSOLE}requests/{ticket}/note", {"note": "INTERNAL-NOTE-7731"})
    console.act(ticket, "accept")
    console.act(ticket, "dispatch", department="sanitation")
    console.login("wang")
    console.act(ticket, "handle", note="Mopped.")
    console.login("mei")
    console.act(ticket, "send_back", reason="SEND-BACK-REASON-5512")
    for text in _public_texts(console.client, ticket):
        assert not any(secret in text for secret in SECRETS)
        assert "wang" not in text and "mei" not in text  # who worked on it is staff data
    # The staff exports have them; the Open311 feed is the public export.
    assert "INTERNAL-NOTE-7731" in console.get(f"{CONSOLE}cases.json?status=all").text
    assert "citizen@example.org" in console.get(f"{CONSOLE}export.csv?status=all").text


def test_the_audit_log_records_each_change(console: StaffBrowser) -> None:
    first = report(console)
    second = report(console, key="k2")
    console.login("mei")
    console.act(first, "accept", note="ok")
    console.post(f"{CONSOLE}requests/{first}/priority", {"priority": "high"})
    console.post(f"{CONSOLE}requests/{first}/note", {"note": "call the team"})
    console.post(f"{CONSOLE}requests/{second}/merge", {"into": first})
    console.get(f"{CONSOLE}export.csv")
    console.login("ada")
    entries, total = ctx_of(console).audit.entries("sz-demo")
    assert total == 7
    done = [(e.actor, e.action, e.ticket) for e in reversed(entries)]
    assert done == [
        ("mei", "login", None),
        ("mei", "accept", first),
        ("mei", "priority", first),
        ("mei", "note", first),
        ("mei", "merge", second),
        ("mei", "export", None),
        ("ada", "login", None),
    ]
    assert {e.address for e in entries} == {"testclient"}
    assert entries[-2].detail == {
        "department": None,
        "from": "received",
        "note": "ok",
        "photos": [],
        "reason": "",
        "to": "accepted",
    }
    page = console.get(f"{CONSOLE}audit?action=merge")
    assert page.status_code == 200 and second in page.text and "priority" not in page.text


def test_public_api_answers_are_not_staff_pages(console: StaffBrowser) -> None:
    # The machine API under /staff/requests/ keeps Open311's error format, never a page.
    answer: Any = console.client.get("/staff/requests/SZ-2501-ZZZZZZ")
    assert answer.status_code == 404 and answer.json()[0]["code"] == 404
