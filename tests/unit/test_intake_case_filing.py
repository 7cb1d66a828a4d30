"""Intake's case use cases on a fake unit of work, in memory, no I/O:
filing a hazard (merging a duplicate), a dispute, a group dispute and its later members.

The same flows run against PostgreSQL and Redis in tests/integration/test_intake_*.py and
test_open311_conformance.py; these check the use cases' wiring (load, aggregate, save, outbox,
timeline) in milliseconds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.intake.domain.commands import AddMembers, FileDispute, FileHazard
from services.intake.domain.errors import Conflict, InvalidField, OutsideServiceArea
from services.intake.service_layer import filing, filing_groups
from tests.unit.intake.case_world import OFFICER, START, World

REPORTER = {"name": "吴师傅", "phone": "13812345678"}


def hazard(lat: float = 31.155, lng: float = 121.195, **extra: Any) -> FileHazard:
    return FileHazard.model_validate(
        {
            "category": "fire_lane_blocked",
            "latitude": lat,
            "longitude": lng,
            "description": "小区消防通道被车辆堵塞",
            "reporter": REPORTER,
        }
        | extra
    )


def dispute(**extra: Any) -> FileDispute:
    return FileDispute.model_validate(
        {
            "complainant": {"name": "李某", "phone": "13811112222"},
            "respondents": [{"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"}],
            "dispute_type": "unpaid_wages",
            "dispute_arose_on": "2026-11-02",
            "claim": "支付10月工资8600元",
            "facts": "10月工资未发放",
        }
        | extra
    )


def member(name: str, id_number: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "id_number": id_number, "claim_amount_yuan": 5000} | extra


async def test_a_hazard_is_filed_triaged_and_announced():
    w = World()
    async with w.uow as uow:
        case = await filing.register_hazard(hazard(), uow, OFFICER, w.ctx, "officer")
        await uow.commit()
    assert [e.event_type for e in w.uow.outbox] == ["case.filed"]
    kept = w.case(case.id)
    assert (kept.status, kept.jurisdiction, kept.urgency) == ("filed", "zhaoxiang", "high")
    assert kept.status_at == START and w.repo.timeline_of(case.id) == ["case.filed"]
    (reporter,) = await w.repo.parties_of(case.id)
    assert reporter.role == "reporter" and reporter.phone_hash


async def test_a_report_nearby_is_merged_and_its_reporter_follows_the_original():
    w = World()
    async with w.uow as uow:
        first = await filing.register_hazard(hazard(), uow, OFFICER, w.ctx, "officer")
        w.clock.advance(timedelta(minutes=5))
        again = hazard(31.1553, 121.1951, reporter={"name": "王某", "phone": "13900001111"})
        second = await filing.register_hazard(again, uow, OFFICER, w.ctx, "open311")
        await uow.commit()
    assert [(e.event_type, e.case_id) for e in w.uow.outbox] == [
        ("case.filed", first.id),
        ("case.filed", second.id),
        ("case.merged", first.id),
    ]
    assert (w.case(second.id).status, w.case(second.id).duplicate_of) == ("duplicate", first.id)
    followers = [p for p in await w.repo.parties_of(first.id) if p.role == "follower"]
    assert [p.name for p in followers] == ["王某"]
    assert w.repo.timeline_of(first.id) == ["case.filed", "case.merged"]


async def test_a_runner_keeps_the_party_id_of_their_earlier_report():
    w = World()
    async with w.uow as uow:
        first = await filing.register_hazard(hazard(), uow, OFFICER, w.ctx, "officer")
        far = hazard(31.240, 121.210)
        second = await filing.register_hazard(far, uow, OFFICER, w.ctx, "officer")
        await uow.commit()
    ids = [(await w.repo.parties_of(c.id))[0].party_id for c in (first, second)]
    assert ids[0] == ids[1] and w.case(second.id).duplicate_of is None


async def test_a_hazard_outside_the_area_is_refused_and_nothing_is_kept():
    w = World()
    with pytest.raises(OutsideServiceArea):
        async with w.uow as uow:
            await filing.register_hazard(hazard(39.9, 116.4), uow, OFFICER, w.ctx, "officer")
    assert w.repo.cases == {} and w.uow.outbox == []


async def test_a_dispute_is_filed_with_its_parties_and_details():
    w = World()
    async with w.uow as uow:
        case = await filing.register_dispute(dispute(), uow, OFFICER, w.ctx)
        await uow.commit()
    (filed,) = w.uow.outbox
    assert filed.event_type == "case.filed" and filed.payload["dispute"]["claim"]
    kept = w.case(case.id)
    assert (kept.kind, kept.channel, kept.title) == (
        "dispute",
        "officer",
        "拖欠工资：沪青劳务外包有限公司",
    )
    assert kept.details["received_at"] == START.isoformat()
    roles = sorted(p.role for p in await w.repo.parties_of(case.id))
    assert roles == ["complainant", "respondent"]


async def test_a_group_is_announced_before_its_members_and_counts_those_who_join():
    w = World()
    members = [
        member("甲", "11010519491231002X", representative=True),
        member("乙", "110105194912310038"),
    ]
    cmd = dispute(complainant=None, members=members)
    async with w.uow as uow:
        parent, filed = await filing_groups.register_group_dispute(cmd, uow, OFFICER, w.ctx)
        await uow.commit()
    assert [e.case_id for e in w.uow.outbox] == [parent.id, *(m.id for m in filed)]
    assert w.uow.outbox[0].payload["dispute"]["group"]["member_count"] == 2
    joining = AddMembers.model_validate({"members": [member("丙", "110105194912310046")]})
    async with w.uow as uow:
        (joined,) = await filing_groups.join_members(parent.id, joining, uow, OFFICER, w.ctx)
        await uow.commit()
    assert w.case(joined.id).parent_case_id == parent.id
    assert w.case(parent.id).title.startswith("集体争议（3人）")
    again = AddMembers.model_validate({"members": [member("丙", "110105194912310046")]})
    with pytest.raises(InvalidField):
        async with w.uow as uow:
            await filing_groups.join_members(parent.id, again, uow, OFFICER, w.ctx)
    async with w.uow as uow:
        single = await filing.register_dispute(dispute(), uow, OFFICER, w.ctx)
        await uow.commit()
    with pytest.raises(Conflict):
        async with w.uow as uow:
            await filing_groups.join_members(single.id, joining, uow, OFFICER, w.ctx)
