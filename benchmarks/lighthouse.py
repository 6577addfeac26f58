"""Lighthouse 12 (default mobile emulation) on the demo's home and a name-card page, per locale.

Run by hand, on a machine that is otherwise quiet (Lighthouse does not correct for a busy CPU):

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--card toilet/ID] [--reuse DIR]
        [--locales zh-hant,zh-hans,en] [--pages home,card]

It installs Lighthouse from npm into benchmarks/lighthouse/ (``npm ci``, pinned in its
package-lock.json), builds the demo with its tile layer pointed at a tile server on loopback
(tiles cannot be fetched from the internet here; the tiles are drawn with about the bytes and
detail of real street-map tiles, so they weigh as real ones would in LCP, and offered at 2x
for dense screens as most tile services do), serves the built
site as a CDN would (the precompressed .br/.gz copies, ``immutable`` for hashed assets and
data, ``no-cache`` for pages and sw.js) and runs Lighthouse in Debian's Chromium. It prints,
per page and locale, the median of the runs: the four category scores and FCP, LCP, TBT, CLS,
and the audits that cost points. The report endpoint is this server too: it answers a card's
request for its place's ratings as the real one would, so the page meets no unreachable host.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, ClassVar

import brotli
from PIL import Image, ImageDraw

from sitegen.build.stages import build
from sitegen.reports.feedback import NOT_RATED
from sitegen.serve.static import StaticHandler

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "benchmarks/lighthouse"
LIGHTHOUSE = TOOL / "node_modules/lighthouse/cli/index.js"
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}
REPORTS = "open311/v2/"
RATINGS = re.compile(rf"^/{REPORTS}places/[^/?]+/ratings\.json(\?|$)")
HASHED = re.compile(r"\.[0-9a-f]{10}\.")  # assets/…/NAME.HASH.EXT and data/…/NAME.HASH.json


# -- servers -------------------------------------------------------------------------------


class CdnHandler(StaticHandler):
    """The built site as a CDN sends it: the precompressed copies, pages compressed on the fly
    (the build leaves HTML to the CDN), hashed files cached for good, the rest revalidated."""

    def send_head(self) -> io.BytesIO | Any:
        if RATINGS.match(self.path):  # the report endpoint's answer for a place nobody rated
            body = json.dumps(NOT_RATED).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix == ".html"
            and path.is_file()
            and "br" in self.headers.get("Accept-Encoding", "")
        ):
            body = brotli.compress(path.read_bytes(), quality=5)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "br")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def end_headers(self) -> None:
        path = self.path.split("?")[0]
        if HASHED.search(path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def street_tile(z: int, x: int, y: int, scale: int = 1) -> bytes:
    """A 256 px PNG (512 px for @2x) with blocks, streets and a river, seeded by its address:
    about the bytes of real street-map tiles (~20 KB, ~40 KB at 2x)."""
    rng = random.Random(f"{z}/{x}/{y}")
    size = 256 * scale
    image = Image.new("P", (size, size), 0)
    image.putpalette(
        [242, 239, 233, 214, 210, 204, 200, 230, 190, 255, 255, 255, 170, 211, 223, 90, 90, 90]
    )

    def at(n: int) -> int:
        return n * scale

    draw = ImageDraw.Draw(image)
    for _ in range(120):  # building blocks
        x0, y0 = rng.randrange(256), rng.randrange(256)
        w, h = rng.randrange(8, 40), rng.randrange(8, 40)
        shade = rng.randrange(205, 225)
        draw.rectangle(
            (at(x0), at(y0), at(x0 + w), at(y0 + h)), fill=(shade, shade - 4, shade - 10)
        )
    for _ in range(8):  # parks
        x0, y0 = rng.randrange(256), rng.randrange(256)
        draw.ellipse((at(x0), at(y0), at(x0 + 30), at(y0 + 24)), fill=(200, 230, 190))
    for _ in range(30):  # streets
        points = [(at(rng.randrange(-20, 276)), at(rng.randrange(-20, 276))) for _ in range(3)]
        draw.line(points, fill=(255, 255, 255), width=at(rng.choice((3, 5, 8))))
    river = [(0, at(rng.randrange(256))), (size, at(rng.randrange(256)))]
    draw.line(river, fill=(170, 211, 223), width=at(12))
    for _ in range(25):  # labels
        draw.text((at(rng.randrange(230)), at(rng.randrange(245))), "abc", fill=(90, 90, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


class TileHandler(http.server.BaseHTTPRequestHandler):
    cache: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        name = self.path.strip("/").removesuffix(".png")
        scale = 2 if name.endswith("@2x") else 1
        parts = name.removesuffix("@2x").split("/")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            self.send_error(404)
            return
        body = self.cache.get(self.path) or street_tile(*map(int, parts), scale=scale)
        self.cache[self.path] = body
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=86400")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(server: http.server.HTTPServer) -> str:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


# -- the site ------------------------------------------------------------------------------


def install_lighthouse() -> None:
    if not LIGHTHOUSE.is_file():
        print("installing Lighthouse from npm into benchmarks/lighthouse/ …", flush=True)
        subprocess.run(["npm", "ci", "--prefix", str(TOOL), "--no-audit", "--no-fund"], check=True)


def build_demo(work: Path, tiles: str, base: str) -> Path:
    """The demo with its tile URL on loopback, built for ``base``; returns the output folder."""
    project = work / "project"
    shutil.copytree(REPO / "content", project / "content")
    site_yaml = project / "content/site.yaml"
    text = site_yaml.read_text("utf-8")
    text, count = re.subn(r"url: https://tile\.openstreetmap\.org/\S+", f"url: {tiles}", text)
    assert count, "the demo's site.yaml has no OpenStreetMap tile URL to replace"
    # The demo's report endpoint is a made-up host: here it is this server, which answers
    # the one call a page makes of it (a place's ratings), as a real endpoint would.
    text, count = re.subn(r"endpoint: https://\S+", f"endpoint: {base}{REPORTS}", text)
    assert count, "the demo's site.yaml has no report endpoint to replace"
    site_yaml.write_text(text, "utf-8")
    out = work / "public"
    result = build(project, out, base_url=base)
    print(f"built {result.pages} pages", flush=True)
    return out


def first_card(out: Path) -> str:
    """CATEGORY/ID of the first toilet page in the English tree: a default name card."""
    pages = sorted((out / "en/toilet").glob("*/index.html"))
    card = next(p for p in pages if p.parent.name != "page")
    return f"toilet/{card.parent.name}"


# -- lighthouse ----------------------------------------------------------------------------


def lighthouse(url: str, report: Path) -> dict[str, Any]:
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    data: dict[str, Any] = json.loads(report.read_text("utf-8"))
    return data


def figures(data: dict[str, Any]) -> dict[str, float]:
    row = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    for name, audit in METRICS.items():
        row[name] = data["audits"][audit]["numericValue"]
    return row


def losses(data: dict[str, Any]) -> list[str]:
    """The audits below full marks that count towards a category score."""
    found = []
    for category in CATEGORIES:
        for ref in data["categories"][category]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                found.append(f"{category}: {ref['id']} ({audit['score']}) {value}".rstrip())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--card", help="CATEGORY/ID of the name card (default: the first toilet)")
    parser.add_argument("--locales", default="zh-hant,zh-hans,en")
    parser.add_argument("--pages", default="home,card", help="which of home,card (default both)")
    parser.add_argument("--reuse", type=Path, help="keep the build in DIR and reuse it")
    args = parser.parse_args()
    install_lighthouse()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="sitegen-lighthouse-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "public"
    # A reused build is served on the ports it was built for (its URLs and CSP name them).
    port_file = work / "ports"
    reused = (out / "index.html").is_file() and port_file.is_file()
    site_port, tile_port = map(int, port_file.read_text().split()) if reused else (0, 0)
    tile_server = http.server.ThreadingHTTPServer(("127.0.0.1", tile_port), TileHandler)
    # {r}: "@2x" tiles on a phone's dense screen, as most tile services offer (OSM's standard
    # tiles do not: with them Lighthouse finds the tiles' resolution too low).
    tiles = serve(tile_server) + "/{z}/{x}/{y}{r}.png"
    handler = functools.partial(CdnHandler, directory=str(out))
    site_server = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    base = serve(site_server) + "/"
    port_file.write_text(f"{site_server.server_address[1]} {tile_server.server_address[1]}")
    try:
        if not reused:
            build_demo(work, tiles, base)
        card = args.card or first_card(out)
        pages = [(n, p) for n, p in (("home", ""), ("card", f"{card}/")) if n in args.pages]
        rows: dict[tuple[str, str], list[dict[str, float]]] = {}
        notes: dict[tuple[str, str], set[str]] = {}
        for run in range(args.runs):
            for locale in args.locales.split(","):
                for name, path in pages:
                    url = f"{base}{locale}/{path}"
                    data = lighthouse(url, work / f"report-{name}-{locale}.json")
                    rows.setdefault((name, locale), []).append(figures(data))
                    notes.setdefault((name, locale), set()).update(losses(data))
                    print(f"run {run + 1} {name} {locale}: {figures(data)}", flush=True)
        print(f"\nLighthouse 12 mobile, median of {args.runs} runs; card = {card}")
        print(f"{'page':6} {'locale':8} perf a11y  bp  seo    FCP ms  LCP ms  TBT ms    CLS")
        for (name, locale), runs in rows.items():
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"{name:6} {locale:8} {med['performance']:4.0f} {med['accessibility']:4.0f} "
                f"{med['best-practices']:4.0f} {med['seo']:4.0f}  {med['FCP']:7.0f} "
                f"{med['LCP']:7.0f} {med['TBT']:7.0f} {med['CLS']:6.3f}"
            )
        for key, found in notes.items():
            for line in sorted(found):
                print(f"  {key[0]} {key[1]}: {line}")
    finally:
        for server in (site_server, tile_server):
            server.shutdown()
            server.server_close()
        if not args.reuse:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
