"""Reading grants on a fake unit of work: the committee grants and revokes, the dispute's
history keeps both, the repository keeps the grant; no I/O (the HTTP flow runs against
PostgreSQL in tests/integration/test_authorization_matrix.py)."""

from __future__ import annotations

import uuid

import pytest

from services.mediation.domain.errors import Incomplete, NotAllowed, NotFound
from services.mediation.service_layer import grants
from shared.contracts.envelope import Actor
from tests.unit.mediation.test_dispute_handlers import COMMITTEE, START, World


def notes(w: World, case_id: uuid.UUID) -> list[tuple[str, str]]:
    return [(e.action, e.note) for e in w.repo.history[case_id]]


async def test_the_committee_grants_once_and_the_history_says_so():
    w = World()
    case_id = w.registered()
    async with w.uow as uow:
        granted = await grants.grant(case_id, "m-2", COMMITTEE, uow, w.ctx)
    assert granted == {
        "case_id": case_id,
        "mediator_id": "m-2",
        "granted_by": COMMITTEE.id,
        "granted_at": START,
    }
    assert (case_id, "m-2") in w.repo.grants
    async with w.uow as uow:  # granting twice changes nothing
        again = await grants.grant(case_id, "m-2", COMMITTEE, uow, w.ctx)
    assert again == granted
    assert [n for n in notes(w, case_id) if n[0] == "grant_access"] == [("grant_access", "m-2")]
    assert w.dispute(case_id).state == "acceptance_review" and w.uow.committed_events == []


async def test_a_revoked_grant_is_gone_and_revoking_it_again_is_not_found():
    w = World()
    case_id = w.registered()
    async with w.uow as uow:
        await grants.grant(case_id, "m-1", COMMITTEE, uow, w.ctx)
    async with w.uow as uow:
        revoked = await grants.revoke(case_id, "m-1", COMMITTEE, uow, w.ctx)
    assert revoked.case_id == case_id and w.repo.grants == {}
    assert notes(w, case_id)[-1] == ("revoke_access", "m-1")
    with pytest.raises(NotFound):
        async with w.uow as uow:
            await grants.revoke(case_id, "m-1", COMMITTEE, uow, w.ctx)


async def test_only_the_committee_grants_and_only_to_a_mediator_on_the_roster():
    w = World()
    case_id = w.registered()
    with pytest.raises(NotAllowed):
        async with w.uow as uow:
            await grants.grant(case_id, "m-2", Actor(role="mediator", id="m-1"), uow, w.ctx)
    with pytest.raises(Incomplete):
        async with w.uow as uow:
            await grants.grant(case_id, "m-nobody", COMMITTEE, uow, w.ctx)
    assert w.repo.grants == {} and w.uow.commits == 0
