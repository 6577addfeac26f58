"""Where mainland China is: the region in which Chinese maps shift positions (GCJ-02, BD-09)."""

from __future__ import annotations

from typing import Final

LngLat = tuple[float, float]


# --- Mainland China test -------------------------------------------------------------------
#
# A coarse outline of mainland China's de facto boundary, (lng, lat) vertices, with Hong Kong,
# Macau and Taiwan's islands cut out below. Approximations, chosen knowingly:
# * Land borders are followed only roughly; in empty mountains/steppe errors reach tens of km.
#   Near twin border towns the line was nudged between the larger places (Dandong/Sinuiju,
#   Heihe/Blagoveshchensk, Erenhot/Zamyn-Uud, Pingxiang/Lang Son), but a town lying within a
#   few km of a border (e.g. Zabaykalsk, Muse, Lao Cai) may be classified wrongly. The cost of
#   a wrong answer is one GCJ-02 offset, i.e. a few hundred metres.
# * Disputed land follows actual administration, since that is where Chinese map providers
#   apply the offset: Aksai Chin and the Shaksgam tract are in, Arunachal Pradesh and Ladakh
#   are out. This is a practical choice for map display, not a statement about sovereignty.
# * At sea the outline runs roughly along median lines (Korea, Japan's Ryukyu and Vietnam stay
#   out); the Paracels are in; the Spratlys, Scarborough Shoal and the Senkaku/Diaoyu islets
#   are left out for simplicity.
_MAINLAND_OUTLINE: Final[tuple[LngLat, ...]] = (
    # North Korea: Yalu and Tumen rivers, from the Yalu mouth upstream, then down the Tumen.
    (124.10, 39.80),
    (124.30, 40.02),
    (124.39, 40.11),
    (124.55, 40.22),
    (125.00, 40.45),
    (125.70, 40.90),
    (126.20, 41.08),
    (126.90, 41.75),
    (127.50, 41.45),
    (128.15, 41.40),
    (128.10, 42.00),
    (128.90, 42.10),
    (129.30, 42.30),
    (129.75, 42.60),
    (129.90, 42.93),
    (130.25, 42.75),
    (130.64, 42.42),
    # Russia: Primorye, Lake Khanka, the Ussuri, the Amur and the Argun.
    (131.00, 42.90),
    (131.30, 43.50),
    (131.30, 44.40),
    (131.85, 45.25),
    (132.95, 45.05),
    (133.15, 45.90),
    (134.00, 46.75),
    (134.15, 47.70),
    (134.75, 48.40),
    (133.50, 48.15),
    (132.50, 47.75),
    (130.95, 47.70),
    (130.60, 48.90),
    (129.40, 49.45),
    (127.65, 50.10),
    (127.35, 50.45),
    (126.95, 51.30),
    (126.45, 52.20),
    (125.60, 53.10),
    (123.60, 53.60),
    (122.35, 53.57),
    (121.30, 53.35),
    (120.70, 52.55),
    (120.00, 51.30),
    (119.20, 50.30),
    (117.85, 49.55),
    (116.70, 49.85),
    # Mongolia: around its eastern bulge, then west along the Gobi to the Altai.
    (115.55, 48.15),
    (117.80, 47.90),
    (118.80, 47.80),
    (119.70, 47.20),
    (119.90, 46.70),
    (118.80, 46.70),
    (117.40, 46.55),
    (116.50, 46.30),
    (115.60, 45.45),
    (113.60, 44.75),
    (111.95, 43.68),
    (110.50, 42.90),
    (107.00, 42.30),
    (105.00, 41.58),
    (101.00, 42.60),
    (96.40, 42.75),
    (95.40, 44.30),
    (93.50, 44.95),
    (91.00, 45.30),
    (90.70, 46.00),
    (91.00, 46.60),
    (90.00, 47.90),
    (88.60, 48.30),
    (87.80, 49.15),
    # Russia (Altai) and Kazakhstan.
    (87.30, 49.10),
    (86.60, 48.55),
    (85.65, 48.30),
    (85.50, 47.05),
    (83.10, 47.20),
    (82.80, 46.70),
    (82.60, 46.20),
    (82.55, 45.22),
    (80.80, 45.10),
    (80.35, 44.20),
    (80.20, 42.20),
    # Kyrgyzstan and Tajikistan.
    (78.50, 41.50),
    (77.00, 41.00),
    (76.50, 40.40),
    (75.40, 40.55),
    (74.50, 40.10),
    (73.95, 39.70),
    (73.60, 39.45),
    (74.90, 38.40),
    (74.90, 37.25),
    # Pakistan and India: Karakoram, then the Line of Actual Control.
    (75.42, 36.85),
    (76.51, 35.88),
    (77.82, 35.50),
    (78.20, 34.60),
    (78.70, 33.60),
    (79.40, 32.60),
    (78.80, 32.40),
    (78.75, 31.80),
    (79.10, 31.40),
    (79.90, 30.95),
    (80.90, 30.22),
    # Nepal.
    (81.30, 30.15),
    (81.60, 30.40),
    (82.20, 30.10),
    (83.50, 29.20),
    (83.90, 29.32),
    (84.20, 29.20),
    (85.10, 28.55),
    (85.35, 28.30),
    (86.00, 27.98),
    (86.93, 27.99),
    (88.10, 27.88),
    # Sikkim, the Chumbi valley, Bhutan and the McMahon Line.
    (88.60, 28.12),
    (88.85, 27.90),
    (88.83, 27.40),
    (88.95, 27.25),
    (89.05, 27.30),
    (89.27, 27.83),
    (89.60, 28.20),
    (90.40, 28.25),
    (91.00, 28.05),
    (91.65, 27.77),
    (92.30, 27.85),
    (93.80, 28.70),
    (94.60, 29.20),
    (95.35, 29.10),
    (96.20, 29.20),
    (96.60, 28.80),
    (97.10, 28.40),
    (97.35, 28.22),
    # Myanmar and Laos.
    (98.00, 27.55),
    (98.55, 26.10),
    (98.00, 25.30),
    (97.55, 24.75),
    (97.60, 24.10),
    (97.90, 23.95),
    (98.70, 23.90),
    (98.90, 23.20),
    (99.15, 22.95),
    (99.35, 22.50),
    (99.50, 22.15),
    (100.20, 21.50),
    (101.15, 21.15),
    (101.75, 21.15),
    (101.75, 21.80),
    (102.15, 22.40),
    # Vietnam, down to the Beilun river mouth.
    (103.30, 22.62),
    (103.95, 22.50),
    (104.40, 22.80),
    (105.35, 23.30),
    (106.00, 22.95),
    (106.70, 22.85),
    (106.70, 22.00),
    (107.35, 21.60),
    (107.95, 21.535),
    (108.20, 21.45),
    # At sea: Gulf of Tonkin, the Paracels, east of Taiwan, the East China and Yellow Seas.
    (107.90, 20.30),
    (108.40, 17.50),
    (110.50, 15.60),
    (113.00, 15.60),
    (113.00, 17.50),
    (116.00, 20.00),
    (118.00, 21.50),
    (120.50, 21.50),
    (122.30, 23.00),
    (122.30, 25.50),
    (123.50, 28.00),
    (123.50, 31.00),
    (124.20, 33.00),
    (124.00, 35.50),
    (124.30, 37.50),
)

