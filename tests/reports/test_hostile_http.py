"""Issue 15, item 4: slow clients, the Host header and X-Forwarded-For.

Slow connections stayed open for ever; without ``--public-url`` the ``Host`` header decided
``media_url``; ``X-Forwarded-For`` was believed from any loopback peer, so a local client
could pick a new address for each request and dodge the rate limit.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from click.testing import CliRunner
from starlette.testclient import TestClient

from sitegen.cli.reports import report_server
from sitegen.reports.app import create_app
from sitegen.reports.serving import server_config
from sitegen.reports.settings import ReportSettings

from . import images
from .conftest import MakeSettings
from .helpers import API, GOOD_REPORT, post_report


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    make_settings: MakeSettings,
) -> None:
    settings = make_settings(submit_per_minute=1.0, submit_burst=1)
    with TestClient(create_app(settings), client=("127.0.0.1", 40000)) as client:
        assert post_report(client, headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 201
        spoofed = post_report(client, headers={"X-Forwarded-For": "192.0.2.2"})
        assert spoofed.status_code == 429  # the same loopback client, whatever it claims


def test_forwarded_for_from_a_configured_proxy_names_the_client(
    make_settings: MakeSettings,
) -> None:
    settings = make_settings(submit_per_minute=1.0, submit_burst=1, trusted_proxies=("10.0.0.0/8",))
    with TestClient(create_app(settings), client=("10.1.2.3", 40000)) as client:
        for address in ("192.0.2.1", "192.0.2.2"):
            answer = post_report(client, headers={"X-Forwarded-For": f"{address}, 10.9.9.9"})
            assert answer.status_code == 201
        again = post_report(client, headers={"X-Forwarded-For": "192.0.2.1, 10.9.9.9"})
        assert again.status_code == 429


def first_media_url(client: TestClient, host: str) -> str:
    files = [("media", ("a.jpg", images.jpeg(), "image/jpeg"))]
    answer = client.post(f"{API}requests.json", data=GOOD_REPORT, files=files)
    ticket = answer.json()[0]["service_request_id"]
    (found,) = client.get(f"{API}requests/{ticket}.json", headers={"Host": host}).json()
    return str(found["media_url"])


def test_media_url_never_comes_from_the_host_header(make_settings: MakeSettings) -> None:
    with TestClient(create_app(make_settings())) as client:
        assert first_media_url(client, "evil.example").startswith("/media/")
        discovery = client.get(f"{API}discovery.json", headers={"Host": "evil.example"}).json()
        assert "evil.example" not in str(discovery)
    given = make_settings(public_url="https://reports.example.org/")
    with TestClient(create_app(given)) as client:
        assert first_media_url(client, "evil.example").startswith(
            "https://reports.example.org/media/"
        )


def test_listening_on_every_address_needs_a_public_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(report_server, ["-C", str(tmp_path), "--host", "0.0.0.0"], env={})
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "error: --public-url: listening on 0.0.0.0, give the address citizens reach this "
        "service at (https://reports.example.org), for photo links\n"
    )


@contextmanager
def guarded_server(settings: ReportSettings) -> Iterator[int]:
    """The app on uvicorn with the command's protocol and timeouts; yields the port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = server_config(
        create_app(settings), settings, "127.0.0.1", 0, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield int(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(10)


def closed_within(conn: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closed the connection within ``seconds``, and what it sent."""
    conn.settimeout(seconds)
    received = b""
    try:
        while chunk := conn.recv(65536):
            received += chunk
    except TimeoutError:
        return False, received
    except ConnectionResetError:
        pass
    return True, received


def read_answer(conn: socket.socket) -> bytes:
    """One whole HTTP answer (head and Content-Length body) from a kept-alive connection."""
    conn.settimeout(5)
    received = b""
    while b"\r\n\r\n" not in received:
        received += conn.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head


def test_slow_request_heads_and_bodies_are_cut_off(make_settings: MakeSettings) -> None:
    settings = make_settings(header_timeout=0.5, body_idle_timeout=0.5, body_timeout=2.0)
    with guarded_server(settings) as port:
        # A request head sent a byte at a time, never finished: closed, no answer.
        loris = socket.create_connection(("127.0.0.1", port))
        loris.sendall(b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nX-A: ")
        assert closed_within(loris, 5) == (True, b"")
        # A body announced as 1000 bytes, 10 sent: 408 in the Open311 format, then closed.
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(
            f"POST {API}requests.json HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            "service_co".encode()
        )
        closed, answer = closed_within(slow, 5)
        assert closed and answer.startswith(b"HTTP/1.1 408 ")
        assert b'"description":"the request body did not arrive within 0.5 s of a pause' in answer
        # An ordinary request on a kept-alive connection still works, twice.
        honest = socket.create_connection(("127.0.0.1", port))
        for _ in range(2):
            honest.sendall(f"GET {API}services.json HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert read_answer(honest).startswith(b"HTTP/1.1 200 ")
        assert closed_within(honest, 5)[0]  # idle after the answer: closed by the deadline


def test_open_connections_per_client_are_capped(make_settings: MakeSettings) -> None:
    settings = make_settings(max_connections_per_client=2, header_timeout=30.0)
    with guarded_server(settings) as port:
        kept = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        third = socket.create_connection(("127.0.0.1", port))
        assert closed_within(third, 5) == (True, b"")
        for conn in kept:
            conn.sendall(f"GET {API}services.json HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert read_answer(conn).startswith(b"HTTP/1.1 200 ")
            conn.close()
