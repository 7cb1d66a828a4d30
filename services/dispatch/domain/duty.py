"""Legal help on duty at a station: mediation's roster shifts that name a station, as dispatch
keeps them (projected from the roster's events, never read from mediation's tables)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from pydantic import BaseModel, ConfigDict, Field

BODY_KINDS = {
    "judicial_office": "司法所",
    "police_station": "派出所",
    "law_firm": "律师事务所",
    "union": "工会",
    "hq_station": "总部调解站",
}


class DutyShift(BaseModel):
    """A body sitting at a station: on these days (weekdays 1 = Monday), between these times."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    station_id: str = Field(min_length=1, max_length=64)
    body_id: str = Field(min_length=1, max_length=64)
    body_name: str = Field(min_length=1, max_length=100)
    body_kind: str = Field(max_length=40)
    starts_on: date
    ends_on: date
    weekdays: tuple[int, ...] = ()  # empty: every day
    from_time: time = time(9, 0)
    to_time: time = time(17, 0)

    def sits_on(self, day: date) -> bool:
        in_run = self.starts_on <= day <= self.ends_on
        return in_run and (not self.weekdays or day.isoweekday() in self.weekdays)

    def covers(self, at: datetime) -> bool:
        """On duty at this local time."""
        return self.sits_on(at.date()) and self.from_time <= at.time() < self.to_time

    def window(self, day: date, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.from_time, tzinfo=tz),
            datetime.combine(day, self.to_time, tzinfo=tz),
        )

    def kind_name(self) -> str:
        return BODY_KINDS.get(self.body_kind, "值班单位")


class DutySpell(BaseModel):
    """One body on duty at one station for one day's window (local times)."""

    model_config = ConfigDict(frozen=True)

    body_name: str
    body_kind: str
    starts: datetime
    ends: datetime


def spells(
    shifts: Iterable[DutyShift], start: date, days: int, tz: tzinfo | None = None
) -> list[DutySpell]:
    """Every day's duty windows from `start` for `days` days, in time order (local times)."""
    out = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for shift in shifts:
            if shift.sits_on(day):
                begin, end = shift.window(day, tz)
                out.append(
                    DutySpell(
                        body_name=shift.body_name,
                        body_kind=shift.kind_name(),
                        starts=begin,
                        ends=end,
                    )
                )
    return sorted(out, key=lambda s: (s.starts, s.body_name))


def next_on_duty(
    shifts: Iterable[DutyShift], at: datetime, horizon_days: int = 14
) -> DutySpell | None:
    """The spell on duty now (it ends later) or the next one to begin, within the horizon."""
    for spell in spells(shifts, at.date(), horizon_days, at.tzinfo):
        if spell.ends > at:
            return spell
    return None


def on_duty_now(shifts: Iterable[DutyShift], at: datetime) -> bool:
    return any(s.covers(at) for s in shifts)
