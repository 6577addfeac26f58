"""Constants and helpers shared by the report-service tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.testclient import TestClient

from sitegen.reports.records import TicketMaker
from sitegen.reports.settings import ReportSettings
from sitegen.reports.store.base import ReportStore
from sitegen.reports.store.factory import make_store

from ..conftest import SITE_YAML as BASE_SITE_YAML

HERE = Path(__file__).parent
API = "/open311/v2/"
ORIGIN = "https://map.example.org"
STAFF_TOKEN = "staff-token-for-tests-0123456789"

# The sample site of tests/conftest.py, with the report services added.
SITE_YAML = (
    BASE_SITE_YAML
    + """\
  jurisdiction: sz-demo
  services:
    - code: toilet_dirty
      name: {zh-Hans: 厕所不清洁, en: Toilet is dirty}
      description: {zh-Hans: 地面或厕位脏污, en: Floor or cubicles are dirty}
      group: {zh-Hans: 公厕, en: Public toilets}
      keywords: [toilet, clean]
      categories: [toilet]
    - code: toilet_broken
      name: {zh-Hans: 设备故障, en: Something is broken}
      group: {zh-Hans: 公厕, en: Public toilets}
      categories: [toilet]
      attributes:
        - code: what
          description: {zh-Hans: 哪里坏了？, en: What is broken?}
          datatype: singlevaluelist
          required: true
          values:
            - {key: flush, name: {zh-Hans: 冲水, en: Flush}}
            - {key: door, name: {zh-Hans: 门锁, en: Door lock}}
        - code: also
          description: {zh-Hans: 还有什么？, en: Anything else?}
          datatype: multivaluelist
          values:
            - {key: light, name: {zh-Hans: 照明, en: Light}}
            - {key: soap, name: {zh-Hans: 洗手液, en: Soap}}
        - code: count
          description: {zh-Hans: 几个？, en: How many?}
          datatype: number
    - code: wrong_information
      name: {zh-Hans: 资料有误, en: Information on the map is wrong}
"""
)

TOILET_CATEGORY = """\
id: toilet
name: {zh-Hans: 公厕, en: Public toilet}
icon: toilet
color: "#1565c0"
fields:
  hours: {type: hours, required: true}
"""

TOILET_CARD = """\
id: futian-0001
category: toilet
name: 莲花山公园南门公厕
address: 福田区红荔路6030号
location: [114.0572, 22.5535]
hours: "Mo-Su 06:00-23:00"
"""

GOOD_REPORT = {
    "service_code": "toilet_dirty",
    "lat": "22.5535",
    "long": "114.0572",
    "description": "The floor is wet.",
    "email": "citizen@example.org",
    "first_name": "Mei",
    "last_name": "Lin",
    "phone": "+86 755 1234 5678",
    "device_id": "device-42",
}


def open_store(settings: ReportSettings) -> ReportStore:
    """A store on the same database as a running app, for counting what was stored."""
    store = make_store(settings, TicketMaker("SZ"))
    store.open()
    return store


def stored_count(settings: ReportSettings) -> int:
    store = open_store(settings)
    try:
        return store.count()
    finally:
        store.close()


def media_names(settings: ReportSettings) -> list[str]:
    folder = settings.media_path
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def post_report(
    client: TestClient,
    data: dict[str, Any] | None = None,
    fmt: str = "json",
    **kwargs: Any,
) -> Any:
    """POST requests.{fmt} with a valid report, changed by ``data``."""
    form = dict(GOOD_REPORT)
    form.update(data or {})
    form = {k: v for k, v in form.items() if v is not None}
    return client.post(f"{API}requests.{fmt}", data=form, **kwargs)


@contextmanager
def served(app: Any, sock: socket.socket) -> Iterator[None]:
    """The ASGI ``app`` served by uvicorn in a thread on the bound socket ``sock``."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)
