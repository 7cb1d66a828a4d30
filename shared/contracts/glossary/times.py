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


# Why a period's end moved to the next working day (Civil Code art. 203): a festival's days off
# (the codes of the `chinese-calendar` package), a day off the source does not name, a weekend.
REST_REASONS: dict[str, tuple[str, str]] = {
    "new_years_day": ("元旦假期", "the New Year holiday"),
    "spring_festival": ("春节假期", "the Spring Festival holiday"),
    "tomb_sweeping_day": ("清明节假期", "the Qingming holiday"),
    "labour_day": ("劳动节假期", "the Labour Day holiday"),
    "dragon_boat_festival": ("端午节假期", "the Dragon Boat Festival holiday"),
    "mid_autumn_festival": ("中秋节假期", "the Mid-Autumn Festival holiday"),
    "national_day": ("国庆节假期", "the National Day holiday"),
    "anti_fascist_70th_day": ("抗战胜利纪念日假期", "the Victory Day holiday"),
    "public_holiday": ("法定节假日", "a public holiday"),
    "rest_day": ("休息日", "a rest day"),
}


def moved_words(
    due_on: str | date, nominal_due_on: str | date | None, reason: str | None, lang: str = "zh"
) -> str:
    """'顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）'; empty when nothing moved."""
    if not reason or not nominal_due_on:
        return ""
    zh, en = REST_REASONS.get(reason, REST_REASONS["public_holiday"])
    if lang == "en":
        last = written_date(nominal_due_on, "en")
        return f"moved to {written_date(due_on, 'en')} (the last day, {last}, fell on {en})"
    return f"顺延至{written_date(due_on)}（原末日{written_date(nominal_due_on)}逢{zh}）"


def calendar_missing_words(source: str, lang: str = "zh") -> str:
    """A clock counted through a year whose official arrangement is not loaded: say so."""
    year = source.rpartition(":")[2] if source.startswith("weekend-fallback") else ""
    if lang == "en":
        which = f"of {year}" if year else "of a year"
        return f"the official holiday arrangement {which} is not loaded: counted Monday to Friday"
    return f"{year + '年' if year else ''}官方节假日安排未载入，暂按周一至周五推算"
