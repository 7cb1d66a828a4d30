"""Writes the demo station register (services/dispatch/adapters/data/stations.csv): the stations the
seed article names, at approximate places, and a generated district of 900 more, every one of
them marked as generated (column 演示生成 = 是, "演示" in its name and address).

    .venv/bin/python scripts/generate_demo_stations.py [--count 900]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "services" / "dispatch" / "adapters" / "data"
HEADER = [
    "编号", "名称", "类型", "街镇", "地址", "纬度", "经度",
    "开放时间", "设施", "联系电话", "演示生成",
]  # fmt: skip
_SOMEWHERE = "（示意位置，地址待核实）"
# The seed's stations; addresses and places are approximate (the article gives neither).
NAMED = [
    ["huaxin-nuanxin-1888", "暖新1888司机之家", "司机之家", "huaxin", "华新镇" + _SOMEWHERE,
     31.2432, 121.2151, "每天 07:00-22:00", "休息、用餐、热水、充电、厕所、微波炉", ""],
    ["huaxin-kayou", "华新镇卡友驿站", "驿站", "huaxin", "华新镇" + _SOMEWHERE,
     31.2480, 121.2198, "每天 08:00-20:00", "法律服务、休息、热水、充电、厕所", ""],
    ["zhaoxiang-xiangxin", "巷新驿站", "驿站", "zhaoxiang", "赵巷镇" + _SOMEWHERE,
     31.1562, 121.1968, "每天 10:00-14:00, 17:00-22:00", "热水、充电、用餐、休息、微波炉", ""],
    ["xujing-1568", "1568创意园暖新驿站", "驿站", "xujing", "徐泾镇1568创意园" + _SOMEWHERE,
     31.1815, 121.2722, "每天 00:00-24:00", "休息、充电、热水、厕所", ""],
    ["huaxin-yto-party", "圆通速递网点党群服务点", "党群服务点", "huaxin",
     "圆通速递网点内" + _SOMEWHERE,
     31.2365, 121.2063, "周一至周六 09:00-18:00；法定节假日休息", "休息、热水、急救药箱", ""],
    ["xujing-express-mediation", "快递物流行业劳动争议调解站", "调解站", "xujing",
     "快递企业总部内" + _SOMEWHERE, 31.1770, 121.2650, "周一至周五 09:00-17:00；法定节假日休息",
     "法律服务、休息、热水", ""],
]  # fmt: skip
HOURS = [
    "每天 08:00-20:00",
    "每天 08:00-20:00",
    "周一至周五 09:00-17:00；法定节假日休息",
    "每天 00:00-24:00",
    "每天 10:00-14:00, 17:00-22:00",
    "每天 18:00-02:00",
    "周一至周六 08:30-17:30；法定节假日休息",
]
KINDS = ["驿站"] * 6 + ["司机之家", "党群服务点", "党群服务点"]
FACILITIES = ["热水", "充电", "厕所", "休息", "用餐", "微波炉", "急救药箱", "无线网络", "简易维修"]


def generated(count: int, seed: int = 2025) -> list[list[str]]:
    district = json.loads((DATA / "district.json").read_text(encoding="utf-8"))
    min_lng, min_lat, max_lng, max_lat = district["bbox"]
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        town = rng.choice(district["towns"])
        lat = min(max(rng.gauss(town["lat"], 0.025), min_lat), max_lat)
        lng = min(max(rng.gauss(town["lng"], 0.03), min_lng), max_lng)
        facilities = rng.sample(FACILITIES, rng.randint(2, 5))
        if rng.random() < 0.05:
            facilities.append("法律服务")
        rows.append(
            [
                f"gen-{n:04d}",
                f"{town['name_zh']}演示驿站{n:04d}",
                rng.choice(KINDS),
                town["code"],
                f"{town['name_zh']}演示路{n}号（演示生成）",
                f"{lat:.5f}",
                f"{lng:.5f}",
                rng.choice(HOURS),
                "、".join(facilities),
                "",
                "是",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=900)
    args = parser.parse_args()
    with (DATA / "stations.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows([*([*row, "否"] for row in NAMED), *generated(args.count)])


if __name__ == "__main__":
    main()
