"""Theme assets: the modules a page preloads are every module its entry module imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.build.stages import build
from sitegen.render.assets import ThemeAssets, minify

from .conftest import REPO, MakeSite

JS = REPO / "themes/default/static/js"


def _assets(modules: dict[str, str]) -> ThemeAssets:
    assets = ThemeAssets()
    for name, code in modules.items():
        assets.add_hashed(f"js/{name}", minify(".js", code.encode()))
    return assets


def test_static_imports_follow_every_level_and_leave_out_import_on_demand() -> None:
    assets = _assets(
        {
            "form.js": 'import "app/outbox.js";\nimport { a, b as c } from "app/parts.js";\n'
            'const map = () => import("app/map.js");\n',
            "parts.js": "import * as dom from 'app/dom.js';\nexport { x } from \"app/more.js\";\n",
            "more.js": 'import { form } from "app/form.js"; // a cycle back to the entry\n',
            "outbox.js": '"use strict"; /* import "app/map.js" in a comment */\n',
            "dom.js": "export const el = 1;\n",
            "map.js": 'import * as L from "leaflet";\n',
        }
    )
    assert assets.static_imports("js/form.js") == [
        "js/dom.js",
        "js/more.js",
        "js/outbox.js",
        "js/parts.js",
    ]
    assert assets.static_imports("js/dom.js") == []
    assert assets.static_imports("js/missing.js") == []


def test_a_module_that_is_not_among_the_assets_is_not_preloaded() -> None:
    assets = _assets({"form.js": 'import { gone } from "app/gone.js";\n'})
    assert assets.static_imports("js/form.js") == []


@pytest.fixture
def report_page(make_site: MakeSite, tmp_path: Path) -> str:
    build(make_site(), tmp_path / "out")
    return (tmp_path / "out/en/report/index.html").read_text("utf-8")


def test_the_report_form_preloads_all_its_modules_after_the_import_map(report_page: str) -> None:
    preloads = re.findall(
        r'<link rel="modulepreload" href="/assets/js/([\w-]+)\.[0-9a-f]{10}\.js">', report_page
    )
    # What report-form.js imports itself, as written in the theme.
    direct = re.findall(
        r'^import .*"app/([\w-]+)\.js";$', (JS / "report-form.js").read_text(), re.M
    )
    assert {"report-questions", "report-errors", "report-outbox"} <= set(direct)
    # Imported only by the form's parts (dom.js, photo-resize.js, data.js): preloaded as well.
    assert set(preloads) == {*direct, "dom", "photo-resize", "data"}
    assert preloads == sorted(preloads)
    assert "report-map" not in preloads  # imported on demand, with Leaflet
    assert report_page.index('<script type="importmap">') < report_page.index("modulepreload")
