"""The service worker's precache: which files a phone downloads for offline use, their
``{url, revision}`` entries (the revision is the SHA-256 of the bytes, so a new build
re-downloads only files that changed), the budget, and ``sw.js`` with its config injected.
See docs/offline.md for the caching strategy of each kind of request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import BuildError

log = logging.getLogger(__name__)

DEFAULT_BUDGET_MB = 10.0
MAX_PRECACHE_FILE = 2 * 2**20  # one larger file would stall the install on a phone
# Runtime tile cache: the least recently used tiles go first past either limit.
TILE_MAX_ENTRIES = 3000
TILE_MAX_BYTES = 60 * 2**20
TILE_PREFETCH_MAX_ZOOM = 17
TILE_PREFETCH_MAX_TILES = 600
SW_PLACEHOLDER = "/*SITEGEN_CONFIG*/null"

# Files of the theme folder that are published but never fetched by a browser.
_NOT_WEB = re.compile(r"(^|/)(LICENSE[^/]*|README[^/]*|package\.json)$")


def budget_bytes(budget_mb: float) -> int:
    """The precache budget (``offline.precache_budget_mb`` in site.yaml) in bytes."""
    return int(budget_mb * 1_000_000)


@dataclass
class PrecachePlan:
    """Which output files go into the precache: shared ones and each locale's own."""

    shared: set[str] = field(default_factory=set)
    by_locale: dict[str, set[str]] = field(default_factory=dict)

    def wants(self, rel: str) -> bool:
        return rel in self.shared or any(rel in paths for paths in self.by_locale.values())


def url_of(rel: str) -> str:
    """The URL (relative to the base path) a browser uses for an output file."""
    return rel.removesuffix("index.html")


@dataclass
class PrecacheResult:
    entries: dict[str, list[dict[str, str]]]  # "shared" and each locale -> [{url, revision}]
    sizes: dict[str, int]  # locale -> bytes the worker downloads for it (shared included)


def precache_manifest(plan: PrecachePlan, files: dict[str, bytes], budget: int) -> PrecacheResult:
    """The ``{url, revision}`` lists; raises BuildError past the budget."""
    entries: dict[str, list[dict[str, str]]] = {}
    sizes: dict[str, int] = {}
    shared_size = 0
    groups: list[tuple[str, Iterable[str]]] = [("shared", plan.shared)]
    groups += list(plan.by_locale.items())  # in the site's locale order
    for group, paths in groups:
        listed, total = [], 0
        for rel in sorted(paths):
            content = files.get(rel)
            if content is None:
                raise BuildError(f"precache: {rel} was planned but not rendered")
            if len(content) > MAX_PRECACHE_FILE:
                log.warning(
                    "precache: %s is %s, over the limit of %s for one file; left out, so it is "
                    "only available online (split it or publish less)",
                    rel,
                    _size(len(content)),
                    _size(MAX_PRECACHE_FILE),
                )
                continue
            listed.append(
                {"url": url_of(rel), "revision": hashlib.sha256(content).hexdigest()[:16]}
            )
            total += len(content)
        entries[group] = listed
        if group == "shared":
            shared_size = total
        else:
            sizes[group] = shared_size + total
    for locale, size in sizes.items():
        log.info("precache for %s: %.2f MB", locale, size / 1_000_000)
    over = [
        f"{locale} {size / 1_000_000:.2f} MB" for locale, size in sizes.items() if size > budget
    ]
    if over:
        raise BuildError(
            f"the offline precache is over its budget of {budget / 1_000_000:.2f} MB for "
            f"{', '.join(over)}: publish less data, or raise offline.precache_budget_mb "
            "in site.yaml"
        )
    return PrecacheResult(entries, sizes)


def service_worker(source: Path, config: dict[str, Any]) -> bytes:
    """The worker script with its config (precache manifest, tiles, …) injected."""
    text = source.read_text("utf-8")
    if SW_PLACEHOLDER not in text:
        raise BuildError(f"{source}: the worker source lacks the {SW_PLACEHOLDER} placeholder")
    payload = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # The build id names the cache generation: it changes exactly when anything cached does.
    return text.replace(SW_PLACEHOLDER, payload).encode("utf-8")


def build_id(config: dict[str, Any]) -> str:
    text = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def is_precached_asset(rel: str) -> bool:
    """Theme assets the app shell needs (not licences and package files of vendored libs)."""
    return rel.startswith("assets/") and not _NOT_WEB.search(rel)


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count / 1024:.1f} KiB"
