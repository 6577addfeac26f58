"""The shipped server configurations, run: Debian's nginx and Caddy with deploy/nginx.conf and
deploy/Caddyfile (and ``sitegen preview``) over a built site, asked over loopback HTTP.

Every header of ``_headers`` on a page, a hashed asset, ``sw.js``, a manifest and a GeoJSON
file; the precompressed copies (brotli where the server has it, gzip otherwise) decompressing
to the very bytes of the file; the 404 page with status 404; the site at a sub-path.
``make test`` installs nginx, its brotli module (where Debian has it) and Caddy
(scripts/install-test-deps): a missing server fails these tests, it does not skip them.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest

from sitegen.build.stages import build
from sitegen.render.headers import CONTENT_TYPES, Rule, headers_for, parse_headers_file
from sitegen.serve.production import production_server

from .conftest import REPO
from .e2e.conftest import SITE

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
SERVERS = ("nginx", "caddy", "preview")
DEPLOYMENTS = {"root": "https://map.example.org/", "sub-path": "https://example.org/city/map/"}


@dataclass
class BuiltSite:
    out: Path  # the built folder
    root: Path  # the folder the server serves: ``out``, or the one that holds it at its path
    base: str  # the base path: "/" or "/city/map/"
    rules: list[Rule]

    def file(self, path: str) -> Path:
        rel = path.removeprefix(self.base)
        return self.out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


@pytest.fixture(scope="module", params=list(DEPLOYMENTS))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = tmp_path_factory.mktemp("hosting") / "site"
    shutil.copytree(SITE, project)
    template = (project / "content/site.yaml.in").read_text("utf-8")
    tiles = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # never fetched here
    (project / "content/site.yaml").write_text(template.replace("TILE_URL", tiles), "utf-8")
    base_url = DEPLOYMENTS[request.param]
    base = "/" + base_url.split("/", 3)[3]
    www = project.parent / "www"
    out = www / base.strip("/") if base != "/" else project / "public"
    build(project, out, base_url=base_url)
    rules = parse_headers_file((out / "_headers").read_text("utf-8"))
    return BuiltSite(out, www if base != "/" else out, base, rules)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes] | None, log: Path | None) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            text = log.read_text("utf-8", "replace") if log else ""
            raise AssertionError(f"the server stopped at once:\n{text}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def shipped(name: str, changes: dict[str, str]) -> str:
    """A file of deploy/ with the lines marked CHANGE set for this test; nothing else."""
    text = (REPO / "deploy" / name).read_text("utf-8")
    for old, new in changes.items():
        assert old in text, f"deploy/{name} no longer has {old!r}"
        text = text.replace(old, new)
    return text


def nginx_files(site: BuiltSite, port: int, work: Path) -> list[str]:
    snippets = work / "snippets"
    snippets.mkdir()
    brotli_ok = BROTLI_MODULE.is_file()
    if brotli_ok:
        shutil.copy(REPO / "deploy/nginx-brotli.conf", snippets / "sitegen-brotli.conf")
    (work / "site.conf").write_text(
        shipped(
            "nginx.conf",
            {
                "include /srv/map/public/": f"include {site.out}/",
                "root /srv/map/public;": f"root {site.root};",
                "listen 80;": f"listen 127.0.0.1:{port};",
                "/etc/nginx/snippets/": f"{snippets}/",
            },
        ),
        "utf-8",
    )
    # The test's own main file: one process (no user switch to read the test's folders),
    # its files under ``work``; the site's file is included unchanged but for CHANGE lines.
    temp = "\n".join(
        f"  {k}_temp_path {work / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    module = f"load_module {BROTLI_MODULE};\n" if brotli_ok else ""
    (work / "main.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {work / 'nginx.pid'};\nerror_log stderr warn;\n"
        f"{module}events {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n{temp}\n  include {work / 'site.conf'};\n}}\n",
        "utf-8",
    )
    return [NGINX, "-e", "stderr", "-p", str(work), "-c", str(work / "main.conf")]


def caddy_files(site: BuiltSite, port: int, work: Path) -> list[str]:
    (work / "site.caddy").write_text(
        shipped(
            "Caddyfile",
            {
                "/srv/map/public/_headers.caddy": f"{site.out}/_headers.caddy",
                "root * /srv/map/public": f"root * {site.root}",
                "map.example.org {": f"http://127.0.0.1:{port} {{",
            },
        ),
        "utf-8",
    )
    (work / "Caddyfile").write_text(
        "{\n\tadmin off\n\tauto_https off\n\tstorage file_system "
        f"{work / 'data'}\n}}\nimport {work / 'site.caddy'}\n",
        "utf-8",
    )
    return [CADDY, "run", "--adapter", "caddyfile", "--config", str(work / "Caddyfile")]


@dataclass
class Served:
    name: str
    site: BuiltSite
    port: int

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            got = {k.lower(): v for k, v in response.getheaders()}
            return response.status, got, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module", params=SERVERS)
def served(
    request: pytest.FixtureRequest, site: BuiltSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    name = request.param
    if name == "preview":
        server = production_server(site.out, port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        # The preview serves the built folder at its base path, whatever the folder.
        yield Served(name, site, int(server.server_address[1]))
        server.shutdown()
        server.server_close()
        return
    binary = NGINX if name == "nginx" else CADDY
    assert Path(binary).is_file(), (
        f"{binary} not found: `make test` installs it (apt-get install {name})"
    )
    work = tmp_path_factory.mktemp(name)
    port = free_port()
    command = (nginx_files if name == "nginx" else caddy_files)(site, port, work)
    env = {
        **os.environ,
        "HOME": str(work),
        "XDG_DATA_HOME": str(work),
        "XDG_CONFIG_HOME": str(work),
    }
    log = work / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(port, process, log)
        yield Served(name, site, port)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kinds(site: BuiltSite) -> dict[str, str]:
    """A path of each kind of file the issue names."""
    app = next(
        p.name for p in (site.out / "assets/js").iterdir() if re.match(r"app\.\w+\.js$", p.name)
    )
    return {
        "page": site.base + "zh-hans/",
        "hashed asset": site.base + f"assets/js/{app}",
        "service worker": site.base + "sw.js",
        "manifest": site.base + "en/manifest.webmanifest",
        "geojson": site.base + "data/zh-hans/toilet.geojson",
    }


def expected_type(path: str) -> str:
    suffix = "." + path.rsplit(".", 1)[1] if "." in path.rsplit("/", 1)[-1] else ".html"
    return CONTENT_TYPES[suffix]


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    coding = headers.get("content-encoding")
    if coding == "br":
        return bytes(brotli.decompress(body))
    if coding == "gzip":
        return gzip.decompress(body)
    assert coding is None, coding
    return body


def test_every_kind_of_file_has_the_headers_of_its_rules(served: Served) -> None:
    site = served.site
    for kind, path in kinds(site).items():
        status, headers, body = served.get(path, **{"Accept-Encoding": "identity"})
        assert status == 200, (kind, path)
        expected = headers_for(site.rules, path)
        for name, value in expected.items():
            assert headers.get(name.lower()) == value, (served.name, kind, name)
        assert headers["content-type"] == expected_type(path), (served.name, kind)
        assert body == site.file(path).read_bytes(), (served.name, kind)
    # What the rules say, spelled out, so a change in the rules is seen here too.
    page = served.get(site.base + "zh-hans/")[1]
    assert "frame-ancestors 'none'" in page["content-security-policy"]
    assert page["cache-control"] == "no-cache"
    assert page["strict-transport-security"] == "max-age=31536000"
    assert page["x-content-type-options"] == "nosniff"
    asset = served.get(kinds(site)["hashed asset"])[1]
    assert asset["cache-control"] == "public, max-age=31536000, immutable"


def test_compressed_copies_are_served_and_decompress_to_the_file(served: Served) -> None:
    site = served.site
    brotli_expected = served.name != "nginx" or BROTLI_MODULE.is_file()
    for kind in ("hashed asset", "service worker", "page"):
        path = kinds(site)[kind]
        plain = site.file(path).read_bytes()
        status, headers, body = served.get(path, **{"Accept-Encoding": "gzip, deflate, br"})
        assert status == 200
        # Pages have no copies: they are compressed as they are sent, with gzip.
        wanted = "br" if brotli_expected and kind != "page" else "gzip"
        assert headers.get("content-encoding") == wanted, (served.name, kind)
        assert "accept-encoding" in headers.get("vary", "").lower(), (served.name, kind)
        assert decoded(headers, body) == plain, (served.name, kind)
        status, headers, body = served.get(path, **{"Accept-Encoding": "gzip"})
        assert (status, headers.get("content-encoding")) == (200, "gzip"), (served.name, kind)
        assert gzip.decompress(body) == plain
        status, headers, body = served.get(path, **{"Accept-Encoding": "identity"})
        assert "content-encoding" not in headers and body == plain, (served.name, kind)


def test_the_404_page_comes_with_status_404_and_its_own_headers(served: Served) -> None:
    site = served.site
    page = (site.out / "404.html").read_bytes()
    for path in (site.base + "no/such/page/", site.base + "_headers", site.base + "_headers.nginx"):
        status, headers, body = served.get(path, **{"Accept-Encoding": "gzip"})
        assert status == 404, (served.name, path)
        assert decoded(headers, body) == page, (served.name, path)
        assert headers["content-type"] == "text/html; charset=utf-8"
        for name, value in headers_for(site.rules, site.base + "404.html").items():
            assert headers.get(name.lower()) == value, (served.name, path, name)


def test_a_folder_without_its_slash_is_sent_to_it(served: Served) -> None:
    status, headers, _ = served.get(served.site.base + "en")
    assert status in (301, 308)
    assert headers["location"].endswith(served.site.base + "en/")


def test_an_unchanged_file_is_not_sent_again(served: Served) -> None:
    path = kinds(served.site)["manifest"]
    _, headers, _ = served.get(path)
    status, _, body = served.get(path, **{"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


def test_the_site_lives_at_its_base_path(served: Served) -> None:
    site = served.site
    status, _, body = served.get(site.base + "en/", **{"Accept-Encoding": "identity"})
    assert status == 200
    assets = re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js))"', body.decode())
    assert assets and all(a.startswith(site.base + "assets/") for a in assets)
    for asset in assets[:3]:
        status, headers, _ = served.get(asset)
        assert (status, headers["cache-control"]) == (200, "public, max-age=31536000, immutable")
    if site.base != "/":
        assert served.get("/en/")[0] == 404  # nothing outside the base path


def test_preview_wants_a_built_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sitegen.cli.main import main

    result = CliRunner().invoke(main, ["preview", "-d", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"error: {tmp_path}: no built site here (no _headers); run sitegen build\n"
    )


def test_a_client_that_hangs_up_mid_answer_is_no_error(
    site: BuiltSite, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "public"
    folder.mkdir()
    shutil.copy(site.out / "_headers", folder / "_headers")
    (folder / "big.bin").write_bytes(os.urandom(32 * 1024 * 1024))  # more than socket buffers
    server = production_server(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for _ in range(3):
            with socket.create_connection(server.server_address[:2], timeout=10) as client:
                client.sendall(f"GET {site.base}big.bin HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                assert client.recv(4096).startswith(b"HTTP/1.0 200")
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        time.sleep(0.5)  # the server's threads meet the closed connections
        with socket.create_connection(server.server_address[:2], timeout=10) as client:
            client.sendall(f"HEAD {site.base}big.bin HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert client.recv(4096).startswith(b"HTTP/1.0 200")  # still answering
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err
