"""How long the report form takes to become the scripted form on a phone's first visit.

Run by hand, to compare the theme shipped in this checkout (A) with another theme folder (B),
for example the one on main before a change to the form's modules:

    git archive main themes/default | tar -x -C /tmp/before
    .venv/bin/python benchmarks/report_form.py --theme-b /tmp/before/themes/default [--runs 7]

Both builds of the browser tests' small site are served from loopback; every run is a fresh
browser context (cold cache, no service worker yet) on a connection slowed down in Chromium
(``--latency`` ms per request, ``--kbps`` down). "Ready" is when the form's scripted parts
show (report-form.js has loaded every module it imports and run its start). Runs alternate
A B A B; medians and their ratio are printed.
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

from playwright.sync_api import Browser, sync_playwright

from sitegen.build.stages import build
from sitegen.serve.static import static_server

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "tests/e2e/site"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# Notes the moment the scripted parts of the form ([data-js], hidden in the HTML) are shown.
READY_PROBE = """
new MutationObserver((changes, observer) => {
  const part = document.querySelector("#report-form [data-js]");
  if (part && !part.hidden) {
    performance.mark("bench:form-ready");
    observer.disconnect();
  }
}).observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"],
});
"""


def build_site(work: Path, theme: Path | None, out: Path, base: str) -> None:
    """The browser tests' site built into ``out`` with ``theme`` (None: this checkout's)."""
    project = work / "site"
    shutil.copytree(SITE, project)
    template = (project / "content/site.yaml.in").read_text("utf-8")
    # No tile is ever fetched before the form is ready; a closed loopback port is enough.
    (project / "content/site.yaml").write_text(
        template.replace("TILE_URL", "http://127.0.0.1:9/{z}/{x}/{y}.png"), "utf-8"
    )
    if theme is not None:
        shutil.copytree(theme, project / "themes/default")
    build(project, out, base_url=base)


def ready_ms(browser: Browser, base: str, latency: float, kbps: float) -> dict[str, float]:
    """One cold first visit of the English report form."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    context.add_init_script(READY_PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency,
            "downloadThroughput": kbps * 1000 / 8,
            "uploadThroughput": kbps * 1000 / 8,
        },
    )
    page.goto(base + "en/report/")
    page.wait_for_function(
        "performance.getEntriesByName('bench:form-ready').length > 0", timeout=60_000
    )
    figures: dict[str, Any] = page.evaluate("""() => ({
        ready: performance.getEntriesByName("bench:form-ready")[0].startTime,
        modules: performance.getEntriesByType("resource")
          .filter((r) => /\\/assets\\/js\\//.test(r.name)).length,
    })""")
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--theme-b", type=Path, required=True, help="a theme folder to compare")
    parser.add_argument("--runs", type=int, default=7, help="runs of each (alternating)")
    parser.add_argument("--latency", type=float, default=150, help="ms added to each request")
    parser.add_argument("--kbps", type=float, default=1600, help="download speed")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sitegen-report-form-"))
    servers = []
    bases = {}
    for name, theme in (("A", None), ("B", args.theme_b.resolve())):
        out = work / name / "public"
        server = static_server(out)
        host, port = server.server_address[:2]
        bases[name] = f"http://{host!s}:{port}/"
        build_site(work / name, theme, out, bases[name])
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.runs):
            for name in ("A", "B"):
                runs[name].append(ready_ms(browser, bases[name], args.latency, args.kbps))
        browser.close()
    for server in servers:
        server.shutdown()
        server.server_close()
    shutil.rmtree(work, ignore_errors=True)
    medians = {name: statistics.median(r["ready"] for r in runs[name]) for name in runs}
    for name, label in (("A", "this checkout"), ("B", str(args.theme_b))):
        modules = statistics.median(r["modules"] for r in runs[name])
        print(f"{name} ({label}): form ready {medians[name]:.0f} ms, {modules:.0f} JS files")
    print(
        f"A/B = {medians['A'] / medians['B']:.2f} (medians of {args.runs} cold first visits each, "
        f"{args.latency:.0f} ms latency, {args.kbps:.0f} kbit/s)"
    )


if __name__ == "__main__":
    sys.exit(main())
