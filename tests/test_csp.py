"""The Content Security Policy of every page: exactly the configured tile hosts, every
subdomain of them, the report endpoint, and no other host; the import map that it allows."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from sitegen.build.stages import build
from sitegen.render.headers import headers_for, parse_headers_file

from .conftest import MakeSite
from .test_tiles import with_tiles

TILES = """\
  - preset: tianditu
    key: 0123abcd
  - preset: amap
  - id: lettered
    name: Lettered
    url: https://{s}.tiles.example.org/{z}/{x}/{y}.png
    attribution: © lettered
  - id: proto
    name: Protocol-relative
    url: //proto.example.net/{z}/{x}/{y}.png
    attribution: © proto
  - id: own
    name: Our own
    url: /tiles/{z}/{x}/{y}.png
    attribution: © us
"""
TILE_ORIGINS = {
    *(f"https://t{n}.tianditu.gov.cn" for n in range(8)),
    *(f"https://webrd0{n}.is.autonavi.com" for n in range(1, 5)),
    *(f"https://{s}.tiles.example.org" for s in "abc"),
    "https://proto.example.net",
}
REPORT = "https://reports.example.org"
KEYWORDS = {"'self'", "'none'", "data:"}


def policy(text: str) -> dict[str, list[str]]:
    directives = {}
    for part in text.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} twice"
        directives[name] = sources
    return directives


def meta_policy(page: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert len(found) == 1
    return html.unescape(found[0])


def hosts(sources: list[str]) -> set[str]:
    """The sources of a directive that name another host (not keywords, not hashes)."""
    return {s for s in sources if s not in KEYWORDS and not s.startswith("'sha256-")}


def built(make_site: MakeSite, site_yaml: str, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    build(make_site({"content/site.yaml": site_yaml}), out)
    return out


def test_every_page_allows_exactly_the_tile_hosts_and_the_report_endpoint(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from .conftest import SITE_YAML

    out = built(make_site, with_tiles(TILES, SITE_YAML), tmp_path)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    policies = {meta_policy(p.read_text("utf-8")) for p in pages}
    assert len(policies) == 1  # one policy for the whole site
    directives = policy(policies.pop())
    assert hosts(directives["img-src"]) == TILE_ORIGINS
    # The service worker fetches tiles to cache them: connect-src governs a worker's fetches.
    assert hosts(directives["connect-src"]) == TILE_ORIGINS | {REPORT}
    assert hosts(directives["form-action"]) == {REPORT}
    for name in ("default-src", "script-src", "worker-src", "style-src", "base-uri"):
        assert hosts(directives[name]) == set(), name
    assert directives["object-src"] == ["'none'"]
    assert "frame-ancestors" not in directives  # ignored (with a console error) in <meta>
    assert not any("unsafe" in s for sources in directives.values() for s in sources)


def test_the_header_policy_is_the_meta_one_with_frame_ancestors(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from .conftest import SITE_YAML

    out = built(make_site, with_tiles(TILES, SITE_YAML), tmp_path)
    rules = parse_headers_file((out / "_headers").read_text("utf-8"))
    meta = meta_policy((out / "en/index.html").read_text("utf-8"))
    for path in ("/en/", "/sw.js", "/assets/js/cluster-worker.js", "/data/en/toilet.geojson"):
        assert headers_for(rules, path)["Content-Security-Policy"] == (
            meta + "; frame-ancestors 'none'"
        )


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def test_a_script_end_tag_in_the_base_url_cannot_break_the_import_map(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from .conftest import SITE_YAML

    base = "https://map.example.org/a</script><script>alert(1)</script>/"
    out = built(make_site, SITE_YAML.replace("https://map.example.org/", base), tmp_path)
    page = (out / "en/index.html").read_text("utf-8")
    parser = _Scripts()
    parser.feed(page)
    # Had the base path ended the import map, its alert(1) would be one more inline script.
    inline = [(attrs, text) for attrs, text in parser.scripts if "src" not in attrs]
    assert [attrs.get("type") for attrs, _ in inline] == ["importmap", "application/json"]
    text = inline[0][1]
    imports = json.loads(text)["imports"]
    prefix = "/a</script><script>alert(1)</script>/"
    assert imports and all(v.startswith(prefix) for v in imports.values())
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy(meta_policy(page))["script-src"]
