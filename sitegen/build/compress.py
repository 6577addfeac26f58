"""The .gz and .br copies a CDN can serve of text files, made on every core.

Deterministic: gzip without a time stamp or file name, brotli at fixed settings, so the same
input gives the same bytes.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from sitegen.workers import default_jobs

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency, but .gz alone still helps
    brotli = None

# Text formats a CDN may serve precompressed; HTML pages are left to the CDN (there are
# tens of thousands of them and they are small).
PRECOMPRESS_SUFFIXES = (".js", ".mjs", ".css", ".json", ".geojson", ".svg", ".xml", ".txt")
PRECOMPRESS_MIN_BYTES = 1024
BROTLI_MAX_BYTES_AT_10 = 512 * 1024


def precompressed_names(rel: str, content: bytes) -> tuple[str, ...]:
    if not rel.endswith(PRECOMPRESS_SUFFIXES) or len(content) < PRECOMPRESS_MIN_BYTES:
        return ()
    return (rel + ".gz", rel + ".br") if brotli is not None else (rel + ".gz",)


def compress_all(items: Iterable[tuple[str, bytes]]) -> list[bytes]:
    """The compressed copies ``(name, content)`` ask for, made on every core (zlib and
    brotli let go of the interpreter lock while they work)."""
    items = list(items)
    if len(items) < 2:
        return [_compress(name, content) for name, content in items]
    with ThreadPoolExecutor(min(len(items), default_jobs())) as pool:
        return list(pool.map(lambda item: _compress(*item), items))


def _compress(name: str, content: bytes) -> bytes:
    if name.endswith(".br"):
        # Quality 10 is within 4% of 11 and three times faster (a 520 KB search file: 61.9 KB
        # in 0.27 s against 59.6 KB in 0.76 s); it goes to what the pages load: modules,
        # styles, points, search text. Files over half a megabyte are a large category's
        # bulk data (every attribute of every card, for offline use; the GeoJSON exports; the
        # sitemap): 9 with the largest standard window is about 12% larger there and ten times
        # faster (a 634 KB card file: 85 KB in 0.04 s against 75 KB in 0.4 s). For the 10,000
        # facilities of the benchmark city: 2.43 MB of .br in 2.7 s of CPU against 2.36 MB
        # in 6.3 s.
        if len(content) <= BROTLI_MAX_BYTES_AT_10 and not name.endswith(".geojson.br"):
            return bytes(brotli.compress(content, quality=10))
        return bytes(brotli.compress(content, quality=9, lgwin=24))
    # The .gz copy is for the few clients without brotli: level 6 is 3.5% larger than 9 and
    # four times faster (the benchmark city's 29 MB of text files: 0.47 s against 1.83 s).
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    return gzip.compress(content, compresslevel=6, mtime=0)
