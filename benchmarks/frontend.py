"""Front-end figures for a synthetic 30,000-point city, measured in headless Chromium.

Run by hand (it builds 90,000 pages first, a few minutes on a 2-core machine):

    .venv/bin/python benchmarks/frontend.py [--facilities 30000] [--runs 3] [--reuse DIR]

Prints: app-shell bytes (HTML+CSS+JS, compressed), map-data bytes for all points, search
data bytes, time to first marker render, clustering load time (in the worker) and
nearest-10 query time, each the median of the runs. Everything is served from loopback.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_city import write_city

from sitegen.build.stages import build
from sitegen.serve.production import production_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

NEAREST_SCRIPT = """async () => {
  const [{ default: KDBush }, { around }] =
    await Promise.all([import("kdbush"), import("geokdbush")]);
  const config = JSON.parse(document.getElementById("sitegen-config").textContent);
  const xs = [], ys = [];
  for (const category of config.categories) {
    const data = await (await fetch(category.points)).json();
    let x = 0, y = 0;
    for (let i = 0; i < data.xy.length; i += 2) {
      x += data.xy[i]; y += data.xy[i + 1]; xs.push(x / 1e5); ys.push(y / 1e5);
    }
  }
  const index = new KDBush(xs.length);
  for (let i = 0; i < xs.length; i++) index.add(xs[i], ys[i]);
  index.finish();
  const [[w, s], [e, n]] = config.map.bounds;
  // performance.now() is coarse (0.1 ms) in a page that is not cross-origin isolated, so
  // time batches of 200 queries and report the per-query mean of each batch.
  const batches = [];
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let b = 0; b < 25; b++) {
    const t0 = performance.now();
    for (let q = 0; q < 200; q++) {
      around(index, w + (e - w) * random(), s + (n - s) * random(), 10);
    }
    batches.push((performance.now() - t0) / 200);
  }
  batches.sort((a, b) => a - b);
  return { points: xs.length, median: batches[12], p99: batches[24] };
}"""


def compressed_sizes(root: Path, pattern: str) -> dict[str, tuple[int, int]]:
    """(gzip, brotli) bytes of each published file matching ``pattern``."""
    return {
        p.name: (
            p.with_name(p.name + ".gz").stat().st_size,
            p.with_name(p.name + ".br").stat().st_size,
        )
        for p in sorted(root.glob(pattern))
        if p.suffix == ".json"
    }


def measure(page: Any, url: str, total: int) -> dict[str, float]:
    page.goto(url)
    # The clusterer is reloaded as categories arrive; wait for the load of every point.
    page.wait_for_function(
        f"""performance.getEntriesByName('sitegen:first-markers').length > 0 &&
        performance.getEntriesByName('sitegen:cluster-load')
          .some(m => m.detail.points === {total})""",
        timeout=60_000,
    )
    return page.evaluate("""() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const shell = performance.getEntriesByType("resource")
          .filter(r => /\\.(css|js)$/.test(new URL(r.name).pathname))
          .filter(r => !/worker|supercluster/.test(r.name));
        const load = performance.getEntriesByName("sitegen:cluster-load").at(-1);
        return {
          shell: nav.transferSize + shell.reduce((sum, r) => sum + r.transferSize, 0),
          html: nav.transferSize,
          first_markers: performance.getEntriesByName("sitegen:first-markers")[0].startTime,
          cluster_load: load.detail.ms, clustered_points: load.detail.points,
        };
    }""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", type=Path, help="a folder built by an earlier run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sitegen-frontend-"))
    out = args.reuse or work / "public"
    server = production_server(out)  # headers and compressed copies, as nginx and Caddy
    host, port = server.server_address[:2]
    base = f"http://{host!s}:{port}/"
    if args.reuse is None:
        write_city(work / "city", args.facilities)
        print(f"building {args.facilities} facilities ...", flush=True)
        result = build(work / "city", out, base_url=base)
        print(f"built {result.pages} pages in {result.seconds:.1f} s")
    threading.Thread(target=server.serve_forever, daemon=True).start()

    points = compressed_sizes(out, "data/points/*.json")
    search = compressed_sizes(out, "data/text/*.json") | compressed_sizes(out, "data/pinyin/*.json")
    print(
        f"map data, all points: {sum(b for _, b in points.values()) / 1024:.0f} KB brotli, "
        f"{sum(g for g, _ in points.values()) / 1024:.0f} KB gzip; largest category "
        f"{max(b for _, b in points.values()) / 1024:.0f} KB brotli"
    )
    print(
        f"search data (texts + pinyin, all categories, every locale file): "
        f"{sum(b for _, b in search.values()) / 1024:.0f} KB brotli"
    )

    runs: list[dict[str, float]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.runs):
            # CSP bypassed only so that the measuring scripts can run; nothing leaves loopback
            # (the synthetic city's tile layer is a public host: its requests are refused).
            context = browser.new_context(viewport={"width": 412, "height": 860}, bypass_csp=True)
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base) else route.abort()
                ),
            )
            page = context.new_page()
            config = page.goto(base + "zh-hans/") and page.evaluate(
                "JSON.parse(document.getElementById('sitegen-config').textContent)"
            )
            shown = ",".join(c["id"] for c in config["categories"])
            total = sum(c["count"] for c in config["categories"])
            runs.append(measure(page, f"{base}zh-hans/?c={shown}", total))
            runs[-1].update({f"nearest_{k}": v for k, v in page.evaluate(NEAREST_SCRIPT).items()})
            context.close()
        browser.close()
    server.shutdown()

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(
        f"app shell (HTML+CSS+JS as transferred, gzip over http): {median('shell') / 1024:.1f} KB"
        f" (HTML {median('html') / 1024:.1f} KB)"
    )
    print(f"time to first marker render (from navigation start): {median('first_markers'):.0f} ms")
    print(
        f"clustering load ({median('clustered_points'):.0f} points, in the worker): "
        f"{median('cluster_load'):.0f} ms"
    )
    print(
        f"nearest-10 query over {median('nearest_points'):.0f} points: "
        f"{median('nearest_median') * 1000:.0f} µs per query (median of 25 batches of 200; "
        f"slowest batch {median('nearest_p99') * 1000:.0f} µs)"
    )
    print(f"(median of {args.runs} runs; site in {out})")
    if args.reuse is None:
        shutil.rmtree(work / "city", ignore_errors=True)


if __name__ == "__main__":
    main()
