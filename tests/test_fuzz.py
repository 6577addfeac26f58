"""Fuzzing the content pipeline with mutations of the demo's real files (issue 15).

A seeded mutator changes one file of a small project made of the demo's own site.yaml, a
category, a slice of real name cards and a guide: it deletes, repeats and swaps characters
and lines, and drops in what broke sitegen before (control characters, huge numbers, YAML
tags and aliases, deep nesting, long texts, brackets). Every outcome must be a clean list of
``path:line:col: message`` problems, a ConfigError line, or a site that checks (and, for a
sample, builds). Anything else fails the test and the input is saved under
tests/fixtures/fuzz/, which the test runs again first every time.

The case count and a time limit bound the run; SITEGEN_FUZZ_SEED and SITEGEN_FUZZ_CASES
explore further by hand.
"""

from __future__ import annotations

import os
import random
import shutil
import time
import traceback
from pathlib import Path

from sitegen.build.stages import build, load_site
from sitegen.errors import ConfigError, ContentError, SitegenError

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fuzz"
SEED = int(os.environ.get("SITEGEN_FUZZ_SEED", "20261202"))
CASES = int(os.environ.get("SITEGEN_FUZZ_CASES", "2500"))
TIME_LIMIT = 40.0  # seconds for the whole run; what was reached is printed
CASE_LIMIT = 30.0  # seconds for one check: slower is a failure (a hang in the making)
BUILDS = 3  # of the mutated projects that check clean, this many are built too

FILES = {
    "content/site.yaml": REPO / "content/site.yaml",
    "content/categories/toilet.yaml": REPO / "content/categories/toilet.yaml",
    "content/categories/drinking_water.yaml": REPO / "content/categories/drinking_water.yaml",
    "content/categories/litter_bin.yaml": REPO / "content/categories/litter_bin.yaml",
    "content/guides/kaohsiung-visitors.md": REPO / "content/guides/kaohsiung-visitors.md",
}
CARDS = "content/facilities/toilet/kaohsiung.yaml"

NASTY = [
    "\x00",
    "\x07",
    "\x1b",
    "\u2028",
    "\ufeff",
    "&a",
    "*a",
    "&a [*a]",
    "!!set",
    "!!int",
    "!!binary",
    "!!python/object:os.system",
    "!foo",
    "<<: *a",
    "0" * 420,
    "9" * 5000,
    ".nan",
    "-.inf",
    "0o17",
    "09",
    "~",
    "null",
    "[",
    "]",
    "{",
    "}",
    "[" * 80,
    "- " * 40,
    ":",
    ": ",
    "'",
    '"',
    "|",
    ">",
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "  ",
    "\n",
    "厕" * 3000,
    "[[",
    "<a " * 50,
    "%",
    "@",
]


def _sample_cards(guide: str) -> str:
    """Forty name cards of a real bulk file (a YAML list), and those the guide points at."""
    text = (REPO / CARDS).read_text("utf-8")
    head, _, rest = text.partition("\n- ")
    entries = ["- " + entry for entry in rest.split("\n- ")]
    wanted = [
        line.split("facility:", 1)[1].strip() for line in guide.splitlines() if "facility:" in line
    ]
    named = [e for e in entries if e.split("id: ", 1)[-1].split("\n", 1)[0].strip() in wanted]
    return head + "\n" + "\n".join(dict.fromkeys(entries[:40] + named)).rstrip() + "\n"


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        lines = text.split("\n")
        kind = rng.randrange(7)
        at = rng.randrange(len(text) + 1)
        if kind == 0 and text:  # drop some characters
            text = text[:at] + text[at + rng.randint(1, 8) :]
        elif kind == 1:  # drop in something that broke a parser somewhere once
            text = text[:at] + rng.choice(NASTY) + text[at:]
        elif kind == 2 and len(lines) > 1:  # repeat or move a line
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines.insert(j, lines[i])
            text = "\n".join(lines)
        elif kind == 3 and len(lines) > 1:  # swap two lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == 4:  # replace a value with another kind of value
            i = rng.randrange(len(lines))
            if ": " in lines[i]:
                key = lines[i].split(": ", 1)[0]
                lines[i] = f"{key}: {rng.choice([*NASTY, '[a, b]', '{a: 1}', '12', 'true', ''])}"
            text = "\n".join(lines)
        elif kind == 5:  # re-indent a line
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.choice((0, 1, 3, 8)) + lines[i].lstrip()
            text = "\n".join(lines)
        else:  # cut the file short
            text = text[:at]
    return text


