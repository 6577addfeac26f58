"""sitegen against Hugo on the same city: clean builds, alternating, in one run.

    .venv/bin/python benchmarks/vs_hugo.py [--facilities 10000] [--pairs 3]
        [--generators ../shared/bench] [--tmp /dev/shm]

Writes the synthetic city twice with the shared generators (``hugo/make_city.py`` for Hugo,
``sitegen_city/hugo_to_sitegen.py`` for the same facilities as a sitegen project), installs
Debian's ``hugo`` if it is missing, then builds A (sitegen) and B (Hugo) in turn, each into an
empty output folder (and, for sitegen, an empty build cache). For each run it takes the wall
time, the CPU time of the whole process tree (the kernel's accounting of the reaped process and
the children it waited for), the peak memory of the largest process, and the peak of the whole
tree's proportional set size (PSS, sampled from /proc every 0.2 s). Prints the medians and the
ratios A/B, pair by pair. Run by hand; quote the medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float  # largest single process
    tree_pss_mib: float  # the whole process tree, at its largest


def _tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as file:
                parent = int(file.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], env: dict[str, str]) -> Run:
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.wait(0.2):
            peak_tree = max(peak_tree, sum(_pss_kib(pid) for pid in _tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed (exit {os.waitstatus_to_exitcode(status)})")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak_tree / 1024)


def ensure_hugo() -> str:
    found = shutil.which("hugo")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("installing Debian's hugo ...", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "hugo"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("hugo") or "hugo"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--facilities", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--generators", type=Path, default=REPO.parent / "shared" / "bench")
    parser.add_argument("--tmp", default=None, help="where to write (e.g. /dev/shm)")
    args = parser.parse_args()
    hugo = ensure_hugo()
    sitegen = str(Path(sys.executable).with_name("sitegen"))
    make_city = args.generators / "hugo" / "make_city.py"
    to_sitegen = args.generators / "sitegen_city" / "hugo_to_sitegen.py"
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        work = Path(tmp)
        n = str(args.facilities)
        for script, target in ((make_city, "hugo_city"), (to_sitegen, "sitegen_city")):
            subprocess.run(
                [
                    sys.executable,
                    str(script),
                    str(work / target),
                    "--facilities",
                    n,
                    "--seed",
                    "1",
                    "--force",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        env = {**os.environ, "SITEGEN_CACHE_DIR": str(work / "cache")}
        runs: dict[str, list[Run]] = {"sitegen": [], "hugo": []}
        for pair in range(args.pairs):
            for name in ("sitegen", "hugo"):
                out = work / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(work / "cache", ignore_errors=True)
                for leftover in work.glob(f".out-{name}.*"):
                    shutil.rmtree(
                        leftover, ignore_errors=True
                    ) if leftover.is_dir() else leftover.unlink()
                if name == "sitegen":
                    command = [sitegen, "build", "-C", str(work / "sitegen_city"), "-o", str(out)]
                else:
                    command = [hugo, "--quiet", "-s", str(work / "hugo_city"), "-d", str(out)]
                runs[name].append(measure(command, env))
                last = runs[name][-1]
                print(
                    f"pair {pair + 1} {name}: {last.wall:.1f} s wall, {last.cpu:.1f} s CPU",
                    flush=True,
                )
    a, b = runs["sitegen"], runs["hugo"]
    print(f"\n{args.facilities:,} facilities, {args.pairs} pairs, clean builds (A sitegen, B Hugo)")
    print(f"{'':24}{'A median':>12}{'B median':>12}{'A/B median':>12}{'A/B min':>9}{'A/B max':>9}")
    for label, key in (
        ("wall s", "wall"),
        ("CPU s", "cpu"),
        ("peak MiB, one process", "peak_mib"),
        ("peak MiB, tree PSS", "tree_pss_mib"),
    ):
        xs = [getattr(r, key) for r in a]
        ys = [getattr(r, key) for r in b]
        ratios = [x / y for x, y in zip(xs, ys, strict=True) if y]
        print(
            f"{label:24}{_median(xs):12.1f}{_median(ys):12.1f}{_median(ratios):12.3f}"
            f"{min(ratios):9.3f}{max(ratios):9.3f}"
        )


if __name__ == "__main__":
    main()
