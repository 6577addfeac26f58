"""Time clean builds of a project (the demo by default) and print the median.

Run by hand: ``.venv/bin/python benchmarks/build_demo.py [--runs 5] [PROJECT]``.
Each run builds into a fresh folder, so nothing is reused from an earlier build.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sitegen.build.stages import build

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seconds: list[float] = []
    pages = files = size = 0
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = build(args.project, Path(tmp) / "public")
            seconds.append(time.perf_counter() - started)
            pages, files, size = result.pages, result.files, result.stats.bytes
        print(f"run {run + 1}: {seconds[-1]:.2f} s")
    median = statistics.median(seconds)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"facilities: {len(result.site.facilities)}, pages: {pages}, files: {files}, "
        f"output: {size / 2**20:.1f} MiB"
    )
    print(
        f"clean build median of {args.runs}: {median:.2f} s ({pages / median:.0f} pages/s), "
        f"peak RSS {peak_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
