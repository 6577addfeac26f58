"""The filing numbers of a mainland-China site in every page footer, in every locale."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.build.stages import build
from sitegen.cli.main import main

from .conftest import SITE_YAML, MakeSite

ICP = "粤ICP备12345678号-1"
POLICE = "粤公网安备44030402000001号"
FILED = SITE_YAML.replace("holidays: CN\n", f"holidays: CN\nicp: {ICP}\npolice_record: {POLICE}\n")
TITLES = {
    "zh-hans": ("ICP备案号（工业和信息化部）", "公安备案号"),
    "zh-hant": ("ICP備案號（工業和信息化部）", "公安備案號"),
    "en": ("ICP filing number (MIIT)", "Public security filing number"),
}


def footer(page: Path) -> str:
    html = page.read_text("utf-8")
    found = re.findall(r'<footer class="site-footer">.*?</footer>', html, re.S)
    assert len(found) == 1, page
    return found[0]


def test_icp_and_police_numbers_in_every_footer_of_every_locale(
    make_site: MakeSite, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    build(make_site({"content/site.yaml": FILED}), out)
    for locale, (icp_title, police_title) in TITLES.items():
        lang = "" if locale == "zh-hans" else ' lang="zh-Hans"'  # the same characters everywhere
        icp = (
            f'<a href="https://beian.miit.gov.cn/" rel="noopener" title="{icp_title}"{lang}>'
            f"{ICP}</a>"
        )
        police = (
            '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=44030402000001" '
            f'rel="noopener" title="{police_title}"{lang}>{POLICE}</a>'
        )
        pages = [
            out / locale / "index.html",
            out / locale / "toilet/index.html",
            out / locale / "toilet/futian-0001/index.html",
            out / locale / "offline/index.html",
        ]
        for page in pages:
            text = footer(page)
            assert icp in text and police in text, page
    for page in (out / "index.html", out / "404.html"):  # the root pages: the source locale
        text = footer(page)
        assert f">{ICP}</a>" in text and f">{POLICE}</a>" in text
    every = [p for p in out.rglob("*.html")]
    assert all(ICP in footer(p) for p in every)


def test_no_filings_no_footer_line(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(make_site(), out)
    assert 'class="filings"' not in (out / "en/index.html").read_text("utf-8")


def test_filing_numbers_are_checked(make_site: MakeSite) -> None:
    bad = SITE_YAML.replace(
        "holidays: CN\n", "holidays: CN\nicp: 京ICP12345678\npolice_record: 粤公安备4403号\n"
    )
    result = CliRunner().invoke(main, ["check", "-C", str(make_site({"content/site.yaml": bad}))])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'content/site.yaml:7:6: icp: "京ICP12345678" is not an ICP filing number such as '
        '"粤ICP备12345678号-1"',
        'content/site.yaml:8:16: police_record: "粤公安备4403号" is not a public-security filing '
        'number such as "粤公网安备44030402000001号"',
        "2 problem(s) found.",
    ]
