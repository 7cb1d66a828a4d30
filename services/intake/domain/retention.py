"""Retention of personal data (PIPL Art. 19: the shortest period necessary)."""

from __future__ import annotations

from datetime import datetime, timedelta

# A case in one of these states is over; its personal data goes after the retention period.
# ("confirmed_fixed" is followed by "closed"; a duplicate's reporter follows the original.)
FINISHED_STATES = frozenset({"closed", "cancelled", "withdrawn", "rejected", "duplicate"})
# Natural persons: their names go too. A respondent is a company; its name stays.
PERSONS = frozenset({"complainant", "reporter", "follower"})


def purge_cutoff(now: datetime, retention_days: int) -> datetime:
    """Cases finished before this moment are due for purging."""
    return now - timedelta(days=retention_days)


def purge_stub(now: datetime) -> str:
    """What stands in for a purged name: when it was cleared, nothing about whom."""
    return f"已清除 {now.date().isoformat()}"
