"""Civil Code art. 203 on a real database: a mediation limit whose 15th day is National Day
ends on the first working day after it; its warnings count back from that day and say why,
it does not expire during the holiday, and the committee's API gives the moved day, the
day by counting and the reason. A clock counted through a year not loaded says so, and
loading the year moves the mediation limit too. The clock is injected, nothing sleeps."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import COMMITTEE, mediator, running_mediation

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTED = datetime(2026, 9, 16, 10, 0, tzinfo=SHANGHAI)  # + 15 = 10-01, National Day


def at(day: date, hour: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time(), SHANGHAI) + timedelta(hours=hour)


async def test_a_limit_ending_on_national_day_ends_on_the_next_working_day(
    database_url: str, redis_url: str
):
    clock = FrozenClock(ACCEPTED)
    async with running_mediation(database_url, redis_url, clock) as m:
        case_id, dispute = await m.in_mediation(platform_worker=True, arose_on=date(2026, 9, 1))
        limit = next(c for c in dispute["clocks"] if c["clock"] == "mediation_limit")
        assert (limit["nominal_due_on"], limit["due_on"]) == ("2026-10-01", "2026-10-08")
        assert limit["moved_because"] == "national_day" and limit["calendar_missing"] is False
        listed = (await m.client.get("/api/v1/committee/clocks", headers=COMMITTEE)).json()
        row = next(
            c for c in listed if c["case_id"] == str(case_id) and c["clock"] == "mediation_limit"
        )
        assert (row["nominal_due_on"], row["moved_because"]) == ("2026-10-01", "national_day")

        # the warnings count back from 10-08: day 5 is 10-03, day 2 is 10-06 (09:00)
        clock.set(at(date(2026, 9, 26), 9))  # 5 days before the unmoved day: nothing
        assert await m.scheduler.run_once() == 0
        clock.set(at(date(2026, 10, 3), 9))
        await m.scheduler.run_once()
        # 10-02 00:00, the end of the unmoved last day, has passed: nothing runs out
        clock.set(at(date(2026, 10, 2), 12))
        await m.scheduler.run_once()
        assert (await m.get(case_id))["state"] == "in_mediation"
        clock.set(at(date(2026, 10, 6), 9))
        await m.scheduler.run_once()
        clock.set(at(date(2026, 10, 8), 23))
        await m.scheduler.run_once()
        assert (await m.get(case_id))["state"] == "in_mediation"  # 10-08 still counts
        clock.set(at(date(2026, 10, 9)))
        await m.scheduler.run_once()
        assert (await m.get(case_id))["state"] == "expired_no_agreement"

        limit_events = [
            e
            for e in await m.events(case_id)
            if e["event_type"] in ("deadline.warning", "deadline.expired")
            and e["payload"]["clock"] == "mediation_limit"
        ]
        assert [
            (e["event_type"], e["payload"].get("days_left"), e["payload"]["due_on"])
            for e in limit_events
        ] == [
            ("deadline.warning", 5, "2026-10-08"),
            ("deadline.warning", 2, "2026-10-08"),
            ("deadline.expired", None, "2026-10-08"),
        ]
        for e in limit_events:
            assert e["payload"]["nominal_due_on"] == "2026-10-01"
            assert e["payload"]["moved_because"] == "national_day"


async def test_a_limit_in_a_year_not_loaded_says_so_and_moves_once_the_year_is_loaded(
    database_url: str, redis_url: str
):
    # received Thu 2026-12-17: + 15 = Fri 2027-01-01; 2027 is not in the package
    clock = FrozenClock(datetime(2026, 12, 17, 10, 0, tzinfo=SHANGHAI))
    async with running_mediation(database_url, redis_url, clock) as m:
        case_id, _ = await m.file()
        dispute = await m.get(case_id)
        limit = next(c for c in dispute["clocks"] if c["clock"] == "mediation_limit")
        assert (limit["due_on"], limit["calendar_missing"]) == ("2027-01-01", True)
        assert limit["calendar_source"] == "weekend-fallback:2027"

        year = {"year": 2027, "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"]}
        loaded = await m.client.put("/api/v1/calendar/2027", json=year, headers=COMMITTEE)
        assert loaded.status_code == 200, loaded.text
        dispute = await m.get(case_id)
        limit = next(c for c in dispute["clocks"] if c["clock"] == "mediation_limit")
        assert (limit["nominal_due_on"], limit["due_on"]) == ("2027-01-01", "2027-01-04")
        assert limit["moved_because"] == "public_holiday"
        assert limit["calendar_missing"] is False


async def test_an_agreed_performance_day_in_the_labour_day_holiday_is_due_by_the_day_after(
    database_url: str, redis_url: str
):
    # signed Mon 2026-04-20; agreed for 05-01 (Labour Day, 05-01..05-05 off): due by 05-06
    clock = FrozenClock(datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI))
    async with running_mediation(database_url, redis_url, clock) as m:
        case_id, dispute = await m.in_mediation()
        signed = await m.ok(
            case_id,
            "agreement",
            mediator(dispute["mediator_id"]),
            {
                "facts": "欠付工资",
                "terms": "支付8600元",
                "performance_manner": "银行转账",
                "performance_deadline": "2026-05-01",
                "signed_by_complainant": True,
                "signed_by_respondent": True,
                "signed_by_mediator": True,
                "sealed_by_committee": True,
            },
        )
        clocks = {c["clock"]: c for c in signed["clocks"]}
        performance = clocks["performance"]
        assert (performance["nominal_due_on"], performance["due_on"]) == (
            "2026-05-01",
            "2026-05-06",
        )
        assert performance["moved_because"] == "labour_day"
        # effective 04-20: 15 days -> 05-05, still Labour Day: the review window ends 05-06
        assert clocks["arbitration_review"]["due_on"] == "2026-05-06"
        # 30 days -> Wed 05-20, a working day: not moved
        assert clocks["judicial_confirmation"]["due_on"] == "2026-05-20"
        assert clocks["judicial_confirmation"]["moved_because"] is None
        told = next(e for e in await m.events(case_id) if e["event_type"] == "agreement.signed")
        assert told["payload"]["performance_deadline"] == "2026-05-01"
        assert told["payload"]["performance_due_on"] == "2026-05-06"
        assert told["payload"]["performance_moved_because"] == "labour_day"
        # 05-02 .. 05-06 still count: no non-performance during the holiday
        clock.set(datetime(2026, 5, 6, 23, 0, tzinfo=SHANGHAI))
        await m.scheduler.run_once()
        assert (await m.get(case_id))["state"] == "performance_monitoring"
        clock.set(datetime(2026, 5, 7, 0, 0, tzinfo=SHANGHAI))
        await m.scheduler.run_once()
        assert (await m.get(case_id))["state"] == "non_performance"
