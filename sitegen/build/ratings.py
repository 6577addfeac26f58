"""Reading the place ratings a build bakes in (``sitegen build --ratings URL_OR_FILE``): a
file, or the report server's ``places/ratings.json`` fetched once, with a size and time limit.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from sitegen.errors import ConfigError
from sitegen.render.ratings import PlaceRatings, parse_ratings

MAX_BYTES = 32 * 1024 * 1024
TIMEOUT_S = 30


def read_ratings(source: str) -> PlaceRatings:
    """The ratings of a file or an http(s) URL, checked; a ConfigError says what went wrong."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=TIMEOUT_S) as response:
                data = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ConfigError(f"--ratings {source}: could not be fetched: {reason}") from None
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"--ratings {source}: cannot be read: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"--ratings {source}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return parse_ratings(data, source)
