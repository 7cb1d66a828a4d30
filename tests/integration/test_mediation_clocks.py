"""Legal clocks and service targets on real databases: warnings and expiries exactly once,
with several replicas and a restart; the clock is injected, nothing sleeps."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import (
    COMMITTEE,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # acceptance day (day 0)


def local(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Day N after the acceptance day, at a local time."""
    return datetime(2026, 3, 2, hour, minute, tzinfo=SHANGHAI) + timedelta(days=day)


async def _fire_all(*schedulers) -> int:
    return sum(await asyncio.gather(*(s.run_once() for s in schedulers)))


async def test_j5_warnings_on_day_10_and_13_and_expiry_on_day_15_happen_exactly_once(
    database_url: str, redis_url: str
):
    clock = FrozenClock(MONDAY)
    async with running_mediation(database_url, redis_url, clock) as first:
        case_id, dispute = await first.in_mediation(
            platform_worker=True, dispute_type="penalty_deduction", arose_on=date(2026, 2, 1)
        )
        other = first.replica()  # a second mediation replica on the same database
        clock.set(local(10, 8, 59))
        assert await _fire_all(first.scheduler, other) == 0
        clock.set(local(10, 9, 0))
        await _fire_all(first.scheduler, other)
        await _fire_all(first.scheduler, other)
        clock.set(local(13, 9, 0))
        await _fire_all(first.scheduler, other)
        warnings = [
            e
            for e in await first.events(case_id)
            if e["event_type"] == "deadline.warning" and e["payload"]["clock"] == "mediation_limit"
        ]
        assert [(w["payload"]["clock"], w["payload"]["days_left"]) for w in warnings] == [
            ("mediation_limit", 5),
            ("mediation_limit", 2),
        ]
        assert {w["payload"]["due_on"] for w in warnings} == {"2026-03-17"}
    # day 14: the first replica restarts (a new process on the same database)
    clock.set(local(14, 12))
    async with running_mediation(database_url, redis_url, clock) as restarted:
        third = restarted.replica()
        clock.set(local(15, 23, 59))
        await _fire_all(restarted.scheduler, third)
        assert (await restarted.get(case_id))["state"] == "in_mediation"  # day 15 still counts
        clock.set(local(16, 0, 0))
        await _fire_all(restarted.scheduler, third, restarted.replica())
        await _fire_all(restarted.scheduler, third)
        dispute = await restarted.get(case_id)
        assert dispute["state"] == "expired_no_agreement"
        events = await restarted.events(case_id)
        kinds = [e["event_type"] for e in events]
        limit_events = [
            e["event_type"] for e in events if e["payload"].get("clock") == "mediation_limit"
        ]
        assert limit_events == ["deadline.warning", "deadline.warning", "deadline.expired"]
        assert kinds.count("mediation.expired") == 1
        expired = next(e for e in events if e["event_type"] == "mediation.expired")
        assert expired["payload"]["state"] == "expired_no_agreement"
        assert expired["payload"]["arbitration_limitation_on"] == "2027-02-01"
        assert "仲裁" in expired["payload"]["reason"]
        limit = next(c for c in dispute["clocks"] if c["clock"] == "mediation_limit")
        assert limit["status"] == "expired"
        # the expiry put the case on the committee's overdue list until it is closed
        overdue = (
            await restarted.client.get("/api/v1/committee/overdue", headers=COMMITTEE)
        ).json()
        assert [o["case_id"] for o in overdue] == [str(case_id)]


