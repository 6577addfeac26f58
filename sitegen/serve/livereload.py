"""Live reload for the dev server: the state browsers follow, the script added to HTML
responses (never to the files on disk), and the handler that serves both.

Browsers reload after a good rebuild and show the problems of a failed one over the page.
"""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, urlsplit

from sitegen.serve.static import StaticHandler

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
