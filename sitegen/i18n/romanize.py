"""Chinese names for readers of English: Hanyu Pinyin when no English name is given.

A visitor who reads no Chinese can still say the name and match it to a sign or a map app.
Syllables are written apart and capitalised ("Shi Lin Guan Di"): without a word list the
syllables cannot be grouped into words reliably, and apart they are at least all right.
"""

from __future__ import annotations

import re

from sitegen.i18n.localize import CHINESE, LText
from sitegen.i18n.search_keys import pinyin_syllables

_U_UMLAUT = re.compile(r"^([nl])v(e?)$")  # the search keys write ü as v (nv, lve)


def romanize(text: str, memo: dict[str, str] | None = None) -> str:
    """The pinyin of ``text`` as a reader of English sees it; Latin words and digits kept."""
    words = []
    for syllable in pinyin_syllables(text, memo).split():
        syllable = _U_UMLAUT.sub(r"\1ü\2", syllable)
        words.append(syllable[:1].upper() + syllable[1:])
    return " ".join(words)


def romanized(value: LText | None, locale: str, memo: dict[str, str] | None = None) -> str:
    """The romanization to show beside ``value`` on a ``locale`` page, or "" for none.

    Only where a non-Chinese page shows a Chinese text in its place (no translation given).
    """
    if value is None or locale in CHINESE or value.lang(locale) not in CHINESE:
        return ""
    return romanize(value[locale], memo)