async def test_an_agreement_in_time_cancels_the_limit_and_starts_the_party_windows(
    database_url: str, redis_url: str
):
    clock = FrozenClock(MONDAY)
    async with running_mediation(database_url, redis_url, clock) as service:
        case_id, dispute = await service.in_mediation()
        me = mediator(dispute["mediator_id"])
        clock.set(local(9, 15))
        signed = await service.ok(
            case_id,
            "agreement",
            me,
            {
                "facts": "欠付工资",
                "terms": "支付8600元",
                "performance_manner": "银行转账",
                "performance_deadline": "2026-03-20",
                "signed_by_complainant": True,
                "signed_by_respondent": True,
                "signed_by_mediator": True,
                "sealed_by_committee": True,
            },
        )
        clocks = {c["clock"]: c for c in signed["clocks"]}
        # effective 03-11: 30 days -> 04-10 (Friday); 15 days -> 03-26 (Thursday)
        assert clocks["judicial_confirmation"]["due_on"] == "2026-04-10"
        assert clocks["arbitration_review"]["due_on"] == "2026-03-26"
        assert clocks["judicial_confirmation"]["calendar_source"].startswith("chinese-calendar")
        clock.set(local(30))
        await service.scheduler.run_once()
        events = await service.events(case_id)
        expired = [e["payload"]["clock"] for e in events if e["event_type"] == "deadline.expired"]
        assert "mediation_limit" not in expired  # cancelled by the agreement
        assert expired.count("performance") == 1
        assert (await service.get(case_id))["state"] == "non_performance"
        assert "performance.not_performed" in [e["event_type"] for e in events]
        assert "arbitration_review" in expired


async def test_an_application_for_judicial_confirmation_stops_that_window(
    database_url: str, redis_url: str
):
    clock = FrozenClock(MONDAY)
    async with running_mediation(database_url, redis_url, clock) as service:
        case_id, dispute = await service.in_mediation()
        me = mediator(dispute["mediator_id"])
        await service.ok(
            case_id,
            "agreement",
            me,
            {
                "facts": "欠付工资",
                "terms": "支付8600元",
                "performance_manner": "银行转账",
                "performance_deadline": "2026-05-20",
                "signed_by_complainant": True,
                "signed_by_respondent": True,
                "signed_by_mediator": True,
                "sealed_by_committee": True,
            },
        )
        stopped = await service.ok(case_id, "applications/judicial_confirmation", me)
        status = {c["clock"]: c["status"] for c in stopped["clocks"]}
        assert status["judicial_confirmation"] == "stopped"
        assert status["arbitration_review"] == "open"
        refused = await service.post(case_id, "applications/performance", me)
        assert refused.status_code == 403
        clock.set(local(40))
        await service.scheduler.run_once()
        expired = [
            e["payload"]["clock"]
            for e in await service.events(case_id)
            if e["event_type"] in ("deadline.expired", "deadline.warning")
        ]
        assert "judicial_confirmation" not in expired


async def test_the_acceptance_target_counts_working_days_and_warns_the_committee(
    database_url: str, redis_url: str
):
    # Filed on Thursday 2026-09-24: Mid-Autumn (09-25) and National Day (10-01..07) intervene;
    # Sunday 09-27 is not a make-up day in 2026 but Saturday 10-10 is.
    clock = FrozenClock(datetime(2026, 9, 24, 10, tzinfo=SHANGHAI))
    async with running_mediation(database_url, redis_url, clock) as service:
        case_id, _ = await service.file()
        target = next(
            c for c in (await service.get(case_id))["clocks"] if c["clock"] == "acceptance_target"
        )
        assert target["legal"] is False
        assert target["due_on"] == "2026-09-30"  # 28 (Mon), 29, 30: three working days
        clock.set(datetime(2026, 10, 1, 0, 0, tzinfo=SHANGHAI))
        await service.scheduler.run_once()
        kinds = [
            (e["event_type"], e["payload"].get("clock"))
            for e in await service.events(case_id)
            if e["event_type"].startswith("deadline.")
        ]
        assert kinds == [
            ("deadline.warning", "acceptance_target"),
            ("deadline.expired", "acceptance_target"),
        ]
        assert (await service.get(case_id))["state"] == "acceptance_review"


