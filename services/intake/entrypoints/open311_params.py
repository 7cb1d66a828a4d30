"""How Open311's routes read their parameters: the format, the jurisdiction, the date window,
numbers and lists, form fields and attribute[code] values, and the api_key."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from services.intake.config import IntakeSettings
from services.intake.entrypoints.open311_errors import Open311Problem
from services.intake.service_layer import views
from services.intake.service_layer.views import KeyRead
from shared.platform.runtime import ServiceRuntime

PREFIX = "/open311/v2"
FORMATS = ("xml", "json")
MAX_WINDOW = timedelta(days=90)
_ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_-]{1,40})\](\[\])?$")


def fmt_of(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Problem(404, f"unknown format .{fmt[:20]}; use .xml or .json")
    return fmt


def check_jurisdiction(params: Any, fmt: str, settings: IntakeSettings) -> None:
    given = str(params.get("jurisdiction_id", "") or "").strip()
    if given and given != settings.open311_jurisdiction_id:
        raise Open311Problem(404, f"jurisdiction_id: unknown jurisdiction {given[:40]!r}", fmt)


async def key_from(runtime: ServiceRuntime, form: dict[str, str], fmt: str) -> KeyRead:
    async with runtime.sessions() as session:
        key = await views.api_key(session, form.get("api_key"))
    if key is None:
        raise Open311Problem(403, "api_key: missing or invalid", fmt)
    return key


def window(params: dict[str, str], fmt: str, now: datetime) -> tuple[datetime, datetime]:
    """start_date/end_date: timezone required, at most 90 days apart; default the last 90."""
    start, end = (_date(params, name, fmt) for name in ("start_date", "end_date"))
    if start and end and end - start > MAX_WINDOW:
        raise Open311Problem(400, "start_date/end_date: at most 90 days apart", fmt)
    if start and end and end < start:
        raise Open311Problem(400, "end_date: before start_date", fmt)
    if start and not end:
        end = start + MAX_WINDOW
    if end and not start:
        start = end - MAX_WINDOW
    return start or now - MAX_WINDOW, end or now + timedelta(minutes=5)


def _date(params: dict[str, str], name: str, fmt: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None  # an empty parameter counts as absent
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise Open311Problem(400, f"{name}: not a W3C datetime", fmt) from None
    if at.tzinfo is None:
        raise Open311Problem(400, f"{name}: needs a timezone (Z or ±HH:MM)", fmt)
    return at


def whole(params: dict[str, str], name: str, default: int, high: int, fmt: str) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise Open311Problem(400, f"{name}: a whole number from 1 to {high}", fmt)
    return int(raw)


def listed(params: dict[str, str], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, "").split(",") if v.strip()]


def uuid_of(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        return None


def split_form(items: list[tuple[str, Any]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Plain fields, and attribute[code] / attribute[code][] values (lists)."""
    fields: dict[str, str] = {}
    attrs: dict[str, list[str]] = {}
    for name, value in items:
        if not isinstance(value, str):
            continue  # files are handled apart
        match = _ATTRIBUTE.match(name)
        if match:
            attrs.setdefault(match.group(1), []).append(value)
        elif value.strip():  # empty counts as absent
            fields[name] = value
    return fields, attrs