# Hong Kong, simplified. A plain box would swallow Shenzhen, whose centre lies only ~3 km north
# of the Shenzhen River, so the northern edge follows Deep Bay, the river and Mirs Bay.
_HONG_KONG: Final[tuple[LngLat, ...]] = (
    (113.82, 22.15),
    (113.82, 22.37),  # Pearl River estuary, west of Lantau
    (113.90, 22.44),  # south of Shekou (Shenzhen)
    (113.96, 22.47),  # Deep Bay
    (114.02, 22.505),  # Shenzhen River mouth
    (114.065, 22.513),  # Lok Ma Chau / Futian port
    (114.115, 22.530),  # Lo Wu / Luohu
    (114.14, 22.545),
    (114.16, 22.555),  # Heung Yuen Wai / Liantang
    (114.225, 22.545),  # Sha Tau Kok
    (114.32, 22.56),  # Mirs Bay, south of Yantian and Meisha
    (114.40, 22.50),
    (114.42, 22.45),  # west of the Dapeng peninsula (Shenzhen)
    (114.50, 22.35),
    (114.50, 22.15),
)

# Macau: peninsula, Taipa, Cotai and Coloane. Kept east of Hengqin and south of Gongbei, both
# of which are Zhuhai (mainland) a few hundred metres away.
_MACAU: Final[tuple[LngLat, ...]] = (
    (113.528, 22.217),
    (113.560, 22.217),  # Portas do Cerco; Gongbei lies north of this
    (113.585, 22.212),
    (113.600, 22.150),  # airport
    (113.600, 22.105),
    (113.550, 22.105),
    (113.552, 22.145),  # Lotus Bridge channel; Hengqin lies west of this
    (113.540, 22.180),
    (113.528, 22.185),
)

