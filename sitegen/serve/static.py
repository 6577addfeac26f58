"""Serving a built site folder as a CDN would: precompressed copies and the site's 404 page."""

from __future__ import annotations

import functools
import http.server
import io
import logging
import socket
import sys
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)


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


class SiteServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server for which a browser leaving a page is no error."""

    daemon_threads = True

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], address: object
    ) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        log.exception("answering %s failed", address)


def static_server(root: Path, host: str = "127.0.0.1", port: int = 0) -> SiteServer:
    """An HTTP server for a built site folder (port 0 picks a free port)."""
    handler = functools.partial(StaticHandler, directory=str(root))
    return SiteServer((host, port), handler)
