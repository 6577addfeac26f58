"""Characters XML 1.0 cannot carry: refused at input, shown escaped, never written out.

XML 1.0 allows tab, line feed, carriage return and everything from U+0020 up, except the
surrogates and U+FFFE/U+FFFF; no escape can put a form feed or a NUL into a document. Every
text the service takes in (citizens' forms, staff notes from the console, the machine API and
the command line) is refused when it holds one, with a message that names the field and the
character; whatever is already stored (data from before this check) is cleaned on output,
so ``requests.xml`` always parses.
"""

from __future__ import annotations

import re

# The complement of XML 1.0's Char production (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD,
# U+10000 and up).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a message may show of a name a client chose: visible characters only.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def forbidden_in(text: str) -> str | None:
    """The first character XML cannot carry in ``text``, or None."""
    found = FORBIDDEN.search(text)
    return found.group() if found else None


def control_problem(field: str, text: str) -> str | None:
    """``note contains the control character U+000C; remove it``, or None when clean."""
    found = forbidden_in(text)
    if found is None:
        return None
    return f"{shown(field)} contains the control character U+{ord(found):04X}; remove it"


def xml_safe(text: str) -> str:
    """``text`` with every character XML cannot carry replaced by U+FFFD."""
    return FORBIDDEN.sub(REPLACEMENT, text)


def shown(name: str, limit: int = 100) -> str:
    """A client's name (a form field, an attribute code) as a message may quote it.

    Control characters become ``\\u000c`` escapes, so they are never echoed raw into an
    answer, and a long name is cut.
    """
    if len(name) > limit:
        name = name[:limit] + "…"
    return _UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", name)
