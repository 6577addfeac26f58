"""The hostile mix of ``report_load.py --mode hostile``: honest clients beside attackers.

Honest clients (text reports, a few with a phone photo) each have an address of their own,
sent as X-Forwarded-For to a server that trusts loopback as its proxy. Beside them:

- bombers: reports of three photos that are cheap to send and dear to decode, all under
  the 64 MP limit (the issue's 16000x4000 zero PNG, a 16 MP zero PNG, a 63 MP zero JPEG),
  sent back to back from a few addresses, ignoring every Retry-After;
- slow clients: request heads sent a byte every half second, and bodies announced large
  and trickled in;
- retriers: a photo report sent, the connection dropped before the answer, and the same key
  sent again at once, twice, before waiting for an answer (a phone's offline queue on a
  bad connection).

Runs alternate calm (honest clients alone) and hostile (the mix), A B A B, on SQLite, and
print the honest clients' latencies, what the attackers got, how long slow clients were
kept, the server's peak memory (RSS) and whether every acknowledged report is stored
exactly once. Loopback only.
"""

from __future__ import annotations

import collections
import http.client
import io
import json
import multiprocessing
import socket
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from report_load import (
    API,
    GRACE,
    REQUEST_TIMEOUT,
    Server,
    Tally,
    client_loop,
    free_port,
    make_photos,
    multipart,
    open_settings,
    percentile,
)

from sitegen.pipeline.config import load_config
from sitegen.reports.records import TicketMaker
from sitegen.reports.store.factory import make_store

# Loopback is the proxy naming each client; a body timeout shorter than the default 300 s so
# that trickled bodies are cut within a run.
SERVER_OPTIONS = ("--trusted-proxy", "127.0.0.1", "--body-timeout", "20")
PHOTO_CLIENTS = 2  # of the honest clients, these send a phone photo with each report
PAUSE = 0.5  # mean seconds between an honest client's reports: people, not a flood


@dataclass
class Attacks:
    """What the attackers saw; appended to from many threads."""

    bomb_answers: collections.Counter[str] = field(default_factory=collections.Counter)
    head_kept_s: list[float] = field(default_factory=list)  # until the server hung up
    body_kept_s: list[float] = field(default_factory=list)
    retried_acks: dict[str, str] = field(default_factory=dict)  # key -> ticket


def make_bombs() -> list[tuple[str, bytes, str]]:
    """(name, bytes, content type) of photos cheap to send and dear to decode."""
    bombs = []
    for name, size, fmt in (
        ("png-16000x4000", (16000, 4000), "PNG"),
        ("png-4000x4000", (4000, 4000), "PNG"),
        ("jpeg-9000x7000", (9000, 7000), "JPEG"),
    ):
        out = io.BytesIO()
        Image.new("RGB", size).save(out, fmt)
        bombs.append((name, out.getvalue(), f"image/{fmt.lower()}"))
    return bombs


def report_fields(
    rng_key: str, bounds: tuple[tuple[float, float], tuple[float, float]]
) -> dict[str, str]:
    (west, south), (east, north) = bounds
    return {
        "service_code": "toilet_dirty",
        "lat": f"{(south + north) / 2:.6f}",
        "long": f"{(west + east) / 2:.6f}",
        "description": f"hostile mix {rng_key[:8]}",
    }


def bomber(
    port: int,
    address: str,
    bombs: list[tuple[str, bytes, str]],
    fields: dict[str, str],
    stop_at: float,
    attacks: Attacks,
) -> None:
    """Three bomb photos a report, back to back, never waiting."""
    turn = 0
    while time.monotonic() < stop_at:
        name, data, content_type = bombs[turn % len(bombs)]
        turn += 1
        body, form_type = multipart_many(fields, [(data, content_type)] * 3)
        headers = {"Content-Type": form_type, "X-Forwarded-For": address}
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn.request("POST", f"{API}requests.json", body=body, headers=headers)
            status = conn.getresponse().status
            conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
        attacks.bomb_answers[f"{name} {status}"] += 1


