"""Group disputes on a real database and real Redis (LDMAL 7): one dispute with member cases,
one agreement with a line per member, performance member by member, every member told; the
committee's figures count the group once and its workers by headcount; patterns and figures
count every respondent, not only the first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.mediation.service_layer import rollups
from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.mediation_harness import (
    COMMITTEE,
    Mediation,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SIGNED = {
    "facts": "十二名快递员加班费未支付，被申请人确认欠付。",
    "terms": "被申请人按附表向每名成员支付加班费。",
    "performance_manner": "银行转账",
    "performance_deadline": "2026-03-25",
    "signed_by_complainant": True,
    "signed_by_respondent": True,
    "signed_by_mediator": True,
    "sealed_by_committee": True,
}
OUTSOURCER = ("沪青劳务外包有限公司", "91310118HQLW00002A")
EXPRESS = ("速达快递", "91310000SUDA00001X")


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(
        database_url, redis_url, FrozenClock(NOW), pattern_threshold=3, pattern_window_days=30
    ) as service:
        yield service


async def _group(mediation: Mediation, size: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    reps = ["p-g-0", "p-g-1", "p-g-2"]
    parent, _ = await mediation.file(complainant_id="p-g-0", representatives=reps)
    members = [
        (
            await mediation.file(
                parent_case_id=parent, complainant_id=f"p-g-{i}", claim_amount_yuan=1000.0 + i
            )
        )[0]
        for i in range(size)
    ]
    return parent, members


async def test_a_group_is_one_dispute_whose_members_follow_it(mediation: Mediation):
    parent, members = await _group(mediation, 12)
    group = await mediation.get(parent)
    assert group["group_size"] == 12
    assert group["representatives"] == ["p-g-0", "p-g-1", "p-g-2"]
    amounts = {m["case_id"]: m["claim_amount_yuan"] for m in group["members"]}
    assert [amounts[str(m)] for m in members[:2]] == [1000.0, 1001.0]
    member = await mediation.get(members[0])
    assert member["state"] == "group_member"
    assert await mediation.event_types(members[0]) == [
        "dispute.registered",
        "dispute.group_linked",
    ]
    # a member case takes no step of its own: the group's parent carries the lifecycle
    refused = await mediation.post(members[0], "accept", COMMITTEE)
    assert refused.status_code == 409
    queues = await mediation.client.get("/api/v1/committee/queues", headers=COMMITTEE)
    assert queues.json().get("group_member", 0) == 0  # members wait in no queue


async def test_representatives_of_a_lone_dispute_are_refused(mediation: Mediation):
    lone, dispute = await mediation.in_mediation()
    me = mediator(dispute["mediator_id"])
    response = await mediation.post(lone, "representatives", me, {"party_ids": ["p-x"]})
    assert response.status_code == 409
    assert "group" in response.text


async def test_one_agreement_with_a_line_per_member_and_performance_member_by_member(
    mediation: Mediation,
):
    parent, members = await _group(mediation, 12)
    accepted = await mediation.ok(parent, "accept", COMMITTEE)
    me = mediator(accepted["mediator_id"])
    await mediation.ok(parent, "start", me)
    for member in members:
        notices = [e for e in await mediation.events(member) if e["event_type"].endswith("notice")]
        assert [n["payload"]["stage"] for n in notices] == ["accepted"]
    session = await mediation.ok(
        parent, "sessions", me, {"starts_at": (NOW + timedelta(days=2)).isoformat(), "online": True}
    )
    assert session["attendees"][:3] == ["p-g-0", "p-g-1", "p-g-2"]
    short = SIGNED | {
        "schedule": [
            {"case_id": str(m), "amount_yuan": 1000 + i, "due_on": "2026-03-20"}
            for i, m in enumerate(members[:11])
        ]
    }
    missing = await mediation.post(parent, "agreement", me, short)
    assert missing.status_code == 422 and "schedule" in missing.text
    full = SIGNED | {
        "schedule": [
            {"case_id": str(m), "amount_yuan": 1000 + i, "due_on": "2026-03-20"}
            for i, m in enumerate(members)
        ]
    }
    agreed = await mediation.ok(parent, "agreement", me, full)
    assert agreed["state"] == "performance_monitoring"
    lines = {m["case_id"]: m["amount_yuan"] for m in agreed["members"]}
    assert lines[str(members[5])] == 1005
    last = (await mediation.events(members[5]))[-1]
    assert last["event_type"] == "dispute.group_notice"
    line = {k: last["payload"][k] for k in ("stage", "amount_yuan", "due_on")}
    assert line == {"stage": "agreement_signed", "amount_yuan": 1005.0, "due_on": "2026-03-20"}
    company = auth_headers("respondent", f"org-{OUTSOURCER[1]}")
    for member in members[:11]:
        await mediation.ok(parent, f"members/{member}/performance", company, {"performed": True})
    unpaid_path = f"members/{members[11]}/performance"
    early = await mediation.post(parent, unpaid_path, me, {"performed": False, "note": "未到账"})
    # Time order (#19): not paid can be said only once the member's own day (20 March) ended.
    assert early.status_code == 409 and "performance_deadline" in early.text
    mediation.clock.set(datetime(2026, 3, 20, 16, 5, tzinfo=UTC))  # 21 March 00:05 Shanghai
    unpaid = await mediation.ok(parent, unpaid_path, me, {"performed": False, "note": "未到账"})
    outcomes = {m["case_id"]: m["outcome"] for m in unpaid["members"]}
    assert [outcomes[str(m)] for m in members] == ["performed"] * 11 + ["non_performance"]
    told = (await mediation.events(members[11]))[-1]
    assert told["event_type"] == "dispute.member_performance"
    assert told["payload"]["performed"] is False
    stranger, _ = await mediation.file()
    wrong = await mediation.post(parent, f"members/{stranger}/performance", me, {"performed": True})
    assert wrong.status_code == 422


async def test_the_committee_counts_a_group_once_and_its_workers_by_headcount(
    mediation: Mediation,
):
    await _group(mediation, 13)
    await mediation.file()
    by_type = await mediation.client.get(
        "/api/v1/committee/statistics",
        headers=COMMITTEE,
        params={"by": "dispute_type", "year": 2026},
    )
    wages = next(r for r in by_type.json()["rows"] if r["key"] == "unpaid_wages")
    assert (wages["filed"], wages["groups"], wages["workers"]) == (2, 1, 14)
    async with mediation.runtime.sessions() as session:  # kept per change == a recount
        assert await rollups.differences(session) == []


async def test_patterns_and_statistics_count_every_respondent(mediation: Mediation):
    # the express company is only ever the second respondent
    for _ in range(3):
        await mediation.file(dispute_type="penalty_deduction", respondents=(OUTSOURCER, EXPRESS))
    alerts = (await mediation.client.get("/api/v1/committee/alerts", headers=COMMITTEE)).json()
    assert sorted(a["company"] for a in alerts) == ["沪青劳务外包有限公司", "速达快递"]
    by_company = await mediation.client.get(
        "/api/v1/committee/statistics", headers=COMMITTEE, params={"by": "company", "year": 2026}
    )
    rows = {r["label"]: r["filed"] for r in by_company.json()["rows"]}
    assert rows == {"沪青劳务外包有限公司": 3, "速达快递": 3}
    async with mediation.runtime.sessions() as session:  # the recount counts both too
        assert await rollups.differences(session) == []
