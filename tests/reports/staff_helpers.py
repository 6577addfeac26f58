"""Helpers of the staff console tests: a site with departments and deadlines, staff
accounts, a fixed clock, and a client that signs in and posts forms with their token.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from sitegen.reports.context import ReportsContext

from .helpers import SITE_YAML, TOILET_CARD, TOILET_CATEGORY

PASSWORD = "correct horse battery"
CONSOLE = "/staff/sz-demo/"
REPORTS_YAML = """\
departments:
  - code: sanitation
    name: {zh-Hans: 环卫所, en: Sanitation office}
    services: [toilet_dirty]
  - code: repairs
    name: {zh-Hans: 维修队, en: Repair team}
    services: [toilet_broken]
deadlines:
  default: 40
  toilet_dirty: 8
working_hours: "Mo-Fr 09:00-12:00,14:00-18:00"
duplicate_radius_m: 50
"""
SECOND_CARD = """\
id: futian-0002
category: toilet
name: 福田公园东门公厕
address: 福田区福华路
location: [114.0600, 22.5400]
hours: "24/7"
"""
# The staff of the tests: (user name, role, department).
STAFF = [
    ("ada", "admin", None),
    ("mei", "supervisor", None),
    ("li", "supervisor", None),
    ("wang", "handler", "sanitation"),
    ("zhou", "handler", "repairs"),
    ("vic", "viewer", None),
]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def write_site(root: Path, site_yaml: str = SITE_YAML, reports_yaml: str = REPORTS_YAML) -> Path:
    """A project with two toilets and the report server's own settings."""
    for rel, text in {
        "content/site.yaml": site_yaml,
        "content/categories/toilet.yaml": TOILET_CATEGORY,
        "content/facilities/toilet/futian.yaml": TOILET_CARD,
        "content/facilities/toilet/futian-2.yaml": SECOND_CARD,
        "reports.yaml": reports_yaml,
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


class FixedClock:
    """A clock the test moves by hand (UTC)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def add_staff(ctx: ReportsContext, jurisdiction: str = "sz-demo") -> None:
    for name, role, department in STAFF:
        if ctx.accounts.find(name) is None:
            ctx.accounts.add(name, name.title(), ctx.passwords.hash(PASSWORD))
        ctx.accounts.grant(name, jurisdiction, role, department)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no form with a CSRF token on the page"
    return found.group(1)


class StaffBrowser:
    """One TestClient, signed in as one staff member at a time."""

    def __init__(self, client: TestClient, lang: str = "en") -> None:
        self.client = client
        self.token = ""
        self.lang = lang

    def login(self, username: str, password: str = PASSWORD) -> Any:
        self.client.cookies.clear()
        # The jar files a dotless host under ".local" (http.cookiejar): the cookie goes there.
        self.client.cookies.set("sitegen-staff-lang", self.lang, domain="testserver.local")
        form = self.client.get("/staff/login")
        data = {"csrf": csrf_of(form.text), "username": username, "password": password}
        answer = self.client.post("/staff/login", data=data, follow_redirects=False)
        if answer.status_code == 303:  # on to the console of the jurisdiction it works for
            self.token = csrf_of(self.client.get(answer.headers["location"]).text)
        return answer

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        kw.setdefault("follow_redirects", False)
        return self.client.post(path, data={"csrf": self.token, **(data or {})}, **kw)

    def act(self, ticket: str, action: str, **fields: Any) -> Any:
        files = fields.pop("files", None)
        return self.post(f"{CONSOLE}requests/{ticket}/act/{action}", fields, files=files)


SECOND_SITE_YAML = (
    SITE_YAML.replace(
        "title: {zh-Hans: 深圳城市服务地图, en: Shenzhen City Services}",
        "title: {zh-Hans: 广州城市服务地图, en: Guangzhou City Services}",
    )
    .replace("base_url: https://map.example.org/", "base_url: https://gz-map.example.org/")
    .split("  jurisdiction: sz-demo")[0]
    + """\
  jurisdiction: gz-demo
  services:
    - code: bin_full
      name: {zh-Hans: 垃圾桶已满, en: The bin is full}
    - code: toilet_dirty
      name: {zh-Hans: 厕所脏, en: Dirty toilet}
      categories: [toilet]
"""
)
SECOND_REPORTS_YAML = """\
departments:
  - code: cleansing
    name: {zh-Hans: 环卫局, en: Cleansing department}
deadlines: {default: 16}
"""


def write_second_site(root: Path) -> Path:
    """Another city on the same server: its own services, departments and jurisdiction."""
    return write_site(root, SECOND_SITE_YAML, SECOND_REPORTS_YAML)
