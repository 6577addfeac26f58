"""The incremental, parallel build: after any single edit it equals a clean build, byte for byte.

Every edit below is made to a built site; the site is then built again into the same output
folder (incrementally: only what the edit touches is rendered) and, from scratch, into a
second folder. The two trees must be identical. Each edit is tried with the output updated
in place (few pages changed) and with a new staging folder swapped in (many pages changed).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from sitegen.build import planner, runner
from sitegen.build.record import BuildState
from sitegen.build.session import BuildSession
from sitegen.build.stages import build
from sitegen.cache.store import BuildCache
from sitegen.cli.main import main
from sitegen.errors import ContentError
from sitegen.pipeline import load as load_module
from sitegen.pipeline import model as model_module
from sitegen.pipeline import validate as validate_module
from sitegen.render import appdata as appdata_module

from .conftest import REPO, SITE_YAML, TOILET_CARD, TOILET_CATEGORY, MakeSite
from .test_build import EPOCH, tree_digest

HOURS = ["Mo-Su 06:00-23:00", "24/7", "Mo-Fr 09:00-17:00; PH off", "Sa-Su 08:00-20:00"]

GUIDE = """\
---
title: {zh-Hans: 莲花山公园游览指南, en: Lianhuashan Park guide}
entries:
  - facility: futian-0001
  - facility: futian-0007
