"""A failed build of any kind leaves the previous site exactly as it was (issue 15, item 5).

Faults are made where the build writes (``sitegen.build.journal.write_file``) and where it
swaps folders; a real ``kill -9`` at random moments is tried too. Every time, the output
folder holds the old site or the new one, byte for byte, and the next build recovers.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import journal, swap
from sitegen.build.stages import build
from sitegen.errors import BuildError

from .conftest import TOILET_CARD, MakeSite

CARD = "content/facilities/toilet/futian-0001.yaml"


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    inside = [p.name for p in out.rglob(".*") if p.name.endswith(".sitegen-new")]
    beside = [p.name for p in out.parent.glob(f".{out.name}.*") if "trash" not in p.name]
    return inside + [name for name in beside if not name.endswith(".build-state.json")]


def failing_after(count: int, code: int) -> Callable[[str, bytes], None]:
    real = journal.write_file
    calls = 0

    def write(path: str, content: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls > count:
            raise OSError(code, os.strerror(code), path)
        real(path, content)

    return write


def edit(root: Path, name: str) -> None:
    (root / CARD).write_text(TOILET_CARD.replace("莲花山公园南门公厕", name), "utf-8")


@pytest.fixture
def built(make_site: MakeSite, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A site, its output, and the output's files as they were."""
    root = make_site()
    out = tmp_path / "public"
    build(root, out)
    return root, out, tree(out)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
@pytest.mark.parametrize("kind", ["in place", "staged"])
def test_a_write_that_fails_changes_nothing(
    built: tuple[Path, Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    code: int,
) -> None:
    root, out, before = built
    edit(root, "荔枝公园公厕")
    monkeypatch.setattr(journal, "write_file", failing_after(2, code))
    with pytest.raises(BuildError) as error:
        build(root, out, clean=kind == "staged")
    assert str(error.value).startswith(f"cannot write into {out}: {os.strerror(code)} (")
    assert str(error.value).endswith("; the previous output was left as it was")
    assert tree(out) == before
    assert leftovers(out) == []
    monkeypatch.undo()
    build(root, out)  # the next build just works
    assert "荔枝公园公厕" in (out / "zh-hans/toilet/futian-0001/index.html").read_text("utf-8")


def test_killed_between_the_two_renames_of_a_swap(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out, before = built
    edit(root, "荔枝公园公厕")
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)  # a system without it
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        if Path(str(source)).name.endswith(".staging"):
            raise KeyboardInterrupt  # the process dies here: the old site is out of place
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(swap.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        build(root, out, clean=True)
    assert not out.exists()
    monkeypatch.undo()
    swap.recover(out)  # what every build does first
    assert tree(out) == before
    build(root, out)
    assert "荔枝公园公厕" in (out / "zh-hans/toilet/futian-0001/index.html").read_text("utf-8")


def test_killed_while_an_update_in_place_renames_its_files(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root, out, _ = built
    edit(root, "荔枝公园公厕")
    real_replace = os.replace
    renames = 0

    def replace(source: object, target: object) -> None:
        nonlocal renames
        if str(source).endswith(".sitegen-new"):
            renames += 1
            if renames == 2:
                raise KeyboardInterrupt
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(journal.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        build(root, out)
    assert journal.journal_path(out).is_file()
    monkeypatch.undo()
    swap.recover(out)
    assert not journal.journal_path(out).exists()
    build(root, tmp_path / "clean")
    assert tree(out) == tree(tmp_path / "clean")  # finished, as a clean build makes it


def test_kill_9_at_random_moments(make_site: MakeSite, tmp_path: Path) -> None:
    """Real processes, killed: the output is the old or the new site; the next build recovers."""
    root = make_site()
    cards = "".join(
        "- "
        + TOILET_CARD.replace("futian-0001", f"card-{i:04d}").replace("\n", "\n  ").rstrip()
        + "\n"
        for i in range(120)
    )
    (root / "content/facilities/toilet/many.yaml").write_text(cards, "utf-8")
    out = tmp_path / "public"
    command = [sys.executable, "-m", "sitegen", "build", "-C", str(root), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    sites = [tree(out)]
    rng = random.Random(15)
    started = time.perf_counter()
    for trial in range(8):
        edit(root, f"第{trial}次改名的公厕")
        clean = trial % 2 == 0  # staged and in place, in turn
        args = command + (["--clean"] if clean else [])
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed = None if journal.journal_path(out).exists() else tree(out)  # else: renaming
        subprocess.run(command, check=True, capture_output=True)  # recovers and finishes
        sites.append(tree(out))
        assert killed in (None, sites[-2], sites[-1]), f"trial {trial}: a half-built site"
        assert f"第{trial}次改名的公厕" in (
            out / "zh-hans/toilet/futian-0001/index.html"
        ).read_text("utf-8")
        if time.perf_counter() - started > 20:
            break  # a fixed time budget on a slow machine; at least one trial ran
