"""Time order in mediation (#19), over real HTTP on PostgreSQL: nothing is recorded as having
happened before it could. A session is held only once it has started; non-performance only
once the performance deadline has passed (so no referral for it before); performance only
once the agreement binds. Each refusal is a 409 naming the field, read in Chinese first; the
dispute is left as it was. The committee sees disputes without a limitation clock."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from shared.contracts.glossary.errors import explain
from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import (
    COMMITTEE,
    Mediation,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(database_url, redis_url, FrozenClock(MONDAY)) as service:
        yield service


def agreement(deadline: date) -> dict[str, object]:
    return {
        "facts": "申请人十月工资8600元未发放，被申请人确认欠付。",
        "terms": "被申请人支付申请人十月工资8600元。",
        "performance_manner": "银行转账",
        "performance_deadline": deadline.isoformat(),
        "signed_by_complainant": True,
        "signed_by_respondent": True,
        "signed_by_mediator": True,
        "sealed_by_committee": True,
    }


async def test_a_session_is_held_only_once_it_has_started(mediation: Mediation):
    case_id, dispute = await mediation.in_mediation(arose_on=date(2026, 2, 1))
    me = mediator(dispute["mediator_id"])
    starts = MONDAY + timedelta(days=8)  # 03-10, 10:00 in Shanghai
    session = await mediation.ok(
        case_id, "sessions", me, {"starts_at": starts.isoformat(), "place": "华新镇调解室"}
    )
    held = f"sessions/{session['session_id']}/held"
    mediation.clock.set(MONDAY + timedelta(days=3))  # 03-05: five days early
    early = await mediation.post(case_id, held, me, {"summary": "双方同意分期"})
    assert early.status_code == 409, early.text
    assert early.json()["detail"]["field"] == "starts_at"
    assert explain(409, early.json())["starts_at"] == "会议开始时间未到，不能记录为已举行"
    mediation.clock.set(starts - timedelta(minutes=1))  # a minute before: still too early
    assert (await mediation.post(case_id, held, me, {"summary": "x"})).status_code == 409
    after = await mediation.get(case_id)
    assert [s["status"] for s in after["sessions"]] == ["scheduled"]
    assert "session.held" not in await mediation.event_types(case_id)

    mediation.clock.set(starts + timedelta(hours=2))
    done = await mediation.ok(case_id, held, me, {"summary": "双方同意分期"})
    assert done["status"] == "held"
    assert (await mediation.event_types(case_id))[-1] == "session.held"


async def test_non_performance_waits_for_the_deadline_and_so_does_the_referral(
    mediation: Mediation,
):
    case_id, dispute = await mediation.in_mediation(arose_on=date(2026, 2, 1))
    me = mediator(dispute["mediator_id"])
    await mediation.ok(case_id, "agreement", me, agreement(date(2026, 3, 10)))  # a Tuesday
    for moment in (MONDAY + timedelta(days=1), datetime(2026, 3, 10, 15, 59, tzinfo=UTC)):
        mediation.clock.set(moment)  # a week before; the deadline's last minute (23:59)
        early = await mediation.post(case_id, "performance", me, {"performed": False})
        assert early.status_code == 409, early.text
        assert early.json()["detail"]["field"] == "performance_deadline"
        assert explain(409, early.json()) == {
            "performance_deadline": "履行期限届满前不能记录未履行"
        }
        refer = await mediation.post(case_id, "refer", me, {"reason": "未履行"})
        assert refer.status_code == 409  # nothing to refer for yet: still being performed
        assert refer.json()["detail"]["state"] == "performance_monitoring"
    still = await mediation.get(case_id)
    assert still["state"] == "performance_monitoring"
    assert "performance.not_performed" not in await mediation.event_types(case_id)

    mediation.clock.set(datetime(2026, 3, 10, 16, 0, tzinfo=UTC))  # 03-11 00:00 in Shanghai
    late = await mediation.ok(case_id, "performance", me, {"performed": False, "note": "未付款"})
    assert late["state"] == "non_performance"
    referred = await mediation.ok(case_id, "refer", me, {"reason": "未履行"})
    assert referred["state"] == "referred_to_arbitration"


async def test_performance_may_be_recorded_as_soon_as_the_agreement_binds(mediation: Mediation):
    case_id, dispute = await mediation.in_mediation(arose_on=date(2026, 2, 1))
    me = mediator(dispute["mediator_id"])
    before = await mediation.post(case_id, "performance", me, {"performed": True})
    assert before.status_code == 409  # no agreement yet: the state says so
    assert before.json()["detail"]["state"] == "in_mediation"
    await mediation.ok(case_id, "agreement", me, agreement(date(2026, 3, 20)))
    paid = await mediation.ok(case_id, "performance", me, {"performed": True, "note": "已转账"})
    assert paid["state"] == "performed"


async def test_the_committee_is_warned_of_disputes_without_a_limitation_clock(
    mediation: Mediation,
):
    known, _ = await mediation.file(arose_on=date(2026, 2, 1))
    unknown, _ = await mediation.file(arose_on=None)
    listed = await mediation.client.get("/api/v1/committee/limitation-unknown", headers=COMMITTEE)
    assert listed.status_code == 200
    ids = [uuid.UUID(r["case_id"]) for r in listed.json()]
    assert unknown in ids and known not in ids
    assert {r["warning"] for r in listed.json()} == {"limitation_unknown"}
    board = await mediation.client.get("/api/v1/disputes", headers=COMMITTEE)
    flags = {uuid.UUID(d["case_id"]): d["limitation_unknown"] for d in board.json()}
    assert flags[unknown] is True and flags[known] is False
    clocks = {c["clock"] for c in (await mediation.get(known))["clocks"]}
    assert "arbitration_limitation" in clocks
    assert "arbitration_limitation" not in {
        c["clock"] for c in (await mediation.get(unknown))["clocks"]
    }
    # once it ends, the warning leaves the list
    await mediation.ok(unknown, "withdraw", COMMITTEE, {"reason": "撤回"})
    await mediation.ok(unknown, "close", COMMITTEE)
    listed = await mediation.client.get("/api/v1/committee/limitation-unknown", headers=COMMITTEE)
    assert unknown not in [uuid.UUID(r["case_id"]) for r in listed.json()]


async def test_a_consultation_meeting_is_not_recorded_as_held_after_today(mediation: Mediation):
    opened = await mediation.client.post(
        "/api/v1/consultations",
        headers=COMMITTEE,
        json={
            "title": "超时扣款规则行业协商",
            "company": "快送平台有限公司",
            "dispute_type": "penalty_deduction",
            "participants": [{"name": "张经理", "organisation": "总部", "side": "company_hq"}],
        },
    )
    assert opened.status_code in (200, 201), opened.text
    path = f"/api/v1/consultations/{opened.json()['id']}/sessions"
    meeting = {"place": "徐泾镇 平台总部", "summary": "协商扣款规则"}
    tomorrow = await mediation.client.post(
        path, headers=COMMITTEE, json=meeting | {"held_on": "2026-03-03"}
    )
    assert tomorrow.status_code == 422, tomorrow.text
    assert tomorrow.json()["detail"]["errors"] == [{"field": "held_on"}]
    assert list(explain(422, tomorrow.json()).values()) == ["协商会议日期不能晚于今天"]
    assert (await mediation.client.get(f"/api/v1/consultations/{opened.json()['id']}",
                                       headers=COMMITTEE)).json()["sessions"] == []  # fmt: skip
    today = await mediation.client.post(
        path, headers=COMMITTEE, json=meeting | {"held_on": "2026-03-02"}
    )
    assert today.status_code in (200, 201), today.text
