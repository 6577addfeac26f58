"""Clean builds of the synthetic city with two versions of sitegen, alternating A B A B.

Run by hand: ``.venv/bin/python benchmarks/compare_builds.py --ref main [--runs 3]
[--facilities 30000] [--tmp /dev/shm]``. The version at git ``--ref`` is exported to a
temporary folder (``git archive``) and built against the working tree's, each build
``sitegen build --clean`` in a new process with its own empty build cache and the same
``SOURCE_DATE_EPOCH``. Prints both figures per run, the medians of wall-clock and CPU seconds
(CPU counts the worker processes too, and is the steadier figure on a busy machine) and the
ratios (working tree / ref).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_city import write_city

ROOT = Path(__file__).resolve().parents[1]
# Runs ``sitegen build`` from the source tree given first, not the installed (editable) one.
RUNNER = """
import sys
root = sys.argv[1]
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(type(f)).lower()]
sys.path.insert(0, root)
import sitegen
assert sitegen.__file__.startswith(root), sitegen.__file__
from sitegen.cli.main import main
sys.argv = ["sitegen", "build", "-C", sys.argv[2], "-o", sys.argv[3], "--clean"]
main()
"""


def timed_build(source: Path, project: Path, out: Path, cache: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one clean build with the sitegen in ``source``."""
    env = {**os.environ, "SITEGEN_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1772409600"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", RUNNER, str(source), str(project), str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ref", default="main", help="git ref to compare the working tree with")
    parser.add_argument("--facilities", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tmp", default=None, help="where to write (e.g. /dev/shm)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        base = Path(tmp) / "ref"
        base.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.ref], check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        project = Path(tmp) / "city"
        write_city(project, args.facilities)
        sources = {args.ref: base, "working tree": ROOT}
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in sources}
        for run in range(args.runs):
            for name, source in sources.items():
                cache = Path(tmp) / f"cache-{run}-{len(figures[name])}-{name.replace(' ', '-')}"
                wall, cpu = timed_build(source, project, Path(tmp) / "out", cache)
                figures[name].append((wall, cpu))
                print(f"run {run + 1}, {name}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
        (ref_wall, ref_cpu), (new_wall, new_cpu) = (
            (statistics.median(w for w, _ in f), statistics.median(c for _, c in f))
            for f in figures.values()
        )
        print(
            f"median wall: {args.ref} {ref_wall:.1f} s, working tree {new_wall:.1f} s, ratio "
            f"{new_wall / ref_wall:.3f}"
        )
        print(
            f"median CPU: {args.ref} {ref_cpu:.1f} s, working tree {new_cpu:.1f} s, ratio "
            f"{new_cpu / ref_cpu:.3f}"
        )


if __name__ == "__main__":
    main()
