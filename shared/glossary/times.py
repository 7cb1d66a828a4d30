"""Times as people in Shanghai write them: 2026年12月5日 14:30, never a UTC ISO stamp."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _instant(value: str | datetime) -> datetime:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def written_date(value: str | date | datetime | None, lang: str = "zh") -> str:
    """A day: 2026年12月5日 / 5 Dec 2026 (a timestamp is first moved to Shanghai)."""
    if not value:
        return ""
    if isinstance(value, datetime) or (isinstance(value, str) and "T" in value):
        day = _instant(value).astimezone(SHANGHAI).date()
    else:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    if lang == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def written_time(value: str | datetime | None, lang: str = "zh") -> str:
    """An instant in Shanghai: 2026年12月5日 14:30 / 5 Dec 2026, 14:30."""
    if not value:
        return ""
    local = _instant(value).astimezone(SHANGHAI)
    clock = local.strftime("%H:%M")
    if lang == "en":
        return f"{written_date(local.date(), 'en')}, {clock}"
    return f"{written_date(local.date())} {clock}"
