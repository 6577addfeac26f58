"""The build cache: a per-user store of work that depends only on its inputs: parsed YAML,
pinyin readings, and the lasting results of the memo (cache/memo.py) such as each
category's data files.

Parsing 30,000 name cards takes seconds; unpickling them a fraction of that. Entries are
keyed by what they were made from, so a stale entry is never used, only left out of the
next save. The cache lives in ``$SITEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/sitegen``,
else ``~/.cache/sitegen`` (one file per project folder), and never in the project itself:
loading a pickle can run code, and a repository someone else wrote must not be able to
bring one along. Set ``SITEGEN_CACHE_DIR`` to an empty value to switch the cache off.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.cache.keys import content_key
from sitegen.errors import Problem

log = logging.getLogger(__name__)

CACHE_VERSION = 1


def cache_dir() -> Path | None:
    given = os.environ.get("SITEGEN_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sitegen"


class BuildCache:
    """The cache of one project: a folder with one pickle per parsed file, and the pinyin.

    ``save`` writes the entries made by this run and removes those it did not use.
    """

    def __init__(self, project_dir: Path) -> None:
        root = cache_dir()
        project = str(project_dir.resolve())
        self.folder = root / content_key(project)[:24] if root else None
        self._used: set[str] = set()
        self._new: dict[str, Any] = {}
        self._shared: dict[str, Mapping[str, object]] = {}  # of new entries that have any
        # Entries in memory, for the next build of the same process (sitegen serve).
        self._memory: dict[str, Any] = {}
        self.pinyin: dict[str, str] = self._load("pinyin") or {}
        self._pinyin_count = len(self.pinyin)

    def _load(self, name: str, shared: Mapping[str, object] | None = None) -> Any:
        if self.folder is None:
            return None
        try:
            with (self.folder / f"{name}.pickle").open("rb") as f:
                data = _Unpickler(f, shared or {}).load()
            if isinstance(data, tuple) and data[0] == (CACHE_VERSION, __version__):
                return data[1]
        except FileNotFoundError:
            pass
        except Exception as exc:  # a damaged or foreign entry is only slower work
            log.debug("ignoring the cache entry %s/%s: %s", self.folder, name, exc)
        return None

    def _store(self, name: str, value: Any) -> None:
        assert self.folder is not None
        path = self.folder / f"{name}.pickle"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickler = _Pickler(f, self._shared.get(name, {}))
            pickler.dump(((CACHE_VERSION, __version__), value))
        os.replace(tmp, path)

    def parsed(self, key: str) -> tuple[Any, list[Problem]] | None:
        """A file's parsed data and the problems found parsing it, by ``content_key``."""
        found: tuple[Any, list[Problem]] | None = self.value(key)
        return found

    def store_parsed(self, key: str, data: Any, problems: list[Problem]) -> None:
        self.store_value(key, (data, problems))

    def value(self, key: str, shared: Mapping[str, object] | None = None) -> Any:
        """What was stored under ``key`` (a digest of everything it was made from), or None.

        ``shared`` names the objects the value refers to but that are not kept with it (a
        category its cards point to): the value was stored with the same names.
        """
        found = self._memory.get(key)
        if found is None:
            found = self._load(key, shared)
        if found is not None:
            self._used.add(key)
            self._memory[key] = found
        return found

    def has(self, key: str) -> bool:
        """Whether ``value(key)`` may find something (an entry that fails to load is none)."""
        if key in self._memory:
            return True
        return self.folder is not None and (self.folder / f"{key}.pickle").is_file()

    def store_value(self, key: str, value: Any, shared: Mapping[str, object] | None = None) -> None:
        self._used.add(key)
        self._new[key] = self._memory[key] = value
        if shared:
            self._shared[key] = shared

    def save(self, disk: bool = True) -> None:
        """After a build: keep in memory what it used; with ``disk``, write the new entries
        and the pinyin, and delete unused ones. A long-lived process writes when it is done,
        not after every edit."""
        if self._used:
            self._memory = {k: v for k, v in self._memory.items() if k in self._used}
            self._new = {k: v for k, v in self._new.items() if k in self._used}
            self._shared = {k: v for k, v in self._shared.items() if k in self._new}
            self._used.clear()
        if self.folder is None or not disk:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            for key, value in self._new.items():
                self._store(key, value)
            if len(self.pinyin) != self._pinyin_count:
                self._store("pinyin", self.pinyin)
                self._pinyin_count = len(self.pinyin)
            for path in self.folder.glob("*.pickle"):
                if path.stem not in self._memory and path.stem != "pinyin":
                    path.unlink(missing_ok=True)
        except OSError as exc:
            log.debug("could not save the build cache in %s: %s", self.folder, exc)
        self._new.clear()
        self._shared.clear()


class _Pickler(pickle.Pickler):
    """Writes the ``shared`` objects as their names, not as copies."""

    def __init__(self, file: io.BufferedWriter, shared: Mapping[str, object]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.names = {id(obj): name for name, obj in shared.items()}

    def reducer_override(self, obj: object) -> Any:
        # Asked of instances of classes only, not of every text and number (persistent_id
        # is): pickling a city's cards stays as quick as without shared objects.
        name = self.names.get(id(obj))
        return NotImplemented if name is None else (_shared_object, (name,))


def _shared_object(name: str) -> object:
    """Stands for a shared object in a pickle; ``_Unpickler`` reads it as the object."""
    raise pickle.UnpicklingError(f"the shared object {name!r} is read by the build cache only")


class _Unpickler(pickle.Unpickler):
    """Reads a name written by ``_Pickler`` as the object of that name now."""

    def __init__(self, file: io.BufferedReader, shared: Mapping[str, object]) -> None:
        super().__init__(file)
        self.shared = shared

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_shared_object":
            return self._named
        return super().find_class(module, name)

    def _named(self, name: str) -> object:
        if name not in self.shared:
            raise pickle.UnpicklingError(f"no shared object named {name!r}")
        return self.shared[name]
