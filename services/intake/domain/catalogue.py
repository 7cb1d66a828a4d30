"""What can be filed: hazard categories and dispute types, zh-CN first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Urgency = Literal["low", "normal", "high", "critical"]


@dataclass(frozen=True)
class HazardCategory:
    code: str
    name_zh: str
    name_en: str
    group: str
    keywords: tuple[str, ...]
    urgency: Urgency


HAZARD_CATEGORIES: tuple[HazardCategory, ...] = (
    HazardCategory(
        "road_damage", "道路破损", "Road damage", "道路设施", ("坑", "塌陷", "破损"), "normal"
    ),
    HazardCategory(
        "manhole_cover",
        "窨井盖缺失或破损",
        "Missing or broken manhole cover",
        "道路设施",
        ("井盖", "窨井"),
        "high",
    ),
    HazardCategory(
        "fire_lane_blocked",
        "消防通道堵塞",
        "Blocked fire lane",
        "消防安全",
        ("消防通道", "堵塞"),
        "high",
    ),
    HazardCategory(
        "compound_access",
        "小区拒绝骑手进入",
        "Compound refuses riders entry",
        "出入管理",
        ("门岗", "不让进", "小区"),
        "normal",
    ),
    HazardCategory(
        "traffic_signal",
        "交通信号故障",
        "Traffic signal fault",
        "交通安全",
        ("红绿灯", "信号灯"),
        "high",
    ),
    HazardCategory(
        "dangerous_crossing",
        "危险路口",
        "Dangerous crossing",
        "交通安全",
        ("路口", "盲区"),
        "normal",
    ),
    HazardCategory(
        "public_security",
        "治安隐患",
        "Public-security risk",
        "社会治安",
        ("打架", "偷盗", "可疑"),
        "high",
    ),
    HazardCategory("other", "其他小事", "Other small matter", "其他", (), "low"),
)

DISPUTE_TYPES: dict[str, tuple[str, str]] = {
    "unpaid_wages": ("拖欠工资", "Unpaid wages"),
    "overtime_pay": ("加班费", "Overtime pay"),
    "injury_compensation": ("工伤赔偿", "Injury compensation"),
    "penalty_deduction": ("罚款扣款", "Penalty deductions"),
    "contract_termination": ("解除劳动关系", "Contract termination"),
    "social_insurance": ("社会保险", "Social insurance"),
    "other": ("其他劳动争议", "Other labour dispute"),
}

_URGENT_WORDS = ("危险", "紧急", "受伤", "着火", "漏电", "urgent", "danger")
_ORDER: tuple[Urgency, ...] = ("low", "normal", "high", "critical")


def category(code: str) -> HazardCategory | None:
    return next((c for c in HAZARD_CATEGORIES if c.code == code), None)


def urgency_of(cat: HazardCategory, description: str) -> Urgency:
    """The category's urgency, raised one step when the description sounds urgent."""
    if any(word in description.lower() for word in _URGENT_WORDS):
        return _ORDER[min(_ORDER.index(cat.urgency) + 1, len(_ORDER) - 1)]
    return cat.urgency


def at_least(urgency: Urgency, floor: Urgency) -> Urgency:
    """The higher of two urgencies."""
    return _ORDER[max(_ORDER.index(urgency), _ORDER.index(floor))]
