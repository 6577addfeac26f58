"""The import's promise, tried on random categories, mappings and rows: a card written by
`sitegen import` always passes `sitegen check` (a fixed budget of examples, the same ones on
every run)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build.stages import check
from sitegen.importer.mapping import load_mapping
from sitegen.importer.run import import_sources, write

SITE = """\
title: {zh-Hant: 測試, en: Test}
locales: [zh-Hant, zh-Hans, en]
source_locale: zh-Hant
base_url: https://t.example.org/
timezone: Asia/Taipei
holidays: TW
map: {center: [121.5, 25.0], zoom: 12, bounds: [[121.0, 24.5], [122.0, 25.5]]}
tiles:
  - {id: osm, name: OSM, url: "https://tile.example.org/{z}/{x}/{y}.png", attribution: OSM}
"""

# Values real exports hold, and texts YAML reads as something else if written bare.
TRICKY = [
    "",
    " ",
    "true",
    "False",
    "yes",
    "N",
    "null",
    "~",
    "09",
    "0x1F",
    "1e5",
    ".5",
    "-3",
    "12.0",
    "1,234",
    "600",
    "2015-08-31",
    "2015-08-31T00:00:00+08:00",
    "2014/06/03",
    "24/7",
    "全天",
    "Mo-Fr 08:00-18:00",
    "24 hours",
    "N.A.",
    "0755-12345678",
    "2706 5813/ 2762 2083",
    "https://example.org/a b",
    "http://x.org/1.jpg",
    "a,b;c",
    "Queen&#039;s Road",
    "<strong>暫停</strong><br />開放",
    "- item",
    ": colon",
    "#hash",
    "'quoted'",
    '"dq"',
    "line\nbreak",
    "有",
    "無",
    "是",
    "\ufeffBOM",
    "a\tb",
    "[1, 2]",
    "{a: 1}",
    "*star",
    "&anchor",
    "!tag",
    "%pct",
    "@at",
    "`tick",
    "|pipe",
    ">fold",
    "特優級",
]
JSON_VALUE = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.integers(-1000, 100000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.just([]),
    st.lists(st.sampled_from(TRICKY), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(TRICKY), max_size=2),
)
KINDS = ["text", "ltext", "int", "number", "bool", "enum", "hours", "phone", "url", "date"]
KINDS += ["image", "list:text", "list:phone", "list:int"]
TRANSFORMS = {
    "any": [
        [],
        [{"strip_prefix": "a"}],
        [{"replace": {"pattern": "[0-9]", "with": "1"}}],
        [{"html": "text"}],
        [{"html": "entities"}],
        [{"map": {"Y": True, "N": False, "1": 2, "特優級": "a"}}],
        [{"drop": ["N.A.", ""]}],
        [{"extract": {"pattern": "(\\d+)", "group": 1, "as": "int"}}],
        [{"extract": {"pattern": "有|是", "as": "bool"}}],
        [{"split": "[,;/]"}],
        [{"suffix_if_missing": "區"}],
    ],
    "bool": [[{"bool": True}], [{"bool": {"yes": ["設有"], "no": ["未設"]}}]],
    "int": [[{"int": {"min": 0, "max": 10}}]],
    "date": [[{"date": True}], [{"date": {"format": "%Y/%m/%d"}}]],
    "hours": [[{"hours": True}]],
}


@st.composite
def _import_case(draw: st.DrawFn) -> tuple[str, str, list[dict[str, Any]]]:
    """A category file, a mapping file and the rows of a JSON source, all random."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    declared, fields = [], {"name": draw(st.sampled_from(["n", {"zh-Hant": "n", "en": "e"}]))}
    for index, kind in enumerate(kinds):
        name, base = f"f{index}", kind.split(":")[0]
        setting = {"type": base}
        if base == "list":
            setting["item"] = kind.split(":")[1]
        if base == "enum":
            setting["values"] = ["a", "b", "特優級"]
        if base == "int" and draw(st.booleans()):
            setting.update(min=0, max=500)
        if draw(st.integers(0, 9)) == 0:
            setting["required"] = True
        declared.append(f"  {name}: {json.dumps(setting, ensure_ascii=False)}")
        options = TRANSFORMS["any"] + TRANSFORMS.get(base, [])
        spec: Any = {"column": f"c{index}", "transforms": draw(st.sampled_from(options))}
        if base == "ltext" and draw(st.booleans()):
            spec = {
                "zh-Hant": f"c{index}",
                "zh-Hans": f"s{index}",
                "transforms": spec["transforms"],
            }
        fields[name] = spec
    category = "id: thing\nname: {zh-Hant: 東西, en: Thing}\nfields:\n" + "\n".join(declared)
    mapping = json.dumps(
        {
            "format": "json",
            "category": "thing",
            "output": "thing/t.yaml",
            "location": {"lng": "x", "lat": "y"},
            "fields": fields,
        },
        ensure_ascii=False,
    )
    columns = [
        "n",
        "e",
        *(f"c{i}" for i in range(len(kinds))),
        *(f"s{i}" for i in range(len(kinds))),
    ]
    inside = st.tuples(st.floats(121.0, 122.0), st.floats(24.5, 25.5))
    elsewhere = st.tuples(st.sampled_from(["", "x", 200, 25.0]), st.sampled_from([121.5, "1"]))
    # mostly usable names, so that most rows become cards whose other fields are tried
    texts = st.sampled_from([text for text in TRICKY if text.strip()])
    names = st.one_of(texts, texts, st.text(min_size=1, max_size=8), JSON_VALUE)
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        x, y = draw(st.one_of(inside, inside, inside, elsewhere))
        row = {"x": x, "y": y, "n": draw(names), "e": draw(names)}
        row.update({column: draw(JSON_VALUE) for column in columns[2:]})
        rows.append(row)
    return category + "\n", mapping, rows


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_import_case())
def test_every_card_written_by_import_passes_check(case: tuple[str, str, list[Any]]) -> None:
    category, mapping_text, rows = case
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "content" / "categories").mkdir(parents=True)
        (project / "content" / "site.yaml").write_text(SITE, "utf-8")
        (project / "content" / "categories" / "thing.yaml").write_text(category, "utf-8")
        (project / "m.yaml").write_text(mapping_text, "utf-8")  # JSON is YAML
        (project / "rows.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
        result = import_sources([project / "rows.json"], load_mapping(project / "m.yaml"), project)
        assert not [i for i in result.summary.skipped if "fails sitegen check" in i.reason]
        write(result)
        check(project)  # raises ContentError with every problem if a card fails
        written = len(result.text.split("\n- id: ")) - 1 if "- id: " in result.text else 0
        assert written == result.summary.cards
