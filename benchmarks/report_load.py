"""Load and fault test of the report endpoint: does it lose or duplicate anything?

Run by hand, e.g. ``.venv/bin/python benchmarks/report_load.py --duration 20``, or with
``--mode hostile`` for honest clients beside photo bombs, slow clients and retries of
in-flight keys (``report_hostile.py``).

For each store (SQLite, PostgreSQL) and mode (text only, with a photo) it starts
``python -m sitegen report-server`` on 127.0.0.1 as a subprocess, runs concurrent
clients that submit reports and retry each one with the same idempotency key until it is
acknowledged, SIGKILLs the server midway and starts it again, then compares every
acknowledged ticket with the database: each must be stored exactly once. It prints
reports/s and latency percentiles. Everything is bounded in time and stops by itself.
PostgreSQL is a throw-away server started from Debian's pg_ctl (as the postgres user when
run as root) unless ``--database-url`` names one.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from sitegen.pipeline.config import load_config
from sitegen.reports.records import TicketMaker
from sitegen.reports.settings import ReportSettings, load_settings
from sitegen.reports.store.factory import make_store

REPO = Path(__file__).resolve().parent.parent
API = "/open311/v2/"
REQUEST_TIMEOUT = 20.0  # seconds for one attempt
MAX_ATTEMPTS = 60  # per report, then the client gives up on it (and says so)
GRACE = 60.0  # after the duration, unacknowledged reports may still be retried this long


@dataclass
class Tally:
    """What the clients saw; appended to from many threads (list.append is atomic)."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> ticket
    attempt_ms: list[float] = field(default_factory=list)  # successful attempts
    report_ms: list[float] = field(default_factory=list)  # first try to ack, retries included
    attempts: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # answers that are not retried
    gave_up: list[str] = field(default_factory=list)


