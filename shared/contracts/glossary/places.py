"""The station register's words (阵地地图): kinds of station and what a station offers."""

from __future__ import annotations

from typing import Final

STATION_KINDS: Final[dict[str, tuple[str, str]]] = {
    "rider_station": ("驿站", "Rider station"),
    "drivers_home": ("司机之家", "Drivers' home"),
    "party_service_point": ("党群服务点", "Party and public service point"),
    "mediation_station": ("调解站", "Mediation station"),
    "legal_service_point": ("法律服务点", "Legal service point"),
    "other": ("其他阵地", "Other station"),
}
FACILITIES: Final[dict[str, tuple[str, str]]] = {
    "hot_water": ("热水", "Hot water"),
    "charging": ("充电", "Charging"),
    "toilet": ("厕所", "Toilet"),
    "rest": ("休息", "Rest"),
    "meals": ("用餐", "Meals"),
    "microwave": ("微波炉", "Microwave"),
    "first_aid": ("急救药箱", "First aid"),
    "legal_help": ("法律服务", "Legal help"),
    "wifi": ("无线网络", "Wi-Fi"),
    "repair": ("简易维修", "Small repairs"),
}
STATION_STATUSES: Final[dict[str, tuple[str, str]]] = {
    "open": ("开放", "Open"),
    "closed_for_good": ("已永久关闭", "Closed for good"),
}
