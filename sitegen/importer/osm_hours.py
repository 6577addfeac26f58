"""Free-text opening hours (the Chinese and English forms of real exports) in OSM syntax.

Cards carry the OSM form so that every editor and tool reads them the same way; the
rewriting itself lives in ``sitegen.hours`` (``normalise``), which also reads these forms
on cards written by hand.
"""

from __future__ import annotations

from sitegen.hours.parse import parse_hours
from sitegen.hours.rules import HoursSyntaxError


def normalize_hours(text: str) -> str | None:
    """OSM opening_hours for a text, or None when it cannot be read unambiguously."""
    try:
        return parse_hours(text).osm
    except HoursSyntaxError:
        return None