---
公园 **6:00** 开门。
"""


def card(number: int, name: str | None = None, hours: str | None = None) -> str:
    return (
        TOILET_CARD.replace("futian-0001", f"futian-{number:04d}")
        .replace("莲花山公园南门公厕", name or f"福田公厕{number:02d}号")
        .replace('"Mo-Su 06:00-23:00"', f'"{hours or HOURS[number % len(HOURS)]}"')
    )


@pytest.fixture
def site(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Twenty-five toilets on three list pages per locale, and a guide pointing at two."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    files: dict[str, str | None] = {
        "content/site.yaml": SITE_YAML + "page_size: 10\n",
        "content/guides/lianhuashan.md": GUIDE,
    }
    for number in range(1, 26):
        files[f"content/facilities/toilet/futian-{number:04d}.yaml"] = card(number)
    return make_site(files)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def card_file(site: Path, number: int) -> Path:
    return site / f"content/facilities/toilet/futian-{number:04d}.yaml"


def own_theme(site: Path) -> Path:
    """A copy of the built-in theme in the project, which then takes its place."""
    theme = site / "themes/default"
    if not theme.exists():
        shutil.copytree(REPO / "themes/default", theme)
    return theme


EDITS: dict[str, Callable[[Path], None]] = {
    "card renamed (list order moves)": lambda s: edit(card_file(s, 12), "福田公厕12号", "安心公厕"),
    "card hours changed (schedule numbers move)": lambda s: edit(
        card_file(s, 2), HOURS[2], "Mo-Sa 07:30-19:30"
    ),
    "card moved": lambda s: edit(card_file(s, 5), "114.0572, 22.5535", "114.1000, 22.6000"),
    "card field changed": lambda s: edit(card_file(s, 9), "stalls_male: 4", "stalls_male: 9"),
    "card added": lambda s: card_file(s, 26).write_text(card(26), "utf-8"),
    "card deleted (a list page goes)": lambda s: (
        [card_file(s, n).unlink() for n in range(21, 26)] and None
    ),
    "card in a guide renamed": lambda s: edit(card_file(s, 7), "福田公厕07号", "园内公厕"),
    "guide title changed": lambda s: edit(
        s / "content/guides/lianhuashan.md", "Lianhuashan Park guide", "Lianhuashan guide"
    ),
    "guide entry removed": lambda s: edit(
        s / "content/guides/lianhuashan.md", "  - facility: futian-0007\n", ""
    ),
    "category label changed": lambda s: edit(
        s / "content/categories/toilet.yaml", "en: Accessible", "en: Step-free"
    ),
    "site title changed": lambda s: edit(
        s / "content/site.yaml", "en: Shenzhen City Services", "en: Shenzhen Services"
    ),
    "theme string changed": lambda s: edit(
        own_theme(s) / "strings/en.yaml", "report_submit: Send", "report_submit: Send it"
    ),
}


# Edits that touch one card's pages only (an hours change can renumber other cards' schedules).
ONE_CARD = {"card renamed (list order moves)", "card moved", "card field changed", "card added"}


# How the second build runs: as a new process updating the output in place, or building a
# staging folder (kept pages hard-linked), or in ``sitegen serve``'s long-lived session, whose
# memo keeps the first build's work (sitegen/cache/memo.py). Staged writing is tried on a few edits.
CASES = [(name, mode) for name in EDITS for mode in ("in place", "warm session")] + [
    (name, "staged")
    for name in (
        "card renamed (list order moves)",
        "card deleted (a list page goes)",
        "guide title changed",
    )
]


# The clean build of each edited site, as digests: the same whatever the mode of the build it
# is compared with (the edit and the site are the same), so made once per edit.
CLEAN_AFTER: dict[str, dict[str, str]] = {}


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_incremental_build_equals_clean_build(
    name: str, mode: str, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if mode == "staged":
        monkeypatch.setattr(planner, "IN_PLACE_MAX_PAGES", 0)
    out, clean = tmp_path / "out", tmp_path / "clean"
    if name == "theme string changed":
        own_theme(site)  # the copy is in place before the first build
    session = BuildSession() if mode == "warm session" else None
    first = build(site, out, session=session)
    EDITS[name](site)
    again = build(site, out, session=session)
    if name not in CLEAN_AFTER:
        build(site, clean, clean=True)
        CLEAN_AFTER[name] = tree_digest(clean)
    assert tree_digest(out) == CLEAN_AFTER[name]
    assert not again.up_to_date
    if name in ONE_CARD:
        # Its pages, the list pages it is on, and the few pages made on every build (home,
        # guide, report and 404 pages: 15 here); not the other 24 cards' 72 pages.
        assert again.rendered <= 3 + 9 + 15 < first.rendered, again.rendered
    assert BuildState.load(out) is not None


def test_rebuild_without_change_reads_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(site, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    second = build(site, out)
    assert second.up_to_date and second.site is None  # no content was even read
    assert second.stats.written == 0 and second.pages == first.pages
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes


def test_touched_file_is_checked_and_nothing_is_written(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    path = card_file(site, 3)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again = build(site, out)
    assert not again.up_to_date
    assert again.stats.written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_output_changed_by_hand_is_rebuilt_whole(site: Path, tmp_path: Path) -> None:
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(site, out)
    shutil.rmtree(out)
    out.mkdir()  # another folder now: the record of the last build does not describe it
    again = build(site, out)
    assert again.rendered == again.pages
    build(site, clean, clean=True)
    assert tree_digest(out) == tree_digest(clean)


def test_parallel_rendering_gives_the_same_bytes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MIN_PARALLEL", 0)
    monkeypatch.setattr(runner, "CHUNK", 7)
    forked = build(site, tmp_path / "forked", jobs=2)
    single = build(site, tmp_path / "single", jobs=1)
    assert tree_digest(tmp_path / "forked") == tree_digest(tmp_path / "single")
    made = [p for p in (tmp_path / "forked").rglob("*") if p.is_file()]
    originals = [p for p in made if p.suffix not in (".gz", ".br")]
    assert forked.stats.written == single.stats.written == len(originals)
    assert forked.files == len(made)


def test_cli_says_when_nothing_changed_and_clean_renders_all(site: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    runner = CliRunner()
    first = runner.invoke(main, ["build", "-C", str(site), "-o", out])
    assert first.exit_code == 0 and re.search(r"Built (\d+) pages \(\1 rendered;", first.output)
    second = runner.invoke(main, ["build", "-C", str(site), "-o", out])
    assert second.exit_code == 0
    assert "Nothing changed since the last build" in second.output
    forced = runner.invoke(main, ["build", "-C", str(site), "-o", out, "--clean", "-j", "1"])
    assert forced.exit_code == 0 and re.search(r"Built (\d+) pages \(\1 rendered;", forced.output)
    assert "0 written" in forced.output  # same bytes: every file was kept as it was


def test_build_cache_is_used_kept_outside_the_project_and_survives_damage(
    site: Path, tmp_path: Path, build_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site, tmp_path / "first")
    folder = BuildCache(site).folder
    assert folder is not None and folder.parent == build_cache_dir
    cached = [p for p in folder.glob("*.pickle") if p.stem != "pinyin"]
    cards = len(list((site / "content/facilities").rglob("*.yaml")))
    folders = {
        p.parts[0]
        for p in (q.relative_to(tmp_path / "first") for q in (tmp_path / "first").rglob("*"))
        if len(p.parts) > 1
    }
    # The parsed category (not the guide), each card file's check and model, and the lasting
    # results of the memo: the category's data files, its GeoJSON and page fingerprints in
    # each locale, the sitemap, the header patterns of each top folder (two headers vary).
    assert len(cached) == 1 + 2 * cards + 1 + 3 + 3 + 1 + 2 * len(folders)
    assert not any(p.name.endswith(".pickle") for p in site.rglob("*"))
    parsed: list[str] = []
    real_parse = load_module.parse_yaml
    monkeypatch.setattr(
        load_module,
        "parse_yaml",
        lambda text, display, *a, **k: parsed.append(display) or real_parse(text, display, *a, **k),
    )
    edit(card_file(site, 4), "stalls_male: 4", "stalls_male: 5")
    build(site, tmp_path / "second", clean=True)
    # The edited card and the guide (front matter is not cached); the others came cached.
    assert sorted(parsed) == [
        "content/facilities/toilet/futian-0004.yaml",
        "content/guides/lianhuashan.md",
    ]
    for path in cached:
        path.write_bytes(b"not a pickle")
    parsed.clear()
    build(site, tmp_path / "third", clean=True)
    # A damaged entry only means parsing that file again: all but the edited card's (stored
    # by the second build), and the guide.
    assert len(parsed) == 26
    assert tree_digest(tmp_path / "second") == tree_digest(tmp_path / "third")


def test_a_new_process_makes_again_only_the_changed_category_s_results(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    kiosk = TOILET_CATEGORY.replace("id: toilet", "id: kiosk").replace("公厕", "报刊亭")
    site = make_site(
        {
            "content/categories/kiosk.yaml": kiosk,
            "content/facilities/kiosk/k1.yaml": TOILET_CARD.replace("futian-0001", "kiosk-1")
            .replace("category: toilet", "category: kiosk")
            .replace("114.0572", "114.0600"),
        }
    )
    out = tmp_path / "out"
    build(site, out)
    made: list[str] = []
    real = appdata_module._category_data
    monkeypatch.setattr(
        appdata_module,
        "_category_data",
        lambda site, category, *a: made.append(category.id) or real(site, category, *a),
    )
    edit(site / "content/facilities/kiosk/k1.yaml", "stalls_male: 4", "stalls_male: 6")
    build(site, out)  # a new BuildSession, as in a new process: only the build cache is shared
    assert made == ["kiosk"]  # the toilets' data files came from the cache
    build(site, tmp_path / "clean", clean=True)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_a_new_process_checks_and_models_only_the_edited_card_file(
    site: Path, tmp_path: Path, build_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(site, out)
    checked: list[str] = []
    modelled: list[str] = []
    real_check, real_model = validate_module._check_file, model_module._facility
    monkeypatch.setattr(
        validate_module,
        "_check_file",
        lambda source, *a: checked.append(source.path) or real_check(source, *a),
    )
    monkeypatch.setattr(
        model_module,
        "_facility",
        lambda card, *a: modelled.append(card.id) or real_model(card, *a),
    )
    # New hours renumber the schedules of the cards after it: kept cards still get theirs.
    edit(card_file(site, 3), HOURS[3], "Mo-Sa 10:00-12:00")
    build(site, out)  # a new BuildSession, as in a new process: only the build cache is shared
    assert checked == ["content/facilities/toilet/futian-0003.yaml"]
    assert modelled == ["futian-0003"]
    monkeypatch.setenv("SITEGEN_CACHE_DIR", "")  # and with no cache at all, the same site
    build(site, tmp_path / "clean", clean=True)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_an_output_restored_with_its_file_times_is_built_incrementally(
    site: Path, tmp_path: Path
) -> None:
    """As a CI service restores a kept output folder and its record: another inode, same times."""
    out = tmp_path / "public"
    build(site, out)
    kept = tmp_path / "kept"
    kept.mkdir()
    shutil.copytree(out, kept / "public")  # copies file times, as tar and the CI caches do
    shutil.copy2(BuildState.path_for(out), kept)
    shutil.rmtree(out)
    BuildState.path_for(out).unlink()
    shutil.copytree(kept / "public", out)
    shutil.copy2(kept / BuildState.path_for(out).name, BuildState.path_for(out))
    edit(card_file(site, 5), "stalls_male: 4", "stalls_male: 7")
    again = build(site, out)
    assert 0 < again.rendered < again.pages / 2
    build(site, tmp_path / "clean", clean=True)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")
    # A copy that did not keep the times is not trusted: every page is made again.
    shutil.rmtree(out)
    shutil.copytree(kept / "public", out, copy_function=shutil.copyfile)
    assert build(site, out).rendered == again.pages


def test_checking_on_every_core_gives_the_same_site_and_the_same_problems(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEGEN_CACHE_DIR", "")  # every file checked now, none from a cache
    built = {}
    checked: list[int] = []  # files checked in this process (the workers' are not seen here)
    real = validate_module._check_file
    monkeypatch.setattr(
        validate_module, "_check_file", lambda *a: checked.append(os.getpid()) or real(*a)
    )
    for parallel in (False, True):
        monkeypatch.setattr(validate_module, "PARALLEL_CHECK_MIN", 0 if parallel else 10**12)
        checked.clear()
        build(site, tmp_path / f"out-{parallel}")
        built[parallel] = tree_digest(tmp_path / f"out-{parallel}")
        assert len(checked) == (0 if parallel else 25)
    assert built[True] == built[False]
    bad = site / "content/facilities/toilet/broken.yaml"
    bad.write_text("- id: [unclosed\n", "utf-8")
    edit(card_file(site, 9), "stalls_male: 4", "stalls_male: many")
    problems = {}
    for parallel in (False, True):
        monkeypatch.setattr(validate_module, "PARALLEL_CHECK_MIN", 0 if parallel else 10**12)
        with pytest.raises(ContentError) as failed:
            build(site, tmp_path / "failed")
        problems[parallel] = [str(p) for p in failed.value.problems]
    assert problems[True] == problems[False]
    broken = "content/facilities/toilet/broken.yaml:2:1: YAML syntax error"
    assert any(p.startswith(broken) for p in problems[True])
    assert any("futian-0009.yaml" in p and "stalls_male" in p for p in problems[True])


def test_a_kept_check_is_not_used_once_the_images_it_looked_for_change(site: Path) -> None:
    """A card's check says whether its photos exist: adding the file is a change too."""
    edit(card_file(site, 6), "stalls_male: 4", "stalls_male: 4\nphotos: [photos/door.jpg]")
    with pytest.raises(ContentError) as missing:
        build(site, site / "public")
    assert [str(p) for p in missing.value.problems] == [
        "content/facilities/toilet/futian-0006.yaml:9:10: photos: item 1: image file "
        '"photos/door.jpg" not found in content/'
    ]
    (site / "content/photos").mkdir()
    Image.new("RGB", (64, 48), "teal").save(site / "content/photos/door.jpg")
    assert build(site, site / "public").pages > 0  # a new process: it looked again
    (site / "content/photos/door.jpg").unlink()
    with pytest.raises(ContentError):
        build(site, site / "public")


def test_compiled_templates_are_kept_for_the_next_process_and_a_damaged_one_is_remade(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEGEN_CACHE_DIR", str(tmp_path / "cache"))  # this site's alone
    build(site, tmp_path / "first")
    kept = sorted((tmp_path / "cache/templates").glob("*.cache"))
    assert kept  # the theme's templates, compiled
    for path in kept:
        path.write_bytes(b"damaged")
    build(site, tmp_path / "second", clean=True)
    assert tree_digest(tmp_path / "first") == tree_digest(tmp_path / "second")
    assert all(path.read_bytes() != b"damaged" for path in kept)  # compiled and kept again
