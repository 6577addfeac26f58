"""Decoding CSV bytes whose encoding is declared, or guessed: UTF-8 first, then legacy CJK."""

from __future__ import annotations

import codecs
from collections.abc import Sequence

# Tried after UTF-8 when the mapping declares nothing: Taiwan's Big5 and mainland China's GB18030.
LIKELY = ("cp950", "gb18030")
# Close relatives: a line that fails in the first may still decode in the second.
FALLBACK = {"cp950": "big5hkscs", "big5": "big5hkscs"}


def _common(char: str, encoding: str) -> bool:
    """True for a character in the everyday core of an encoding's repertoire.

    Big5 text misread as GB18030 (or the reverse) decodes without errors but lands in the
    rarely used parts of the other table; that is what tells the two apart.
    """
    try:
        if encoding.startswith("gb"):
            raw = char.encode("gb2312")
            return 0xB0 <= raw[0] <= 0xD7  # GB2312 level 1: the 3,755 common hanzi
        if encoding in ("cp950", "big5", "big5hkscs"):
            raw = char.encode("cp950")
            return 0xA4 <= raw[0] <= 0xC6  # Big5 level 1: the 5,401 common characters
    except UnicodeEncodeError:
        return False
    return True


def _score(raw: bytes, encoding: str) -> float:
    text = raw.decode(encoding, errors="replace")
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 1.0
    bad = sum(c == "\ufffd" for c in wide)
    return (sum(_common(c, encoding) for c in wide) - 10 * bad) / len(wide)


def candidates(raw: bytes, declared: Sequence[str]) -> list[str]:
    """The encodings to try, in order: UTF-8, then the declared ones or the likeliest legacy one.

    Legacy CJK text is almost never valid UTF-8, so trying UTF-8 first is safe.
    """
    if declared:
        names = [codecs.lookup(name).name for name in declared]
    else:
        names = sorted(LIKELY, key=lambda name: -_score(raw, name))
    out: list[str] = ["utf-8"]
    for name in names:
        for item in (name, FALLBACK.get(name)):  # codecs.lookup("big5") is "big5"
            if item and item not in out:
                out.append(item)
    return out


def decode_lines(raw: bytes, encodings: Sequence[str]) -> list[tuple[int, str | None, str]]:
    """Each line as (number, text or None if undecodable, encoding used or the bytes' repr).

    A UTF-8 byte-order mark at the start is dropped.

    Splitting bytes on line breaks is safe for Big5 and GB18030: their trail bytes never take
    the values of CR or LF.
    """
    lines: list[tuple[int, str | None, str]] = []
    for number, line in enumerate(raw.splitlines(keepends=True), 1):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        for encoding in encodings:
            try:
                lines.append((number, line.decode(encoding), encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            lines.append((number, None, repr(line[:40])))
    return lines
