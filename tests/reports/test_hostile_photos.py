"""Issue 15, item 1: photo work cannot be tied up by tiny uploads.

A 186 KB PNG of 16000x4000 zeros (just under the 64 MP limit) cost 10 s and 1 GB to decode;
two reports of three such photos held both photo slots for 30 s while an ordinary report
waited; retries of an in-flight report decoded again; work went on after the client left.
The tests count decodes (never time them): a "gate" stands in for the decoder where a test
needs a decode to be still running.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
import pytest
from PIL import Image
from starlette.testclient import TestClient

from sitegen.reports import photo_work
from sitegen.reports.app import create_app
from sitegen.reports.photo_work import FairSlots, PhotoStats
from sitegen.reports.photos import CleanPhoto, PhotoRules, clean_photo, decode_cost
from sitegen.reports.settings import ReportSettings

from . import images
from .conftest import MakeSettings
from .helpers import API, GOOD_REPORT, media_names, served, stored_count

PROXY = ("127.0.0.1", 50000)  # the tests' connection: a trusted proxy naming the client
HOSTILE, HONEST = "203.0.113.66", "198.51.100.7"


@pytest.fixture(scope="module")
def zero_png() -> bytes:
    """The issue's photo: 16000x4000 zeros, 186 KB as a PNG."""
    out = io.BytesIO()
    Image.new("RGB", (16000, 4000)).save(out, "PNG")
    return out.getvalue()


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 0)).save(out, "PNG")
    return out.getvalue()


class Gate:
    """Stands in for ``clean_photo``: counts decodes, holds the ones ``hold`` picks."""

    def __init__(self, hold: Callable[[bytes], bool] = lambda data: True) -> None:
        self.hold = hold
        self.started: list[bytes] = []
        self.opened = threading.Event()

    def __call__(self, data: bytes, rules: PhotoRules) -> CleanPhoto:
        self.started.append(data)
        if self.hold(data):
            assert self.opened.wait(30), "the test never opened the gate"
        return clean_photo(data, rules)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture
def proxied_settings(make_settings: MakeSettings) -> ReportSettings:
    return make_settings(trusted_proxies=("127.0.0.1",))


@pytest.fixture
def proxied(proxied_settings: ReportSettings) -> Iterator[TestClient]:
    with TestClient(create_app(proxied_settings), client=PROXY) as client:
        yield client


def stats_of(client: TestClient) -> PhotoStats:
    return client.app.state.reports.photo_work.stats  # type: ignore[attr-defined,no-any-return]


def post_from(client: TestClient, address: str, photos: list[bytes], key: str | None = None) -> Any:
    headers = {"X-Forwarded-For": address}
    if key:
        headers["Idempotency-Key"] = key
    files = [("media", (f"p{i}.png", data, "image/png")) for i, data in enumerate(photos)]
    return client.post(f"{API}requests.json", data=GOOD_REPORT, files=files, headers=headers)


