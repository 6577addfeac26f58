"""Tests for sitegen.render.navlinks: deep links into map apps."""

from __future__ import annotations

import dataclasses
import math
from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen.render.navlinks import PROVIDERS, NavLink, nav_links

# A Chinese name with a space and an ampersand: the ampersand must not split the query.
NAME = "公共厕所 A&B"
# UTF-8 of 公 (U+516C), 共 (U+5171), 厕 (U+5395), 所 (U+6240), then " A&B", written out by hand.
NAME_Q = "%E5%85%AC%E5%85%B1%E5%8E%95%E6%89%80%20A%26B"
LNG, LAT = 116.397128, 39.916527


def links() -> dict[str, str]:
    return {link.provider: link.url for link in nav_links(LNG, LAT, NAME)}


def test_providers_in_order() -> None:
    result = nav_links(LNG, LAT, NAME)
    assert [link.provider for link in result] == ["amap", "baidu", "tencent", "apple", "google"]
    assert tuple(link.provider for link in result) == PROVIDERS
    assert all(isinstance(link, NavLink) for link in result)


def test_navlink_is_frozen() -> None:
    link = nav_links(LNG, LAT, NAME)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.url = "https://example.com/"  # type: ignore[misc]


def test_exact_urls() -> None:
    assert links() == {
        "amap": "https://uri.amap.com/marker?position=116.397128,39.916527"
        f"&name={NAME_Q}&coordinate=wgs84&callnative=1",
        "baidu": "https://api.map.baidu.com/marker?location=39.916527,116.397128"
        f"&title={NAME_Q}&content={NAME_Q}&output=html&coord_type=wgs84&src=sitegen",
        "tencent": "https://apis.map.qq.com/uri/v1/marker?marker=coord:39.916527,116.397128"
        f";title:{NAME_Q};addr:{NAME_Q}&coord_type=1&referer=sitegen",
        "apple": f"https://maps.apple.com/?ll=39.916527,116.397128&q={NAME_Q}",
        "google": "https://www.google.com/maps/search/?api=1&query=39.916527,116.397128",
    }


def query(url: str) -> dict[str, str]:
    """The query of a URL as a dict, failing if any parameter is repeated."""
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {key: values[0] for key, values in parsed.items()}


def floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def test_urls_parse_back_to_name_and_coordinates() -> None:
    urls = links()

    amap = query(urls["amap"])
    assert urlsplit(urls["amap"]).netloc == "uri.amap.com"
    assert floats(amap["position"]) == [LNG, LAT]  # Amap: lng first
    assert amap["name"] == NAME
    assert amap["coordinate"] == "wgs84"

    baidu = query(urls["baidu"])
    assert floats(baidu["location"]) == [LAT, LNG]
    assert baidu["title"] == NAME
    assert baidu["content"] == NAME
    assert baidu["coord_type"] == "wgs84"

    tencent = query(urls["tencent"])
    assert tencent["coord_type"] == "1"  # GPS, i.e. WGS-84
    fields = dict(part.split(":", 1) for part in tencent["marker"].split(";"))
    assert floats(fields["coord"]) == [LAT, LNG]
    assert fields["title"] == NAME
    assert fields["addr"] == NAME

    apple = query(urls["apple"])
    assert floats(apple["ll"]) == [LAT, LNG]
    assert apple["q"] == NAME

    google = query(urls["google"])
    assert google == {"api": "1", "query": f"{LAT},{LNG}"}


def test_tencent_marker_syntax_survives_hostile_name() -> None:
    name = "a;title:b:c/d?e=f#g"
    url = nav_links(LNG, LAT, name)[2].url
    assert "#" not in url
    # Before decoding, the only ";" are the two separators: the name added no fields.
    raw_marker = urlsplit(url).query.split("&")[0].removeprefix("marker=")
    assert raw_marker.count(";") == 2
    assert query(url)["marker"].endswith(f";addr:{name}")


@pytest.mark.parametrize(
    ("lng", "lat", "expected"),
    [
        (114.0, 22.5, "22.5,114"),  # no trailing zeros or dot
        (116.3971284999, 39.9, "39.9,116.397128"),  # rounded to 6 decimals
        (116.3971285001, 39.9, "39.9,116.397129"),
        (0.00001, 0.000001, "0.000001,0.00001"),  # never exponent notation
        (-0.0000001, 51.5, "51.5,0"),  # rounds to zero: no "-0"
        (-122.419416, -33.868820, "-33.86882,-122.419416"),
        (0.1 + 0.2, 10.0, "10,0.3"),  # no binary noise like 0.30000000000000004
    ],
)
def test_coordinate_formatting(lng: float, lat: float, expected: str) -> None:
    google = nav_links(lng, lat, "x")[4].url
    assert google == f"https://www.google.com/maps/search/?api=1&query={expected}"


def test_empty_name() -> None:
    assert nav_links(LNG, LAT, "")[3].url == "https://maps.apple.com/?ll=39.916527,116.397128&q="


@pytest.mark.parametrize(
    ("lng", "lat"),
    [(math.nan, 30.0), (116.0, math.inf), (181.0, 30.0), (116.0, -90.5)],
)
def test_rejects_invalid_coordinates(lng: float, lat: float) -> None:
    with pytest.raises(ValueError, match="not a WGS-84 position"):
        nav_links(lng, lat, "x")
