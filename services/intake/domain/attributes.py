"""Open311 service definitions: the extra questions of each hazard category, and their checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from services.intake.domain.errors import InvalidField

Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: Datatype
    description: str
    order: int
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = field(default=())


_COMMON: tuple[Attribute, ...] = (
    Attribute(
        "safety_notice",
        "string",
        "如有人员受伤或正在发生火情，请先拨打 110/119/120。"
        " If someone is hurt or there is a fire, call 110/119/120 first.",
        1,
        variable=False,
    ),
    Attribute(
        "severity",
        "singlevaluelist",
        "危险程度 How dangerous is it?",
        2,
        required=True,
        values=(
            ("minor", "轻微 Minor"),
            ("serious", "较严重 Serious"),
            ("danger", "危险 Dangerous"),
        ),
    ),
    Attribute(
        "affected",
        "multivaluelist",
        "影响哪些人？ Who is affected?",
        3,
        values=(
            ("riders", "骑手 Riders"),
            ("pedestrians", "行人 Pedestrians"),
            ("vehicles", "车辆 Vehicles"),
            ("residents", "居民 Residents"),
        ),
    ),
    Attribute(
        "observed_at",
        "datetime",
        "发现时间 When did you see it?",
        4,
        datatype_description="ISO 8601 with a timezone, e.g. 2026-05-01T11:40:00+08:00",
    ),
    Attribute("landmark", "string", "附近地标 Nearby landmark", 5, datatype_description="≤ 200"),
    Attribute("size_m", "number", "大约尺寸（米） Approximate size in metres", 6),
    Attribute("details", "text", "补充说明 More details", 7, datatype_description="≤ 2000"),
)

_EXTRA: dict[str, tuple[Attribute, ...]] = {
    "compound_access": (
        Attribute("compound_name", "string", "小区名称 Name of the compound", 8, required=True),
    ),
    "fire_lane_blocked": (
        Attribute(
            "blocked_by",
            "singlevaluelist",
            "被什么堵塞？ What blocks it?",
            8,
            values=(
                ("vehicles", "车辆 Vehicles"),
                ("goods", "杂物 Goods"),
                ("construction", "施工 Construction"),
            ),
        ),
    ),
}

_MAX_LEN = {"string": 200, "text": 2000}


def attributes_of(category: str) -> tuple[Attribute, ...]:
    return _COMMON + _EXTRA.get(category, ())


def validate(category: str, given: dict[str, list[str]]) -> dict[str, object]:
    """Check submitted attribute values against the definition; return them typed."""
    known = {a.code: a for a in attributes_of(category) if a.variable}
    for code in given:
        if code not in known:
            raise InvalidField(f"attribute[{code}]", "not an attribute of this service")
    typed: dict[str, object] = {}
    for attr in known.values():
        values = [v for v in given.get(attr.code, []) if v.strip()]
        if not values:
            if attr.required:
                raise InvalidField(f"attribute[{attr.code}]", "required")
            continue
        typed[attr.code] = _typed(attr, values)
    return typed


def _typed(attr: Attribute, values: list[str]) -> object:
    name = f"attribute[{attr.code}]"
    if attr.datatype == "multivaluelist":
        keys = {k for k, _ in attr.values}
        bad = [v for v in values if v not in keys]
        if bad:
            raise InvalidField(name, f"unknown value {bad[0]!r}; one of {', '.join(sorted(keys))}")
        return sorted(set(values))
    if len(values) > 1:
        raise InvalidField(name, "takes one value")
    value = values[0].strip()
    if attr.datatype == "singlevaluelist":
        keys = {k for k, _ in attr.values}
        if value not in keys:
            raise InvalidField(name, f"unknown value {value!r}; one of {', '.join(sorted(keys))}")
        return value
    if attr.datatype == "number":
        return _number(name, value)
    if attr.datatype == "datetime":
        return _datetime(name, value).isoformat()
    if len(value) > _MAX_LEN[attr.datatype]:
        raise InvalidField(name, f"at most {_MAX_LEN[attr.datatype]} characters")
    return value


def _number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InvalidField(name, "not a number") from None
    if number != number or abs(number) > 1e9:  # NaN or absurd
        raise InvalidField(name, "not a usable number")
    return number


def _datetime(name: str, value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField(name, "not an ISO 8601 datetime") from None
    if at.tzinfo is None:
        raise InvalidField(name, "needs a timezone (Z or ±HH:MM)")
    return at