def in_threads(*calls: Callable[[], Any]) -> tuple[list[threading.Thread], list[Any]]:
    answers: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        answers[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    return threads, answers


def test_zero_png_bombs_cost_no_decoding(
    proxied: TestClient, proxied_settings: ReportSettings, zero_png: bytes
) -> None:
    assert 180_000 < len(zero_png) < 200_000
    bombs = [zero_png] * 3
    threads, answers = in_threads(
        lambda: post_from(proxied, HOSTILE, bombs),
        lambda: post_from(proxied, HOSTILE, bombs),
        lambda: post_from(proxied, HONEST, [images.jpeg()]),
    )
    for thread in threads:
        thread.join(60)
    first, second, honest = answers
    for hostile in (first, second):
        assert hostile.status_code == 413
        assert hostile.json() == [
            {
                "code": 413,
                "description": "a PNG photo may have at most 16 megapixels; send it as a JPEG",
            }
        ]
    assert honest.status_code == 201, honest.text
    stats = stats_of(proxied)
    assert (stats.decodes, stats.decoded_pixels) == (1, 64 * 48)  # the honest photo alone
    assert stored_count(proxied_settings) == 1


def test_one_client_holds_at_most_one_photo_slot(
    proxied: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = png((1200, 900))
    gate = Gate(hold=lambda data: data == slow)
    monkeypatch.setattr(photo_work, "clean_photo", gate)
    threads, answers = in_threads(
        lambda: post_from(proxied, HOSTILE, [slow]), lambda: post_from(proxied, HOSTILE, [slow])
    )
    wait_until(lambda: len(gate.started) == 1, "the first hostile decode")
    honest = post_from(proxied, HONEST, [images.jpeg()])  # the second slot is free
    assert honest.status_code == 201, honest.text
    assert gate.started.count(slow) == 1  # the other hostile report waits in its own lane
    gate.opened.set()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [201, 201]
    assert stats_of(proxied).decodes == 3


def test_a_client_over_its_photo_budget_waits(make_settings: MakeSettings) -> None:
    settings = make_settings(
        trusted_proxies=("127.0.0.1",), photo_megapixels_burst=25, photo_megapixels_per_minute=1
    )
    three = [png((2500, 2000))] * 3  # 5 megapixels each
    with TestClient(create_app(settings), client=PROXY) as client:
        assert post_from(client, HOSTILE, three).status_code == 201
        refused = post_from(client, HOSTILE, three)
        assert refused.status_code == 429
        wait = int(refused.headers["Retry-After"])
        assert 290 < wait <= 300  # 5 megapixels short, at one a minute
        assert refused.json() == [
            {
                "code": 429,
                "description": f"too many photos from this address just now; try again in {wait} s",
            }
        ]
        assert post_from(client, HONEST, three).status_code == 201  # another address
        stats = stats_of(client)
        assert (stats.decodes, stats.over_budget) == (6, 1)
    assert stored_count(settings) == 2


def test_jpeg_is_decoded_at_the_size_it_is_kept() -> None:
    out = io.BytesIO()
    Image.new("RGB", (9000, 6000), (120, 10, 10)).save(out, "JPEG")
    rules = PhotoRules(max_edge=2048)
    assert decode_cost(out.getvalue(), rules) == 2250 * 1500  # libjpeg's 1/4 scale
    cleaned = clean_photo(out.getvalue(), rules)
    assert (cleaned.width, cleaned.height, cleaned.decoded_pixels) == (2048, 1365, 2250 * 1500)
    assert decode_cost(images.png((4000, 3000)), rules) == 12_000_000  # PNG: every pixel


def test_retries_of_an_in_flight_key_wait_for_the_first(
    proxied: TestClient, proxied_settings: ReportSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    monkeypatch.setattr(photo_work, "clean_photo", gate)
    photo = images.jpeg()
    attempt = lambda: post_from(proxied, HONEST, [photo], key="phone-queue-1")  # noqa: E731
    threads, answers = in_threads(attempt)
    wait_until(lambda: len(gate.started) == 1, "the first attempt's decode")
    retries, retried = in_threads(attempt, attempt, attempt)
    inflight = proxied.app.state.reports.inflight  # type: ignore[attr-defined]
    wait_until(lambda: inflight.running("phone-queue-1").waiters == 3, "three waiting retries")
    gate.opened.set()
    for thread in threads + retries:
        thread.join(30)
    every = answers + retried
    assert [a.status_code for a in every] == [201] * 4
    assert len({a.json()[0]["service_request_id"] for a in every}) == 1
    assert [a.headers.get("Idempotent-Replayed") for a in every] == [None, "true", "true", "true"]
    assert len(gate.started) == 1 and stats_of(proxied).decodes == 1
    assert stored_count(proxied_settings) == 1
    assert len(media_names(proxied_settings)) == 1
    assert len(inflight) == 0


def multipart(fields: dict[str, str], photos: list[bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for data in photos:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="p.jpg"'
            "\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_photo_work_stops_when_the_client_has_gone(
    settings: ReportSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    monkeypatch.setattr(photo_work, "clean_photo", gate)
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    body, content_type = multipart(GOOD_REPORT, [images.jpeg()] * 3)
    head = (
        f"POST {API}requests.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Idempotency-Key: gone-1\r\n\r\n"
    )
    with served(app, sock):
        citizen = socket.create_connection(("127.0.0.1", port))
        citizen.sendall(head.encode() + body)
        wait_until(lambda: len(gate.started) == 1, "the first decode")
        citizen.close()  # the phone gave up
        time.sleep(0.2)  # for the server to see the connection close
        gate.opened.set()
        stats = app.state.reports.photo_work.stats
        wait_until(lambda: stats.abandoned == 1, "the work to stop")
    assert (len(gate.started), stats.decodes) == (1, 1)  # photos 2 and 3 never decoded
    assert stored_count(settings) == 0


def run_async(scenario: Callable[[], Awaitable[None]]) -> None:
    """``anyio.run`` in a thread of its own: the suite may have a loop running in this one."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            anyio.run(scenario)
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if failures:
        raise failures[0]


def test_a_freed_photo_slot_goes_to_the_client_that_used_least() -> None:
    order: list[str] = []

    async def scenario() -> None:
        slots = FairSlots(1)
        held = anyio.Event()

        async def decode(name: str, used: float) -> None:
            async with slots.slot(used):
                order.append(name)
                await held.wait()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(decode, "bomber's first", 0.0)
            await anyio.wait_all_tasks_blocked()
            tasks.start_soon(decode, "bomber's second", 75.0)
            await anyio.wait_all_tasks_blocked()
            tasks.start_soon(decode, "citizen's", 0.0)  # came last, used nothing
            await anyio.wait_all_tasks_blocked()
            held.set()

    run_async(scenario)
    assert order == ["bomber's first", "citizen's", "bomber's second"]


def test_heavy_users_never_hold_the_slot_kept_for_light_ones() -> None:
    order: list[str] = []

    async def scenario() -> None:
        slots = FairSlots(2, reserved=1, light=60)
        held = anyio.Event()

        async def decode(name: str, used: float) -> None:
            async with slots.slot(used):
                order.append(name)
                await held.wait()

        async with anyio.create_task_group() as tasks:
            for name, used in (("bomber A", 96.0), ("bomber B", 96.0), ("citizen", 12.0)):
                tasks.start_soon(decode, name, used)
                await anyio.wait_all_tasks_blocked()
            assert order == ["bomber A", "citizen"]  # bomber B waits: one heavy at a time
            held.set()

    run_async(scenario)
    assert order == ["bomber A", "citizen", "bomber B"]
