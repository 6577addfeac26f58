"""``sitegen serve``: build, serve the output on loopback, rebuild when sources change.

A failed rebuild prints its problems and keeps serving the last good build: the output
folder is only ever swapped whole (see ``write``). With live reload, the dev server adds a
small script to HTML responses (never to the files on disk): browsers reload after a good
rebuild and show the problems of a failed one over the page.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import BuildSession, build
from .errors import ContentError, SitegenError
from .memo import Memo

log = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 0.3
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif")
KEEPALIVE_SECONDS = 15.0
SWAP_WAIT_SECONDS = 2.0
UNREGISTER_SW_JS = """\
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) await caches.delete(key);
    await self.registration.unregister();
  })());
});
"""
EVENTS_PATH = "/__sitegen/events"
SCRIPT_PATH = "/__sitegen/reload.js"

# Same-origin and external, so the pages' CSP (script-src 'self') allows it; styles are set
# through CSSOM, which style-src 'self' allows (unlike style attributes).
RELOAD_JS = """\
(() => {
  "use strict";
  const build = document.currentScript.dataset.build;
  const source = new EventSource("/__sitegen/events?build=" + encodeURIComponent(build));
  let overlay = null;
  source.addEventListener("reload", () => {
    source.close();
    location.reload();
  });
  source.addEventListener("problems", (event) => {
    const problems = JSON.parse(event.data);
    if (overlay) overlay.remove();
    overlay = null;
    if (problems.length) show(problems);
  });
  function show(problems) {
    overlay = document.createElement("section");
    overlay.id = "sitegen-problems";
    overlay.setAttribute("role", "alert");
    Object.assign(overlay.style, {
      position: "fixed", inset: "0 0 auto 0", zIndex: "2147483647", maxHeight: "70vh",
      overflow: "auto", margin: "0", padding: "1em", background: "#fff3f3",
      color: "#7f0000", borderBottom: "4px solid #c62828", font: "14px/1.45 monospace",
      boxShadow: "0 4px 16px rgba(0,0,0,.3)",
    });
    const title = document.createElement("strong");
    title.textContent = "sitegen: the rebuild failed; this page is the last good build.";
    const list = document.createElement("pre");
    Object.assign(list.style, { whiteSpace: "pre-wrap", margin: ".5em 0 0" });
    list.textContent = problems.join("\\n");
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    Object.assign(close.style, { float: "right", font: "inherit", fontSize: "20px" });
    close.addEventListener("click", () => overlay.remove());
    overlay.append(close, title, list);
    document.body.append(overlay);
  }
})();
"""


class _Rebuilder(FileSystemEventHandler):
    """Debounces file events into one rebuild at a time."""

    def __init__(
        self, rebuild: Callable[[], object], other_changed: Callable[[], None] | None = None
    ) -> None:
        self._rebuild = rebuild
        self.other_changed = other_changed
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = str(event.src_path).lower()
        if path.endswith(IMAGE_SUFFIXES) and self.other_changed is not None:
            # Work kept from earlier builds is keyed by the text of content files; a photo
            # added or removed changes whether a card naming it is valid: start afresh.
            self.other_changed()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._rebuild)
            self._timer.daemon = True
            self._timer.start()


class LiveReload:
    """The state browsers follow: the number of the last good build and the current problems."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0  # bumped on every rebuild, good or bad
        self.build = 1
        self.problems: list[str] = []
        self.closed = False

    def succeeded(self) -> None:
        with self._changed:
            self.version += 1
            self.build += 1
            self.problems = []
            self._changed.notify_all()

    def failed(self, problems: list[str]) -> None:
        with self._changed:
            self.version += 1
            self.problems = list(problems)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait(self, seen: int | None, timeout: float) -> tuple[int, int, list[str]]:
        """The state once it differs from version ``seen`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closed, timeout)
            return self.version, self.build, list(self.problems)


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
        body = self.html(page.read_bytes())
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def html(self, body: bytes) -> bytes:
        """An HTML page as it is sent; the dev server adds its script here."""
        return body

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class DevHandler(StaticHandler):
    """The dev server: live reload script in HTML pages, and the events browsers listen to."""

    def __init__(
        self, *args: Any, live: LiveReload, output_lock: threading.Lock, **kwargs: Any
    ) -> None:
        self.live = live  # set first: the base class handles the request in __init__
        self.output_lock = output_lock
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == SCRIPT_PATH:
            self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
        elif url.path == "/sw.js":
            # The built site's service worker serves pages cache-first, which would hide
            # every rebuild from the preview: in its place, a worker that removes itself.
            self._send(200, "text/javascript; charset=utf-8", UNREGISTER_SW_JS.encode())
        elif url.path == EVENTS_PATH:
            self._events(parse_qs(url.query).get("build", ["0"])[0])
        else:
            super().do_GET()

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        # A rebuild changes the output under this lock (swapping the folder, or replacing
        # the changed files one by one): a file opened here is all old or all new.
        with self.output_lock:
            return self._send_head()

    def _send_head(self) -> io.BytesIO | BinaryIO | None:
        self._wait_for_output()
        url_path = urlsplit(self.path).path
        path = Path(self.translate_path(self.path))
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        # HTML is read and changed in memory, so the precompressed copies are not used.
        body = self.html(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def html(self, body: bytes) -> bytes:
        tag = f'<script src="{SCRIPT_PATH}" data-build="{self.live.build}" defer></script>'
        end = body.rfind(b"</body>")
        end = len(body) if end < 0 else end
        return body[:end] + tag.encode() + body[end:]

    def _wait_for_output(self) -> None:
        # The build swaps the output folder with two renames; a request in between waits.
        deadline = time.monotonic() + SWAP_WAIT_SECONDS
        while not Path(str(self.directory)).is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self, build_param: str) -> None:
        """Server-sent events: ``reload`` once a newer good build exists, else ``problems``."""
        page_build = int(build_param) if build_param.isdigit() else 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen: int | None = None
        try:
            while not self.live.closed:
                version, good_build, problems = self.live.wait(seen, KEEPALIVE_SECONDS)
                if self.live.closed:
                    return
                if good_build > page_build:
                    self.wfile.write(b"event: reload\ndata: {}\n\n")
                    self.wfile.flush()
                    return
                if version == seen:
                    self.wfile.write(b": keepalive\n\n")
                else:
                    data = json.dumps(problems, ensure_ascii=False)
                    self.wfile.write(f"event: problems\ndata: {data}\n\n".encode())
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            return  # the page went away


def static_server(
    root: Path, host: str = "127.0.0.1", port: int = 0
) -> http.server.ThreadingHTTPServer:
    """An HTTP server for a built site folder (port 0 picks a free port)."""
    handler = functools.partial(StaticHandler, directory=str(root))
    return http.server.ThreadingHTTPServer((host, port), handler)


class DevServer:
    """Builds a project, serves the last good build and rebuilds when its sources change."""

    def __init__(
        self, project_dir: Path, host: str = "127.0.0.1", port: int = 8000, reload: bool = True
    ) -> None:
        self.project_dir = project_dir
        self.out = (project_dir / ".sitegen-serve").resolve()
        self.live = LiveReload() if reload else None
        self._output_lock = threading.Lock()
        handler: Callable[..., StaticHandler]
        if self.live is not None:
            handler = functools.partial(
                DevHandler, directory=str(self.out), live=self.live, output_lock=self._output_lock
            )
        else:
            handler = functools.partial(StaticHandler, directory=str(self.out))
        self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        self.base_url = f"http://{host}:{self.httpd.server_address[1]}/"
        self._build_lock = threading.Lock()  # a debounced rebuild may fire while one runs
        # Kept between rebuilds: an edit redoes only its own work (sitegen/memo.py). A local
        # preview needs no .gz/.br copies.
        self.session = BuildSession(compress=False, keep_heap_frozen=True, save_record=False)
        self._observer: Any = None

    def start(self) -> None:
        """The first build (which must succeed: nothing to serve otherwise), then watching."""
        try:
            build(self.project_dir, self.out, self.base_url, session=self.session)
        except BaseException:
            self.httpd.server_close()
            raise
        self._observer = Observer()
        events = _Rebuilder(self.rebuild, self.forget_memo)
        for folder in ("content", "themes"):
            if (self.project_dir / folder).is_dir():
                self._observer.schedule(events, str(self.project_dir / folder), recursive=True)
        self._observer.start()

    def forget_memo(self) -> None:
        with self._build_lock:
            self.session.memo = Memo()

    def rebuild(self) -> bool:
        """Rebuild now; browsers reload on success and show the problems on failure."""
        with self._build_lock:
            problems: list[str] = []
            try:
                result = build(
                    self.project_dir,
                    self.out,
                    self.base_url,
                    commit_lock=self._output_lock,
                    session=self.session,
                )
            except ContentError as exc:
                problems = [str(p) for p in exc.problems]
                for line in problems:
                    print(line, flush=True)
                print("Rebuild failed; still serving the last good build.", flush=True)
            except SitegenError as exc:
                problems = [f"error: {exc}"]
                print(problems[0], flush=True)
            if problems:
                if self.live is not None:
                    self.live.failed(problems)
                return False
            print(
                f"Rebuilt in {result.seconds:.2f} s: {result.rendered} of {result.pages} pages "
                f"rendered, {result.stats.written} files written",
                flush=True,
            )
            if self.live is not None:
                self.live.succeeded()
            return True

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        """Stop watching and serving (from another thread, or after ``serve_forever`` ended)."""
        if self.session.cache is not None:
            self.session.cache.save()  # the pinyin readings, left out of each rebuild
        if self.live is not None:
            self.live.close()  # ends the event streams, which would keep threads busy
        if self._observer is not None:
            self._observer.stop()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(
    project_dir: Path, host: str = "127.0.0.1", port: int = 8000, reload: bool = True
) -> None:
    """Serve the site at ``http://host:port/`` until interrupted."""
    server = DevServer(project_dir, host, port, reload)
    print(f"Building {project_dir.resolve()} ...", flush=True)
    server.start()
    print(f"Serving {project_dir.resolve()} at {server.base_url} (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
