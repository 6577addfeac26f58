"""Build-speed figures at city scale: clean build, no-change rebuild, one-card edit.

Run by hand: ``.venv/bin/python benchmarks/build_city.py [--facilities 30000] [--runs 3]
[--tmp /dev/shm]``. Writes a synthetic city (benchmarks/synthetic_city.py) to a temporary
folder and, per run: builds it from nothing (with an empty build cache), builds it again with
no change, then edits one card and builds again. Prints the median of each figure, peak
memory (RSS of this process and of the largest render worker) and the output size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_city import write_city

from sitegen.build import build


def timed(project: Path, out: Path) -> tuple[float, int, int, int]:
    started = time.perf_counter()
    result = build(project, out)
    return time.perf_counter() - started, result.pages, result.rendered, result.stats.written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--tmp", default=None, help="where to write (e.g. /dev/shm)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        project, out = Path(tmp) / "city", Path(tmp) / "public"
        cache = Path(tmp) / "cache"
        os.environ["SITEGEN_CACHE_DIR"] = str(cache)
        write_city(project, args.facilities)
        card = next((project / "content/facilities").rglob("*.yaml"))
        figures: dict[str, list[float]] = {"clean": [], "no change": [], "one card edited": []}
        pages = rendered = written = 0
        for run in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            for leftover in Path(tmp).glob(".public.*"):
                leftover.unlink()
            seconds, pages, _, _ = timed(project, out)
            figures["clean"].append(seconds)
            figures["no change"].append(timed(project, out)[0])
            text = card.read_text("utf-8")
            card.write_text(text.replace("号\n", f"号（{run}）\n", 1), "utf-8")
            seconds, _, rendered, written = timed(project, out)
            figures["one card edited"].append(seconds)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    for name, values in figures.items():
        print(f"{name}: {statistics.median(values):.1f} s (median of {len(values)})")
    print(
        f"pages: {pages}, clean-build rate {pages / statistics.median(figures['clean']):.0f}"
        f" pages/s; after one edit: {rendered} pages rendered, {written} files rewritten"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak RSS: build process {own:.0f} MiB, largest render worker {worker:.0f} MiB "
        f"(workers share the build's memory until they write to it); output {size / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()
