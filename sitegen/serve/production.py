"""``sitegen preview``: a built folder served as deploy/nginx.conf and deploy/Caddyfile serve it.

The headers of ``_headers`` (every matching rule, as Netlify and Cloudflare apply them), the
types of ``CONTENT_TYPES``, the ``.br``/``.gz`` copies for clients that accept them (pages
compressed as they are sent), validators and 304s, the site's 404 page with status 404, and
the site at its base path. Browser tests and benchmarks use it to see what visitors get.
"""

from __future__ import annotations

import email.utils
import gzip
import http.server
import logging
import posixpath
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.build.compress import PRECOMPRESS_MIN_BYTES
from sitegen.render.headers import (
    HEADER_FILES,
    Rule,
    content_type,
    headers_for,
    parse_headers_file,
)
from sitegen.serve.static import SiteServer

log = logging.getLogger(__name__)

# What deploy/nginx.conf compresses as it sends (gzip_types; HTML is always compressed).
_COMPRESSED_ON_THE_FLY = ("text/", "application/json", "application/geo+json")
_CODINGS = (("br", ".br"), ("gzip", ".gz"))


@dataclass
class _Rules:
    """``_headers`` of the served folder, read again whenever a build replaced it."""

    stamp: tuple[int, int] | None = None
    rules: tuple[Rule, ...] = ()
    base_path: str = "/"


class SiteFolder:
    """The built folder being served, and its header rules."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._rules = _Rules()

    def rules(self) -> _Rules:
        path = self.root / "_headers"
        try:
            st = path.stat()
        except OSError:
            return _Rules()  # not built yet: no headers, the site at /
        stamp = (st.st_ino, st.st_mtime_ns)
        with self._lock:
            if self._rules.stamp != stamp:
                rules = parse_headers_file(path.read_text("utf-8"))
                # The first rule is always the base path's "/*" (render/headers.py).
                base = rules[0].pattern[:-1] if rules and rules[0].pattern.endswith("*") else "/"
                self._rules = _Rules(stamp, tuple(rules), base)
            return self._rules


def accepted_codings(header: str) -> set[str]:
    """Content codings an ``Accept-Encoding`` value allows (``q=0`` refuses one)."""
    found = set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                found.add(name.strip().lower())
        except ValueError:
            continue
    return found


class ProductionHandler(http.server.BaseHTTPRequestHandler):
    """One request, answered as the shipped server configurations answer it."""

    server_version = "sitegen-preview"
    folder: SiteFolder  # set by ``production_server``

    def do_GET(self) -> None:
        self.answer(head=False)

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def answer(self, head: bool) -> None:
        rules = self.folder.rules()
        path = urlsplit(self.path).path
        decoded = unquote(path)
        file = self.file_for(decoded, rules.base_path)
        if isinstance(file, str):  # a folder's address without its slash
            self.send(301, {"Location": file}, b"", rules, path, head)
            return
        if file is None:
            self.not_found(rules, head)
            return
        self.send_file(file, path, rules, head, 200)

    def file_for(self, path: str, base: str) -> Path | str | None:
        """The file a path names, a redirect target for a folder, or None (404)."""
        if not path.startswith(base) or "\0" in path:
            return None
        rel = posixpath.normpath(path[len(base) :]).lstrip("/")
        if rel.startswith("..") or rel in HEADER_FILES:
            return None
        target = self.folder.root / rel if rel not in ("", ".") else self.folder.root
        if target.is_dir():
            if not path.endswith("/"):
                return path + "/"
            target = target / "index.html"
        return target if target.is_file() else None

    def not_found(self, rules: _Rules, head: bool) -> None:
        page = self.folder.root / "404.html"
        if page.is_file():
            self.send_file(page, rules.base_path + "404.html", rules, head, 404)
        else:
            plain = {"Content-Type": "text/plain; charset=utf-8"}
            self.send(404, plain, b"not found\n", rules, "", head)

    def send_file(self, file: Path, path: str, rules: _Rules, head: bool, status: int) -> None:
        kind = content_type(file.name) or "application/octet-stream"
        headers = {"Content-Type": kind}
        accepted = accepted_codings(self.headers.get("Accept-Encoding", ""))
        variants = [(c, file.with_name(file.name + s)) for c, s in _CODINGS]
        variants = [(c, v) for c, v in variants if v.is_file()]
        st = file.stat()
        body: bytes | None = None
        for coding, variant in variants:
            if coding in accepted:
                body, headers["Content-Encoding"] = variant.read_bytes(), coding
                break
        if body is None:
            body = file.read_bytes()
            if self._compress_on_the_fly(kind, body) and "gzip" in accepted:
                body, headers["Content-Encoding"] = gzip.compress(body, 6, mtime=0), "gzip"
        if variants or self._compress_on_the_fly(kind, body):
            headers["Vary"] = "Accept-Encoding"
        headers["Last-Modified"] = email.utils.formatdate(st.st_mtime, usegmt=True)
        headers["ETag"] = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
        if status == 200 and self.headers.get("If-None-Match") == headers["ETag"]:
            self.send(304, headers, b"", rules, path, head=True)
            return
        self.send(status, headers, body, rules, path, head)

    @staticmethod
    def _compress_on_the_fly(kind: str, body: bytes) -> bool:
        return kind.startswith(_COMPRESSED_ON_THE_FLY) and len(body) >= PRECOMPRESS_MIN_BYTES

    def send(
        self,
        status: int,
        headers: dict[str, str],
        body: bytes,
        rules: _Rules,
        path: str,
        head: bool,
    ) -> None:
        self.send_response(status)
        for name, value in {**headers, **headers_for(list(rules.rules), path)}.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def base_path_of(root: Path) -> str | None:
    """The base path a built folder is made for (from its ``_headers``); None if not built."""
    if not (root / "_headers").is_file():
        return None
    return SiteFolder(root).rules().base_path


def production_server(root: Path, host: str = "127.0.0.1", port: int = 0) -> SiteServer:
    """An HTTP server for a built folder, as the shipped configurations serve it (port 0: any)."""
    handler = type("Handler", (ProductionHandler,), {"folder": SiteFolder(root.resolve())})
    return SiteServer((host, port), handler)
