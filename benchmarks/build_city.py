"""Build-speed figures at city scale: clean build, no-change rebuild, one-card edit.

Run by hand: ``.venv/bin/python benchmarks/build_city.py [--facilities 30000] [--runs 3]
[--tmp /dev/shm]``. Writes a synthetic city (benchmarks/synthetic_city.py) to a temporary
folder and, per run, with ``sitegen build`` in a new process each time: builds it from nothing
(empty build cache), again with no change, and again after editing one card. Then, as
``sitegen serve`` does, in one process with a kept session: one-card edits. Prints the median
of each figure, peak memory and the output size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_city import write_city

from sitegen.build.session import BuildSession
from sitegen.build.stages import build


def cli_build(project: Path, out: Path) -> float:
    """``sitegen build`` in a new process, as an editor or CI runs it; wall-clock seconds."""
    sitegen = Path(sys.executable).with_name("sitegen")
    started = time.perf_counter()
    subprocess.run([str(sitegen), "build", "-C", str(project), "-o", str(out)], check=True)
    return time.perf_counter() - started


def edit(card: Path, mark: str) -> None:
    text = card.read_text("utf-8")
    card.write_text(text.replace("号\n", f"号（{mark}）\n", 1), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tmp", default=None, help="where to write (e.g. /dev/shm)")
    args = parser.parse_args()
    figures: dict[str, list[float]] = {
        "clean build (new process)": [],
        "no-change rebuild (new process)": [],
        "one-card edit (new process)": [],
        "one-card edit (sitegen serve, warm)": [],
    }
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        project, out, cache = Path(tmp) / "city", Path(tmp) / "public", Path(tmp) / "cache"
        os.environ["SITEGEN_CACHE_DIR"] = str(cache)
        write_city(project, args.facilities)
        card = next((project / "content/facilities").rglob("*.yaml"))
        for run in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)  # clean: nothing parsed before either
            for leftover in Path(tmp).glob(".public.*"):
                leftover.unlink()
            figures["clean build (new process)"].append(cli_build(project, out))
            figures["no-change rebuild (new process)"].append(cli_build(project, out))
            edit(card, f"cli{run}")
            figures["one-card edit (new process)"].append(cli_build(project, out))
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        pages = sum(1 for p in out.rglob("*.html"))
        # The dev server's way: one process, one session kept from build to build.
        session = BuildSession(compress=False, keep_heap_frozen=True, save_record=False)
        warm_out = Path(tmp) / "serve"
        build(project, warm_out, session=session)
        rendered = 0
        for run in range(args.runs):
            edit(card, f"warm{run}")
            started = time.perf_counter()
            result = build(project, warm_out, session=session)
            figures["one-card edit (sitegen serve, warm)"].append(time.perf_counter() - started)
            rendered = result.rendered
    for name, values in figures.items():
        print(f"{name}: {statistics.median(values):.2f} s (median of {len(values)})")
    clean = statistics.median(figures["clean build (new process)"])
    print(
        f"pages: {pages} HTML files, clean-build rate {pages / clean:.0f} pages/s; "
        f"after a one-card edit {rendered} pages are rendered"
    )
    builds = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS: build process {builds:.0f} MiB (its render workers share its memory), "
        f"dev-server session {warm:.0f} MiB; output {size / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    main()
