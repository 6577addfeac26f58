"""How long one name-card page takes to render, in one process, with the project's theme.

Run by hand: ``.venv/bin/python benchmarks/render_cards.py PROJECT [--cards 3000] [--runs 3]``
(PROJECT: a site project, e.g. the demo ``.`` or a city written by
``../shared/bench/sitegen_city/hugo_to_sitegen.py``). Loads and models the site once, renders
the first CARDS name-card pages once to warm up, then RUNS times, and prints the milliseconds a
page took in each run and their median, and the pages' mean size. Rendering only: no writing,
no workers. Compare two versions by running this from each checkout in turn (A B A B).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from sitegen.build.stages import load_site
from sitegen.cache.memo import Memo
from sitegen.pipeline.config import theme_dir
from sitegen.render.renderer import Renderer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--cards", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site, _ = load_site(args.project)
    renderer = Renderer(site, theme_dir(args.project, site.config.theme), {}, Memo())
    pages = [p for p in renderer.pages if p.key[0] == "facility"][: args.cards]
    size = sum(len(renderer.render_page(page)) for page in pages)  # warm-up
    per_page = []
    for _ in range(args.runs):
        started = time.perf_counter()
        for page in pages:
            renderer.render_page(page)
        per_page.append((time.perf_counter() - started) / len(pages) * 1000)
    print(f"{len(pages)} name-card pages, {size // len(pages):,} bytes each on average")
    print("ms a page, each run:", ", ".join(f"{ms:.3f}" for ms in per_page))
    print(f"median: {statistics.median(per_page):.3f} ms a page")


if __name__ == "__main__":
    main()
