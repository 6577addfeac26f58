"""Headers as data: the rules of ``_headers`` give every file the headers of its kind, each
header once, and the nginx and Caddy forms say the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.build.stages import build
from sitegen.errors import BuildError
from sitegen.render.headers import (
    CONTENT_TYPES,
    IMMUTABLE,
    REVALIDATE,
    Rule,
    caddy_headers,
    header_rules,
    headers_file,
    headers_for,
    nginx_maps,
    parse_headers_file,
)

from .conftest import SITE_YAML, MakeSite

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def files_of(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def url_of(rel: str, base: str = "/") -> str:
    return base + rel.removesuffix("index.html")


def test_each_file_gets_each_header_exactly_once() -> None:
    files = [
        "index.html",
        "404.html",
        "sw.js",
        "assets/js/app.0123456789.js",
        "assets/js/app.0123456789.js.br",
        "assets/vendor/README.md",
        "assets/vendor/leaflet-1.9.4/leaflet.css",
        "data/hours.abcdef0123.json",
        "data/en/toilet.geojson",
        "en/index.html",
        "en/manifest.webmanifest",
        "en/toilet/a/index.html",
    ]
    rules = header_rules(files, "/map/", COMMON)
    assert rules[0] == Rule("/map/*", tuple(COMMON.items()))
    for rel in files:
        if rel.endswith(".br"):
            continue
        # Every matching rule counts (Netlify, Cloudflare): a header twice would be joined.
        for url in {url_of(rel, "/map/"), "/map/" + rel}:
            matching = [h for r in rules for h in r.headers if _matches(r.pattern, url)]
            names = [name for name, _ in matching]
            assert len(names) == len(set(names)), (url, names)
            got = dict(matching)
            hashed = re.search(r"\.[0-9a-f]{10}\.|/leaflet-1", rel)
            assert got["Cache-Control"] == (IMMUTABLE if hashed else REVALIDATE), rel
            assert got["X-Content-Type-Options"] == "nosniff"
    assert headers_for(rules, "/map/en/manifest.webmanifest")["Content-Type"] == (
        "application/manifest+json"
    )
    assert headers_for(rules, "/map/data/en/toilet.geojson")["Content-Type"] == (
        "application/geo+json"
    )
    assert "Content-Type" not in headers_for(rules, "/map/en/")  # hosts know HTML
    assert headers_for(rules, "/elsewhere/") == {}


def _matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def test_headers_file_reads_back_as_its_rules() -> None:
    rules = header_rules(["a/b.css", "a/c.0123456789.css", "index.html"], "/", COMMON)
    assert parse_headers_file(headers_file(rules).decode()) == rules


def test_a_built_site_has_the_header_set_of_each_kind(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(make_site(), out)
    rules = parse_headers_file((out / "_headers").read_text("utf-8"))
    kinds = {
        "page": "/en/",
        "hashed asset": "/"
        + next(f for f in files_of(out) if re.match(r"assets/js/app\.\w+\.js$", f)),
        "service worker": "/sw.js",
        "manifest": "/zh-hans/manifest.webmanifest",
        "geojson": "/data/en/toilet.geojson",
    }
    got = {kind: headers_for(rules, path) for kind, path in kinds.items()}
    for kind, headers in got.items():
        assert headers["X-Content-Type-Options"] == "nosniff", kind
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", kind
        assert headers["Permissions-Policy"].startswith("geolocation=(self), camera=()"), kind
        assert headers["Strict-Transport-Security"] == "max-age=31536000", kind  # https base
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "worker-src 'self'" in csp, kind
    assert {k: h["Cache-Control"] for k, h in got.items()} == {
        "page": REVALIDATE,
        "hashed asset": IMMUTABLE,
        "service worker": REVALIDATE,
        "manifest": REVALIDATE,
        "geojson": REVALIDATE,
    }
    assert got["manifest"]["Content-Type"] == CONTENT_TYPES[".webmanifest"]
    assert got["geojson"]["Content-Type"] == CONTENT_TYPES[".geojson"]
    # Every file of the output is covered by the rules, and no rule names a missing file.
    for rel in files_of(out):
        if not rel.endswith((".gz", ".br")) and not rel.startswith("_headers"):
            assert "Cache-Control" in headers_for(rules, "/" + rel), rel
    for rule in rules:
        target = out / rule.pattern.lstrip("/").rstrip("*")
        assert target.exists(), rule.pattern


def test_no_hsts_for_a_site_without_https(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(make_site({"content/site.yaml": SITE_YAML.replace("https://map", "http://map")}), out)
    rules = parse_headers_file((out / "_headers").read_text("utf-8"))
    assert "Strict-Transport-Security" not in headers_for(rules, "/en/")
    assert '$sitegen_strict_transport_security {\n    default "";\n}' in (
        out / "_headers.nginx"
    ).read_text("utf-8")


def test_nginx_and_caddy_forms_carry_the_same_rules() -> None:
    rules = header_rules(["index.html", "a.b/c.0123456789.js", "x/index.html"], "/m/", COMMON)
    nginx = nginx_maps(rules, "/m/").decode()
    assert 'map $uri $sitegen_cache_control {\n    default "";\n' in nginx
    assert '    "/m/" "no-cache";\n' in nginx
    assert '    "~^/m/a[.]b/" "public, max-age=31536000, immutable";\n' in nginx
    assert '    "~^/m/x/" "no-cache";\n' in nginx
    assert 'map $uri $sitegen_not_found { default "/m/404.html"; }' in nginx
    caddy = caddy_headers(rules, "/m/").decode()
    assert 'vars sitegen_not_found "/m/404.html"\n' in caddy
    assert (
        'header "/m/a.b/*" {\n    Cache-Control "public, max-age=31536000, immutable"\n}' in caddy
    )


@pytest.mark.parametrize("base", ['/a"b/', "/a$b/", "/a{b}/", "/a\\b/"])
def test_a_path_a_server_file_cannot_hold_is_a_build_error(base: str) -> None:
    rules = header_rules(["index.html", "d/x.css"], base, COMMON)
    with pytest.raises(BuildError, match="cannot write"):
        nginx_maps(rules, base)
