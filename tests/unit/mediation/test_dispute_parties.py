"""Who a dispute is between, on a fake unit of work: a supplement to the application, a group's
members joining, their representatives and each member's line of the agreement. No I/O; the
same flows run against PostgreSQL in tests/integration/test_mediation_groups.py and
test_mediation_supplement.py."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from services.mediation.domain.dispute import Dispute
from services.mediation.domain.errors import AgainstTheRules, Incomplete, NotAllowed, TooEarly
from services.mediation.service_layer import acceptance, groups, supplements
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import PartyRef
from shared.contracts.events.intake import DisputeSupplemented
from tests.unit.mediation.test_dispute_handlers import COMMITTEE, START, World

OFFICER = Actor(role="intake_officer", id="officer-1")
RESPONDENTS = [
    PartyRef(role="respondent", party_id="org-1", display_name="某公司"),
    PartyRef(role="respondent", party_id="org-2", display_name="另一公司"),
]


async def supplement(w: World, case_id: uuid.UUID, **given: Any) -> None:
    envelope = new_event(
        "dispute.supplemented",
        DisputeSupplemented(fields=sorted(given), note="补充了证据", **given),
        case_id=case_id,
        actor=OFFICER,
        producer="intake",
        occurred_at=START + timedelta(hours=1),
    )
    async with w.uow as uow:
        await supplements.apply_supplement(envelope, uow)
        await uow.commit()


async def test_a_supplement_changes_the_view_once_and_is_on_the_history():
    w = World()
    case_id = w.registered()
    given = {"claim_amount_yuan": 8000.0, "jurisdiction": "城关镇", "respondents": RESPONDENTS}
    await supplement(w, case_id, **given)
    dispute = w.dispute(case_id)
    assert (dispute.claim_amount_yuan, dispute.town) == (8000.0, "城关镇")
    assert (dispute.company, dispute.company_key) == ("某公司", "name:某公司")
    assert [r["party_id"] for r in dispute.respondents] == ["org-1", "org-2"]
    indexed = [c["key"] for c in w.repo.companies[case_id]]
    assert indexed == ["name:某公司", "name:另一公司"]
    last = w.repo.history[case_id][-1]
    assert (last.action, last.actor) == ("supplement", OFFICER)
    assert last.note == "申请材料已补充：补充了证据"
    assert last.at == START + timedelta(hours=1) and last.to_state == dispute.state
    await supplement(w, case_id, **given)  # the same again: the same view, no new company
    assert [c["key"] for c in w.repo.companies[case_id]] == indexed
    assert w.dispute(case_id).companies == dispute.companies
    assert w.uow.committed_events == []


async def test_a_supplement_to_a_dispute_mediation_does_not_know_is_ignored():
    w = World()
    await supplement(w, uuid.uuid4(), claim_amount_yuan=1.0)
    assert w.repo.disputes == {} and w.repo.companies == {}


def member_of(w: World, parent_id: uuid.UUID, complainant: str) -> uuid.UUID:
    member = Dispute(
        case_id=uuid.uuid4(),
        tracking_code="M7654321",
        state="registered",
        dispute_type="unpaid_wages",
        title="拖欠工资",
        complainant_id=complainant,
        application_received_at=START,
        parent_case_id=parent_id,
    )
    w.repo.add(member)
    return member.case_id


async def group(w: World, size: int = 2) -> tuple[uuid.UUID, list[uuid.UUID]]:
    parent_id = w.registered()
    w.repo.disputes[parent_id].title = "集体争议（10人）拖欠工资"
    member_ids = [member_of(w, parent_id, f"c-{n + 2}") for n in range(size)]
    for member_id in member_ids:
        async with w.uow as uow:
            await groups.register_member(uow, w.ctx, member_id)
            await uow.commit()
    return parent_id, member_ids


async def test_a_member_joins_its_group_which_counts_it():
    w = World()
    parent_id, (first, second) = await group(w)
    parent = w.dispute(parent_id)
    assert (parent.group_size, parent.title) == (2, "集体争议（2人）拖欠工资")
    assert w.dispute(first).state == "group_member"
    joined = w.repo.history[first][-1]
    assert (joined.action, joined.note) == ("join_group", str(parent_id))
    events = [(e.event_type, e.case_id) for e in w.uow.committed_events]
    assert events == [("dispute.registered", second), ("dispute.group_linked", second)]
    assert w.uow.committed_events[0].payload["state"] == "group_member"


async def test_representatives_are_elected_from_the_members_and_each_member_hears():
    w = World()
    parent_id, members = await group(w)
    async with w.uow as uow:
        await groups.elect_representatives(parent_id, ["c-2", "c-2", "c-1"], COMMITTEE, uow)
    assert w.dispute(parent_id).representatives == ["c-2", "c-1"]
    assert w.repo.history[parent_id][-1].action == "elect_representatives"
    told = [(e.event_type, e.case_id) for e in w.uow.committed_events]
    assert told == [("dispute.group_linked", m) for m in members]
    assert w.uow.committed_events[0].payload["representative_party_ids"] == ["c-2", "c-1"]
    for party_ids, actor, refused in (
        (["c-9"], COMMITTEE, Incomplete),
        ([], COMMITTEE, Incomplete),
        (["c-2"], Actor(role="mediator", id="m-9"), NotAllowed),
        (["c-2"], Actor(role="complainant", id="c-2"), NotAllowed),
    ):
        with pytest.raises(refused):
            async with w.uow as uow:
                await groups.elect_representatives(parent_id, party_ids, actor, uow)
    with pytest.raises(AgainstTheRules):  # a lone dispute has no members to represent it
        async with w.uow as uow:
            await groups.elect_representatives(w.registered(), ["c-1"], COMMITTEE, uow)


async def test_accepting_a_group_tells_every_member_in_memory():
    w = World()
    parent_id, members = await group(w)
    events = await w.act(acceptance.accept_dispute, parent_id, COMMITTEE)
    assert events == ["dispute.accepted", "mediator.assigned", *["dispute.group_notice"] * 2]
    assert [e.case_id for e in w.uow.committed_events[2:]] == members


async def test_a_members_line_is_recorded_performed_or_not_once_its_period_ran_out():
    w = World()
    parent_id, (first, second) = await group(w)
    parent = w.repo.disputes[parent_id]
    parent.state, parent.performance_deadline = "performance_monitoring", date(2026, 12, 10)
    parent.agreement = {
        "schedule": [
            {"case_id": str(first), "amount_yuan": 3000.0, "due_on": "2026-12-03"},
            {"case_id": str(second), "amount_yuan": 2000.0},
        ]
    }
    respondent = Actor(role="respondent", id="org-1")

    async def record(member_id: uuid.UUID, performed: bool, actor: Actor = COMMITTEE) -> None:
        async with w.uow as uow:
            await groups.record_member_performance(
                parent_id, member_id, performed, "已转账", actor, uow, w.ctx
            )

    await record(first, True, respondent)
    assert w.dispute(first).outcome == "performed"
    assert w.repo.history[first][-1].action == "record_performed"
    (told,) = w.uow.committed_events
    assert (told.event_type, told.case_id) == ("dispute.member_performance", first)
    assert told.payload["amount_yuan"] == 3000.0 and told.payload["performed"] is True
    with pytest.raises(TooEarly):  # the second's period is the agreement's, not yet over
        await record(second, False)
    w.clock.set(START + timedelta(days=12))
    await record(second, False)
    assert w.dispute(second).outcome == "non_performance"
    with pytest.raises(Incomplete):  # a case of another group
        await record(w.registered(), True)
    with pytest.raises(NotAllowed):
        await record(first, True, Actor(role="respondent", id="org-9"))
