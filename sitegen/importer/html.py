"""HTML in source values: entities decoded, markup turned into plain text with its line breaks.

Government exports put ``Queen&#039;s Road``, ``<br />``, ``<ul><li>`` and whole ``<table>``
layouts into text fields; name cards hold plain text, so the markup is read here, never
published as it is.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements that start and end a line of their own.
_BLOCKS = {
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "center",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
_SKIPPED = {"script", "style", "head", "title"}
_TAGS = (
    "a|b|br|center|div|em|font|h[1-6]|hr|i|img|li|ol|p|span|strong|sub|sup|table|tbody|td"
    "|th|thead|tr|u|ul"
)
_TAG = re.compile(rf"</?(?:{_TAGS})\b[^<>]*/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def has_html(text: str) -> bool:
    """True when a text holds markup tags or character entities that would show as written."""
    if _TAG.search(text):
        return True
    return any(html.unescape(m.group()) != m.group() for m in _ENTITY.finditer(text))


def decode_entities(text: str) -> str:
    """``Queen&#039;s Road`` -> ``Queen's Road``; a non-breaking space becomes a space."""
    return _SPACES.sub(" ", html.unescape(text)).strip()


class _TextParser(HTMLParser):
    """Collects the text of a fragment: a block starts a new line, <br> always breaks one
    (two make a blank line), list items get a bullet, table cells are kept on their row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.fresh = True  # nothing but spaces written since the last line break
        self.cell = ""  # the kind of the previous cell in this table row ("", "td" or "th")

    def _line(self) -> None:
        if not self.fresh:
            self.parts.append("\n")
            self.fresh = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
            self.fresh = True
        elif tag in ("td", "th"):
            if self.cell and not self.fresh:
                self.parts.append(": " if self.cell == "th" else " ")
            self.cell = tag
        elif tag in _BLOCKS:
            self._line()
            self.cell = ""
            if tag == "li":
                self.parts.append("• ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self._line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.parts.append(data)
        if data.strip(" \t\r\n\u00a0"):
            self.fresh = False


def html_to_text(text: str) -> str:
    """Markup to plain text: blocks, list items and <br> on their own lines, one blank line
    at most between paragraphs, entities decoded, spaces collapsed."""
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