def multipart_many(fields: dict[str, str], files: list[tuple[bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for data, content_type in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="b"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def slow_client(port: int, stop_at: float, attacks: Attacks, body: bool) -> None:
    """A head a byte every half second, or a large body a few bytes a second."""
    while time.monotonic() < stop_at:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
                if body:
                    conn.sendall(
                        f"POST {API}requests.json HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        "application/x-www-form-urlencoded\r\n"
                        "Content-Length: 100000\r\n\r\n".encode()
                    )
                else:
                    conn.sendall(f"POST {API}requests.json HTTP/1.1\r\n".encode())
                while time.monotonic() < stop_at + 60:
                    conn.sendall(b"a")
                    time.sleep(0.5)
                    conn.setblocking(False)
                    try:
                        if conn.recv(65536) == b"":
                            break
                    except BlockingIOError:
                        pass
                    except OSError:
                        break
                    finally:
                        conn.setblocking(True)
        except OSError:
            pass  # the server hung up while we sent
        (attacks.body_kept_s if body else attacks.head_kept_s).append(time.monotonic() - started)


def retrier(
    port: int,
    address: str,
    photo: bytes,
    fields: dict[str, str],
    stop_at: float,
    give_up_at: float,
    attacks: Attacks,
) -> None:
    """A photo report sent twice and dropped each time, then sent a third time and awaited."""
    while time.monotonic() < stop_at:
        key = uuid.uuid4().hex
        body, form_type = multipart(fields, photo)
        head = (
            f"POST {API}requests.json HTTP/1.1\r\nHost: x\r\nContent-Type: {form_type}\r\n"
            f"Content-Length: {len(body)}\r\nIdempotency-Key: {key}\r\n"
            f"X-Forwarded-For: {address}\r\n\r\n"
        ).encode()
        for _ in range(2):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
                    conn.sendall(head + body)
                    time.sleep(0.05)  # gone before the answer
            except OSError:
                pass
        headers = {"Content-Type": form_type, "Idempotency-Key": key, "X-Forwarded-For": address}
        while time.monotonic() < give_up_at:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                conn.request("POST", f"{API}requests.json", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                conn.close()
            except (OSError, http.client.HTTPException):
                continue
            if response.status == 201:
                attacks.retried_acks[key] = json.loads(payload)[0]["service_request_id"]
                break
            time.sleep(0.2)


def attack(
    port: int,
    bombs: list[tuple[str, bytes, str]],
    fields: dict[str, str],
    photo: bytes,
    stop_at: float,
    give_up_at: float,
    results: multiprocessing.Queue[Attacks],
) -> None:
    """The attackers' threads (run in a child process); puts what they saw on ``results``."""
    attacks = Attacks()
    threads = [
        threading.Thread(
            target=bomber, args=(port, f"10.66.0.{i + 1}", bombs, fields, stop_at, attacks)
        )
        for i in range(4)
    ]
    threads += [
        threading.Thread(target=slow_client, args=(port, stop_at, attacks, i % 2 == 1))
        for i in range(10)
    ]
    threads += [
        threading.Thread(
            target=retrier,
            args=(port, f"10.2.0.{i + 1}", photo, fields, stop_at, give_up_at, attacks),
        )
        for i in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, give_up_at - time.monotonic()) + REQUEST_TIMEOUT + 60)
    results.put(attacks)


class MemoryWatch:
    """The server's resident memory, sampled every 0.1 s: the peak."""

    def __init__(self, server: Server) -> None:
        assert server.process is not None
        self.pid = server.process.pid
        self.peak_kib = 0
        self.start_kib = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kib = max(self.peak_kib, self._rss())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_mix(
    project: Path, hostile: bool, clients: int, duration: float
) -> tuple[bool, dict[str, float]]:
    """One run; prints its line and returns (ok, figures)."""
    config = load_config(project)
    fields = report_fields("x" * 8, config.bounds)
    photos = make_photos(2)
    bombs = make_bombs() if hostile else []
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        data = Path(tmp)
        server = Server(project, data, free_port(), None, SERVER_OPTIONS)
        text, photo, attacks = Tally(), Tally(), Attacks()
        results: multiprocessing.Queue[Attacks] = multiprocessing.get_context("fork").Queue()
        try:
            server.start()
            memory = MemoryWatch(server)
            began = time.monotonic()
            stop_at, give_up_at = began + duration, began + duration + GRACE
            port = server.port
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(
                        port,
                        config.bounds,
                        photos if i < PHOTO_CLIENTS else None,
                        stop_at,
                        give_up_at,
                        photo if i < PHOTO_CLIENTS else text,
                        f"10.1.{i // 250}.{i % 250 + 1}",
                        PAUSE,
                    ),
                    daemon=True,
                )
                for i in range(clients)
            ]
            attackers = None
            if hostile:  # in a process of its own: the honest clients' timings keep their GIL
                attackers = multiprocessing.get_context("fork").Process(
                    target=attack,
                    args=(port, bombs, fields, photos[0], stop_at, give_up_at, results),
                    daemon=True,
                )
                attackers.start()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(max(0.0, give_up_at - time.monotonic()) + REQUEST_TIMEOUT + 60)
            if attackers is not None:
                attacks = results.get(timeout=GRACE + REQUEST_TIMEOUT + 120)
                attackers.join(10)
            memory.stop()
        finally:
            server.stop()
        ok, problems = check_once(project, data, [text, photo], attacks)
        figures = {
            "text_p50": percentile(text.attempt_ms, 0.5),
            "text_p99": percentile(text.attempt_ms, 0.99),
            "photo_p50": percentile(photo.attempt_ms, 0.5),
            "photo_p99": percentile(photo.attempt_ms, 0.99),
            "rss_peak_mib": memory.peak_kib / 1024,
        }
        replayed = (data / "server.log").read_text(errors="replace").count(" replayed ticket=")
        print(
            f"{'hostile' if hostile else 'calm':<8} text {len(text.acknowledged):>5} acks "
            f"p50 {figures['text_p50']:6.1f} ms p99 {figures['text_p99']:7.1f} ms | "
            f"photo {len(photo.acknowledged):>4} acks p50 {figures['photo_p50']:6.1f} ms "
            f"p99 {figures['photo_p99']:7.1f} ms | RSS {memory.start_kib / 1024:.0f} MiB at start, "
            f"peak {figures['rss_peak_mib']:.0f} MiB | {'OK' if ok else 'FAILED'}"
        )
        if hostile:
            answers = ", ".join(f"{k}: {v}" for k, v in sorted(attacks.bomb_answers.items()))
            print(f"         bomb reports (name status: count): {answers}")
            print(
                f"         slow heads kept {percentile(attacks.head_kept_s, 0.5):.1f} s (median, "
                f"{len(attacks.head_kept_s)} connections), slow bodies kept "
                f"{percentile(attacks.body_kept_s, 0.5):.1f} s ({len(attacks.body_kept_s)})"
            )
            print(
                f"         retried in-flight reports acknowledged {len(attacks.retried_acks)}, "
                f"answers replayed {replayed}"
            )
        for problem in problems:
            print(f"         {problem}" if problem.startswith("note:") else f"  PROBLEM: {problem}")
        return ok, figures


def check_once(
    project: Path, data: Path, tallies: list[Tally], attacks: Attacks
) -> tuple[bool, list[str]]:
    """Every acknowledged report stored exactly once, under the ticket it was given."""
    store = make_store(open_settings(project, data, None), TicketMaker("CHECK"))
    store.open()
    try:
        stored = store.keys()
        total = store.count()
    finally:
        store.close()
    acknowledged = dict(attacks.retried_acks)
    problems = []
    for tally in tallies:
        acknowledged.update(tally.acknowledged)
        problems += [f"answer not retried: {f}" for f in tally.failures[:3]]
        if tally.gave_up:
            problems.append(f"{len(tally.gave_up)} report(s) never acknowledged")
    missing = [k for k in acknowledged if k not in stored]
    doubled = [k for k, tickets in stored.items() if len(tickets) != 1]
    wrong = [k for k, t in acknowledged.items() if k in stored and stored[k] != [t]]
    if missing:
        problems.append(f"{len(missing)} acknowledged report(s) are not stored")
    if doubled:
        problems.append(f"{len(doubled)} key(s) stored more than once")
    if wrong:
        problems.append(f"{len(wrong)} key(s) stored under another ticket")
    without_key = total - len(stored)  # the bombers' reports that got through (no key)
    if without_key:
        problems.append(f"note: {without_key} bomb report(s) were stored (within their budget)")
    return not [p for p in problems if not p.startswith("note:")], problems


def main(project: Path, clients: int, duration: float, rounds: int) -> bool:
    """Calm and hostile runs alternating, then the medians of each."""
    print(
        f"{clients} honest clients ({PHOTO_CLIENTS} with photos, {PAUSE:g} s apart on average), "
        f"{duration:g} s a run; hostile: "
        "4 bombers, 10 slow clients, 3 retriers; server options " + " ".join(SERVER_OPTIONS)
    )
    runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    all_ok = True
    for _ in range(rounds):
        for hostile in (False, True):
            ok, figures = run_mix(project, hostile, clients, duration)
            all_ok &= ok
            runs[hostile].append(figures)
    for hostile, figures in runs.items():
        medians = {k: statistics.median(f[k] for f in figures) for k in figures[0]}
        print(
            f"median {'hostile' if hostile else 'calm':<8} text p99 {medians['text_p99']:.1f} ms, "
            f"photo p99 {medians['photo_p99']:.1f} ms, RSS peak {medians['rss_peak_mib']:.0f} MiB"
        )
    text_p99 = statistics.median(f["text_p99"] for f in runs[True])
    verdict = "within" if text_p99 <= 1000 else "OVER"
    print(f"honest text p99 under attack {text_p99:.0f} ms: {verdict} 1 s")
    return all_ok and text_p99 <= 1000
