"""Results of the build's pure steps, kept between the builds of one process.

``sitegen serve`` keeps a ``Memo`` for as long as it runs: when one card changes, the other
29,999 are not validated, modelled, ordered or serialized again, because each step's result
is looked up by the digest of its inputs. Keys are made only of such digests (and ids), so a
hit is always right; a miss just does the work. ``sweep`` after a build drops what that
build did not use, so memory stays that of one build.

A few kinds are *lasting*: results that are costly, made of plain data and keyed by digests
only (a category's data files, its GeoJSON, its pages' fingerprints). With ``disk`` set,
they are also kept in the build cache (sitegen/cache/store.py) under ``namespace`` (the digest of
the code, theme and configuration), so that a new ``sitegen build`` process after a one-card
edit makes again only those of the category that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from sitegen.cache.keys import content_key

if TYPE_CHECKING:
    from sitegen.cache.store import BuildCache

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._tables: dict[str, dict[Hashable, Any]] = {}
        self._used: dict[str, dict[Hashable, Any]] = {}
        self.hits = 0
        self.misses = 0
        self.disk: BuildCache | None = None
        self.namespace = ""

    def get(
        self,
        kind: str,
        key: Hashable,
        make: Callable[[], T],
        *,
        lasting: bool = False,
        shared: Mapping[str, object] | None = None,
    ) -> T:
        """The result of ``make()`` for ``key``, made now or by an earlier build.

        A ``lasting`` result is looked for in (and put into) the build cache too; its key
        must be made of strings, numbers and tuples of them, whose ``repr`` is stable, and
        the key must also name everything in ``shared``: the objects the result points to
        that are kept by name, not copied (cache/store.py).
        """
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
        elif lasting and self.disk is not None:
            value = self._lasting(self.disk, kind, key, make, shared)
        else:
            value = make()
            self.misses += 1
        used[key] = value
        return value  # type: ignore[no-any-return]

    def known(self, kind: str, key: Hashable, *, lasting: bool = False) -> bool:
        """Whether ``get`` would find a result for ``key`` without making it."""
        if key in self._used.get(kind, {}) or key in self._tables.get(kind, {}):
            return True
        if not lasting or self.disk is None:
            return False
        return self.disk.has(content_key("memo", self.namespace, kind, repr(key)))

    def _lasting(
        self,
        disk: BuildCache,
        kind: str,
        key: Hashable,
        make: Callable[[], T],
        shared: Mapping[str, object] | None,
    ) -> T:
        stored_as = content_key("memo", self.namespace, kind, repr(key))
        value = disk.value(stored_as, shared)
        if value is not None:
            self.hits += 1
            return value  # type: ignore[no-any-return]
        value = make()
        self.misses += 1
        disk.store_value(stored_as, value, shared)
        return value

    def sweep(self) -> None:
        """Keep what the last build used, for the next one; forget the rest."""
        self._tables, self._used = self._used, {}
        self.hits = self.misses = 0
