"""Quiet hours: non-critical messages wait for the morning; critical notices never wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_hhmm(text: str) -> time:
    """'22:00' -> time(22, 0); raises ValueError on anything else."""
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


@dataclass(frozen=True)
class QuietHours:
    """A daily window in local time; it may run over midnight (22:00-07:00)."""

    start: time
    end: time
    zone: ZoneInfo = SHANGHAI

    @classmethod
    def parse(cls, start: str, end: str) -> QuietHours:
        return cls(parse_hhmm(start), parse_hhmm(end))

    def _inside(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def release_at(self, now: datetime, *, critical: bool) -> datetime:
        """When a message due `now` may go: now, or the end of the quiet window it falls in."""
        local = now.astimezone(self.zone)
        if critical or not self._inside(local.time().replace(tzinfo=None)):
            return now
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end = (local + timedelta(days=1)).replace(
                hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0
            )
        return end.astimezone(now.tzinfo)
