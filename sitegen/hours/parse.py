"""Reading an opening-hours value: OSM syntax, or a Chinese or English form rewritten to it."""

from __future__ import annotations

import re
from functools import lru_cache

from sitegen.hours.grammar import parse_rules
from sitegen.hours.normalise import ENGLISH_PROSE, to_osm
from sitegen.hours.opening import OpeningHours
from sitegen.hours.rules import HoursSyntaxError

# Text made only of what OSM values are made of: when it fails, it is mistyped OSM.
_OSM_ALPHABET = re.compile(r'[A-Za-z0-9\s:;,\-+/\[\]()"|.]*')


@lru_cache(maxsize=8192)
def parse_hours(text: str) -> OpeningHours:
    """Parse an opening-hours value; memoised because many facilities share the same text.

    OSM syntax is read as it is; otherwise the value is rewritten to OSM syntax from the
    Chinese and English forms of real registers (``normalise``). The error raised is that of
    the value as written, so that its column points into what the editor wrote.
    """
    stripped = text.strip()
    try:
        return OpeningHours(text, stripped, parse_rules(stripped))
    except HoursSyntaxError as error:
        if _OSM_ALPHABET.fullmatch(stripped) and not ENGLISH_PROSE.search(stripped):
            raise _shifted(error, text) from None  # mistyped OSM: say where
        osm = to_osm(stripped)
        if osm is None or osm == stripped:
            raise _shifted(error, text) from None
        return OpeningHours(text, osm, parse_rules(osm))


def _shifted(error: HoursSyntaxError, text: str) -> HoursSyntaxError:
    """The error with its column counted in ``text`` (before leading blanks were stripped)."""
    lead = len(text) - len(text.lstrip())
    return HoursSyntaxError(error.message, error.column + lead) if lead else error
