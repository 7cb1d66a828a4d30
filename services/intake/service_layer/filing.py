"""Use cases of the front door: file a dispute, file a hazard (merging a nearby duplicate).

They stage the case, its parties and its events in the unit of work; the caller commits, so
that an idempotency record can join the same transaction. `register_*` are the use cases on
the Case aggregate; `file_*` hand the routes the case they render (as last saved).
"""

from __future__ import annotations

import uuid
from typing import Any

from services.intake.adapters.case_store import filed_row
from services.intake.domain import catalogue
from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party, party_ref, respondent_parties
from services.intake.domain.commands import AddMembers, FileDispute, FileHazard
from services.intake.domain.errors import UnknownCategory
from services.intake.domain.tracking import new_tracking_code
from services.intake.service_layer import filing_groups
from services.intake.service_layer.case_repository import cases_in, settle
from services.intake.service_layer.context import Context, find_duplicate
from services.intake.service_layer.filing_parts import (
    announce,
    copy_party,
    dispute_case,
    dispute_details,
    dispute_town,
    runner,
)
from shared.contracts.envelope import Actor
from shared.contracts.events.common import GeoPoint
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.messaging.uow import UnitOfWork


async def file_dispute(cmd: FileDispute, uow: UnitOfWork, actor: Actor, ctx: Context) -> Case:
    """Register a dispute and announce it; an oral application keeps the officer's record."""
    if cmd.members is not None:
        return (await file_group_dispute(cmd, uow, actor, ctx))[0]
    return filed_row(uow, (await register_dispute(cmd, uow, actor, ctx)).id)


async def register_dispute(cmd: FileDispute, uow: UnitOfWork, actor: Actor, ctx: Context) -> Case:
    assert cmd.complainant is not None
    cases = cases_in(uow)
    now = ctx.now()
    details, event_details = dispute_details(cmd, ctx)
    town = dispute_town(cmd, ctx)
    case = dispute_case(cmd, details, town, now)
    complainant = await runner(cases, case.id, "complainant", cmd.complainant, ctx)
    respondents = respondent_parties(case.id, cmd.respondents)
    cases.add(case)
    cases.save_parties([complainant, *respondents])
    payload = CaseFiled(
        kind="dispute",
        tracking_code=case.tracking_code,
        channel=case.channel,
        title=case.title,
        description=case.description,
        jurisdiction=town,
        parties=[party_ref(p) for p in (complainant, *respondents)],
        dispute=event_details,
    )
    await announce(uow, cases, case, payload, actor, ctx)
    return case


async def file_group_dispute(
    cmd: FileDispute, uow: UnitOfWork, actor: Actor, ctx: Context
) -> tuple[Case, list[Case]]:
    """A group dispute (LDMAL 7): see `filing_groups.register_group_dispute`."""
    parent, members = await filing_groups.register_group_dispute(cmd, uow, actor, ctx)
    return filed_row(uow, parent.id), [filed_row(uow, m.id) for m in members]


async def add_members(
    parent_id: uuid.UUID, cmd: AddMembers, uow: UnitOfWork, actor: Actor, ctx: Context
) -> list[Case]:
    """Workers who join a group later get member cases of the same parent."""
    members = await filing_groups.join_members(parent_id, cmd, uow, actor, ctx)
    return [filed_row(uow, m.id) for m in members]


async def file_hazard(
    cmd: FileHazard,
    uow: UnitOfWork,
    actor: Actor,
    ctx: Context,
    channel: str,
    *,
    attributes: dict[str, Any] | None = None,
    media_url: str | None = None,
    open311_token: str | None = None,
) -> Case:
    """Context (category, jurisdiction, urgency), register and announce a hazard.

    A report of the same category near an open one is merged: it is registered (with its
    own tracking code) as a duplicate, and its reporter follows the original.
    """
    case = await register_hazard(
        cmd,
        uow,
        actor,
        ctx,
        channel,
        attributes=attributes,
        media_url=media_url,
        open311_token=open311_token,
    )
    return filed_row(uow, case.id)


async def register_hazard(
    cmd: FileHazard,
    uow: UnitOfWork,
    actor: Actor,
    ctx: Context,
    channel: str,
    *,
    attributes: dict[str, Any] | None = None,
    media_url: str | None = None,
    open311_token: str | None = None,
) -> Case:
    cat = catalogue.category(cmd.category)
    if cat is None:
        raise UnknownCategory(cmd.category)
    place = ctx.place(cmd.latitude, cmd.longitude)
    urgency = catalogue.urgency_of(cat, cmd.description)
    if attributes and attributes.get("severity") == "danger":
        urgency = catalogue.at_least(urgency, "high")
    cases = cases_in(uow)
    match = await find_duplicate(cases, ctx, cat.code, cmd.latitude, cmd.longitude)
    now = ctx.now()
    case = Case(
        id=uuid.uuid4(),
        kind="hazard",
        tracking_code=new_tracking_code(),
        channel=channel,
        title=f"{cat.name_zh}：{place.name_zh}",
        description=cmd.description,
        category=cat.code,
        jurisdiction=place.code,
        urgency=urgency,
        latitude=cmd.latitude,
        longitude=cmd.longitude,
        address=cmd.address,
        details={"attributes": attributes} if attributes else {},
        duplicate_of=match.case_id if match else None,
        open311_token=open311_token,
        media_url=media_url,
        created_at=now,
        updated_at=now,
        status_at=now,
    )
    reporter = await runner(cases, case.id, "reporter", cmd.reporter, ctx)
    cases.add(case)
    cases.save_parties([reporter])
    payload = CaseFiled(
        kind="hazard",
        tracking_code=case.tracking_code,
        channel=channel,
        title=case.title,
        description=case.description,
        jurisdiction=place.code,
        parties=[party_ref(reporter)],
        hazard=HazardDetails(
            category=cat.code,
            location=GeoPoint(lat=cmd.latitude, lng=cmd.longitude),
            address=cmd.address,
            urgency=urgency,
        ),
        duplicate_of=case.duplicate_of,
    )
    await announce(uow, cases, case, payload, actor, ctx)
    if match is not None:
        case.mark_duplicate()
        await cases.save(case)
        await _merge(case, reporter, match.case_id, match.distance_m, uow, actor, ctx)
    return case


async def _merge(
    duplicate: Case,
    reporter: Party,
    original_id: uuid.UUID,
    distance_m: float,
    uow: UnitOfWork,
    actor: Actor,
    ctx: Context,
) -> None:
    """The duplicate's reporter becomes a follower of the original (told by notify)."""
    cases = cases_in(uow)
    original = await cases.get(original_id)
    if original is None:  # found a moment ago in the same transaction
        raise RuntimeError(f"original case {original_id} vanished")
    follower = copy_party(original.id, reporter, "follower")
    cases.save_parties([follower])
    original.merged(duplicate.id, party_ref(follower), distance_m, actor)
    await settle(uow, cases, original, ctx.now())
