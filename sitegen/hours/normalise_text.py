"""Clean-up shared by the Chinese and English normalisers: markup, width, dashes, notes.

Registers publish hours as HTML fragments with entities, full-width characters and every
dash there is; parenthetical notes are either times, "except public holidays", or prose
kept as a comment.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# A token the normalisers recognised, marked so the assembler can tell it from prose.
OPEN, CLOSE = "\x01", "\x02"

_TAG = re.compile(r"<\s*br\s*/?\s*>|</p\s*>|</tr\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_DASHES = str.maketrans({c: "-" for c in "–—−‐‑‒―〜~～"})
_NOTE = re.compile(r"\(([^()]*)\)")
_QUOTED = re.compile(r'[“"]([^”"]*)[”"]')
_EXCEPT_PH = re.compile(
    r"^\s*(?:except|excluding|closed on)\s+(?:public|statutory)\s+holidays?\s*$"
    r"|^\s*(?:公眾假期|公众假期|法定[節节]假日|[國国]定假日|[節节]假日)(?:除外|休息|休館|休馆)\s*$",
    re.IGNORECASE,
)
# "週一閉館，法定節假日除外": closed on a weekday unless it is a public holiday.
_CLOSED_UNLESS_PH = re.compile(
    r"^\s*(?:每)?(?:星期|週|周)([一二三四五六日天])(?:閉館|闭馆|休館|休馆|休息|公休)\s*[,，]?\s*"
    r"(?:逢)?(?:法定[節节]假日|[國国]定假日|公眾假期|公众假期|[節节]假日)(?:除外|照常開放|照常开放)\s*$"
)
_WEEKDAY_ZH = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


_MARKED = re.compile(f"({OPEN}[^{CLOSE}]*{CLOSE})")


def sub_prose(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str) -> str:
    """``pattern.sub(repl, …)`` on the parts of ``text`` not yet marked as tokens."""
    parts = _MARKED.split(text)
    return "".join(p if i % 2 else pattern.sub(repl, p) for i, p in enumerate(parts))


def mark(token: str) -> str:
    """``token`` marked as recognised OSM text."""
    return f" {OPEN}{token}{CLOSE} "


@dataclass
class Notes:
    """What the parenthetical notes of a value said."""

    comments: list[str] = field(default_factory=list)
    except_ph: bool = False
    closed_unless_ph: int | None = None  # a weekday closed unless it is a public holiday


def clean(text: str) -> str:
    """Plain text: markup and entities gone, full-width folded, every dash a hyphen."""
    text = _ANY_TAG.sub(" ", _TAG.sub("\n", text))
    text = html.unescape(text).replace("\xa0", " ")
    folded = "".join(n if len(n := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)
    return folded.translate(_DASHES).replace("ㄧ", "一")


def take_notes(text: str, is_times: re.Pattern[str]) -> tuple[str, Notes]:
    """Remove parenthetical notes; times in parentheses (``(9:00am - 6:00pm)``) stay."""
    notes = Notes()

    def note(m: re.Match[str]) -> str:
        inside = m[1].strip()
        if is_times.fullmatch(inside):
            return f" {inside} "
        if _EXCEPT_PH.match(inside):
            notes.except_ph = True
        elif found := _CLOSED_UNLESS_PH.match(inside):
            notes.closed_unless_ph = _WEEKDAY_ZH[found[1]]
        elif inside:
            notes.comments.append(inside.replace('"', "'"))
        return " "

    def quoted(m: re.Match[str]) -> str:
        notes.comments.append(m[1].strip().replace('"', "'"))
        return " "

    return _QUOTED.sub(quoted, _NOTE.sub(note, text)), notes
