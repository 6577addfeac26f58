"""Build-time data for the front-end search: pinyin of names and the Traditional fold map.

The browser side (``themes/default/static/js/search.js``) matches queries against these; see
``docs/front-end-data.md`` for the published formats.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc

from sitegen.workers import forked_map

# Letters and digits of any script but Han (which pypinyin reads): "B1", "2", "songshan".
_TOKEN = re.compile(r"[^\W_]+")

# Traditional -> Simplified, tried in order: plain t2s leaves some regional Traditional forms
# that the build writes for zh-Hant (Hong Kong 衞, Taiwan 著 for 着) as they are.
_TO_SIMPLIFIED = ("t2s", "hk2s", "tw2s")
# Simplified -> Traditional: the forms a reader may type for a character the texts hold.
_TO_TRADITIONAL = ("s2t", "s2hk", "s2tw")


@lru_cache(maxsize=8)
def _converter(profile: str) -> opencc.OpenCC:
    return opencc.OpenCC(profile)


def _convert(text: str, profile: str) -> str:
    return str(_converter(profile).convert(text))


def _tokens(text: str) -> str:
    """A non-Chinese run handed over by pypinyin, as lowercase tokens (punctuation dropped)."""
    return " ".join(_TOKEN.findall(text.lower()))


def pinyin_syllables(text: str, memo: dict[str, str] | None = None) -> str:
    """Space-separated toneless pinyin of a name; digits and latin runs kept as lowercase tokens.

    ü is written "v" (nv, lv), as pinyin keyboards type it. ``memo`` keeps readings across
    calls and builds (the build cache, sitegen/cache/store.py): pypinyin is slow and names repeat.
    """
    if memo is None:
        return _pinyin(text)
    found = memo.get(text)
    if found is None:
        found = memo[text] = _pinyin(text)
    return found


PARALLEL_PINYIN_MIN = 2_000  # fewer names are read faster than processes start


def read_pinyin(names: Iterable[str], memo: dict[str, str], jobs: int) -> None:
    """Put the readings of ``names`` missing from ``memo`` into it, on ``jobs`` processes
    when there are thousands (a city's first build: 30,000 names, 1.7 s on one core)."""
    missing = sorted({name for name in names if name not in memo})
    if missing:
        import pypinyin  # noqa: F401  (once, before the workers fork: they share it)
    if len(missing) < PARALLEL_PINYIN_MIN:
        jobs = 1
    size = -(-len(missing) // max(jobs, 1))
    chunks = [missing[i : i + size] for i in range(0, len(missing), size)] if missing else []
    for chunk, readings in zip(chunks, forked_map(_read_chunk, chunks, jobs), strict=True):
        memo.update(zip(chunk, readings, strict=True))


def _read_chunk(names: list[str]) -> list[str]:
    return [_pinyin(name) for name in names]


@lru_cache(maxsize=200_000)
def _pinyin(text: str) -> str:
    # NFKC first, so that full-width "２號" gives the token "2" like "2號". pypinyin's phrase
    # readings are keyed on Simplified text (長春 alone reads zhang chun, 长春 chang chun), so
    # it reads the phrase-aware Simplified conversion.
    # pypinyin's dictionaries take a fifth of a second to import: only when a name is new
    # (the build cache keeps the readings of the others).
    from pypinyin import Style, lazy_pinyin

    simple = _convert(unicodedata.normalize("NFKC", text), "t2s")
    syllables = lazy_pinyin(simple, style=Style.NORMAL, errors=_tokens, v_to_u=False)
    # A run may come back as several tokens ("abc 2") or none (punctuation): split and rejoin.
    return " ".join(" ".join(syllables).lower().split())


@lru_cache(maxsize=50_000)
def _simplified(char: str) -> str:
    """The single-character Simplified form of ``char`` (itself if none), to a fixed point."""
    seen = {char}
    current = char
    while True:
        step = next(
            (
                out
                for profile in _TO_SIMPLIFIED
                if len(out := _convert(current, profile)) == 1 and out != current
            ),
            current,
        )
        # A chain A -> B -> C must map A straight to C: the browser folds in one pass.
        if step in seen:
            return current
        seen.add(step)
        current = step


def fold_map(texts: Iterable[str]) -> dict[str, str]:
    """Traditional characters of ``texts``, and Traditional forms of their Simplified ones,
    each mapped to its single-character Simplified form."""
    return fold_map_of_chars(characters(texts))


def characters(texts: Iterable[str]) -> frozenset[str]:
    """The characters of ``texts`` as the browser sees them (NFKC-normalised, as it folds)."""
    chars: set[str] = set()
    for text in texts:
        chars.update(unicodedata.normalize("NFKC", text))
    return frozenset(chars)


def fold_map_of_chars(chars: Iterable[str]) -> dict[str, str]:
    """``fold_map`` of texts made of ``chars``."""
    chars = set(chars)
    candidates = set(chars)
    # Texts in Simplified only must still be found by a query typed in Traditional (厕 by 廁),
    # and Hong Kong texts (衞) by a Taiwan reader (衛).
    for char in chars:
        simple = _simplified(char)
        for profile in _TO_TRADITIONAL:
            out = _convert(simple, profile)
            if len(out) == 1:
                candidates.add(out)
    folds: dict[str, str] = {}
    for char in sorted(candidates):
        simple = _simplified(char)
        if simple != char:
            folds[char] = simple
    return folds
