"""Languages: resolving localized text, Chinese script conversion with OpenCC, URL slugs.

zh-Hans or zh-Hant is the source language of a site. The other Chinese script is derived
with OpenCC unless an editor wrote it; English falls back to the source text, and the
fallback is remembered so that pages can mark it visibly (and with the right ``lang``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import opencc

CHINESE = ("zh-Hans", "zh-Hant")
LOCALE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}  # autonyms
LOCALE_SHORT = {"zh-Hans": "简", "zh-Hant": "繁", "en": "EN"}  # for a compact language switch
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# OpenCC profiles per (from, to, variant). "hk"/"tw" pick the Traditional variant: Hong Kong
# and Taiwan differ in characters (衞/衛, 着/著). Characters and variant forms only, never
# OpenCC's regional phrase tables (s2twp, tw2sp): those swap IT vocabulary (行程 -> 进程,
# 資訊 -> 信息, 軟體 -> 软件) into place names, itineraries and signs. A site adds the phrases
# it does want in its own table (``conversion.phrases`` in site.yaml).
_PROFILES = {
    ("zh-Hans", "zh-Hant", "hk"): "s2hk",
    ("zh-Hans", "zh-Hant", "tw"): "s2tw",
    ("zh-Hant", "zh-Hans", "hk"): "hk2s",
    ("zh-Hant", "zh-Hans", "tw"): "tw2s",
}

# A site's phrase table: target script -> {phrase in the source script: phrase in the target}.
Phrases = Mapping[str, Mapping[str, str]]
_NO_PHRASES: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=8)
def _converter(profile: str) -> opencc.OpenCC:
    return opencc.OpenCC(profile)


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    # Longest first, so that a phrase wins over a shorter one it contains.
    keys = sorted((k for k, _ in phrases), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


@lru_cache(maxsize=200_000)
def convert_script(
    text: str,
    source: str,
    target: str,
    variant: str = "hk",
    phrases: tuple[tuple[str, str], ...] = _NO_PHRASES,
) -> str:
    """Convert Chinese text between scripts (memoised: addresses and names repeat).

    ``phrases`` are the site's own ``(source phrase, target phrase)`` pairs: each is written
    as given and the text between them is converted by OpenCC.
    """
    if source == target:
        return text
    convert = _converter(_PROFILES[(source, target, variant)]).convert
    if not phrases:
        return str(convert(text))
    table = dict(phrases)
    out: list[str] = []
    at = 0
    for match in _phrase_pattern(phrases).finditer(text):
        out += [
            str(convert(text[at : match.start()])) if match.start() > at else "",
            table[match.group()],
        ]
        at = match.end()
    out.append(str(convert(text[at:])) if at < len(text) else "")
    return "".join(out)


def phrase_pairs(phrases: Phrases | None, target: str) -> tuple[tuple[str, str], ...]:
    """The site's phrase table for one target script, as ``convert_script`` takes it."""
    return tuple(sorted((phrases or {}).get(target, {}).items()))


@lru_cache(maxsize=64)
def slug(locale: str) -> str:
    """The URL segment of a locale: ``zh-Hant`` is served under ``/zh-hant/``."""
    return locale.lower()


@dataclass(frozen=True, slots=True)
class LText:
    """Text resolved for every locale of the site.

    ``values`` maps each locale to its text; ``fallback`` maps the locales whose text is a
    stand-in to the locale that text is really written in.
    """

    values: Mapping[str, str]
    fallback: Mapping[str, str]

    def __getitem__(self, locale: str) -> str:
        return self.values[locale]

    def lang(self, locale: str) -> str:
        """The language the text shown for ``locale`` is actually in."""
        return self.fallback.get(locale, locale)

    def is_fallback(self, locale: str) -> bool:
        return locale in self.fallback

    def __reduce__(self) -> tuple[type[LText], tuple[Mapping[str, str], Mapping[str, str]]]:
        # As a call of the class: a kept model of 30,000 cards (cache/store.py) loads faster
        # than through the field-by-field state of a slotted dataclass.
        return LText, (self.values, self.fallback)


class Localizer:
    """Resolves editor-written text (``{"": text}`` or ``{locale: text}``) into ``LText``."""

    def __init__(
        self, locales: Iterable[str], source: str, variant: str, phrases: Phrases | None = None
    ) -> None:
        self.locales = tuple(locales)
        self.source = source
        self.variant = variant
        self.phrases = {target: phrase_pairs(phrases, target) for target in CHINESE}

    def convert(self, text: str, source: str, target: str) -> str:
        """``text`` from one Chinese script into the other, with the site's phrase table."""
        return convert_script(text, source, target, self.variant, self.phrases[target])

    def resolve(self, given: Mapping[str, str]) -> LText:
        """Fill in every locale; ``""`` in ``given`` stands for the source locale."""
        written = {(self.source if k == "" else k): v for k, v in given.items()}
        values: dict[str, str] = {}
        fallback: dict[str, str] = {}
        for locale in self.locales:
            if locale in written:
                values[locale] = written[locale]
                continue
            chinese = next(
                (c for c in (self.source, *CHINESE) if c in written and c in CHINESE), None
            )
            if locale in CHINESE and chinese is not None:
                values[locale] = self.convert(written[chinese], chinese, locale)
            else:
                origin = self.source if self.source in written else next(iter(written))
                values[locale] = written[origin]
                fallback[locale] = origin
        return LText(values, fallback)

    def same(self, text: str) -> LText:
        """Text that is the same in every locale (codes, phone numbers)."""
        return LText(dict.fromkeys(self.locales, text), {})

    def text(self, text: str) -> LText:
        """A ``text`` field's value: one text, shown in the page's script where it is Chinese.

        Text without Han characters (codes, numbers, Latin names) is the same everywhere;
        Chinese text is converted like a source-language name and marked on other pages.
        """
        return self.resolve({"": text}) if HAN.search(text) else self.same(text)
