"""The build cache keeps values between processes; shared objects are kept by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cache.store import BuildCache


class Category:
    def __init__(self, name: str) -> None:
        self.name = name


def test_shared_objects_are_kept_by_name_and_read_as_the_objects_of_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEGEN_CACHE_DIR", str(tmp_path / "cache"))
    toilet = Category("toilet")
    cache = BuildCache(tmp_path / "project")
    cache.store_value(
        "cards", [{"category": toilet, "id": n} for n in range(3)], {"toilet": toilet}
    )
    cache.save()
    stored = next((tmp_path / "cache").rglob("*.pickle")).read_bytes()
    assert b"toilet" in stored and b"Category" not in stored  # the name, not a copy

    now = Category("toilet, as this process made it")
    cards = BuildCache(tmp_path / "project").value("cards", {"toilet": now})
    assert [card["id"] for card in cards] == [0, 1, 2]
    assert all(card["category"] is now for card in cards)
    # Without the object of that name, the entry is not used: the work is done again.
    assert BuildCache(tmp_path / "project").value("cards", {"park": now}) is None
