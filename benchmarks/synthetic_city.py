"""Write a synthetic city of ~30,000 facilities (the scale of Shenzhen's open data).

``python benchmarks/synthetic_city.py OUT_DIR [--facilities 30000]`` writes a sitegen
project: site.yaml, six categories, bulk name-card files and two guides. The content is
random but deterministic (fixed seed) and shaped like real data: Chinese names built from
real road and district names, several opening-hours patterns, yes/no attributes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

DISTRICTS = [
    "福田区",
    "罗湖区",
    "南山区",
    "宝安区",
    "龙岗区",
    "龙华区",
    "盐田区",
    "坪山区",
    "光明区",
]
ROADS = [
    "深南大道",
    "滨河大道",
    "北环大道",
    "红荔路",
    "福华路",
    "益田路",
    "彩田路",
    "新洲路",
    "香蜜湖路",
    "侨香路",
    "华强北路",
    "东门路",
    "人民南路",
    "建设路",
    "南海大道",
    "科技园路",
    "前海路",
    "宝安大道",
    "龙岗大道",
    "布吉路",
    "梅林路",
    "皇岗路",
    "沙河西路",
    "留仙大道",
]
PLACES = ["公园", "地铁站", "市场", "广场", "社区中心", "图书馆", "体育馆", "医院", "小学", "花园"]
HOURS = [
    "24/7",
    "Mo-Su 06:00-23:00",
    "Mo-Su 07:00-22:00",
    "Mo-Fr 09:00-17:00; PH off",
    "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
    "Mo-Sa 08:00-18:00",
    "Tu-Su 09:00-21:00",
    "Mo-Su 18:00-02:00",
    "全天",
    "06:00~23:00",
]
# (id, name, English name, count, fields written on each card)
CATEGORIES = [
    ("toilet", "公厕", "Public toilet", 8503, ["opening_hours", "wheelchair", "changing_table"]),
    ("waste_sorting", "垃圾分类投放点", "Waste sorting point", 15591, ["opening_hours"]),
    ("gas", "瓶装燃气供应点", "Bottled gas service point", 653, ["opening_hours", "phone"]),
    (
        "service_station",
        "城市服务驿站",
        "City service station",
        2253,
        ["opening_hours", "wheelchair"],
    ),
    ("baby_room", "母婴室", "Mother and baby room", 1800, ["opening_hours", "changing_table"]),
    ("bulky_waste", "大件垃圾投放点", "Bulky waste drop-off", 1200, ["opening_hours"]),
]

SITE_YAML = """\
title: {zh-Hans: 深圳便民设施地图（合成数据）, en: Shenzhen facilities (synthetic)}
locales: [zh-Hans, zh-Hant, en]
source_locale: zh-Hans
base_url: https://map.example.org/
timezone: Asia/Shanghai
holidays: CN
map:
  center: [114.0579, 22.5431]
  zoom: 12
  bounds: [[113.75, 22.40], [114.65, 22.87]]
tiles:
  - id: osm
    name: OpenStreetMap
    url: https://tile.openstreetmap.org/{z}/{x}/{y}.png
    attribution: © OpenStreetMap contributors
    max_zoom: 19
report:
  endpoint: https://reports.map.example.org/open311/v2/
"""

FIELD_DECLARATIONS = {
    "opening_hours": "{type: hours, label: {zh-Hans: 开放时间, en: Opening hours}}",
    "wheelchair": "{type: bool, filter: true, label: {zh-Hans: 无障碍, en: Accessible}}",
    "changing_table": "{type: bool, filter: true, label: {zh-Hans: 母婴设施, en: Baby changing}}",
    "phone": "{type: phone, label: {zh-Hans: 电话, en: Phone}}",
}


def card(rng: random.Random, category: str, label: str, index: int, fields: list[str]) -> str:
    district, road, place = rng.choice(DISTRICTS), rng.choice(ROADS), rng.choice(PLACES)
    lng = round(rng.uniform(113.80, 114.60), 6)
    lat = round(rng.uniform(22.45, 22.82), 6)
    lines = [
        f"- id: {category}-{index:05d}",
        f"  category: {category}",
        f"  name: {road}{place}{label}{index % 97 + 1}号",
        f"  address: {district}{road}{rng.randint(1, 9999)}号",
        f"  location: [{lng}, {lat}]",
    ]
    for name in fields:
        if name == "opening_hours":
            lines.append(f'  opening_hours: "{rng.choice(HOURS)}"')
        elif name == "phone":
            lines.append(f'  phone: "0755-{rng.randint(20000000, 89999999)}"')
        elif rng.random() < 0.4:
            lines.append(f"  {name}: true")
    return "\n".join(lines)


def write_city(out: Path, total: int, seed: int = 20261121) -> int:
    """Write the project into ``out``; returns the number of facilities written."""
    rng = random.Random(seed)
    scale = total / sum(c[3] for c in CATEGORIES)
    (out / "content/categories").mkdir(parents=True, exist_ok=True)
    (out / "content/guides").mkdir(parents=True, exist_ok=True)
    (out / "content/site.yaml").write_text(SITE_YAML, "utf-8")
    written = 0
    first_ids: list[str] = []
    for order, (cid, name, english, count, fields) in enumerate(CATEGORIES, start=1):
        declared = "\n".join(f"  {f}: {FIELD_DECLARATIONS[f]}" for f in fields)
        (out / f"content/categories/{cid}.yaml").write_text(
            f"id: {cid}\nname: {{zh-Hans: {name}, en: {english}}}\norder: {order}\n"
            f"fields:\n{declared}\n",
            "utf-8",
        )
        folder = out / "content/facilities" / cid
        folder.mkdir(parents=True, exist_ok=True)
        n = max(1, round(count * scale))
        for chunk in range(0, n, 1000):
            cards = [card(rng, cid, name, i, fields) for i in range(chunk, min(n, chunk + 1000))]
            (folder / f"part-{chunk // 1000:03d}.yaml").write_text("\n".join(cards) + "\n")
        first_ids += [f"{cid}-{i:05d}" for i in range(min(n, 3))]
        written += n
    for number in (1, 2):
        entries = "\n".join(
            f"  - facility: {fid}\n    tags: [推荐]" for fid in first_ids[number::2]
        )
        (out / f"content/guides/guide-{number}.md").write_text(
            f"---\ntitle: {{zh-Hans: 指南{number}, en: Guide {number}}}\nentries:\n{entries}\n"
            f"---\n这是第{number}篇指南。\n",
            "utf-8",
        )
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--facilities", type=int, default=30_000)
    args = parser.parse_args()
    print(f"wrote {write_city(args.out, args.facilities)} facilities into {args.out}")


if __name__ == "__main__":
    main()