async def test_the_mediation_target_pauses_while_waiting_on_a_party(
    database_url: str, redis_url: str
):
    clock = FrozenClock(MONDAY)
    async with running_mediation(
        database_url, redis_url, clock, mediation_target_working_days=5
    ) as service:
        case_id, dispute = await service.in_mediation()
        me = mediator(dispute["mediator_id"])
        target = next(c for c in dispute["clocks"] if c["clock"] == "mediation_target")
        assert target["due_on"] == "2026-03-09"  # Mon + 5 working days
        clock.set(local(1, 11))
        waiting = await service.ok(case_id, "wait", me, {"waiting_on": "respondent"})
        target = next(c for c in waiting["clocks"] if c["clock"] == "mediation_target")
        assert (target["status"], target["due_on"]) == ("paused", None)
        limit = next(c for c in waiting["clocks"] if c["clock"] == "mediation_limit")
        assert limit["due_on"] == "2026-03-17"  # legal clocks never pause
        clock.set(local(3, 16))  # Thursday
        resumed = await service.ok(case_id, "resume", me)
        target = next(c for c in resumed["clocks"] if c["clock"] == "mediation_target")
        # counted: none of Tue..Thu (paused days); then Fri 6, Mon 9, Tue 10, Wed 11, Thu 12
        assert (target["status"], target["due_on"]) == ("open", "2026-03-12")
        clock.set(local(10, 0))  # 2026-03-12 00:00 local: not yet past
        await service.scheduler.run_once()
        assert "deadline.expired" not in await service.event_types(case_id)
        clock.set(local(11, 0))
        await service.scheduler.run_once()
        await service.scheduler.run_once()
        assert (await service.event_types(case_id)).count("deadline.expired") == 1


async def test_a_session_reminder_is_sent_once_a_day_before(database_url: str, redis_url: str):
    clock = FrozenClock(MONDAY)
    async with running_mediation(database_url, redis_url, clock) as service:
        case_id, dispute = await service.in_mediation()
        starts = datetime(2026, 3, 6, 6, 0, tzinfo=UTC)  # Friday 14:00 local
        await service.ok(
            case_id,
            "sessions",
            mediator(dispute["mediator_id"]),
            {"starts_at": starts.isoformat(), "online": True},
        )
        clock.set(starts - timedelta(hours=24))
        await _fire_all(service.scheduler, service.replica())
        await _fire_all(service.scheduler, service.replica())
        assert (await service.event_types(case_id)).count("session.reminder") == 1


async def test_a_dispute_entered_days_after_it_was_received_counts_from_receipt_and_is_late_at_once(
    database_url: str, redis_url: str
):
    # received on Monday 03-02 by post, typed in on Friday 03-06: the acceptance target of
    # 3 working days (03-05) has passed, the 15-day limit runs to 03-17, not 03-21
    clock = FrozenClock(local(4, 15))
    async with running_mediation(database_url, redis_url, clock) as mediation:
        case_id, _ = await mediation.file(received_at=MONDAY, arose_on=date(2026, 2, 1))
        dispute = await mediation.get(case_id)
        assert dispute["application_received_at"].startswith("2026-03-02T02:00")
        clocks = {c["clock"]: c for c in dispute["clocks"]}
        assert clocks["mediation_limit"]["due_on"] == "2026-03-17"
        assert clocks["acceptance_target"]["due_on"] == "2026-03-05"
        overdue = (
            await mediation.client.get("/api/v1/committee/overdue", headers=COMMITTEE)
        ).json()
        assert [(o["case_id"], o["clock"]) for o in overdue] == [
            (str(case_id), "acceptance_target")
        ]
        assert await _fire_all(mediation.scheduler, mediation.replica()) == 1
        assert await _fire_all(mediation.scheduler, mediation.replica()) == 0
        expired = [
            e["payload"]["clock"]
            for e in await mediation.events(case_id)
            if e["event_type"] == "deadline.expired"
        ]
        assert expired == ["acceptance_target"]
