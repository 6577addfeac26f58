"""Splitting an ``opening_hours`` value into tokens: numbers, words, comments, punctuation.

Words are read case-insensitively, as opening_hours.js reads them (``mo-su``, ``OFF``);
every token keeps its column so that errors point at the character that is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sitegen.hours.rules import HoursSyntaxError

Kind = Literal[
    "number",
    "weekday",
    "month",
    "holiday",
    "event",
    "timevar",
    "state",
    "week",
    "days",
    "always",
    "comment",
    "punct",
    "word",  # a word opening_hours does not know (an error wherever it stands)
]

WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))},
    **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        w: i
        for i, w in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_WORDS = {
    **{w: i + 1 for i, w in enumerate(_MONTHS)},
    **{w: i + 1 for i, w in enumerate(_MONTH_NAMES)},
    "sept": 9,
}
_WORDS: dict[str, tuple[Kind, object]] = {
    **{w: ("weekday", i) for w, i in WEEKDAY_WORDS.items()},
    **{w: ("month", i) for w, i in MONTH_WORDS.items()},
    "ph": ("holiday", "PH"),
    "sh": ("holiday", "SH"),
    "easter": ("event", "easter"),
    "week": ("week", "week"),
    "day": ("days", "day"),
    "days": ("days", "day"),
    **{w: ("timevar", w) for w in ("sunrise", "sunset", "dawn", "dusk")},
    "open": ("state", "open"),
    "closed": ("state", "closed"),
    "off": ("state", "closed"),
    "unknown": ("state", "unknown"),
}
# Ordered: the first alternative that matches at a position wins.
_SCAN = re.compile(
    r"""(?P<ws>[\s\u3000]+)
      | (?P<comment>"[^"]*")
      | (?P<always>24/7)
      | (?P<fallback>\|\|)
      | (?P<number>\d+)
      | (?P<word>[A-Za-z]+)
      | (?P<punct>[-+/,;:\[\]()])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its value (a number, a canonical word or the text) and column."""

    kind: Kind
    value: object
    column: int
    text: str

    def is_punct(self, char: str) -> bool:
        """True for the punctuation ``char`` (``-``, ``,``, ``;``, ``||`` …)."""
        return self.kind == "punct" and self.value == char

    @property
    def number(self) -> int:
        """The value of a number token."""
        assert isinstance(self.value, int)
        return self.value

    @property
    def word(self) -> str:
        """The canonical value of a word token (``"PH"``, ``"sunrise"``, ``"closed"`` …)."""
        return str(self.value)


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; raises ``HoursSyntaxError`` at the first character not understood."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _SCAN.match(text, pos)
        if m is None:
            raise _unexpected(text, pos)
        group = m.lastgroup
        raw = m.group()
        if group == "comment":
            tokens.append(Token("comment", raw[1:-1], pos, raw))
        elif group == "always":
            tokens.append(Token("always", "24/7", pos, raw))
        elif group == "fallback":
            tokens.append(Token("punct", "||", pos, raw))
        elif group == "number":
            tokens.append(Token("number", int(raw), pos, raw))
        elif group == "word":
            kind, value = _WORDS.get(raw.lower(), ("word", raw))
            tokens.append(Token(kind, value, pos, raw))
        elif group == "punct":
            tokens.append(Token("punct", raw, pos, raw))
        pos = m.end()
    return tokens


def _unexpected(text: str, pos: int) -> HoursSyntaxError:
    if text[pos] == '"':
        return HoursSyntaxError("unterminated comment", pos)
    end = pos + 1
    while end < len(text) and not text[end].isspace() and text[end] not in ";,":
        end += 1
    return HoursSyntaxError(f'unrecognised text "{text[pos:end][:24]}"', pos)
