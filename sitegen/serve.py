"""``sitegen serve``: build, serve the output on loopback, rebuild when sources change.

A failed rebuild prints its problems and keeps serving the last good build: the output
folder is only ever swapped whole (see ``write``).
"""

from __future__ import annotations

import functools
import http.server
import io
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import build
from .errors import ContentError, SitegenError

log = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 0.3


class _Rebuilder(FileSystemEventHandler):
    """Debounces file events into one rebuild at a time."""

    def __init__(self, rebuild: Callable[[], object]) -> None:
        self._rebuild = rebuild
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._rebuild)
            self._timer.daemon = True
            self._timer.start()


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as a CDN would: precompressed copies, the site's own 404 page."""

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepted = self.headers.get("Accept-Encoding", "")
        for suffix, coding in ((".br", "br"), (".gz", "gzip")):
            variant = path.with_name(path.name + suffix)
            if coding in accepted and variant.is_file() and path.is_file():
                body = variant.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", coding)
                self.send_header("Vary", "Accept-Encoding")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def static_server(
    root: Path, host: str = "127.0.0.1", port: int = 0
) -> http.server.ThreadingHTTPServer:
    """An HTTP server for a built site folder (port 0 picks a free port)."""
    handler = functools.partial(StaticHandler, directory=str(root))
    return http.server.ThreadingHTTPServer((host, port), handler)


def _safe_build(project_dir: Path, out: Path, base_url: str) -> bool:
    try:
        result = build(project_dir, out, base_url)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, flush=True)
        print("Rebuild failed; still serving the last good build.", flush=True)
        return False
    except SitegenError as exc:
        print(f"error: {exc}", flush=True)
        return False
    print(f"Built {result.pages} pages in {result.seconds:.2f} s", flush=True)
    return True


def serve(project_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the site at ``http://host:port/`` until interrupted."""
    out = (project_dir / ".sitegen-serve").resolve()
    base_url = f"http://{host}:{port}/"
    print(f"Building {project_dir.resolve()} ...", flush=True)
    build(project_dir, out, base_url)  # the first build must succeed: nothing to serve otherwise
    server = static_server(out, host, port)
    rebuild = functools.partial(_safe_build, project_dir, out, base_url)
    observer = Observer()
    events = _Rebuilder(rebuild)
    for folder in ("content", "themes"):
        if (project_dir / folder).is_dir():
            observer.schedule(events, str(project_dir / folder), recursive=True)
    observer.start()
    print(f"Serving {project_dir.resolve()} at {base_url} (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()
