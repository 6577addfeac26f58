"""JSON as the site publishes it: compact, key-sorted, deterministic."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup


def json_dumps(value: Any) -> str:
    """Compact, key-sorted JSON: deterministic and small."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compact_json(value: Any) -> bytes:
    """``json_dumps`` as UTF-8 bytes, for data files."""
    return json_dumps(value).encode()


def json_script(value: Any) -> Markup:
    """JSON safe to place inside a ``<script type="application/ld+json">`` element."""
    text = json_dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
