"""Differential test: sitegen and opening_hours.js read the same corpus the same way.

opening_hours.js (pinned in tools/package.json) evaluates every value of
tests/hours_corpus/corpus.json in one node process (tests/hours_corpus/evaluate.mjs); sitegen
evaluates them here, every 15 minutes over two fortnights in Asia/Shanghai with the same
holiday list: one plain (March 2026), one with Golden Week and a make-up working Saturday
(28 Sep – 11 Oct 2026). The figures are printed; the targets are those of issue 14.

Two differences are not counted against sitegen, and are counted and printed apart:
- samples where the two astronomy models (astral here, suncalc there) put a solar event
  on different minutes, and the sample lies between them;
- values where opening_hours.js's own two APIs (iterator and getState) disagree: agreeing
  with either is agreeing with opening_hours.js.
Make-up working days cannot be given to opening_hours.js, so they are compared apart: with
them, sitegen may differ from it on those days only.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitegen.hours.calendar import FixedCalendar, HolidayCalendar
from sitegen.hours.opening import OpeningHours
from sitegen.hours.parse import parse_hours
from sitegen.hours.rules import HoursSyntaxError
from sitegen.hours.selectors import DayFacts
from sitegen.hours.sun import PlaceSun

CORPUS = Path(__file__).parent / "hours_corpus"
ROOT = Path(__file__).parent.parent
EVENTS = ("dawn", "sunrise", "sunset", "dusk")


def _expand(encoded: str) -> str:
    """ "c28u20o16" -> "ccc…uuu…ooo…"."""
    out, i = [], 0
    while i < len(encoded):
        j = i + 1
        while j < len(encoded) and encoded[j].isdigit():
            j += 1
        out.append(encoded[i] * int(encoded[i + 1 : j]))
        i = j
    return "".join(out)


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((CORPUS / "config.cn-2026.json").read_text("utf-8"))
    return found


@pytest.fixture(scope="module")
def reference(config: dict[str, Any]) -> dict[str, Any]:
    """opening_hours.js's results for the corpus, from one node process (about 20 s)."""
    node = shutil.which("node")
    assert node is not None, "node is needed (make test installs it)"
    assert (ROOT / "tools/node_modules/opening_hours").is_dir(), "run: npm ci --prefix tools"
    done = subprocess.run(
        [node, "evaluate.mjs", "corpus.json", "config.cn-2026.json"],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _states(hours: OpeningHours, start: date, facts: DayFacts, sun: PlaceSun) -> str:
    chars = []
    for k in range(14):
        segments = hours.segments(start + timedelta(days=k), facts, sun)
        for minute in range(0, 1440, 15):
            chars.append(next(code for a, b, code in segments if a <= minute < b))
    return "".join(chars)


@dataclass
class Figures:
    js_clean: int = 0  # accepted by opening_hours.js without warnings
    accepted: int = 0  # … and by sitegen
    agree: int = 0  # … and the same state at every sample
    strict: int = 0  # … without the two allowances
    by_astronomy: int = 0  # samples allowed: solar event on another minute
    by_js_apis: int = 0  # values agreeing with getState() only
    warned: int = 0  # accepted by opening_hours.js with warnings
    warned_accepted: int = 0
    warned_agree: int = 0
    makeup_values: int = 0  # values read differently on the make-up day (as sitegen means)
    outside_makeup: list[str] = field(default_factory=list)
    disagree: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def _astronomy_allows(
    hours: OpeningHours, sample: int, starts: list[date], sun: PlaceSun, js_sun: list[Any]
) -> bool:
    """True if sample ``sample`` lies between sitegen's and suncalc's minute of an event."""
    fortnight, k = divmod(sample, 14 * 96)
    day, minute = divmod(k, 96)
    d = starts[fortnight] + timedelta(days=day)
    theirs = js_sun[fortnight]["days"][day]
    offsets = {
        (m.event, m.minutes)
        for rule in hours.rules
        for span in rule.times
        for m in (span.start, span.end)
        if m.event
    }
    for event, offset in offsets:
        ours = sun.minutes(event, d) + offset
        js = theirs[EVENTS.index(event)] + offset
        if min(ours, js) <= minute * 15 < max(ours, js):
            return True
    return False


def _compare(reference: dict[str, Any], config: dict[str, Any]) -> Figures:
    corpus = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))
    days_off = [date.fromisoformat(h["date"]) for h in config["public_holidays"]]
    makeup_days = [date.fromisoformat(d) for d in config["makeup_working_days"]]
    cn = HolidayCalendar("CN", [2026])
    makeup = {d: cn.makeup_weekday(d) for d in makeup_days}
    assert all(v is not None for v in makeup.values())
    same = FixedCalendar(days_off)  # what opening_hours.js is given
    ours = FixedCalendar(days_off, {d: w for d, w in makeup.items() if w is not None})
    sun = PlaceSun(float(config["lat"]), float(config["lon"]), str(config["timezone"]))
    starts = [date.fromisoformat(f["start"]) for f in config["fortnights"]]
    js_sun = reference["meta"]["sun"]
    makeup_samples = {
        (i * 14 + (d - s).days) * 96 + m
        for i, s in enumerate(starts)
        for worked in makeup_days
        for d in (worked, worked + timedelta(days=1))  # and what spills into the next day
        if 0 <= (d - s).days < 14
        for m in range(96)
    }
    fig = Figures()
    for entry, js in zip(corpus, reference["results"], strict=True):
        if not js["accepted"]:
            continue
        value = entry["value"]
        clean = not js["warnings"]
        fig.js_clean += clean
        fig.warned += not clean
        try:
            hours = parse_hours(value)
        except HoursSyntaxError as error:
            if clean:
                fig.rejected.append(f"{value!r}: {error.message}")
            continue
        mine = "".join(_states(hours, s, same, sun) for s in starts)
        theirs = [
            "".join(_expand(x) for x in js["states"]),
            "".join(_expand(x) for x in js.get("states_getstate", js["states"])),
        ]
        agrees, strict, allowed = _agreement(hours, mine, theirs, starts, sun, js_sun)
        if clean:
            fig.accepted += 1
            fig.agree += agrees
            fig.strict += strict
            fig.by_astronomy += allowed
            fig.by_js_apis += agrees and mine != theirs[0] and mine == theirs[1]
            if not agrees:
                fig.disagree.append(repr(value))
        else:
            fig.warned_accepted += 1
            fig.warned_agree += agrees
        with_makeup = "".join(_states(hours, s, ours, sun) for s in starts)
        changed = {i for i, (a, b) in enumerate(zip(mine, with_makeup, strict=True)) if a != b}
        fig.makeup_values += bool(changed)
        if changed - makeup_samples:
            fig.outside_makeup.append(repr(value))
    return fig


