"""Tests for sitegen.geo: GCJ-02/BD-09 transforms and the mainland-China test."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from sitegen.geo import china, distance
from sitegen.geo import crs as geo

LngLat = tuple[float, float]

# (name, (lng, lat)) in WGS-84.
MAINLAND = [
    ("Beijing", (116.40, 39.90)),
    ("Shanghai", (121.47, 31.23)),
    ("Guangzhou", (113.26, 23.13)),
    ("Chengdu", (104.07, 30.57)),
    ("Wuhan", (114.30, 30.59)),
    ("Shenzhen Futian", (114.0572, 22.5535)),
    ("Shenzhen Luohu", (114.12, 22.545)),
    ("Shenzhen Shekou", (113.92, 22.49)),
    ("Shenzhen Yantian", (114.27, 22.57)),
    ("Shenzhen Dameisha", (114.31, 22.59)),
    ("Shenzhen Nan'ao", (114.48, 22.55)),
    ("Zhuhai Gongbei", (113.575, 22.222)),
    ("Zhuhai Hengqin", (113.53, 22.13)),
    ("Zhuhai Wanzai", (113.52, 22.195)),
    ("Xiamen", (118.09, 24.48)),
    ("Xiamen Dadeng", (118.33, 24.56)),
    ("Fuzhou", (119.30, 26.08)),
    ("Pingtan", (119.79, 25.50)),
    ("Huangqi (Lianjiang)", (119.88, 26.33)),
    ("Putian", (119.00, 25.43)),
    ("Haikou", (110.33, 20.04)),
    ("Sanya", (109.51, 18.25)),
    ("Dalian", (121.61, 38.91)),
    ("Urumqi", (87.62, 43.83)),
    ("Kashgar", (75.99, 39.47)),
    ("Lhasa", (91.11, 29.65)),
    ("Kunming", (102.71, 25.04)),
    ("Nanning", (108.32, 22.82)),
    ("Harbin", (126.63, 45.75)),
    ("Heihe", (127.49, 50.245)),
    ("Mohe", (122.54, 52.97)),
    ("Manzhouli", (117.43, 49.60)),
    ("Hailar", (119.75, 49.21)),
    ("Erenhot", (111.98, 43.65)),
    ("Dandong", (124.36, 40.13)),
    ("Yanji", (129.51, 42.90)),
    ("Hunchun", (130.37, 42.87)),
    ("Suifenhe", (131.15, 44.40)),
    ("Yining", (81.32, 43.92)),
    ("Altay", (88.13, 47.85)),
    ("Tashkurgan", (75.23, 37.77)),
    ("Yadong", (88.90, 27.48)),
    ("Ruili", (97.85, 24.01)),
    ("Jinghong", (100.80, 22.00)),
    ("Pingxiang (Guangxi)", (106.75, 22.10)),
]

NOT_MAINLAND = [
    ("Hong Kong Central", (114.158, 22.282)),
    ("Tsim Sha Tsui", (114.172, 22.297)),
    ("Sha Tin", (114.19, 22.38)),
    ("Yuen Long", (114.03, 22.445)),
    ("Sheung Shui", (114.13, 22.50)),
    ("Hong Kong airport", (113.92, 22.31)),
    ("Tai O", (113.86, 22.25)),
    ("Tung Ping Chau", (114.43, 22.545)),
    ("Macau", (113.543, 22.187)),
    ("Taipa", (113.555, 22.157)),
    ("Coloane", (113.56, 22.12)),
    ("Taipei", (121.5654, 25.0330)),
    ("Kaohsiung", (120.30, 22.62)),
    ("Hualien", (121.60, 23.99)),
    ("Kinmen Jincheng", (118.32, 24.43)),
    ("Lieyu", (118.24, 24.43)),
    ("Matsu Nangan", (119.95, 26.16)),
    ("Penghu Magong", (119.58, 23.57)),
    ("Seoul", (126.98, 37.57)),
    ("Pyongyang", (125.75, 39.03)),
    ("Sinuiju", (124.40, 40.10)),
    ("Jeju", (126.53, 33.50)),
    ("Fukuoka", (130.40, 33.59)),
    ("Naha", (127.68, 26.21)),
    ("Yonaguni", (123.00, 24.45)),
    ("Ulaanbaatar", (106.92, 47.92)),
    ("Choibalsan", (114.50, 48.07)),
    ("Zamyn-Uud", (111.90, 43.72)),
    ("Vladivostok", (131.89, 43.12)),
    ("Khabarovsk", (135.07, 48.48)),
    ("Blagoveshchensk", (127.53, 50.27)),
    ("Almaty", (76.89, 43.24)),
    ("Bishkek", (74.60, 42.87)),
    ("Leh", (77.58, 34.16)),
    ("Kathmandu", (85.32, 27.70)),
    ("Thimphu", (89.64, 27.47)),
    ("Tawang", (91.86, 27.59)),
    ("Dhaka", (90.41, 23.81)),
    ("Myitkyina", (97.40, 25.38)),
    ("Hanoi", (105.85, 21.03)),
    ("Lang Son", (106.76, 21.85)),
    ("Luang Namtha", (101.40, 20.95)),
    ("Laoag", (120.60, 18.20)),
    ("Tokyo", (139.69, 35.69)),
    ("London", (-0.1276, 51.5072)),
    ("Sydney", (151.21, -33.87)),
]

TRANSFORMS: list[Callable[[float, float], LngLat]] = [
    geo.wgs84_to_gcj02,
    geo.gcj02_to_wgs84,
    geo.gcj02_to_bd09,
    geo.bd09_to_gcj02,
    geo.wgs84_to_bd09,
    geo.bd09_to_wgs84,
]


def mainland_grid(step: float = 1.0) -> list[LngLat]:
    """Grid points over China's bounding box that the module considers mainland."""
    points = []
    for i in range(int(62 / step) + 1):
        for j in range(int(36 / step) + 1):
            p = (73.5 + i * step, 18.0 + j * step)
            if china.in_mainland_china(*p):
                points.append(p)
    return points


