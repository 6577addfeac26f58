"""``sitegen build --ratings URL_OR_FILE``: the report server's place aggregates baked into
the name cards, from a file or straight from a running server; a change remakes the pages."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli.main import main
from sitegen.reports.app import create_app
from sitegen.reports.settings import load_settings

from ..conftest import MakeSite
from .helpers import served

CARD = "en/toilet/futian-0001/index.html"


def aggregates(average: float, count: int, right: int = 0, wrong: int = 0) -> str:
    place = {
        "ratings": count,
        "cleanliness": {"count": count, "average": average},
        "information": {"right": right, "wrong": wrong},
        "updated_datetime": "2025-01-22T10:00:00+08:00",
    }
    return json.dumps({"jurisdiction_id": "default", "places": {"futian-0001": place}})


def build(site: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "-C", str(site), "-j", "1", *extra])
    return result.exit_code, result.output


def summary(site: Path) -> str:
    html = (site / "public" / CARD).read_text("utf-8")
    start = html.index("data-rating-summary>") + len("data-rating-summary>")
    return " ".join(html[start : html.index("</p>", start)].replace("<br>", " | ").split())


def test_ratings_are_baked_into_the_cards(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    assert build(site)[0] == 0
    assert summary(site) == "Not rated yet."
    first = tmp_path / "ratings.json"
    first.write_text(aggregates(4.3, 12, right=7, wrong=2), "utf-8")
    code, out = build(site, "--ratings", str(first))
    assert code == 0, out
    assert summary(site) == (
        "Cleanliness 4.3 of 5 (12 ratings) | "
        "7 say the information is right, 2 say something is wrong"
    )
    zh = (site / "public/zh-hans/toilet/futian-0001/index.html").read_text("utf-8")
    assert "整洁度 4.3 分（满分 5 分，12 人评价）" in zh
    assert "Nothing changed" in build(site, "--ratings", str(first))[1]
    first.write_text(aggregates(2.0, 13), "utf-8")
    assert "Nothing changed" not in build(site, "--ratings", str(first))[1]
    assert summary(site) == "Cleanliness 2.0 of 5 (13 ratings)"
    incremental = (site / "public" / CARD).read_bytes()
    assert build(site, "--ratings", str(first), "--clean")[0] == 0
    assert (site / "public" / CARD).read_bytes() == incremental


def test_bad_ratings_leave_the_site_as_it_was(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    assert build(site)[0] == 0
    before = (site / "public" / CARD).read_bytes()
    bad = tmp_path / "bad.json"
    broken_place = {
        "ratings": 1,
        "cleanliness": {"count": 1, "average": 9},
        "information": {"right": 0, "wrong": 0},
    }
    for text, message in (
        ("{", ":1:2: not JSON: Expecting property name enclosed in double quotes"),
        (
            '{"places": []}',
            ': expected {"places": {FACILITY_ID: …}} as the report server\'s places/ratings.json '
            "gives",
        ),
        (
            json.dumps({"places": {"futian-0001": broken_place}}),
            ": places.futian-0001.cleanliness.average: expected a number from 1 to 5 or null",
        ),
    ):
        bad.write_text(text, "utf-8")
        code, out = build(site, "--ratings", str(bad))
        assert (code, out.strip()) == (1, f"error: --ratings {bad}{message}")
    missing = tmp_path / "missing.json"
    code, out = build(site, "--ratings", str(missing))
    assert out.strip() == f"error: --ratings {missing}: cannot be read: No such file or directory"
    assert (site / "public" / CARD).read_bytes() == before


def test_ratings_are_fetched_from_the_report_server(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    settings = load_settings(
        site,
        {
            "sqlite_path": tmp_path / "r.sqlite3",
            "media_dir": tmp_path / "m",
            "read_per_minute": 0.0,
        },
        environ={},
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    root = f"http://127.0.0.1:{sock.getsockname()[1]}/open311/v2/"
    with served(create_app(settings, environ={}), sock):
        import urllib.parse
        import urllib.request

        for device, score in (("a", "5"), ("b", "4")):
            body = urllib.parse.urlencode({"device_id": device, "cleanliness": score}).encode()
            urllib.request.urlopen(
                f"{root}places/futian-0001/ratings.json", data=body, timeout=10
            ).close()
        code, out = build(site, "--ratings", f"{root}places/ratings.json")
    sock.close()
    assert code == 0, out
    assert summary(site) == "Cleanliness 4.5 of 5 (2 ratings)"
    code, out = build(site, "--ratings", f"{root}places/ratings.json")
    assert code == 1 and out.startswith(
        f"error: --ratings {root}places/ratings.json: could not be fetched: "
    )