def _agreement(
    hours: OpeningHours,
    mine: str,
    theirs: list[str],
    starts: list[date],
    sun: PlaceSun,
    js_sun: list[Any],
) -> tuple[bool, bool, int]:
    """(agrees with allowances, agrees strictly, samples allowed by astronomy)."""
    if mine == theirs[0]:
        return True, True, 0
    best: tuple[bool, bool, int] = (False, False, 0)
    for view in theirs:
        diffs = [i for i, (a, b) in enumerate(zip(mine, view, strict=True)) if a != b]
        allowed = all(_astronomy_allows(hours, i, starts, sun, js_sun) for i in diffs)
        if allowed and (not best[0] or len(diffs) < best[2]):
            best = (True, False, len(diffs))
    return best


def test_sitegen_reads_opening_hours_as_opening_hours_js_does(
    reference: dict[str, Any], config: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fig = _compare(reference, config)
    accepted = 100 * fig.accepted / fig.js_clean
    agree = 100 * fig.agree / fig.accepted
    report = [
        f"opening_hours.js {reference['meta']['opening_hours']}, "
        f"{len(reference['results'])} values, 2 fortnights every 15 min, Asia/Shanghai",
        f"accepted without warnings by opening_hours.js: {fig.js_clean}; "
        f"accepted by sitegen: {fig.accepted} ({accepted:.1f} %)",
        f"agree at every instant: {fig.agree} ({agree:.1f} %); strictly, sample for sample "
        f"with the iterator: {fig.strict} ({100 * fig.strict / fig.accepted:.1f} %)",
        f"  allowed: {fig.by_astronomy} samples where astral and suncalc differ by a minute; "
        f"{fig.by_js_apis} values agreeing with opening_hours.js's getState() only",
        f"accepted by opening_hours.js with warnings: {fig.warned}; by sitegen: "
        f"{fig.warned_accepted}, agreeing: {fig.warned_agree}",
        f"make-up working day: {fig.makeup_values} values read as the weekday it replaces",
        *[f"  rejected: {v}" for v in fig.rejected],
        *[f"  disagree: {v}" for v in fig.disagree],
    ]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert accepted >= 95.0
    assert agree >= 99.0
    assert fig.outside_makeup == []  # make-up days change nothing on other days
