"""Build-speed figures at city scale: clean build, no-change rebuild, one-card edit.

Run by hand: ``.venv/bin/python benchmarks/build_city.py [--facilities 30000] [--runs 1]``.
Writes a synthetic city (benchmarks/synthetic_city.py) to a temporary folder, builds it, and
prints the median of each figure plus peak memory (RSS) and output size.
"""

from __future__ import annotations

import argparse
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


def timed(project: Path, out: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = build(project, out)
    return time.perf_counter() - started, result.pages, result.stats.written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project, out = Path(tmp) / "city", Path(tmp) / "public"
        write_city(project, args.facilities)
        card = next((project / "content/facilities").rglob("*.yaml"))
        figures: dict[str, list[float]] = {"clean": [], "no change": [], "one card edited": []}
        pages = written = 0
        for run in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            seconds, pages, _ = timed(project, out)
            figures["clean"].append(seconds)
            figures["no change"].append(timed(project, out)[0])
            text = card.read_text("utf-8")
            card.write_text(text.replace("号\n", f"号（{run}）\n", 1), "utf-8")
            seconds, _, written = timed(project, out)
            figures["one card edited"].append(seconds)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    for name, values in figures.items():
        print(f"{name}: {statistics.median(values):.1f} s (median of {len(values)})")
    print(
        f"pages: {pages}, clean-build rate {pages / statistics.median(figures['clean']):.0f}"
        f" pages/s; files rewritten after one edit: {written}"
    )
    print(
        f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB, "
        f"output: {size / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()