# Kinmen (Quemoy) sits in Xiamen's harbour: its polygon keeps Xiamen island (west) and
# Dadeng island (north) outside.
_KINMEN: Final[tuple[LngLat, ...]] = (
    (118.205, 24.39),
    (118.205, 24.47),
    (118.30, 24.50),
    (118.42, 24.54),
    (118.52, 24.50),
    (118.52, 24.38),
    (118.35, 24.36),
)

# Other Taiwan-administered land, as (min_lng, min_lat, max_lng, max_lat) boxes. Taiwan island
# and Penghu get separate boxes: one box over both would cover the Putian coast of Fujian.
_Box = tuple[float, float, float, float]
_NOT_MAINLAND_BOXES: Final[tuple[_Box, ...]] = (
    (120.00, 21.85, 122.10, 25.35),  # Taiwan island, Green Island, Orchid Island
    (119.30, 23.10, 119.75, 23.85),  # Penghu
    (119.90, 26.13, 120.05, 26.27),  # Matsu: Nangan and Beigan (not Huangqi, Fujian)
    (119.92, 25.94, 120.00, 26.00),  # Matsu: Juguang
    (120.46, 26.34, 120.53, 26.40),  # Matsu: Dongyin
    (116.65, 20.65, 116.80, 20.75),  # Pratas (Dongsha)
    (114.42, 22.53, 114.445, 22.555),  # Tung Ping Chau, Hong Kong's outlier in Mirs Bay
)


def _bounds(polygon: tuple[LngLat, ...]) -> _Box:
    lngs = [p[0] for p in polygon]
    lats = [p[1] for p in polygon]
    return (min(lngs), min(lats), max(lngs), max(lats))


def _in_box(lng: float, lat: float, box: _Box) -> bool:
    return box[0] <= lng <= box[2] and box[1] <= lat <= box[3]


def _in_polygon(lng: float, lat: float, polygon: tuple[LngLat, ...]) -> bool:
    # Even-odd ray casting towards +lng: count edges that straddle the point's latitude and
    # cross it east of the point. The half-open test on latitude counts shared vertices once.
    inside = False
    x0, y0 = polygon[-1]
    for x1, y1 in polygon:
        if (y1 > lat) != (y0 > lat) and lng < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
        x0, y0 = x1, y1
    return inside


_OUTLINE_BOUNDS: Final = _bounds(_MAINLAND_OUTLINE)
_EXCLUDED_POLYGONS: Final = tuple(
    (_bounds(polygon), polygon) for polygon in (_HONG_KONG, _MACAU, _KINMEN)
)


def in_mainland_china(lng: float, lat: float) -> bool:
    """Whether a WGS-84 point is in mainland China, where GCJ-02/BD-09 offsets apply.

    Coarse by design (borders are approximate); Hong Kong, Macau and Taiwan are excluded.
    """
    # The bounding box check first: it answers most of the world, and NaN, in four comparisons.
    if not _in_box(lng, lat, _OUTLINE_BOUNDS):
        return False
    if any(_in_box(lng, lat, box) for box in _NOT_MAINLAND_BOXES):
        return False
    for bounds, polygon in _EXCLUDED_POLYGONS:
        if _in_box(lng, lat, bounds) and _in_polygon(lng, lat, polygon):
            return False
    return _in_polygon(lng, lat, _MAINLAND_OUTLINE)