@pytest.mark.parametrize(("name", "point"), MAINLAND, ids=[n for n, _ in MAINLAND])
def test_in_mainland_china(name: str, point: LngLat) -> None:
    assert china.in_mainland_china(*point)


@pytest.mark.parametrize(("name", "point"), NOT_MAINLAND, ids=[n for n, _ in NOT_MAINLAND])
def test_not_in_mainland_china(name: str, point: LngLat) -> None:
    assert not china.in_mainland_china(*point)


def test_not_in_mainland_for_non_finite() -> None:
    assert not china.in_mainland_china(math.nan, 30.0)
    assert not china.in_mainland_china(116.0, math.inf)


def test_wgs84_to_gcj02_published_beijing_pair() -> None:
    # Widely published pair for central Beijing.
    lng, lat = geo.wgs84_to_gcj02(116.397128, 39.916527)
    assert lng == pytest.approx(116.403373, abs=1e-5)
    assert lat == pytest.approx(39.917931, abs=1e-5)


@pytest.mark.parametrize(
    ("wgs", "gcj", "bd"),
    [
        # Derived from the formula; pinned so that a refactoring cannot change the results.
        ((121.4737, 31.2304), (121.478223, 31.228458), (121.484781, 31.234311)),
        ((113.2644, 23.1291), (113.269730, 23.126423), (113.276151, 23.132711)),
        ((104.0665, 30.5723), (104.069005, 30.569846), (104.075481, 30.575856)),
        ((87.6168, 43.8256), (87.619650, 43.826805), (87.626100, 43.832950)),
    ],
    ids=["Shanghai", "Guangzhou", "Chengdu", "Urumqi"],
)
def test_forward_reference_values(wgs: LngLat, gcj: LngLat, bd: LngLat) -> None:
    assert geo.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-6)
    assert geo.wgs84_to_bd09(*wgs) == pytest.approx(bd, abs=1e-6)
    assert geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(*wgs)) == pytest.approx(bd, abs=1e-6)


def test_gcj02_to_bd09_beijing() -> None:
    # BD-09 sits roughly (+0.0065, +0.006) degrees from GCJ-02, by construction.
    lng, lat = geo.gcj02_to_bd09(116.403373, 39.917931)
    assert lng == pytest.approx(116.409740, abs=1e-6)
    assert lat == pytest.approx(39.924270, abs=1e-6)


def test_gcj02_offset_is_a_few_hundred_metres() -> None:
    for p in mainland_grid(step=2.0):
        shift = distance.haversine_m(p, geo.wgs84_to_gcj02(*p))
        assert 50 < shift < 1000, p


def test_round_trips_across_mainland() -> None:
    points = mainland_grid(step=1.0)
    assert len(points) > 700  # the grid really covers the country
    worst_deg = 0.0
    for p in points:
        for there, back in [
            (geo.wgs84_to_gcj02, geo.gcj02_to_wgs84),
            (geo.wgs84_to_bd09, geo.bd09_to_wgs84),
        ]:
            q = back(*there(*p))
            assert distance.haversine_m(p, q) < 1.0, (p, there.__name__)
            worst_deg = max(worst_deg, abs(q[0] - p[0]), abs(q[1] - p[1]))
        g = geo.wgs84_to_gcj02(*p)
        g2 = geo.bd09_to_gcj02(*geo.gcj02_to_bd09(*g))
        assert distance.haversine_m(g, g2) < 1.0, p
        worst_deg = max(worst_deg, abs(g2[0] - g[0]), abs(g2[1] - g[1]))
    # The inverses are iterated; the usual one-step versions would be off by metres.
    assert worst_deg < 1e-7