def _project(root: Path, files: dict[str, str]) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8", errors="surrogatepass")
    return root


def _outcome(root: Path) -> str:
    """ "problems", "config" or "ok"; raises what is not a clean outcome."""
    started = time.perf_counter()
    try:
        load_site(root)
        outcome = "ok"
    except ContentError as exc:
        assert exc.problems, "a ContentError with no problem in it"
        for problem in exc.problems:
            text = str(problem)
            assert "\n" not in text, f"a problem over two lines: {text!r}"
            assert problem.mark.path and problem.mark.line >= 1 and problem.mark.col >= 1, text
        outcome = "problems"
    except ConfigError as exc:
        assert "\n" not in str(exc), f"an error over two lines: {exc}"
        outcome = "config"
    assert time.perf_counter() - started < CASE_LIMIT, "check took too long"
    return outcome


def _save(name: str, files: dict[str, str], error: str) -> Path:
    folder = FIXTURES / name
    _project(folder, files)
    (folder / "ERROR.txt").write_text(error, "utf-8")
    return folder


def test_saved_failures_stay_fixed(tmp_path: Path) -> None:
    """Every input the fuzzer once broke sitegen with (none, while it finds none)."""
    cases = sorted(FIXTURES.glob("*/")) if FIXTURES.is_dir() else []
    for case in cases:
        files = {
            p.relative_to(case).as_posix(): p.read_text("utf-8", "surrogatepass")
            for p in case.rglob("*")
            if p.is_file() and p.name != "ERROR.txt"
        }
        _outcome(_project(tmp_path / "site", files))
    assert all((case / "ERROR.txt").is_file() for case in cases)


def test_mutated_content_gives_problems_never_a_traceback(tmp_path: Path) -> None:
    base = {rel: path.read_text("utf-8") for rel, path in FILES.items()}
    base[CARDS] = _sample_cards(base["content/guides/kaohsiung-visitors.md"])
    assert _outcome(_project(tmp_path / "site", base)) == "ok"
    rng = random.Random(SEED)
    counts = {"ok": 0, "problems": 0, "config": 0}
    builds = 0
    started = time.perf_counter()
    targets = sorted(base)
    case = 0
    for case in range(CASES):
        if time.perf_counter() - started > TIME_LIMIT:
            break
        target = targets[case % len(targets)]
        files = dict(base)
        files[target] = _mutate(base[target], rng)
        root = _project(tmp_path / "site", files)
        try:
            outcome = _outcome(root)
            if outcome == "ok" and builds < BUILDS:
                builds += 1
                try:
                    build(root, tmp_path / "out")
                except SitegenError as exc:
                    assert "\n" not in str(exc), f"a build error over two lines: {exc}"
        except Exception:
            folder = _save(f"seed{SEED}-case{case}", files, traceback.format_exc())
            raise AssertionError(
                f"case {case} ({target}) broke sitegen; saved in {folder}"
            ) from None
        counts[outcome] += 1
    done = sum(counts.values())
    print(
        f"fuzz: {done} cases in {time.perf_counter() - started:.0f} s (seed {SEED}): "
        f"{counts['problems']} with problems, {counts['config']} config errors, "
        f"{counts['ok']} clean, {builds} built"
    )
    assert done >= min(CASES, 200), "too few cases in the time limit to mean anything"