class Server:
    """The report server as a subprocess that can be killed and started again."""

    def __init__(
        self,
        project: Path,
        data: Path,
        port: int,
        database_url: str | None,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.port = port
        self.log = (data / "server.log").open("ab")
        self.command = [
            sys.executable,
            "-m",
            "sitegen",
            "report-server",
            "-C",
            str(project),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--sqlite",
            str(data / "reports.sqlite3"),
            "--media",
            str(data / "media"),
            "--submit-per-minute",
            "0",
            "--no-access-log",
            *extra,
        ]
        self.env = {**os.environ, "SITEGEN_REPORTS_READ_PER_MINUTE": "0"}
        if database_url:
            self.env["SITEGEN_REPORTS_DATABASE_URL"] = database_url
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait until it answers; returns the seconds that took."""
        started = time.monotonic()
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}; see the log")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", f"{API}discovery.json")
                if conn.getresponse().status == 200:
                    conn.close()
                    return time.monotonic() - started
            time.sleep(0.05)
        raise SystemExit("the server did not start in time")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def make_photos(count: int = 4) -> list[bytes]:
    """Phone-like JPEGs (2000×1500, noisy so they compress like photos), made once."""
    photos = []
    for seed in range(count):
        noise = Image.effect_noise((2000, 1500), 40 + seed * 5).convert("RGB")
        out = io.BytesIO()
        noise.save(out, "JPEG", quality=85)
        photos.append(out.getvalue())
    return photos


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def client_loop(
    port: int,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    photos: list[bytes] | None,
    stop_at: float,
    give_up_at: float,
    tally: Tally,
    address: str | None = None,
    pause: float = 0.0,
) -> None:
    """Submit reports one after another; retry each with its key until acknowledged.

    ``address`` is sent as X-Forwarded-For (the server trusting loopback as its proxy), so
    that each client has an address of its own; ``pause`` is the mean pause between two
    reports (0: back to back).
    """
    rng = random.Random()
    (west, south), (east, north) = bounds
    conn: http.client.HTTPConnection | None = None
    while time.monotonic() < stop_at:
        if pause:
            time.sleep(rng.uniform(0, 2 * pause))
        key = uuid.uuid4().hex
        fields = {
            "service_code": "toilet_dirty",
            "lat": f"{rng.uniform(south, north):.6f}",
            "long": f"{rng.uniform(west, east):.6f}",
            "description": f"load test {key[:8]}: the floor is wet",
            "email": "load@example.org",
        }
        if photos:
            body, content_type = multipart(fields, rng.choice(photos))
        else:
            body, content_type = (
                urllib.parse.urlencode(fields).encode(),
                ("application/x-www-form-urlencoded"),
            )
        headers = {"Content-Type": content_type, "Idempotency-Key": key}
        if address:
            headers["X-Forwarded-For"] = address
        first_try = time.monotonic()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if time.monotonic() > give_up_at:
                tally.gave_up.append(key)
                return
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                conn.request("POST", f"{API}requests.json", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                # The server is down (killed) or the connection broke: same key, try again.
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05 + rng.random() * 0.2)
                continue
            if status == 201:
                done = time.monotonic()
                tally.acknowledged[key] = json.loads(payload)[0]["service_request_id"]
                tally.attempt_ms.append((done - started) * 1000)
                tally.report_ms.append((done - first_try) * 1000)
                tally.attempts.append(attempt)
                break
            if status in (429, 503):
                time.sleep(0.1 + rng.random() * 0.3)
                continue
            tally.failures.append(f"{status}: {payload[:200]!r}")
            break
        else:
            tally.gave_up.append(key)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server in a temporary folder on a free loopback port; yields its URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    pg_ctl = found[0] if found else shutil.which("pg_ctl")
    if not pg_ctl:
        raise SystemExit("PostgreSQL is not installed: run scripts/install-postgres")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="sitegen-bench-pg-"))
    if as_user:  # PostgreSQL will not run as root
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()

    def pg(*args: str) -> None:
        command = [*as_user, pg_ctl, *args]
        subprocess.run(command, check=True, cwd="/", stdout=subprocess.DEVNULL)

    pg("initdb", "-D", str(data), "-o", "-A trust -U postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    pg("start", "-w", "-D", str(data), "-l", str(folder / "log"), "-o", options)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        pg("stop", "-D", str(data), "-m", "fast")
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_one(
    project: Path,
    store_name: str,
    database_url: str | None,
    photos: list[bytes] | None,
    clients: int,
    duration: float,
    kill_at: float,
) -> bool:
    """One load run; prints its figures and returns whether nothing was lost or doubled."""
    config = load_config(project)
    if database_url and count_reports(project, Path("/nonexistent"), database_url):
        raise SystemExit("--database-url: use an empty database (the check compares all rows)")
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        data = Path(tmp)
        server = Server(project, data, free_port(), database_url)
        tally = Tally()
        try:
            server.start()
            began = time.monotonic()
            stop_at, give_up_at = began + duration, began + duration + GRACE
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(server.port, config.bounds, photos, stop_at, give_up_at, tally),
                    daemon=True,
                )
                for _ in range(clients)
            ]
            for thread in threads:
                thread.start()
            time.sleep(duration * kill_at)
            before_kill = len(tally.acknowledged)
            server.kill()
            restart_s = server.start()
            for thread in threads:
                thread.join(max(0.0, give_up_at - time.monotonic()) + REQUEST_TIMEOUT)
            elapsed = time.monotonic() - began
        finally:
            server.stop()
        ok = check(project, data, database_url, tally, photos is not None)
        attempts = sum(tally.attempts)
        mode = "photo" if photos else "text"
        print(
            f"{store_name:<10} {mode:<5}  acknowledged {len(tally.acknowledged):>6}  "
            f"{len(tally.acknowledged) / elapsed:7.1f} reports/s  "
            f"attempt p50 {percentile(tally.attempt_ms, 0.5):6.1f} ms "
            f"p99 {percentile(tally.attempt_ms, 0.99):7.1f} ms  "
            f"report p50 {percentile(tally.report_ms, 0.5):6.1f} ms "
            f"p99 {percentile(tally.report_ms, 0.99):7.1f} ms  "
            f"retried {sum(1 for a in tally.attempts if a > 1)} of {len(tally.attempts)} "
            f"({attempts} attempts)  killed after {before_kill} acks, back in {restart_s:.1f} s  "
            f"{'OK' if ok else 'FAILED'}"
        )
        return ok


def open_settings(project: Path, data: Path, database_url: str | None) -> ReportSettings:
    return load_settings(
        project,
        {
            "database_url": database_url,
            "sqlite_path": data / "reports.sqlite3",
            "media_dir": data / "media",
        },
        environ={},
    )


def count_reports(project: Path, data: Path, database_url: str | None) -> int:
    store = make_store(open_settings(project, data, database_url), TicketMaker("CHECK"))
    store.open()
    try:
        return store.count()
    finally:
        store.close()


def check(
    project: Path, data: Path, database_url: str | None, tally: Tally, with_photos: bool
) -> bool:
    """Compare what the clients were told with what the database holds."""
    store = make_store(open_settings(project, data, database_url), TicketMaker("CHECK"))
    store.open()
    try:
        stored = store.keys()
        photo_names = store.photo_names()
        total = store.count()
    finally:
        store.close()
    problems = [f"answer not retried: {f}" for f in tally.failures[:5]]
    missing = [k for k in tally.acknowledged if k not in stored]
    doubled = [k for k, tickets in stored.items() if len(tickets) != 1]
    wrong = [k for k, t in tally.acknowledged.items() if k in stored and stored[k] != [t]]
    unacknowledged = [k for k in stored if k not in tally.acknowledged]
    if missing:
        problems.append(f"{len(missing)} acknowledged report(s) are not stored")
    if doubled:
        problems.append(f"{len(doubled)} key(s) stored more than once")
    if wrong:
        problems.append(f"{len(wrong)} key(s) stored under another ticket than acknowledged")
    if total != len(stored):
        problems.append(f"{total - len(stored)} stored report(s) without a key")
    if tally.gave_up:
        problems.append(f"{len(tally.gave_up)} report(s) never acknowledged (clients gave up)")
    if with_photos:
        on_disk = {p.name for p in (data / "media").glob("*.jpg")}
        lost = photo_names - on_disk
        if lost:
            problems.append(f"{len(lost)} stored photo(s) missing from the media folder")
        if len(photo_names) != total:
            problems.append(f"{total} reports but {len(photo_names)} photos")
        orphans = len(on_disk - photo_names)
        if orphans:
            print(f"  note: {orphans} orphan photo file(s) from attempts cut off by the kill")
    if unacknowledged:
        print(f"  note: {len(unacknowledged)} stored report(s) whose answer never arrived")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return not problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPO, help="site project [the demo]")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run [60]")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients [50]")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the run [0.5]")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--mode",
        choices=["text", "photo", "both", "hostile"],
        default="both",
        help="hostile: calm and hostile runs alternating on SQLite (report_hostile.py)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="calm+hostile pairs [2]")
    parser.add_argument("--database-url", help="an existing PostgreSQL database to use")
    args = parser.parse_args()
    if not 0 < args.duration <= 600 or not 1 <= args.clients <= 200:
        parser.error("--duration must be within (0, 600] and --clients within [1, 200]")
    if args.mode == "hostile":
        import report_hostile  # beside this file; it imports this module's pieces

        ok = report_hostile.main(args.project, args.clients, args.duration, args.rounds)
        sys.exit(0 if ok else 1)
    modes = ["text", "photo"] if args.mode == "both" else [args.mode]
    stores = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    photos = make_photos() if "photo" in modes else []
    print(
        f"{args.clients} clients, {args.duration:g} s per run, server SIGKILLed and restarted "
        f"at {args.kill_at:.0%}; photos {len(photos[0]) // 1024 if photos else 0} KiB; "
        f"{os.cpu_count()} cores"
    )
    all_ok = True
    for store_name in stores:
        for mode in modes:
            with contextlib.ExitStack() as stack:
                url: str | None = None
                if store_name == "postgresql":
                    # A fresh server per run, so the check sees only this run's reports.
                    url = args.database_url or stack.enter_context(throwaway_postgres())
                all_ok &= run_one(
                    args.project,
                    store_name,
                    url,
                    photos if mode == "photo" else None,
                    args.clients,
                    args.duration,
                    args.kill_at,
                )
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
