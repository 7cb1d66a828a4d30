"""A group dispute (LDMAL 7): one parent case for the group, one member case per worker, and
workers who join it later."""

from __future__ import annotations

import uuid

from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party, party_ref, respondent_parties
from services.intake.domain.commands import AddMembers, FileDispute, GroupMemberIn, PersonIn
from services.intake.domain.errors import InvalidField, NotFound
from services.intake.domain.repository import CaseRepository
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer.case_repository import cases_in
from services.intake.service_layer.context import Context
from services.intake.service_layer.filing_parts import (
    announce,
    copy_party,
    dispute_case,
    dispute_details,
    dispute_town,
    runner,
)
from shared.contracts.envelope import Actor
from shared.contracts.events.intake import CaseFiled, DisputeDetails, GroupDetails
from shared.messaging.uow import UnitOfWork


async def register_group_dispute(
    cmd: FileDispute, uow: UnitOfWork, actor: Actor, ctx: Context
) -> tuple[Case, list[Case]]:
    """The parent names the elected representatives (they attend and sign for the group); each
    member's case carries their own claim and amount and points at the parent, so mediation
    handles one dispute and every member is told of it under their own tracking code."""
    assert cmd.members is not None
    cases = cases_in(uow)
    now = ctx.now()
    details, event_details = dispute_details(cmd, ctx)
    town = dispute_town(cmd, ctx)
    details["group"] = {"member_count": len(cmd.members)}
    parent = dispute_case(cmd, details, town, now)
    parent.title = f"集体争议（{len(cmd.members)}人）{parent.title}"[:200]
    respondents = respondent_parties(parent.id, cmd.respondents)
    cases.add(parent)
    cases.save_parties(respondents)
    filed = await _file_members(cases, parent, cmd.members, respondents, ctx)
    member_parties = [party for _, party, _ in filed]
    elected = [p for p, m in zip(member_parties, cmd.members, strict=True) if m.representative]
    # Every representative is a complainant of the parent: they attend, sign and are invited.
    cases.save_parties([copy_party(parent.id, p, "complainant") for p in elected])
    event_details = event_details.model_copy(
        update={
            "group": GroupDetails(
                representative_party_ids=[r.party_id for r in elected],
                member_count=len(cmd.members),
            )
        }
    )
    payload = CaseFiled(
        kind="dispute",
        tracking_code=parent.tracking_code,
        channel=parent.channel,
        title=parent.title,
        description=parent.description,
        jurisdiction=town,
        parties=[party_ref(r, "complainant") for r in elected]
        + [party_ref(p) for p in respondents],
        dispute=event_details,
    )
    # The parent is announced first: mediation finds it when its members arrive.
    await announce(uow, cases, parent, payload, actor, ctx)
    for case, _, member_payload in filed:
        await announce(uow, cases, case, member_payload, actor, ctx)
    return parent, [case for case, _, _ in filed]


async def _file_members(
    cases: CaseRepository,
    parent: Case,
    members: list[GroupMemberIn],
    respondents: list[Party],
    ctx: Context,
) -> list[tuple[Case, Party, CaseFiled]]:
    """One member case per worker, with their own claim, amount and tracking code; the caller
    announces each (after the parent's own filing, for a new group)."""
    filed = []
    base = parent.details
    for member in members:
        now = ctx.now()
        case = Case(
            id=uuid.uuid4(),
            kind="dispute",
            tracking_code=new_tracking_code(),
            channel=parent.channel,
            title=f"集体争议成员：{member.name}"[:200],
            description=parent.description,
            category=parent.category,
            jurisdiction=parent.jurisdiction,
            parent_case_id=parent.id,
            details={
                "claim": member.claim or base["claim"],
                "claim_amount_yuan": member.claim_amount_yuan,
                "received_at": base["received_at"],
                "platform_worker": base["platform_worker"],
                "dispute_arose_on": base.get("dispute_arose_on"),
            },
            created_at=now,
            updated_at=now,
            status_at=now,
        )
        person = PersonIn.model_validate(
            member.model_dump(include={"name", "phone", "email", "id_number", "locale"})
        )
        party = await runner(cases, case.id, "complainant", person, ctx)
        copies = [copy_party(case.id, r, "respondent") for r in respondents]
        for copy, r in zip(copies, respondents, strict=True):
            copy.org_code = r.org_code
        cases.add(case)
        cases.save_parties([party, *copies])
        payload = CaseFiled(
            kind="dispute",
            tracking_code=case.tracking_code,
            channel=case.channel,
            title=case.title,
            description=case.description,
            jurisdiction=case.jurisdiction,
            parties=[party_ref(party), *(party_ref(c) for c in copies)],
            dispute=DisputeDetails(
                dispute_type=parent.category or "",
                claim=case.details["claim"],
                claim_amount_yuan=member.claim_amount_yuan,
                platform_worker=bool(base["platform_worker"]),
                received_at=base["received_at"],
            ),
            parent_case_id=parent.id,
        )
        filed.append((case, party, payload))
    return filed


async def join_members(
    parent_id: uuid.UUID, cmd: AddMembers, uow: UnitOfWork, actor: Actor, ctx: Context
) -> list[Case]:
    """Workers who join a group later get member cases of the same parent."""
    cases = cases_in(uow)
    parent = await cases.get(parent_id)
    if parent is None:
        raise NotFound(str(parent_id))
    parent.must_take_members()
    respondents = [p for p in await cases.parties_of(parent.id) if p.role == "respondent"]
    known = await cases.member_id_hashes(parent.id)
    if ctx.cipher is not None:
        for member in cmd.members:
            if member.id_number and ctx.cipher.lookup_hash(member.id_number) in known:
                raise InvalidField("members", f"{member.name} is already a member of this group")
    filed = await _file_members(cases, parent, cmd.members, respondents, ctx)
    for case, _, payload in filed:
        await announce(uow, cases, case, payload, actor, ctx)
    parent.members_joined(len(filed))
    await cases.save(parent)
    return [case for case, _, _ in filed]
