"""The console's own files: every string in every language, static files served from the
package with their type, Leaflet the same as the theme's copy, and the wheel carries them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from sitegen.reports.console import web

from .staff_helpers import StaffBrowser

ROOT = Path(__file__).resolve().parents[2]
THEME_LEAFLET = ROOT / "themes/default/static/vendor/leaflet-1.9.4"
KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+)['"]""")


def test_every_language_has_every_string() -> None:
    keys = [
        set(yaml.safe_load((web.STRINGS / f"{loc}.yaml").read_text("utf-8"))) for loc in web.LOCALES
    ]
    assert keys[0] == keys[1] == keys[2]
    texts = [p.read_text("utf-8") for p in web.TEMPLATES.glob("*.html")]
    used = {k for text in texts for k in KEY.findall(text) if not k.endswith("_")}
    assert used - keys[0] == set()


def test_static_files_are_served_with_their_types(console: StaffBrowser) -> None:
    client = console.client
    js = client.get("/staff/static/console.js")
    assert js.headers["content-type"].startswith("text/javascript")
    assert js.headers["cache-control"] == "no-cache"
    versioned = client.get(web.static_url("console.css"))
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (
        client.get("/staff/static/vendor/leaflet-1.9.4/images/marker-icon.png").headers[
            "content-type"
        ]
        == "image/png"
    )
    escape = client.get("/staff/static/%2e%2e/web.py")
    assert escape.status_code == 404 and "import" not in escape.text
    assert client.get("/staff/static/nothing.js").status_code == 404


def test_leaflet_is_the_themes_copy() -> None:
    mine = web.STATIC / "vendor/leaflet-1.9.4"
    for path in sorted(p for p in mine.rglob("*") if p.is_file()):
        assert path.read_bytes() == (THEME_LEAFLET / path.relative_to(mine)).read_bytes(), path


def test_the_package_data_includes_the_console() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    data = config["tool"]["setuptools"]["package-data"]["sitegen.reports.console"]
    assert set(data) == {
        "templates/*.html",
        "static/*.css",
        "static/*.js",
        "static/vendor/**/*",
        "strings/*.yaml",
    }


def test_every_value_the_pages_name_has_its_words() -> None:
    from sitegen.reports.cases.loop import ACTIONS
    from sitegen.reports.cases.roles import ROLES
    from sitegen.reports.cases.statuses import PRIORITIES, STATUSES
    from sitegen.reports.console.case import RULE_STATUS
    from sitegen.reports.store.queue import SORTS
    from sitegen.reports.store.ratings import SATISFACTION

    english = web.strings("en")
    rules = {*RULE_STATUS, "wrong_status", "not_your_department", "same_person"}
    rules |= {"merge_self", "merge_target", "unknown_action"}
    wanted = [
        *(f"status_{s}" for s in STATUSES),
        *(f"{kind}_{a}" for a in ACTIONS for kind in ("action", "done", "step")),
        *(f"action_{a}_hint" for a in ACTIONS),
        *(f"rule_{r}" for r in rules),
        *(f"priority_{p}" for p in PRIORITIES),
        *(f"role_{r}" for r in ROLES),
        *(f"satisfaction_{s}" for s in SATISFACTION),
        *(f"sort_{s}" for s in SORTS),
        *(f"group_{g}" for g in ("open", "closed", "all")),
        *(f"field_note_{a}" for a in ("accept", "dispatch", "handle", "close")),
        *(f"field_reason_{a}" for a in ("reject", "reopen", "send_back")),
        *("confirm_reject", "confirm_send_back", "done_merge", "done_note", "done_priority"),
        *("step_receive", "step_set_status", "step_merge", "step_merged_here"),
        *(
            f"error_{n}{end}"
            for n in ("401", "403", "404", "429", "other")
            for end in ("", "_text")
        ),
    ]
    assert [key for key in wanted if key not in english] == []
