"""Results of the build's pure steps, kept between the builds of one process.

``sitegen serve`` keeps a ``Memo`` for as long as it runs: when one card changes, the other
29,999 are not validated, modelled, ordered or serialized again, because each step's result
is looked up by the digest of its inputs. Keys are made only of such digests (and ids), so a
hit is always right; a miss just does the work. ``sweep`` after a build drops what that
build did not use, so memory stays that of one build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._tables: dict[str, dict[Hashable, Any]] = {}
        self._used: dict[str, dict[Hashable, Any]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        """The result of ``make()`` for ``key``, made now or by an earlier build."""
        used = self._used.get(kind)
        if used is None:
            used = self._used[kind] = {}
        elif key in used:
            self.hits += 1
            return used[key]  # type: ignore[no-any-return]
        table = self._tables.get(kind)
        if table is not None and key in table:
            value = table[key]
            self.hits += 1
        else:
            value = make()
            self.misses += 1
        used[key] = value
        return value  # type: ignore[no-any-return]

    def sweep(self) -> None:
        """Keep what the last build used, for the next one; forget the rest."""
        self._tables, self._used = self._used, {}
        self.hits = self.misses = 0
