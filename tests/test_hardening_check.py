"""Bad input that once broke `sitegen check` or the build (issue 15, items 6 to 9).

Each case is the minimal input that did it; each now gives one `path:line:col: message` line,
word for word, and nothing else: no traceback, no hang.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.build.stages import build
from sitegen.cli.main import main

from .conftest import TOILET_CARD, TOILET_CATEGORY, MakeSite

CARD = "content/facilities/toilet/futian-0001.yaml"
CATEGORY = "content/categories/toilet.yaml"


def check(root: Path) -> tuple[int, list[str]]:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["check", "-C", str(root)])
    assert time.perf_counter() - started < 30, "check took too long"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def card_with(line: str) -> str:
    return TOILET_CARD.replace("stalls_male: 4\n", line + "\n")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("stalls_male: 09", None),  # YAML 1.2: nine
        ("stalls_male: 010", None),  # ten, not eight
        ("stalls_male: 0o10", None),  # eight, written as YAML 1.2 does
        (
            "stalls_male: " + "9" * 400,
            "8:14: a number of 400 digits is too long (at most 100)",
        ),
        (
            "stalls_male: " + "9" * 5000,
            "8:14: a number of 5000 digits is too long (at most 100)",
        ),
        ('stalls_male: !!int "abc"', '8:14: "abc" is not a whole number'),
        ('accessible: !!bool "maybe"', None),  # replaces the line below
        (
            "stalls_male: !!set {a: null}",
            "8:14: the YAML tag !!set is not supported here; "
            "write text, numbers, true/false, dates, lists and mappings",
        ),
        (
            "stalls_male: " + "[" * 600 + "]" * 600,
            "8:77: lists and mappings are nested more than 64 deep",
        ),
    ],
)
def test_yaml_scalars_and_limits(make_site: MakeSite, line: str, message: str | None) -> None:
    card = card_with(line)
    if line.startswith("accessible"):
        card = TOILET_CARD.replace("accessible: true", line)
        message = '7:13: "maybe" is not true or false'
    root = make_site({CARD: card})
    code, lines = check(root)
    if message is None:
        assert code == 0, lines
        return
    assert lines == [f"{CARD}:{message}", "1 problem(s) found."]
    assert code == 1


def test_yaml_one_point_two_numbers_are_read_as_written(make_site: MakeSite) -> None:
    from sitegen.build.stages import load_site

    root = make_site({CARD: card_with("stalls_male: 010")})
    site, _ = load_site(root)
    assert site.facilities["futian-0001"].values["stalls_male"] == 10


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_in_a_file_are_one_line_at_their_place(
    make_site: MakeSite, char: str
) -> None:
    root = make_site()
    path = root / CARD
    path.write_text(TOILET_CARD.replace("莲花山", f"莲花{char}山"), "utf-8")
    _code, lines = check(root)
    assert lines == [
        f"{CARD}:3:9: the control character U+{ord(char):04X} is not allowed in YAML; remove it",
        "1 problem(s) found.",
    ]


def test_escaped_control_characters_in_a_name_are_refused(make_site: MakeSite) -> None:
    root = make_site({CARD: TOILET_CARD.replace("name: 莲花山公园南门公厕", 'name: "莲花\\e山"')})
    _code, lines = check(root)
    assert lines == [
        f"{CARD}:3:8: name: contains the control character U+001B, which cannot be shown; "
        "remove it",
        "1 problem(s) found.",
    ]


def test_billion_laughs_is_refused_at_once(make_site: MakeSite) -> None:
    laughs = "x_a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"x_{chr(98 + i)}: &{chr(98 + i)} [{', '.join(f'*{chr(97 + i)}' for _ in range(9))}]\n"
        for i in range(9)
    )
    root = make_site({CATEGORY: laughs, CARD: None})
    _code, lines = check(root)
    assert lines == [
        f"{CATEGORY}:6:6: aliases here expand to more than 500,000 values",
        "1 problem(s) found.",
    ]


@pytest.mark.parametrize(
    "value", ["[toilet]", "{toilet: 1}", "!!set {toilet}"], ids=["list", "mapping", "set"]
)
def test_a_category_that_is_not_text(make_site: MakeSite, value: str) -> None:
    root = make_site({CARD: TOILET_CARD.replace("category: toilet", f"category: {value}")})
    code, lines = check(root)
    assert code == 1
    assert len(lines) == 2
    if value.startswith("!!"):
        assert lines[0] == (
            f"{CARD}:2:11: the YAML tag !!set is not supported here; "
            "write text, numbers, true/false, dates, lists and mappings"
        )
    else:
        kind = "a list" if value.startswith("[") else "a mapping"
        assert lines[0] == (
            f'{CARD}:2:11: category: expected a category id such as "toilet", got {kind}'
        )


def test_a_huge_name_is_refused_quickly(make_site: MakeSite) -> None:
    root = make_site({CARD: TOILET_CARD.replace("莲花山公园南门公厕", "厕" * 1_000_000)})
    _code, lines = check(root)
    assert lines == [
        f"{CARD}:3:7: name: is 1,000,000 characters long; at most 2,000 are allowed",
        "1 problem(s) found.",
    ]


def test_a_long_photo_path_and_a_link_out_of_the_content(
    make_site: MakeSite, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"\xff\xd8\xff")
    root = make_site()
    (root / "content/photos").mkdir()
    (root / "content/photos/link.jpg").symlink_to(outside)
    card = TOILET_CARD + f"photos: [{'a' * 5000}.jpg, photos/link.jpg]\n"
    (root / CARD).write_text(card, "utf-8")
    _, lines = check(root)
    assert lines == [
        f'{CARD}:11:10: photos: item 1: "{"a" * 37}..." is too long for a file path',
        "1 problem(s) found.",
    ]
    (root / CARD).write_text(TOILET_CARD + "photos: [photos/link.jpg]\n", "utf-8")
    _code, lines = check(root)
    assert lines == [
        f'{CARD}:11:10: photos: item 1: image file "photos/link.jpg" is a link to a file '
        "outside content/; copy the file itself into the content folder",
        "1 problem(s) found.",
    ]


def test_numbers_that_are_not_numbers(make_site: MakeSite) -> None:
    site_yaml = (make_site() / "content/site.yaml").read_text("utf-8")
    root = make_site(
        {
            CARD: card_with("stalls_male: .nan"),
            "content/site.yaml": site_yaml + "offline: {precache_budget_mb: .nan}\n",
        }
    )
    _, lines = check(root)
    assert lines == [
        "content/site.yaml:20:31: offline.precache_budget_mb: expected a number, got .nan",
        "1 problem(s) found.",
    ]
    root = make_site({"content/site.yaml": site_yaml + "offline: {precache_budget_mb: 0}\n"})
    _, lines = check(root)
    assert lines == [
        "content/site.yaml:20:31: offline.precache_budget_mb: 0 is below the minimum 0.1",
        "1 problem(s) found.",
    ]
    root = make_site({"content/site.yaml": site_yaml, CARD: card_with("stalls_male: .nan")})
    _code, lines = check(root)
    assert lines == [
        f"{CARD}:8:14: stalls_male: expected a whole number, got .nan",
        "1 problem(s) found.",
    ]


def test_a_category_id_taken_by_the_site(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/categories/report.yaml": "id: report\nname: 报告\n",
        }
    )
    _code, lines = check(root)
    assert lines == [
        'content/categories/report.yaml:1:5: id: "report" is taken by the site\'s own pages '
        "(guides, offline, report); choose another id",
        "1 problem(s) found.",
    ]


def test_a_long_id_and_duplicate_enum_values(make_site: MakeSite) -> None:
    category = (
        "id: toilet\nname: 公厕\nfields:\n  hours: {type: hours}\n"
        "  grade: {type: enum, values: [一类, 二类, 一类]}\n"
    )
    root = make_site({CATEGORY: category, CARD: None})
    _, lines = check(root)
    assert lines == [
        f'{CATEGORY}:5:10: fields.grade: the value "一类" is listed twice in "values"',
        "1 problem(s) found.",
    ]
    root = make_site(
        {CATEGORY: TOILET_CATEGORY, CARD: TOILET_CARD.replace("futian-0001", "x" * 300)}
    )
    code, lines = check(root)
    assert code == 1
    assert lines[0].startswith(f'{CARD}:1:5: id: "{"x" * 37}..." is not an id of at most 100 ')


def test_site_yaml_mistakes_check_used_to_accept(make_site: MakeSite) -> None:
    site_yaml = (make_site() / "content/site.yaml").read_text("utf-8")
    services = (
        "  services:\n"
        "    - {code: dirty, name: 不干净, categories: [nosuch]}\n"
        "    - {code: dirty, name: 又不干净}\n"
    )
    bad = site_yaml.replace(
        "base_url: https://map.example.org/", "base_url: https://user:secret@map.example.org:99999/"
    )
    root = make_site({"content/site.yaml": bad})
    _, lines = check(root)
    assert lines == [
        'content/site.yaml:4:11: base_url: "https://user:secret@map.example.org:99999/" '
        "must not hold a user name or password",
        "1 problem(s) found.",
    ]
    root = make_site(
        {"content/site.yaml": site_yaml.replace("map.example.org/", "map.example.org:99999/")}
    )
    _, lines = check(root)
    assert lines == [
        'content/site.yaml:4:11: base_url: "https://map.example.org:99999/" has a port that is '
        "not a number from 0 to 65535",
        "1 problem(s) found.",
    ]
    root = make_site({"content/site.yaml": site_yaml + services})
    _, lines = check(root)
    assert lines == [
        'content/site.yaml:22:14: report.services[2].code: "dirty" is the code of service 1 '
        "too; each service needs its own code",
        "1 problem(s) found.",
    ]
    root = make_site(
        {
            "content/site.yaml": site_yaml
            + services.replace("code: dirty, name: 又", "code: other, name: 又")
        }
    )
    _code, lines = check(root)
    assert lines == [
        'content/site.yaml:21:44: report.services[1].categories: unknown category "nosuch"',
        "1 problem(s) found.",
    ]


def test_a_missing_theme_is_found_by_check(make_site: MakeSite) -> None:
    site_yaml = (make_site() / "content/site.yaml").read_text("utf-8")
    root = make_site({"content/site.yaml": site_yaml + "theme: nosuch\n"})
    code, lines = check(root)
    assert code == 1
    assert lines == [f'error: theme "nosuch" not found in {root / "themes"} or built in']


def test_guide_names_that_cannot_be_addresses(make_site: MakeSite) -> None:
    guide = "---\ntitle: 指南\n---\n正文\n"
    root = make_site({"content/guides/a#b.md": guide, "content/guides/sub/a.md": guide})
    (root / "content/guides/a.md").write_text(guide, "utf-8")
    _code, lines = check(root)
    assert lines == [
        'content/guides/a#b.md:1:1: the file name "a#b" cannot be the guide\'s address: name '
        "the file with lowercase letters, digits, - and _, or give the guide an id",
        'content/guides/sub/a.md:2:1: duplicate guide id "a", first defined at '
        "content/guides/a.md:2:1",
        "2 problem(s) found.",
    ]


@pytest.mark.parametrize(
    ("body", "line", "count", "char", "limit"),
    [
        ("[" * 50_000, 4, "50,000", "[", "500"),
        ("text\n\n" + "<a" * 25_000, 6, "25,000", "<", "2,000"),
    ],
)
def test_markdown_that_would_take_minutes(
    make_site: MakeSite, body: str, line: int, count: str, char: str, limit: str
) -> None:
    root = make_site({"content/guides/parks.md": f"---\ntitle: 指南\n---\n{body}\n"})
    _code, lines = check(root)
    assert lines == [
        f'content/guides/parks.md:{line}:1: this paragraph holds {count} "{char}" (at most '
        f"{limit} in one paragraph, list or table): split it with blank lines",
        "1 problem(s) found.",
    ]


def test_photos_are_published(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site()
    (root / "content/photos").mkdir()
    (root / "content/photos/gate.jpg").write_bytes(b"\xff\xd8\xffphoto")
    (root / CARD).write_text(TOILET_CARD + "photos: [photos/gate.jpg]\n", "utf-8")
    build(root, tmp_path / "out")
    assert (tmp_path / "out/media/photos/gate.jpg").read_bytes() == b"\xff\xd8\xffphoto"
    page = (tmp_path / "out/zh-hans/toilet/futian-0001/index.html").read_text("utf-8")
    assert 'src="/media/photos/gate.jpg"' in page


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: &x [1, 2]\nb: *x\nc: *x\n", None),  # an anchor used twice is fine
        ("a: &x [1, *x]\n", "1:4: an alias refers to the value it is part of"),
        (
            "a: " + "[" * 65 + "]" * 65 + "\n",
            "1:67: lists and mappings are nested more than 64 deep",
        ),
        (
            "a: &x ["
            + ", ".join(["1"] * 1000)
            + "]\n"
            + "".join(f"b{i}: *x\n" for i in range(600)),
            "1:1: aliases here expand to more than 500,000 values",
        ),
    ],
    ids=["anchor", "loop", "deep", "wide"],
)
def test_the_quick_measure_leaves_every_doubt_to_the_exact_one(
    text: str, problem: str | None
) -> None:
    # Name cards have no aliases, and one quick walk proves it; a document it cannot clear
    # is measured exactly, with the same verdict and place as before.
    from sitegen.errors import Report
    from sitegen.source.located import YamlSyntaxError, parse_yaml

    if problem is None:
        data = parse_yaml(text, "t.yaml", Report())
        assert data["b"] == data["c"] == [1, 2]
        return
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text, "t.yaml", Report())
    where = caught.value.mark
    assert f"{where.line}:{where.col}: {caught.value.message}" == problem
