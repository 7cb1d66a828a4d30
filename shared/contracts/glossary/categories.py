"""What can be filed, as people name it: hazard categories and dispute types (zh-CN, en)."""

from __future__ import annotations

from typing import Final

HAZARD_CATEGORIES: Final[dict[str, tuple[str, str]]] = {
    "road_damage": ("道路破损", "Road damage"),
    "manhole_cover": ("窨井盖缺失或破损", "Missing or broken manhole cover"),
    "fire_lane_blocked": ("消防通道堵塞", "Blocked fire lane"),
    "compound_access": ("小区拒绝骑手进入", "Compound refuses riders entry"),
    "traffic_signal": ("交通信号故障", "Traffic signal fault"),
    "dangerous_crossing": ("危险路口", "Dangerous crossing"),
    "public_security": ("治安隐患", "Public-security risk"),
    "other": ("其他小事", "Other small matter"),
}

DISPUTE_TYPES: Final[dict[str, tuple[str, str]]] = {
    "unpaid_wages": ("拖欠工资", "Unpaid wages"),
    "overtime_pay": ("加班费", "Overtime pay"),
    "injury_compensation": ("工伤赔偿", "Injury compensation"),
    "penalty_deduction": ("罚款扣款", "Penalty deductions"),
    "contract_termination": ("解除劳动关系", "Contract termination"),
    "social_insurance": ("社会保险", "Social insurance"),
    "other": ("其他劳动争议", "Other labour dispute"),
}
