"""Citizens' ratings of places baked into the name cards (``sitegen build --ratings``).

The input is the report server's public ``places/ratings.json`` (counts and averages per
facility, never an entry), checked here field by field; the card shows a place's aggregate
without JavaScript and offline, and the page's script updates it when online. Pure: the
build reads the file or URL (sitegen/build/ratings.py) and hands over the parsed JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.errors import ConfigError

MAX_PROBLEMS = 20


@dataclass(frozen=True)
class PlaceRatings:
    """The aggregate of each rated facility, and a digest of them all (a build input)."""

    places: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    digest: str = ""

    def of(self, facility_id: str) -> Mapping[str, Any] | None:
        """A facility's aggregate: ratings, cleanliness {count, average}, information."""
        return self.places.get(facility_id)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_place(facility: str, value: Any) -> list[str]:
    where = f"places.{facility}"
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    problems = []
    if not _count(value.get("ratings")):
        problems.append(f"{where}.ratings: expected a whole number of at least 0")
    cleanliness, information = value.get("cleanliness"), value.get("information")
    if not isinstance(cleanliness, dict) or not _count(cleanliness.get("count")):
        problems.append(f"{where}.cleanliness.count: expected a whole number of at least 0")
    else:
        average = cleanliness.get("average")
        number = isinstance(average, int | float) and not isinstance(average, bool)
        if average is not None and not (number and 1 <= average <= 5):
            problems.append(f"{where}.cleanliness.average: expected a number from 1 to 5 or null")
    if not isinstance(information, dict) or not all(
        _count(information.get(k)) for k in ("right", "wrong")
    ):
        problems.append(f"{where}.information: expected whole numbers right and wrong")
    return problems


def parse_ratings(data: bytes, source: str) -> PlaceRatings:
    """The ratings of a ``places/ratings.json`` document, or a ConfigError naming every problem."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"--ratings {source}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"--ratings {source}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}"
        ) from None
    places = document.get("places") if isinstance(document, dict) else None
    if not isinstance(places, dict):
        raise ConfigError(
            f'--ratings {source}: expected {{"places": {{FACILITY_ID: …}}}} '
            "as the report server's places/ratings.json gives"
        )
    problems = [p for facility, v in sorted(places.items()) for p in _check_place(facility, v)]
    if problems:
        more = f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        raise ConfigError(f"--ratings {source}: " + "; ".join(problems[:MAX_PROBLEMS]) + more)
    kept = {
        facility: {
            "ratings": v["ratings"],
            "cleanliness": {
                "count": v["cleanliness"]["count"],
                "average": v["cleanliness"].get("average"),
            },
            "information": {"right": v["information"]["right"], "wrong": v["information"]["wrong"]},
        }
        for facility, v in sorted(places.items())
    }
    canonical = json.dumps(kept, sort_keys=True, separators=(",", ":")).encode()
    return PlaceRatings(kept, hashlib.blake2b(canonical, digest_size=16).hexdigest())
