"""Languages: resolving localized text, Chinese script conversion with OpenCC, URL slugs.

zh-Hans or zh-Hant is the source language of a site. The other Chinese script is derived
with OpenCC unless an editor wrote it; English falls back to the source text, and the
fallback is remembered so that pages can mark it visibly (and with the right ``lang``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import opencc

CHINESE = ("zh-Hans", "zh-Hant")
LOCALE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}  # autonyms

# OpenCC profiles per (from, to, variant). "hk"/"tw" pick the Traditional variant:
# Hong Kong and Taiwan differ in characters (e.g. 衞/衛) and, for Taiwan, in phrases.
_PROFILES = {
    ("zh-Hans", "zh-Hant", "hk"): "s2hk",
    ("zh-Hans", "zh-Hant", "tw"): "s2twp",
    ("zh-Hant", "zh-Hans", "hk"): "hk2s",
    ("zh-Hant", "zh-Hans", "tw"): "tw2sp",
}


@lru_cache(maxsize=8)
def _converter(profile: str) -> opencc.OpenCC:
    return opencc.OpenCC(profile)


@lru_cache(maxsize=200_000)
def convert_script(text: str, source: str, target: str, variant: str = "hk") -> str:
    """Convert Chinese text between scripts (memoised: addresses and names repeat)."""
    if source == target:
        return text
    return str(_converter(_PROFILES[(source, target, variant)]).convert(text))


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


class Localizer:
    """Resolves editor-written text (``{"": text}`` or ``{locale: text}``) into ``LText``."""

    def __init__(self, locales: Iterable[str], source: str, variant: str) -> None:
        self.locales = tuple(locales)
        self.source = source
        self.variant = variant

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
                values[locale] = convert_script(written[chinese], chinese, locale, self.variant)
            else:
                origin = self.source if self.source in written else next(iter(written))
                values[locale] = written[origin]
                fallback[locale] = origin
        return LText(values, fallback)

    def same(self, text: str) -> LText:
        """Text that is the same in every locale (codes, phone numbers)."""
        return LText(dict.fromkeys(self.locales, text), {})
