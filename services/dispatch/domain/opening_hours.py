"""A station's opening hours as the district's spreadsheet writes them, parsed and asked "open at?".

Written by hand on purpose: the spreadsheet is Chinese text ("周一至周五 09:00-17:00；法定节假日
休息"), and "public holiday" must mean the PRC calendar of the legal clocks
(shared.platform.calendar), which
the OpenStreetMap opening_hours libraries do not know. The grammar is small:

    hours    := rule (";" | "；" | newline) rule ...
    rule     := [days] ranges | [days] "休息" | "24小时" | holiday
    days     := day ["至" | "-" | "~" day] ("、" | "," days)*   (周一..周日, 星期一, Mo..Su, 每天)
    ranges   := HH:MM "-" HH:MM ("," | "、" ranges)*   (an end before the start runs overnight)
    holiday  := "法定节假日休息" | "节假日休息" | "PH off" | "法定节假日照常"

A range belongs to the day it starts on: "周五 20:00-02:00" is open at 01:00 on Saturday, and
"closed on public holidays" closes a range that starts on a holiday (the night before a holiday
stays open until its end).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from services.dispatch.domain.errors import InvalidStation

DAY = 24 * 60
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_DAY_WORDS = {
    **{f"周{c}": i for i, c in enumerate("一二三四五六日")},
    **{f"星期{c}": i for i, c in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
    **{w: i for i, w in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))},
}
_EVERY_DAY = ("每天", "每日", "全天", "daily", "mo-su", "周一至周日")
_HOLIDAY_CLOSED = ("法定节假日休息", "节假日休息", "法定节假日除外", "节假日除外", "phoff")
_HOLIDAY_OPEN = ("法定节假日照常", "节假日照常", "节假日正常开放", "phopen")
_ALL_DAY = ("24小时", "24h", "全天24小时")
_TIME = r"(\d{1,2})[:：](\d{2})"
_RANGE = re.compile(rf"^{_TIME}\s*[-–—~至到]\s*{_TIME}$")
_RULE = re.compile(rf"^(?P<days>.*?)\s*(?P<ranges>{_TIME}.*)$")

HolidayTest = Callable[[date], bool]


class OpeningHours(BaseModel):
    """Weekly ranges (weekday 0 = Monday, minutes from that day's midnight, end may pass 24:00)."""

    model_config = ConfigDict(frozen=True)

    text: str
    ranges: tuple[tuple[int, int, int], ...]
    closed_on_holidays: bool = False

    def is_open(self, at: datetime, is_holiday: HolidayTest) -> bool:
        """Open at this local (Asia/Shanghai) time, on the calendar given."""
        minute = at.hour * 60 + at.minute
        today = at.date()
        weekday_now = today.weekday()
        weekday_before = (weekday_now - 1) % 7
        for weekday, start, end in self.ranges:
            if weekday == weekday_now and start <= minute < end:
                day = today
            elif weekday == weekday_before and start <= minute + DAY < end:
                day = today - timedelta(days=1)  # yesterday's range, past midnight
            else:
                continue
            if not (self.closed_on_holidays and is_holiday(day)):
                return True
        return False

    def describe(self) -> str:
        """The hours in Chinese, one line per run of days with the same ranges."""
        return _describe(self.ranges, self.closed_on_holidays)


@lru_cache(maxsize=1024)  # a register has a handful of distinct hours; each suggestion names one
def _describe(ranges: tuple[tuple[int, int, int], ...], closed_on_holidays: bool) -> str:
    by_day: dict[int, list[str]] = {d: [] for d in range(7)}
    for weekday, start, end in ranges:
        by_day[weekday].append(f"{_hhmm(start)}–{_hhmm(end)}")
    parts: list[str] = []
    day = 0
    while day < 7:
        last = day
        while last + 1 < 7 and by_day[last + 1] == by_day[day]:
            last += 1
        if by_day[day]:
            days = (
                WEEKDAY_NAMES[day]
                if last == day
                else f"{WEEKDAY_NAMES[day]}至{WEEKDAY_NAMES[last]}"
            )
            if day == 0 and last == 6:
                days = "每天"
            parts.append(f"{days} {'、'.join(by_day[day])}")
        day = last + 1
    if not parts:
        parts.append("暂停开放")
    parts.append("法定节假日休息" if closed_on_holidays else "法定节假日照常开放")
    return "；".join(parts)


def _hhmm(minutes: int) -> str:
    nxt = "次日" if minutes > DAY else ""
    minutes = minutes - DAY if minutes > DAY else minutes
    return f"{nxt}{minutes // 60:02d}:{minutes % 60:02d}"


def _bad(text: str, why: str) -> InvalidStation:
    return InvalidStation("opening_hours", f"营业时间“{text}”无法识别：{why}")


def _days(text: str, whole: str) -> list[int]:
    words = text.strip().lower().replace("星期", "周") if text.strip() else "每天"
    if words in _EVERY_DAY:
        return list(range(7))
    days: list[int] = []
    for part in re.split(r"[、,，/]", words):
        ends = [p.strip() for p in re.split(r"\s*[至\-–—~到]\s*", part.strip()) if p.strip()]
        if not ends or len(ends) > 2 or any(e not in _DAY_WORDS for e in ends):
            raise _bad(whole, f"“{part.strip()}”不是星期几")
        first, last = _DAY_WORDS[ends[0]], _DAY_WORDS[ends[-1]]
        span = (last - first) % 7
        days += [(first + i) % 7 for i in range(span + 1)]
    return days


def _minutes(hour: str, minute: str, whole: str, *, end: bool) -> int:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and (m or not end)):
        raise _bad(whole, f"{hour}:{minute} 不是有效时刻")
    return h * 60 + m


def _ranges(text: str, whole: str) -> list[tuple[int, int]]:
    out = []
    for part in re.split(r"\s*[,，、]\s*", text.strip()):
        found = _RANGE.match(part)
        if not found:
            raise _bad(whole, f"“{part}”不是“09:00-17:00”这样的时段")
        start = _minutes(found[1], found[2], whole, end=False)
        end = _minutes(found[3], found[4], whole, end=True)
        if end == start:
            raise _bad(whole, f"“{part}”起止相同")
        out.append((start, end if end > start else end + DAY))
    return out


def parse_opening_hours(text: str) -> OpeningHours:
    """Parse the spreadsheet's hours; raises InvalidStation naming what could not be read."""
    ranges: set[tuple[int, int, int]] = set()
    closed_on_holidays = False
    rules = [r.strip() for r in re.split(r"[;；\n]", text) if r.strip()]
    if not rules:
        raise _bad(text, "为空")
    for rule in rules:
        low = rule.lower().replace(" ", "")
        if low in _HOLIDAY_CLOSED:
            closed_on_holidays = True
            continue
        if low in _HOLIDAY_OPEN:
            continue
        if low in _ALL_DAY or low in (f"每天{a}" for a in _ALL_DAY):
            ranges |= {(d, 0, DAY) for d in range(7)}
            continue
        if rule.endswith(("休息", "闭馆", "off")):
            _days(rule.removesuffix("休息").removesuffix("闭馆").removesuffix("off"), text)
            continue  # a day without ranges is closed: said for the reader's sake
        found = _RULE.match(rule)
        if not found:
            raise _bad(text, f"“{rule}”没有时段")
        days = _days(found["days"], text)
        ranges |= {(d, s, e) for d in days for s, e in _ranges(found["ranges"], text)}
    return OpeningHours(
        text=text.strip(), ranges=tuple(sorted(ranges)), closed_on_holidays=closed_on_holidays
    )