def test_inverse_is_better_than_one_step_approximation() -> None:
    # Kashgar, in the far west, is where the one-step inverse is worst (several metres).
    wgs = (75.99, 39.47)
    gcj = geo.wgs84_to_gcj02(*wgs)
    assert distance.haversine_m(wgs, geo.gcj02_to_wgs84(*gcj)) < 0.001


def test_chained_transforms_agree() -> None:
    for p in mainland_grid(step=3.0):
        assert geo.wgs84_to_bd09(*p) == pytest.approx(
            geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(*p)), abs=1e-9
        )
        b = geo.wgs84_to_bd09(*p)
        assert geo.bd09_to_wgs84(*b) == pytest.approx(
            geo.gcj02_to_wgs84(*geo.bd09_to_gcj02(*b)), abs=1e-9
        )


@pytest.mark.parametrize(("name", "point"), NOT_MAINLAND, ids=[n for n, _ in NOT_MAINLAND])
def test_outside_mainland_is_never_shifted(name: str, point: LngLat) -> None:
    for transform in TRANSFORMS:
        assert transform(*point) == point, transform.__name__
    for crs in geo.CRS_NAMES:
        assert geo.to_wgs84(*point, crs) == point
        assert geo.from_wgs84(*point, crs) == point


@pytest.mark.parametrize(
    "box",
    [(113.83, 22.16, 114.49, 22.50), (113.53, 22.11, 113.60, 22.21), (120.0, 21.9, 122.0, 25.3)],
    ids=["Hong Kong", "Macau", "Taiwan"],
)
def test_dense_grid_outside_mainland_is_never_shifted(
    box: tuple[float, float, float, float],
) -> None:
    # Points near the edges matter most: an inverse transform must not pull them into
    # Shenzhen or Zhuhai and shift them, even though a mainland point could land there.
    n = 60
    checked = 0
    for i in range(n + 1):
        for j in range(n + 1):
            p = (box[0] + (box[2] - box[0]) * i / n, box[1] + (box[3] - box[1]) * j / n)
            if china.in_mainland_china(*p):
                continue  # e.g. Shekou next to Hong Kong, Hengqin next to Macau
            checked += 1
            for transform in TRANSFORMS:
                assert transform(*p) == p, (p, transform.__name__)
    assert checked > n * n / 3


def test_dispatchers() -> None:
    p = (116.397128, 39.916527)
    assert geo.from_wgs84(*p, "wgs84") == p
    assert geo.to_wgs84(*p, "wgs84") == p
    assert geo.from_wgs84(*p, "gcj02") == geo.wgs84_to_gcj02(*p)
    assert geo.from_wgs84(*p, "bd09") == geo.wgs84_to_bd09(*p)
    assert geo.to_wgs84(*p, "gcj02") == geo.gcj02_to_wgs84(*p)
    assert geo.to_wgs84(*p, "bd09") == geo.bd09_to_wgs84(*p)
    for crs in geo.CRS_NAMES:
        assert distance.haversine_m(p, geo.to_wgs84(*geo.from_wgs84(*p, crs), crs)) < 0.01


@pytest.mark.parametrize("crs", ["", "WGS84", "epsg:4326", "gcj-02", "bd09mc"])
def test_dispatchers_reject_unknown_crs(crs: str) -> None:
    with pytest.raises(ValueError, match="unknown coordinate system"):
        geo.to_wgs84(116.0, 39.0, crs)
    with pytest.raises(ValueError, match="unknown coordinate system"):
        geo.from_wgs84(116.0, 39.0, crs)


def test_haversine() -> None:
    assert distance.haversine_m((116.4, 39.9), (116.4, 39.9)) == 0.0
    # One degree along a meridian on the mean-radius sphere: pi/180 * 6371008.8 m.
    assert distance.haversine_m((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111195.08, abs=0.01)
    # Beijing to Shanghai, about 1067 km.
    a, b = (116.4074, 39.9042), (121.4737, 31.2304)
    assert distance.haversine_m(a, b) == pytest.approx(1_067_300, rel=1e-3)
    assert distance.haversine_m(a, b) == distance.haversine_m(b, a)
    # Antipodes: half the circumference, with no domain error from rounding.
    assert distance.haversine_m((0.0, 0.0), (180.0, 0.0)) == pytest.approx(math.pi * 6371008.8)
