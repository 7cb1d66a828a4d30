"""Notify tells changes as changes (#19.6), on a real database, event by event: a moved
mediation session reaches both parties and the mediator with the old and the new time and the
reason; a ticket taken back from a department reaches that department, and the new department
is dispatched the ticket under the corrected title even when dispatch's events come first."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.dispatch import HazardDispatched, HazardWithdrawn
from shared.contracts.events.intake import CaseCorrected, CaseFiled, HazardDetails
from shared.contracts.events.mediation import MediatorAssigned, SessionRescheduled
from tests.integration.notify_harness import DAYTIME, NotifyUnderTest, dispute_filed, event

pytestmark = pytest.mark.integration


@pytest.fixture
async def notify(database_url: str, redis_url: str) -> AsyncIterator[NotifyUnderTest]:
    sut = await NotifyUnderTest(database_url, redis_url).start()
    try:
        yield sut
    finally:
        await sut.stop()


async def test_every_party_and_the_mediator_hear_the_old_and_new_time_and_why(
    notify: NotifyUnderTest,
):
    case_id = uuid.uuid4()
    await notify.apply(dispute_filed(case_id, email="li@example.com"))
    assigned = MediatorAssigned(
        state="assigned", mediator_id="med-wang", mediator_name="王律师", duty_body="明和律师事务所"
    )
    await notify.apply(event("mediator.assigned", assigned, case_id))
    moved = SessionRescheduled(
        state="in_mediation",
        session_id="ses-1",
        starts_at=datetime(2026, 12, 10, 6, 0, tzinfo=UTC),
        place="华新镇卡友驿站调解室",
        previous_starts_at=datetime(2026, 12, 8, 2, 0, tzinfo=UTC),
        previous_place="华新镇卡友驿站调解室",
        reason="被申请人代理人出庭，申请改期",
    )
    assert await notify.apply(event("session.rescheduled", moved, case_id))
    told = await notify.deliveries(event_type="session.rescheduled", channel="inapp")
    assert sorted(d.party_role for d in told) == ["complainant", "mediator", "respondent"]
    for delivery in told:
        assert delivery.subject.startswith("【青浦驿站】调解会议改期")
        assert "调解会议安排" not in delivery.subject
        assert "原定 2026年12月8日 10:00" in delivery.body
        assert "改为 2026年12月10日 14:00" in delivery.body
        assert "改期原因：被申请人代理人出庭，申请改期" in delivery.body


def _hazard_filed(case_id: uuid.UUID) -> object:
    reporter = PartyRef(role="reporter", party_id="p-wu", display_name="吴师傅")
    payload = CaseFiled(
        kind="hazard",
        tracking_code="HZRD-2345",
        channel="open311",
        title="道路破损：赵巷镇",
        description="路面塌陷",
        parties=[reporter],
        hazard=HazardDetails(category="road_damage", location=GeoPoint(lat=31.15, lng=121.19)),
    )
    return event("case.filed", payload, case_id)


def _dispatched(case_id: uuid.UUID, department_id: str, name: str, title: str = "") -> object:
    payload = HazardDispatched(
        state="dispatched",
        department_id=department_id,
        department_name=name,
        acknowledge_due=DAYTIME + timedelta(hours=2),
        resolve_due=DAYTIME + timedelta(days=2),
        title=title,
    )
    return event("hazard.dispatched", payload, case_id)


async def test_the_former_department_is_told_and_the_new_one_gets_the_new_title(
    notify: NotifyUnderTest,
):
    case_id = uuid.uuid4()
    await notify.apply(_hazard_filed(case_id))  # type: ignore[arg-type]
    await notify.apply(_dispatched(case_id, "zhaoxiang-road", "赵巷镇道路养护所"))  # type: ignore[arg-type]
    withdrawn = HazardWithdrawn(
        state="triaged",
        department_id="zhaoxiang-road",
        department_name="赵巷镇道路养护所",
        cause="corrected",
        reason="类别应为消防通道堵塞",
    )
    # dispatch's stream may be read before intake's: its events carry what notify needs
    await notify.apply(event("hazard.withdrawn", withdrawn, case_id))
    new_title = "消防通道堵塞：赵巷镇"
    await notify.apply(
        _dispatched(case_id, "zhaoxiang-property", "赵巷镇物业管理所", new_title)  # type: ignore[arg-type]
    )

    [told] = await notify.deliveries(event_type="hazard.withdrawn", channel="inapp")
    assert told.party_id == "department:zhaoxiang-road"
    assert told.subject == "【青浦驿站】工单已从贵单位撤回：道路破损：赵巷镇"
    assert "不再由贵单位处理" in told.body and "类别应为消防通道堵塞" in told.body
    assert "HZRD-2345" not in told.body  # the reporter's code is not the department's

    dispatched = await notify.deliveries(event_type="hazard.dispatched", party_role="department")
    by_department = {d.party_id: d.subject for d in dispatched if d.channel == "inapp"}
    assert by_department["department:zhaoxiang-road"] == "【青浦驿站】新派单：道路破损：赵巷镇"
    assert by_department["department:zhaoxiang-property"] == f"【青浦驿站】新派单：{new_title}"

    fix = CaseCorrected(
        category="fire_lane_blocked",
        jurisdiction="zhaoxiang",
        previous_category="road_damage",
        previous_jurisdiction="zhaoxiang",
        reason="类别应为消防通道堵塞",
        title=new_title,
    )
    await notify.apply(event("case.corrected", fix, case_id))
    [reporter] = await notify.deliveries(event_type="case.corrected", channel="inapp")
    assert new_title in reporter.body
