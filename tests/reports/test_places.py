"""The report server's places: read in a process of their own, and the nearest one to a
report's position found by a grid that answers as a scan of every place would."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.geo.distance import haversine_m
from sitegen.reports.facilities import (
    Place,
    Places,
    load_places,
    load_places_apart,
    nearest_place,
)


def scan(places: list[Place], lat: float, lng: float, within_m: float) -> Place | None:
    best, best_distance = None, within_m
    for place in places:
        distance = haversine_m((lng, lat), (place.lng, place.lat))
        if distance <= best_distance:
            best, best_distance = place, distance
    return best


def scatter(rng: random.Random, lat: float, lng: float, count: int, spread: float) -> list[Place]:
    return [
        Place(
            f"p{i}",
            "toilet",
            lat + rng.uniform(-spread, spread),
            lng + rng.uniform(-spread, spread),
            None,
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("lat", "lng"),
    [(25.04, 121.54), (22.3, 114.17), (59.9, 10.75), (-33.9, 151.2), (0.0, 179.999), (69.6, 18.9)],
)
@pytest.mark.parametrize("within_m", [50.0, 300.0, 2500.0])
def test_the_grid_finds_what_a_scan_finds(lat: float, lng: float, within_m: float) -> None:
    rng = random.Random(f"{lat},{lng},{within_m}")
    places = scatter(rng, lat, lng, 600, 0.05)
    grid = Places({p.id: p for p in places})
    for _ in range(100):
        at_lat, at_lng = lat + rng.uniform(-0.06, 0.06), lng + rng.uniform(-0.06, 0.06)
        assert grid.nearest(at_lat, at_lng, within_m) == scan(places, at_lat, at_lng, within_m)


def test_a_place_on_a_cell_border_and_none_in_reach() -> None:
    border = Place("b", "toilet", 25.0, 121.0, None)  # exactly where four cells meet
    grid = Places({"b": border})
    assert grid.nearest(24.9999, 120.9999, 300.0) == border
    assert grid.nearest(25.01, 121.01, 300.0) is None  # about 1.5 km away
    assert nearest_place({"b": border}, 25.0001, 121.0001, 300.0) == border  # a plain mapping too
    assert len(grid) == 1 and grid["b"] == border and list(grid) == ["b"]


def test_places_read_in_another_process_are_those_read_here(site_dir: Path) -> None:
    apart = load_places_apart(site_dir)
    assert isinstance(apart, Places)
    assert dict(apart) == dict(load_places(site_dir)) and len(apart) == 1


def test_a_content_error_in_the_other_process_arrives_with_its_problems(
    site_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    card = next((broken / "content/facilities").rglob("*.yaml"))
    card.write_text(card.read_text("utf-8").replace("location:", "locaton:"), "utf-8")
    with pytest.raises(ContentError) as caught:
        load_places_apart(broken)
    assert caught.value.problems and all(card.name in str(p) for p in caught.value.problems)
