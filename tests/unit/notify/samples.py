"""Valid payloads built from the catalogue's pydantic models, every field filled in.

Templates are rendered against these, so a template that names a field the model does not
declare fails (StrictUndefined), and one that mishandles an optional field shows up in the
minimal variant (optional fields at their defaults).
"""

from __future__ import annotations

import types
import typing
import uuid
from datetime import UTC, date, datetime
from typing import Any, Literal, get_args, get_origin

from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from shared.contracts.catalogue import CATALOGUE

PARTY = {
    "role": "follower",
    "party_id": "p-follower",
    "display_name": "张师傅",
    "email": "zhang@example.com",
    "phone_masked": "139****0001",
    "locale": "zh-CN",
}
# Values a field name calls for, where a generic one would not do.
BY_NAME: dict[str, Any] = {
    "sha256": "a" * 64,
    "phone_masked": "138****5678",
    "email": "runner@example.com",
    "follower": PARTY,
    "clock": "mediation_limit",
    "tracking_code": "ABCD-EFGH",
    "code": "123456",
    "lat": 31.15,
    "lng": 121.19,
}


def _value(name: str, annotation: Any, info: FieldInfo) -> Any:
    if name in BY_NAME:
        return BY_NAME[name]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return _value(name, next(a for a in args if a is not type(None)), info)
    if origin is Literal:
        return args[0]
    if origin is list:
        return [_value(name, args[0], info)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return full_sample(annotation)
    bounds = {type(m).__name__: m for m in info.metadata}
    low = getattr(bounds.get("Ge"), "ge", None)
    return {
        str: f"sample-{name}",
        bool: True,
        int: max(3, low or 0),
        float: 80.0,
        date: "2026-12-10",
        datetime: datetime(2026, 12, 1, 2, 30, tzinfo=UTC).isoformat(),
        AwareDatetime: datetime(2026, 12, 1, 2, 30, tzinfo=UTC).isoformat(),
        uuid.UUID: str(uuid.UUID(int=7)),
    }.get(annotation, f"sample-{name}")


def full_sample(model: type[BaseModel]) -> dict[str, Any]:
    """Every field filled in, validated by the model, as the JSON an envelope carries."""
    hints = typing.get_type_hints(model)
    data = {n: _value(n, hints[n], f) for n, f in model.model_fields.items()}
    return model.model_validate(data).model_dump(mode="json")


def minimal_sample(model: type[BaseModel]) -> dict[str, Any]:
    """Required fields only; the rest at their defaults."""
    hints = typing.get_type_hints(model)
    data = {n: _value(n, hints[n], f) for n, f in model.model_fields.items() if f.is_required()}
    return model.model_validate(data).model_dump(mode="json")


def samples(event_type: str) -> list[dict[str, Any]]:
    """Full, minimal, and one full sample per other value of each Literal field (every clock)."""
    model = CATALOGUE[event_type].payload
    full = full_sample(model)
    variants = [full, minimal_sample(model)]
    hints = typing.get_type_hints(model)
    for name in model.model_fields:
        if get_origin(hints[name]) is Literal:
            for value in get_args(hints[name]):
                if value != full[name]:
                    variants.append(
                        model.model_validate(full | {name: value}).model_dump(mode="json")
                    )
    return variants
